"""Decision letters (issue 13): prepared, previewed, signed and sent by the jury; applicants
receive them only once sent."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from pypdf import PdfReader

from ecoquartier.applications import letters
from ecoquartier.applications.models import DecisionLetter, State
from ecoquartier.core import workflows
from ecoquartier.core.models import ActivityEvent
from tests.applications.factories import submitted_application

pytestmark = pytest.mark.django_db

SIGNED = {
    "signatory_name": "Camille Durand",
    "signatory_role": "Directrice de l’aménagement durable",
    "next_steps": "Prenez contact avec la DDT pour la convention.",
}


def _text(content):
    return " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split()
    )


@pytest.fixture
def decided(world):
    application = submitted_application(world, State.UNDER_REVIEW)
    return workflows.fire(application, "select", world.manager, comment="Projet exemplaire")


def _url(name, application):
    return reverse(f"applications:{name}", args=[application.pk])


def test_a_decision_alone_tells_the_applicants_nothing_and_gives_no_letter(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    application = submitted_application(world, State.UNDER_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        workflows.fire(application, "select", world.manager, comment="Projet exemplaire")
    assert not [m for m in mailoutbox if world.holder.email in m.to]
    client.force_login(world.holder)
    assert client.get(_url("letter", application)).status_code == 404
    page = client.get(application.get_absolute_url()).content.decode()
    assert "Le courrier de décision n’a pas encore été envoyé." in page


def test_the_jury_prepares_the_letter_with_its_signatory_and_next_steps(world, decided):
    letter = letters.prepare(world.manager, decided, **SIGNED)
    assert (letter.decision, letter.version, letter.is_sent) == (State.SELECTED, 1, False)
    event = ActivityEvent.objects.get(verb="application.letter_prepared")
    assert event.actor == world.manager
    letter = letters.prepare(world.manager, decided, **{**SIGNED, "next_steps": "Autre texte."})
    assert (letter.version, letter.next_steps) == (2, "Autre texte.")
    assert DecisionLetter.objects.count() == 1


def test_only_the_jury_prepares_and_sends_letters(world, decided):
    for user in (world.referent, world.holder, world.outsider):
        with pytest.raises(PermissionDenied):
            letters.prepare(user, decided, **SIGNED)
        with pytest.raises(PermissionDenied):
            letters.send(user, decided, version=1)
    assert not DecisionLetter.objects.exists()


def test_a_letter_needs_a_signatory_and_its_role(world, decided):
    with pytest.raises(ValidationError, match="signataire"):
        letters.prepare(world.manager, decided, **{**SIGNED, "signatory_role": "  "})


def test_the_preview_is_marked_and_says_what_the_letter_will_say(world, decided):
    letter = letters.prepare(world.manager, decided, **SIGNED)
    text = _text(letters.render(decided, letter, preview=True))
    assert "APERÇU" in text
    assert "Camille Durand" in text and "Directrice de l’aménagement durable" in text
    assert "Prenez contact avec la DDT" in text and "Projet exemplaire" in text
    assert "Retenue" in text and decided.reference in text


def test_sending_signs_stores_and_emails_the_letter_to_the_applicants(
    client, world, decided, mailoutbox, django_capture_on_commit_callbacks
):
    letter = letters.prepare(world.manager, decided, **SIGNED)
    with django_capture_on_commit_callbacks(execute=True):
        letter = letters.send(world.manager, decided, version=letter.version)
    assert letter.is_sent and letter.sent_by == world.manager
    (mail,) = [m for m in mailoutbox if m.to == [world.holder.email]]
    ((name, content, mimetype),) = mail.attachments
    assert mimetype == "application/pdf"
    text = _text(content)
    assert "Camille Durand" in text and "APERÇU" not in text
    assert ActivityEvent.objects.filter(verb="application.letter_sent", actor=world.manager)
    client.force_login(world.holder)
    response = client.get(_url("letter", decided))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content  # the letter as it was sent


def test_a_letter_changed_since_its_preview_is_not_sent(world, decided):
    letter = letters.prepare(world.manager, decided, **SIGNED)
    letters.prepare(world.manager, decided, **{**SIGNED, "next_steps": "Changé."})
    with pytest.raises(ValidationError, match="aperçu"):
        letters.send(world.manager, decided, version=letter.version)
    assert not DecisionLetter.objects.get().is_sent


def test_a_sent_letter_is_neither_sent_again_nor_changed(world, decided):
    letter = letters.prepare(world.manager, decided, **SIGNED)
    letters.send(world.manager, decided, version=letter.version)
    with pytest.raises(ValidationError, match="déjà été envoyé"):
        letters.send(world.manager, decided, version=letter.version)
    with pytest.raises(ValidationError, match="déjà été envoyé"):
        letters.prepare(world.manager, decided, **SIGNED)
    assert ActivityEvent.objects.filter(verb="application.letter_sent").count() == 1


def test_a_later_decision_has_its_own_letter(world):
    application = submitted_application(world, State.UNDER_REVIEW)
    application = workflows.fire(application, "wait_list", world.manager, comment="En attente")
    first = letters.prepare(world.manager, application, **SIGNED)
    letters.send(world.manager, application, version=first.version)
    application = workflows.fire(application, "select", world.manager, comment="Place libérée")
    assert letters.current(application) is None
    second = letters.prepare(world.manager, application, **SIGNED)
    assert second.decision == State.SELECTED and second.pk != first.pk


def test_an_undecided_application_has_no_letter_to_prepare(world):
    application = submitted_application(world, State.UNDER_REVIEW)
    with pytest.raises(ValidationError):
        letters.prepare(world.manager, application, **SIGNED)


# --- Pages ---------------------------------------------------------------------------------------


def test_the_letter_page_is_the_jury_s(client, world, decided):
    for user, status in [(world.manager, 200), (world.referent, 403), (world.outsider, 404)]:
        client.force_login(user)
        assert client.get(_url("letter_prepare", decided)).status_code == status


def test_the_letter_page_prefills_the_signatory_and_shows_french_errors(client, world, decided):
    client.force_login(world.manager)
    page = client.get(_url("letter_prepare", decided)).content.decode()
    assert str(world.manager.get_full_name()) in page and "Suites à donner" in page
    response = client.post(_url("letter_prepare", decided), {"signatory_name": "X"})
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in response.content.decode()
    assert not DecisionLetter.objects.exists()


def test_preview_then_send_through_the_pages(client, world, decided, django_assert_max_num_queries):
    client.force_login(world.manager)
    response = client.post(_url("letter_prepare", decided), SIGNED)
    assert response.status_code == 302
    with django_assert_max_num_queries(20):
        page = client.get(_url("letter_prepare", decided)).content.decode()
    assert "Camille Durand" in page and "Signer et envoyer le courrier" in page
    preview = client.get(_url("letter_preview", decided))
    assert preview["Content-Type"] == "application/pdf" and "APERÇU" in _text(preview.content)
    letter = DecisionLetter.objects.get()
    response = client.post(_url("letter_send", decided), {"version": letter.version})
    assert response.url == decided.get_absolute_url()
    assert DecisionLetter.objects.get().is_sent
    client.force_login(world.holder)
    page = client.get(decided.get_absolute_url()).content.decode()
    assert "Télécharger le courrier de décision" in page


def test_sending_without_a_valid_version_changes_nothing(client, world, decided):
    letters.prepare(world.manager, decided, **SIGNED)
    client.force_login(world.manager)
    response = client.post(_url("letter_send", decided), {"version": "abc"})
    assert response.status_code == 302
    assert not DecisionLetter.objects.get().is_sent


# --- The jury's inbox and the deliberation page -------------------------------------------------


def test_the_jury_s_inbox_counts_letters_to_sign_until_sent(
    world, decided, django_assert_num_queries
):
    with django_assert_num_queries(1):  # one grouped count, whatever the number of calls
        (task,) = letters.inbox(world.manager)
    assert task.count == 1 and world.call.title in task.label
    assert task.url == reverse("applications:deliberation", args=[world.call.slug])
    assert letters.inbox(world.referent) == []
    letter = letters.prepare(world.manager, decided, **SIGNED)
    letters.send(world.manager, decided, version=letter.version)
    assert letters.inbox(world.manager) == []


def test_the_deliberation_page_links_each_unsent_letter(client, world, decided):
    client.force_login(world.manager)
    url = reverse("applications:deliberation", args=[world.call.slug])
    page = client.get(url).content.decode()
    assert _url("letter_prepare", decided) in page
    letter = letters.prepare(world.manager, decided, **SIGNED)
    letters.send(world.manager, decided, version=letter.version)
    page = client.get(url).content.decode()
    assert _url("letter_prepare", decided) not in page and "Courrier envoyé" in page
