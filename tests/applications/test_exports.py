"""Export rows (F-34) read as plain values: what each column says, as people read it."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from ecoquartier.applications import exports, services
from ecoquartier.applications.models import Application, Criterion, Review, Score
from ecoquartier.core.activity import timeline
from tests.applications.factories import review_for, submitted_application

pytestmark = pytest.mark.django_db


def test_application_rows_name_states_steps_territories_and_answers(world):
    application = submitted_application(world)
    Application.objects.filter(pk=application.pk).update(eligible=False, bonus=2)
    header, row = list(exports.application_rows(world.call, Application.objects.all()))
    cells = dict(zip(header, row, strict=True))
    assert cells["Numéro"] == application.pk
    assert cells["Organisation"] == "Commune de Reillanne"
    assert cells["Territoire"] == str(world.commune.territory)  # "Reillanne (04160)"
    assert "(" in cells["Territoire"]
    assert cells["État"] == "Déposée"
    assert cells["Étape"] == str(world.intention)
    assert (cells["Éligible"], cells["Bonus"], cells["Note"]) == ("non", 2, None)
    assert cells["Déposée le"] == application.submitted_at
    assert "Un quartier de centre-bourg." in row


def test_review_rows_give_labels_and_one_score_column_per_criterion(world):
    application = submitted_application(world)
    review = review_for(application, world.reviewers[0])
    Review.objects.filter(pk=review.pk).update(
        conflict=Review.Conflict.NONE, recommendation=Review.Recommendation.YES
    )
    ambition, governance = Criterion.objects.filter(call=world.call).order_by("position")
    Score.objects.create(review=review, criterion=governance, value=4)
    review_for(application, world.reviewers[1])  # not started: empty cells
    header, first, second = list(exports.review_rows(world.call, Application.objects.all()))
    cells = dict(zip(header, first, strict=True))
    assert cells["Évaluateur"] == world.reviewers[0].email
    assert cells["Conflit d'intérêts"] == str(Review.Conflict.NONE.label)
    assert cells["Avis"] == str(Review.Recommendation.YES.label)
    assert (cells["Ambition"], cells["Gouvernance"]) == ("", 4)
    assert dict(zip(header, second, strict=True))["Avis"] == ""


FORMULA = '=HYPERLINK("http://x","y")'


def _application_with_a_formula(world):
    application = submitted_application(world)
    answers = services.answers_for(application)
    answers.data = {**answers.data, "summary": FORMULA}
    answers.save()
    Application.objects.filter(pk=application.pk).update(title="@SUM(A1)", bonus=2)
    return application


def test_the_csv_export_neutralises_formulas_and_keeps_numbers(client, world):
    application = _application_with_a_formula(world)
    client.force_login(world.manager)
    url = reverse("applications:export", args=[world.call.slug, "applications", "csv"])
    body = b"".join(client.get(url).streaming_content).decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(body), delimiter=";"))
    cells = dict(zip(header, row, strict=True))
    assert "'" + FORMULA in row and FORMULA not in [c for c in row if not c.startswith("'")]
    assert cells["Intitulé"] == "'@SUM(A1)"
    assert (cells["Numéro"], cells["Bonus"]) == (str(application.pk), "2")


def test_the_xlsx_export_neutralises_formulas_and_keeps_numbers(client, world):
    application = _application_with_a_formula(world)
    client.force_login(world.manager)
    url = reverse("applications:export", args=[world.call.slug, "applications", "xlsx"])
    sheet = load_workbook(io.BytesIO(client.get(url).content)).active
    header, row = list(sheet.iter_rows(values_only=True))
    cells = dict(zip(header, row, strict=True))
    assert "'" + FORMULA in row
    assert all(cell.data_type != "f" for line in sheet.iter_rows() for cell in line)
    assert (cells["Numéro"], cells["Bonus"]) == (application.pk, 2)


def test_the_xlsx_export_types_its_cells_freezes_its_header_and_filters(client, world):
    application = submitted_application(world)
    Application.objects.filter(pk=application.pk).update(score=Decimal("14.25"))
    client.force_login(world.manager)
    url = reverse("applications:export", args=[world.call.slug, "applications", "xlsx"])
    sheet = load_workbook(io.BytesIO(client.get(url).content)).active
    header = [cell.value for cell in sheet[1]]
    cells = {label: sheet.cell(row=2, column=n) for n, label in enumerate(header, start=1)}
    assert (cells["Numéro"].data_type, cells["Note"].data_type) == ("n", "n")
    assert cells["Note"].value == 14.25
    assert cells["Déposée le"].data_type == "d" and cells["Déposée le"].is_date
    paris = timezone.localtime(application.submitted_at).replace(tzinfo=None, microsecond=0)
    assert cells["Déposée le"].value.replace(microsecond=0) == paris
    assert cells["Déposée le"].number_format == "DD/MM/YYYY HH:MM"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(row=1, column=len(header)).column_letter}2"


def test_the_csv_export_writes_dates_in_paris_time(client, world):
    application = submitted_application(world)
    client.force_login(world.manager)
    url = reverse("applications:export", args=[world.call.slug, "applications", "csv"])
    body = b"".join(client.get(url).streaming_content).decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(body), delimiter=";"))
    paris = timezone.localtime(application.submitted_at)
    assert dict(zip(header, row, strict=True))["Déposée le"] == f"{paris:%d/%m/%Y %H:%M}"


def test_batched_exports_keep_the_filter_the_order_and_each_row_s_answers(world, monkeypatch):
    """Batches are ranges of keys of the filtered queryset: an application inside a range but
    outside the filter is not exported, and each row keeps its own answers and reviews."""
    monkeypatch.setattr(exports, "BATCH", 2)
    applications = [submitted_application(world) for _ in range(5)]
    for n, application in enumerate(applications):
        Application.objects.filter(pk=application.pk).update(title=f"Dossier {n}")
        review_for(application, world.reviewers[0])
    skipped = applications[2]
    Application.objects.filter(pk=skipped.pk).update(state="dismissed")
    kept = Application.objects.filter(call=world.call).exclude(state="dismissed")
    header, *rows = list(exports.application_rows(world.call, kept))
    expected = [a.pk for a in applications if a.pk != skipped.pk]
    assert [row[0] for row in rows] == expected
    assert all("Un quartier de centre-bourg." in row for row in rows)
    _header, *reviews = list(exports.review_rows(world.call, kept))
    assert [(row[0], row[1]) for row in reviews] == [
        (pk, f"Dossier {n}") for n, pk in enumerate(a.pk for a in applications) if pk in expected
    ]


def test_a_direct_export_is_logged_on_the_call(world):
    submitted_application(world)
    result = services.export_applications(world.manager, world.call, "applications", "csv", {})
    assert result.name == f"{world.call.slug}-applications" and len(list(result.rows)) == 2
    assert [e.verb for e in timeline(world.call)][:1] == ["application.exported"]


def test_an_export_is_refused_to_who_does_not_instruct_the_call(world):
    with pytest.raises(PermissionDenied):
        services.export_applications(world.outsider, world.call, "applications", "csv", {})


def test_an_export_asked_in_the_background_is_a_job(world, django_capture_on_commit_callbacks):
    job = services.export_applications(
        world.manager, world.call, "reviews", "xlsx", {"state": "submitted"}, background=True
    )
    assert job.filters == {"state": "submitted", "territory": "", "eligible": ""}
    assert timeline(world.call)[0].verb == "application.export_started"
