"""Load the credit event kinds from ``hrss/credit/data``, the credit model's parameters added to
the codes data, and the service hall's 信用信息异议申请 items (SH-XY-001/002) from ``items.json``.

Only missing rows are created; whatever an administrator changed is left alone."""

from django.db import migrations

ITEMS = ("SH-XY-001", "SH-XY-002")


def load(apps, schema_editor):
    from hrss.codes.loader import load_parameters
    from hrss.credit.reference import kinds_load
    from hrss.servicehall.catalogue import read_items, to_traditional

    load_parameters(apps.get_model("codes", "PolicyParameter"))
    kinds_load(apps.get_model)
    ServiceItem = apps.get_model("servicehall", "ServiceItem")
    for row in read_items():
        if row["code"] not in ITEMS or ServiceItem.objects.filter(code=row["code"]).exists():
            continue
        item = ServiceItem(**row)
        item.name_zh_hant = to_traditional(item.name_zh_hans)
        item.summary_zh_hant = to_traditional(item.summary_zh_hans)
        item.save()


class Migration(migrations.Migration):
    dependencies = [("credit", "0001_initial"), ("codes", "0003_seed_code_tables"), ("servicehall", "0009_tracking_channels")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
