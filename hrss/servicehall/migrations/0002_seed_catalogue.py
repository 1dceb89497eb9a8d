from django.db import migrations


def load(apps, schema_editor):
    from hrss.servicehall.catalogue import load_catalogue

    load_catalogue(apps.get_model("servicehall", "ServiceItem"))


class Migration(migrations.Migration):
    dependencies = [("servicehall", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
