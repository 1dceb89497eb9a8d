"""The shipped catalogue (事项清单): ``items.json`` is data, loaded by a migration and ``hrss servicehall catalogue``.

Traditional Chinese is generated from the Simplified text with OpenCC (s2t) and marked
unreviewed; an administrator reviews it in the admin, and a reviewed text is never
overwritten by a reload.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

CATALOGUE_FILE = Path(__file__).resolve().parent / "items.json"
_FIELDS = (
    "name_zh_hans",
    "name_en",
    "summary_zh_hans",
    "summary_en",
    "category",
    "department",
    "legal_basis",
    "time_limit_workdays",
    "promised_workdays",
    "materials",
    "fees",
    "channels",
    "tracking_channels",
    "online_level",
    "applicant_type",
    "form",
    "process_key",
    "owning_app",
    "sort_order",
    "separation_of_duties",
    "one_open_application",
)


@cache
def _converter() -> Any:
    import opencc

    return opencc.OpenCC("s2t")


def to_traditional(text: str) -> str:
    return _converter().convert(text) if text else ""


def read_items(path: Path = CATALOGUE_FILE) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return list(json.load(handle))


def load_catalogue(model: Any, path: Path = CATALOGUE_FILE) -> tuple[int, int]:
    """Create or update the items in the file; returns (created, updated).

    Works with the real model and with a migration's historical model alike.
    """
    created = updated = 0
    for row in read_items(path):
        values = {name: row[name] for name in _FIELDS if name in row}
        item = model.objects.filter(code=row["code"]).first()
        if item is None:
            item = model(code=row["code"])
            created += 1
        else:
            updated += 1
        for name, value in values.items():
            setattr(item, name, value)
        if not item.zh_hant_reviewed:
            item.name_zh_hant = to_traditional(item.name_zh_hans)
            item.summary_zh_hant = to_traditional(item.summary_zh_hans)
        item.save()
    return created, updated
