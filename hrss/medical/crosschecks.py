"""Cross-insurance screens over medical settlements (S7), pure: polars frames in, findings out.

The insurance app's eligibility cross-checks (待遇资格比对) look at its benefits against the
registry and the contribution ledger; these look at the medical settlements against the same
facts, set-based, and their findings become cases of the smart monitoring like the rules of
``screening``:

* ``employee_while_pensioned`` — settlements as an employee (在职职工) in a month for which
  the person was paid a basic pension: the insured category and the benefit contradict each
  other (the category was not changed at retirement, the pension is drawn while working, or
  the card is used by someone else).
* ``two_insuring_regions`` — one person's settlements in one month under the policies of two
  or more insuring regions (参保统筹区): insured twice (重复参保), drawing benefits twice.

Settlements after the death date are ``screening``'s ``after_death`` (the registry's death
date). Unemployment benefit is deliberately not a screen here: the unemployed drawing it stay
in the employees' scheme, their premiums paid by the unemployment fund (社会保险法 第四十八条),
so an employee's settlement then is what the law provides.

``claims`` has one row per settlement still in force (reversed ones left out):
    claim_id, institution_id, district, person_id, visit_date, category, policy_region, total
``pensioned`` has one row per person and month paid a pension: person_id, month (YYYY-MM).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import polars as pl

from hrss.medical.screening import Finding, typed_frame

RULES = ("employee_while_pensioned", "two_insuring_regions")
EMPLOYEE = "employee"  # the person category 在职职工 (data/person_categories.csv)
CLAIM_SCHEMA: dict[str, Any] = {
    "claim_id": pl.Utf8,
    "institution_id": pl.Utf8,
    "district": pl.Utf8,
    "person_id": pl.Utf8,
    "visit_date": pl.Date,
    "category": pl.Utf8,
    "policy_region": pl.Utf8,
    "total": pl.Float64,
}
PENSIONED_SCHEMA: dict[str, Any] = {"person_id": pl.Utf8, "month": pl.Utf8}


def claims_frame(rows: Iterable[tuple[Any, ...]]) -> pl.DataFrame:
    """The service's rows (ids and dates as text or values, amounts as numbers) as a typed frame."""
    return typed_frame(rows, CLAIM_SCHEMA)


def pensioned_frame(rows: Iterable[tuple[str, str]]) -> pl.DataFrame:
    return pl.DataFrame(list(rows), schema=PENSIONED_SCHEMA, orient="row")


def _by_person_month(claims: pl.DataFrame) -> pl.DataFrame:
    """Per person and month: the claims (costliest first), the institution and district of the
    costliest (where the case is worked), the total billed, the insuring regions."""
    return (
        claims.with_columns(pl.col("visit_date").dt.strftime("%Y-%m").alias("month"))
        .sort(["person_id", "month", "total", "claim_id"], descending=[False, False, True, False])
        .group_by("person_id", "month", maintain_order=True)
        .agg(
            pl.col("claim_id"),
            pl.col("institution_id").first(),
            pl.col("district").first(),
            pl.col("total").sum().alias("billed"),
            pl.col("policy_region").unique().sort().alias("regions"),
            pl.col("visit_date").min().alias("first_visit"),
        )
    )


def _findings(rule: str, groups: pl.DataFrame, figures: Any) -> list[Finding]:
    return [
        Finding(
            rule=rule,
            subject=row["person_id"],
            period=row["month"],
            institution_id=row["institution_id"],
            district=row["district"],
            person_id=row["person_id"],
            claims=list(row["claim_id"]),
            amount=float(row["billed"]),
            figures=figures(row),
        )
        for row in groups.iter_rows(named=True)
    ]


def employee_while_pensioned(claims: pl.DataFrame, pensioned: pl.DataFrame) -> list[Finding]:
    """Settlements as an employee in a month the person was paid a basic pension."""
    employee = claims.filter(pl.col("category") == EMPLOYEE)
    if not len(employee) or not len(pensioned):
        return []
    groups = _by_person_month(employee).join(pensioned.unique(), on=["person_id", "month"], how="inner")
    return _findings(
        "employee_while_pensioned",
        groups,
        lambda row: {"category": EMPLOYEE, "pension_paid_for": row["month"], "settlements": len(row["claim_id"])},
    )


def two_insuring_regions(claims: pl.DataFrame) -> list[Finding]:
    """One person's settlements in one month under policies of two or more insuring regions."""
    if not len(claims):
        return []
    groups = _by_person_month(claims).filter(pl.col("regions").list.len() > 1)
    return _findings(
        "two_insuring_regions",
        groups,
        lambda row: {"insuring_regions": list(row["regions"]), "settlements": len(row["claim_id"])},
    )


def evaluate(claims: pl.DataFrame, pensioned: pl.DataFrame) -> list[Finding]:
    return employee_while_pensioned(claims, pensioned) + two_insuring_regions(claims)
