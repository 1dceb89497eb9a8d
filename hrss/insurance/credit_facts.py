"""What the contribution ledger tells the credit system (A7), set-based: each employer month
still unpaid once the grace period after its due date has passed (欠缴), and each calendar
year whose twelve months were all paid in full by their due dates (按时足额缴费).

Declared as ``InsuranceConfig.credit_facts``; the credit app collects it without importing
this app. Arrears are looked for in the last 24 months, timely years in the last year."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterator

from django.db.models import F, Max, Sum

from hrss.codes.selectors import parameter_value
from hrss.core.creditfacts import CreditFact
from hrss.insurance import policy, rules
from hrss.insurance.models import EmployerPeriodTotal, Payment

LOOK_BACK_MONTHS = 24


def _dues(first: dt.date, last: dt.date) -> dict[tuple, int]:
    return {
        (row["employer_id"], row["period"]): int(row["due"] or 0)
        for row in EmployerPeriodTotal.objects.filter(period__gte=first, period__lte=last)
        .values("employer_id", "period")
        .annotate(due=Sum(F("employer_fen") + F("individual_fen")))
    }


def _payments(first: dt.date, last: dt.date) -> dict[tuple, tuple[int, dt.date | None]]:
    return {
        (row["employer_id"], row["period"]): (int(row["paid"] or 0), row["last_paid"])
        for row in Payment.objects.filter(employer__isnull=False, period__gte=first, period__lte=last)
        .values("employer_id", "period")
        .annotate(paid=Sum("amount_fen"), last_paid=Max("paid_on"))
    }


def facts(*, on: dt.date) -> Iterator[CreditFact]:
    grace = int(parameter_value("credit.arrears.grace_days", on=on))
    this_month = on.replace(day=1)
    first = rules.add_months(this_month, -LOOK_BACK_MONTHS)
    year_start = dt.date(on.year - 1, 1, 1)
    first = min(first, year_start)
    dues = _dues(first, this_month)
    paid = _payments(first, this_month)
    due_dates = {period: policy.contribution_due_date(period) for _employer, period in dues}
    on_time: dict[uuid.UUID, int] = defaultdict(int)
    for (employer_id, period), due in dues.items():
        paid_fen, last_paid = paid.get((employer_id, period), (0, None))
        due_date = due_dates[period]
        counted_from = due_date + dt.timedelta(days=grace)
        if due > paid_fen and on > counted_from:
            owed = (due - paid_fen) / 100
            yield CreditFact(
                kind="contribution_arrears",
                source_ref=f"arrears:{employer_id}:{period:%Y-%m}",
                occurred_on=counted_from,
                summary=f"{period:%Y}年{period.month}月社会保险费逾期未缴，欠缴{owed:,.2f}元",
                employer_id=employer_id,
            )
        elif period.year == year_start.year and due > 0 and due <= paid_fen and last_paid and last_paid <= due_date:
            on_time[employer_id] += 1
    for employer_id, months in on_time.items():
        if months == 12:
            yield CreditFact(
                kind="timely_payment",
                source_ref=f"timely:{employer_id}:{year_start.year}",
                occurred_on=dt.date(year_start.year + 1, 1, 1),
                summary=f"{year_start.year}年全年按时足额缴纳社会保险费",
                employer_id=employer_id,
            )
