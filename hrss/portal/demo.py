"""The demo's history, built through the real services: the citizen's years of contributions
and pension account, and their social security card (``hrss demo``, ``make run``).

Everything here goes through the services a clerk, an employer agent, a batch job or a
citizen would use, so the pages show what the production paths produce:

- the demo employer's insurance registration (pension, medical, unemployment) from the
  first month of the history, the citizen's enrolment through the employer agent, and a
  base declaration per year from the wage of their employment;
- the monthly assessment (set-based, the whole demo city, as the monthly batch runs it) of
  every month from the first to the current one; a month that was assessed before the
  citizen was enrolled (the synthetic city's last months) is rechecked, which adds only
  the missing lines;
- one bank payment file paying each month whose due date has passed, on its due date
  (the current month stays due), which credits the personal account; then each finished
  year's interest at that year's 记账利率 (a year whose rate is not configured yet waits);
- the card applied for through the hall (``hrss.servicehall.demo``) goes through the
  factory (the daily production job and the simulated factory answer), is issued at the
  counter, activated, and gets its electronic card.

Idempotent: each part looks at what exists and does only what is missing. Every figure
(rates, bands, due dates, interest) comes from the policy parameters.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from hrss.card import services as card_services
from hrss.card.models import Card
from hrss.card.rules import LIVE, CardStatus
from hrss.card.services import production
from hrss.codes.selectors import ParameterMissing, parameter_value
from hrss.core.scope import Scope
from hrss.identity.auth import scope_for_user
from hrss.identity.models import User
from hrss.insurance import policy, rules
from hrss.insurance import services as insurance
from hrss.insurance.models import (
    AccountEntry,
    AssessmentRun,
    ContributionBase,
    ContributionLine,
    ContributionMonth,
    EmployerRegistration,
    Enrolment,
    Payment,
    PaymentFile,
)
from hrss.insurance.selectors.contributions import account_balance_fen
from hrss.insurance.services import payments
from hrss.registry.models import Employer, Employment, Person

ACTOR = "demo"
# Years of contribution history before the current year (the first month is January).
HISTORY_YEARS = 3
INSURANCES = (rules.PENSION, rules.MEDICAL, rules.UNEMPLOYMENT)
# The demo card's bank link and PIN (development only, like the demo passwords).
DEMO_BANK = ("ICBC", "6222020200112233445")
DEMO_PIN = "428163"  # development demo only: `hrss demo` is refused with DEBUG off


def _fresh_scope(user: User) -> Scope:
    user._hrss_scope = None  # type: ignore[attr-defined]
    return scope_for_user(user)


def history_months(today: dt.date, *, earliest: dt.date | None = None) -> list[dt.date]:
    """The months of the history: from January ``HISTORY_YEARS`` years ago (or the first
    month whose rates are all configured, or ``earliest``) to the current month."""
    first = dt.date(today.year - HISTORY_YEARS, 1, 1)
    if earliest is not None:
        first = max(first, rules.month_start(earliest))
    current = rules.month_start(today)
    while first <= current:
        try:
            policy.period_rates(first)
            break
        except ParameterMissing:
            first = rules.add_months(first, 1)
    months = []
    while first <= current:
        months.append(first)
        first = rules.add_months(first, 1)
    return months


def demo_insurance_history(*, citizen: User, agent: User, today: dt.date | None = None) -> list[str]:
    """The citizen's contribution history with the demo employer; one line to print."""
    today = today or timezone.localdate()
    person: Person | None = citizen.person
    employer: Employer | None = agent.employer
    if person is None or employer is None:
        return []
    employment = (
        Employment.objects.filter(person=person, employer=employer, end_date__isnull=True)
        .order_by("-start_date")
        .first()
    )
    if employment is None:
        return []
    months = history_months(today, earliest=employment.start_date)
    if not months:
        return []
    first = months[0]
    system = Scope.system(ACTOR)
    agent_scope = _fresh_scope(agent)
    registered = set(
        EmployerRegistration.objects.filter(employer=employer, end_month__isnull=True).values_list(
            "insurance_type", flat=True
        )
    )
    if not registered & set(INSURANCES):
        insurance.employer_registration_create(
            scope=system, employer_id=employer.pk, insurance_types=list(INSURANCES), start_month=first
        )
    if not Enrolment.objects.filter(person=person, employer=employer).exists():
        insurance.enrolment_start(
            scope=agent_scope,
            person_id=person.pk,
            insurance_types=list(INSURANCES),
            start_month=first,
            employer_id=employer.pk,
        )
    declared = set(ContributionBase.objects.filter(person=person).values_list("year", flat=True))
    wage = employment.monthly_wage  # none recorded: the average wage of the year
    for year in sorted({month.year for month in months} - declared):
        insurance.base_declare(
            scope=agent_scope,
            employer_id=employer.pk,
            year=year,
            wages=[(person.pk, wage or policy.average_wage(on=dt.date(year, 1, 1)))],
        )
    # One transaction: the history lands whole, and the assessment's per-chunk commits
    # become savepoints (one commit instead of three a month).
    with transaction.atomic():
        _assess(person, months)
        _pay(employer, months, today)
        _interest(person, months, today)
    assessed = ContributionMonth.objects.filter(person=person, period__in=months).values("period").distinct().count()
    balance = rules.from_fen(account_balance_fen(person.pk))
    return [f"{person.name}: {assessed} months assessed from {first:%Y-%m}, pension account {balance} yuan"]


def _assess(person: Person, months: list[dt.date]) -> None:
    """Assess each month the citizen has no line in (the monthly batch, city-wide)."""
    have = set(ContributionMonth.objects.filter(person=person, period__in=months).values_list("period", flat=True))
    completed = set(
        AssessmentRun.objects.filter(period__in=months, status=AssessmentRun.Status.COMPLETED).values_list(
            "period", flat=True
        )
    )
    for month in months:
        if month not in have:
            insurance.contribution_assess_month(period=month, actor=ACTOR, recheck=month in completed)


def planted_arrears_months(months: list[dt.date], today: dt.date) -> list[dt.date]:
    """The demo employer's unpaid months (planted arrears, for the credit system's demo): the
    latest two whose grace period after the due date is over, so they are credit events."""
    grace = dt.timedelta(days=int(parameter_value("credit.arrears.grace_days", on=today)))
    overdue = [month for month in months if policy.contribution_due_date(month) + grace < today]
    return overdue[-2:]


def _pay(employer: Employer, months: list[dt.date], today: dt.date) -> None:
    """One bank file paying, on its due date, each employer's month past its due date that the
    demo's city-wide assessment added and nobody paid (the synthetic city pays its own months,
    a few employers only in part); the demo employer leaves two months unpaid (planted arrears)."""
    planted = {(employer.pk, month) for month in planted_arrears_months(months, today)}
    due_dates = {month: policy.contribution_due_date(month) for month in months}
    due_months = [month for month in months if due_dates[month] < today]
    paid = set(
        Payment.objects.filter(employer__isnull=False, period__in=due_months).values_list("employer_id", "period")
    )
    owed_rows = (
        ContributionLine.objects.filter(employer__isnull=False, period__in=due_months)
        .values("employer_id", "employer__credit_code", "period")
        .annotate(total=Sum("employer_fen") + Sum("individual_fen"))
        .order_by("period", "employer__credit_code")
    )
    rows = []
    for row in owed_rows:
        key = (row["employer_id"], row["period"])
        if key in paid or (row["total"] or 0) <= 0 or key in planted:
            continue
        rows.append(
            (
                row["employer__credit_code"],
                row["period"],
                int(row["total"]),
                due_dates[row["period"]],
            )
        )
    if not rows:
        return
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(payments.COLUMNS)
    for credit_code, month, owed, due_date in rows:
        reference = f"DEMO{month:%Y%m}{credit_code[-6:]}"
        writer.writerow((credit_code, "", f"{month:%Y-%m}", rules.from_fen(owed), due_date, reference))
    data = buffer.getvalue().encode()
    filename = f"demo-bank-{rows[0][1]:%Y%m}-{rows[-1][1]:%Y%m}-{len(rows)}.csv"
    if PaymentFile.objects.filter(filename=filename, posted_by=ACTOR).exists():
        return  # posted before with other amounts (a correction since): leave the differences to staff
    payments.payment_file_post(scope=Scope.system(ACTOR), stream=io.BytesIO(data), filename=filename, source="bank")


def _interest(person: Person, months: list[dt.date], today: dt.date) -> None:
    """Each finished year's interest, once its 记账利率 is configured (city-wide, once per year)."""
    credited = set(
        AccountEntry.objects.filter(person=person, kind=AccountEntry.Kind.INTEREST).values_list("year", flat=True)
    )
    for year in sorted({month.year for month in months if month.year < today.year} - credited):
        try:
            policy.account_interest_rate(year)
        except ParameterMissing:
            continue  # published the following year; credited on a later run once recorded
        insurance.account_interest_credit_year(year=year, actor=ACTOR)


def demo_card(*, citizen: User, clerk: User | None) -> list[str]:
    """Take the citizen's card from the hall's application to active, with its electronic card."""
    if citizen.person_id is None or clerk is None:
        return []
    card = Card.objects.filter(person_id=citizen.person_id, status__in=sorted(LIVE)).order_by("-applied_at").first()
    if card is None:
        return []
    if card.status == CardStatus.APPLIED:
        # The daily production job, and the factory's answer to each file it wrote.
        office = _fresh_scope(clerk)
        for batch in production.production_batches_send():
            answer = production.factory_results_simulate(Path(batch.filename).read_bytes())
            production.production_results_apply(scope=office, data=answer, filename=f"{batch.reference}-result.csv")
        card.refresh_from_db()
    if card.status == CardStatus.MADE and card.number:
        card = card_services.card_issue(scope=_fresh_scope(clerk), number=card.number, district="120101")
    holder = _fresh_scope(citizen)
    if card.status == CardStatus.ISSUED:
        bank_code, account = DEMO_BANK
        card = card_services.card_activate(
            scope=holder, card_id=card.pk, bank_code=bank_code, bank_account=account, pin=DEMO_PIN
        )
    if card.status == CardStatus.ACTIVE and card.ecard_issued_at is None:
        card = card_services.ecard_issue(scope=holder, card_id=card.pk)
    ecard = ", electronic card issued" if card.ecard_issued_at else ""
    return [f"card {card.number or '-'}: {card.status}{ecard} (PIN {DEMO_PIN})"]


__all__ = ["demo_card", "demo_insurance_history", "history_months"]
