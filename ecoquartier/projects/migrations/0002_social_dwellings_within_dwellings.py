from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0001_initial"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="project",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("social_dwellings__isnull", True),
                    ("dwellings__isnull", True),
                    ("social_dwellings__lte", models.F("dwellings")),
                    _connector="OR",
                ),
                name="project_social_dwellings_within_dwellings",
                violation_error_message=(
                    "Le nombre de logements sociaux ne peut pas dépasser le nombre de logements."
                ),
            ),
        ),
    ]
