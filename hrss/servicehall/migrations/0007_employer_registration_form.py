"""用人单位社会保险登记 (SH-YL-003) registers the employer for insurance: its form now asks
for the first month, the insurances and the work-injury risk class (``items.json``), and its
process works the registration out for the reviewer before it is made.

Databases seeded before get the item's new form and summary from ``items.json``; the rest
of the item (and whatever an administrator changed in it) is left alone. The process file
becomes a new version on first use, as any changed shipped process does. An application
already under way keeps its process version; its registration step refuses an answer
without a first month with that reason, so the employer applies again with the new form.
Not reversed: going back keeps the new form.
"""

from django.db import migrations

CODE = "SH-YL-003"


def update(apps, schema_editor):
    from hrss.servicehall.catalogue import read_items, to_traditional

    ServiceItem = apps.get_model("servicehall", "ServiceItem")
    item = ServiceItem.objects.filter(code=CODE).first()
    row = next((row for row in read_items() if row["code"] == CODE), None)
    if item is None or row is None:
        return
    item.form = row["form"]
    item.summary_zh_hans = row["summary_zh_hans"]
    item.summary_en = row["summary_en"]
    item.summary_zh_hant = to_traditional(row["summary_zh_hans"])
    item.save(update_fields=["form", "summary_zh_hans", "summary_en", "summary_zh_hant"])


class Migration(migrations.Migration):
    dependencies = [("servicehall", "0006_sensitive_form_fields")]

    operations = [migrations.RunPython(update, migrations.RunPython.noop)]
