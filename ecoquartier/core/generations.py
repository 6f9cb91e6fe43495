"""Generations: one counter per kind of data, so that what is computed from it can be cached.

An app declares which models make up a kind of data (`track`); every save, delete or
many-to-many change of them raises the counter in the same transaction, and code that writes in
bulk (bypassing signals) calls `bump` itself. A cache key that contains the current counters
(`current`, one query for any number of them) never serves data older than the database: a
change moves the counter and the next request computes and caches again. The counters live in the
database, so every process (web workers, task worker) sees the same ones whatever the cache.
"""

from hashlib import sha256

from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save

from ecoquartier.core.models import Generation


def bump(name):
    """Raise the counter of `name` (inside the caller's transaction, if any)."""
    if Generation.objects.filter(name=name).update(value=F("value") + 1):
        return
    try:
        with transaction.atomic():
            Generation.objects.create(name=name, value=1)
    except IntegrityError:  # Created meanwhile by another writer.
        Generation.objects.filter(name=name).update(value=F("value") + 1)


def current(*names):
    """The counters of `names`, in that order (0 for a name never bumped); one query, in plain
    SQL: most pages read it (the visitors' cache keys), and the ORM took longer to build this
    statement than the database to run it."""
    if not names:
        return ()
    quote = connection.ops.quote_name
    table = quote(Generation._meta.db_table)
    name, value = (quote(Generation._meta.get_field(f).column) for f in ("name", "value"))
    marks = ", ".join(["%s"] * len(names))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {name}, {value} FROM {table} WHERE {name} IN ({marks})", names)
        values = dict(cursor.fetchall())
    return tuple(values.get(name, 0) for name in names)


def track(name, *models):
    """Bump `name` whenever an instance of `models`, or one of their many-to-many links, changes."""

    def changed(sender, **kwargs):
        if kwargs.get("raw"):  # Fixture loading.
            return
        if kwargs.get("action", "post_").startswith("post_"):
            bump(name)

    for model in models:
        uid = f"generation:{name}:{model._meta.label}"
        post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"{uid}:save")
        post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"{uid}:delete")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(
                changed, sender=through, weak=False, dispatch_uid=f"{uid}:{field.name}"
            )


# --- Caching what is computed from the data ---------------------------------------------------

# Keys hold the counters (and, where it matters, the day): an entry is never older than the data,
# the timeout only frees memory.
CACHE_SECONDS = 24 * 3600


def cache_key(*parts):
    """A short cache key for `parts` (their repr): a page or a kind of value, the counters it
    was computed at (`current`), the language, the reader when it depends on who reads."""
    return "generations:" + sha256(repr(parts).encode()).hexdigest()


def cached(key, compute, timeout=CACHE_SECONDS):
    """compute()'s value, kept under `key` (a `cache_key` holding the counters). `compute`
    never returns None (None is a miss)."""
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout)
    return value


def cached_many(keys, compute, timeout=CACHE_SECONDS):
    """{id: value} for `keys` ({id: its `cache_key`}): from the cache where it holds them, else
    from `compute(missing ids)` ({id: value}), then kept. One read, at most one write."""
    found = cache.get_many(list(keys.values()))
    values = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [pk for pk in keys if pk not in values]
    if missing:
        fresh = compute(missing)
        cache.set_many({keys[pk]: value for pk, value in fresh.items()}, timeout)
        values.update(fresh)
    return values
