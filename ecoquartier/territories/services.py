"""Operations on the geography that other layers (and the import) share."""

from ecoquartier.territories.models import Territory, TerritoryAncestor
from ecoquartier.territories.text import fold

FRANCE_CODE = "FR"


def france():
    country, _ = Territory.objects.get_or_create(
        kind=Territory.Kind.COUNTRY,
        code=FRANCE_CODE,
        defaults={"name": "France", "search_name": fold("France")},
    )
    return country


def link_ancestors(territory, ancestors):
    """Record that `territory` lies in each of `ancestors` (and in itself); idempotent."""
    wanted = {territory.pk} | {a.pk for a in ancestors if a is not None}
    existing = set(
        TerritoryAncestor.objects.filter(descendant=territory).values_list("ancestor_id", flat=True)
    )
    TerritoryAncestor.objects.bulk_create(
        TerritoryAncestor(descendant=territory, ancestor_id=pk) for pk in wanted - existing
    )


def contains(perimeter, territory):
    """Is `territory` inside `perimeter`? One query."""
    return TerritoryAncestor.objects.filter(descendant=territory, ancestor=perimeter).exists()
