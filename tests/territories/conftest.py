import pytest

from ecoquartier.territories.importer import import_territories
from ecoquartier.territories.models import Territory, TerritoryAncestor


def wipe_territories():
    """Remove every territory without the ORM's cascade collector (fast on 36,000 rows)."""
    TerritoryAncestor.objects.all()._raw_delete(TerritoryAncestor.objects.db)
    # Lowest level first: foreign keys only point upwards.
    for kind in ("custom", "commune", "epci", "departement", "region", "country"):
        Territory.objects.filter(kind=kind)._raw_delete(Territory.objects.db)


@pytest.fixture(scope="module")
def national(django_db_setup, django_db_blocker):
    """The real national geography, imported once per module (outside the per-test
    transactions) and removed afterwards so other modules start from an empty table."""
    with django_db_blocker.unblock():
        report = import_territories()
    yield report
    with django_db_blocker.unblock():
        wipe_territories()
