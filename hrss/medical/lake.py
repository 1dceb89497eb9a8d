"""The medical app's extract for the analytics lake (``MedicalConfig.lake_tables``): its
settlements, reversals and refunds, for the open statistics of medical care (S8).

De-identified (see ``hrss.core.lake``): the insured person treated is a pseudonym; a claim is its kind,
the month of the visit, the district and level of the institution, the pooling, whether it was
settled across regions, whether a settlement still stands (not reversed), and its amounts in
fen (a reversal's and a refund's negative). No diagnosis or disease, bill line, doctor,
institution name or transaction id leaves the database.

A snapshot (a dimension table): a reversal marks its settlement as well as adding a row of its
own, so the rows are not append-only. Its count moves with every claim, so the snapshot is
written again after any day with claims.
"""

from __future__ import annotations

from django.db.models import BigIntegerField, BooleanField, ExpressionWrapper, F, Q, Value
from django.db.models.functions import Cast, Coalesce, Round, TruncMonth

from hrss.core.lake import LakeTable
from hrss.medical.models import Claim, Pooling


def _fen(column: str) -> Cast:
    # rounded before the cast: SQLite keeps decimals as floating point
    return Cast(Round(F(column) * 100), BigIntegerField())


def _claims():
    return (
        Claim.objects.annotate(
            insured=F("person_id"),
            visit_month=TruncMonth("visit_date"),
            district=Coalesce(F("institution__district"), Value("")),
            level=F("institution__level"),
            in_force=ExpressionWrapper(Q(reversed_at__isnull=True), output_field=BooleanField()),
            total_fen=_fen("total"),
            fund_fen=_fen("fund"),
        )
        .order_by()
        .values(
            "insured",
            "kind",
            "visit_month",
            "district",
            "level",
            "pooling",
            "cross_region",
            "in_force",
            "total_fen",
            "fund_fen",
        )
    )


TABLES = (
    LakeTable(
        name="medical_claims",
        description="medical settlements, reversals and refunds: month, institution district and level, pooling, amounts",
        rows=_claims,
        columns={
            "insured": "string",
            "kind": "string",
            "visit_month": "date32",
            "district": "string",
            "level": "string",
            "pooling": "string",
            "cross_region": "bool",
            "in_force": "bool",
            "total_fen": "int64",
            "fund_fen": "int64",
        },
        pseudonyms={"insured": "person"},
        changed="updated_at",
        labels={"pooling": dict(Pooling.choices)},
    ),
)
