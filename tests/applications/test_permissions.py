"""Who sees and acts on applications: invitations (finding 3) and drafts (finding 7)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ecoquartier.applications import permissions, services
from ecoquartier.applications.models import CoApplicant
from ecoquartier.core.models import ActivityEvent
from tests.accounts.factories import UserFactory
from tests.applications.factories import submitted_application

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
