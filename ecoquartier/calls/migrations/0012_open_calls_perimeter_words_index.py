"""PostgreSQL: the open calls' perimeters and words in one partial GIN index, at a horizon moved
each night (calls/open_words.py, ADR 27). It replaces the GIN index over every call's perimeter
and words (migration 0011), which still read every call holding a common word at ten times
today's calls. SQLite keeps its full-text indexes (calls/fts.py)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from ecoquartier.calls import open_words

    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {open_words.INDEX}")
        schema_editor.execute(open_words.create_sql(open_words.INDEX, _now()))
        schema_editor.execute("DROP INDEX IF EXISTS calls_call_perimeter_words_gin")
        schema_editor.execute("ANALYZE calls_call")  # The new expression's statistics.


def backwards(apps, schema_editor):
    from ecoquartier.calls import open_words

    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS calls_call_perimeter_words_gin "
            "ON calls_call USING gin (perimeter_id, search_vector)"
        )
        schema_editor.execute(f"DROP INDEX IF EXISTS {open_words.INDEX}")


def _now():
    from django.utils import timezone

    return timezone.now()


class Migration(migrations.Migration):
    dependencies = [("calls", "0011_perimeter_words_and_open_calls_indexes")]

    operations = [migrations.RunPython(forwards, backwards)]
