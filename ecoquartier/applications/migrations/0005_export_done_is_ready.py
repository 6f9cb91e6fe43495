"""Exports share the background jobs' statuses (core.jobs): a finished export is "ready"."""

from django.db import migrations


def forwards(apps, schema_editor):
    apps.get_model("applications", "Export").objects.filter(status="done").update(status="ready")


def backwards(apps, schema_editor):
    apps.get_model("applications", "Export").objects.filter(status="ready").update(status="done")


class Migration(migrations.Migration):
    dependencies = [("applications", "0004_background_job_attempts")]

    operations = [migrations.RunPython(forwards, backwards)]
