"""Load the matching's dated parameter added to the codes data (``employment.match.nearby_km``:
how far a district's centre may be from one the seeker wants to count as nearby). Only missing
rows are created; whatever an administrator changed is left alone."""

from django.db import migrations


def load(apps, schema_editor):
    from hrss.codes.loader import load_parameters

    load_parameters(apps.get_model("codes", "PolicyParameter"))


class Migration(migrations.Migration):
    dependencies = [("employment", "0010_vacancy_updated_index"), ("codes", "0003_seed_code_tables")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
