import pytest
from django.urls import NoReverseMatch, reverse
from pytest_django.asserts import assertContains, assertNotContains

from ecoquartier.territories import views
from tests.territories.factories import CommuneFactory, DepartementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def homonyms(db):
    departement = DepartementFactory(code="93", name="Seine-Saint-Denis")
    return [
        CommuneFactory(code="41226", name="Saint-Ouen", population=3041),
        CommuneFactory(
            code="93070",
            name="Saint-Ouen-sur-Seine",
            population=53615,
            postal_codes="93400",
            departement=departement,
        ),
        CommuneFactory(code="95572", name="Saint-Ouen-l'Aumône", population=25578),
    ]


def test_the_json_endpoint_is_public_and_ranked(client, homonyms, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = client.get(
            reverse("territories:autocomplete_json"), {"q": "saint ouen", "kind": "commune"}
        )
    assert response.status_code == 200
    data = response.json()
    assert data["query"] == "saint ouen"
    assert [r["code"] for r in data["results"]] == ["93070", "95572", "41226"]
    assert data["results"][0] == {
        "id": homonyms[1].pk,
        "value": "commune:93070",
        "kind": "commune",
        "kind_label": "Commune",
        "code": "93070",
        "name": "Saint-Ouen-sur-Seine",
        "label": "Saint-Ouen-sur-Seine (93070)",
        "postal_codes": ["93400"],
        "population": 53615,
        "departement": {"code": "93", "name": "Seine-Saint-Denis"},
    }


def test_the_json_endpoint_filters_by_kind_and_ignores_unknown_kinds(client, homonyms):
    url = reverse("territories:autocomplete_json")
    assert client.get(url, {"q": "seine saint", "kind": "commune"}).json()["results"] == []
    results = client.get(url, {"q": "seine saint", "kind": ["departement", "planet"]}).json()
    assert [r["kind"] for r in results["results"]] == ["departement"]


def test_a_postal_code_finds_its_commune(client, homonyms):
    results = client.get(reverse("territories:autocomplete_json"), {"q": "93400"}).json()
    assert [r["code"] for r in results["results"]] == ["93070"]


def test_an_empty_query_gives_no_results(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("territories:autocomplete_json"))
    assert response.json() == {"query": "", "results": []}


def test_the_htmx_partial_lists_options(client, homonyms, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = client.get(reverse("territories:autocomplete"), {"q": "st ouen"})
    html = response.content.decode()
    assert html.count('role="option"') == 3
    assert html.index("Saint-Ouen-sur-Seine") < html.index("Saint-Ouen-l")
    assert 'data-value="commune:93070"' in html
    assert "<html" not in html


def test_the_search_page_is_public(client, homonyms, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = client.get(reverse("territories:search"), {"q": "saint ouen"})
    assertContains(response, "<h1>Territoires</h1>", html=True)
    assertContains(response, "3 territoires trouvés")
    html = response.content.decode()
    assert html.index("Saint-Ouen-sur-Seine") < html.index("Saint-Ouen-l")


def test_the_search_page_without_a_query_invites_to_search(client, db):
    response = client.get(reverse("territories:search"))
    assertContains(response, "Nom, code postal ou code INSEE")
    assertNotContains(response, "<table")


def test_the_search_page_says_when_nothing_matches(client, db):
    assertContains(client.get(reverse("territories:search"), {"q": "zzzz"}), "Aucun territoire")


def test_htmx_gets_only_the_results(client, homonyms):
    response = client.get(
        reverse("territories:search"), {"q": "saint ouen"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert "<table>" in html
    assert "<html" not in html
    assert "HX-Request" in response["Vary"]


def test_results_link_to_the_organisations_page_once_it_exists(homonyms, monkeypatch):
    def fake_reverse(name, kwargs):
        return f"/organisations/territoire/{kwargs['kind']}/{kwargs['code']}/"

    monkeypatch.setattr(views, "reverse", fake_reverse)
    views._attach_urls(homonyms)
    assert homonyms[1].url == "/organisations/territoire/commune/93070/"


def test_results_are_plain_text_until_then(homonyms, monkeypatch):
    def missing(name, kwargs):
        raise NoReverseMatch(name)

    monkeypatch.setattr(views, "reverse", missing)
    views._attach_urls(homonyms)
    assert homonyms[1].url is None


def test_a_signed_in_user_pays_only_for_the_session(
    client, homonyms, django_user_model, django_assert_max_num_queries
):
    client.force_login(django_user_model.objects.create_user(email="a@example.fr", password="x"))
    with django_assert_max_num_queries(4):  # session, user, up to two searches
        response = client.get(reverse("territories:autocomplete"), {"q": "saint ouen"})
    assert response.status_code == 200
