from django.urls import path

from ecoquartier.labels.views import campaigns, charters, commissions, files, public, use_phase

app_name = "labels"
urlpatterns = [
    path("", public.index, name="index"),
    path("chiffres-cles/", public.key_figures, name="key_figures"),
    path("projets/<slug:slug>/", public.project_label, name="project"),
    path("attestations/<int:pk>.pdf", public.certificate, name="certificate"),
    path("projets/<slug:slug>/charte/", charters.sign_charter, name="sign_charter"),
    path("chartes/<int:pk>/", charters.charter, name="charter"),
    path("chartes/<int:pk>/document/", charters.charter_document, name="charter_document"),
    path("campagnes/nouvelle/", campaigns.new_campaign, name="new_campaign"),
    path("campagnes/<int:pk>/", campaigns.campaign, name="campaign"),
    path("campagnes/<int:pk>/candidater/<slug:slug>/", campaigns.apply, name="apply"),
    path("campagnes/<int:pk>/commissions/", campaigns.new_session, name="new_session"),
    path("dossiers/<int:pk>/", files.file_detail, name="file"),
    path("dossiers/<int:pk>/experts/", files.assign_experts, name="assign_experts"),
    path("dossiers/<int:pk>/visite/", files.schedule_visit, name="schedule_visit"),
    path("dossiers/<int:pk>/avis/", files.give_opinion, name="give_opinion"),
    path(
        "dossiers/<int:pk>/indicateurs/commentaires/",
        files.comment_indicator,
        name="comment_indicator",
    ),  # fmt: skip
    path("commissions/<int:pk>/", commissions.session, name="session"),
    path("commissions/<int:pk>/dossiers/<int:file_pk>/", commissions.deliberate, name="deliberate"),
    path("evaluations-usage/<int:pk>/", use_phase.use_phase, name="use_phase"),
]
