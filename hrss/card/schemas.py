"""API shapes of the card. Holder data leaves only through the fields a grant allows.

Response schemas read the model's attributes (``Schema.from_orm``); computed fields (the
masked account, the allowed actions, labels) are ``resolve_<field>`` static methods.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict

from hrss.card import rules, selectors
from hrss.card.models import Card, CardEvent, CardUse, ReconciliationItem, ReconciliationRun
from hrss.codes import examples


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, str]


def _mask_account(account: str) -> str:
    return f"****{account[-4:]}" if account else ""


class CardEventOut(Schema):
    action: str
    from_status: str
    to_status: str
    at: dt.datetime
    channel: str
    note: str


class CardOut(Schema):
    id: uuid.UUID
    number: str | None
    status: str
    kind: str
    applied_at: dt.datetime
    issued_at: dt.datetime | None
    activated_at: dt.datetime | None
    valid_until: dt.date | None
    temporary_loss_until: dt.datetime | None
    cancel_reason: str
    bank_code: str
    bank_account: str = Field(description="masked: only the last four digits")
    ecard_issued: bool
    allowed_actions: list[str]

    @staticmethod
    def resolve_bank_account(card: Card) -> str:
        return _mask_account(card.bank_account)

    @staticmethod
    def resolve_ecard_issued(card: Card) -> bool:
        return card.ecard_issued_at is not None and card.status == rules.CardStatus.ACTIVE

    @staticmethod
    def resolve_allowed_actions(card: Card) -> list[str]:
        pending = Card.objects.filter(replaces_id=card.pk, status__in=sorted(rules.PENDING)).exists()
        return [action.value for action in rules.allowed_actions(card.status, pending_replacement=pending)]


class CardDetailOut(CardOut):
    person_name: str
    events: list[CardEventOut]

    @staticmethod
    def resolve_person_name(card: Card) -> str:
        return card.person.name

    @staticmethod
    def resolve_events(card: Card) -> list[CardEvent]:
        return selectors.card_events(card=card)


class HolderCardsOut(Schema):
    current: CardOut | None
    cards: list[CardOut]


# Request examples (the house rule): real channel, kind, reason and code-table values, the
# demo records' identifiers (hrss.codes.examples), amounts as strings in yuan and fen.
# Checked against each schema and the code tables by tests/reliability/test_openapi_examples.py.


class ApplyIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"channel": "app", "kind": "first", "reason": ""},
                {"channel": "web", "kind": "renewal", "reason": "damage"},
            ]
        }
    )

    channel: str = "web"
    kind: str = rules.ApplicationKind.FIRST.value
    reason: str = ""


class OfficeApplyIn(ApplyIn):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"id_number": examples.ID_NUMBER, "channel": "counter", "kind": "first", "reason": ""}]
        }
    )

    id_number: str
    channel: str = "counter"


class ActivateIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"bank_code": "ICBC", "bank_account": "6222020200112233445", "pin": "730415"}]}
    )

    bank_code: str
    bank_account: str
    pin: str = Field(min_length=1, max_length=12)


class LossReportIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"channel": "app"}]})

    channel: str = "web"


class OfficeLossReportIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"formal": True, "channel": "counter"}]})

    formal: bool = True
    channel: str = "counter"


class IssueIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"district": examples.DISTRICT}]})

    district: str | None = None


class CancelIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"reason": "emigration"}]})

    reason: str


class CodeOut(Schema):
    code: str
    expires_at: dt.datetime
    ttl_seconds: int


class UseIn(Schema):
    """One use of a card; identify the card by its number or by an electronic card code."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "card_number": examples.CARD_NUMBER,
                    "kind": "medical_settlement",
                    "channel": "contact",
                    "district": examples.DISTRICT,
                    "application": "MED002",
                    "amount": "86.50",
                    "reference": "HIS-20261204-000123",
                    "institution_name": "天津医科大学总医院",
                }
            ]
        }
    )

    card_number: str | None = None
    code: str | None = None
    kind: str
    channel: str
    district: str | None = None
    application: str | None = None
    amount: Decimal | None = None
    reference: str = ""
    institution_name: str = ""


# The shape of an electronic card code (hrss.card.tokens: 66 characters, base64url); this one
# is signed with a documentation key, so it verifies as "forged" against any real deployment.
EXAMPLE_ECARD_CODE = "AT8rjB5qTU8Om3otXI4fSmAAAAABwMiRSFNz19ZpVbk8e28Wy3fKapSoVerwrC1-vQ"


class VerifyCodeIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"code": EXAMPLE_ECARD_CODE, "purpose": "门诊挂号身份核验"},
                {
                    "code": EXAMPLE_ECARD_CODE,
                    "purpose": "门诊挂号身份核验",
                    "use": {
                        "kind": "identity_check",
                        "channel": "electronic",
                        "district": examples.DISTRICT,
                        "application": "MED001",
                        "institution_name": "天津医科大学总医院",
                    },
                },
            ]
        }
    )

    code: str = Field(max_length=200)
    purpose: str = Field("", max_length=200)
    use: UseIn | None = Field(None, description="record this use in the same call (needs card:use:record)")


class VerifyCodeOut(Schema):
    """Fields beyond ``result`` appear only when the caller's grant allows them."""

    result: str = Field(description="valid | expired | forged | card_not_active")
    expires_at: dt.datetime | None = None
    holder_name: str | None = None
    holder_id_number: str | None = None
    use_recorded: bool | None = None


class VerifyCardIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "card_number": examples.CARD_NUMBER,
                    "id_number": examples.ID_NUMBER,
                    "name": examples.PERSON_NAME,
                    "purpose": "养老金领取资格认证",
                }
            ]
        }
    )

    card_number: str
    id_number: str | None = None
    name: str | None = None
    purpose: str = ""


class VerifyCardOut(Schema):
    card_number: str
    status: str = Field(description="active | not_active | unknown")
    holder_matches: bool | None = None
    holder_name: str | None = None
    holder_id_number: str | None = None


class UseOut(Schema):
    id: int
    kind: str
    channel: str
    at: dt.datetime
    district: str | None
    institution_name: str
    application: str | None
    amount: Decimal | None
    reference: str

    @staticmethod
    def resolve_district(use: CardUse) -> str | None:
        return use.district_id

    @staticmethod
    def resolve_institution_name(use: CardUse) -> str:
        return use.institution_name or use.institution

    @staticmethod
    def resolve_application(use: CardUse) -> str | None:
        return use.application_id


class PreferenceOut(Schema):
    district: str
    district_name: str
    channel: str
    kind: str
    uses: int
    holders: int


class CoverageRowOut(Schema):
    district: str
    name: str
    population: int
    issued: int
    active: int
    issued_share: float
    active_share: float
    meets_goal: bool | None = Field(description="null when no goal was in force on the day")


class CoverageOut(Schema):
    on: dt.date
    goal: float | None
    total: CoverageRowOut
    districts: list[CoverageRowOut]

    @staticmethod
    def resolve_goal(coverage: Any) -> float | None:
        return None if coverage.goal is None else float(coverage.goal)

    @staticmethod
    def resolve_total(coverage: Any) -> CoverageRowOut:
        return _coverage_row(coverage.total, goal=coverage.goal)

    @staticmethod
    def resolve_districts(coverage: Any) -> list[CoverageRowOut]:
        return [_coverage_row(item, goal=coverage.goal) for item in coverage.rows]


def _coverage_row(item: Any, *, goal: Any) -> CoverageRowOut:
    """One district's (or the city's) row; whether it meets the goal in force on the day."""
    return CoverageRowOut(
        district=item.district,
        name=str(item.name),
        population=item.population,
        issued=item.issued,
        active=item.active,
        issued_share=round(float(item.issued_share), 4),
        active_share=round(float(item.active_share), 4),
        meets_goal=None if goal is None else bool(item.population) and item.issued_share >= goal,
    )


class CatalogueItemOut(Schema):
    code: str
    name: str
    name_en: str
    domain: str
    channels: list[str]
    needs_financial: bool
    verified: bool
    source: str


class PaymentIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "purpose": "contribution",
                    "description": "2026年11月城乡居民基本养老保险缴费",
                    "amount": "300.00",
                    "method": "third_party",
                    "period": "2026-11",
                },
                {
                    "id_number": examples.ID_NUMBER,
                    "purpose": "fee",
                    "description": "社会保障卡补卡工本费",
                    "amount": "20.00",
                    "method": "card_account",
                },
            ]
        }
    )

    id_number: str | None = Field(None, description="staff only: whose payment; a holder pays for themself")
    purpose: str
    description: str
    amount: Decimal = Field(gt=0, max_digits=12, decimal_places=2)
    method: str
    period: str = ""


class PaymentOut(Schema):
    reference: str
    purpose: str
    description: str
    period: str
    amount: Decimal
    method: str
    gateway: str
    status: str
    paid_at: dt.datetime | None
    redirect_url: str = ""


class ReconciliationItemOut(Schema):
    kind: str
    reference: str
    amount_ours: Decimal | None
    amount_statement: Decimal | None
    note: str


class ReconciliationOut(Schema):
    id: uuid.UUID
    gateway: str
    statement_date: dt.date
    balanced: bool
    matched: int
    missing: int
    extra: int
    amount_mismatch: int
    total_ours: Decimal
    total_statement: Decimal
    differences: list[ReconciliationItemOut]

    @staticmethod
    def resolve_differences(run: ReconciliationRun) -> list[ReconciliationItem]:
        return list(run.items.exclude(kind=ReconciliationItem.Kind.MATCHED))
