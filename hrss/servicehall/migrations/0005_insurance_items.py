"""Add the insurance items that came after the first catalogue (SH-YL-004 pension award,
SH-SY-001 unemployment benefit claim, SH-YL-005 transfer) to databases migrated before them.

Only missing items are created, from ``items.json``; items already there (and whatever an
administrator changed in them) are left alone. ``hrss servicehall catalogue`` reloads all.
"""

from django.db import migrations

ITEMS = ("SH-YL-004", "SH-SY-001", "SH-YL-005")


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
    dependencies = [("servicehall", "0004_workflow_state_text")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
