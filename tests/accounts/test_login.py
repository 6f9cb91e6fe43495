import pytest
from django.urls import reverse

from ecoquartier.accounts.models import User
from tests.accounts.factories import PASSWORD, UserFactory
from tests.organisations.factories import MembershipFactory

pytestmark = pytest.mark.django_db

LOGIN_URL = "/compte/connexion/"


def post_login(client, email, password=PASSWORD, **extra):
    return client.post(LOGIN_URL, {"username": email, "password": password, **extra})


def test_the_login_page_is_a_dsfr_form_with_the_expected_labels(client):
    html = client.get(LOGIN_URL).content.decode()
    assert 'class="fr-input' in html
    assert "Adresse électronique" in html and "Mot de passe" in html
    assert reverse("accounts:password_reset") in html


def test_a_person_logs_in_with_email_and_password_and_lands_on_the_dashboard(client):
    user = UserFactory()
    response = post_login(client, user.email)
    assert response.status_code == 302
    assert response.url == reverse("core:dashboard")
    assert client.get(reverse("core:dashboard")).context["user"] == user


def test_the_email_is_case_insensitive(client):
    user = UserFactory(email="claire.martin@exemple.fr")
    response = post_login(client, "  Claire.MARTIN@Exemple.FR ")
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_a_wrong_password_shows_an_error_and_keeps_the_email(client):
    user = UserFactory()
    response = post_login(client, user.email, "mauvais")
    assert response.status_code == 200
    html = response.content.decode()
    assert "fr-alert--error" in html
    assert user.email in html
    assert "_auth_user_id" not in client.session


def test_login_follows_next(client):
    user = UserFactory()
    response = post_login(client, user.email, next=reverse("accounts:profile"))
    assert response.url == reverse("accounts:profile")


def test_pages_require_login_by_default(client):
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(LOGIN_URL)


def test_logout_is_a_post(client):
    client.force_login(UserFactory())
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_header_shows_the_first_organisation_and_role(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    html = client.get(reverse("core:dashboard")).content.decode()
    assert f"{membership.organisation.name} · Porteur de projet" in html
    assert "autre organisation" not in html


def test_several_memberships_show_the_first_and_a_link_to_all(client):
    first = MembershipFactory()
    MembershipFactory(user=first.user)
    MembershipFactory(user=first.user)
    client.force_login(first.user)
    html = client.get(reverse("core:home")).content.decode()
    assert first.organisation.name in html
    assert "+ 2 autres organisations" in html
    assert reverse("accounts:profile") + "#organisations" in html


def test_emails_are_stored_in_lower_case_and_unique_ignoring_case():
    user = UserFactory(email="Jean.Dupont@Exemple.fr")
    assert user.email == "jean.dupont@exemple.fr"
    duplicate = User(email="JEAN.DUPONT@exemple.fr")
    with pytest.raises(Exception):  # noqa: B017 — ValidationError from the model's constraint
        duplicate.validate_constraints()
