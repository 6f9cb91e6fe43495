from django.urls import path

from ecoquartier.applications.views import (
    applicant,
    builder,
    documents,
    instruction,
    jury,
    opinions,
    review,
)

app_name = "applications"
urlpatterns = [
    path("", applicant.mine, name="mine"),
    path("instruction/", instruction.instructing, name="instructing"),
    path("projet/<slug:slug>/", applicant.for_project, name="project"),
    path("appel/<slug:slug>/candidater/", applicant.start, name="start"),
    path("<int:pk>/", applicant.detail, name="detail"),
    path("<int:pk>/formulaire/", applicant.edit, name="edit"),
    path("<int:pk>/enregistrement-auto/", applicant.autosave, name="autosave"),
    path("<int:pk>/action/", applicant.act, name="act"),
    path("<int:pk>/co-candidats/", applicant.invite, name="invite"),
    path("<int:pk>/projet/", applicant.attach_project, name="attach_project"),
    path("<int:pk>/messages/", applicant.message, name="message"),
    path("<int:pk>/entretien/", instruction.interview, name="interview"),
    path("<int:pk>/fichiers/<int:file_pk>/", applicant.answer_file, name="file"),
    path(
        "<int:pk>/messages/<int:message_pk>/piece-jointe/", applicant.attachment, name="attachment"
    ),
    path("<int:pk>/courrier.pdf", documents.letter, name="letter"),
    path("<int:pk>/accuse-de-reception.pdf", documents.receipt, name="receipt"),
    path("<int:pk>/courrier/", documents.letter_prepare, name="letter_prepare"),
    path("<int:pk>/courrier/apercu.pdf", documents.letter_preview, name="letter_preview"),
    path("<int:pk>/courrier/envoyer/", documents.letter_send, name="letter_send"),
    path("invitation/<str:token>/", applicant.accept, name="accept"),
    path("appel/<slug:slug>/laureats/", jury.laureates_page, name="laureates"),
    # Programme managers and State referents
    path("appel/<slug:slug>/instruction/", instruction.dashboard, name="dashboard"),
    path("appel/<slug:slug>/instruction/lot/", instruction.bulk, name="bulk"),
    path("appel/<slug:slug>/export/<str:content>.<str:fmt>", instruction.export, name="export"),
    path("appel/<slug:slug>/exports/", instruction.export_start, name="export_start"),
    path("exports/<int:pk>/", instruction.export_status, name="export_status"),
    path("exports/<int:pk>/relancer/", instruction.export_retry, name="export_retry"),
    path("exports/<int:pk>/telecharger/", instruction.export_download, name="export_download"),
    path("appel/<slug:slug>/formulaires/", builder.forms, name="forms"),
    path("formulaires/<int:pk>/", builder.form_edit, name="form_edit"),
    path("formulaires/<int:pk>/champs/<int:field_pk>/<str:op>/", builder.field_op, name="field_op"),
    path("appel/<slug:slug>/grille/", builder.grid, name="grid"),
    path("evaluations/", review.mine, name="reviews"),
    path("evaluations/<int:pk>/", review.review, name="review"),
    path("appel/<slug:slug>/classement/", jury.ranking, name="ranking"),
    # Opinions ("avis") and private annotations
    path("avis/", opinions.mine, name="opinions"),
    path("avis/invitation/<str:token>/", opinions.accept, name="opinion_accept"),
    path("<int:pk>/avis/demander/", opinions.ask, name="opinion_ask"),
    path("<int:pk>/avis/<int:opinion_pk>/repondre/", opinions.answer, name="opinion_answer"),
    path(
        "<int:pk>/avis/<int:opinion_pk>/fichiers/<int:file_pk>/",
        opinions.opinion_file,
        name="opinion_file",
    ),
    path("<int:pk>/annotations/", opinions.annotate, name="annotate"),
    path("programme/<slug:slug>/experts/", opinions.usual_experts, name="usual_experts"),
    path(
        "programme/<slug:slug>/experts/<int:expert_pk>/retirer/",
        opinions.usual_expert_remove,
        name="usual_expert_remove",
    ),
    path("appel/<slug:slug>/deliberation/", jury.deliberation, name="deliberation"),
]
