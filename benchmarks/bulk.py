"""Writing millions of synthetic rows: COPY on PostgreSQL, batched INSERTs on SQLite.

`insert(Model, objects)` takes any iterable of unsaved instances (a generator keeps memory flat)
and writes them without returning their keys: a builder that needs them reads them back by a
column it chose (a slug, a call, a title). Values go through each field's `get_db_prep_save`, as
`bulk_create` does, so JSON, decimals and dates are stored exactly as the ORM would store them.
"""

from itertools import islice

from django.db import connection

BATCH = 2000


def batched(iterable, size=BATCH):
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def insert(model, objects):
    """Write `objects` (unsaved `model` instances) in bulk; the number written."""
    if connection.vendor != "postgresql":
        written = 0
        for chunk in batched(objects):
            model.objects.bulk_create(chunk)
            written += len(chunk)
        return written
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key or f.generated)]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    written = 0
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for obj in objects:
            copy.write_row(
                [field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields]
            )
            written += 1
    return written
