import pytest
from django.test import override_settings

from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN_URL = "/compte/connexion/"


def attempt(client, email, password):
    return client.post(LOGIN_URL, {"username": email, "password": password})


@override_settings(AXES_FAILURE_LIMIT=5)
def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(client):
    user = UserFactory()
    for _ in range(4):
        assert attempt(client, user.email, "mauvais").status_code == 200
    locked = attempt(client, user.email, "mauvais")
    assert locked.status_code == 429
    response = attempt(client, user.email, PASSWORD)
    assert response.status_code == 429
    assert "Connexion temporairement bloquée" in response.content.decode()
    assert "_auth_user_id" not in client.session


@override_settings(AXES_FAILURE_LIMIT=5)
def test_changing_the_case_of_the_email_does_not_escape_the_lockout(client):
    user = UserFactory(email="agent@exemple.fr")
    for spelling in ["agent@exemple.fr", "Agent@exemple.fr", "AGENT@exemple.fr"] * 2:
        attempt(client, spelling, "mauvais")
    assert attempt(client, "agent@EXEMPLE.fr", PASSWORD).status_code == 429
    assert user.pk and "_auth_user_id" not in client.session


@override_settings(AXES_FAILURE_LIMIT=5)
def test_the_lockout_page_is_a_dsfr_page(client):
    user = UserFactory()
    for _ in range(5):
        response = attempt(client, user.email, "mauvais")
    html = response.content.decode()
    assert 'class="fr-header"' in html
    assert "/compte/mot-de-passe/oubli/" in html


@override_settings(AXES_FAILURE_LIMIT=5)
def test_a_success_before_the_limit_resets_the_counter(client):
    user = UserFactory()
    for _ in range(4):
        attempt(client, user.email, "mauvais")
    assert attempt(client, user.email, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        attempt(client, user.email, "mauvais")
    assert attempt(client, user.email, PASSWORD).status_code == 302
