"""Loads the reference data shipped in ``data/`` (S4): person categories, the catalogue,
designated institutions with their contracts, and the policy figures, each row dated and
naming its source.

Used by the data migration with historical models and by ``hrss medical load`` afterwards.
Rows that exist are left as they are (an administrator's correction is never overwritten);
the loader reports how many rows it added.
"""

from __future__ import annotations

import csv
import functools
import json
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"


def _rows(filename: str) -> list[dict[str, str]]:
    with (DATA_DIR / filename).open(encoding="utf-8", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def reference_load(get_model: Any) -> dict[str, int]:
    """Load every reference table; ``get_model(app, name)`` returns the (possibly historical) model."""
    category, item, institution, contract, policy = (
        get_model("medical", name) for name in ("PersonCategory", "CatalogueItem", "Institution", "Contract", "Policy")
    )
    added = dict.fromkeys(("categories", "catalogue", "institutions", "contracts", "policies"), 0)
    for row in _rows("person_categories.csv"):
        _, created = category.objects.get_or_create(
            code=row["code"],
            defaults={"name": row["name"], "has_account": row["has_account"] == "true", "source": row["source"]},
        )
        added["categories"] += created
    for row in _rows("catalogue.csv"):
        _, created = item.objects.get_or_create(
            code=row["code"],
            region=row["region"],
            valid_from=row["valid_from"],
            defaults={
                "name": row["name"],
                "kind": row["kind"],
                "klass": row["klass"],
                "self_pay_share": row["self_pay_share"] or "0",
                "unit": row["unit"],
                "source": row["source"],
                "valid_to": row["valid_to"] or None,
            },
        )
        added["catalogue"] += created
    for row in _rows("institutions.csv"):
        _, created = institution.objects.get_or_create(
            code=row["code"],
            defaults={k: row[k] for k in ("name", "kind", "level", "region", "district", "source")},
        )
        added["institutions"] += created
    codes = dict(institution.objects.values_list("code", "pk"))
    for row in _rows("contracts.csv"):
        _, created = contract.objects.get_or_create(
            number=row["number"],
            defaults={
                "institution_id": codes[row["institution"]],
                "valid_from": row["valid_from"],
                "valid_to": row["valid_to"] or None,
                "source": row["source"],
            },
        )
        added["contracts"] += created
    for row in _rows("policies.csv"):
        _, created = policy.objects.get_or_create(
            region=row["region"],
            category_id=row["category"],
            pooling=row["pooling"],
            level=row["level"],
            valid_from=row["valid_from"],
            defaults={
                "deductible": row["deductible"],
                "deductible_per_visit": row["deductible_per_visit"] == "true",
                "bands": json.loads(row["bands"]),
                "annual_cap": row["annual_cap"],
                "outing_reduction": row["outing_reduction"],
                "valid_to": row["valid_to"] or None,
                "source": row["source"],
                "confidence": row["confidence"],
                "verified": row["verified"] == "true",
            },
        )
        added["policies"] += created
    return added


def chronic_load(get_model: Any) -> dict[str, int]:
    """Load the chronic and special diseases (门诊慢特病, ``data/chronic_diseases.csv``); the
    门特 policy figures are rows of ``policies.csv`` (pooling ``chronic``), loaded by
    ``reference_load``."""
    disease = get_model("medical", "ChronicDisease")
    added = 0
    for row in _rows("chronic_diseases.csv"):
        _, created = disease.objects.get_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "source": row["source"],
                "valid_from": row["valid_from"],
                "valid_to": row["valid_to"] or None,
            },
        )
        added += created
    return {"chronic_diseases": added}


def account_rules_load(get_model: Any) -> dict[str, int]:
    """Load how personal accounts are credited (``data/account_rules.csv``: per region and
    person category, a share of the own contribution or a fixed amount a month, dated)."""
    rule = get_model("medical", "AccountRule")
    added = 0
    for row in _rows("account_rules.csv"):
        _, created = rule.objects.get_or_create(
            region=row["region"],
            category_id=row["category"],
            valid_from=row["valid_from"],
            defaults={
                "basis": row["basis"],
                "share": row["share"] or None,
                "amount": row["amount"] or None,
                "valid_to": row["valid_to"] or None,
                "source": row["source"],
                "confidence": row["confidence"],
                "verified": row["verified"] == "true",
            },
        )
        added += created
    return {"account_rules": added}


@functools.cache
def monitoring_rules() -> dict[str, dict[str, Any]]:
    """The monitoring's rules as data (``data/monitoring_rules.json``), by code, read at run time."""
    with (DATA_DIR / "monitoring_rules.json").open(encoding="utf-8") as handle:
        return {rule["code"]: rule for rule in json.load(handle)["rules"]}


@functools.cache
def monitoring_items() -> tuple[dict[str, str], ...]:
    """The catalogue's monitoring data (``data/monitoring_items.csv``): daily dose, quantity
    limit of one bill, sex and age limits, each with its source."""
    return tuple(_rows("monitoring_items.csv"))
