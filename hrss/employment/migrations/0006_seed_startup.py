"""Load the start-up parameters (added to hrss/codes/data/policy_parameters.csv) and the
service hall's employment items 就业登记 (SH-JY-002), 创业担保贷款 (SH-JY-003) and
一次性创业补贴 (SH-JY-004) from ``items.json``. Only missing rows are created."""

from django.db import migrations

ITEMS = ("SH-JY-002", "SH-JY-003", "SH-JY-004")


def load(apps, schema_editor):
    from hrss.codes.loader import load_parameters
    from hrss.servicehall.catalogue import read_items, to_traditional

    load_parameters(apps.get_model("codes", "PolicyParameter"))
    ServiceItem = apps.get_model("servicehall", "ServiceItem")
    for row in read_items():
        if row["code"] not in ITEMS or ServiceItem.objects.filter(code=row["code"]).exists():
            continue
        item = ServiceItem(**row)
        item.name_zh_hant = to_traditional(item.name_zh_hans)
        item.summary_zh_hant = to_traditional(item.summary_zh_hans)
        item.save()


class Migration(migrations.Migration):
    dependencies = [
        ("employment", "0005_startup_and_employment_registration"),
        ("codes", "0003_seed_code_tables"),
        ("servicehall", "0009_tracking_channels"),
    ]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
