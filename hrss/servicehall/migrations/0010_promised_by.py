"""The promised completion date (承诺时限) of an application, beside its statutory deadline;
and no internal placeholder in an item's published legal basis: the talent green card's
"（文号待核实）" (document number to be verified) goes to ``internal_note`` in ``items.json``; and
the card photo's note takes a full-width comma (白底，JPG/PNG)."""

from django.db import migrations, models

PLACEHOLDER = "（文号待核实）"


def public_text(apps, schema_editor):
    ServiceItem = apps.get_model("servicehall", "ServiceItem")
    for item in ServiceItem.objects.filter(legal_basis__contains=PLACEHOLDER):
        item.legal_basis = item.legal_basis.replace(PLACEHOLDER, "")
        item.save(update_fields=["legal_basis"])
    for item in ServiceItem.objects.filter(code="SH-KA-001"):
        for material in item.materials:
            if material.get("note") == "白底, JPG/PNG":
                material["note"] = "白底，JPG/PNG"
        item.save(update_fields=["materials"])


class Migration(migrations.Migration):
    dependencies = [
        ("servicehall", "0009_tracking_channels"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="promised_by",
            field=models.DateField(blank=True, null=True, verbose_name="promised completion date"),
        ),
        migrations.RunPython(public_text, migrations.RunPython.noop),
    ]
