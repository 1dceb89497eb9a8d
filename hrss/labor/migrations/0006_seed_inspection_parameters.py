"""Load the labour inspection parameters added to the codes data (complaint acceptance days)."""

from django.db import migrations


def seed(apps, schema_editor):
    from hrss.codes.loader import load_parameters

    load_parameters(apps.get_model("codes", "PolicyParameter"))


class Migration(migrations.Migration):
    dependencies = [("labor", "0005_complaints_and_leads"), ("codes", "0003_seed_code_tables")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
