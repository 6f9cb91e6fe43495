"""The free-text indicator rows of the label files are gone: their values were moved into the
indicators app by 0006."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("labels", "0006_indicator_rows_to_values")]

    operations = [migrations.DeleteModel(name="IndicatorRow")]
