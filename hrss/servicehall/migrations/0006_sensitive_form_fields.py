"""Sensitive form answers encrypted at rest (see ``hrss.servicehall.formdata``).

1. Mark the bank account (SH-YL-004 pension award, SH-SY-001 unemployment claim) and the
   postal address (SH-KA-001 card application) ``"sensitive": true`` in the stored form
   definitions, as ``items.json`` now does (databases seeded before keep their items).
2. Encrypt the answers to those fields that existing applications hold in the clear, in
   ``form_data`` and in the workflow's copy of the form (``form`` in the task data).

Not reversed: going back leaves the answers encrypted (and the flags set).
"""

import json

from django.db import migrations

SENSITIVE = {
    "SH-YL-004": {"bank_account": {}},
    "SH-SY-001": {"bank_account": {}},
    "SH-KA-001": {"address": {"mask": "head"}},
}
BATCH = 500


def flag(apps, schema_editor):
    ServiceItem = apps.get_model("servicehall", "ServiceItem")
    for item in ServiceItem.objects.filter(code__in=SENSITIVE):
        form = [dict(field) for field in item.form]
        changed = False
        for field in form:
            extra = SENSITIVE[item.code].get(field.get("name"))
            if extra is not None and not field.get("sensitive"):
                field.update({"sensitive": True, **extra})
                changed = True
        if changed:
            item.form = form
            item.save(update_fields=["form"])


def encrypt_existing(apps, schema_editor):
    from hrss.servicehall.formdata import is_sealed, map_workflow_forms, seal, sensitive_names

    ServiceItem = apps.get_model("servicehall", "ServiceItem")
    Application = apps.get_model("servicehall", "Application")
    forms = {item.pk: item.form for item in ServiceItem.objects.all() if sensitive_names(item.form)}
    if not forms:
        return
    changed = []
    rows = Application.objects.filter(item_id__in=list(forms)).only("pk", "item_id", "form_data", "workflow_state")
    for application in rows.iterator(chunk_size=BATCH):
        form = forms[application.item_id]
        names = sensitive_names(form)
        data = application.form_data or {}
        if not any(data.get(name) not in (None, "") and not is_sealed(data.get(name)) for name in names):
            continue
        application.form_data = seal(form, application.pk, data)
        application.workflow_state = (
            map_workflow_forms(application.workflow_state, lambda copy, form=form, pk=application.pk: seal(form, pk, copy))
            or application.workflow_state
        )
        changed.append(application)
        if len(changed) >= BATCH:
            Application.objects.bulk_update(changed, ["form_data", "workflow_state"])
            changed = []
    if changed:
        Application.objects.bulk_update(changed, ["form_data", "workflow_state"])


class Migration(migrations.Migration):
    dependencies = [("servicehall", "0005_insurance_items")]

    operations = [
        migrations.RunPython(flag, migrations.RunPython.noop),
        migrations.RunPython(encrypt_existing, migrations.RunPython.noop),
    ]
