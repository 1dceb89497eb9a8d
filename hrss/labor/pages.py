"""HTML pages of the labour app (L1): the public deadline calculator, the applicant's cases,
the arbitrators' workbench and a case with the arbitrator's steps.

Thin views: the caller's scope, a service or selector, a template. A step refused (a
deadline not met, a room booked) is said on the case's page, never a 500.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hrss.core.errors import Conflict, DomainError, InvalidInput, PermissionDenied
from hrss.core.scope import Scope
from hrss.identity.auth import scope_for_user
from hrss.labor import deadlines, documents, rules, selectors
from hrss.labor.models import OPEN_STATUSES, AwardOutcome, CaseStatus, ClockState, RecusalSource, SessionMode
from hrss.labor.services import cases, mediation, warning

PAGE_SIZE = 50

KIND_LABELS = {
    rules.ACCEPTANCE: gettext_lazy("Acceptance or refusal of an application (from the day it is received)"),
    rules.AWARD: gettext_lazy("Award (from the day the case is accepted)"),
    rules.AWARD_EXTENDED: gettext_lazy("Award after an extension (from the day the case is accepted)"),
    rules.MEDIATION: gettext_lazy("Mediation before going on to arbitration (from the mediation application)"),
    rules.LIMITATION: gettext_lazy("Limitation for applying (from the day you knew your rights were infringed)"),
    rules.WAGE_CLAIM: gettext_lazy("Limitation for wages owed (from the day the employment ended)"),
}
EVENT_LABELS = {
    "file": gettext_lazy("Application received"),
    "accept": gettext_lazy("Accepted"),
    "refuse": gettext_lazy("Refused"),
    "assign": gettext_lazy("Arbitrator assigned"),
    "schedule_hearing": gettext_lazy("Hearing scheduled, notice sent"),
    "record_hearing": gettext_lazy("Hearing held"),
    "extend": gettext_lazy("Award period extended"),
    "award": gettext_lazy("Award issued"),
    "recuse": gettext_lazy("Arbitrator withdrawn (recusal)"),
    "assign_member": gettext_lazy("Panel member assigned"),
    "evidence": gettext_lazy("Evidence added"),
    "sign": gettext_lazy("Application signed by the applicant"),
    "settle": gettext_lazy("Settled by mediation"),
}
DOCUMENT_LABELS = {
    documents.ACCEPTANCE_NOTICE: gettext_lazy("Acceptance notice"),
    documents.HEARING_NOTICE: gettext_lazy("Hearing notice"),
    documents.AWARD: gettext_lazy("Arbitral award"),
    documents.SETTLEMENT: gettext_lazy("Mediation statement (settlement)"),
}


def _scope(request: HttpRequest) -> Scope:
    return scope_for_user(request.user)


@require_GET
def deadline_calculator(request: HttpRequest) -> HttpResponse:
    """Public: the statutory deadline of a period from a date (GET, so it can be bookmarked)."""
    kind = request.GET.get("kind", "")
    raw = request.GET.get("date", "")
    answer, error = None, ""
    if kind or raw:
        try:
            try:
                start = dt.date.fromisoformat(raw)
            except ValueError:
                raise InvalidInput(_("Enter the date as YYYY-MM-DD."), fields={"date": raw}) from None
            answer = deadlines.deadline(kind, start)
        except DomainError as failure:
            error = str(failure.message)
    context = {
        "kinds": [(value, KIND_LABELS[value]) for value in rules.KINDS],
        "kind": kind,
        "date": raw,
        "answer": answer,
        "error": error,
    }
    return render(request, "labor/deadlines.html", context, status=422 if error else 200)


def _page(request: HttpRequest) -> int:
    try:
        return max(0, min(int(request.GET.get("page", "0")), 10_000))
    except ValueError:
        return 0


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    page = _page(request)
    items = selectors.cases_mine(scope=scope, limit=PAGE_SIZE, offset=page * PAGE_SIZE)
    return render(request, "labor/mine.html", {"cases": items, "bound": scope.person_id is not None})


@login_required
@require_GET
def workbench(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    if not selectors.is_arbitrator(scope):
        raise PermissionDenied(_("This is work for arbitrators."))
    clock = request.GET.get("clock", "")
    if clock not in ClockState.values:
        clock = ""
    mine_only = request.GET.get("mine") == "1"
    page = _page(request)
    items = selectors.workbench(scope=scope, clock=clock, mine=mine_only, limit=PAGE_SIZE, offset=page * PAGE_SIZE)
    context = {
        "cases": items,
        "clock": clock,
        "mine": mine_only,
        "clocks": [(value, label) for value, label in ClockState.choices if value != ClockState.STOPPED],
        "roster": selectors.roster(scope=scope, limit=PAGE_SIZE, offset=0),
    }
    return render(request, "labor/workbench.html", context)


@login_required
@require_GET
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    scope = _scope(request)
    case, events = selectors.case_get(scope=scope, reference=reference)
    arbitrator = selectors.is_arbitrator(scope)
    context = {
        "case": case,
        "events": [{"at": e.at, "what": EVENT_LABELS.get(e.action, e.action), "note": e.note} for e in events],
        "arbitrator": arbitrator,
        "holds": arbitrator and case.arbitrator == scope.actor,
        "outcomes": AwardOutcome.choices,
        "recusal_sources": RecusalSource.choices,
        "S": CaseStatus,
        "evidence": list(case.evidence.all()),
        "applicant": scope.person_id is not None and scope.person_id == case.person_id,
        "open": case.status in OPEN_STATUSES,
        **selectors.case_parts(case),
    }
    context["documents"] = [(kind, DOCUMENT_LABELS[kind]) for kind in documents.available(case)]
    if case.awarded_on:
        on = case.awarded_on
        context["remedies"] = {
            "worker": deadlines.days("arbitration.worker_challenge_days", on=on),
            "employer": deadlines.days("arbitration.employer_set_aside_days", on=on),
            "sue": deadlines.days("arbitration.non_final_sue_days", on=on),
        }
    return render(request, "labor/case.html", context)


@login_required
@require_GET
def document(request: HttpRequest, reference: str, kind: str) -> HttpResponse:
    """One of the case's documents as PDF (shown in the browser, saved under the case's name)."""
    _case, content = selectors.case_document(scope=_scope(request), reference=reference, kind=kind)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{reference}-{kind}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def _step(action: Callable[[Scope, HttpRequest, str], Any], done: Any) -> Callable[..., HttpResponse]:
    """A POST of an arbitrator's step from the case page: run it, say what happened, go back."""

    @login_required
    @require_http_methods(["GET", "POST"])
    def view(request: HttpRequest, reference: str) -> HttpResponse:
        target = reverse("labor:case", args=[reference])
        if request.method == "GET":
            return HttpResponseRedirect(target)
        scope = _scope(request)
        if not selectors.is_arbitrator(scope):
            raise PermissionDenied(_("This is work for arbitrators."))
        try:
            action(scope, request, reference)
        except DomainError as error:
            if error.status == 404:
                raise
            messages.error(request, str(error.message))
        else:
            messages.success(request, str(done))
        return HttpResponseRedirect(target)

    return view


def _hearing(scope: Scope, request: HttpRequest, reference: str) -> None:
    raw = request.POST.get("at", "")
    try:
        at = dt.datetime.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(_("Enter the hearing's date and time."), fields={"at": raw}) from None
    cases.hearing_schedule(scope=scope, reference=reference, at=at, room=request.POST.get("room", ""))


take = _step(lambda s, r, ref: cases.case_take(scope=s, reference=ref), gettext_lazy("You hold this case now."))
hearing = _step(_hearing, gettext_lazy("The hearing is scheduled and the parties are notified."))
record = _step(
    lambda s, r, ref: cases.hearing_record(scope=s, reference=ref, record=r.POST.get("record", "")),
    gettext_lazy("The hearing record is saved."),
)
extend = _step(
    lambda s, r, ref: cases.award_extend(scope=s, reference=ref, reason=r.POST.get("reason", "")),
    gettext_lazy("The award period is extended."),
)
award = _step(
    lambda s, r, ref: cases.award_issue(
        scope=s,
        reference=ref,
        outcome=r.POST.get("outcome", ""),
        text=r.POST.get("text", ""),
        amount=r.POST.get("amount", ""),
    ),
    gettext_lazy("The award is issued."),
)
recuse = _step(
    lambda s, r, ref: cases.case_recuse(
        scope=s,
        reference=ref,
        source=r.POST.get("source", ""),
        reason=r.POST.get("reason", ""),
        member=r.POST.get("member", ""),
    ),
    gettext_lazy("The arbitrator has withdrawn from the case."),
)
settle = _step(
    lambda s, r, ref: cases.case_settle(
        scope=s, reference=ref, text=r.POST.get("text", ""), amount=r.POST.get("amount", "")
    ),
    gettext_lazy("The settlement is recorded and the case is closed."),
)


@login_required
@require_GET
def employer_linked(request: HttpRequest, credit_code: str) -> HttpResponse:
    """One view of an employer for rights protection: complaints, open cases, mediations, lead."""
    linked = selectors.employer_linked(scope=_scope(request), credit_code=credit_code)
    return render(request, "labor/employer.html", linked)


# The wage-arrears warning's rules, as inspectors read them.
FEATURE_LABELS = {
    "unpaid_months": gettext_lazy("Months not paid in full"),
    "arrears_ratio": gettext_lazy("Share of contributions unpaid"),
    "headcount_drop": gettext_lazy("Fall in insured headcount"),
    "base_drop": gettext_lazy("Fall in average contribution base"),
    "complaints": gettext_lazy("Complaints and reports"),
    "arbitration_cases": gettext_lazy("Arbitration cases filed"),
    "project_wage_flags": gettext_lazy("Construction projects' unpaid wages"),
}


@login_required
@require_http_methods(["GET", "POST"])
def warning_ranking(request: HttpRequest) -> HttpResponse:
    """Inspectors: employers ranked by wage-arrears risk (欠薪预警), each score explained; a
    POST opens the inspection leads of those at or above the threshold."""
    scope = _scope(request)
    raw = request.POST.get("period", "") if request.method == "POST" else request.GET.get("period", "")
    try:
        period = warning.parse_period(raw)
        if request.method == "POST":
            from django.utils import timezone

            opened = warning.open_leads(scope=scope, period=period, on=timezone.localdate())
            messages.success(request, _("Inspection leads opened or joined: %(count)d.") % {"count": len(opened)})
            return HttpResponseRedirect(f"{reverse('labor:warning')}?period={period:%Y-%m}")
        risks = warning.ranking(scope=scope, period=period, limit=PAGE_SIZE)
    except PermissionDenied:
        raise
    except DomainError as failure:
        return render(request, "labor/warning.html", {"error": str(failure.message), "period": raw}, status=422)
    for risk in risks:
        for reason in risk.reasons:
            reason["label"] = FEATURE_LABELS.get(reason["feature"], reason["feature"])
    context = {
        "risks": risks,
        "period": f"{period:%Y-%m}",
        "model": warning.model(),
        "labels": FEATURE_LABELS,
    }
    return render(request, "labor/warning.html", context)


# --- mediation before arbitration ---------------------------------------------------------------


def _mediations_mine(request: HttpRequest, *, errors: dict[str, str] | None = None, status: int = 200) -> HttpResponse:
    scope = _scope(request)
    context = {
        "mediations": selectors.mediations_mine(scope=scope, limit=PAGE_SIZE, offset=_page(request) * PAGE_SIZE),
        "organisations": selectors.organisations(limit=PAGE_SIZE, offset=0),
        "bound": scope.person_id is not None,
        "errors": errors or {},
        "form": request.POST if request.method == "POST" else {},
    }
    return render(request, "labor/mediations_mine.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def mediations_mine(request: HttpRequest) -> HttpResponse:
    """The worker's mediations, and the application for one (idempotent on the form's key)."""
    if request.method == "GET":
        return _mediations_mine(request)
    post = request.POST
    try:
        row = mediation.mediation_apply(
            scope=_scope(request),
            organisation_id=post.get("organisation", ""),
            respondent=post.get("respondent", ""),
            claims=post.get("claims", ""),
            amount=post.get("amount", "") or None,
            idempotency_key=post.get("idempotency_key", ""),
        )
    except (InvalidInput, Conflict) as error:
        messages.error(request, str(error.message))
        fields = {k: str(error.message) for k in error.fields} if error.fields else {}
        return _mediations_mine(request, errors=fields, status=422)
    messages.success(request, _("Your mediation application %(reference)s is received.") % {"reference": row.reference})
    return HttpResponseRedirect(reverse("labor:mediation", args=[row.reference]))


@login_required
@require_GET
def mediation_queue(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    if not mediation.is_mediation_staff(scope):
        raise PermissionDenied(_("This is work for the mediation staff."))
    items = selectors.mediation_queue(scope=scope, limit=PAGE_SIZE, offset=_page(request) * PAGE_SIZE)
    return render(request, "labor/mediation_queue.html", {"mediations": items, "today": timezone.localdate()})


@login_required
@require_GET
def mediation_detail(request: HttpRequest, reference: str) -> HttpResponse:
    scope = _scope(request)
    row, sessions = selectors.mediation_get(scope=scope, reference=reference)
    context = {
        "mediation": row,
        "sessions": sessions,
        "staff": mediation.is_mediation_staff(scope),
        "modes": SessionMode.choices,
        "now": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
    }
    return render(request, "labor/mediation.html", context)


def _mediation_step(action: Callable[[Scope, HttpRequest, str], Any], done: Any) -> Callable[..., HttpResponse]:
    """A POST of the mediator's step from the mediation's page: run it, say what happened, go back."""

    @login_required
    @require_POST
    def view(request: HttpRequest, reference: str) -> HttpResponse:
        try:
            action(_scope(request), request, reference)
        except DomainError as error:
            if error.status in (403, 404):
                raise
            messages.error(request, str(error.message))
        else:
            messages.success(request, str(done))
        return HttpResponseRedirect(reverse("labor:mediation", args=[reference]))

    return view


def _session(scope: Scope, request: HttpRequest, reference: str) -> None:
    raw = request.POST.get("held_at", "")
    try:
        held_at = dt.datetime.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(_("Enter when the session was held."), fields={"held_at": raw}) from None
    mediation.session_record(
        scope=scope,
        reference=reference,
        held_at=held_at,
        mode=request.POST.get("mode", ""),
        note=request.POST.get("note", ""),
    )


mediation_session = _mediation_step(_session, gettext_lazy("The session is recorded."))
mediation_agree = _mediation_step(
    lambda s, r, ref: mediation.agreement_record(
        scope=s, reference=ref, text=r.POST.get("text", ""), amount=r.POST.get("amount", "") or None
    ),
    gettext_lazy("The agreement is recorded; the mediation is closed."),
)
mediation_fail = _mediation_step(
    lambda s, r, ref: mediation.failure_record(scope=s, reference=ref, reason=r.POST.get("reason", "")),
    gettext_lazy("The mediation is closed without agreement; the worker may apply for arbitration."),
)
