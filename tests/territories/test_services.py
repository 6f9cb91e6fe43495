import pytest

from ecoquartier.territories.models import Territory
from ecoquartier.territories.services import (
    ancestors,
    autocomplete,
    containment,
    contains,
    define_custom_perimeter,
    perimeters_containing,
    resolve_tokens,
    split_tokens,
    with_ancestor_ids,
)
from ecoquartier.territories.text import fold, fold_query
from tests.territories.factories import (
    CommuneFactory,
    DepartementFactory,
    EpciFactory,
    RegionFactory,
)


def test_fold_removes_accents_case_and_punctuation():
    assert fold("Saint-Ouen-l'Aumône") == "saint ouen l aumone"
    assert fold("  ÉVRY  ") == "evry"
    assert fold("Œuilly") == "oeuilly"


def test_fold_query_expands_saint():
    assert fold_query("St-Ouen") == "saint ouen"
    assert fold_query("Ste Foy") == "sainte foy"


def test_split_tokens_accepts_commas_spaces_and_kinds():
    assert split_tokens(["93070, 04160;2a004", "Region:84", ""]) == [
        "93070",
        "04160",
        "2A004",
        "region:84",
    ]


@pytest.fixture
def paca(db):
    region = RegionFactory(code="93", name="Provence-Alpes-Côte d'Azur")
    departement = DepartementFactory(code="04", name="Alpes-de-Haute-Provence", region=region)
    epci = EpciFactory(code="200071025", name="CC Pays de Banon", departement=departement)
    reillanne = CommuneFactory(
        code="04160",
        name="Reillanne",
        population=1730,
        postal_codes="04110",
        departement=departement,
        epci=epci,
    )
    return {"region": region, "departement": departement, "epci": epci, "commune": reillanne}


@pytest.mark.django_db
class TestContainment:
    def test_a_commune_is_inside_its_whole_chain(self, paca):
        reillanne = paca["commune"]
        for level in ("epci", "departement", "region"):
            assert contains(paca[level], reillanne)
        assert contains(reillanne, reillanne)

    def test_a_region_is_not_inside_its_communes(self, paca):
        assert not contains(paca["commune"], paca["region"])

    def test_ids_work_as_well_as_instances(self, paca, django_assert_num_queries):
        with django_assert_num_queries(1):
            assert contains(paca["region"].pk, paca["commune"].pk)

    def test_ancestors_nearest_first_in_one_query(self, paca, django_assert_num_queries):
        with django_assert_num_queries(1):
            chain = ancestors(paca["commune"])
        assert [t.kind for t in chain] == ["epci", "departement", "region", "country"]

    def test_containment_of_a_commune_and_of_a_departement(self, paca, django_assert_num_queries):
        chain = {paca[level].pk for level in ("commune", "epci", "departement", "region")}
        with django_assert_num_queries(1):
            ids, contains_others = containment(paca["commune"].pk)
        assert chain <= ids and not contains_others
        ids, contains_others = containment(paca["departement"].pk)
        assert paca["commune"].pk not in ids and contains_others

    def test_a_territory_with_its_ancestor_ids_in_one_query(self, paca, django_assert_num_queries):
        with django_assert_num_queries(1):
            territory, ids = with_ancestor_ids(paca["commune"].pk)
        assert territory == paca["commune"] and territory.population == 1730
        assert ids == containment(paca["commune"].pk)[0] | {paca["commune"].pk}
        assert with_ancestor_ids(0) == (None, frozenset({0}))

    def test_ancestors_of_a_region(self, paca):
        assert [t.kind for t in ancestors(paca["region"], include_self=True)] == [
            "region",
            "country",
        ]


@pytest.mark.django_db
class TestAutocomplete:
    def test_a_short_query_returns_nothing_without_querying(self, django_assert_num_queries):
        with django_assert_num_queries(0):
            assert autocomplete("a") == []

    def test_inactive_territories_are_not_proposed(self, paca):
        Territory.objects.filter(pk=paca["commune"].pk).update(is_active=False)
        assert autocomplete("reillanne") == []

    def test_kinds_restrict_the_results(self, paca):
        assert {t.kind for t in autocomplete("alpes")} == {"departement", "region"}
        assert autocomplete("alpes", kinds=("departement",)) == [paca["departement"]]
        assert autocomplete("alpes", kinds=("commune",)) == []

    def test_a_postal_code_prefix_finds_the_commune(self, paca):
        assert autocomplete("0411") == [paca["commune"]]

    def test_an_exact_code_comes_before_codes_starting_with_it(self, paca):
        results = autocomplete("04")
        assert results[0] == paca["departement"]
        assert paca["commune"] in results

    def test_a_siren_finds_the_epci(self, paca):
        assert autocomplete("200071025") == [paca["epci"]]

    def test_a_later_word_matches(self, paca):
        assert autocomplete("banon") == [paca["epci"]]

    def test_the_middle_of_a_word_does_not_match(self, paca):
        assert autocomplete("illanne") == []


@pytest.mark.django_db
class TestResolveTokens:
    def test_codes_resolve_in_order_without_duplicates(self, paca, django_assert_num_queries):
        other = CommuneFactory(code="93070", name="Saint-Ouen-sur-Seine")
        with django_assert_num_queries(1):
            resolution = resolve_tokens(["93070", "04160", "commune:93070"], ("commune",))
        assert resolution.territories == [other, paca["commune"]]
        assert resolution.unknown == resolution.ambiguous == []

    def test_unknown_codes_are_reported(self, paca):
        resolution = resolve_tokens(["04160", "99999", "departement:04160"], ("commune",))
        assert resolution.territories == [paca["commune"]]
        assert resolution.unknown == ["99999", "departement:04160"]

    def test_a_code_shared_by_two_levels_is_ambiguous_unless_qualified(self, paca):
        DepartementFactory(code="93", name="Seine-Saint-Denis")
        kinds = ("region", "departement")
        assert resolve_tokens(["93"], kinds).ambiguous == ["93"]
        assert resolve_tokens(["region:93"], kinds).territories == [paca["region"]]
        assert resolve_tokens(["93"], ("region",)).territories == [paca["region"]]

    def test_the_plain_lookup_resolves_as_the_orm_did(self, paca):
        """The default lookup is plain SQL (services._active_of_kinds); a queryset given keeps
        the ORM: both resolve every kind of token alike, inactive territories unknown."""
        DepartementFactory(code="93", name="Seine-Saint-Denis")
        CommuneFactory(code="93070", name="Saint-Ouen-sur-Seine")
        CommuneFactory(code="93071", name="Ancienne commune", is_active=False)
        epci = f"epci:{paca['epci'].code}"
        tokens = ["93", "region:93", "departement:93", "commune:04160", "04160", "93070"]
        tokens += ["93071", "commune:93", "foo:93", "99999", epci]
        for kinds in ((), ("commune",), ("region", "departement"), ("epci",)):
            for some in ([t] for t in tokens):
                plain = resolve_tokens(some, kinds)
                orm = resolve_tokens(some, kinds, Territory.objects.active())
                assert plain == orm, (some, kinds)
            assert resolve_tokens(tokens, kinds) == resolve_tokens(
                tokens, kinds, Territory.objects.active()
            )
        assert resolve_tokens(["93071"], ("commune",)).unknown == ["93071"]
        assert resolve_tokens(["93"]).ambiguous == ["93"]

    def test_the_plain_lookup_reads_every_field_as_the_orm_does(self, paca):
        """Read without the ORM, a territory holds the same values, of the same types (a
        boolean, not SQLite's 1), as the ORM reads, and is saved back unchanged."""
        [plain] = resolve_tokens([f"epci:{paca['epci'].code}"], ("epci",)).territories
        orm = Territory.objects.get(pk=paca["epci"].pk)
        for field in Territory._meta.concrete_fields:
            mine, theirs = getattr(plain, field.attname), getattr(orm, field.attname)
            assert (mine, type(mine)) == (theirs, type(theirs)), field.name
        assert plain._state.adding is False and plain._state.db == "default"
        plain.save()
        assert Territory.objects.filter(pk=plain.pk, is_active=True, name=orm.name).exists()


@pytest.mark.django_db
class TestCustomPerimeter:
    def test_everything_inside_its_members_is_inside_it(self, paca):
        other = DepartementFactory(code="05", name="Hautes-Alpes", region=paca["region"])
        perimeter = define_custom_perimeter("ami-paca", "AMI Alpes", [paca["departement"], other])
        assert perimeter.kind == "custom"
        assert contains(perimeter, paca["commune"])
        assert contains(perimeter, paca["epci"])
        assert perimeter in perimeters_containing(paca["commune"])
        assert not contains(perimeter, paca["region"])

    def test_it_lies_in_what_contains_all_its_members(self, paca):
        other = DepartementFactory(code="05", name="Hautes-Alpes", region=paca["region"])
        perimeter = define_custom_perimeter("ami-paca", "AMI Alpes", [paca["departement"], other])
        assert [t.kind for t in ancestors(perimeter)] == ["region", "country"]

    def test_redefining_it_replaces_its_members(self, paca):
        other = CommuneFactory(code="04001", name="Aiglun")
        define_custom_perimeter("ami", "AMI", [paca["commune"]])
        perimeter = define_custom_perimeter("ami", "AMI", [other])
        assert not contains(perimeter, paca["commune"])
        assert contains(perimeter, other)
        assert Territory.objects.filter(kind="custom").count() == 1
