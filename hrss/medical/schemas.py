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
    "doctor": "D120101000123",
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
    doctor: str = Field(
        "", max_length=30, description="the practitioner code (医保医师代码) of the treating doctor, if known"
    )
    disease: str = Field(
        "",
        max_length=20,
        description="an outpatient visit for the person's recognised chronic or special disease (门特): its code",
    )
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
    doctor: str
    disease: str
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


class MedicalConsentedReadIn(Schema):
    """What a designated institution sends to read a person's visits with their consent (S4)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id_number": examples.ID_NUMBER,
                    "consent_code": "7KQ2M9XW4P",
                    "purpose": "首诊病史采集",
                    "since": "2025-01-01",
                    "until": "2025-12-31",
                }
            ]
        }
    )

    id_number: str = Field(..., min_length=15, max_length=18, description="the person's ID number")
    consent_code: str = Field(
        ..., min_length=1, max_length=20, description="the code the person made for a medical institution"
    )
    purpose: str = Field(..., min_length=2, max_length=200, description="why the institution reads (recorded)")
    since: dt.date | None = Field(None, description="first visit date; default a year before until")
    until: dt.date | None = Field(None, description="last visit date; default today")


class MedicalSignedOut(Schema):
    """The answer and its compact JWS (RS256, the bureau's key published at
    ``/api/v1/exchange/jwks``): ``answer.visits`` are the person's settlements, reversals and
    refunds with their lines, newest first; ``answer.complete`` is false when more were cut off."""

    answer: dict[str, Any]
    jws: str


class MedicalInsuranceOut(Schema):
    category: str
    has_account: bool
    region: str
    account_balance: Decimal
    since: dt.date
    year: int
    inpatient_fund_paid: Decimal
    outpatient_fund_paid: Decimal
    outpatient_deductible_used: Decimal


class MedicalAccountCreditOut(Schema):
    """One credit to the personal account: the month it is for, on what basis (a share of the
    person's own contribution, or the retirees' fixed amount), the revision (0 the first credit,
    then differences after corrections or arrears paid) and the amount in yuan."""

    period: dt.date
    basis: str
    basis_label: str
    revision: int
    amount: Decimal
    created_at: dt.datetime

    @staticmethod
    def resolve_basis_label(obj: Any) -> str:
        return str(obj.get_basis_display())


# --- the smart monitoring (S6) ------------------------------------------------------------------


class MedicalMonitoringRunOut(Schema):
    id: Any = Field(None, description="none for a run that raised nothing new (audited, not stored)")
    created_at: dt.datetime | None
    actor: str
    window_from: dt.date
    window_to: dt.date
    claims: int
    lines: int
    new_flags: int
    seconds: float
    counts: dict[str, Any]
    parameters: dict[str, Any]


class MedicalMonitoringFlagOut(Schema):
    id: Any
    rule: str
    rule_name: str
    period: str
    institution_code: str
    institution_name: str
    district: str
    amount: Decimal = Field(
        description="what was billed for the items the finding is about (违规金额; for a billing jump the fund paid above the average)"
    )
    score: float | None = Field(None, description="the isolation forest's anomaly score (screen findings)")
    status: str
    overpaid: Decimal | None
    recovery_case: Any | None
    created_at: dt.datetime

    @staticmethod
    def resolve_rule_name(obj: Any) -> str:
        from hrss.medical.reference import monitoring_rules

        return str(monitoring_rules().get(obj.rule, {}).get("name", obj.rule))

    @staticmethod
    def resolve_institution_code(obj: Any) -> str:
        return str(obj.institution.code)

    @staticmethod
    def resolve_institution_name(obj: Any) -> str:
        return str(obj.institution.name)


class MedicalMonitoringFlagDetailOut(Schema):
    flag: MedicalMonitoringFlagOut
    basis: str
    figures: dict[str, Any]
    claims: list[MedicalClaimOut]
    person_name: str
    person_id_number: str
    reason: str
    decided_by: str
    decided_at: dt.datetime | None
    recovery_status: str

    @staticmethod
    def resolve_figures(obj: Any) -> dict[str, Any]:
        return dict(obj["flag"].evidence.get("figures") or {})

    @staticmethod
    def resolve_reason(obj: Any) -> str:
        return str(obj["flag"].reason)

    @staticmethod
    def resolve_decided_by(obj: Any) -> str:
        return str(obj["flag"].decided_by)

    @staticmethod
    def resolve_decided_at(obj: Any) -> dt.datetime | None:
        return obj["flag"].decided_at  # type: ignore[no-any-return]


class MedicalMonitoringDecisionIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"decision": "confirm", "reason": "同日同项目重复结算，机构承认重复收费", "overpaid": "12.00"},
                {"decision": "dismiss", "reason": "两次检查均有医嘱，为复查，不属违规"},
            ]
        }
    )

    decision: Literal["confirm", "dismiss"]
    reason: str = Field(..., min_length=1, max_length=1000)
    overpaid: Decimal | None = Field(
        None, gt=0, max_digits=14, decimal_places=2, description="with confirm: the amount to recover"
    )


class MedicalMonitoringRecoveryIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"recovered": True, "note": "机构已于2026-11-20退回医保基金"}]}
    )

    recovered: bool = Field(..., description="true: recovered; false: waived")
    note: str = Field("", max_length=1000)


# --- reconciliation (S4) and business against finance (S7) ---------------------------------------


class MedicalReconciliationLineIn(Schema):
    transaction_id: str = Field(..., min_length=1, max_length=64, description="the institution's transaction id")
    kind: Literal["settlement", "reversal", "refund"] = "settlement"
    original_transaction_id: str = Field("", max_length=64, description="with a reversal or refund: what it undoes")
    total: Decimal = Field(..., max_digits=12, decimal_places=2, description="yuan; negative for reversals and refunds")
    fund: Decimal = Field(..., max_digits=12, decimal_places=2)
    account: Decimal = Field(..., max_digits=12, decimal_places=2)
    cash: Decimal = Field(..., max_digits=12, decimal_places=2)


class MedicalReconciliationIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "date": "2026-12-01",
                    "lines": [
                        {
                            "transaction_id": "HIS-20261201-0001",
                            "total": "280.00",
                            "fund": "98.40",
                            "account": "181.60",
                            "cash": "0.00",
                        },
                        {
                            "transaction_id": "HIS-20261201-0001-R",
                            "kind": "reversal",
                            "original_transaction_id": "HIS-20261201-0001",
                            "total": "-280.00",
                            "fund": "-98.40",
                            "account": "-181.60",
                            "cash": "0.00",
                        },
                    ],
                }
            ]
        }
    )

    date: dt.date = Field(..., description="the settlement day, before today")
    lines: list[MedicalReconciliationLineIn] = Field(..., max_length=20000)


class MedicalDifferenceOut(Schema):
    kind: str
    transaction_id: str
    ours: dict[str, Decimal] = Field(description="our amounts (empty when we have no such line)")
    theirs: dict[str, Decimal] = Field(description="the institution's amounts (empty when it has no such line)")
    note: str = Field(
        description="amount_mismatch: the fields that differ; ours_only/theirs_only: the kind; "
        "reversed_one_side: the settlement reversed"
    )


class MedicalReconciliationOut(Schema):
    id: Any
    institution_code: str
    institution_name: str
    date: dt.date
    sha256: str = Field(description="of our settlement file of the day when it was reconciled")
    lines_ours: int
    lines_theirs: int
    matched: int
    fund_ours: Decimal
    fund_theirs: Decimal
    balanced: bool
    created_at: dt.datetime
    differences: list[MedicalDifferenceOut]

    @staticmethod
    def resolve_institution_code(obj: Any) -> str:
        return str(obj.institution.code)

    @staticmethod
    def resolve_institution_name(obj: Any) -> str:
        return str(obj.institution.name)

    @staticmethod
    def resolve_date(obj: Any) -> dt.date:
        return obj.day  # type: ignore[no-any-return]

    @staticmethod
    def resolve_differences(obj: Any) -> list[Any]:
        return list(obj.differences.all())

    @staticmethod
    def resolve_balanced(obj: Any) -> bool:
        return not obj.differences.all()


class MedicalReconciliationSummaryOut(Schema):
    id: Any
    institution_code: str
    institution_name: str
    date: dt.date
    lines_ours: int
    lines_theirs: int
    matched: int
    differences: int
    fund_ours: Decimal
    fund_theirs: Decimal
    created_at: dt.datetime

    @staticmethod
    def resolve_institution_code(obj: Any) -> str:
        return str(obj.institution.code)

    @staticmethod
    def resolve_institution_name(obj: Any) -> str:
        return str(obj.institution.name)

    @staticmethod
    def resolve_date(obj: Any) -> dt.date:
        return obj.day  # type: ignore[no-any-return]

    @staticmethod
    def resolve_differences(obj: Any) -> int:
        return int(obj.difference_count)


class MedicalFinanceDayOut(Schema):
    date: str
    owed: Decimal
    paid: Decimal
    difference: Decimal

    @staticmethod
    def resolve_date(obj: Any) -> str:
        return str(obj.period)


class MedicalFinanceOut(Schema):
    institution_code: str
    institution_name: str
    district: str
    month: str
    owed: Decimal = Field(description="the fund share of the month's settlements, reversals and refunds")
    paid: Decimal = Field(description="the bank's payments for the month (for its days or the month as a whole)")
    difference: Decimal
    paid_daily: bool
    days: list[MedicalFinanceDayOut] = Field(description="with daily payments: the days whose owed and paid differ")

    @staticmethod
    def resolve_institution_code(obj: Any) -> str:
        return str(obj.institution.code)

    @staticmethod
    def resolve_institution_name(obj: Any) -> str:
        return str(obj.institution.name)

    @staticmethod
    def resolve_district(obj: Any) -> str:
        return str(obj.institution.district)


class MedicalClearingStatementOut(Schema):
    statement_id: str
    home: str
    other_region: str
    month: str
    receivable_claims: int
    receivable_fund: Decimal
    receivable_account: Decimal
    receivable: Decimal = Field(description="what the other region owes us for its insured treated here")
    payable_claims: int
    payable_fund: Decimal
    payable_account: Decimal
    payable: Decimal = Field(description="what we owe the other region for our insured treated there")
    net: Decimal = Field(description="positive: the other region pays us the balance")
    reference: str = Field("", description="the clearing platform's reference, once sent")
