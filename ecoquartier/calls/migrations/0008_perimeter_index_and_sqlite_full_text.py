"""The finder's territory index and, on SQLite, the full-text index of its fallback columns
(calls/fts.py, ADR 22): an FTS5 table kept by triggers. Skipped on PostgreSQL (its GIN index
is migration 0002's) and on an SQLite without FTS5 (the finder keeps its LIKE search)."""

from django.db import migrations, models


def create(apps, schema_editor):
    from ecoquartier.calls import fts

    fts.install(schema_editor.connection)


def drop(apps, schema_editor):
    from ecoquartier.calls import fts

    fts.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("calls", "0007_finder_deadline_order_and_next_change_indexes")]

    operations = [
        migrations.AddIndex(
            model_name="call",
            index=models.Index(
                fields=["perimeter", "state", "deadline_order", "archived_at"],
                name="call_perimeter_open",
            ),
        ),
        migrations.RunPython(create, drop),
        migrations.RunSQL("ANALYZE calls_call", reverse_sql=migrations.RunSQL.noop),
    ]
