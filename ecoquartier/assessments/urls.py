from django.urls import path

from ecoquartier.assessments.views import assessment, project, results

app_name = "assessments"
urlpatterns = [
    # A project's assessments and gaps.
    path("projet/<slug:slug>/", project.project_assessments, name="project"),
    path("projet/<slug:slug>/nouvelle/", project.create, name="create"),
    path("projet/<slug:slug>/comparer/", project.compare_pick, name="compare_pick"),
    path("projet/<slug:slug>/ecarts/", project.gaps, name="gaps"),
    path(
        "projet/<slug:slug>/ecarts/export.<str:fmt>",
        project.gaps_export,
        name="gaps_export",
    ),
    # One assessment: the form and its per-item saves.
    path("<int:pk>/", assessment.detail, name="detail"),
    path("<int:pk>/engagements/<int:answer_pk>/", assessment.save_answer, name="answer"),
    path(
        "<int:pk>/engagements/<int:answer_pk>/pieces/",
        assessment.add_evidence,
        name="evidence_add",
    ),
    path(
        "<int:pk>/engagements/<int:answer_pk>/ecarts/",
        assessment.add_gap,
        name="gap_add",
    ),
    path("<int:pk>/syntheses/<int:synthesis_pk>/", assessment.save_synthesis, name="synthesis"),
    path("<int:pk>/pieces/<int:evidence_pk>/", assessment.download_evidence, name="evidence"),
    path(
        "<int:pk>/pieces/<int:evidence_pk>/retirer/",
        assessment.remove_evidence,
        name="evidence_remove",
    ),
    path("<int:pk>/ecarts/<int:gap_pk>/statut/", assessment.set_gap_status, name="gap_status"),
    path("<int:pk>/transition/<slug:name>/", assessment.transition, name="transition"),
    path("<int:pk>/experts/", assessment.experts, name="experts"),
    # Results, comparison and report.
    path("<int:pk>/resultats/", results.results, name="results"),
    path("<int:pk>/comparer/<int:other_pk>/", results.compare, name="compare"),
    path("<int:pk>/rapport/", results.report, name="report"),
    path("<int:pk>/rapport/<int:report_pk>/etat/", results.report_status, name="report_status"),
    path("<int:pk>/rapport/<int:report_pk>/relancer/", results.report_retry, name="report_retry"),
    path(
        "<int:pk>/rapport/<int:report_pk>/telecharger/",
        results.report_download,
        name="report_download",
    ),
]
