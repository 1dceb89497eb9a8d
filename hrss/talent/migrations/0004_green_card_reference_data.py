"""Load the talent green card's dated policy data added to the codes data
(``talent.green_card.*`` policy parameters: each category's thresholds on degree, title,
award and annual salary, the employer types that qualify, the validity in years) and the
service hall's item 人才绿卡申领 SH-RC-001 from ``items.json``.

Only missing rows are created; whatever an administrator changed is left alone."""

from django.db import migrations

ITEMS = ("SH-RC-001",)


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
    dependencies = [("talent", "0003_green_card"), ("codes", "0003_seed_code_tables"), ("servicehall", "0009_tracking_channels")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
