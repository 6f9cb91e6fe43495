"""The project's URLs plus views that fail, to exercise the error handlers."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.urls import path

from config.urls import handler403, handler404, handler500
from config.urls import urlpatterns as base_urlpatterns


@login_not_required
def database_down(request):
    raise OperationalError("could not connect to server")


@login_not_required
def forbidden(request):
    raise PermissionDenied


urlpatterns = [
    path("en-panne/", database_down),
    path("interdit/", forbidden),
    *base_urlpatterns,
]
__all__ = ["urlpatterns", "handler403", "handler404", "handler500"]
