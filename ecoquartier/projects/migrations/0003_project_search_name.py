from django.db import migrations, models

from ecoquartier.territories.text import fold


def fill_search_names(apps, schema_editor):
    Project = apps.get_model("projects", "Project")
    projects = list(Project.objects.only("pk", "name"))
    for project in projects:
        project.search_name = fold(project.name)
    Project.objects.bulk_update(projects, ["search_name"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0002_social_dwellings_within_dwellings"),
    ]

    operations = [
        migrations.AddField(
            model_name="project",
            name="search_name",
            field=models.CharField(db_index=True, default="", editable=False, max_length=200),
        ),
        migrations.RunPython(fill_search_names, migrations.RunPython.noop),
    ]
