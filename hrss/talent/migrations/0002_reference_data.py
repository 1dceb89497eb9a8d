"""Load the talent app's reference data (the allowances), the salary tables added to the
codes data (``talent.wage.*`` policy parameters: post wage by category and grade, salary
scale wage by step, allowances), and the service hall's items 公开招聘计划备案 SH-RS-001,
岗位变动 SH-RS-002 and 工资审批 SH-RS-003 from ``items.json``.

Only missing rows are created; whatever an administrator changed is left alone."""

from django.db import migrations

ITEMS = ("SH-RS-001", "SH-RS-002", "SH-RS-003")


def load(apps, schema_editor):
    from hrss.codes.loader import load_parameters
    from hrss.servicehall.catalogue import read_items, to_traditional
    from hrss.talent.reference import reference_load

    load_parameters(apps.get_model("codes", "PolicyParameter"))
    reference_load(apps.get_model)
    ServiceItem = apps.get_model("servicehall", "ServiceItem")
    for row in read_items():
        if row["code"] not in ITEMS or ServiceItem.objects.filter(code=row["code"]).exists():
            continue
        item = ServiceItem(**row)
        item.name_zh_hant = to_traditional(item.name_zh_hans)
        item.summary_zh_hant = to_traditional(item.summary_zh_hans)
        item.save()


class Migration(migrations.Migration):
    dependencies = [("talent", "0001_initial"), ("codes", "0003_seed_code_tables"), ("servicehall", "0009_tracking_channels")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
