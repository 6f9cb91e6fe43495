"""/accompagnements/…: each part of the follow-up declares its own routes in its views module."""

from ecoquartier.followup.views import conventions, days, deliverables, grants, overview, roadmap

app_name = "followup"

urlpatterns = [
    *overview.urlpatterns,
    *conventions.urlpatterns,
    *days.urlpatterns,
    *grants.urlpatterns,
    *deliverables.urlpatterns,
    *roadmap.urlpatterns,
]
