"""Load this app's policy parameters (added to hrss/codes/data/policy_parameters.csv) and the
work-injury industry risk classes (hrss/insurance/data/work_injury_industry_classes.csv)."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "work_injury_industry_classes.csv"


def seed(apps, schema_editor):
    from hrss.codes.loader import load_parameters

    load_parameters(apps.get_model("codes", "PolicyParameter"))
    Industry = apps.get_model("codes", "Industry")
    IndustryRiskClass = apps.get_model("insurance", "IndustryRiskClass")
    known = set(Industry.objects.values_list("code", flat=True))
    existing = set(IndustryRiskClass.objects.values_list("industry_id", flat=True))
    with DATA.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["industry"] in known and row["industry"] not in existing]
    IndustryRiskClass.objects.bulk_create(
        [
            IndustryRiskClass(
                industry_id=row["industry"],
                risk_class=int(row["risk_class"]),
                source=row["source"],
                confidence=row["confidence"],
                note=row["note"],
            )
            for row in rows
        ]
    )


class Migration(migrations.Migration):
    dependencies = [("insurance", "0001_initial"), ("codes", "0003_seed_code_tables")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
