"""The monitoring's thresholds (``medical.monitor.*`` policy parameters of the codes app) and the
catalogue items its sex and age rules name; only missing rows are created."""

from django.db import migrations


def load(apps, schema_editor):
    from hrss.codes.loader import load_parameters
    from hrss.medical.reference import reference_load

    load_parameters(apps.get_model("codes", "PolicyParameter"))
    reference_load(apps.get_model)


class Migration(migrations.Migration):
    dependencies = [("medical", "0005_monitoring"), ("codes", "0003_seed_code_tables")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
