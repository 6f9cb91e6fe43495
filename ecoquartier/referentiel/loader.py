"""Load référentiel versions from YAML files, idempotently.

Running the loader twice with the same file changes nothing; editing a wording and reloading
updates it in place. Rows that disappeared from the file are removed, unless an assessment already
answers them: then the database refuses (PROTECT) and the whole file is rolled back.
"""

from dataclasses import dataclass
from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction
from django.db.models import ProtectedError

from ecoquartier.referentiel.models import (
    Commitment,
    Dimension,
    GuidingQuestion,
    ReferentielVersion,
)

DATA_DIR = Path(settings.BASE_DIR) / "data" / "referentiel"


class ReferentielFileError(ValueError):
    pass


@dataclass
class LoadResult:
    version: ReferentielVersion
    created: bool
    dimensions: int
    commitments: int
    questions: int


def default_files():
    return sorted(DATA_DIR.glob("*.yaml"))


def read(path):
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    check(data, path)
    return data


def check(data, path):
    """Refuse a file whose structure would break invariants the models cannot express."""
    for key in ("code", "title", "dimensions"):
        if not data.get(key):
            raise ReferentielFileError(f"{path}: missing '{key}'")
    dimension_numbers = [d["number"] for d in data["dimensions"]]
    commitment_numbers = [c["number"] for d in data["dimensions"] for c in d["commitments"]]
    if len(set(dimension_numbers)) != len(dimension_numbers):
        raise ReferentielFileError(f"{path}: duplicate dimension number")
    if len(set(commitment_numbers)) != len(commitment_numbers):
        raise ReferentielFileError(f"{path}: duplicate commitment number")
    for dimension in data["dimensions"]:
        for commitment in dimension["commitments"]:
            if not commitment.get("questions"):
                raise ReferentielFileError(
                    f"{path}: commitment {commitment['number']} has no guiding question"
                )


@transaction.atomic
def load(path):
    data = read(path)
    version, created = ReferentielVersion.objects.update_or_create(
        code=str(data["code"]),
        defaults={
            "title": data["title"],
            "description": data.get("description", ""),
            "published_on": data.get("published_on"),
            "is_current": False,
        },
    )
    counts = _load_dimensions(version, data["dimensions"])
    if data.get("current"):
        # Unset the previous current version first: the unique constraint allows only one.
        ReferentielVersion.objects.exclude(pk=version.pk).filter(is_current=True).update(
            is_current=False
        )
        version.is_current = True
        version.save(update_fields=["is_current"])
    return LoadResult(version, created, *counts)


def _load_dimensions(version, dimensions):
    existing_commitments = {c.number: c for c in Commitment.objects.of_version(version)}
    kept_dimensions, kept_commitments, n_questions = [], [], 0
    for item in dimensions:
        dimension, _ = Dimension.objects.update_or_create(
            version=version,
            number=item["number"],
            defaults={
                "title": item["title"],
                "description": item.get("description", ""),
                "colour": item.get("color", "#000091"),
            },
        )
        kept_dimensions.append(dimension.pk)
        for entry in item["commitments"]:
            commitment = _upsert_commitment(existing_commitments, dimension, entry)
            kept_commitments.append(commitment.pk)
            n_questions += _load_questions(commitment, entry["questions"])
    _remove_obsolete(version, kept_dimensions, kept_commitments)
    return len(kept_dimensions), len(kept_commitments), n_questions


def _upsert_commitment(existing, dimension, entry):
    commitment = existing.get(entry["number"]) or Commitment(number=entry["number"])
    commitment.dimension = dimension
    commitment.title = entry["title"]
    commitment.description = entry.get("description", "")
    commitment.save()
    return commitment


def _load_questions(commitment, questions):
    for position, text in enumerate(questions, start=1):
        GuidingQuestion.objects.update_or_create(
            commitment=commitment, position=position, defaults={"text": text}
        )
    commitment.questions.filter(position__gt=len(questions)).delete()
    return len(questions)


def _remove_obsolete(version, kept_dimensions, kept_commitments):
    try:
        Commitment.objects.filter(dimension__version=version).exclude(
            pk__in=kept_commitments
        ).delete()
        version.dimensions.exclude(pk__in=kept_dimensions).delete()
    except ProtectedError as error:
        raise ReferentielFileError(
            f"version {version.code}: a commitment removed from the file is used by an "
            "assessment; publish a new version instead of editing this one"
        ) from error
