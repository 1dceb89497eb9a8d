"""The contribution ledger's extract for the analytics lake (``InsuranceConfig.lake_tables``).

One row per ledger row (append-only, so exported incrementally by its key): the month, the
person and the employer (none for a flexible worker) as pseudonyms, where the payer is (the employer's district and industry
section; a flexible worker's residence district), which insurances the row carries, the
base and the amounts in fen. Corrections are rows of their own (``kind``, ``revision``):
metrics that count the insured read the assessed rows.
"""

from __future__ import annotations

from typing import Any

from django.db.models import BooleanField, Case, ExpressionWrapper, F, Q, Value, When
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear

from hrss.core.lake import LakeTable
from hrss.insurance.models import ContributionMonth


def _flag(prefix: str) -> ExpressionWrapper:
    return ExpressionWrapper(Q(**{f"{prefix}_employer_ppm__isnull": False}), output_field=BooleanField())


def _amount(*columns: str) -> Any:
    total: Any = Value(0)
    for column in columns:
        total = total + Coalesce(F(column), Value(0))
    return total


def _contributions():
    return (
        ContributionMonth.objects.annotate(
            seq=F("id"),
            period_index=ExtractYear("period") * 12 + ExtractMonth("period") - 1,
            insured=F("person_id"),
            employing=F("employer_id"),
            district=Case(
                When(employer__isnull=False, then=Coalesce(F("employer__district_id"), Value(""))),
                default=Coalesce(F("person__residence_district_id"), Value("")),
            ),
            industry_section=Coalesce(F("employer__industry__parent_id"), F("employer__industry_id"), Value("")),
            pension=_flag("pension"),
            medical=_flag("medical"),
            unemployment=_flag("unemployment"),
            work_injury=_flag("work_injury"),
            employer_fen=_amount(
                "pension_employer_fen", "medical_employer_fen", "unemployment_employer_fen", "work_injury_employer_fen"
            ),
            individual_fen=_amount(
                "pension_individual_fen",
                "medical_individual_fen",
                "unemployment_individual_fen",
                "work_injury_individual_fen",
            ),
        )
        .order_by()
        .values(
            "seq",
            "period",
            "period_index",
            "insured",
            "employing",
            "district",
            "industry_section",
            "category",
            "kind",
            "revision",
            "base_fen",
            "pension",
            "medical",
            "unemployment",
            "work_injury",
            "employer_fen",
            "individual_fen",
        )
    )


TABLES = (
    LakeTable(
        name="contributions",
        description="the contribution ledger: one row per person, month and payer",
        rows=_contributions,
        columns={
            "seq": "int64",
            "period": "date32",
            "period_index": "int32",
            "insured": "string",
            "employing": "string",
            "district": "string",
            "industry_section": "string",
            "category": "string",
            "kind": "string",
            "revision": "int32",
            "base_fen": "int64",
            "pension": "bool",
            "medical": "bool",
            "unemployment": "bool",
            "work_injury": "bool",
            "employer_fen": "int64",
            "individual_fen": "int64",
        },
        # ``employing`` is empty (null) for a flexible worker, who pays for themself
        pseudonyms={"insured": "person", "employing": "employer"},
        watermark="seq",
        partition_by=("period", "district"),
    ),
)
