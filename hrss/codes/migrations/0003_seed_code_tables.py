"""Seed the code tables and dated policy parameters from hrss/codes/data (see docs/domain.md)."""

from django.db import migrations


def seed(apps, schema_editor):
    from hrss.codes.loader import load_all

    load_all(lambda name: apps.get_model("codes", name))


class Migration(migrations.Migration):
    dependencies = [("codes", "0002_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
