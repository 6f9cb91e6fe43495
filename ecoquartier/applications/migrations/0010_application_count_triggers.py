"""Database triggers keeping ApplicationCount equal to a COUNT of the applications in each case
(call, state, eligibility, scored), in the same transaction as every write (ADR 19). The SQL
lives in `applications/counts.py`, which also re-installs the triggers after a migration that
dropped them."""

from django.db import migrations

from ecoquartier.applications import counts


def create(apps, schema_editor):
    counts.install_triggers(schema_editor.connection)


def drop(apps, schema_editor):
    counts.drop_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("applications", "0009_application_counts")]

    operations = [migrations.RunPython(create, drop)]
