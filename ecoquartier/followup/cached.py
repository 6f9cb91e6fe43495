"""What the follow-up's pages compute from many rows, cached by generation (core/generations,
ADR 24): the dashboard's rows and a follow-up's burn-down figures.

Every save or delete of a follow-up or one of its parts (conventions and their parties, days,
grants and instalments, milestones and deliverables) raises the GENERATION counter in the same
transaction (`track` in apps.py); the cache keys hold it with the counters of the names these
rows show (projects, organisations, programmes, territories) and the day (what is late depends
on it) and the language. A change anywhere moves a counter and the next request computes again:
nothing older than the database is ever served, whatever cache (local memory, Redis) holds it.
"""

from django.utils import timezone
from django.utils.translation import get_language

from ecoquartier.calls.models import GENERATION as CALLS
from ecoquartier.core.generations import cache_key, cached, cached_many, current

GENERATION = "followup"
NAMES = (GENERATION, "projects", "organisations", CALLS, "territories")


def stamp(today=None):
    """The part of every key that changes with the data, the day and the language (one query)."""
    return (current(*NAMES), (today or timezone.localdate()).isoformat(), get_language())


def value(kind, key, compute, at=None):
    """The value of `kind` for `key`, cached under `at` (a `stamp()`, read now when None)."""
    return cached(cache_key("followup", kind, at or stamp(), key), compute)


def many(kind, ids, compute, at=None):
    """{id: value} for `ids`, cached under `at` as `value`; `compute(missing ids)` the others."""
    at = at or stamp()
    return cached_many({pk: cache_key("followup", kind, at, pk) for pk in ids}, compute)
