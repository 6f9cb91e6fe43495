from pathlib import Path

import pytest
import yaml

from tests.territories.factories import (
    CommuneFactory,
    DepartementFactory,
    EpciFactory,
    RegionFactory,
)

TERRITORIES = Path(__file__).parent / "territories.yaml"


def load_demo_territories():
    """Only the territories the demo refers to, instead of the national import (a plain
    function: module-scoped fixtures of tests/security/ call it too)."""
    data = yaml.safe_load(TERRITORIES.read_text(encoding="utf-8"))
    regions = {r["code"]: RegionFactory(**r) for r in data["regions"]}
    departements = {
        d["code"]: DepartementFactory(code=d["code"], name=d["name"], region=regions[d["region"]])
        for d in data["departements"]
    }
    epcis = {
        e["code"]: EpciFactory(
            code=e["code"],
            name=e["name"],
            epci_type=e["epci_type"],
            departement=departements[e["departement"]],
        )
        for e in data["epci"]
    }
    for c in data["communes"]:
        CommuneFactory(
            code=c["code"],
            name=c["name"],
            population=c["population"],
            siren=c["siren"],
            departement=departements[c["departement"]],
            epci=epcis.get(c.get("epci")),
        )


@pytest.fixture
def demo_territories(db):
    load_demo_territories()
