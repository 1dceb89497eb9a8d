"""The medical demo for `make run` (`hrss demo`): the demo citizen insured as an employee in
Tianjin with a personal account, a demo hospital (天津医科大学总医院 of the reference data)
settling through an agency client with a known development secret, and one earlier visit
already settled on the citizen's card, so the medical page is not empty.

With it: the citizen opens 我的电子社保卡 for a dynamic code; the hospital's system takes a
token with the printed client id and secret (client-credentials grant), pre-settles and
settles a bill with that code (`POST /api/v1/medical/institution/settlements`); the citizen
sees the visit on 我的就医 (`/medical/`); the hospital reverses it (`.../reversal`).

Smart monitoring (S6): a few earlier settlements on the citizen's card plant anomalies of
different kinds at the demo hospital — a blood test settled twice the same day, atorvastatin
again while half the last supply is left, amoxicillin beyond the one-bill limit, an item
limited to the other sex — and a monitoring run raises them as cases. The reviewer (审核员,
city-wide) opens 医保基金监控 (`/medical/monitoring/`), reads a case's evidence, confirms it
with the overpaid amount (a recovery case opens among the insurance recovery cases) and
records the recovery. Which settlements were planted is said here only, never in a table.

Idempotent: what exists is kept. Development only (the demo command refuses production).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count
from django.utils import timezone
from oauth2_provider.models import get_application_model

from hrss.core.scope import Scope
from hrss.identity.clients import agency_client_create
from hrss.medical import services
from hrss.medical.models import AccountCredit, Claim, Institution, Insured, MonitoringFlag

HOSPITAL = "H12010100001"  # 天津医科大学总医院, level 3 (data/institutions.csv)
CLIENT_NAME = "示范医院结算系统（天津医科大学总医院）"
CLIENT_SECRET = "hrss-demo-hospital-2026"  # noqa: S105 - development demo only; refused with production settings
ACTOR = "demo"
OPENING_BALANCE = Decimal("1200.00")


def demo_hospital_client() -> tuple[str, str]:
    """The demo hospital's agency client (grant ``medical:settle``), bound to the institution;
    its secret set to the known development value. Returns (client id, secret)."""
    Application = get_application_model()
    application = Application.objects.filter(name=CLIENT_NAME).first()
    if application is None:
        agency_client_create(name=CLIENT_NAME, scopes=[services.GRANT], actor=ACTOR)
        application = Application.objects.get(name=CLIENT_NAME)
    application.client_secret = CLIENT_SECRET
    application.save()
    Institution.objects.filter(code=HOSPITAL).update(client_name=CLIENT_NAME)
    return application.client_id, CLIENT_SECRET


def demo_medical(*, citizen: Any, card_number: str = "", card_pin: str = "", monitoring: bool = True) -> list[str]:
    """Insure the demo citizen, register the demo hospital's client, and settle one earlier visit
    on the citizen's card (``card_number`` and ``card_pin``, given by the demo command: this app reads no card)."""
    if citizen.person_id is None:
        return []
    person = citizen.person
    if not Insured.objects.filter(person_id=person.pk).exists():
        services.insured_enrol(
            scope=Scope.system(ACTOR),
            person=person,
            category="employee",
            region="120100",
            since=dt.date(2014, 7, 1),
            account_balance=OPENING_BALANCE,
        )
    # The personal account credited from the demo employer's paid months (an arrears month
    # stays uncredited until it is paid), as the monthly job credits it.
    services.accounts_credit(scope=Scope.system(ACTOR))
    credited = AccountCredit.objects.filter(person_id=person.pk).aggregate(months=Count("period", distinct=True))
    client_id, secret = demo_hospital_client()
    lines = [
        f"medical: hospital client {CLIENT_NAME}: client id {client_id} / secret {secret} (grant medical:settle)",
        f"medical: personal account credited for {credited['months']} months",
    ]
    hospital = Scope(actor=CLIENT_NAME, roles=frozenset({"agency_client"}), grants=frozenset({services.GRANT}))
    visit = Claim.objects.filter(transaction_id="DEMO-0001").first()
    if card_number and visit is None:
        visit = services.claim_settle(
            scope=hospital,
            transaction_id="DEMO-0001",
            card_number=card_number,
            card_pin=card_pin,
            visit=services.Visit(
                pooling="outpatient",
                visit_date=timezone.localdate(),
                lines=[
                    services.LineIn(code="110200001", quantity=Decimal("1"), unit_price=Decimal("50.00")),
                    services.LineIn(code="250101001", quantity=Decimal("1"), unit_price=Decimal("25.00")),
                    services.LineIn(code="C10AA05", quantity=Decimal("28"), unit_price=Decimal("5.00")),
                ],
            ),
        )
    if visit is not None:  # the same line on every run (a second run changes nothing)
        lines.append(
            f"medical: visit DEMO-0001 settled (fund {visit.fund}, account {visit.account}, cash {visit.cash})"
        )
    if monitoring:  # the monitoring's planted settlements and its run
        lines += demo_monitoring(citizen=citizen, card_number=card_number, card_pin=card_pin)
    return lines


def _planted(sex: str) -> list[tuple[str, int, list[services.LineIn]]]:
    """(transaction id, days ago, lines) of the planted settlements."""
    other_sex_item = "311201001" if sex == "M" else "311000017"  # 妇科检查 / 前列腺按摩

    def one(code: str, quantity: str, price: str) -> list[services.LineIn]:
        return [services.LineIn(code=code, quantity=Decimal(quantity), unit_price=Decimal(price))]

    return [
        ("DEMO-M-RX-1", 60, one("C10AA05", "28", "5.00")),
        ("DEMO-M-SEX", 55, one(other_sex_item, "1", "30.00")),
        ("DEMO-M-QTY", 50, one("J01CA04", "60", "0.50")),
        ("DEMO-M-RX-2", 45, one("C10AA05", "28", "5.00")),  # 13 of 28 days' supply left
        ("DEMO-M-DUP-1", 40, one("250101001", "1", "25.00")),
        ("DEMO-M-DUP-2", 40, one("250101001", "1", "25.00")),  # the same test, the same day
    ]


def demo_monitoring(*, citizen: Any, card_number: str, card_pin: str) -> list[str]:
    """Plant the anomalies on the citizen's card at the demo hospital and run the monitoring;
    the same line on every run."""
    if citizen.person_id is None or not card_number:
        return []
    hospital = Scope(actor=CLIENT_NAME, roles=frozenset({"agency_client"}), grants=frozenset({services.GRANT}))
    done = set(Claim.objects.filter(transaction_id__startswith="DEMO-M-").values_list("transaction_id", flat=True))
    today = timezone.localdate()
    planted = 0
    for transaction_id, days_ago, lines in _planted(citizen.person.sex):
        if transaction_id in done:
            continue
        planted += 1
        services.claim_settle(
            scope=hospital,
            transaction_id=transaction_id,
            card_number=card_number,
            card_pin=card_pin,
            visit=services.Visit(
                pooling="outpatient", visit_date=today - dt.timedelta(days=days_ago), lines=lines, use_account=False
            ),
        )
    cases = MonitoringFlag.objects.filter(institution__code=HOSPITAL)
    if planted or not cases.exists():  # a second demo run changes nothing, not even the audit log
        services.monitoring_run(scope=Scope.system(ACTOR))
    count = cases.count()
    return [
        f"medical: monitoring: {count} cases at the demo hospital for the reviewer on /medical/monitoring/"
        " (planted: duplicate billing, early refill, quantity over the limit, an item of the other sex)"
    ]
