"""Opinions ("avis") and private annotations (issue 13): instructors ask State referents,
experts, any user or an outside expert by e-mail; they answer with text and files; "avis 1/2"
on the pages; usual experts per programme; annotations for instructors only; both exported."""

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ecoquartier.accounts.models import User
from ecoquartier.applications import exports, opinions, permissions
from ecoquartier.applications.models import Application, Opinion, State
from ecoquartier.core import extensions
from ecoquartier.core.models import ActivityEvent
from ecoquartier.notifications.models import Notification
from ecoquartier.organisations.models import Membership
from tests.accounts.factories import UserFactory
from tests.applications.factories import member, review_for, submitted_application
from tests.organisations.factories import DdtFactory, DrealFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
QUESTION = "Le projet est-il compatible avec le PLUi ?"


def url(name, *args):
    return reverse(f"applications:{name}", args=args)


def token_path(mail):
    link = next(line for line in mail.body.splitlines() if "/avis/invitation/" in line)
    return "/" + link.split("/", 3)[-1].strip()


@pytest.fixture
def application(world):
    return submitted_application(world)


@pytest.fixture
def expert():
    return UserFactory(email="expert.mobilites@cerema.fr")


# --- Asking ---------------------------------------------------------------------------------------


def test_an_instructor_asks_people_and_each_is_told_by_email_and_in_the_app(
    world, application, expert, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        asked = opinions.ask_opinion(
            world.manager, application, QUESTION, [world.referent.email, expert.email.upper()]
        )
    assert [o.expert for o in asked] == [world.referent, expert]
    assert sorted(m.to[0] for m in mailoutbox) == sorted([world.referent.email, expert.email])
    assert QUESTION in mailoutbox[0].body
    assert Notification.objects.filter(recipient=expert).count() == 1
    events = ActivityEvent.objects.filter(verb="application.opinion_requested")
    assert events.count() == 2 and all(e.actor == world.manager for e in events)
    assert permissions.can_view(expert, application)
    assert Application.objects.filter(pk=application.pk).count() == 1


def test_only_instructors_ask_and_a_pending_address_is_not_asked_twice(world, application, expert):
    for who in (world.holder, world.outsider, world.reviewers[0]):
        with pytest.raises(PermissionDenied):
            opinions.ask_opinion(who, application, QUESTION, [expert.email])
    opinions.ask_opinion(world.manager, application, QUESTION, [expert.email])
    with pytest.raises(ValidationError) as refused:
        opinions.ask_opinion(world.manager, application, "Autre ?", [expert.email, "x@y.fr"])
    assert "déjà demandé" in str(refused.value)
    assert Opinion.objects.count() == 1


def test_the_ddt_referents_of_the_project_departement_are_suggested(world, application, geo):
    DdtFactory(territory=geo.finistere, name="DDTM du Finistère")  # another département
    dreal_unit = DrealFactory(territory=geo.alpes_hp, name="Unité départementale 04")
    unit_referent = member(dreal_unit, Membership.Role.STATE_REFERENT)
    member(world.ddt, Membership.Role.MEMBER)  # not a referent
    application.project.communes.add(geo.reillanne)
    suggested = list(opinions.suggested_referents(application))
    assert set(suggested) == {world.referent, unit_referent}
    emails = [email for email, _label in opinions.expert_choices(application)]
    assert world.referent.email in emails
    assert "(suggéré)" in dict(opinions.expert_choices(application))[world.referent.email]


def test_the_programme_usual_experts_are_offered_and_managed_by_managers(
    world, application, expert
):
    programme = world.call.programme
    with pytest.raises(PermissionDenied):
        opinions.add_usual_expert(world.referent, programme, expert.email, "Cerema")
    usual = opinions.add_usual_expert(world.manager, programme, " Expert.Mobilites@Cerema.fr ")
    with pytest.raises(ValidationError):
        opinions.add_usual_expert(world.manager, programme, expert.email)
    assert expert.email in dict(opinions.expert_choices(application))
    opinions.remove_usual_expert(world.manager, usual)
    assert expert.email not in dict(opinions.expert_choices(application))
    assert ActivityEvent.objects.filter(verb__startswith="programme.usual_expert").count() == 2


# --- Answering ------------------------------------------------------------------------------------


def test_the_expert_answers_with_a_file_once_and_the_asker_is_told(
    client, world, application, expert, mailoutbox, django_capture_on_commit_callbacks
):
    (opinion,) = opinions.ask_opinion(world.manager, application, QUESTION, [expert.email])
    client.force_login(expert)
    page = client.get(url("detail", application.pk)).content.decode()
    assert QUESTION in page and "Donner mon avis" in page
    assert "Annotations privées" not in page
    prefix = f"avis{opinion.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("opinion_answer", application.pk, opinion.pk),
            {
                f"{prefix}-answer": "Compatible, sous réserve de la zone humide.",
                f"{prefix}-files": [
                    SimpleUploadedFile("note.pdf", PDF, content_type="application/pdf"),
                    SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf"),
                ],
            },
        )
    assert response.status_code == 302
    opinion.refresh_from_db()
    assert opinion.is_answered and opinion.files.count() == 2
    assert [m.to[0] for m in mailoutbox] == [world.manager.email]
    with pytest.raises(ValidationError):
        opinions.answer_opinion(expert, opinion, "Encore.")
    # The file is served to the expert and to instructors; not to the applicant.
    file = opinion.files.first()
    path = url("opinion_file", application.pk, opinion.pk, file.pk)
    assert client.get(path).status_code == 200
    client.force_login(world.manager)
    assert client.get(path).status_code == 200
    client.force_login(world.holder)
    assert client.get(path).status_code == 404


def test_a_refused_file_is_shown_beside_the_field_in_french(client, world, application, expert):
    (opinion,) = opinions.ask_opinion(world.manager, application, QUESTION, [expert.email])
    client.force_login(expert)
    prefix = f"avis{opinion.pk}"
    response = client.post(
        url("opinion_answer", application.pk, opinion.pk),
        {f"{prefix}-answer": "Avis.", f"{prefix}-files": SimpleUploadedFile("x.exe", b"MZ\x00")},
    )
    assert response.status_code == 400
    assert "type de fichier non accepté" in response.content.decode()
    opinion.refresh_from_db()
    assert not opinion.is_answered


def test_only_the_expert_asked_answers(world, application, expert):
    (opinion,) = opinions.ask_opinion(world.manager, application, QUESTION, [expert.email])
    for who in (world.manager, world.holder, world.outsider):
        with pytest.raises(PermissionDenied):
            opinions.answer_opinion(who, opinion, "Avis.")


# --- Outside experts ------------------------------------------------------------------------------


def test_an_outside_expert_creates_the_account_of_the_address_and_answers(
    client, world, application, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        (opinion,) = opinions.ask_opinion(
            world.manager, application, QUESTION, ["Paysagiste@Exemple.fr"]
        )
    assert opinion.expert is None
    (mail,) = mailoutbox
    path = token_path(mail)
    page = client.get(path)
    assert page.status_code == 200 and "paysagiste@exemple.fr" in page.content.decode()
    response = client.post(
        path,
        {
            "first_name": "Léa",
            "last_name": "Paysage",
            "password1": "un-Mot-de-passe-2026",
            "password2": "un-Mot-de-passe-2026",
        },
    )
    assert response.status_code == 302
    opinion.refresh_from_db()
    assert opinion.expert == User.objects.get(email="paysagiste@exemple.fr")
    assert client.get(url("detail", application.pk)).status_code == 200
    opinions.answer_opinion(opinion.expert, opinion, "Favorable.")


def test_only_the_invited_address_may_accept_an_outside_request(world, application, expert):
    (opinion,) = opinions.ask_opinion(world.manager, application, QUESTION, ["lea@exemple.fr"])
    token = opinions.opinion_token(opinion)
    with pytest.raises(ValidationError) as refused:
        opinions.accept_opinion(world.outsider, token)
    assert "autre adresse électronique" in refused.value.messages[0]
    opinion.refresh_from_db()
    assert opinion.expert is None
    assert not permissions.can_view(world.outsider, application)
    with pytest.raises(ValidationError):
        opinions.accept_opinion(world.outsider, token + "x")
    invited = UserFactory(email="LEA@exemple.fr")
    assert opinions.accept_opinion(invited, token).expert == invited


def test_an_outside_link_sends_an_existing_account_to_sign_in(client, world, application):
    UserFactory(email="lea@exemple.fr")
    (opinion,) = opinions.ask_opinion(world.manager, application, QUESTION, ["lea@exemple.fr"])
    opinion.expert = None
    opinion.save()
    response = client.get(url("opinion_accept", opinions.opinion_token(opinion)))
    assert response.status_code == 302 and "/compte/connexion/" in response["Location"]
    assert User.objects.filter(email__iexact="lea@exemple.fr").count() == 1


# --- Annotations ----------------------------------------------------------------------------------


def test_annotations_are_read_by_instructors_only(client, world, application, expert):
    note = "Le maire a appelé : dossier politiquement sensible."
    with pytest.raises(PermissionDenied):
        opinions.annotate(world.holder, application, note)
    opinions.annotate(world.manager, application, note)
    opinions.ask_opinion(world.manager, application, QUESTION, [expert.email])
    reviewer = world.reviewers[0]
    review_for(application, reviewer)
    for who, sees in (
        (world.manager, True),
        (world.referent, True),  # State referent of the territory: instructs
        (world.holder, False),
        (reviewer, False),
        (expert, False),
    ):
        client.force_login(who)
        page = client.get(url("detail", application.pk)).content.decode()
        assert (note in page) is sees, who
        assert ("Annotation privée ajoutée" in page) is sees
        assert ("Avis demandé à" in page) is sees
    client.force_login(world.holder)
    response = client.post(url("annotate", application.pk), {"body": "Intrusion"})
    assert response.status_code == 403


def test_an_empty_annotation_is_refused_beside_the_field(client, world, application):
    client.force_login(world.manager)
    response = client.post(url("annotate", application.pk), {"body": "  "})
    assert response.status_code == 400
    assert "Écrivez l’annotation." in response.content.decode()


# --- Counts, inbox, export ------------------------------------------------------------------------


def test_avis_one_of_two_on_the_page_and_the_dashboard(client, world, application, expert):
    first, _second = opinions.ask_opinion(
        world.manager, application, QUESTION, [expert.email, world.referent.email]
    )
    opinions.answer_opinion(expert, first, "Favorable.")
    Application.objects.filter(pk=application.pk).update(state=State.UNDER_REVIEW)
    assert opinions.counts([application.pk]) == {application.pk: "avis 1/2"}
    client.force_login(world.manager)
    assert "avis 1/2" in client.get(url("detail", application.pk)).content.decode()
    assert "avis 1/2" in client.get(url("dashboard", world.call.slug)).content.decode()
    client.force_login(world.holder)
    assert "avis 1/2" not in client.get(url("detail", application.pk)).content.decode()


def test_the_inbox_counts_the_opinions_to_give_and_links_to_the_list(
    client, world, application, expert
):
    assert not [t for t in extensions.tasks(expert) if t.label == "Avis demandés"]
    opinions.ask_opinion(world.manager, application, QUESTION, [expert.email])
    expert = User.objects.get(pk=expert.pk)  # no cached count
    (task,) = [t for t in extensions.tasks(expert) if t.label == "Avis demandés"]
    assert (task.count, task.url) == (1, url("opinions"))
    client.force_login(expert)
    dashboard = client.get(reverse("core:dashboard")).content.decode()
    assert f'<a href="{url("opinions")}">Avis demandés</a>' in dashboard
    assert "Mes avis à donner" in dashboard  # the menu link, shown to those asked
    listing = client.get(url("opinions")).content.decode()
    assert application.title in listing and "À donner" in listing
    client.force_login(world.outsider)
    assert "Mes avis à donner" not in client.get(reverse("core:dashboard")).content.decode()


def test_the_export_carries_opinions_and_annotations(world, application, expert):
    first, _second = opinions.ask_opinion(
        world.manager, application, QUESTION, [expert.email, world.referent.email]
    )
    opinions.answer_opinion(expert, first, "Favorable.")
    opinions.annotate(world.manager, application, "À suivre de près.")
    header, row = list(exports.application_rows(world.call, Application.objects.all()))
    cells = dict(zip(header, row, strict=True))
    assert cells["Avis donnés / demandés"] == "1/2"
    assert "Favorable." in cells["Avis"] and "en attente" in cells["Avis"]
    assert QUESTION in cells["Avis"]
    assert "À suivre de près." in cells["Annotations privées"]


def _queries(client, path):
    cache.clear()  # the dashboard's territory filter is cached: count the worst case
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx)


def test_pages_are_bounded_whatever_the_number_of_opinions(client, world, application):
    experts = [UserFactory() for _i in range(12)]
    opinions.ask_opinion(world.manager, application, QUESTION, [experts[0].email])
    opinions.annotate(world.manager, application, "Note 0")
    client.force_login(world.manager)
    detail, dashboard = url("detail", application.pk), url("dashboard", world.call.slug)
    few = (_queries(client, detail), _queries(client, dashboard))
    opinions.ask_opinion(world.manager, application, QUESTION, [e.email for e in experts[1:]])
    for i, expert in enumerate(experts[1:6]):
        opinion = Opinion.objects.get(application=application, expert=expert)
        opinions.answer_opinion(expert, opinion, f"Avis {i}.")
        opinions.annotate(world.manager, application, f"Note {i + 1}")
    for _i in range(3):
        other = submitted_application(world)
        opinions.ask_opinion(world.manager, other, QUESTION, [experts[0].email])
    assert (_queries(client, detail), _queries(client, dashboard)) == few
    client.force_login(experts[0])
    few = _queries(client, url("opinions"))
    other = submitted_application(world)
    opinions.ask_opinion(world.manager, other, QUESTION, [experts[0].email])
    assert _queries(client, url("opinions")) == few


def test_managers_keep_the_usual_experts_list_from_its_page(client, world, application):
    page = url("usual_experts", world.call.programme.slug)
    client.force_login(world.referent)
    assert client.get(page).status_code == 403
    client.force_login(world.manager)
    response = client.post(page, {"email": "pas-une-adresse", "label": "Cerema"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "fr-error-text" in html and "valide" in html  # Django's French message, by the field
    assert client.post(page, {"email": "paysage@cerema.fr", "label": "Paysage"}).status_code == 302
    detail = client.get(url("detail", application.pk)).content.decode()
    assert "paysage@cerema.fr (Paysage)" in detail
    (usual,) = world.call.programme.usual_experts.all()
    remove = url("usual_expert_remove", world.call.programme.slug, usual.pk)
    assert client.post(remove).status_code == 302
    assert not world.call.programme.usual_experts.exists()


def test_an_outside_expert_account_form_says_what_is_wrong_beside_the_field(
    client, world, application
):
    (opinion,) = opinions.ask_opinion(world.manager, application, QUESTION, ["lea@exemple.fr"])
    path = url("opinion_accept", opinions.opinion_token(opinion))
    response = client.post(
        path,
        {"first_name": "Léa", "last_name": "P", "password1": "a-Long-pass-2026",
         "password2": "autre-chose-2026"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "Les deux mots de passe ne sont pas identiques." in response.content.decode()
    assert not User.objects.filter(email="lea@exemple.fr").exists()
