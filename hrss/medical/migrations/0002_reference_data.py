"""Load the reference data (person categories, catalogue, designated institutions and their
contracts, policy figures) from ``hrss/medical/data``. Only missing rows are created."""

from django.db import migrations


def load(apps, schema_editor):
    from hrss.medical.reference import reference_load

    reference_load(apps.get_model)


class Migration(migrations.Migration):
    dependencies = [("medical", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
