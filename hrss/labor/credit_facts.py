"""What labour relations tell the credit system (A7), set-based, one query per kind of fact:

- each award in the last two years that upheld a worker's claims, wholly or in part, against
  a registered employer (``arbitration_award``);
- each administrative penalty (行政处罚) an inspection imposed on an employer that did not put
  a violation right by its order's day (``inspection_penalty``), as far back as the credit
  model counts one (the policy parameter ``credit.months.inspection_penalty``).

Declared as ``LaborConfig.credit_facts``; the credit app collects it without importing this app."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator

from hrss.codes.selectors import ParameterMissing, parameter_value
from hrss.core.creditfacts import CreditFact
from hrss.labor.models import ArbitrationCase, AwardOutcome, CaseStatus, OrderStatus, RectificationOrder

LOOK_BACK_DAYS = 731
PENALTY_MONTHS = "credit.months.inspection_penalty"


def facts(*, on: dt.date) -> Iterator[CreditFact]:
    yield from awards(on=on)
    yield from penalties(on=on)


def awards(*, on: dt.date) -> Iterator[CreditFact]:
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


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months earlier (the month's last day when it is shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def penalties(*, on: dt.date) -> Iterator[CreditFact]:
    """Every penalty decided in the window the credit model counts, one query."""
    try:
        months = int(parameter_value(PENALTY_MONTHS, on=on))
    except ParameterMissing:  # the credit model counts no penalty on that day: nothing to tell
        return
    for order_id, reference, employer_id, penalised_on, amount, basis in RectificationOrder.objects.filter(
        status=OrderStatus.PENALISED,
        penalised_on__gt=months_before(on, months),
        penalised_on__lte=on,
    ).values_list("pk", "reference", "lead__employer_id", "penalised_on", "penalty_amount", "penalty_basis"):
        if penalised_on is None:  # excluded by the filter; for the type checker
            continue
        money = f"罚款{amount:,.2f}元" if amount else "行政处罚"
        yield CreditFact(
            kind="inspection_penalty",
            source_ref=f"penalty:{order_id}",
            occurred_on=penalised_on,
            summary=f"劳动保障监察限期整改指令{reference}逾期未改正，处以{money}（{basis[:120]}）",
            employer_id=employer_id,
        )
