"""Load this app's policy parameters (added to hrss/codes/data/policy_parameters.csv)."""

from django.db import migrations


def seed(apps, schema_editor):
    from hrss.codes.loader import load_parameters

    load_parameters(apps.get_model("codes", "PolicyParameter"))


class Migration(migrations.Migration):
    dependencies = [("employment", "0003_policy_runs"), ("codes", "0003_seed_code_tables")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
