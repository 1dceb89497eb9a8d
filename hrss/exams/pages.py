"""The exams pages (R4): the announced exams and registering (citizens), my exams with the fee,
ticket, score and re-check, the proctors' ticket check, the examination office's exams step by
step with registrations to review, answer sheets and appeals, and blind marking."""

from __future__ import annotations

import csv
import io
import uuid
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods

from hrss.core.errors import DomainError, InvalidInput, NotFound
from hrss.core.scope import Scope
from hrss.exams import api, rules, selectors, services, tickets
from hrss.exams.models import Registration
from hrss.identity.auth import scope_for_user

MAX_SHEETS_BYTES = 20 * 1024 * 1024


def _scope(request: HttpRequest) -> Scope:
    return scope_for_user(request.user)


def _error_text(error: DomainError) -> str:
    details = "；".join(str(value) for value in error.fields.values())
    return f"{error.message}{'：' + details if details else ''}"


@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    return render(request, "exams/catalogue.html", {"exams": selectors.exams_public()})


def _exam(request: HttpRequest, code: str, *, error: str = "", status: int = 200) -> HttpResponse:
    exam = selectors.exam_public(code)
    scope = _scope(request) if request.user.is_authenticated else Scope.anonymous()
    registered = selectors.registration_for_exam(scope=scope, exam=exam)
    context = {
        "exam": exam,
        "can_register": scope.person_id is not None and not scope.is_staff and registered is None,
        "registered": registered,
        "error": error,
    }
    return render(request, "exams/exam.html", context, status=status)


@require_GET
def exam(request: HttpRequest, code: str) -> HttpResponse:
    return _exam(request, code)


@login_required
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, code: str) -> HttpResponse:
    if request.method == "GET":
        return HttpResponseRedirect(reverse("exams:exam", kwargs={"code": code}))
    try:
        services.registration_create(
            scope=_scope(request),
            exam_code=code,
            post_code=request.POST.get("post", "")[:20],
            certificate_number=request.POST.get("certificate_number", "")[:40],
        )
    except NotFound:
        raise
    except DomainError as error:
        return _exam(request, code, error=_error_text(error), status=error.status)
    messages.success(request, _("You are registered; the examination office reviews your registration."))
    return HttpResponseRedirect(reverse("exams:mine"))


def _mine(request: HttpRequest, *, error: str = "", status: int = 200) -> HttpResponse:
    rows = selectors.registrations_mine(scope=_scope(request))
    context = {
        "rows": [(row, api.registration_out(row)) for row in rows],
        "reason_max": services.APPEAL_REASON_MAX,
        "error": error,
    }
    return render(request, "exams/mine.html", context, status=status)


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    return _mine(request)


@login_required
@require_http_methods(["GET", "POST"])
def fee(request: HttpRequest, registration_id: uuid.UUID) -> HttpResponse:
    if request.method == "GET":
        return HttpResponseRedirect(reverse("exams:mine"))
    try:
        order, url = services.fee_pay(scope=_scope(request), registration_id=registration_id)
    except DomainError as error:
        return _mine(request, error=_error_text(error), status=error.status)
    if url:
        return HttpResponseRedirect(url)
    messages.info(
        request,
        _("Payment %(reference)s is %(status)s.")
        % {"reference": order.reference, "status": order.get_status_display()},
    )
    return HttpResponseRedirect(reverse("exams:mine"))


@login_required
@require_GET
def ticket_pdf(request: HttpRequest, registration_id: uuid.UUID) -> HttpResponse:
    row = selectors.registration_mine(scope=_scope(request), registration_id=registration_id)
    try:
        data = tickets.ticket_pdf(row, base_url=request.build_absolute_uri("/"))
    except DomainError as error:
        return _mine(request, error=_error_text(error), status=error.status)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{row.seat.ticket}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def appeal(request: HttpRequest, registration_id: uuid.UUID) -> HttpResponse:
    if request.method == "GET":
        return HttpResponseRedirect(reverse("exams:mine"))
    try:
        services.appeal_create(
            scope=_scope(request), registration_id=registration_id, reason=request.POST.get("reason", "")[:2000]
        )
    except DomainError as error:
        return _mine(request, error=_error_text(error), status=error.status)
    messages.success(request, _("Your request for a re-check is received; the result shows here."))
    return HttpResponseRedirect(reverse("exams:mine"))


@require_GET
def ticket(request: HttpRequest, ticket: str) -> HttpResponse:
    try:
        check = selectors.ticket_verify(ticket)
    except NotFound:
        return render(request, "exams/ticket.html", {"check": None, "ticket": ticket[:24]}, status=404)
    return render(request, "exams/ticket.html", {"check": check, "ticket": check.ticket})


# --- the examination office ---------------------------------------------------------------------


@login_required
@require_GET
def office(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    context = {"exams": selectors.office_exams(scope=scope), "appeals": selectors.appeals_open(scope=scope)}
    return render(request, "exams/office.html", context)


def _office_exam(request: HttpRequest, code: str, *, error: str = "", status: int = 200) -> HttpResponse:
    scope = _scope(request)
    exam = selectors.office_exam_detail(scope=scope, code=code)
    rows = selectors.office_registrations(scope=scope, exam_code=code, status=Registration.Status.REVIEW)
    shown = request.GET.get("decided", "")
    if shown not in DECIDED_FILTERS:
        shown = ""
    decided = selectors.office_registrations(scope=scope, exam_code=code, status=shown or selectors.DECIDED)
    step_names = _step_names()
    context = {
        "exam": exam,
        "steps": [(step, step_names[step]) for step in rules.next_steps(exam.status, sealed=exam.sealed)],  # type: ignore[attr-defined]
        "to_review": [(row, _checks(row)) for row in rows],
        "decided": [(row, _checks(row)) for row in decided],
        "decided_filters": [(value, Registration.Status(value).label) for value in DECIDED_FILTERS if value],
        "decided_shown": shown,
        "error": error,
    }
    return render(request, "exams/office_exam.html", context, status=status)


# The decided registrations the office's page can show (empty: all of them).
DECIDED_FILTERS = ("", Registration.Status.REFUSED, Registration.Status.PAYMENT, Registration.Status.CONFIRMED)


def _step_names() -> dict[str, str]:
    return {
        "open": _("Open registration"),
        "paper": _("Draw and seal the paper"),
        "close": _("Close registration"),
        "seats": _("Allocate seats and tickets"),
        "score": _("Score and rank"),
        "publish": _("Publish the results"),
    }


def _check_detail(name: str, detail: str) -> str:
    """A check's detail as the reviewer reads it (the certificate's: what was found)."""
    if name != "certificate":
        return detail
    if detail == "not_found":
        return _("no certificate with this number was found")
    if detail == "other_holder":
        return _("the certificate is someone else's")
    if detail.startswith("status:"):
        return _("the certificate is revoked, superseded or expired")
    return _("valid: %(title)s") % {"title": detail} if detail else ""


def _checks(row: Registration) -> list[tuple[str, bool, str]]:
    names = {
        "registry": _("registry"),
        "age": _("age on the closing day"),
        "household": _("household"),
        "certificate": pgettext("exams", "certificate"),
    }
    return [(names.get(name, name), passed, _check_detail(name, detail)) for name, passed, detail in row.eligibility]


@login_required
@require_GET
def office_exam(request: HttpRequest, code: str) -> HttpResponse:
    return _office_exam(request, code)


@login_required
@require_http_methods(["GET", "POST"])
def office_step(request: HttpRequest, code: str) -> HttpResponse:
    if request.method == "GET":
        return HttpResponseRedirect(reverse("exams:office_exam", kwargs={"code": code}))
    step = request.POST.get("step", "")
    if step not in rules.STEPS:
        return _office_exam(request, code, error=_("Choose a step."), status=422)
    try:
        count = api.step_take(_scope(request), code, step)
    except NotFound:
        raise
    except DomainError as error:
        return _office_exam(request, code, error=_error_text(error), status=error.status)
    done = {
        "open": _("Registration is open."),
        "close": _("Registration is closed."),
        "paper": _("The paper is drawn and sealed: %(count)s questions."),
        "seats": _("%(count)s candidates are seated; their admission tickets are ready."),
        "score": _("%(count)s candidates are scored and ranked within their posts."),
        "publish": _("The results are published; candidates see their scores."),
    }[step]
    messages.success(request, done % {"count": count} if "%(count)s" in done else done)
    return HttpResponseRedirect(reverse("exams:office_exam", kwargs={"code": code}))


@login_required
@require_http_methods(["GET", "POST"])
def office_review(request: HttpRequest, registration_id: uuid.UUID) -> HttpResponse:
    if request.method == "GET":
        return HttpResponseRedirect(reverse("exams:office"))
    code = request.POST.get("exam", "")[:20]
    try:
        services.registration_review(
            scope=_scope(request),
            registration_id=registration_id,
            approve=request.POST.get("decision") == "approve",
            note=request.POST.get("note", "")[:200],
        )
    except NotFound:
        raise
    except DomainError as error:
        return _office_exam(request, code, error=_error_text(error), status=error.status)
    messages.success(request, _("The registration is reviewed."))
    return HttpResponseRedirect(reverse("exams:office_exam", kwargs={"code": code}))


def sheets_parse(data: bytes) -> tuple[dict[str, str], dict[str, dict[int, str]]]:
    """The answer-sheet reader's CSV: ``ticket,answers`` and then ``position:text`` cells for
    the written answers."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput(fields={"file": _("a UTF-8 CSV file")}) from error
    sheets: dict[str, str] = {}
    scripts: dict[str, dict[int, str]] = {}
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or row[0].strip().lower() == "ticket":
            continue
        ticket, answers, *written = [cell.strip() for cell in row]
        sheets[ticket] = answers.upper()
        for cell in written:
            position, _colon, answer = cell.partition(":")
            if not position.isdigit():
                raise InvalidInput(
                    fields={"file": _("line %(line)s: a written answer is position:text") % {"line": number}}
                )
            scripts.setdefault(ticket, {})[int(position)] = answer
    return sheets, scripts


@login_required
@require_http_methods(["GET", "POST"])
def office_sheets(request: HttpRequest, code: str) -> HttpResponse:
    if request.method == "GET":
        return HttpResponseRedirect(reverse("exams:office_exam", kwargs={"code": code}))
    upload = request.FILES.get("file")
    try:
        if upload is None or upload.size is None or upload.size > MAX_SHEETS_BYTES:
            raise InvalidInput(fields={"file": _("choose the reader's CSV file")})
        sheets, scripts = sheets_parse(upload.read())
        count = services.sheets_record(scope=_scope(request), exam_code=code, sheets=sheets, scripts=scripts)
    except NotFound:
        raise
    except (DomainError, ValueError) as error:
        message = _error_text(error) if isinstance(error, DomainError) else _("The file is not the reader's CSV.")
        return _office_exam(request, code, error=message, status=422)
    messages.success(request, _("%(count)s answer sheets are recorded.") % {"count": count})
    return HttpResponseRedirect(reverse("exams:office_exam", kwargs={"code": code}))


@login_required
@require_http_methods(["GET", "POST"])
def office_appeal(request: HttpRequest, appeal_id: uuid.UUID) -> HttpResponse:
    if request.method == "GET":
        return HttpResponseRedirect(reverse("exams:office"))
    appeal_ = services.appeal_decide(scope=_scope(request), appeal_id=appeal_id)
    messages.success(
        request,
        _("Re-checked: %(before)s before, %(after)s now.")
        % {"before": rules.score_text(appeal_.total_before), "after": rules.score_text(appeal_.total_after)},
    )
    return HttpResponseRedirect(reverse("exams:office"))


# --- marking ------------------------------------------------------------------------------------


def _marking(request: HttpRequest, *, error: str = "", status: int = 200) -> HttpResponse:
    script = selectors.marking_next(scope=_scope(request))
    return render(request, "exams/marking.html", {"script": script, "error": error}, status=status)


@login_required
@require_GET
def marking(request: HttpRequest) -> HttpResponse:
    return _marking(request)


@login_required
@require_http_methods(["GET", "POST"])
def mark(request: HttpRequest, script_code: str) -> HttpResponse:
    if request.method == "GET":
        return HttpResponseRedirect(reverse("exams:marking"))
    try:
        score = Decimal(request.POST.get("score", "").strip()[:8])
        if not score.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        return _marking(request, error=_("Enter the score as a number."), status=422)
    try:
        services.mark_record(scope=_scope(request), script_code=script_code, score=score)
    except DomainError as error:
        return _marking(request, error=_error_text(error), status=error.status)
    messages.success(request, _("Your mark is recorded."))
    return HttpResponseRedirect(reverse("exams:marking"))
