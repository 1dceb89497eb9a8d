"""Loads the credit event kinds shipped in ``data/event_kinds.csv`` (A7), each dated and naming
its legal basis. Used by the data migration with historical models and by ``hrss credit
reference`` afterwards; rows that exist are left as an administrator set them."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"


def kinds_load(get_model: Any) -> int:
    kind = get_model("credit", "EventKind")
    added = 0
    with (DATA_DIR / "event_kinds.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            _, created = kind.objects.get_or_create(
                code=row["code"].strip(),
                defaults={
                    "name": row["name"].strip(),
                    "subject_kind": row["subject_kind"].strip(),
                    "direction": row["direction"].strip(),
                    "severe": row["severe"].strip().lower() == "true",
                    "legal_basis": row["legal_basis"].strip(),
                    "source": row["source"].strip(),
                    "valid_from": row["valid_from"].strip(),
                    "valid_to": row["valid_to"].strip() or None,
                },
            )
            added += created
    return added
