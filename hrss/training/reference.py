"""Loads the published reference data shipped in ``data/`` (T1): policies, the qualification
catalogue and the shortage-occupation list, each row dated and naming its source.

Used by the data migration with historical models and by ``reference_load`` afterwards.
Rows that exist are left as they are (an administrator's correction is never overwritten);
the loader reports how many rows it added.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"


def _rows(filename: str) -> list[dict[str, str]]:
    with (DATA_DIR / filename).open(encoding="utf-8", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def reference_load(get_model: Any) -> dict[str, int]:
    """Load every reference table; ``get_model(name)`` returns the (possibly historical) model."""
    policy, qualification, shortage = (
        get_model("training", name) for name in ("TrainingPolicy", "Qualification", "ShortageOccupation")
    )
    added = {"policies": 0, "qualifications": 0, "shortage_occupations": 0}
    for row in _rows("policies.csv"):
        _, created = policy.objects.get_or_create(
            code=row["code"],
            defaults={
                "title": row["title"],
                "summary": row["summary"],
                "issued_by": row["issued_by"],
                "source": row["source"],
                "valid_from": row["valid_from"],
                "valid_to": row["valid_to"] or None,
            },
        )
        added["policies"] += created
    for row in _rows("qualifications.csv"):
        _, created = qualification.objects.get_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "occupation_id": row["occupation"],
                "kind": row["kind"],
                "levels": sorted(int(level) for level in row["levels"].split()),
                "source": row["source"],
                "valid_from": row["valid_from"],
                "valid_to": row["valid_to"] or None,
            },
        )
        added["qualifications"] += created
    codes = dict(qualification.objects.values_list("code", "pk"))
    for row in _rows("shortage_occupations.csv"):
        _, created = shortage.objects.get_or_create(
            qualification_id=codes[row["qualification"]],
            edition=row["edition"],
            defaults={
                "rank": int(row["rank"]),
                "source": row["source"],
                "valid_from": row["valid_from"],
                "valid_to": row["valid_to"] or None,
            },
        )
        added["shortage_occupations"] += created
    return added
