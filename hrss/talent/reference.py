"""Loads the reference data shipped in ``data/`` (R3): the allowances a wage approval may
include (their amounts are the codes app's dated parameters ``talent.wage.allowance.<code>``).
Used by the data migration with historical models; rows that exist are left as they are."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"


def reference_load(get_model: Any) -> dict[str, int]:
    allowance = get_model("talent", "AllowanceKind")
    added = 0
    with (DATA_DIR / "allowances.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            _, created = allowance.objects.get_or_create(
                code=row["code"].strip(), defaults={"name": row["name"].strip(), "source": row["source"].strip()}
            )
            added += created
    return {"allowances": added}
