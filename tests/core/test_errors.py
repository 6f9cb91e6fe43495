import pytest
from django.test import RequestFactory

from ecoquartier.core import views


@pytest.mark.django_db
def test_an_unknown_page_is_a_dsfr_404(client):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page non trouvée" in html and 'class="fr-header"' in html


@pytest.mark.django_db
@pytest.mark.urls("tests.core.urls_errors")
def test_a_forbidden_page_is_a_dsfr_403(client):
    response = client.get("/interdit/")
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()


# No django_db mark: any database access in these tests fails, as it would with the database down.
@pytest.mark.urls("tests.core.urls_errors")
def test_the_500_page_renders_when_the_database_is_down(client, caplog):
    client.raise_request_exception = False
    response = client.get("/en-panne/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Erreur inattendue" in html
    assert 'class="fr-header"' in html and 'class="fr-footer"' in html
    assert "Se connecter" not in html  # we cannot know who is logged in


def test_the_500_handler_alone_needs_no_request_context():
    response = views.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Erreur 500" in response.content.decode()
