from django.urls import path

from ecoquartier.labels import views

app_name = "labels"
urlpatterns = [
    path("", views.index, name="index"),
    path("chiffres-cles/", views.key_figures, name="key_figures"),
    path("projets/<slug:slug>/", views.project_label, name="project"),
    path("projets/<slug:slug>/charte/", views.sign_charter, name="sign_charter"),
    path("chartes/<int:pk>/", views.charter, name="charter"),
    path("chartes/<int:pk>/document/", views.charter_document, name="charter_document"),
    path("attestations/<int:pk>.pdf", views.certificate, name="certificate"),
    path("campagnes/<int:pk>/", views.campaign, name="campaign"),
    path("campagnes/<int:pk>/candidater/<slug:slug>/", views.apply, name="apply"),
    path("campagnes/<int:pk>/commissions/", views.new_session, name="new_session"),
    path("dossiers/<int:pk>/", views.file_detail, name="file"),
    path("dossiers/<int:pk>/experts/", views.assign_experts, name="assign_experts"),
    path("dossiers/<int:pk>/visite/", views.schedule_visit, name="schedule_visit"),
    path("dossiers/<int:pk>/avis/", views.give_opinion, name="give_opinion"),
    path("commissions/<int:pk>/", views.session, name="session"),
    path("commissions/<int:pk>/dossiers/<int:file_pk>/", views.deliberate, name="deliberate"),
    path("evaluations-usage/<int:pk>/", views.use_phase, name="use_phase"),
]
