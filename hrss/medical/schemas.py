"""API schemas of medical insurance; every request body carries a valid example.

Names carry ``Medical`` where another app could want the same (``ClaimOut`` is training's)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from hrss.codes import examples


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, str]


class MedicalCatalogueItemOut(Schema):
    code: str
    name: str
    kind: str
    klass: str
    self_pay_share: Decimal
    unit: str
    region: str
    source: str
    valid_from: dt.date
    valid_to: dt.date | None


class MedicalInstitutionOut(Schema):
    code: str
    name: str
    kind: str
    level: str
    region: str
    district: str


class MedicalLineIn(Schema):
    code: str = Field(..., min_length=1, max_length=30, description="catalogue code (unknown codes are outside it)")
    quantity: Decimal = Field(..., gt=0, max_digits=10, decimal_places=3)
    unit_price: Decimal = Field(..., ge=0, max_digits=12, decimal_places=4)
    name: str = Field("", max_length=120, description="the institution's name for an item not in the catalogue")


BILL_EXAMPLE: dict[str, Any] = {
    "card_number": examples.CARD_NUMBER,
    "card_pin": "123456",
    "pooling": "outpatient",
    "use_account": True,
    "lines": [
        {"code": "110200001", "quantity": "1", "unit_price": "50.00"},
        {"code": "C10AA05", "quantity": "28", "unit_price": "5.00"},
    ],
}


class MedicalVisitIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [BILL_EXAMPLE]})

    card_number: str = Field("", max_length=20, description="the social security card in the reader")
    card_pin: str = Field("", max_length=12, description="its PIN, keyed by the holder (with card_number)")
    ecard_code: str = Field("", max_length=2000, description="or the electronic card's dynamic code")
    pooling: Literal["inpatient", "outpatient"]
    visit_date: dt.date | None = Field(None, description="default today")
    use_account: bool = Field(True, description="pay the patient's share from the personal account first")
    lines: list[MedicalLineIn] = Field(..., min_length=1, max_length=200)


class MedicalSettleIn(MedicalVisitIn):
    model_config = ConfigDict(json_schema_extra={"examples": [{**BILL_EXAMPLE, "transaction_id": "HIS-20260105-0001"}]})

    transaction_id: str = Field(
        ..., min_length=1, max_length=64, description="the institution's own id; a retry sends the same"
    )


class MedicalReverseIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"transaction_id": "HIS-20260105-0001-R"}]})

    transaction_id: str = Field(..., min_length=1, max_length=64)


class MedicalRefundIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"transaction_id": "HIS-20260105-0001-F1", "line_numbers": [2]}]}
    )

    transaction_id: str = Field(..., min_length=1, max_length=64)
    line_numbers: list[int] = Field(..., min_length=1, max_length=200)


class MedicalClaimLineOut(Schema):
    line_no: int
    code: str
    name: str
    klass: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    out_of_catalogue: Decimal
    class_b_self_pay: Decimal


class MedicalClaimOut(Schema):
    transaction_id: str
    kind: str
    original_transaction_id: str | None
    institution_code: str
    institution_name: str
    pooling: str
    visit_date: dt.date
    cross_region: bool
    referred: bool
    total: Decimal
    out_of_catalogue: Decimal
    class_b_self_pay: Decimal
    scope: Decimal
    deductible_applied: Decimal
    fund: Decimal
    over_cap: Decimal
    patient: Decimal
    account: Decimal
    cash: Decimal
    reversed: bool
    lines: list[MedicalClaimLineOut]

    @staticmethod
    def resolve_original_transaction_id(obj: Any) -> str | None:
        return obj.original.transaction_id if obj.original_id else None

    @staticmethod
    def resolve_institution_code(obj: Any) -> str:
        return str(obj.institution.code)

    @staticmethod
    def resolve_institution_name(obj: Any) -> str:
        return str(obj.institution.name)

    @staticmethod
    def resolve_reversed(obj: Any) -> bool:
        return obj.reversed_at is not None

    @staticmethod
    def resolve_lines(obj: Any) -> list[Any]:
        pending = getattr(obj, "pending_lines", None)  # a pre-settlement's lines, never saved
        return pending if pending is not None else list(obj.lines.all())


class MedicalInsuranceOut(Schema):
    category: str
    region: str
    account_balance: Decimal
    since: dt.date
    year: int
    inpatient_fund_paid: Decimal
    outpatient_fund_paid: Decimal
    outpatient_deductible_used: Decimal
