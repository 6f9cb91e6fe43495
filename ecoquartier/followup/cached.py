"""What the follow-up's pages compute from many rows, cached by generation (core/generations,
ADR 24): the dashboard's rows and a follow-up's burn-down figures.

Every save or delete of a follow-up or one of its parts (conventions and their parties, days,
grants and instalments, milestones and deliverables) raises the GENERATION counter in the same
transaction (`track` in apps.py); the cache keys hold it with the counters of the names these
rows show (projects, organisations, programmes, territories) and the day (what is late depends
on it) and the language. A change anywhere moves a counter and the next request computes again:
nothing older than the database is ever served, whatever cache (local memory, Redis) holds it.
"""

import hashlib

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language

from ecoquartier.calls.models import GENERATION as CALLS
from ecoquartier.core.generations import current

GENERATION = "followup"
NAMES = (GENERATION, "projects", "organisations", CALLS, "territories")
TIMEOUT = 24 * 3600  # Keys hold the day: yesterday's entries are never read again.


def stamp(today=None):
    """The part of every key that changes with the data, the day and the language (one query)."""
    counters = ".".join(str(value) for value in current(*NAMES))
    return f"{counters}:{(today or timezone.localdate()).isoformat()}:{get_language()}"


def reader(user):
    """What decides which follow-ups `user` sees, beyond the counters: who they are and their
    memberships (read once a request, cached on the user). Part of the keys of what is cached
    per reader (the dashboard's page, its programmes)."""
    from ecoquartier.organisations.permissions import memberships

    roles = sorted(f"{m.organisation_id}.{m.role}" for m in memberships(user))
    return f"{user.pk}:{int(user.is_superuser)}:{','.join(roles)}"


def value(kind, key, compute, at=None):
    """The value of `kind` for `key`, cached under `at` (a `stamp()`, read now when None);
    `compute()` when missing."""
    digest = hashlib.blake2b(key.encode(), digest_size=16).hexdigest()  # Any length in, short out.
    full = f"followup:{kind}:{at or stamp()}:{digest}"
    found = cache.get(full)
    if found is None:
        found = compute()
        cache.set(full, found, TIMEOUT)
    return found


def many(kind, ids, compute, at=None):
    """{id: value} for `ids`, from the cache where it holds them (under `at`, as `value`), else
    from `compute(missing ids)` ({id: value}), which are then cached."""
    prefix = f"followup:{kind}:{at or stamp()}:"
    keys = {pk: f"{prefix}{pk}" for pk in ids}
    found = cache.get_many(list(keys.values()))
    values = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [pk for pk in ids if pk not in values]
    if missing:
        fresh = compute(missing)
        cache.set_many({keys[pk]: value for pk, value in fresh.items()}, TIMEOUT)
        values.update(fresh)
    return values
