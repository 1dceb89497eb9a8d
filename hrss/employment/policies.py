"""Policies that find their people (E4): the set-based run of a policy over the registry,
employment's own records and the contribution ledger, and the staff's approval of the
payment list it prepares (免申即享: nobody applies).

- ``policy_run``: one policy, one period. Its rule (``rules.policies()``, figures from the
  dated parameters) is applied to every candidate the database hands over in a few
  set-based queries; each eligible beneficiary gets one proposed payment with its reasons.
  The payment is unique per policy, period and beneficiary, so a second run of the same
  period pays no one twice: it proposes only who is newly eligible. The employer's agents
  are told in their inbox.
- ``policies_run_due``: the monthly job ``employment.policies``: every monthly policy for
  last month, every yearly one for last year (idempotent: a run that finds nothing new
  answers with the last run and changes nothing).
- ``policy_run_approve``: an approver (not the one who ran it) approves the run's proposed
  payments for transfer.

The ledger is the insurance app's: its facts are found through the app registry
(``InsuranceConfig.ledger_facts``), never imported, as the layers require.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal
from types import ModuleType
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrss.codes.selectors import ParameterMissing, parameter_value
from hrss.core import scope as roles
from hrss.core.audit import audit_record
from hrss.core.declarations import DeclaredModule
from hrss.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hrss.core.scope import Scope
from hrss.employment import rules, support_rules
from hrss.employment.models import PolicyPayment, PolicyRun, StartupSubsidy, UnemploymentRegistration
from hrss.employment.notify_templates import POLICY_FOUND_TEMPLATE, POLICY_PERSON_FOUND_TEMPLATE
from hrss.employment.support_models import SpecialGroupMembership, StartupRegistration
from hrss.identity.models import User
from hrss.notify import services as notify
from hrss.notify.links import site_url
from hrss.registry.models import Employer, Employment, Person

RUNNERS = frozenset({roles.REVIEWER, roles.ADMINISTRATOR})
APPROVERS = frozenset({roles.APPROVER})


# The contribution ledger's facts module (``InsuranceConfig.ledger_facts``), found once in
# the app's ready() (every process): the layers keep this app from importing insurance.
ledger_facts = DeclaredModule(
    "ledger_facts", missing=gettext_lazy("The contribution ledger is not available."), code="ledger_unavailable"
)


# A person's card payments (``CardConfig.payment_facts``), for the loan's assessment; without
# the card app, the assessment says the card payments are unknown.
card_facts = DeclaredModule(
    "payment_facts", missing=gettext_lazy("Card payments are not available."), code="card_payments_unavailable"
)


def _ledger() -> ModuleType:
    return ledger_facts.get()


def ledger() -> ModuleType:
    """The contribution ledger's facts module (for the start-up loan's assessment too)."""
    return _ledger()


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _month_end(day: dt.date) -> dt.date:
    return _add_months(day, 1) - dt.timedelta(days=1)


# Each rule: the candidates it considers and its verdict on each, as
# (key, employer_id, person_id, verdict).
Found = list[tuple[str, Any, Any, rules.Verdict]]


def _hired_in_difficulty(period: dt.date) -> Found:
    long_term = int(parameter_value("employment.difficulty.long_term_unemployed_months", on=period))
    max_months = int(parameter_value("employment.social_insurance_subsidy.max_months", on=period))
    last_registration = (
        UnemploymentRegistration.objects.filter(
            person_id=OuterRef("person_id"), unemployed_since__lt=OuterRef("start_date")
        )
        .order_by("-unemployed_since")
        .values("unemployed_since")[:1]
    )
    # Unemployed without a break: no other job between becoming unemployed and this hire.
    worked_between = Employment.objects.filter(
        person_id=OuterRef("person_id"), start_date__lt=OuterRef("start_date")
    ).filter(Q(end_date__isnull=True) | Q(end_date__gt=OuterRef("unemployed_since")))  # the job lost may end that day
    hires = list(
        Employment.objects.filter(start_date__lte=_month_end(period), start_date__gte=_add_months(period, -max_months))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=period))
        .annotate(unemployed_since=Subquery(last_registration))
        .filter(unemployed_since__isnull=False)
        .exclude(Exists(worked_between))
        .values_list("employer_id", "person_id", "start_date", "unemployed_since")
    )
    shares = _ledger().employer_share_fen(period=period, pairs=[(e, p) for e, p, _s, _u in hires])
    found: Found = []
    for employer_id, person_id, hired_on, unemployed_since in hires:
        verdict = rules.hired_in_difficulty(
            unemployed_since=unemployed_since,
            hired_on=hired_on,
            period=period,
            employer_share_fen=shares.get((employer_id, person_id), 0),
            long_term_months=long_term,
            max_months=max_months,
        )
        found.append((f"{employer_id}:{person_id}", employer_id, person_id, verdict))
    return found


def _low_layoff_rate(period: dt.date) -> Found:
    on = dt.date(period.year, 12, 31)
    layoff_rate_max = parameter_value("employment.stabilisation.layoff_rate_max", on=on)
    small_headcount = int(parameter_value("employment.stabilisation.small_employer_headcount", on=on))
    small_layoff_rate_max = parameter_value("employment.stabilisation.small_layoff_rate_max", on=on)
    ratio_large = parameter_value("employment.stabilisation.refund_ratio.large", on=on)
    ratio_sme = parameter_value("employment.stabilisation.refund_ratio.sme", on=on)
    ledger = _ledger()
    insured = ledger.unemployment_insured_year(year=period.year)
    paid = ledger.unemployment_paid_fen(year=period.year)
    sizes = dict(Employer.objects.filter(pk__in=list(insured)).values_list("pk", "size"))
    found: Found = []
    for employer_id, (months, headcount, leavers) in insured.items():
        verdict = rules.low_layoff_rate(
            months_insured=months,
            headcount=headcount,
            leavers=leavers,
            paid_fen=paid.get(employer_id, 0),
            large=sizes.get(employer_id) == Employer.Size.LARGE,
            layoff_rate_max=layoff_rate_max,
            small_headcount=small_headcount,
            small_layoff_rate_max=small_layoff_rate_max,
            ratio_large=ratio_large,
            ratio_sme=ratio_sme,
        )
        found.append((f"{employer_id}:", employer_id, None, verdict))
    return found


def _members_during(period: dt.date) -> dict[Any, tuple[str, dt.date]]:
    """Each person who was a member of a special group at some time in the month: their
    earliest category still active then and when it was identified (one query)."""
    rows = (
        SpecialGroupMembership.objects.filter(identified_on__lte=_month_end(period))
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=period))
        .order_by("identified_on", "created_at")
        .values_list("person_id", "category", "identified_on")
    )
    members: dict[Any, tuple[str, dt.date]] = {}
    for person_id, category, identified_on in rows:
        members.setdefault(person_id, (category, identified_on))
    return members


def _flexible_in_special_group(period: dt.date) -> Found:
    """灵活就业社会保险补贴: every member of a special group in the month is a candidate; the
    ledger says who paid flexible workers' contributions (one grouped query)."""
    ratio = parameter_value("employment.flexible_subsidy.ratio", on=period)
    max_months = int(parameter_value("employment.flexible_subsidy.max_months", on=period))
    paid = _ledger().flexible_paid_fen(period=period)
    found: Found = []
    for person_id, (category, identified_on) in _members_during(period).items():
        eligible, reasons, amount = support_rules.flexible_in_special_group(
            category=category,
            identified_on=identified_on,
            period=period,
            paid_fen=paid.get(person_id, 0),
            ratio=ratio,
            max_months=max_months,
        )
        found.append((f":{person_id}", None, person_id, rules.Verdict(eligible, reasons, amount)))
    return found


def _startup_in_target_group(period: dt.date) -> Found:
    """一次性创业补贴 (免申即享): registered start-ups of members of a special group, begun within
    the months allowed; once per person ever: not if the hall granted it (``StartupSubsidy``)
    or a run of any period proposed it."""
    end = _month_end(period)
    max_age = int(parameter_value("employment.startup_subsidy.max_business_age_months", on=period))
    amount_fen = int(parameter_value("employment.startup_subsidy.amount", on=period) * 100)
    members = _members_during(period)
    startups = list(
        StartupRegistration.objects.filter(
            person_id__in=list(members), started_on__lte=end, started_on__gt=_add_months(period, -max_age)
        )
        .order_by("person_id", "started_on", "created_at")
        .values_list("person_id", "started_on")
    )
    owners = {person_id for person_id, _started in startups}
    granted = set(StartupSubsidy.objects.filter(person_id__in=owners).values_list("person_id", flat=True))
    granted |= set(
        PolicyPayment.objects.filter(policy=STARTUP_SUBSIDY, person_id__in=owners)
        .exclude(period=period)
        .values_list("person_id", flat=True)
    )
    found: Found = []
    seen: set[Any] = set()
    for person_id, started_on in startups:
        if person_id in seen:  # one subsidy per person, for their first start-up
            continue
        seen.add(person_id)
        eligible, reasons, amount = support_rules.startup_in_target_group(
            category=members[person_id][0],
            started_on=started_on,
            period_end=end,
            max_age_months=max_age,
            granted_before=person_id in granted,
            amount_fen=amount_fen,
        )
        found.append((f":{person_id}", None, person_id, rules.Verdict(eligible, reasons, amount)))
    return found


STARTUP_SUBSIDY = "startup_subsidy_free_apply"

RULES = {
    "hired_in_difficulty": _hired_in_difficulty,
    "low_layoff_rate": _low_layoff_rate,
    "flexible_in_special_group": _flexible_in_special_group,
    "startup_in_target_group": _startup_in_target_group,
}


def evaluate(*, policy_code: str, period: dt.date) -> Found:
    """Every candidate of a policy for a period with its verdict (eligible or a near miss)."""
    policy = rules.policies().get(policy_code)
    if policy is None:
        raise InvalidInput(fields={"policy": _("Unknown policy.")})
    return RULES[policy.rule](rules.policy_period(policy, period))


@transaction.atomic
def policy_run(*, scope: Scope, policy_code: str, period: dt.date) -> PolicyRun:
    """Run a policy for the period containing ``period`` and propose a payment to each
    newly eligible beneficiary. A year is run once it is over; a month once it has begun."""
    if not scope.has_role(*RUNNERS):
        raise PermissionDenied()
    policy = rules.policies().get(policy_code)
    if policy is None:
        raise InvalidInput(fields={"policy": _("Unknown policy.")})
    period = rules.policy_period(policy, period)
    today = timezone.localdate()
    if (policy.period == "year" and period.year >= today.year) or period > today:
        raise InvalidInput(fields={"period": _("This period is not over yet.")})
    try:
        found = RULES[policy.rule](period)
    except ParameterMissing as error:  # before the policy (or its figures) existed
        raise InvalidInput(fields={"period": _("The policy was not in force in this period.")}) from error
    eligible = [(key, employer_id, person_id, v) for key, employer_id, person_id, v in found if v.eligible]
    paid = set(PolicyPayment.objects.filter(policy=policy.code, period=period).values_list("key", flat=True))
    fresh = [(key, employer_id, person_id, v) for key, employer_id, person_id, v in eligible if key not in paid]
    if not fresh:
        # Nothing new since the last run of this period that found as many: that run is the answer
        # (a job or a client running it again changes nothing).
        latest = PolicyRun.objects.filter(policy=policy.code, period=period).order_by("-created_at").first()
        if latest is not None and latest.found == len(eligible):
            return latest
    run = PolicyRun.objects.create(policy=policy.code, period=period, found=len(eligible), started_by=scope.actor)
    new = [
        PolicyPayment(
            run=run,
            policy=policy.code,
            period=period,
            key=key,
            employer_id=employer_id,
            person_id=person_id,
            amount_fen=verdict.amount_fen,
            reasons=list(verdict.reasons),
        )
        for key, employer_id, person_id, verdict in fresh
    ]
    # The unique (policy, period, key) keeps a concurrent run of the same period from paying twice.
    PolicyPayment.objects.bulk_create(new, ignore_conflicts=True)
    run.proposed = PolicyPayment.objects.filter(run=run).count()
    run.save(update_fields=["proposed", "updated_at"])
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="employment.policy_run",
        object_type="policy_run",
        object_id=str(run.pk),
        purpose="policy",
        detail={"policy": policy.code, "period": period.isoformat(), "found": run.found, "proposed": run.proposed},
    )
    _tell_employers(policy, period, [p for p in new if p.employer_id is not None])
    _tell_persons(policy, period, [p for p in new if p.employer_id is None and p.person_id is not None])
    return run


def _tell_employers(policy: rules.Policy, period: dt.date, payments: list[PolicyPayment]) -> None:
    """One inbox message per employer agent and new payment (the agent may not switch this
    off: it tells the employer of money it will receive and of the data it was found by)."""
    employers = {payment.employer_id for payment in payments if payment.employer_id is not None}
    agents: dict[Any, list[Any]] = {}
    for agent_id, employer_id in User.objects.filter(employer_id__in=employers, is_active=True).values_list(
        "pk", "employer_id"
    ):
        agents.setdefault(employer_id, []).append(agent_id)
    url = site_url("employment:vacancies")
    for payment in payments:
        params = {
            "policy": policy.name,
            "period": f"{period:%Y}" if policy.period == "year" else f"{period:%Y-%m}",
            "amount": f"{Decimal(payment.amount_fen) / 100:.2f}",
            "url": url,
        }
        for agent_id in agents.get(payment.employer_id, []):
            notify.send_in_app(user_id=agent_id, template=POLICY_FOUND_TEMPLATE, params=params)


def _tell_persons(policy: rules.Policy, period: dt.date, payments: list[PolicyPayment]) -> None:
    """Each person found is told in their inbox (if they have an account) and by SMS to the
    registry's mobile number (else their account's); notify withholds the SMS of a number
    that opted out, and keeps it in the message centre."""
    persons = {payment.person_id for payment in payments if payment.person_id is not None}
    accounts: dict[Any, Any] = {}
    for user in User.objects.filter(person_id__in=persons, is_active=True).order_by("date_joined"):
        accounts.setdefault(user.person_id, user)
    phones = dict(Person.objects.filter(pk__in=persons).values_list("pk", "phone"))
    url = site_url("employment:mine")
    for payment in payments:
        params = {
            "policy": policy.name,
            "period": f"{period:%Y}" if policy.period == "year" else f"{period:%Y-%m}",
            "amount": f"{Decimal(payment.amount_fen) / 100:.2f}",
            "url": url,
        }
        holder = accounts.get(payment.person_id)
        if holder is not None:
            notify.send_in_app(user_id=holder.pk, template=POLICY_PERSON_FOUND_TEMPLATE, params=params)
        phone = phones.get(payment.person_id) if payment.person_id is not None else ""
        phone = phone or (holder.phone if holder is not None else "")
        if phone:
            # a bad number in the registry must not undo the run (the inbox still has it)
            with contextlib.suppress(InvalidInput):
                notify.send_sms(phone=phone, template=POLICY_PERSON_FOUND_TEMPLATE, params=params)


@transaction.atomic
def policy_run_approve(*, scope: Scope, run_id: Any) -> int:
    """Approve the proposed payments of a run for transfer; the approver may not be the one
    who ran it (职责分离). Answers how many were approved (0 when done before)."""
    if not scope.has_role(*APPROVERS):
        raise PermissionDenied()
    run = PolicyRun.objects.select_for_update().filter(pk=run_id).first()
    if run is None:
        raise NotFound()
    if run.started_by == scope.actor:
        raise Conflict(_("The payments of a run are approved by someone other than who ran it."), code="same_person")
    approved = PolicyPayment.objects.filter(run=run, status=PolicyPayment.Status.PROPOSED).update(
        status=PolicyPayment.Status.APPROVED, approved_by=scope.actor, approved_at=timezone.now()
    )
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="employment.policy_run_approve",
        object_type="policy_run",
        object_id=str(run.pk),
        purpose="policy",
        detail={"approved": approved},
    )
    return approved


def policies_run_due() -> dict[str, int]:
    """The monthly job ``employment.policies``: each policy for its last finished period."""
    today = timezone.localdate()
    scope = Scope.system("employment.policies")
    before = PolicyPayment.objects.count()
    for policy in rules.policies().values():
        period = dt.date(today.year - 1, 1, 1) if policy.period == "year" else _add_months(today.replace(day=1), -1)
        policy_run(scope=scope, policy_code=policy.code, period=period)
    return {"proposed": PolicyPayment.objects.count() - before}
