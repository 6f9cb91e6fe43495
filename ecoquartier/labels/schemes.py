"""Load the label schemes from data/labels/schemes.yaml (idempotent: found by code, updated)."""

from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction

from ecoquartier.labels.models import LabelScheme, LabelStage

SCHEMES_FILE = Path(settings.BASE_DIR) / "data" / "labels" / "schemes.yaml"
RULES = (
    "requires_charter",
    "requires_previous",
    "min_years_after_delivery",
    "marks_delivery",
    "requires_use_phase",
    "requires_indicators",
)
DEFAULTS = {"requires_charter": True, "min_years_after_delivery": None}


@transaction.atomic
def load_schemes(path=SCHEMES_FILE):
    """Create or update every scheme and stage of the file; returns the number of stages."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    stages, mappings = {}, []
    for scheme_data in data["schemes"]:
        scheme, _ = LabelScheme.objects.update_or_create(
            code=str(scheme_data["code"]),
            defaults={"name": scheme_data["name"], "applies_from": scheme_data["applies_from"]},
        )
        for position, row in enumerate(scheme_data["stages"], start=1):
            defaults = {
                "name": row["name"],
                "short_name": row.get("short_name", row["name"]),
                "position": position,
                "entry": row["entry"],
                **{rule: row.get(rule, DEFAULTS.get(rule, False)) for rule in RULES},
            }
            stage, _ = LabelStage.objects.update_or_create(
                scheme=scheme, code=row["code"], defaults=defaults
            )
            stages[row["code"]] = stage
            mappings.append((stage, row.get("maps_to")))
    for stage, target in mappings:
        stage.maps_to = stages[target] if target else None
        stage.save(update_fields=["maps_to"])
    return len(stages)


def ensure_schemes():
    """Load the schemes unless they are there (demo and tests)."""
    if not LabelStage.objects.exists():
        load_schemes()
