"""Operation types, themes and *objets d'accroche* come from data/taxonomy.yaml, not code."""

from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction

from ecoquartier.core.reference import ReferenceList
from ecoquartier.projects.models import OperationType, Theme

TAXONOMY_FILE = Path(settings.BASE_DIR) / "data" / "taxonomy.yaml"
_LISTS = {
    "operation_types": ReferenceList(
        "projects:operation_types",
        lambda: list(OperationType.objects.values_list("pk", "label")),
        models=[OperationType],
    ),
    "themes": ReferenceList(
        "projects:themes",
        lambda: list(Theme.objects.filter(kind=Theme.Kind.THEME).values_list("pk", "label")),
        models=[Theme],
    ),
    "hooks": ReferenceList(
        "projects:hooks",
        lambda: list(Theme.objects.filter(kind=Theme.Kind.HOOK).values_list("pk", "label")),
        models=[Theme],
    ),
}


def taxonomy_choices(name):
    """[(pk, label)] of "operation_types", "themes" or "hooks", in their order; cached
    (core/reference.py), so a filter form runs no query for them."""
    return _LISTS[name]()


def _upsert(model, rows, **extra):
    """Create or update rows by slug; returns how many were created."""
    existing = {obj.slug: obj for obj in model.objects.filter(slug__in=[r["slug"] for r in rows])}
    created = 0
    for position, row in enumerate(rows, start=1):
        values = {"label": row["label"], "position": position, **extra}
        obj = existing.get(row["slug"])
        if obj is None:
            model.objects.create(slug=row["slug"], **values)
            created += 1
        elif any(getattr(obj, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(obj, name, value)
            obj.save()
    return created


@transaction.atomic
def load_taxonomy(path=TAXONOMY_FILE):
    """Idempotent: rows are matched on their slug and never deleted. Returns created counts."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return {
        "operation_types": _upsert(OperationType, data["operation_types"]),
        "themes": _upsert(Theme, data["themes"], kind=Theme.Kind.THEME),
        "hooks": _upsert(Theme, data["hooks"], kind=Theme.Kind.HOOK),
    }
