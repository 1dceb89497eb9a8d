"""Start-up support (E2) and employment status (E1): the domain work of the hall's employment
items, and what an employer's 增员/减员 does to a person's employment status.

- ``employment_register``: 就业登记 (SH-JY-002). The job is the registry's employment spell
  (``registry.Employment``), found or recorded there; an open unemployment registration ends.
- ``hired`` / ``left``: an employer's 增员 and 减员 in insurance open and close the
  person's employment spell (one spell however many insurance types the event names; the
  subscriber is wired in ``subscribers.py`` from the events insurance declares).
- ``loan_assess`` / ``loan_grant``: 创业担保贷款 (SH-JY-003). The assessment computes the
  loan's instalment, interest and interest subsidy (``rules.loan_terms``) from the dated
  parameters in force, and scores the applicant's ability to repay from cross-checked
  records: contribution continuity (the insurance ledger's facts), a current job and its
  wage (the registry), another start-up loan outstanding (this app). The grant assesses
  again and records the loan with the assessment it was decided on.
- ``subsidy_assess`` / ``subsidy_grant``: 一次性创业补贴 (SH-JY-004), once per person.

Every write is atomic, audited, staff-only (the hall's service task acts in the name of the
staff member whose decision led to it) and idempotent per hall application.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from hrss.codes.identifiers import parse_credit_code
from hrss.codes.selectors import parameter_value
from hrss.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hrss.core.scope import Scope
from hrss.employment import policies, rules
from hrss.employment.models import (
    EmploymentRegistration,
    PolicyPayment,
    StartupLoan,
    StartupSubsidy,
    UnemploymentRegistration,
)
from hrss.employment.services import _audit
from hrss.employment.support_models import SpecialGroupMembership
from hrss.registry.models import Employer, Employment, Person, Source
from hrss.servicehall.extension_points import credit_class_for

FEN = Decimal(100)

# The names the start-up handlers answer with, labelled on the workbench by the hall's
# computed figures (in their context, as there: ``hrss/servicehall/computed_figures.py``).
FIGURE_NAMES = (
    pgettext_lazy("computed figure", "Loan preview"),
    pgettext_lazy("computed figure", "Subsidy preview"),
    pgettext_lazy("computed figure", "Score"),
    pgettext_lazy("computed figure", "Fast track score"),
    pgettext_lazy("computed figure", "Fast track"),
    pgettext_lazy("computed figure", "Review required"),
    pgettext_lazy("computed figure", "Assessment reasons"),
    pgettext_lazy("computed figure", "Target groups"),
    pgettext_lazy("computed figure", "Reason"),
    pgettext_lazy("computed figure", "Points"),
    pgettext_lazy("computed figure", "Loan amount"),
    pgettext_lazy("computed figure", "Term months"),
    pgettext_lazy("computed figure", "Contract rate"),
    pgettext_lazy("computed figure", "Borrower rate"),
    pgettext_lazy("computed figure", "Subsidy rate"),
    pgettext_lazy("computed figure", "Monthly instalment"),
    pgettext_lazy("computed figure", "First month paid by borrower"),
    pgettext_lazy("computed figure", "Interest total"),
    pgettext_lazy("computed figure", "Interest subsidy total"),
    pgettext_lazy("computed figure", "Interest subsidy by year"),
    pgettext_lazy("computed figure", "Loan year"),
    pgettext_lazy("computed figure", "Interest subsidy"),
    pgettext_lazy("computed figure", "Loan id"),
    pgettext_lazy("computed figure", "Business started on"),
    pgettext_lazy("computed figure", "Subsidy amount"),
    pgettext_lazy("computed figure", "Subsidy id"),
    pgettext_lazy("computed figure", "Registration id"),
    pgettext_lazy("computed figure", "Employer"),
    pgettext_lazy("computed figure", "Started on"),
)


def _fen(amount: Decimal) -> int:
    return int((amount * FEN).to_integral_value(rounding="ROUND_HALF_UP"))


def _staff(scope: Scope) -> None:
    if not scope.is_staff:
        raise PermissionDenied()


def _person(person_id: uuid.UUID, *, lock: bool = False) -> Person:
    persons = Person.objects.select_for_update() if lock else Person.objects
    person = persons.filter(pk=person_id).first()
    if person is None:
        raise NotFound()
    return person


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _end_unemployment(person_id: uuid.UUID, on: dt.date) -> bool:
    """End the person's open unemployment registration (they work again); True if one ended."""
    return bool(
        UnemploymentRegistration.objects.filter(
            person_id=person_id, status=UnemploymentRegistration.Status.REGISTERED
        ).update(status=UnemploymentRegistration.Status.ENDED, ended_on=on, updated_at=timezone.now())
    )


def employment_status(person_id: uuid.UUID, *, on: dt.date | None = None) -> str:
    """ "employed" (an employment spell open on the day), "unemployed" (registered as
    unemployed) or "unknown": read from the registry's spells and this app's registrations."""
    on = on or timezone.localdate()
    if (
        Employment.objects.filter(person_id=person_id, start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .exists()
    ):
        return "employed"
    if UnemploymentRegistration.objects.filter(
        person_id=person_id, status=UnemploymentRegistration.Status.REGISTERED
    ).exists():
        return "unemployed"
    return "unknown"


# --- 就业登记 (SH-JY-002) -------------------------------------------------------------------------


@transaction.atomic
def employment_register(
    *,
    scope: Scope,
    person_id: uuid.UUID,
    kind: str,
    started_on: dt.date,
    reference: str,
    credit_code: str = "",
    employer_name: str = "",
) -> EmploymentRegistration:
    """Register a person's employment: with an employer's credit code the registry's spell is
    found or recorded (source: the bureau's counter); an open unemployment registration ends.
    Idempotent per hall application."""
    _staff(scope)
    done = EmploymentRegistration.objects.filter(hall_reference=reference).first()
    if done is not None:
        return done
    if kind not in EmploymentRegistration.Kind.values:
        raise InvalidInput(fields={"employment_kind": _("Choose a form of employment.")})
    if started_on > timezone.localdate():
        raise InvalidInput(fields={"started_on": _("The date cannot be in the future.")})
    person = _person(person_id, lock=True)
    employer = None
    if credit_code.strip():
        code = parse_credit_code(credit_code)
        employer = Employer.objects.filter(credit_code=code.value).first()
        if employer is None:
            raise NotFound(
                _("No employer with this credit code is in the registry."), fields={"credit_code": code.value}
            )
    elif kind == EmploymentRegistration.Kind.EMPLOYEE:
        raise InvalidInput(fields={"credit_code": _("Give the employer's unified social credit code.")})
    spell = None
    if employer is not None:
        spell = (
            Employment.objects.filter(person=person, employer=employer, start_date__lte=started_on)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=started_on))
            .order_by("-start_date")
            .first()
        )
        if spell is None:
            spell = Employment.objects.create(
                person=person, employer=employer, start_date=started_on, source=Source.BUREAU_COUNTER
            )
    registration = EmploymentRegistration.objects.create(
        person=person,
        kind=kind,
        employer=employer,
        employer_name=(employer.name if employer else employer_name.strip())[:200],
        started_on=started_on,
        spell=spell,
        hall_reference=reference,
        registered_by=scope.actor,
    )
    ended = _end_unemployment(person.pk, started_on)
    _audit(
        scope,
        "employment.employment_register",
        "employment_registration",
        registration.pk,
        reference=reference,
        spell=str(spell.pk) if spell else None,
        unemployment_ended=ended,
    )
    return registration


# --- 增员 / 减员 (insurance's enrolment events) ----------------------------------------------------


@transaction.atomic
def hired(*, person_id: uuid.UUID, employer_id: uuid.UUID, start_month: dt.date, actor: str) -> Employment:
    """An employer enrolled the person (增员): their spell with that employer is open from the
    month (found, or recorded once however many insurance types the 增员 named), and an open
    unemployment registration ends."""
    Person.objects.select_for_update().filter(pk=person_id).first()  # serialise one person's events
    spell = (
        Employment.objects.filter(person_id=person_id, employer_id=employer_id)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start_month))
        .order_by("-start_date")
        .first()
    )
    if spell is None:
        spell = Employment.objects.create(
            person_id=person_id, employer_id=employer_id, start_date=start_month, source=Source.BUREAU_COUNTER
        )
    ended = _end_unemployment(person_id, start_month)
    _audit(
        Scope.system(actor),
        "employment.status.hired",
        "person",
        person_id,
        employer=str(employer_id),
        spell=str(spell.pk),
        unemployment_ended=ended,
    )
    return spell


@transaction.atomic
def left(*, person_id: uuid.UUID, employer_id: uuid.UUID, last_month: dt.date, actor: str) -> Employment | None:
    """An employer stopped the person's enrolment (减员): their open spell with that employer
    ends with the last month contributed for (once; a second event finds it closed)."""
    end = _add_months(_month_start(last_month), 1) - dt.timedelta(days=1)
    spell = (
        Employment.objects.select_for_update()
        .filter(person_id=person_id, employer_id=employer_id, end_date__isnull=True, start_date__lte=end)
        .order_by("-start_date")
        .first()
    )
    if spell is None:
        return None
    spell.end_date = end
    spell.save(update_fields=["end_date", "updated_at"])
    _audit(
        Scope.system(actor),
        "employment.status.left",
        "person",
        person_id,
        employer=str(employer_id),
        spell=str(spell.pk),
        end=end.isoformat(),
    )
    return spell


# --- 创业担保贷款 (SH-JY-003) ---------------------------------------------------------------------


@dataclass(frozen=True)
class LoanAssessment:
    """A loan application assessed: the terms, the score with its reasons, and what it read."""

    person_id: uuid.UUID
    terms: rules.LoanTerms
    assessment: rules.Assessment
    history_months: int
    fast_track_score: int
    # the loan's target groups the records show (codes); none: the reviewer checks the evidence
    groups: tuple[str, ...] = ()

    @property
    def fast_track(self) -> bool:
        """The fast track needs the score and a target group the records confirm."""
        return self.assessment.fast_track and bool(self.groups)


def _percent(rate: Decimal) -> str:
    return f"{(rate * 100).quantize(Decimal('0.01'))}%"


def reason_text(reason: dict[str, Any]) -> str:
    """One part of the repayment assessment, in words."""
    code = reason["code"]
    if code == "continuity":
        return _("Contributions in %(months)s of the last %(of)s months") % reason
    if code == "employed":
        return _("In a job now") if reason["points"] else _("No current job on record")
    if code == "no_other_loan":
        return (
            _("No other start-up loan outstanding") if reason["points"] else _("Another start-up loan is outstanding")
        )
    if code == "burden":
        share = _percent(Decimal(str(reason["ratio"])))
        return _("The monthly instalment is %(share)s of the recorded wage") % {"share": share}
    if code == "debt":
        if not reason["points"]:
            owed = Decimal(int(str(reason["owed_fen"]))) / 100
            return _("Owes %(amount)s yuan of overpaid benefits to the funds") % {"amount": f"{owed:.2f}"}
        return _("Owes nothing to the funds")
    if code == "card":
        if reason["failed"]:
            return _("%(failed)s card payments failed in the period") % reason
        return _("Card payments regular: paid in %(paid_months)s months, none failed") % reason
    if code == "card_unknown":
        return _("No card payment records to weigh")
    if code == "credit":
        if reason["class"]:
            return _("Credit class %(class)s") % reason
        return _("No credit event on record")
    return _("No wage on record to weigh the instalment against")


def loan_figures(result: LoanAssessment) -> dict[str, Any]:
    """The assessment as the hall shows it to the reviewer and the approver (JSON)."""
    terms, assessment = result.terms, result.assessment
    figures: dict[str, Any] = {
        "what": _("Repayment ability assessed: %(score)s points of 100") % {"score": assessment.score},
        "score": assessment.score,
        "fast_track_score": result.fast_track_score,
        "assessment_reasons": [
            {"reason": reason_text(reason), "points": reason["points"]} for reason in assessment.reasons
        ],
        "loan_amount": str(terms.amount),
        "term_months": terms.term_months,
        "contract_rate": _percent(terms.contract_rate),
        "borrower_rate": _percent(terms.borrower_rate),
        "subsidy_rate": _percent(terms.subsidy_rate),
        "monthly_instalment": str(terms.monthly_instalment),
        "first_month_paid_by_borrower": str(terms.first_month_paid_by_borrower),
        "interest_total": str(terms.interest_total),
        "interest_subsidy_total": str(terms.interest_subsidy_total),
        "interest_subsidy_by_year": [
            {"loan_year": year, "interest_subsidy": str(amount)}
            for year, amount in enumerate(terms.subsidy_by_year, start=1)
        ],
    }
    names = {group.code: group.name for group in rules.loan_groups()}
    if result.groups:
        figures["target_groups"] = _("Target group on record: %(groups)s") % {
            "groups": "、".join(names[code] for code in result.groups)
        }
    else:
        evidence = "、".join(
            f"{group.name}（{group.evidence}）"
            for group in rules.loan_groups()
            if group.found_by == "declared" and group.evidence and group.in_force(timezone.localdate())
        )
        figures["target_groups"] = _(
            "No target group on record: check the applicant's evidence of a group (%(evidence)s)"
        ) % {"evidence": evidence}
    # The process's gateway reads the key ("fast_track" in loan_preview): present only
    # when the score reaches the fast-track score and the records confirm a target group, so
    # the application skips the review tier.
    if result.fast_track:
        figures["fast_track"] = True
    else:
        figures["review_required"] = True
    return figures


def _amount_term(amount: Any, term_months: Any) -> tuple[Decimal, int]:
    try:
        value = Decimal(str(amount))
    except ArithmeticError as error:
        raise InvalidInput(fields={"amount": _("Enter a number.")}) from error
    if not value.is_finite():
        raise InvalidInput(fields={"amount": _("Enter a number.")})
    try:
        term = int(str(term_months))
    except ValueError as error:
        raise InvalidInput(fields={"term_months": _("Enter a whole number of months.")}) from error
    return value, term


def loan_assess(*, scope: Scope, person_id: uuid.UUID, amount: Any, term_months: Any) -> LoanAssessment:
    """Assess a loan application on today's parameters and records; nothing is written.

    An amount above the cap or a term above the longest is refused (``InvalidInput``)."""
    _staff(scope)
    value, term = _amount_term(amount, term_months)
    today = timezone.localdate()
    amount_max = parameter_value("employment.startup_loan.individual_max", on=today)
    term_max = int(parameter_value("employment.startup_loan.max_term_months", on=today))
    if errors := rules.loan_errors(amount=value, term_months=term, amount_max=amount_max, term_max=term_max):
        messages = {
            "not_positive": _("Enter a number above zero."),
            "above_cap": _("The loan may be at most %(cap)s yuan.") % {"cap": f"{amount_max:.0f}"},
            "above_term": _("The term may be at most %(months)s months.") % {"months": term_max},
        }
        raise InvalidInput(
            " ".join(str(messages[code]) for code in errors.values()),
            fields={name: str(messages[code]) for name, code in errors.items()},
        )
    person = _person(person_id)
    terms = rules.loan_terms(
        amount=value,
        term_months=term,
        lpr=parameter_value("employment.startup_loan.lpr_1y", on=today),
        markup=parameter_value("employment.startup_loan.rate_markup", on=today),
        discount=parameter_value("employment.startup_loan.borrower_discount", on=today),
    )
    history = int(parameter_value("employment.startup_loan.history_months", on=today))
    fast_track = int(parameter_value("employment.startup_loan.fast_track_score", on=today))
    this_month = _month_start(today)
    months = policies.ledger().contribution_months(
        person_id=person.pk, start=_add_months(this_month, -history), end=_add_months(this_month, -1)
    )
    job = (
        Employment.objects.filter(person=person, start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .order_by("-start_date")
        .values("monthly_wage")
        .first()
    )
    window_start = _add_months(this_month, -history)
    card = policies.card_facts.module
    assessment = rules.repayment_assessment(
        contribution_months=months,
        history_months=history,
        employed=job is not None,
        other_loan=StartupLoan.objects.filter(person=person, status=StartupLoan.Status.APPROVED).exists(),
        monthly_instalment=terms.monthly_instalment,
        monthly_wage=job["monthly_wage"] if job else None,
        debt_fen=policies.ledger().person_debt_fen(person_id=person.pk),
        card_payments=card.payment_record(person_id=person.pk, start=window_start, end=today) if card else None,
        credit_class=credit_class_for(person=person),
        fast_track_score=fast_track,
    )
    groups = rules.loan_groups_on_record(
        on=today,
        registered_unemployed=UnemploymentRegistration.objects.filter(
            person=person, status=UnemploymentRegistration.Status.REGISTERED
        ).exists(),
        special_categories=SpecialGroupMembership.objects.filter(
            person=person, status=SpecialGroupMembership.Status.ACTIVE
        ).values_list("category", flat=True),
    )
    return LoanAssessment(person.pk, terms, assessment, history, fast_track, tuple(group.code for group in groups))


@transaction.atomic
def loan_grant(
    *, scope: Scope, person_id: uuid.UUID, business_name: str, amount: Any, term_months: Any, reference: str
) -> StartupLoan:
    """Record the approved loan with the assessment it was decided on (assessed again: the
    records may have changed since review). Idempotent per hall application."""
    _staff(scope)
    done = StartupLoan.objects.filter(hall_reference=reference).first()
    if done is not None:
        return done
    if not business_name.strip():
        raise InvalidInput(fields={"business_name": _("This field is required.")})
    _person(person_id, lock=True)
    result = loan_assess(scope=scope, person_id=person_id, amount=amount, term_months=term_months)
    terms = result.terms
    loan = StartupLoan.objects.create(
        person_id=person_id,
        business_name=business_name.strip()[:200],
        amount_fen=_fen(terms.amount),
        term_months=terms.term_months,
        contract_rate=terms.contract_rate,
        borrower_rate=terms.borrower_rate,
        monthly_instalment_fen=_fen(terms.monthly_instalment),
        interest_subsidy_fen=_fen(terms.interest_subsidy_total),
        score=result.assessment.score,
        assessment={
            "score": result.assessment.score,
            "reasons": list(result.assessment.reasons),
            "target_groups": list(result.groups),
        },
        hall_reference=reference,
        decided_by=scope.actor,
        decided_on=timezone.localdate(),
    )
    _audit(scope, "employment.startup_loan_grant", "startup_loan", loan.pk, reference=reference, score=loan.score)
    return loan


# --- 一次性创业补贴 (SH-JY-004) -------------------------------------------------------------------


@dataclass(frozen=True)
class SubsidyAssessment:
    person_id: uuid.UUID
    started_on: dt.date
    amount: Decimal


def subsidy_assess(*, scope: Scope, person_id: uuid.UUID, started_on: dt.date | None) -> SubsidyAssessment:
    """Check a start-up subsidy claim: a business started within the allowed months, no
    earlier subsidy; the amount in force today. Nothing is written."""
    _staff(scope)
    if started_on is None:
        raise InvalidInput(fields={"started_on": _("This field is required.")})
    today = timezone.localdate()
    max_age = int(parameter_value("employment.startup_subsidy.max_business_age_months", on=today))
    errors = rules.startup_subsidy_errors(started_on=started_on, today=today, max_age_months=max_age)
    if errors.get("started_on") == "in_future":
        raise InvalidInput(fields={"started_on": _("The date cannot be in the future.")})
    if errors:
        raise InvalidInput(
            _("The business started more than %(months)s months ago.") % {"months": max_age},
            fields={"started_on": started_on.isoformat()},
        )
    person = _person(person_id)
    # Once per person ever, whichever way it came: the hall's grant or the policy run's
    # payment list (免申即享, proposed or approved).
    paid_by_run = PolicyPayment.objects.filter(policy=policies.STARTUP_SUBSIDY, person=person).exists()
    if paid_by_run or StartupSubsidy.objects.filter(person=person).exists():
        raise Conflict(_("The one-time start-up subsidy has already been granted."), code="already_granted")
    amount = parameter_value("employment.startup_subsidy.amount", on=today)
    return SubsidyAssessment(person.pk, started_on, amount)


@transaction.atomic
def subsidy_grant(
    *, scope: Scope, person_id: uuid.UUID, business_name: str, started_on: dt.date | None, reference: str
) -> StartupSubsidy:
    """Grant the subsidy (once per person; idempotent per hall application)."""
    _staff(scope)
    done = StartupSubsidy.objects.filter(hall_reference=reference).first()
    if done is not None:
        return done
    _person(person_id, lock=True)
    result = subsidy_assess(scope=scope, person_id=person_id, started_on=started_on)
    subsidy = StartupSubsidy.objects.create(
        person_id=person_id,
        business_name=business_name.strip()[:200],
        started_on=result.started_on,
        amount_fen=_fen(result.amount),
        hall_reference=reference,
        decided_by=scope.actor,
        decided_on=timezone.localdate(),
    )
    _audit(scope, "employment.startup_subsidy_grant", "startup_subsidy", subsidy.pk, reference=reference)
    return subsidy
