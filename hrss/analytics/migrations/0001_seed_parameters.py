"""Load the analytics policy parameters (added to hrss/codes/data/policy_parameters.csv): the
least count open statistics publish (``statistics.suppression_k``)."""

from django.db import migrations


def seed(apps, schema_editor):
    from hrss.codes.loader import load_parameters

    load_parameters(apps.get_model("codes", "PolicyParameter"))


class Migration(migrations.Migration):
    dependencies = [("codes", "0003_seed_code_tables")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
