import re

import pytest
from django.core import mail
from django.test import override_settings

from ecoquartier.core.models import ActivityEvent
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def request_reset(client, email):
    return client.post("/compte/mot-de-passe/oubli/", {"email": email})


def reset_link():
    return re.search(
        r"https?://[^/]+(/compte/mot-de-passe/reinitialisation/\S+/)", mail.outbox[-1].body
    )[1]


def test_a_reset_email_is_sent_to_a_known_address_whatever_its_case(client):
    user = UserFactory(email="camille@exemple.fr")
    response = request_reset(client, "Camille@Exemple.fr")
    assert response.status_code == 302
    assert response.url == "/compte/mot-de-passe/oubli/envoye/"
    assert mail.outbox[0].to == [user.email]
    assert "Réinitialisation de votre mot de passe" in mail.outbox[0].subject


def test_an_unknown_address_gets_the_same_answer_and_no_email(client):
    response = request_reset(client, "inconnu@exemple.fr")
    assert response.status_code == 302
    assert mail.outbox == []


def test_the_link_sets_a_new_password(client):
    user = UserFactory()
    request_reset(client, user.email)
    form_url = client.get(reset_link()).url  # Django swaps the token for a session marker
    new = "un-nouveau-mot-de-passe-2026"
    response = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert response.url == "/compte/mot-de-passe/reinitialise/"
    user.refresh_from_db()
    assert user.check_password(new)
    assert ActivityEvent.objects.filter(verb="accounts.password_reset").exists()


@override_settings(AXES_FAILURE_LIMIT=5)
def test_resetting_the_password_lifts_the_lockout(client):
    user = UserFactory()
    for _ in range(5):
        client.post("/compte/connexion/", {"username": user.email, "password": "mauvais"})
    request_reset(client, user.email)
    form_url = client.get(reset_link()).url
    new = "un-nouveau-mot-de-passe-2026"
    client.post(form_url, {"new_password1": new, "new_password2": new})
    response = client.post("/compte/connexion/", {"username": user.email, "password": new})
    assert response.status_code == 302


def test_pages_of_the_reset_flow_are_public(client):
    for url in [
        "/compte/mot-de-passe/oubli/",
        "/compte/mot-de-passe/oubli/envoye/",
        "/compte/mot-de-passe/reinitialise/",
    ]:
        assert client.get(url).status_code == 200
