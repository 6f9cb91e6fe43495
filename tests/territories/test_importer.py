"""The import's rules, on a tiny extract written for each test."""

import gzip
import json

import pytest
from django.core.management import call_command

from ecoquartier.territories.importer import import_territories
from ecoquartier.territories.models import Territory, TerritoryAncestor
from ecoquartier.territories.services import ancestors, contains, link_ancestors

pytestmark = pytest.mark.django_db


def source(**changes):
    data = {
        "source": {"package": "@etalab/decoupage-administratif", "version": "test"},
        "regions": [
            {"code": "11", "name": "Île-de-France", "zone": "metro"},
            {"code": "93", "name": "Provence-Alpes-Côte d'Azur", "zone": "metro"},
        ],
        "departements": [
            {"code": "93", "name": "Seine-Saint-Denis", "region": "11", "zone": "metro"},
            {"code": "04", "name": "Alpes-de-Haute-Provence", "region": "93", "zone": "metro"},
        ],
        "epci": [
            {
                "code": "200054781",
                "name": "Métropole du Grand Paris",
                "type": "METRO",
                "population": 200000,
                "members": ["93066", "93070"],
            },
            {
                "code": "200071025",
                "name": "CC Haute-Provence - Pays de Banon",
                "type": "CC",
                "population": 2000,
                "members": ["04160"],
            },
        ],
        "communes": [
            commune("93070", "Saint-Ouen-sur-Seine", "93", "11", 53615, ["93400"]),
            commune("93066", "Saint-Denis", "93", "11", 149077, ["93200", "93210"]),
            commune("04160", "Reillanne", "04", "93", 1730, ["04110"]),
        ],
    }
    data.update(changes)
    return data


def commune(code, name, departement, region, population, postal_codes):
    return {
        "code": code,
        "name": name,
        "siren": "2" + code.zfill(8),
        "population": population,
        "postal_codes": postal_codes,
        "departement": departement,
        "region": region,
        "zone": "metro",
    }


@pytest.fixture
def write(tmp_path):
    def write_extract(data):
        path = tmp_path / "territories.json.gz"
        with gzip.open(path, "wt", encoding="utf-8") as handle:
            json.dump(data, handle)
        return path

    return write_extract


def get(kind, code):
    return Territory.objects.get(kind=kind, code=code)


def test_every_level_is_created_with_its_parents(write):
    report = import_territories(write(source()))
    saint_ouen = get("commune", "93070")
    assert (saint_ouen.departement.code, saint_ouen.region.code) == ("93", "11")
    assert saint_ouen.epci.code == "200054781"
    assert saint_ouen.search_name == "saint ouen sur seine"
    assert saint_ouen.postal_codes == "93400"
    assert get("departement", "93").region.code == "11"
    assert get("epci", "200054781").epci_type == "METRO"
    assert report.counts["commune"] == 3
    assert report.written == 1 + 2 + 2 + 2 + 3


def test_regions_and_departements_get_the_population_of_their_communes(write):
    import_territories(write(source()))
    assert get("departement", "93").population == 53615 + 149077
    assert get("country", "FR").population == 53615 + 149077 + 1730


def test_ancestry_links_are_flattened(write):
    import_territories(write(source()))
    chain = ancestors(get("commune", "93070"), include_self=True)
    assert [t.kind for t in chain] == ["commune", "epci", "departement", "region", "country"]
    assert [t.code for t in ancestors(get("departement", "04"))] == ["93", "FR"]
    # 1 country + 2 régions x 2 + 2 départements x 3 + 2 EPCI x 4 + 3 communes x 5
    assert TerritoryAncestor.objects.count() == 1 + 4 + 6 + 8 + 15


def test_running_twice_writes_nothing(write):
    path = write(source())
    import_territories(path)
    links = set(TerritoryAncestor.objects.values_list("pk", "descendant_id", "ancestor_id"))
    report = import_territories(path)
    assert (report.written, report.links_added, report.links_removed) == (0, 0, 0)
    assert set(TerritoryAncestor.objects.values_list("pk", "descendant_id", "ancestor_id")) == links


def test_a_vanished_commune_is_deactivated_not_deleted(write):
    import_territories(write(source()))
    data = source()
    data["communes"] = data["communes"][:2]
    data["epci"] = data["epci"][:1]
    report = import_territories(write(data))
    reillanne = get("commune", "04160")
    assert not reillanne.is_active
    assert report.deactivated == 2
    assert contains(get("departement", "04"), reillanne)  # its history still holds


def test_a_returning_commune_is_reactivated(write):
    import_territories(write(source()))
    data = source()
    data["communes"] = data["communes"][:2]
    import_territories(write(data))
    import_territories(write(source()))
    assert get("commune", "04160").is_active


def test_a_commune_moving_to_another_epci_loses_its_old_link(write):
    import_territories(write(source()))
    data = source()
    data["epci"][0]["members"] = ["93066"]
    data["epci"][1]["members"] = ["04160", "93070"]
    report = import_territories(write(data))
    saint_ouen = get("commune", "93070")
    assert saint_ouen.epci.code == "200071025"
    assert not contains(get("epci", "200054781"), saint_ouen)
    assert contains(get("epci", "200071025"), saint_ouen)
    assert report.links_removed >= 1


def test_a_renamed_commune_is_found_under_its_new_name(write):
    import_territories(write(source()))
    data = source()
    data["communes"][0]["name"] = "Saint-Ouen"
    assert import_territories(write(data)).written == 1
    assert get("commune", "93070").search_name == "saint ouen"


def test_custom_perimeters_keep_their_links(write):
    import_territories(write(source()))
    custom = Territory.objects.create(kind="custom", code="amI-2017", name="AMI PACA 2017")
    link_ancestors(get("commune", "04160"), [custom])
    import_territories(write(source()))
    assert contains(custom, get("commune", "04160"))


def test_a_straddling_epci_follows_its_most_populous_commune(write):
    data = source()
    data["epci"][1]["members"] = ["04160", "93070"]
    data["epci"][0]["members"] = ["93066"]
    import_territories(write(data))
    assert [t.code for t in ancestors(get("epci", "200071025"))] == ["93", "11", "FR"]


def test_the_command_prints_a_summary(write, capsys):
    call_command("import_territories", path=write(source()))
    out = capsys.readouterr().out
    assert "2 region, 2 departement, 2 epci, 3 commune" in out
    assert "Rows written: 10" in out
