"""What labour arbitration tells the credit system (A7), set-based: each award in the last two
years that upheld a worker's claims, wholly or in part, against a registered employer.

Declared as ``LaborConfig.credit_facts``; the credit app collects it without importing this app."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from hrss.core.creditfacts import CreditFact
from hrss.labor.models import ArbitrationCase, AwardOutcome, CaseStatus

LOOK_BACK_DAYS = 731


def facts(*, on: dt.date) -> Iterator[CreditFact]:
    for case_id, reference, employer_id, awarded_on, outcome, amount in ArbitrationCase.objects.filter(
        status=CaseStatus.AWARDED,
        outcome__in=(AwardOutcome.UPHELD, AwardOutcome.PARTLY_UPHELD),
        employer__isnull=False,
        awarded_on__gte=on - dt.timedelta(days=LOOK_BACK_DAYS),
        awarded_on__lte=on,
    ).values_list("pk", "reference", "employer_id", "awarded_on", "outcome", "amount_awarded"):
        if awarded_on is None:  # excluded by the filter; for the type checker
            continue
        part = "全部" if outcome == AwardOutcome.UPHELD else "部分"
        money = f"，裁决金额{amount:,.2f}元" if amount else ""
        yield CreditFact(
            kind="arbitration_award",
            source_ref=f"award:{case_id}",
            occurred_on=awarded_on,
            summary=f"仲裁案件{reference}裁决{part}支持劳动者请求{money}",
            employer_id=employer_id,
        )
