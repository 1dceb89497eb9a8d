"""The service hall's 异地就医备案 item (SH-YB-001) from ``items.json``; kept if it exists."""

from django.db import migrations

ITEMS = ("SH-YB-001",)


def load(apps, schema_editor):
    from hrss.servicehall.catalogue import read_items, to_traditional

    ServiceItem = apps.get_model("servicehall", "ServiceItem")
    for row in read_items():
        if row["code"] not in ITEMS or ServiceItem.objects.filter(code=row["code"]).exists():
            continue
        item = ServiceItem(**row)
        item.name_zh_hant = to_traditional(item.name_zh_hans)
        item.summary_zh_hant = to_traditional(item.summary_zh_hans)
        item.save()


class Migration(migrations.Migration):
    dependencies = [("medical", "0003_filing"), ("servicehall", "0009_tracking_channels")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
