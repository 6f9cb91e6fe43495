"""A NUL byte in an address or a query string answers a French 404 or 400, never a 500.

PostgreSQL refuses NUL in any text it is given: before core.middleware.NulBytesMiddleware, the
aid finder, the project list and the territory pages answered 500 there (anonymously). The same
requests run on SQLite, where the answer must be the same."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/projets/%00/",
        "/organisations/territoire/commune/04%00160/",
        "/aides/alertes/confirmer/%00/",
        "/candidatures/invitation/ab%00cd/",
    ],
)
def test_a_nul_byte_in_a_path_is_a_french_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Page non trouvée" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/aides/?q=%00",
        "/aides/?territoire=04%00160",
        "/projets/?q=a%00b",
        "/projets/?territory=commune:04160%00",
        "/territoires/?q=%00",
        "/territoires/autocomplete.json?q=%00",
        "/projets/?page=%00",
        "/projets/?%00=1",
    ],
)
def test_a_nul_byte_in_a_query_string_is_a_french_400(client, url):
    response = client.get(url)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Requête invalide" in html and "Erreur 400" in html


def test_the_400_page_is_the_dsfr_shell_with_a_content_security_policy(client):
    response = client.get("/projets/?q=%00")
    assert 'class="fr-header"' in response.content.decode()
    assert "nonce-" in response.headers["Content-Security-Policy"]
