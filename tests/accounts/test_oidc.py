"""ProConnect: off by default; when on, the backend matches or creates people by e-mail."""

import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, reverse

from ecoquartier.accounts.models import User
from ecoquartier.accounts.oidc import ProConnectBackend
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

PROCONNECT = {
    "PROCONNECT_ENABLED": True,
    "OIDC_RP_CLIENT_ID": "client-id",
    "OIDC_RP_CLIENT_SECRET": "secret",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://proconnect.example/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": "https://proconnect.example/token",
    "OIDC_OP_USER_ENDPOINT": "https://proconnect.example/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "https://proconnect.example/jwks",
    "OIDC_RP_SIGN_ALGO": "RS256",
    "OIDC_RP_SCOPES": "openid email given_name usual_name siret",
}


def claims(**extra):
    return {
        "sub": "abc",
        "email": "Agent.Public@Ville.fr",
        "given_name": "Nadia",
        "usual_name": "Benali",
        **extra,
    }


@pytest.fixture
def backend():
    with override_settings(**PROCONNECT):
        yield ProConnectBackend()


def test_proconnect_is_off_by_default(client, settings):
    assert settings.PROCONNECT_ENABLED is False
    html = client.get("/compte/connexion/").content.decode()
    assert "S’identifier avec ProConnect" not in html
    assert 'data-testid="proconnect"' not in html
    with pytest.raises(NoReverseMatch):
        reverse("oidc_authentication_init")
    assert client.get("/oidc/authenticate/").status_code == 404


@pytest.mark.urls("tests.accounts.urls_proconnect")
@override_settings(**PROCONNECT)
def test_when_enabled_the_login_page_offers_proconnect(client):
    html = client.get("/compte/connexion/").content.decode()
    assert "S’identifier avec ProConnect" in html
    assert reverse("oidc_authentication_init") in html


@pytest.mark.urls("tests.accounts.urls_proconnect")
@override_settings(**PROCONNECT)
def test_when_enabled_the_proconnect_urls_are_reachable_without_login(client):
    response = client.get(reverse("oidc_authentication_init"))
    assert response.status_code == 302
    assert response.url.startswith("https://proconnect.example/authorize?")


def test_the_backend_creates_an_account_from_claims(backend):
    assert backend.verify_claims(claims())
    assert not backend.filter_users_by_claims(claims()).exists()
    user = backend.create_user(claims())
    assert user.email == "agent.public@ville.fr"
    assert (user.first_name, user.last_name) == ("Nadia", "Benali")
    assert not user.has_usable_password()


def test_the_backend_matches_an_existing_account_ignoring_case(backend):
    existing = UserFactory(email="agent.public@ville.fr", first_name="", last_name="")
    assert list(backend.filter_users_by_claims(claims())) == [existing]
    user = backend.update_user(existing, claims())
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Nadia", "Benali")
    assert User.objects.count() == 1


def test_claims_without_email_are_refused(backend):
    assert not backend.verify_claims(claims(email=""))
    assert not backend.filter_users_by_claims(claims(email=None)).exists()


def test_the_whole_get_or_create_flow_without_network(backend, monkeypatch):
    monkeypatch.setattr(backend, "get_userinfo", lambda *args: claims())
    created = backend.get_or_create_user("access", "id", {})
    again = backend.get_or_create_user("access", "id", {})
    assert created == again
    assert User.objects.filter(email="agent.public@ville.fr").count() == 1
