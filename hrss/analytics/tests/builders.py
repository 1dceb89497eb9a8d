"""Synthetic employers and districts for the unemployment early warning (E5), written straight
into the ledger, the payments and the registrations the warning reads (set-based, as the
wage-arrears warning's test does): each built to trip one rule, or to stay just short of it."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from hrss.analytics.models import EarlyWarning
from hrss.core.months import month_start
from hrss.employment.models import UnemploymentRegistration
from hrss.insurance.models import ContributionMonth, Payment, PaymentFile
from hrss.registry.models import Employer
from hrss.synth.identifiers import credit_code

_numbers = itertools.count(50_000)


def employer(name: str, district: str = "120101") -> Employer:
    return Employer.objects.create(
        credit_code=credit_code("9", "1", district, f"{next(_numbers):08d}"), name=name, district_id=district
    )


def ledger(
    employer: Employer,
    *,
    last: dt.date,
    heads: Sequence[int],
    bases: Sequence[int] | None = None,
    unpaid: Sequence[int] = (),
) -> None:
    """Months ending at ``last``, one per entry of ``heads`` (oldest first): that many insured
    persons at ``bases`` fen each (default 5,000 yuan), paid in full except the months whose
    index is in ``unpaid`` (paid nothing)."""
    now = timezone.now()
    people = [uuid.uuid4() for _ in range(max(heads))]
    months, payments = [], []
    payment_file = PaymentFile.objects.create(
        source=PaymentFile.Source.BANK, filename="warning.csv", sha256=uuid.uuid4().hex * 2, posted_by="test"
    )
    for index, count in enumerate(heads):
        period = month_start(last, len(heads) - 1 - index)
        base = bases[index] if bases else 500_000
        due = 0
        for person in people[:count]:
            months.append(
                ContributionMonth(
                    period=period,
                    person_id=person,
                    employer=employer,
                    category="employee",
                    kind="assessed",
                    revision=0,
                    base_fen=base,
                    pension_employer_fen=base * 16 // 100,
                    pension_individual_fen=base * 8 // 100,
                    created_at=now,
                )
            )
            due += base * 16 // 100 + base * 8 // 100
        if count and index not in unpaid:
            payments.append(
                Payment(
                    file=payment_file,
                    row_number=index + 1,
                    employer=employer,
                    period=period,
                    amount_fen=due,
                    paid_on=period + dt.timedelta(days=20),
                    outcome="matched",
                    due_fen=due,
                    difference_fen=0,
                )
            )
    ContributionMonth.objects.bulk_create(months)
    Payment.objects.bulk_create(payments)


def registrations(person: Any, *, last: dt.date, counts: Sequence[int]) -> None:
    """New unemployment registrations of ``person``'s district, ``counts`` per month ending at
    ``last`` (oldest first); ended ones, so that one person may stand for many."""
    rows = []
    for index, count in enumerate(counts):
        period = month_start(last, len(counts) - 1 - index)
        for n in range(count):
            day = period + dt.timedelta(days=n % 28)
            rows.append(
                UnemploymentRegistration(
                    person=person,
                    unemployed_since=day,
                    registered_on=day,
                    status=UnemploymentRegistration.Status.ENDED,
                    ended_on=day,
                    hall_reference=f"W{next(_numbers):09d}",
                    registered_by="test",
                )
            )
    UnemploymentRegistration.objects.bulk_create(rows)


def warning(employer: Employer, *, period: dt.date, rule: str = "headcount_drop_month") -> EarlyWarning:
    """A raised warning on ``employer`` (for tests of the queue that need one to hand)."""
    figures: dict[str, Any] = {"from": f"{month_start(period, 1):%Y-%m}", "drop": "0.300", "threshold": "0.200"}
    if rule == "base_drop":
        figures.update(base_before=500_000, base_now=350_000)
    else:
        figures.update(heads_before=20, heads_now=14)
    return EarlyWarning.objects.create(
        rule=rule,
        subject=EarlyWarning.Subject.EMPLOYER,
        employer=employer,
        district_id=employer.district_id,
        period=month_start(period),
        figures=figures,
    )
