"""The production URLs plus the bare baseline view, mounted for the benchmark only."""

from django.urls import path

from benchmarks.views import bare
from config.urls import handler403, handler404, handler500
from config.urls import urlpatterns as production_urls

urlpatterns = [path("__bench__/bare/", bare, name="bench-bare"), *production_urls]

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
