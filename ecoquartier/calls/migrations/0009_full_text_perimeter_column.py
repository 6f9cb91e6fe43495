"""SQLite only: the finder's full-text index (calls/fts.py, ADR 22) gains a column holding each
call's perimeter id, so that a territory search intersects its words and its perimeters inside
the index. The index is dropped and rebuilt with its triggers; nothing on PostgreSQL."""

from django.db import migrations


def rebuild(apps, schema_editor):
    from ecoquartier.calls import fts

    fts.install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("calls", "0008_perimeter_index_and_sqlite_full_text")]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
