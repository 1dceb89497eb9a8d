"""Seed the card application catalogue (hrss/card/data/applications.csv) and the card's
policy parameters (validity, temporary loss period, coverage goal) added to the codes data."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "applications.csv"


def seed(apps, schema_editor):
    from hrss.codes.loader import load_parameters

    load_parameters(apps.get_model("codes", "PolicyParameter"))
    CardApplication = apps.get_model("card", "CardApplication")
    existing = set(CardApplication.objects.values_list("code", flat=True))
    with DATA.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["code"] not in existing]
    CardApplication.objects.bulk_create(
        CardApplication(
            code=row["code"],
            name=row["name"],
            name_en=row["name_en"],
            domain=row["domain"],
            channels=row["channels"],
            needs_financial=row["needs_financial"].lower() == "true",
            source=row["source"],
            verified=row["verified"].lower() == "true",
            note=row["note"],
        )
        for row in rows
    )


class Migration(migrations.Migration):
    dependencies = [("card", "0001_initial"), ("codes", "0003_seed_code_tables")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
