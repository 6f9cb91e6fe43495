"""Who sees and acts on applications: invitations (finding 3) and drafts (finding 7)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ecoquartier.applications import permissions, services
from ecoquartier.applications.models import CoApplicant, Export, Message
from ecoquartier.calls.models import Call
from ecoquartier.core.models import ActivityEvent
from ecoquartier.organisations.models import Membership
from tests.accounts.factories import UserFactory
from tests.applications.factories import member, review_for, submitted_application
from tests.organisations.factories import DrealFactory

pytestmark = pytest.mark.django_db


def _invitation(world, email):
    application = submitted_application(world)
    co = services.invite_co_applicant(world.holder, application, email, CoApplicant.Role.EDIT)
    return application, co, services.invitation_token(co)


def test_an_invitation_is_accepted_by_the_invited_address_whatever_its_case(world):
    invited = UserFactory(email="claire.martin@ddt.gouv.fr")
    application, co, token = _invitation(world, "Claire.Martin@DDT.gouv.fr")
    services.accept_invitation(invited, token)
    co.refresh_from_db()
    assert co.user == invited and co.accepted_at is not None
    assert permissions.can_edit(invited, application)


def test_an_invitation_link_in_other_hands_is_refused_and_changes_nothing(world):
    """Finding 3: any account holding the link became an editing co-applicant."""
    application, co, token = _invitation(world, "claire.martin@ddt.gouv.fr")
    with pytest.raises(ValidationError) as refused:
        services.accept_invitation(world.outsider, token)
    assert "adressée à une autre adresse électronique" in refused.value.messages[0]
    assert "claire.martin" not in refused.value.messages[0]
    co.refresh_from_db()
    assert (co.user, co.accepted_at, co.organisation) == (None, None, None)
    assert not permissions.can_view(world.outsider, application)
    assert not ActivityEvent.objects.filter(verb="application.co_applicant_joined").exists()


def test_following_someone_elses_invitation_link_says_why_and_shows_nothing(client, world):
    application, co, token = _invitation(world, "claire.martin@ddt.gouv.fr")
    client.force_login(world.outsider)
    response = client.get(reverse("applications:accept", args=[token]), follow=True)
    assert "connectez-vous avec le compte de cette adresse" in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("applications:mine")
    co.refresh_from_db()
    assert co.user is None
    assert client.get(application.get_absolute_url()).status_code == 404


# --- Drafts (finding 7) ---------------------------------------------------------------------


DRAFT_NOTE = "Brouillon confidentiel de la commune"


def _draft(world):
    application = services.start_application(
        world.holder, world.call, world.commune, world.project, title=DRAFT_NOTE
    )
    services.post_message(world.holder, application, "Une question avant de déposer.")
    return application


def test_a_draft_never_submitted_is_seen_only_by_its_applicants(world):
    application = _draft(world)
    reviewer = review_for(application, world.reviewers[0]).reviewer
    assert permissions.can_view(world.holder, application)
    for user in (world.manager, world.referent, reviewer):
        assert not permissions.can_view(user, application)
        assert not permissions.can_read_messages(user, application)
        assert not permissions.visible_applications(user).filter(pk=application.pk).exists()
    assert permissions.visible_applications(world.holder).filter(pk=application.pk).exists()


def test_a_draft_shows_to_its_instructors_once_submitted(world):
    application = submitted_application(world)
    for user in (world.manager, world.referent):
        assert permissions.can_view(user, application)
    assert permissions.visible_applications(world.manager).filter(pk=application.pk).exists()


def test_a_draft_calls_instruction_is_for_its_managers_only(world):
    Call.objects.filter(pk=world.call.pk).update(state=Call.State.DRAFT)
    world.call.refresh_from_db()
    assert permissions.can_instruct_call(world.manager, world.call)
    assert not permissions.can_instruct_call(world.referent, world.call)
    assert not permissions.instructed_applications(world.referent, world.call).exists()


def _get(client, name, *args):
    return client.get(reverse(f"applications:{name}", args=args)).status_code


def test_instructors_get_404_on_a_draft_its_messages_and_files(client, world):
    """Finding 7: instructors read draft applications and their messages before submission."""
    application = _draft(world)
    message = application.messages.get()
    Message.objects.filter(pk=message.pk).update(attachment="candidatures/note.pdf")
    for user in (world.manager, world.referent):
        client.force_login(user)
        assert _get(client, "detail", application.pk) == 404
        assert _get(client, "attachment", application.pk, message.pk) == 404
        assert _get(client, "letter", application.pk) == 404
        response = client.post(
            reverse("applications:message", args=[application.pk]), {"body": "Bonjour"}
        )
        assert response.status_code == 404
        page = client.get(reverse("applications:mine")).content.decode()
        assert DRAFT_NOTE not in page
    assert application.messages.count() == 1
    client.force_login(world.holder)
    assert _get(client, "detail", application.pk) == 200


def test_a_draft_call_and_everything_under_it_is_404_but_to_its_managers(client, world):
    """Finding 7: State referents and other regions' managers opened a draft call's
    instruction dashboard, ranking and exports."""
    Call.objects.filter(pk=world.call.pk).update(state=Call.State.DRAFT)
    slug = world.call.slug
    form = world.intention.forms.get()
    other_manager = member(DrealFactory(territory=world.commune.territory.region),
                           Membership.Role.PROGRAMME_MANAGER)  # fmt: skip
    pages = [
        ("dashboard", slug), ("ranking", slug), ("deliberation", slug), ("forms", slug),
        ("grid", slug), ("laureates", slug), ("start", slug), ("export", slug, "applications",
        "csv"), ("form_edit", form.pk),
    ]  # fmt: skip
    actions = [("bulk", slug), ("export_start", slug)]
    for user in (world.referent, other_manager, world.holder):
        client.force_login(user)
        for name, *args in pages:
            assert _get(client, name, *args) == 404, (user, name)
        for name, *args in actions:
            response = client.post(reverse(f"applications:{name}", args=args),
                                   {"content": "applications", "format": "csv"})  # fmt: skip
            assert response.status_code == 404, (user, name)
    assert not Export.objects.exists()
    client.force_login(world.manager)
    for name in ("dashboard", "ranking", "forms", "grid"):
        assert _get(client, name, slug) == 200, name


def test_an_instructor_sees_the_published_calls_dashboard_and_gets_403_on_its_builder(
    client, world
):
    client.force_login(world.referent)
    assert _get(client, "dashboard", world.call.slug) == 200
    assert _get(client, "forms", world.call.slug) == 403


def test_who_sees_a_file_but_may_not_edit_it_is_refused_with_403(client, world):
    """It was 404: the read-only co-applicant and the instructors see the application."""
    application = submitted_application(world)
    services.invite_co_applicant(world.holder, application, "lecture@exemple.fr", "read")
    reader = UserFactory(email="lecture@exemple.fr")
    CoApplicant.objects.filter(application=application).update(
        user=reader, accepted_at=application.submitted_at
    )
    for user in (reader, world.manager):
        client.force_login(user)
        assert _get(client, "detail", application.pk) == 200
        assert _get(client, "edit", application.pk) == 403
        response = client.post(reverse("applications:autosave", args=[application.pk]), {})
        assert response.status_code == 403


def test_the_dashboard_does_not_count_drafts_never_submitted(client, world):
    _draft(world)
    client.force_login(world.manager)
    page = client.get(reverse("applications:dashboard", args=[world.call.slug])).content.decode()
    assert "?state=draft" not in page
