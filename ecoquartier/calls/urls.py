from django.urls import path

from ecoquartier.calls import views

app_name = "calls"
urlpatterns = [
    path("", views.finder, name="finder"),
    path("alertes/nouvelle/", views.alert_create, name="alert_create"),
    path("alertes/confirmer/<str:token>/", views.alert_confirm, name="alert_confirm"),
    path("alertes/desabonner/<str:token>/", views.alert_unsubscribe, name="alert_unsubscribe"),
    path("gestion/", views.manage, name="manage"),
    path("gestion/programmes/nouveau/", views.programme_create, name="programme_create"),
    path("gestion/programmes/<slug:slug>/", views.programme_edit, name="programme_edit"),
    path("gestion/programmes/<slug:slug>/nouvel-appel/", views.call_create, name="call_create"),
    path("gestion/appels/<slug:slug>/", views.call_edit, name="call_edit"),
    path("gestion/appels/<slug:slug>/publier/", views.call_publish, name="call_publish"),
    path("gestion/appels/<slug:slug>/archiver/", views.call_archive, name="call_archive"),
    path("programmes/<slug:slug>/", views.programme_detail, name="programme"),
    path("projet/<slug:slug>/", views.for_project, name="for_project"),
    path("<slug:slug>/", views.call_detail, name="detail"),
    path("<slug:slug>/documents/<int:pk>/", views.call_document, name="document"),
]
