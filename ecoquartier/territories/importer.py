"""Idempotent import of the national geography from the committed extract (F-01).

Rows are upserted by (kind, code) and only when a value differs, so a second run writes nothing.
Territories that vanished from the source are marked inactive, never deleted: projects,
organisations and calls may still point at them. Containment links are recomputed as a set and
only the difference is written.

An EPCI can straddle départements (89 do in 6.0.0) and régions (26). The source does not give
its seat, so an EPCI is attached to the département of its most populous member commune (a proxy
for the seat, the prefecture in charge of it) and to that département's région. Communes keep
their own exact département and région, so commune-level containment is always exact.
"""

import gzip
import json
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from ecoquartier.core.generations import bump
from ecoquartier.territories.models import Territory, TerritoryAncestor
from ecoquartier.territories.services import FRANCE_CODE
from ecoquartier.territories.text import fold

EXTRACT_PATH = Path(settings.BASE_DIR) / "data" / "territories" / "territories.json.gz"
IMPORTED_KINDS = (
    Territory.Kind.COUNTRY,
    Territory.Kind.REGION,
    Territory.Kind.DEPARTEMENT,
    Territory.Kind.EPCI,
    Territory.Kind.COMMUNE,
)
# Compared to decide whether a row must be written; `kind` and `code` are the natural key.
FIELDS = (
    "name",
    "search_name",
    "siren",
    "population",
    "postal_codes",
    "zone",
    "epci_type",
    "region_id",
    "departement_id",
    "epci_id",
    "is_active",
)
UPSERT_FIELDS = [f.removesuffix("_id") for f in FIELDS]
# Capped by each backend (SQLite: 999 parameters per statement).
BATCH_SIZE = 2000
LINK_BATCH_SIZE = 10000


@dataclass
class ImportReport:
    counts: Counter = field(default_factory=Counter)
    written: int = 0
    deactivated: int = 0
    links_added: int = 0
    links_removed: int = 0
    links_total: int = 0
    seconds: float = 0.0

    def summary(self):
        levels = ", ".join(f"{self.counts[k]} {k}" for k in IMPORTED_KINDS)
        return (
            f"Territories: {levels}. Rows written: {self.written}, deactivated: "
            f"{self.deactivated}. Containment links: +{self.links_added} -{self.links_removed} "
            f"(total {self.links_total}). {self.seconds:.1f} s."
        )


def load_extract(path=EXTRACT_PATH):
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        data = json.load(handle)
    # An EPCI only counts through communes the extract has (a hand-edited file may lack some).
    known = {c["code"] for c in data["communes"]}
    for epci in data["epci"]:
        epci["members"] = [code for code in epci["members"] if code in known]
    data["epci"] = [epci for epci in data["epci"] if epci["members"]]
    return data


def import_territories(path=EXTRACT_PATH):
    """Load the extract into the database; safe to run any number of times."""
    started = time.monotonic()
    data = load_extract(path)
    report = ImportReport()
    with transaction.atomic():
        ids = _import_levels(data, report)
        _sync_ancestors(_wanted_links(data, ids), report)
        bump("territories")  # Bulk writes send no signal.
    report.seconds = time.monotonic() - started
    return report


def _row(name, **values):
    return {
        "name": name,
        "search_name": fold(name),
        "siren": values.get("siren", ""),
        "population": values.get("population"),
        "postal_codes": " ".join(values.get("postal_codes", ())),
        "zone": values.get("zone", ""),
        "epci_type": values.get("epci_type", ""),
        "region_id": values.get("region_id"),
        "departement_id": values.get("departement_id"),
        "epci_id": values.get("epci_id"),
        "is_active": True,
    }


def _import_levels(data, report):
    """Upsert each level top-down (a level's foreign keys need the ids of the one above).
    Returns {kind: {code: id}}."""
    population = _populations(data["communes"])
    ids = {}
    ids["country"] = _upsert(
        Territory.Kind.COUNTRY,
        {FRANCE_CODE: _row("France", population=population["country"][FRANCE_CODE])},
        report,
    )
    ids["region"] = _upsert(
        Territory.Kind.REGION,
        {
            r["code"]: _row(r["name"], zone=r["zone"], population=population["region"][r["code"]])
            for r in data["regions"]
        },
        report,
    )
    ids["departement"] = _upsert(
        Territory.Kind.DEPARTEMENT,
        {
            d["code"]: _row(
                d["name"],
                zone=d["zone"],
                population=population["departement"][d["code"]],
                region_id=ids["region"][d["region"]],
            )
            for d in data["departements"]
        },
        report,
    )
    seats = _epci_seat_departements(data)
    departement_region = {d["code"]: d["region"] for d in data["departements"]}
    ids["epci"] = _upsert(
        Territory.Kind.EPCI,
        {
            e["code"]: _row(
                e["name"],
                siren=e["code"],
                epci_type=e["type"],
                population=e["population"],
                departement_id=ids["departement"][seats[e["code"]]],
                region_id=ids["region"][departement_region[seats[e["code"]]]],
            )
            for e in data["epci"]
        },
        report,
    )
    epci_of = {member: e["code"] for e in data["epci"] for member in e["members"]}
    ids["commune"] = _upsert(
        Territory.Kind.COMMUNE,
        {
            c["code"]: _row(
                c["name"],
                siren=c["siren"],
                population=c["population"],
                postal_codes=c["postal_codes"],
                zone=c["zone"],
                region_id=ids["region"][c["region"]],
                departement_id=ids["departement"][c["departement"]],
                epci_id=ids["epci"].get(epci_of.get(c["code"])),
            )
            for c in data["communes"]
        },
        report,
    )
    return ids


def _populations(communes):
    """Population of France, régions and départements: the sum of their communes'."""
    totals = {"country": Counter(), "region": Counter(), "departement": Counter()}
    for c in communes:
        pop = c["population"] or 0
        totals["country"][FRANCE_CODE] += pop
        totals["region"][c["region"]] += pop
        totals["departement"][c["departement"]] += pop
    return totals


def _epci_seat_departements(data):
    """{EPCI code: département code of its most populous member commune}."""
    communes = {c["code"]: c for c in data["communes"]}
    return {
        e["code"]: max(
            (communes[m] for m in e["members"]), key=lambda c: (c["population"] or 0, c["code"])
        )["departement"]
        for e in data["epci"]
    }


def _upsert(kind, rows, report):
    """Write the rows of one level that are new or differ; deactivate vanished codes.
    Returns {code: id} for the level."""
    existing = {
        code: values
        for code, *values in Territory.objects.filter(kind=kind)
        .order_by()
        .values_list("code", *FIELDS)
    }
    changed = [
        Territory(kind=kind, code=code, **values)
        for code, values in rows.items()
        if existing.get(code) != [values[f] for f in FIELDS]
    ]
    Territory.objects.bulk_create(
        changed,
        batch_size=BATCH_SIZE,
        update_conflicts=True,
        unique_fields=["kind", "code"],
        update_fields=UPSERT_FIELDS,
    )
    vanished = [code for code, values in existing.items() if code not in rows and values[-1]]
    for start in range(0, len(vanished), BATCH_SIZE):
        report.deactivated += Territory.objects.filter(
            kind=kind, code__in=vanished[start : start + BATCH_SIZE]
        ).update(is_active=False)
    report.written += len(changed)
    report.counts[kind] = len(rows)
    return dict(Territory.objects.filter(kind=kind).order_by().values_list("code", "id"))


def _wanted_links(data, ids):
    """Every (descendant id, ancestor id) pair the source implies, self pairs included."""
    france = ids["country"][FRANCE_CODE]
    region = ids["region"]
    departement = ids["departement"]
    departement_region = {departement[d["code"]]: region[d["region"]] for d in data["departements"]}
    links = {(france, france)}
    for r in data["regions"]:
        pk = region[r["code"]]
        links |= {(pk, pk), (pk, france)}
    for d in data["departements"]:
        pk = departement[d["code"]]
        links |= {(pk, pk), (pk, region[d["region"]]), (pk, france)}
    seats = _epci_seat_departements(data)
    epci_of = {}
    for e in data["epci"]:
        pk = ids["epci"][e["code"]]
        seat = departement[seats[e["code"]]]
        links |= {(pk, pk), (pk, seat), (pk, departement_region[seat]), (pk, france)}
        epci_of.update(dict.fromkeys(e["members"], pk))
    for c in data["communes"]:
        pk = ids["commune"][c["code"]]
        parents = (departement[c["departement"]], region[c["region"]], france, pk)
        links |= {(pk, parent) for parent in parents}
        if c["code"] in epci_of:
            links.add((pk, epci_of[c["code"]]))
    return links


def _sync_ancestors(wanted, report):
    """Insert missing links and remove stale ones between imported territories. Links to or from
    custom perimeters, and links of territories absent from the source, are left alone."""
    existing = {
        (descendant, ancestor): pk
        for pk, descendant, ancestor in TerritoryAncestor.objects.filter(
            descendant__kind__in=IMPORTED_KINDS, ancestor__kind__in=IMPORTED_KINDS
        )
        .order_by()
        .values_list("id", "descendant_id", "ancestor_id")
    }
    in_source = {descendant for descendant, _ in wanted}
    stale = [pk for pair, pk in existing.items() if pair not in wanted and pair[0] in in_source]
    for start in range(0, len(stale), BATCH_SIZE):
        TerritoryAncestor.objects.filter(pk__in=stale[start : start + BATCH_SIZE]).delete()
    missing = sorted(wanted - existing.keys())
    _insert_links(missing)
    report.links_added = len(missing)
    report.links_removed = len(stale)
    report.links_total = len(existing) - len(stale) + len(missing)


def _insert_links(pairs):
    """Insert (descendant id, ancestor id) pairs as plain tuples: building 180,000 model instances
    for bulk_create costs more than the inserts themselves. Only missing pairs come here, so no
    conflict can occur."""
    quote = connection.ops.quote_name
    target = (
        f"{quote(TerritoryAncestor._meta.db_table)} "
        f"({quote('descendant_id')}, {quote('ancestor_id')})"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY is about 2.5 times faster than multi-row INSERTs here.
            with cursor.cursor.copy(f"COPY {target} FROM STDIN") as copy:
                for pair in pairs:
                    copy.write_row(pair)
            return
        max_params = connection.features.max_query_params or 2 * LINK_BATCH_SIZE
        size = min(LINK_BATCH_SIZE, max_params // 2)
        for start in range(0, len(pairs), size):
            batch = pairs[start : start + size]
            values = ", ".join(["(%s, %s)"] * len(batch))
            cursor.execute(f"INSERT INTO {target} VALUES {values}", [v for p in batch for v in p])
