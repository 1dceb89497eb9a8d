"""Workflow controls per catalogue item: separation of duties (职责分离) and one open
application per applicant, both on by default; a step's decision has labels.

Databases seeded before take the items' values from ``items.json`` (labour arbitration
allows several open claims: against different employers); the rest of each item is left
alone. Not reversed beyond dropping the columns.
"""

from django.db import migrations, models

FIELDS = ("separation_of_duties", "one_open_application")


def update(apps, schema_editor):
    from hrss.servicehall.catalogue import read_items

    ServiceItem = apps.get_model("servicehall", "ServiceItem")
    for row in read_items():
        values = {name: row[name] for name in FIELDS if name in row}
        if values:
            ServiceItem.objects.filter(code=row["code"]).update(**values)


class Migration(migrations.Migration):
    dependencies = [("servicehall", "0007_employer_registration_form")]

    operations = [
        migrations.AddField(
            model_name="serviceitem",
            name="one_open_application",
            field=models.BooleanField(
                default=True,
                help_text="refuse a new application while the applicant has one of this item open",
                verbose_name="one open application per applicant",
            ),
        ),
        migrations.AddField(
            model_name="serviceitem",
            name="separation_of_duties",
            field=models.BooleanField(
                default=True,
                help_text="one staff member may act on at most one review tier of an application",
                verbose_name="separation of duties",
            ),
        ),
        migrations.AlterField(
            model_name="workitem",
            name="decision",
            field=models.CharField(
                blank=True,
                choices=[("approve", "approved"), ("reject", "rejected"), ("supplement", "supplement requested")],
                max_length=20,
            ),
        ),
        migrations.RunPython(update, migrations.RunPython.noop),
    ]
