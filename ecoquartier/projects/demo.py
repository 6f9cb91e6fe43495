"""Demo step: projects from data/demo/projects.yaml, created and edited through the services,
so that each gets its slug, its permission checks and its timeline like any other project."""

from decimal import Decimal
from pathlib import Path

import yaml
from django.conf import settings
from django.core.management.base import CommandError

from ecoquartier.accounts.models import User
from ecoquartier.organisations.models import Organisation
from ecoquartier.projects.models import OperationType, Project, Theme
from ecoquartier.projects.services import create_project, slug_base, update_project
from ecoquartier.projects.taxonomy import load_taxonomy
from ecoquartier.territories.models import Territory

PROJECTS_FILE = Path(settings.BASE_DIR) / "data" / "demo" / "projects.yaml"
DEFAULT_AUTHOR = "admin@demo.ecoquartier.fr"
DECIMAL_FIELDS = ("latitude", "longitude", "area_ha")
PLAIN_FIELDS = (
    "name",
    "summary",
    "description",
    "stage",
    "dwellings",
    "social_dwellings",
    "inhabitants",
    "jobs",
    "is_public",
)


def _get(queryset, what, **lookup):
    found = queryset.filter(**lookup).first()
    if found is None:
        raise CommandError(
            f"{what} introuvable ({lookup}) : lancez import_territories puis load_demo en entier."
        )
    return found


def _holder(ref):
    kind, code = ref.split(":", 1)
    return _get(
        Organisation.objects, "Organisation", kind=kind, territory__kind=kind, territory__code=code
    )


def _data(row):
    data = {name: row[name] for name in PLAIN_FIELDS if name in row}
    data.update({name: Decimal(str(row[name])) for name in DECIMAL_FIELDS if name in row})
    data["holders"] = [_holder(ref) for ref in row["holders"]]
    data["communes"] = [
        _get(Territory.objects, "Commune", kind=Territory.Kind.COMMUNE, code=code)
        for code in row["communes"]
    ]
    data["operation_types"] = [
        _get(OperationType.objects, "Type d'opération", slug=slug)
        for slug in row.get("operation_types", [])
    ]
    for name in ("themes", "hooks"):
        data[name] = [_get(Theme.objects, "Thématique", slug=slug) for slug in row.get(name, [])]
    return data


def _author(email):
    return _get(User.objects, "Compte de démonstration", email=email)


def _create(row):
    project = create_project(_author(row.get("created_by", DEFAULT_AUTHOR)), _data(row))
    for edit in row.get("history", []):
        project = update_project(_author(edit["by"]), project, edit["set"], project.version)
    return project


def load(path=PROJECTS_FILE):
    load_taxonomy()
    rows = yaml.safe_load(Path(path).read_text(encoding="utf-8"))["projects"]
    existing = set(
        Project.objects.filter(slug__in=[slug_base(r["name"]) for r in rows]).values_list(
            "slug", flat=True
        )
    )
    new = [row for row in rows if slug_base(row["name"]) not in existing]
    for row in new:
        _create(row)
    return f"{len(new)} projets créés, {len(rows) - len(new)} déjà présents."
