import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from ecoquartier.accounts.services import update_profile
from ecoquartier.core.activity import timeline
from tests.accounts.factories import PASSWORD, UserFactory
from tests.organisations.factories import MembershipFactory

pytestmark = pytest.mark.django_db

PROFILE = "/compte/profil/"


def test_the_profile_lists_every_membership_with_its_role(client):
    first = MembershipFactory()
    second = MembershipFactory(user=first.user, role="referent")
    client.force_login(first.user)
    html = client.get(PROFILE).content.decode()
    assert first.organisation.name in html and second.organisation.name in html
    assert "Référent État" in html


def test_a_person_updates_their_name_job_and_phone(client):
    user = UserFactory()
    client.force_login(user)
    data = {
        "first_name": "Inès",
        "last_name": "Roux",
        "job_title": "Cheffe de projet",
        "phone": "01 22 33 44 55",
    }
    response = client.post(PROFILE, data)
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.first_name, user.job_title, user.phone) == (
        "Inès",
        "Cheffe de projet",
        "01 22 33 44 55",
    )
    event = timeline(user).get()
    assert event.verb == "accounts.profile_updated"
    assert set(event.changes["fields"]) == {"first_name", "last_name", "job_title", "phone"}
    assert "01 22" not in str(event.changes)  # no personal values kept in the log
    assert "Votre profil a été mis à jour" in client.get(PROFILE).content.decode()


def test_an_unchanged_profile_writes_nothing(client):
    user = UserFactory(job_title="Urbaniste")
    client.force_login(user)
    client.post(
        PROFILE,
        {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "job_title": "Urbaniste",
            "phone": "",
        },
    )
    assert not timeline(user).exists()


def test_nobody_updates_someone_else_profile():
    with pytest.raises(PermissionDenied):
        update_profile(UserFactory(), UserFactory(), {"first_name": "X"})


def test_the_profile_requires_login(client):
    assert client.get(PROFILE).status_code == 302


def test_a_person_changes_their_password(client):
    user = UserFactory()
    client.force_login(user)
    new = "un-nouveau-mot-de-passe-2026"
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.url == PROFILE
    user.refresh_from_db()
    assert user.check_password(new)
