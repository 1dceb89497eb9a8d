from django.db import migrations


def load(apps, schema_editor):
    """The doctor screen's minimum settlements (medical.monitor.doctor_min_claims) and the cap on
    each unsupervised screen's cases (medical.monitor.forest_max_flags) added to the codes data;
    only missing rows are created."""
    from hrss.codes.loader import load_parameters

    load_parameters(apps.get_model("codes", "PolicyParameter"))


class Migration(migrations.Migration):
    dependencies = [
        ("codes", "0003_seed_code_tables"),
        ("medical", "0009_chronic_disease"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
