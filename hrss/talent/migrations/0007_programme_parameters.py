"""Load the talent programmes' dated policy data added to the codes data
(``talent.programme.experts_per_declaration`` and ``talent.programme.notice_days``: what a new
programme takes by default). Only missing rows are created; whatever an administrator changed
is left alone."""

from django.db import migrations


def load(apps, schema_editor):
    from hrss.codes.loader import load_parameters

    load_parameters(apps.get_model("codes", "PolicyParameter"))


class Migration(migrations.Migration):
    dependencies = [("talent", "0006_programmes"), ("codes", "0003_seed_code_tables")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
