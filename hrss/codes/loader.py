"""Loads the code tables and policy parameters shipped in ``hrss/codes/data``.

Used by the data migrations (with historical models) and by ``hrss codes load``. Rows
that exist are left as they are: an administrator's correction is never overwritten by
a reload; the function reports how many rows it added.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_rows(filename: str) -> Iterator[dict[str, str]]:
    path = DATA_DIR / filename
    if not path.exists():
        return iter(())
    with path.open(encoding="utf-8", newline="") as handle:
        return iter([{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)])


def _load_tree(model: Any, rows: list[dict[str, str]], extra: Any = None) -> int:
    existing = set(model.objects.values_list("code", flat=True))
    new = [row for row in rows if row["code"] not in existing]
    model.objects.bulk_create(
        [model(code=row["code"], name=row["name"], level=row["level"], **(extra(row) if extra else {})) for row in new]
    )
    for row in new:
        if row.get("parent_code"):
            model.objects.filter(code=row["code"]).update(parent_id=row["parent_code"])
    return len(new)


def load_districts(model: Any) -> int:
    rows = list(read_rows("districts.csv"))
    added = _load_tree(
        model, rows, lambda r: {"status": r["status"], "source": r["source"], "confidence": r["confidence"] or "O"}
    )
    for row in rows:
        if row.get("successor_code"):
            model.objects.filter(code=row["code"], successor__isnull=True).update(successor_id=row["successor_code"])
    return added


def load_parameters(model: Any) -> int:
    added = 0
    for row in read_rows("policy_parameters.csv"):
        _, created = model.objects.get_or_create(
            name=row["name"],
            region=row["region"] or "100000",
            valid_from=row["valid_from"],
            defaults={
                "value": Decimal(row["value"]),
                "unit": row["unit"],
                "valid_to": row["valid_to"] or None,
                "source": row["source"],
                "confidence": row["confidence"],
                "verified": row["verified"].lower() == "true",
                "note": row.get("note", ""),
            },
        )
        added += created
    return added


def load_flat(model: Any, filename: str, fields: tuple[str, ...]) -> int:
    existing = set(model.objects.values_list("code", flat=True))
    new = [row for row in read_rows(filename) if row["code"] not in existing]
    model.objects.bulk_create([model(**{f: row.get(f, "") for f in fields}) for row in new])
    return len(new)


def load_all(get_model: Any) -> dict[str, int]:
    """Load every table; ``get_model(name)`` returns the (possibly historical) model class."""
    return {
        "districts": load_districts(get_model("District")),
        "industries": _load_tree(get_model("Industry"), list(read_rows("industries.csv"))),
        "occupations": _load_tree(get_model("Occupation"), list(read_rows("occupations.csv"))),
        "education_levels": load_flat(get_model("EducationLevel"), "education_levels.csv", ("code", "name")),
        "insurance_types": load_flat(
            get_model("InsuranceType"), "insurance_types.csv", ("code", "name", "name_en", "mohrss_code")
        ),
        "policy_parameters": load_parameters(get_model("PolicyParameter")),
    }
