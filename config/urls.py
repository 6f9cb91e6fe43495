"""Root URLs. Each app owns its own urls.py; this file only mounts them."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("ecoquartier.core.urls")),
    path("compte/", include("ecoquartier.accounts.urls")),
    path("notifications/", include("ecoquartier.notifications.urls")),
    path("territoires/", include("ecoquartier.territories.urls")),
    path("organisations/", include("ecoquartier.organisations.urls")),
    path("projets/", include("ecoquartier.projects.urls")),
    path("referentiel/", include("ecoquartier.referentiel.urls")),
    path("evaluations/", include("ecoquartier.assessments.urls")),
    path("aides/", include("ecoquartier.calls.urls")),
    path("candidatures/", include("ecoquartier.applications.urls")),
    path("indicateurs/", include("ecoquartier.indicators.urls")),
    path("accompagnements/", include("ecoquartier.followup.urls")),
    path("label/", include("ecoquartier.labels.urls")),
    path("admin/", admin.site.urls),
]
if settings.PROCONNECT_ENABLED:
    urlpatterns.append(path("oidc/", include("ecoquartier.accounts.oidc_urls")))
# No MEDIA_URL route, even under DEBUG: private files go out through permission-checked views
# only (ecoquartier.core.files, docs/private-files.md).

handler400 = "ecoquartier.core.views.bad_request"
handler403 = "ecoquartier.core.views.permission_denied"
handler404 = "ecoquartier.core.views.page_not_found"
handler500 = "ecoquartier.core.views.server_error"
