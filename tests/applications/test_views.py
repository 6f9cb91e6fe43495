"""Pages: who sees what (404 / 403), autosave, co-applicants, messages, exports, letters, and
bounded SQL queries."""

import csv
import io

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from ecoquartier.applications import letters, services
from ecoquartier.applications.models import Application, CoApplicant, Export, State
from ecoquartier.core import workflows
from tests.applications.factories import INTENTION_ANSWERS, review_for, submitted_application
from tests.organisations.factories import OrganisationFactory


def url(name, *args):
    return reverse(f"applications:{name}", args=args)


def test_an_outsider_gets_404_on_an_application(client, world):
    application = submitted_application(world)
    client.force_login(world.outsider)
    assert client.get(url("detail", application.pk)).status_code == 404


def test_an_outsider_gets_403_on_the_dashboard(client, world):
    client.force_login(world.outsider)
    assert client.get(url("dashboard", world.call.slug)).status_code == 403
    assert client.get(url("deliberation", world.call.slug)).status_code == 403


def test_anonymous_visitors_are_sent_to_login(client, world):
    response = client.get(url("dashboard", world.call.slug))
    assert response.status_code == 302 and "connexion" in response.url


def test_the_applicant_starts_and_autosaves(client, world):
    client.force_login(world.holder)
    response = client.post(
        url("start", world.call.slug),
        {"organisation": world.commune.pk, "project": world.project.pk, "title": ""},
    )
    application = Application.objects.get()
    assert response.url == url("edit", application.pk)
    assert application.title == world.project.name
    response = client.post(url("autosave", application.pk), {"summary": "Brouillon"})
    assert "enregistré automatiquement" in response.content.decode()
    assert services.answers_for(application).data["summary"] == "Brouillon"
    page = client.get(url("edit", application.pk)).content.decode()
    assert "Motivations et attentes" in page and "réponses obligatoires manquent" in page


def test_submit_from_the_form_lists_what_is_missing(client, world):
    client.force_login(world.holder)
    application = services.start_application(world.holder, world.call, world.commune)
    response = client.post(
        url("edit", application.pk), {"summary": "x", "submit": "1"}, follow=True
    )
    assert "Réponses obligatoires manquantes" in response.content.decode()
    response = client.post(url("edit", application.pk), {**INTENTION_ANSWERS, "submit": "1"})
    application.refresh_from_db()
    assert application.state == State.SUBMITTED


def test_conflicting_action_from_a_stale_page_shows_a_clear_message(client, world):
    application = submitted_application(world)
    version = application.version
    workflows.fire(application, "start_review", world.manager)
    client.force_login(world.referent)
    response = client.post(
        url("act", application.pk),
        {
            "action": "dismiss",
            "dismiss-action": "dismiss",
            "dismiss-version": version,
            "dismiss-reason": "x",
        },
        follow=True,
    )
    assert "a changé entre-temps" in response.content.decode()


def test_a_co_applicant_is_invited_by_email_and_accepts(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    application = submitted_application(world)
    client.force_login(world.holder)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("invite", application.pk), {"email": world.referent.email, "role": "edit"})
    (mail,) = mailoutbox
    link = next(line for line in mail.body.splitlines() if "/invitation/" in line).split()[-1]
    client.force_login(world.referent)
    response = client.get(link.split("127.0.0.1:8000")[-1].split("testserver")[-1])
    assert response.status_code == 302
    co = CoApplicant.objects.get()
    assert co.user == world.referent and co.organisation == world.ddt


def test_a_forged_invitation_is_refused(client, world):
    client.force_login(world.referent)
    response = client.get(url("accept", "faux-jeton"), follow=True)
    assert "pas valide" in response.content.decode()


def test_messages_are_emailed_with_their_attachment(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    application = submitted_application(world)
    client.force_login(world.referent)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url("message", application.pk),
            {"body": "Pouvez-vous préciser ?", "attachment": SimpleUploadedFile("note.txt", b"ok")},
        )
    recipients = sorted(m.to[0] for m in mailoutbox)
    assert world.holder.email in recipients and world.referent.email not in recipients
    assert mailoutbox[0].attachments[0][0] == "note.txt"


def many_applications(world, count):
    for _i in range(count):
        submitted_application(world)


def queries(client, path):
    # From an empty cache (the territory filter's choices are cached): the worst case.
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, response.status_code
    return len(ctx)


@pytest.mark.parametrize("page", ["dashboard", "ranking", "deliberation"])
def test_manager_pages_are_bounded_in_queries(client, world, page):
    client.force_login(world.manager)
    many_applications(world, 2)
    Application.objects.update(state=State.UNDER_REVIEW)
    few = queries(client, url(page, world.call.slug))
    many_applications(world, 8)
    Application.objects.update(state=State.UNDER_REVIEW)
    assert queries(client, url(page, world.call.slug)) == few


def test_detail_page_is_bounded_in_queries(client, world):
    application = submitted_application(world)
    client.force_login(world.manager)
    services.post_message(world.manager, application, "Premier message")
    review_for(application, world.reviewers[0])
    few = queries(client, url("detail", application.pk))
    for i in range(5):
        services.post_message(world.manager, application, f"Message {i}")
    review_for(application, world.reviewers[1])
    assert queries(client, url("detail", application.pk)) == few


def test_the_referent_sees_only_applications_of_its_territory(client, world, geo):
    mine = submitted_application(world)
    brest = OrganisationFactory(territory=geo.brest)
    other = services.start_application(world.holder, world.call, world.commune)
    Application.objects.filter(pk=other.pk).update(
        organisation=brest, territory=geo.brest, state=State.SUBMITTED
    )
    client.force_login(world.referent)
    page = client.get(url("dashboard", world.call.slug)).content.decode()
    assert mine.title in page
    assert client.get(url("detail", other.pk)).status_code == 404


def test_csv_export_honours_filters(client, world):
    submitted_application(world)
    dismissed = submitted_application(world, State.DISMISSED)
    client.force_login(world.manager)
    response = client.get(
        url("export", world.call.slug, "applications", "csv") + "?state=dismissed"
    )
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    assert rows[0][:2] == ["Numéro", "Intitulé"] and "Présentation du projet" in rows[0]
    assert [r[0] for r in rows[1:]] == [str(dismissed.pk)]


def test_xlsx_export_of_reviews(client, world):
    application = submitted_application(world)
    review_for(application, world.reviewers[0])
    client.force_login(world.manager)
    response = client.get(url("export", world.call.slug, "reviews", "xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][0] == "Candidature" and rows[1][0] == application.pk


def test_background_export_reports_progress_and_offers_the_file(
    client, world, django_capture_on_commit_callbacks
):
    submitted_application(world)
    client.force_login(world.manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("export_start", world.call.slug), {"content": "applications", "format": "xlsx"}
        )
    job = Export.objects.get()
    assert response.url == url("export_status", job.pk)
    assert job.status == Export.Status.READY and job.rows == 1
    page = client.get(url("export_status", job.pk)).content.decode()
    assert "Télécharger" in page
    assert client.get(url("export_download", job.pk)).status_code == 200
    client.force_login(world.outsider)
    assert client.get(url("export_status", job.pk)).status_code == 404


def test_decided_applicant_downloads_the_letter_and_laureates_are_public(client, world):
    from pypdf import PdfReader

    application = submitted_application(world, State.UNDER_REVIEW)
    application = workflows.fire(application, "select", world.manager, comment="Projet exemplaire")
    signed = {"signatory_name": "C. Durand", "signatory_role": "Directrice", "next_steps": ""}
    letter = letters.prepare(world.manager, application, **signed)
    letters.send(world.manager, application, version=letter.version)
    client.force_login(world.holder)
    response = client.get(url("letter", application.pk))
    content = b"".join(response.streaming_content)
    text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert "Retenue" in text and "Projet exemplaire" in text
    client.logout()
    page = client.get(url("laureates", world.call.slug)).content.decode()
    assert "Commune de Reillanne" in page


def test_form_builder_adds_and_reorders_fields_with_htmx(client, world):
    client.force_login(world.manager)
    published = services.current_form(world.intention)
    response = client.post(url("form_edit", published.pk), {"op": "new_version"})
    draft_pk = int(response.url.rstrip("/").split("/")[-1])
    section = published.sections.first()
    draft_section = (
        services.with_fields(type(published).objects.filter(pk=draft_pk)).get().sections.first()
    )
    response = client.post(
        url("form_edit", draft_pk),
        {
            "op": "add_field", "field-section": draft_section.pk, "field-label": "Budget",
            "field-key": "budget", "field-kind": "integer", "field-required": "on",
        },
    )  # fmt: skip
    assert response.status_code == 302
    field = draft_section.fields.get(key="budget")
    response = client.post(url("field_op", draft_pk, field.pk, "up"), HTTP_HX_REQUEST="true")
    assert 'id="fields"' in response.content.decode()
    assert section.fields.filter(key="budget").count() == 0


def test_reviewer_declares_then_scores_through_the_pages(client, world):
    application = submitted_application(world, State.UNDER_REVIEW)
    review = review_for(application, world.reviewers[0])
    client.force_login(world.reviewers[0])
    assert "conflit" in client.get(url("review", review.pk)).content.decode()
    client.post(url("review", review.pk), {"has_conflict": "no"})
    criteria = list(world.call.criteria.all())
    data = {f"score_{c.pk}": "4" for c in criteria}
    client.post(url("review", review.pk), {**data, "recommendation": "yes", "submit": "1"})
    review.refresh_from_db()
    assert review.is_submitted and review.total is not None
    client.force_login(world.reviewers[1])
    assert client.get(url("review", review.pk)).status_code == 404


def test_the_project_page_lists_its_applications(client, world):
    application = submitted_application(world)
    client.force_login(world.holder)
    page = client.get(url("project", world.project.slug)).content.decode()
    assert application.title in page
    client.force_login(world.outsider)
    world.project.is_public = False
    world.project.save()
    assert client.get(url("project", world.project.slug)).status_code == 404


def test_the_call_page_lists_the_laureates_once_selected(client, world):
    call_url = reverse("calls:detail", kwargs={"slug": world.call.slug})
    application = submitted_application(world, State.UNDER_REVIEW)
    assert "Lauréats" not in client.get(call_url).content.decode()
    workflows.fire(application, "select", world.manager, comment="Bien")
    html = client.get(call_url).content.decode()
    assert "Lauréats" in html and "Commune de Reillanne" in html


def test_bulk_actions_assign_reviewers_and_request_completion(client, world, mailoutbox):
    from ecoquartier.organisations.models import Membership
    from tests.organisations.factories import MembershipFactory

    first = submitted_application(world)
    second = submitted_application(world, State.UNDER_REVIEW)
    reviewer = world.reviewers[0]
    MembershipFactory(
        user=reviewer, organisation=world.call.programme.owner, role=Membership.Role.REVIEWER
    )
    client.force_login(world.manager)
    page = client.get(url("dashboard", world.call.slug)).content.decode()
    assert reviewer.email in page
    ids = [first.pk, second.pk]
    client.post(
        url("bulk", world.call.slug),
        {"applications": ids, "action": "assign", "reviewers": [reviewer.pk]},
    )
    assert reviewer.reviews.count() == 2
    client.post(
        url("bulk", world.call.slug),
        {"applications": ids, "action": "request_completion", "reason": "Le plan, svp."},
    )
    states = set(Application.objects.values_list("state", flat=True))
    assert states == {State.COMPLETION_REQUESTED}


def test_bulk_actions_ignore_applications_outside_the_referents_territory(client, world, geo):
    other = submitted_application(world)
    Application.objects.filter(pk=other.pk).update(territory=geo.brest)
    client.force_login(world.referent)
    client.post(
        url("bulk", world.call.slug),
        {"applications": [other.pk], "action": "request_completion", "reason": "x"},
    )
    other.refresh_from_db()
    assert other.state == State.SUBMITTED


def test_the_grid_editor_saves_weights_and_scale(client, world):
    client.force_login(world.manager)
    criteria = list(world.call.criteria.all())
    data = {
        "criteria-TOTAL_FORMS": len(criteria) + 1,
        "criteria-INITIAL_FORMS": len(criteria),
        "criteria-MIN_NUM_FORMS": 0,
        "criteria-MAX_NUM_FORMS": 1000,
        f"criteria-{len(criteria)}-weight": 1,  # the empty extra form, as the browser sends it
    }
    for i, criterion in enumerate(criteria):
        data |= {
            f"criteria-{i}-id": criterion.pk,
            f"criteria-{i}-label": criterion.label,
            f"criteria-{i}-weight": 2,
            f"criteria-{i}-scale": "\n".join(
                ["Nul", "Faible", "Moyen", "Bien", "Très bien", "Parfait"]
            ),
        }
    response = client.post(url("grid", world.call.slug), data)
    assert response.status_code == 302, response.context["formset"].errors
    assert {c.weight for c in world.call.criteria.all()} == {2}
    assert world.call.criteria.first().descriptors[5] == "Parfait"


@pytest.mark.parametrize(
    "who,page", [("holder", "mine"), ("holder", "edit"), ("reviewer", "review")]
)
def test_applicant_and_reviewer_pages_are_bounded_in_queries(client, world, who, page):
    application = services.start_application(world.holder, world.call, world.commune)
    review = review_for(application, world.reviewers[0])
    services.declare_conflict(world.reviewers[0], review, False)
    user = world.holder if who == "holder" else world.reviewers[0]
    path = {
        "mine": url("mine"),
        "edit": url("edit", application.pk),
        "review": url("review", review.pk),
    }[page]
    client.force_login(user)
    few = queries(client, path)
    services.save_answers(world.holder, application, INTENTION_ANSWERS)
    for _i in range(3):
        other = services.start_application(world.holder, world.call, world.commune)
        review_for(other, world.reviewers[0])
    assert queries(client, path) == few


def test_applicants_do_not_see_who_reviews_their_file(client, world):
    application = submitted_application(world, State.UNDER_REVIEW)
    services.assign_reviewers(world.manager, [application], [world.reviewers[0]])
    reviewer_name = str(world.reviewers[0])
    client.force_login(world.manager)
    assert reviewer_name in client.get(url("detail", application.pk)).content.decode()
    client.force_login(world.holder)
    assert reviewer_name not in client.get(url("detail", application.pk)).content.decode()


@pytest.mark.parametrize("territory", ["²", "٣", str(10**26), "1e309", "-1"])
def test_a_malformed_territory_filter_is_ignored_on_instruction_and_exports(
    client, world, territory
):
    submitted_application(world)
    client.force_login(world.manager)
    for name, args in [
        ("dashboard", [world.call.slug]),
        ("export", [world.call.slug, "applications", "csv"]),
        ("export", [world.call.slug, "reviews", "xlsx"]),
    ]:
        response = client.get(url(name, *args), {"territory": territory})
        assert response.status_code == 200, (name, territory)


def test_bulk_actions_ignore_malformed_application_ids(client, world):
    application = submitted_application(world)
    client.force_login(world.manager)
    response = client.post(
        url("bulk", world.call.slug),
        {
            "applications": ["²", str(10**26), str(application.pk)],
            "action": "request_completion",
            "reason": "Le plan de financement.",
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == State.COMPLETION_REQUESTED


INVITE = "Inviter à déposer le dossier complet"


def test_the_full_file_invitation_is_offered_on_a_two_step_call(client, world):
    application = submitted_application(world)
    client.force_login(world.manager)
    page = client.get(url("detail", application.pk)).content.decode()
    assert INVITE in page and 'value="invite_full_file"' in page


def test_the_full_file_invitation_is_not_offered_on_a_one_step_call(client, geo):
    """It used to be offered there, then refused once clicked (issue 12)."""
    from django.utils import timezone

    from tests.applications.factories import build_world

    world = build_world(geo, two_step=False)
    application = services.start_application(world.holder, world.call, world.commune, world.project)
    Application.objects.filter(pk=application.pk).update(
        state=State.SUBMITTED, submitted_at=timezone.now()
    )
    client.force_login(world.manager)
    page = client.get(url("detail", application.pk)).content.decode()
    assert "Passer en instruction" in page
    assert INVITE not in page and 'value="invite_full_file"' not in page
