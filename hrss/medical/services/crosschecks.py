"""Cross-insurance screens of the smart monitoring (S7): the window's settlements as the run
read them, the months the insurance app paid those persons a pension in another (its ledger facts,
``InsuranceConfig.ledger_facts``, found through the app registry, never imported), handed to
the pure ``hrss.medical.crosschecks``. ``monitoring_run`` raises their findings as cases."""

from __future__ import annotations

import datetime as dt

import polars as pl
from django.utils.translation import gettext_lazy

from hrss.core.declarations import DeclaredModule
from hrss.medical import crosschecks, screening
from hrss.medical.models import Claim
from hrss.medical.services.claims import standing

# The insurance app's ledger facts, registered in MedicalConfig.ready(): the benefit months here,
# the medical members and own contributions paid for services/insured.py and services/accounts.py.
ledger = DeclaredModule(
    "ledger_facts", missing=gettext_lazy("The contribution ledger is not available."), code="ledger_unavailable"
)
PENSION = "pension"  # the insurance app's benefit kind of the basic pension


def claims_of(claims: pl.DataFrame, institutions: pl.DataFrame) -> pl.DataFrame:
    """The cross-checks' claims frame (``crosschecks.CLAIM_SCHEMA``) from the monitoring run's
    reads (``screening.CLAIM_SCHEMA`` and ``INSTITUTION_SCHEMA``), so the run reads them once."""
    joined = claims.join(institutions, on="institution_id", how="left")
    return joined.select(
        _canonical("claim_id"),
        _canonical("institution_id"),
        "district",
        _canonical("person_id"),
        "visit_date",
        "category",
        "policy_region",
        pl.col("claim_total").alias("total"),
    )


def _canonical(name: str) -> pl.Expr:
    """A UUID as text in its canonical form, as ``str(uuid)`` gives it and the insurance
    ledger's persons are compared in (SQLite keeps UUIDs as 32 hex digits)."""
    column = pl.col(name)
    dashed = pl.concat_str(
        [
            column.str.slice(0, 8),
            column.str.slice(8, 4),
            column.str.slice(12, 4),
            column.str.slice(16, 4),
            column.str.slice(20),
        ],
        separator="-",
    )
    return pl.when(column.str.len_chars() == 32).then(dashed).otherwise(column).alias(name)


def findings(start: dt.date, end: dt.date, claims: pl.DataFrame) -> list[screening.Finding]:
    """The cross-insurance findings over the monitoring run's settlements from ``start`` to
    ``end`` (``claims``, as ``claims_of`` makes them) and the pension months of their employees
    (one query, whatever the number of settlements)."""
    months: set = set()
    if len(claims) and ledger.module is not None:
        employees = Claim.objects.filter(standing(start, end), policy__category_id=crosschecks.EMPLOYEE)
        months = ledger.get().benefit_months(
            persons=employees.values("person_id"), first=start.replace(day=1), last=end.replace(day=1), kinds=[PENSION]
        )
    pensioned = crosschecks.pensioned_frame((str(person), f"{month:%Y-%m}") for person, month, _kind in months)
    return crosschecks.evaluate(claims, pensioned)
