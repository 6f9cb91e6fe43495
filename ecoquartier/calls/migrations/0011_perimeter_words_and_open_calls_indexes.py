"""The finder's search of a commune, made cheaper on both databases (ADR 26).

PostgreSQL: one GIN index over each call's perimeter and words (`btree_gin`, a contrib extension
shipped with PostgreSQL, like `unaccent`), so that a commune's few perimeters and its words are
intersected inside the index — what SQLite's full-text index does with its perimeter column
(migration 0009) — rather than fetching every call holding a common word and discarding those of
other perimeters. The single-column GIN index stays for the searches of wider territories.

SQLite: the open calls' full-text index and its horizon (calls/fts.py), beside the whole one."""

from django.db import migrations

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gin",
    "CREATE INDEX IF NOT EXISTS calls_call_perimeter_words_gin "
    "ON calls_call USING gin (perimeter_id, search_vector)",
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS calls_call_perimeter_words_gin"]


def forwards(apps, schema_editor):
    from ecoquartier.calls import fts

    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES_FORWARD:
            schema_editor.execute(sql)
    else:
        fts.install(schema_editor.connection)


def backwards(apps, schema_editor):
    from ecoquartier.calls import fts

    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES_BACKWARD:
            schema_editor.execute(sql)
    else:
        fts.drop_open(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("calls", "0010_call_forms_published_at")]

    operations = [migrations.RunPython(forwards, backwards)]
