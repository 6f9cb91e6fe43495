"""The committed extract, imported once for the whole module (about 10 s)."""

import pytest
from django.core.management import call_command

from ecoquartier.territories.importer import load_extract
from ecoquartier.territories.models import Territory, TerritoryAncestor
from ecoquartier.territories.services import (
    ancestors,
    autocomplete,
    contains,
    perimeters_containing,
)

pytestmark = pytest.mark.django_db


def level_counts():
    return {
        kind: Territory.objects.filter(kind=kind, is_active=True).count()
        for kind in ("region", "departement", "epci", "commune")
    }


def commune(code):
    return Territory.objects.get(kind="commune", code=code)


def test_counts_equal_the_extract(national):
    extract = load_extract()
    expected = {
        "region": len(extract["regions"]),
        "departement": len(extract["departements"]),
        "epci": len(extract["epci"]),
        "commune": len(extract["communes"]),
    }
    assert level_counts() == expected
    assert expected == {"region": 18, "departement": 101, "epci": 1255, "commune": 34875}
    assert Territory.objects.filter(kind="country").count() == 1


def test_the_import_is_well_under_a_minute(national):
    assert national.seconds < 60


def test_a_second_run_changes_nothing(national, capsys):
    links_before = TerritoryAncestor.objects.count()
    call_command("import_territories")
    out = capsys.readouterr().out
    assert "Rows written: 0, deactivated: 0" in out
    assert "Containment links: +0 -0" in out
    assert level_counts()["commune"] == 34875
    assert TerritoryAncestor.objects.count() == links_before


def test_no_containment_link_is_duplicated(national):
    pairs = TerritoryAncestor.objects.values_list("descendant_id", "ancestor_id")
    assert pairs.count() == pairs.distinct().count()


def test_commune_fields_come_from_the_source(national):
    saint_ouen = commune("93070")
    assert saint_ouen.name == "Saint-Ouen-sur-Seine"
    assert saint_ouen.siren == "219300704"
    assert saint_ouen.postal_codes == "93400"
    assert saint_ouen.population == 53615
    assert saint_ouen.departement.code == "93"
    assert saint_ouen.region.code == "11"
    assert saint_ouen.epci.name == "Métropole du Grand Paris"
    assert saint_ouen.zone == "metro"


def test_commune_ancestry_is_one_query(national, django_assert_num_queries):
    saint_ouen = commune("93070")
    with django_assert_num_queries(1):
        chain = ancestors(saint_ouen)
    assert [(t.kind, t.name) for t in chain] == [
        ("epci", "Métropole du Grand Paris"),
        ("departement", "Seine-Saint-Denis"),
        ("region", "Île-de-France"),
        ("country", "France"),
    ]


def test_an_overseas_commune_has_its_whole_chain(national):
    saint_denis_reunion = commune("97411")
    kinds = [t.kind for t in ancestors(saint_denis_reunion, include_self=True)]
    assert kinds == ["commune", "epci", "departement", "region", "country"]


def test_containment_is_one_query(national, django_assert_num_queries):
    reillanne = commune("04160")
    paca = Territory.objects.get(kind="region", code="93")
    ile_de_france = Territory.objects.get(kind="region", code="11")
    with django_assert_num_queries(2):
        assert contains(paca, reillanne)
        assert not contains(ile_de_france, reillanne)


def test_perimeters_containing_is_one_query(national, django_assert_num_queries):
    reillanne = commune("04160")
    with django_assert_num_queries(1):
        found = {(t.kind, t.code) for t in perimeters_containing(reillanne)}
    assert found == {
        ("commune", "04160"),
        ("epci", "200071025"),  # CC Haute-Provence - Pays de Banon
        ("departement", "04"),
        ("region", "93"),
        ("country", "FR"),
    }


def test_a_straddling_epci_belongs_to_the_departement_of_its_largest_commune(national):
    # CA Beaune Côte et Sud: 48 communes in Côte-d'Or (Beaune), 5 in Saône-et-Loire.
    beaune = Territory.objects.get(kind="epci", name__startswith="CA Beaune")
    assert [t.code for t in ancestors(beaune)] == ["21", "27", "FR"]


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("saint ouen", "93070"),
        ("Saint-Ouen", "93070"),
        ("st ouen", "93070"),
        ("93400", "93070"),
        ("93070", "93070"),
        ("reillanne", "04160"),
        ("REILLANNE", "04160"),
        ("Évry", "91228"),
        ("evry", "91228"),
        ("2a004", "2A004"),
    ],
)
def test_autocomplete_ranking(national, query, first):
    assert autocomplete(query, kinds=("commune",))[0].code == first


def test_saint_ouen_comes_first_among_its_homonyms_by_population(national):
    results = autocomplete("saint ouen", kinds=("commune",))
    assert [t.name for t in results[:3]] == [
        "Saint-Ouen-sur-Seine",
        "Saint-Ouen-l'Aumône",
        "Saint-Ouen",
    ]
    populations = [t.population for t in results]
    assert populations == sorted(populations, reverse=True)


def test_accents_and_case_do_not_matter(national):
    assert autocomplete("Évry") == autocomplete("evry") == autocomplete("EVRY")


def test_names_starting_with_the_query_come_before_later_words(national):
    names = [t.name for t in autocomplete("mans", kinds=("commune",), limit=50)]
    # Manses (130 inhabitants) before Le Mans (145,000).
    assert names.index("Manses") < names.index("Le Mans")


def test_autocomplete_query_count_does_not_depend_on_the_data(
    national, django_assert_max_num_queries
):
    for query in ("saint ouen", "ouen", "93400", "93", "Évry", "zzzz"):
        with django_assert_max_num_queries(2):
            autocomplete(query)


def test_the_json_endpoint_finds_saint_ouen_first(national, client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/territoires/autocomplete.json", {"q": "saint ouen"})
    first = response.json()["results"][0]
    assert first["code"] == "93070"
    assert first["departement"] == {"code": "93", "name": "Seine-Saint-Denis"}


def test_a_territory_resolved_from_a_form_carries_its_containment(
    national, django_assert_num_queries
):
    """The finder's territory and what it searches by (the territories containing it, whether
    it contains others) come in one statement."""
    from ecoquartier.calls.search import FinderQuery
    from ecoquartier.territories.services import containment, resolve_tokens

    with django_assert_num_queries(1):
        reillanne, paca = resolve_tokens(["commune:04160", "region:93"]).territories
        query = FinderQuery(territory=reillanne)
        assert query.ancestor_ids and not query.contains_others
    assert reillanne.containment == containment(reillanne.pk)
    assert paca.containment == containment(paca.pk) and paca.containment[1]
