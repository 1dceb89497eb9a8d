"""HTML pages of social insurance (S1, S2, S3): the citizen's records and estimate, a flexible
worker's months due and online payment, the public calculator, the employer's enrolment, declaration and statement, and the staff
overview (runs, universal enrolment, recovery cases).

Thin views: the caller's scope, a service or selector, a template. Errors a person can
act on are shown on the page; nothing here computes a figure itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hrss.codes.selectors import district_name, insurance_type_name
from hrss.core.errors import DomainError, InvalidInput, PermissionDenied
from hrss.core.scope import Scope
from hrss.identity.auth import scope_for_user
from hrss.insurance import calculators, policy, rules, services
from hrss.insurance.access import CASEWORKER_ROLES
from hrss.insurance.models import Enrolment
from hrss.insurance.selectors import assessment_runs, contributions, enrolments, universal
from hrss.insurance.selectors import benefits as benefit_reads
from hrss.insurance.selectors import payments as payment_reads
from hrss.insurance.services import online_payment
from hrss.registry import selectors as registry_selectors


def _scope(request: HttpRequest) -> Scope:
    return scope_for_user(request.user)


def _report(request: HttpRequest, error: DomainError) -> None:
    """The refusal as its sentence; field names and raw values stay in the API's answer."""
    messages.error(request, str(error.message))


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _scope(request).is_staff:
            raise PermissionDenied(_("This page is for bureau staff."))
        return view(request, *args, **kwargs)

    return wrapped


def _insurance_types() -> list[tuple[str, str]]:
    """The assessed insurances with their names from the codes table, in the active language."""
    return [(code, insurance_type_name(code)) for code in rules.ASSESSED_INSURANCES]


FIRST_RECORD_YEAR = 1990  # the earliest year the contribution pages offer
# The calculator's fields as its form names them (an error names the field by its label).
ESTIMATE_LABELS = {
    "average_wage": gettext_lazy("Calculation base C: average monthly wage (yuan)"),
    "average_index": gettext_lazy("Your average contribution index Ī"),
    "contribution_months": gettext_lazy("Contribution months N (deemed months included)"),
    "account_balance": gettext_lazy("Personal account balance (yuan)"),
    "retirement_age_years": gettext_lazy("Retirement age"),
    "retirement_age_months": gettext_lazy("Retirement age"),
}


# --- citizens ---------------------------------------------------------------------------------


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """我的社保: insured status, contributions by month and type, the account, benefits."""
    scope = _scope(request)
    if scope.person_id is None:
        return render(request, "insurance/mine.html", {"unbound": True}, status=403)
    # A year typed into the address: a friendly 400 with the form, never a 500.
    this_year = dt.date.today().year
    year, year_error = this_year, ""
    if request.GET.get("year"):
        asked = _int(request.GET.get("year"))
        if asked is None or not FIRST_RECORD_YEAR <= asked <= this_year:
            year_error = _("Choose a year from %(first)s to %(last)s.") % {
                "first": FIRST_RECORD_YEAR,
                "last": this_year,
            }
        else:
            year = asked
    months = contributions.person_contributions(scope=scope, person_id=scope.person_id, year=year)
    by_period: dict[dt.date, dict[str, Any]] = {}
    for month in months:
        by_period.setdefault(month.period, {})[month.insurance_type] = month
    types = _insurance_types()
    context = {
        "year": year,
        "year_error": year_error,
        "years": list(range(this_year, this_year - 10, -1)),
        "types": types,
        "months": sorted(by_period.items(), reverse=True),
        "totals": {
            "employer": sum((m.employer_amount for m in months), Decimal(0)),
            "individual": sum((m.individual_amount for m in months), Decimal(0)),
        },
        "enrolments": enrolments.person_enrolments(scope=scope, person_id=scope.person_id),
        "account": contributions.person_account(scope=scope, person_id=scope.person_id),
        "awards": benefit_reads.person_awards(scope=scope, person_id=scope.person_id),
        "payments": benefit_reads.person_benefit_payments(scope=scope, person_id=scope.person_id, limit=24),
        "type_labels": dict(types),
        **_payments_context(scope),
    }
    return render(request, "insurance/mine.html", context, status=400 if year_error else 200)


def _payments_context(scope: Scope) -> dict[str, Any]:
    """A flexible worker's months with something due and recent online payments (nothing for others)."""
    if scope.person_id is None:
        return {"flexible": False}
    try:
        due = payment_reads.due_months(scope=scope, person_id=scope.person_id)
    except payment_reads.NotFlexibleWorker:
        return {"flexible": False}
    return {
        "flexible": True,
        "due": due,
        "due_total": sum((month.outstanding for month in due), Decimal(0)),
        "online_payments": payment_reads.online_payments_for(scope=scope, person_id=scope.person_id, limit=10),
    }


@login_required
@require_POST
def pay(request: HttpRequest) -> HttpResponse:
    """线上缴费: start paying the chosen months; the amount comes from the assessment, not the form."""
    scope = _scope(request)
    started, error = None, None
    try:
        if scope.person_id is None:
            raise PermissionDenied(code="not_bound")
        started = online_payment.online_payment_start(
            scope=scope, person_id=scope.person_id, months=request.POST.getlist("months")
        )
    except DomainError as exc:
        error = exc
    if request.htmx:  # type: ignore[attr-defined]
        # The section is swapped in place, error or not (htmx leaves 4xx answers unswapped).
        context = {**_payments_context(scope), "started": started, "error": error}
        return render(request, "insurance/_payments.html", context)
    if error is not None:
        _report(request, error)
    elif started is not None:
        messages.success(
            request,
            _("Payment %(reference)s started: %(amount)s yuan. Confirm it with the payment provider.")
            % {"reference": started.payment.reference, "amount": rules.from_fen(started.payment.amount_fen)},
        )
        if started.payment.redirect_url:
            return HttpResponseRedirect(started.payment.redirect_url)
    return HttpResponseRedirect(reverse("insurance:mine") + "#payments-heading")


@login_required
@require_POST
def flexible_enrol(request: HttpRequest) -> HttpResponse:
    """全民参保: a citizen enrols online as a flexible worker with the base they choose."""
    scope = _scope(request)
    try:
        if scope.person_id is None:
            raise PermissionDenied(code="not_bound")
        services.flexible_enrol(
            scope=scope,
            person_id=scope.person_id,
            start_month=rules.parse_period(request.POST.get("start_month", "")),
            base=_decimal(request.POST.get("base"), "base"),
        )
    except DomainError as error:
        _report(request, error)
    else:
        messages.success(request, _("You are enrolled in the basic pension as a flexible worker."))
    return HttpResponseRedirect(reverse("insurance:mine"))


@require_http_methods(["GET", "POST"])
def estimate(request: HttpRequest) -> HttpResponse:
    """养老金测算: public; pre-filled from the record for a signed-in citizen."""
    scope = _scope(request)
    values: dict[str, Any] = {
        "average_wage": "",
        "average_index": "1.0",
        "contribution_months": "180",
        "account_balance": "0",
        "retirement_age_years": "60",
        "retirement_age_months": "0",
    }
    prefill = None
    if request.method == "GET" and scope.person_id is not None:
        try:
            prefill = services.pension_award_compute(scope=scope, person_id=scope.person_id)
        except DomainError:
            prefill = None
        if prefill is not None:
            age = rules.Age.of_months(prefill.retirement_age_total_months)
            values = {
                "average_wage": prefill.average_wage,
                "average_index": prefill.average_index,
                "contribution_months": prefill.contribution_months,
                "account_balance": prefill.account_balance,
                "retirement_age_years": age.years,
                "retirement_age_months": age.months,
            }
    result, errors = None, {}
    if request.method == "POST":
        values = {key: request.POST.get(key, "").strip() for key in values}
        try:
            result = calculators.pension_estimate_compute(
                average_wage=_decimal(values["average_wage"], "average_wage"),
                average_index=_decimal(values["average_index"], "average_index"),
                contribution_months=_int_field(values["contribution_months"], "contribution_months"),
                account_balance=_decimal(values["account_balance"], "account_balance"),
                retirement_age=rules.Age(
                    _int_field(values["retirement_age_years"], "retirement_age_years"),
                    _int_field(values["retirement_age_months"] or "0", "retirement_age_months"),
                ),
            )
        except DomainError as error:
            errors = {name: str(text) for name, text in error.fields.items()} or {"": str(error.message)}
    context = {"values": values, "result": result, "errors": errors, "prefill": prefill, "labels": ESTIMATE_LABELS}
    template = "insurance/_estimate_result.html" if request.htmx else "insurance/estimate.html"  # type: ignore[attr-defined]
    return render(request, template, context, status=422 if errors else 200)


# --- employers --------------------------------------------------------------------------------


def _agent_employer(request: HttpRequest) -> tuple[Scope, Any]:
    scope = _scope(request)
    if scope.employer_id is None:
        raise PermissionDenied(_("This page is for employers' agents."))
    return scope, registry_selectors.employer_queryset(scope=scope).get(pk=scope.employer_id)


@login_required
@require_GET
def employer(request: HttpRequest) -> HttpResponse:
    """The employer's page: who is enrolled, the monthly statement, arrears."""
    scope, firm = _agent_employer(request)
    period_text = request.GET.get("period") or f"{rules.add_months(dt.date.today(), -1):%Y-%m}"
    try:
        period = rules.parse_period(period_text)
    except InvalidInput as error:
        _report(request, error)
        period = rules.month_start(dt.date.today())
    try:
        with policy.figures_for("period", period_text):
            statement = contributions.employer_statement(scope=scope, employer_id=firm.pk, period=period)
    except InvalidInput as error:
        _report(request, error)
        period = rules.month_start(dt.date.today())
        statement = contributions.employer_statement(scope=scope, employer_id=firm.pk, period=period)
    types = _insurance_types()
    context = {
        "employer": firm,
        "period": period,
        "statement": statement,
        "arrears": contributions.employer_arrears(scope=scope, employer_id=firm.pk),
        "enrolments": enrolments.employer_enrolments(scope=scope, employer_id=firm.pk)[:500],
        "types": types,
        "type_labels": dict(types),
        "reasons": Enrolment.StopReason.choices,
        "year": dt.date.today().year,
        "late_fee_rate": _late_fee_rate(),
    }
    return render(request, "insurance/employer.html", context)


def _late_fee_rate() -> str:
    """The daily late-fee rate in force, as a percentage ("0.05%"): a policy figure, never a literal."""
    try:
        return f"{rules.plain(policy.late_fee_daily_rate(on=dt.date.today()) * 100)}%"
    except DomainError:
        return "—"


@login_required
@require_POST
def employer_enrol(request: HttpRequest) -> HttpResponse:
    try:
        scope, firm = _agent_employer(request)
        person = registry_selectors.person_get_by_id_number(
            scope=scope, id_number=request.POST.get("id_number", ""), purpose="insurance enrolment"
        )
        services.enrolment_start(
            scope=scope,
            person_id=person.pk,
            employer_id=firm.pk,
            insurance_types=request.POST.getlist("insurance_types"),
            start_month=rules.parse_period(request.POST.get("start_month", "")),
        )
    except DomainError as error:
        _report(request, error)
    else:
        messages.success(request, _("Enrolled."))
    return HttpResponseRedirect(reverse("insurance:employer"))


@login_required
@require_POST
def employer_stop(request: HttpRequest) -> HttpResponse:
    try:
        scope, firm = _agent_employer(request)
        person = registry_selectors.person_get_by_id_number(
            scope=scope, id_number=request.POST.get("id_number", ""), purpose="insurance enrolment"
        )
        services.enrolment_stop(
            scope=scope,
            person_id=person.pk,
            employer_id=firm.pk,
            insurance_types=request.POST.getlist("insurance_types") or list(rules.ASSESSED_INSURANCES),
            last_month=rules.parse_period(request.POST.get("last_month", "")),
            reason=request.POST.get("reason", ""),
        )
    except DomainError as error:
        _report(request, error)
    else:
        messages.success(request, _("Enrolment stopped."))
    return HttpResponseRedirect(reverse("insurance:employer"))


@login_required
@require_POST
def employer_declare(request: HttpRequest) -> HttpResponse:
    """Base declaration: one line per employee, ``ID number, average monthly wage``."""
    try:
        scope, firm = _agent_employer(request)
        year = _int_field(request.POST.get("year", ""), "year")
        wages = []
        for number, line in enumerate(request.POST.get("lines", "").splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.replace("，", ",").split(",")]
            if len(parts) != 2:
                raise InvalidInput(_("Write one employee per line: ID number, wage."), fields={"line": str(number)})
            person = registry_selectors.person_get_by_id_number(
                scope=scope, id_number=parts[0], purpose="base declaration"
            )
            wages.append((person.pk, _decimal(parts[1], f"line {number}")))
        with policy.figures_for("year", year):
            lines = services.base_declare(scope=scope, employer_id=firm.pk, year=year, wages=wages)
    except DomainError as error:
        _report(request, error)
    else:
        clamped = sum(1 for line in lines if line.clamped)
        messages.success(
            request,
            _("%(count)s bases declared, %(clamped)s of them brought into the allowed band.")
            % {"count": len(lines), "clamped": clamped},
        )
    return HttpResponseRedirect(reverse("insurance:employer"))


# --- staff ------------------------------------------------------------------------------------


@staff_required
@require_GET
def staff(request: HttpRequest) -> HttpResponse:
    """Runs, universal enrolment by district, and open recovery cases with their evidence."""
    scope = _scope(request)
    today = dt.date.today()
    counts = [
        (count.district, district_name(count.district) or count.district, count.uninsured)
        for count in universal.uninsured_by_district(scope=scope, on=today)
    ]
    largest = max((n for _code, _name, n in counts), default=0)
    context = {
        "runs": assessment_runs.assessment_runs(scope=scope),
        "counts": [(code, name, n, int(100 * n / largest) if largest else 0) for code, name, n in counts],
        "cases": benefit_reads.recovery_cases(scope=scope) if scope.has_role(*CASEWORKER_ROLES) else [],
        "reminders": universal.reminder_counts(scope=scope, period=today),
        "today": today,
    }
    return render(request, "insurance/staff.html", context)


# --- small parsers ----------------------------------------------------------------------------


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text else None
    except ValueError:
        return None


def _int_field(text: str, field: str) -> int:
    try:
        return int(text)
    except (TypeError, ValueError):
        raise InvalidInput(fields={field: _("a whole number")}) from None


def _decimal(text: str | None, field: str) -> Decimal:
    try:
        value = Decimal((text or "").strip())
    except InvalidOperation:
        raise InvalidInput(fields={field: _("a number")}) from None
    if not value.is_finite():
        raise InvalidInput(fields={field: _("a number")})
    return value


# --- the signed-in home's panels (InsuranceConfig.home_panels) -------------------------------


def home_panel_citizen(*, request: HttpRequest, scope: Scope) -> dict[str, Any] | None:
    """我的社保 in brief: insured now, the pension account, months due for a flexible worker."""
    if scope.person_id is None:
        return None
    spells = enrolments.person_enrolments(scope=scope, person_id=scope.person_id)
    payments = _payments_context(scope)
    todo = []
    if payments.get("due"):
        todo.append((_("Pay your social insurance contributions due"), reverse("insurance:mine")))
    return {
        "insured": [insurance_type_name(spell.insurance_type) for spell in spells if spell.end_month is None],
        "account": contributions.person_account(scope=scope, person_id=scope.person_id),
        "due_total": payments.get("due_total"),
        "todo": todo,
    }


def home_panel_employer(*, request: HttpRequest, scope: Scope) -> dict[str, Any] | None:
    """The employer's insurance in brief: staff enrolled, this month's statement, months owed."""
    if scope.employer_id is None:
        return None
    today = dt.date.today()
    period = rules.month_start(today)
    enrolled = enrolments.employer_enrolments(scope=scope, employer_id=scope.employer_id).values("person_id").distinct()
    statement = contributions.employer_statement(scope=scope, employer_id=scope.employer_id, period=period, limit=0)
    arrears = [a for a in contributions.employer_arrears(scope=scope, employer_id=scope.employer_id) if a.overdue_days]
    todo = []
    if arrears:
        todo.append(
            (
                _("Contributions of %(count)s months are overdue") % {"count": len(arrears)},
                reverse("insurance:employer"),
            )
        )
    if statement.totals and statement.outstanding > 0:
        todo.append(
            (
                _("Declare and pay this month's contributions by %(date)s")
                % {"date": f"{statement.due_date:%Y-%m-%d}"},
                f"{reverse('insurance:employer')}?period={period:%Y-%m}",
            )
        )
    return {
        "staff_count": enrolled.count(),
        "statement": statement,
        "period": period,
        "arrears": arrears,
        "todo": todo,
    }
