from django.urls import path

from ecoquartier.referentiel import views

app_name = "referentiel"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:code>/", views.version_detail, name="version"),
    path("<slug:code>/engagements/<int:number>/", views.commitment_detail, name="commitment"),
]
