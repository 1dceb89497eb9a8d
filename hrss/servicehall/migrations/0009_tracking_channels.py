"""Where an applicant can follow an application (A1's channel parity), per catalogue item;
databases seeded before take the items' values from ``items.json``."""

from django.db import migrations, models


def update(apps, schema_editor):
    from hrss.servicehall.catalogue import read_items

    ServiceItem = apps.get_model("servicehall", "ServiceItem")
    for row in read_items():
        if "tracking_channels" in row:
            ServiceItem.objects.filter(code=row["code"]).update(tracking_channels=row["tracking_channels"])


class Migration(migrations.Migration):
    dependencies = [("servicehall", "0008_separation_of_duties")]

    operations = [
        migrations.AddField(
            model_name="serviceitem",
            name="tracking_channels",
            field=models.JSONField(default=list, verbose_name="tracking channels"),
        ),
        migrations.RunPython(update, migrations.RunPython.noop),
    ]
