import pytest

from tests.referentiel.factories import load_current, load_old

pytestmark = pytest.mark.django_db


def test_the_referentiel_is_public_and_lists_the_twenty_commitments(client):
    load_current()
    load_old()
    response = client.get("/referentiel/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Démarche et processus" in content
    assert content.count('href="/referentiel/2023/engagements/') == 20
    assert "Grille d&#x27;essai 2012" in content


def test_the_referentiel_page_is_bounded_in_queries(client, django_assert_max_num_queries):
    load_current()
    with django_assert_max_num_queries(6):
        client.get("/referentiel/")


def test_a_commitment_page_shows_its_guiding_questions_and_neighbours(client):
    load_current()
    response = client.get("/referentiel/2023/engagements/14/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Se déplacer autrement qu&#x27;en voiture individuelle" in content
    assert "/referentiel/2023/engagements/13/" in content
    assert "/referentiel/2023/engagements/15/" in content


def test_an_older_version_stays_browsable(client):
    load_current()
    load_old()
    response = client.get("/referentiel/2012-essai/")
    assert response.status_code == 200
    assert "Version antérieure" in response.content.decode()


def test_an_unknown_commitment_is_not_found(client):
    load_current()
    assert client.get("/referentiel/2023/engagements/99/").status_code == 404
