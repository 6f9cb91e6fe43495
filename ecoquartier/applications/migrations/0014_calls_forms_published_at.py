"""Fill calls' `forms_published_at` (calls 0010) from the forms already published: the first
publication of each call's forms (ApplicationForm.save keeps it from then on)."""

from django.db import migrations
from django.db.models import Min, OuterRef, Subquery


def fill(apps, schema_editor):
    Call = apps.get_model("calls", "Call")
    ApplicationForm = apps.get_model("applications", "ApplicationForm")
    first = (
        ApplicationForm.objects.filter(step__call=OuterRef("pk"), published_at__isnull=False)
        .values("step__call")
        .annotate(first=Min("published_at"))
        .values("first")
    )
    Call.objects.filter(forms_published_at__isnull=True).update(forms_published_at=Subquery(first))


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0013_opinions_and_annotations"),
        ("calls", "0010_call_forms_published_at"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
