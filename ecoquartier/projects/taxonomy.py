"""Operation types, themes and *objets d'accroche* come from data/taxonomy.yaml, not code."""

from pathlib import Path

import yaml
from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from ecoquartier.projects.models import OperationType, Theme

TAXONOMY_FILE = Path(settings.BASE_DIR) / "data" / "taxonomy.yaml"
# Every filter form lists the taxonomy; it changes when load_taxonomy runs or in the admin. Saving
# or deleting a row clears the cached lists (signals in apps.py); the timeout bounds what another
# process may still hold when the cache is per process (the default local-memory cache).
CHOICES_SECONDS = 300
_CHOICES = {
    "operation_types": lambda: OperationType.objects.all(),
    "themes": lambda: Theme.objects.filter(kind=Theme.Kind.THEME),
    "hooks": lambda: Theme.objects.filter(kind=Theme.Kind.HOOK),
}


def _cache_key(name):
    return f"projects:taxonomy:{name}"


def taxonomy_choices(name):
    """[(pk, label)] of "operation_types", "themes" or "hooks", in their order; cached."""
    return cache.get_or_set(
        _cache_key(name),
        lambda: list(_CHOICES[name]().values_list("pk", "label")),
        CHOICES_SECONDS,
    )


def forget_taxonomy_choices(**kwargs):
    cache.delete_many([_cache_key(name) for name in _CHOICES])


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
