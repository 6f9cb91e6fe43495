"""The acknowledgement of receipt (issue 13): what it says, who receives and downloads it."""

import io
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from pypdf import PdfReader

from ecoquartier.applications import receipts, services
from ecoquartier.applications.models import AnswerFile, Application
from ecoquartier.core import workflows
from tests.applications.factories import INTENTION_ANSWERS, review_for, submitted_application

pytestmark = pytest.mark.django_db


def _text(content):
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _submitted_at(application, when):
    Application.objects.filter(pk=application.pk).update(submitted_at=when)
    application.refresh_from_db()
    return application


def test_the_receipt_names_call_applicant_project_reference_and_paris_time(world):
    application = submitted_application(world)
    # 1 July at 21:45 UTC is 23:45 in Paris (summer time).
    application = _submitted_at(application, datetime(2026, 7, 1, 21, 45, tzinfo=UTC))
    text = " ".join(_text(receipts.render(application)).split())
    assert "Accusé de réception" in text
    assert world.call.title in text and "Commune de Reillanne" in text
    assert "Écoquartier des Aires" in text
    assert application.reference in text
    assert "1er juillet 2026 à 23:45 (heure de Paris)" in text
    assert str(world.holder) in text  # who submitted
    assert "Prochaines étapes" in text and str(world.full_file) in text


def test_the_receipt_lists_the_files_received_with_the_submission_only(world):
    application = services.start_application(world.holder, world.call, world.commune, world.project)
    services.save_answers(world.holder, application, INTENTION_ANSWERS)
    answers = services.answers_for(application)
    AnswerFile.objects.create(
        answers=answers, key="annexe", name="plan-guide.pdf", file=ContentFile(b"%PDF", "a.pdf")
    )
    application = workflows.fire(application, "submit", world.holder)
    late = AnswerFile.objects.create(
        answers=answers, key="tardive", name="apres-coup.pdf", file=ContentFile(b"%PDF", "b.pdf")
    )
    AnswerFile.objects.filter(pk=late.pk).update(
        uploaded_at=application.submitted_at + timedelta(hours=1)
    )
    assert [name for _, name in receipts.documents(application)] == ["plan-guide.pdf"]
    text = _text(receipts.render(application))
    assert "plan-guide.pdf" in text and "apres-coup.pdf" not in text


def test_the_receipt_says_the_same_whenever_it_is_downloaded(world):
    application = submitted_application(world)
    assert _text(receipts.render(application)) == _text(receipts.render(application))


def test_the_submission_email_carries_the_receipt_to_every_applicant_and_the_submitter(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    application = services.start_application(world.holder, world.call, world.commune, world.project)
    services.save_answers(world.holder, application, INTENTION_ANSWERS)
    with django_capture_on_commit_callbacks(execute=True):
        workflows.fire(application, "submit", world.holder)
    to_holder = [m for m in mailoutbox if m.to == [world.holder.email]]
    (mail,) = to_holder
    assert "Accusé de réception" in mail.subject
    ((name, content, mimetype),) = mail.attachments
    assert name.startswith("accuse-de-reception-") and mimetype == "application/pdf"
    assert "Accusé de réception" in _text(content)
    instructors = [m for m in mailoutbox if m.to == [world.manager.email]]
    assert instructors and all(not m.attachments for m in instructors)


def test_applicants_and_instructors_download_the_receipt_others_get_404(client, world):
    application = submitted_application(world)
    reviewer = world.reviewers[0]
    review_for(application, reviewer)
    url = reverse("applications:receipt", args=[application.pk])
    for user, status in [
        (world.holder, 200),
        (world.manager, 200),
        (world.referent, 200),
        (reviewer, 404),
        (world.outsider, 404),
    ]:
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == status, user
    client.force_login(world.holder)
    assert client.get(url)["Content-Type"] == "application/pdf"
    page = client.get(application.get_absolute_url()).content.decode()
    assert url in page and "Télécharger l’accusé de réception" in page


def test_a_draft_has_no_receipt(client, world):
    application = services.start_application(world.holder, world.call, world.commune, world.project)
    client.force_login(world.holder)
    assert client.get(reverse("applications:receipt", args=[application.pk])).status_code == 404
