"""The project's URLs as they are with ProConnect on (config/urls.py reads settings once)."""

from django.urls import include, path

from config.urls import handler403, handler404, handler500
from config.urls import urlpatterns as base_urlpatterns

urlpatterns = [
    *base_urlpatterns,
    path("oidc/", include("ecoquartier.accounts.oidc_urls")),
]
__all__ = ["urlpatterns", "handler403", "handler404", "handler500"]
