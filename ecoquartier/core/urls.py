from django.urls import path

from ecoquartier.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("tableau-de-bord/", views.dashboard, name="dashboard"),
    path("accessibilite/", views.static_page, {"page": "accessibility"}, name="accessibility"),
    path("mentions-legales/", views.static_page, {"page": "legal"}, name="legal"),
    path("donnees-personnelles/", views.static_page, {"page": "privacy"}, name="privacy"),
    path("plan-du-site/", views.static_page, {"page": "sitemap"}, name="sitemap"),
    path("sante/", views.health, name="health"),
    path("administration/taches-planifiees/", views.scheduled_jobs, name="scheduled_jobs"),
]
