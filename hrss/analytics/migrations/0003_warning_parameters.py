"""Load the unemployment early warning's thresholds added to
hrss/codes/data/policy_parameters.csv (``analytics.warning.*``: the headcount drops in a month
and over three, the months of missed contributions, the base drop, the least headcount
watched, and the district band's months, k and least count). Only missing rows are created;
whatever an administrator changed is left alone."""

from django.db import migrations


def seed(apps, schema_editor):
    from hrss.codes.loader import load_parameters

    load_parameters(apps.get_model("codes", "PolicyParameter"))


class Migration(migrations.Migration):
    dependencies = [("analytics", "0002_early_warning"), ("codes", "0003_seed_code_tables")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
