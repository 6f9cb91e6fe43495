"""Fill ApplicationCount from the applications already there (the triggers of 0010 keep it
from then on). Recounting from scratch is idempotent: writes made meanwhile are counted too."""

from django.db import migrations

from ecoquartier.applications import counts


def recount(apps, schema_editor):
    counts.recount(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("applications", "0010_application_count_triggers")]

    operations = [migrations.RunPython(recount, migrations.RunPython.noop)]
