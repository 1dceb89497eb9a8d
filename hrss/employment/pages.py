"""HTML pages of employment services: the seeker's page (registration, profile, jobs ranked
with their reasons, my applications and their interview invitations) and an employer's
vacancies with their candidates. Thin views: scope, a service or selector,
a template."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hrss.codes.models import EducationLevel, Occupation
from hrss.codes.selectors import districts_current
from hrss.core.errors import Conflict, InvalidInput, PermissionDenied
from hrss.core.scope import Scope
from hrss.employment import agencies, benefit_link, course_facts, explain, policies, rules, selectors, services, startup
from hrss.employment.models import PolicyPayment
from hrss.identity.auth import scope_for_user

MATCHES_SHOWN = 20
APPLICATIONS_SHOWN = 50
CANDIDATES_SHOWN = 100


def _scope(request: HttpRequest) -> Scope:
    return scope_for_user(request.user)


def _choices() -> dict[str, Any]:
    return {
        "occupations": list(Occupation.objects.filter(level="middle").order_by("code").values_list("code", "name")),
        "districts": districts_current(),
        "education_levels": list(EducationLevel.objects.order_by("code").values_list("code", "name")),
    }


def _decimal(value: str, field: str) -> Decimal | None:
    if not value.strip():
        return None
    try:
        return Decimal(value.strip())
    except InvalidOperation as error:
        raise InvalidInput(fields={field: _("Enter a number.")}) from error


def _date(value: str, field: str) -> dt.date | None:
    if not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError as error:
        raise InvalidInput(fields={field: _("Enter a date as YYYY-MM-DD.")}) from error


def _skills(value: str) -> list[str]:
    return [part for part in value.replace("，", ",").replace("、", ",").split(",") if part.strip()]


def _mine(request: HttpRequest, *, errors: dict[str, str] | None = None, status: int = 200) -> HttpResponse:
    scope = _scope(request)
    if scope.person_id is None:
        raise PermissionDenied(_("This page is for citizens."))
    query = request.GET.get("q", "")[:100].strip()
    ranked = selectors.matches_mine(scope=scope, limit=MATCHES_SHOWN, q=query)
    applications = selectors.applications_mine(scope=scope, limit=APPLICATIONS_SHOWN)
    registration = selectors.registration_mine(scope=scope)
    context = {
        "applications": applications,
        "applied": {application.vacancy_id for application in applications},
        "registration": registration,
        # the unemployment benefit of a registered person (insurance's declared facts)
        "benefit": benefit_link.benefit_claim(scope.person_id) if registration is not None else None,
        # training courses for the seeker (the training app's declared recommendations)
        "courses": course_facts.recommended(scope.person_id),
        "profile": selectors.profile_mine(scope=scope),
        "matches": [(r.vacancy, r.match.points, explain.reasons_text(r.match)) for r in ranked],
        "query": query,
        "errors": errors or {},
        **_choices(),
    }
    return render(request, "employment/mine.html", context, status=status)


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    return _mine(request)


@login_required
@require_POST
def profile_save(request: HttpRequest) -> HttpResponse:
    post = request.POST
    try:
        services.profile_save(
            scope=_scope(request),
            occupations=post.getlist("occupations"),
            districts=post.getlist("districts"),
            wage_min=_decimal(post.get("wage_min", ""), "wage_min"),
            education=post.get("education") or None,
            skills=_skills(post.get("skills", "")),
            available_from=_date(post.get("available_from", ""), "available_from"),
            visible_to_employers=post.get("visible_to_employers") == "on",
        )
    except InvalidInput as error:
        messages.error(request, str(error.message))
        return _mine(request, errors={k: str(v) for k, v in error.fields.items()}, status=422)
    messages.success(request, _("Your job-seeker profile is saved."))
    return HttpResponseRedirect(reverse("employment:mine"))


def _vacancies(request: HttpRequest, *, errors: dict[str, str] | None = None, status: int = 200) -> HttpResponse:
    scope = _scope(request)
    context = {
        "vacancies": selectors.vacancies_of_employer(scope=scope, limit=100),
        "errors": errors or {},
        "form": request.POST if request.method == "POST" else {},
        **_choices(),
    }
    return render(request, "employment/vacancies.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def vacancies(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _vacancies(request)
    post = request.POST
    try:
        values = {
            "title": post.get("title", ""),
            "description": post.get("description", ""),
            "occupation": post.get("occupation", ""),
            "district": post.get("district", ""),
            "address": post.get("address", ""),
            "wage_min": _decimal(post.get("wage_min", ""), "wage_min"),
            "wage_max": _decimal(post.get("wage_max", ""), "wage_max"),
            "education": post.get("education") or None,
            "skills": _skills(post.get("skills", "")),
            "headcount": post.get("headcount", ""),
            "valid_until": _date(post.get("valid_until", ""), "valid_until"),
        }
        missing = [name for name in ("wage_min", "wage_max", "valid_until") if values[name] is None]
        if missing or not str(values["headcount"]).isdigit():
            fields = {name: _("This field is required.") for name in missing}
            if not str(values["headcount"]).isdigit():
                fields["headcount"] = _("Enter a whole number.")
            raise InvalidInput(fields=fields)
        services.vacancy_post(scope=_scope(request), values=values, idempotency_key=post.get("idempotency_key", ""))
    except (InvalidInput, Conflict) as error:
        messages.error(request, str(error.message))
        return _vacancies(request, errors={k: str(v) for k, v in error.fields.items()}, status=422)
    messages.success(request, _("The vacancy is posted."))
    return HttpResponseRedirect(reverse("employment:vacancies"))


@login_required
@require_POST
def vacancy_close(request: HttpRequest, vacancy_id: uuid.UUID) -> HttpResponse:
    services.vacancy_close(scope=_scope(request), vacancy_id=vacancy_id)
    messages.success(request, _("The vacancy is closed."))
    return HttpResponseRedirect(reverse("employment:vacancies"))


@login_required
@require_POST
def apply(request: HttpRequest, vacancy_id: uuid.UUID) -> HttpResponse:
    services.application_submit(scope=_scope(request), vacancy_id=vacancy_id, note=request.POST.get("note", ""))
    messages.success(request, _("Your application is sent. The employer is told, and you hear from them here."))
    return HttpResponseRedirect(reverse("employment:mine") + "#applications")


def _candidates(
    request: HttpRequest,
    vacancy_id: uuid.UUID,
    *,
    errors: dict[str, str] | None = None,
    failed: uuid.UUID | None = None,
    status: int = 200,
) -> HttpResponse:
    scope = _scope(request)
    context = {
        "vacancy": selectors.vacancy_of_employer(scope=scope, vacancy_id=vacancy_id),
        "applicants": selectors.applicants_of_vacancy(scope=scope, vacancy_id=vacancy_id, limit=CANDIDATES_SHOWN),
        "errors": errors or {},
        "failed": failed,
    }
    return render(request, "employment/candidates.html", context, status=status)


@login_required
@require_GET
def candidates(request: HttpRequest, vacancy_id: uuid.UUID) -> HttpResponse:
    return _candidates(request, vacancy_id)


def _datetime(value: str, field: str) -> dt.datetime:
    try:
        at = dt.datetime.fromisoformat(value.strip())
    except ValueError as error:
        raise InvalidInput(fields={field: _("Enter a date and time.")}) from error
    return timezone.make_aware(at) if timezone.is_naive(at) else at


@login_required
@require_POST
def invite(request: HttpRequest, application_id: uuid.UUID) -> HttpResponse:
    scope = _scope(request)
    vacancy_id = selectors.vacancy_of_application(scope=scope, application_id=application_id)
    post = request.POST
    try:
        services.invitation_send(
            scope=scope,
            application_id=application_id,
            at=_datetime(post.get("at", ""), "at"),
            place=post.get("place", ""),
            note=post.get("note", ""),
        )
    except InvalidInput as error:
        messages.error(request, str(error.message))
        fields = {k: str(v) for k, v in error.fields.items()}
        return _candidates(request, vacancy_id, errors=fields, failed=application_id, status=422)
    messages.success(request, _("The interview invitation is sent to the applicant."))
    return HttpResponseRedirect(reverse("employment:candidates", args=[vacancy_id]))


# --- policy runs (staff) ---------------------------------------------------------------------------

RUNS_SHOWN = 50
PAYMENTS_SHOWN = 500


def _period(run: Any) -> str:
    """A run's period as its policy pays it: a year, or a month."""
    policy = rules.policies().get(run.policy)
    return f"{run.period:%Y}" if policy is not None and policy.period == "year" else f"{run.period:%Y-%m}"


def _policies(request: HttpRequest, *, errors: dict[str, str] | None = None, status: int = 200) -> HttpResponse:
    scope = _scope(request)
    table = rules.policies()
    runs = selectors.policy_runs(scope=scope, limit=RUNS_SHOWN)
    context = {
        "policies": list(table.values()),
        "runs": [(run, table[run.policy].name if run.policy in table else run.policy, _period(run)) for run in runs],
        "can_run": scope.has_role(*policies.RUNNERS),
        "errors": errors or {},
    }
    return render(request, "employment/policies.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def policy_runs(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _policies(request)
    try:
        period = _date(request.POST.get("period", ""), "period")
        if period is None:
            raise InvalidInput(fields={"period": _("This field is required.")})
        run = policies.policy_run(scope=_scope(request), policy_code=request.POST.get("policy", ""), period=period)
    except InvalidInput as error:
        messages.error(request, str(error.message))
        return _policies(request, errors={k: str(v) for k, v in error.fields.items()}, status=422)
    messages.success(request, _("The policy has run."))
    return HttpResponseRedirect(reverse("employment:policy-run", args=[run.pk]))


@login_required
@require_GET
def policy_run(request: HttpRequest, run_id: uuid.UUID) -> HttpResponse:
    scope = _scope(request)
    run = selectors.policy_run_get(scope=scope, run_id=run_id)
    payments = selectors.policy_payments(scope=scope, run_id=run_id, limit=PAYMENTS_SHOWN)
    rows = [
        {
            "employer": payment.employer.name if payment.employer else "",
            "person": payment.person.name if payment.person else "",
            "amount": f"{Decimal(payment.amount_fen) / 100:.2f}",
            "reasons": [explain.policy_reason_text(reason) for reason in payment.reasons],
            "status_label": payment.get_status_display(),
        }
        for payment in payments
    ]
    context = {
        "run": run,
        "period": _period(run),
        "policy": rules.policies().get(run.policy),
        "payments": rows,
        "has_proposed": any(p.status == PolicyPayment.Status.PROPOSED for p in payments),
        "can_approve": scope.has_role(*policies.APPROVERS) and run.started_by != scope.actor,
    }
    return render(request, "employment/policy_run.html", context)


@login_required
@require_POST
def policy_run_approve(request: HttpRequest, run_id: uuid.UUID) -> HttpResponse:
    try:
        approved = policies.policy_run_approve(scope=_scope(request), run_id=run_id)
    except Conflict as error:
        messages.error(request, str(error.message))
        return HttpResponseRedirect(reverse("employment:policy-run", args=[run_id]))
    messages.success(request, _("%(count)d payments approved.") % {"count": approved})
    return HttpResponseRedirect(reverse("employment:policy-run", args=[run_id]))


LOANS_SHOWN = 200


@login_required
@require_GET
def startup_loans(request: HttpRequest) -> HttpResponse:
    """Staff: the start-up loans approved, each with its terms and repayment assessment."""
    loans = selectors.startup_loans(scope=_scope(request), limit=LOANS_SHOWN)
    rows = [
        {
            "loan": loan,
            "amount": f"{Decimal(loan.amount_fen) / 100:.2f}",
            "instalment": f"{Decimal(loan.monthly_instalment_fen) / 100:.2f}",
            "subsidy": f"{Decimal(loan.interest_subsidy_fen) / 100:.2f}",
            "reasons": [
                f"{startup.reason_text(reason)}（{reason['points']}）" for reason in loan.assessment.get("reasons", [])
            ],
        }
        for loan in loans
    ]
    return render(request, "employment/loans.html", {"rows": rows})


# --- licensed HR agencies (administrators) ------------------------------------------------------

LICENCES_SHOWN = 200


def _licences(request: HttpRequest, *, errors: dict[str, str] | None = None, status: int = 200) -> HttpResponse:
    scope = _scope(request)
    today = timezone.localdate()
    names = dict(districts_current())
    rows = [
        {
            "licence": licence,
            "in_force": agencies.in_force(licence, today),
            "district_names": "、".join(names.get(code, code) for code in licence.districts),
        }
        for licence in selectors.licences(scope=scope, limit=LICENCES_SHOWN)
    ]
    context = {
        "rows": rows,
        "districts": districts_current(),
        "errors": errors or {},
        "form": request.POST if request.method == "POST" else {},
        "chosen": request.POST.getlist("districts") if request.method == "POST" else [],
    }
    return render(request, "employment/agencies.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def licences(request: HttpRequest) -> HttpResponse:
    """Administrators: the HR service licences, recorded and revoked here."""
    if request.method == "GET":
        return _licences(request)
    post = request.POST
    try:
        valid_from = _date(post.get("valid_from", ""), "valid_from")
        valid_until = _date(post.get("valid_until", ""), "valid_until")
        if valid_from is None or valid_until is None:
            missing = [name for name, day in (("valid_from", valid_from), ("valid_until", valid_until)) if day is None]
            raise InvalidInput(fields=dict.fromkeys(missing, _("This field is required.")))
        agencies.licence_record(
            scope=_scope(request),
            licence_number=post.get("licence_number", ""),
            agency_name=post.get("agency_name", ""),
            client_name=post.get("client_name", ""),
            districts=post.getlist("districts"),
            valid_from=valid_from,
            valid_until=valid_until,
        )
    except (InvalidInput, Conflict) as error:
        messages.error(request, str(error.message))
        return _licences(request, errors={k: str(v) for k, v in error.fields.items()}, status=422)
    messages.success(request, _("The licence is recorded."))
    return HttpResponseRedirect(reverse("employment:agencies"))


@login_required
@require_POST
def licence_revoke(request: HttpRequest, licence_id: uuid.UUID) -> HttpResponse:
    try:
        agencies.licence_revoke(scope=_scope(request), licence_id=licence_id, reason=request.POST.get("reason", ""))
    except InvalidInput as error:
        messages.error(request, str(error.message))
        return _licences(request, errors={k: str(v) for k, v in error.fields.items()}, status=422)
    messages.success(request, _("The licence is revoked."))
    return HttpResponseRedirect(reverse("employment:agencies"))


# --- shortlists and seekers for a vacancy (the employer's agent) -------------------------------

SEEKERS_SHOWN = 50


@login_required
@require_POST
def decide(request: HttpRequest, application_id: uuid.UUID) -> HttpResponse:
    """Shortlist or decline an applicant (the seeker is told in-app)."""
    scope = _scope(request)
    vacancy_id = selectors.vacancy_of_application(scope=scope, application_id=application_id)
    decision = request.POST.get("decision", "")
    try:
        services.application_decide(scope=scope, application_id=application_id, decision=decision)
    except (InvalidInput, Conflict) as error:
        messages.error(request, str(error.message))
        return HttpResponseRedirect(reverse("employment:candidates", args=[vacancy_id]))
    if decision == "shortlisted":
        messages.success(request, _("The applicant is shortlisted and told so."))
    else:
        messages.success(request, _("The applicant is declined and told so."))
    return HttpResponseRedirect(reverse("employment:candidates", args=[vacancy_id]))


@login_required
@require_GET
def seekers(request: HttpRequest, vacancy_id: uuid.UUID) -> HttpResponse:
    """Seekers who let employers see their profile, ranked for one of our vacancies."""
    scope = _scope(request)
    vacancy = selectors.vacancy_of_employer(scope=scope, vacancy_id=vacancy_id)
    fits = selectors.seekers_for_vacancy(scope=scope, vacancy_id=vacancy_id, limit=SEEKERS_SHOWN)
    rows = [(fit, explain.seeker_reasons_text(fit.match)) for fit in fits]
    return render(request, "employment/seekers.html", {"vacancy": vacancy, "rows": rows})


@login_required
@require_GET
def registration_staff(request: HttpRequest, registration_id: uuid.UUID) -> HttpResponse:
    """Staff: one unemployment registration with the person's unemployment benefit claim."""
    registration = selectors.registration_for_staff(scope=_scope(request), registration_id=registration_id)
    benefit = benefit_link.benefit_claim(registration.person_id)
    return render(request, "employment/registration.html", {"registration": registration, "benefit": benefit})
