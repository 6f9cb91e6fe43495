"""Load indicator sets from YAML files (data/indicators/), idempotently.

Loading the same file twice changes nothing; a corrected wording is updated in place. A set is
identified by its `code`, an indicator by (set, code): a new version is a new file, and the
versions coexist (values keep pointing at the definition they were recorded against). An
indicator removed from its file is deleted unless a project recorded a value for it: then the
database refuses (PROTECT) and the whole file is rolled back.
"""

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction
from django.db.models import ProtectedError

from ecoquartier.core.generations import bump
from ecoquartier.indicators.models import (
    GENERATION,
    Challenge,
    Direction,
    Indicator,
    IndicatorSet,
    Source,
)
from ecoquartier.referentiel.models import Commitment, ReferentielVersion

DATA_DIR = Path(settings.BASE_DIR) / "data" / "indicators"
FIELDS = {
    "name": "name", "definition": "definition", "method": "method", "unit": "unit",
    "precision": "precision", "min": "min_value", "max": "max_value", "direction": "direction",
    "band_low": "band_low", "band_high": "band_high", "challenge": "challenge",
    "source": "source", "label_base": "label_base",
}  # fmt: skip
DECIMALS = {"min_value", "max_value", "band_low", "band_high"}


class IndicatorFileError(ValueError):
    pass


@dataclass
class LoadResult:
    indicator_set: IndicatorSet
    created: bool
    indicators: int
    label_base: int


def default_files():
    return sorted(DATA_DIR.glob("*.yaml"))


def read(path):
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    check(data, path)
    return data


def check(data, path):
    """Refuse what the models cannot express: missing keys, duplicate codes, unknown choices."""
    for key in ("code", "title", "published_on", "indicators"):
        if not data.get(key):
            raise IndicatorFileError(f"{path}: missing '{key}'")
    codes = [row.get("code") for row in data["indicators"]]
    if None in codes or len(set(codes)) != len(codes):
        raise IndicatorFileError(f"{path}: every indicator needs a unique code")
    for row in data["indicators"]:
        for key, choices in (("direction", Direction), ("challenge", Challenge),
                             ("source", Source)):  # fmt: skip
            if row.get(key) not in choices.values:
                raise IndicatorFileError(f"{path}: {row['code']}: bad {key} {row.get(key)!r}")
        if not row.get("name") or not row.get("unit"):
            raise IndicatorFileError(f"{path}: {row['code']}: name and unit are required")
        if row["direction"] == Direction.BAND and (row.get("band_low") is None) != (
            row.get("band_high") is None
        ):
            raise IndicatorFileError(f"{path}: {row['code']}: a band needs both ends")


def _values(row, order):
    values = {"order": order, "definition": "", "method": "", "precision": 0,
              "label_base": False}  # fmt: skip
    for key, field in FIELDS.items():
        if key in row:
            value = row[key]
            values[field] = (
                Decimal(str(value)) if field in DECIMALS and value is not None else value
            )
    for field in DECIMALS:
        values.setdefault(field, None)
    return values


@transaction.atomic
def load(path):
    data = read(path)
    referentiel = None
    if data.get("referentiel"):
        referentiel = ReferentielVersion.objects.filter(code=str(data["referentiel"])).first()
    indicator_set, created = IndicatorSet.objects.update_or_create(
        code=str(data["code"]),
        defaults={"title": data["title"], "published_on": data["published_on"],
                  "is_current": bool(data.get("current")), "referentiel": referentiel},
    )  # fmt: skip
    if indicator_set.is_current:
        IndicatorSet.objects.exclude(pk=indicator_set.pk).update(is_current=False)
        bump(GENERATION)  # a bulk write sends no signal
    commitments = {}
    if referentiel is not None:
        commitments = {c.number: c for c in Commitment.objects.of_version(referentiel)}
    codes = []
    for order, row in enumerate(data["indicators"]):
        indicator, _created = Indicator.objects.update_or_create(
            indicator_set=indicator_set, code=row["code"], project=None, programme=None,
            defaults=_values(row, order),
        )  # fmt: skip
        wanted = [commitments[n] for n in row.get("commitments", []) if n in commitments]
        if {c.pk for c in indicator.commitments.all()} != {c.pk for c in wanted}:
            indicator.commitments.set(wanted)
        codes.append(row["code"])
    stale = Indicator.objects.filter(
        indicator_set=indicator_set, project=None, programme=None
    ).exclude(code__in=codes)
    try:
        stale.delete()
    except ProtectedError as error:
        raise IndicatorFileError(
            f"{path}: indicators removed from the file have values: "
            + ", ".join(sorted({str(obj.indicator.code) for obj in error.protected_objects}))
        ) from error
    return LoadResult(
        indicator_set, created, len(codes), sum(1 for row in data["indicators"]
                                                if row.get("label_base")),
    )  # fmt: skip
