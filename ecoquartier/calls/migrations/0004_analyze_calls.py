from django.db import migrations


class Migration(migrations.Migration):
    """Fresh planner statistics for the new finder index: without them SQLite prefers it even
    where the perimeter index is far better (a territory search read every published call)."""

    dependencies = [("calls", "0003_finder_covering_index")]

    operations = [migrations.RunSQL("ANALYZE calls_call", reverse_sql=migrations.RunSQL.noop)]
