"""Fill ApplicationCount from the applications already there (the triggers of 0009 keep it
from then on). Recounting from scratch is idempotent: writes made meanwhile are counted too."""

from django.db import migrations

RECOUNT = [
    "DELETE FROM applications_applicationcount",
    "INSERT INTO applications_applicationcount (call_id, state, eligible, scored, total) "
    "SELECT call_id, state, CASE WHEN eligible THEN 1 WHEN NOT eligible THEN 0 ELSE 2 END, "
    "score IS NOT NULL, COUNT(*) FROM applications_application GROUP BY 1, 2, 3, 4",
]


def recount(apps, schema_editor):
    for sql in RECOUNT:
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("applications", "0009_application_count_triggers")]

    operations = [migrations.RunPython(recount, migrations.RunPython.noop)]
