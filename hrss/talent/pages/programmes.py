"""The talent programmes' public, citizen and expert pages (人才计划, R1): the programmes and
their published results (anyone); the declaration form (kept as typed when refused) and the
citizen's declarations with their score, rank and the appeal form; the expert's review tasks,
the scoring sheet (kept as typed when refused) and the recusal."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hrss.core.errors import DomainError, PermissionDenied
from hrss.core.scope import Scope
from hrss.talent import programme_selectors as reads
from hrss.talent import rules, services
from hrss.talent.pages.steps import page_scope
from hrss.talent.programme_models import AssignmentStatus, DeclarationStatus

SHOWN = 100


def refusal(error: DomainError) -> str:
    return "；".join([str(error.message), *(str(v) for v in error.fields.values() if str(v) != str(error.message))])


@require_GET
def programmes(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = reads.programmes_public(limit=SHOWN)
    context = {
        "rows": [(row, rules.window_open(opens_on=row.opens_on, closes_on=row.closes_on, on=today)) for row in rows],
        "expert": request.user.is_authenticated and reads.expert_mine(scope=page_scope(request)) is not None,
    }
    return render(request, "talent/programmes.html", context)


def _detail(
    request: HttpRequest, code: str, *, errors: dict[str, str] | None = None, status: int = 200
) -> HttpResponse:
    programme = reads.programme_public(code=code)
    today = timezone.localdate()
    mine = None
    citizen = False
    if request.user.is_authenticated:
        scope = page_scope(request)
        citizen = scope.person_id is not None and not scope.is_staff
        if citizen:
            mine = next(
                (d for d in reads.declarations_mine(scope=scope, limit=SHOWN) if d.programme_id == programme.pk), None
            )
    context: dict[str, Any] = {
        "programme": programme,
        "open": rules.window_open(opens_on=programme.opens_on, closes_on=programme.closes_on, on=today),
        "results": reads.results(programme=programme),
        "citizen": citizen,
        "mine": mine,
        "errors": errors or {},
        "form": request.POST if request.method == "POST" else {},
    }
    return render(request, "talent/programme_detail.html", context, status=status)


@require_GET
def programme(request: HttpRequest, code: str) -> HttpResponse:
    return _detail(request, code)


@login_required
@require_POST
def declare(request: HttpRequest, code: str) -> HttpResponse:
    """Declare; refused, the form is shown again as typed with the reason."""
    try:
        services.declaration_submit(
            scope=page_scope(request),
            programme_code=code,
            title=request.POST.get("title", ""),
            summary=request.POST.get("summary", ""),
            requested_amount=request.POST.get("requested_amount", ""),
        )
    except DomainError as error:
        if error.status in (401, 403, 404):
            raise
        fields = {key: str(value) for key, value in error.fields.items()}
        return _detail(request, code, errors=fields or {"form": str(error.message)}, status=error.status)
    messages.success(request, _("Your declaration is submitted: the office checks it, then experts review it."))
    return HttpResponseRedirect(reverse("talent:declarations"))


def _citizen(scope: Scope) -> None:
    if scope.person_id is None or scope.is_staff:
        raise PermissionDenied(_("This is for citizens signed in with a real-name account."), code="not_a_citizen")


@login_required
@require_GET
def declarations(request: HttpRequest) -> HttpResponse:
    scope = page_scope(request)
    _citizen(scope)
    today = timezone.localdate()
    rows = []
    for row in reads.declarations_mine(scope=scope, limit=SHOWN):
        ends = row.programme.notice_ends_on
        appealable = (
            row.status == DeclarationStatus.PUBLISHED
            and ends is not None
            and today <= ends
            and reads.appeal_of(row) is None
        )
        rows.append({"row": row, "appeal": reads.appeal_of(row), "appealable": appealable})
    context = {"rows": rows, "expert": reads.expert_mine(scope=scope) is not None}
    return render(request, "talent/declarations.html", context)


@login_required
@require_POST
def appeal(request: HttpRequest, declaration_id: uuid.UUID) -> HttpResponse:
    try:
        services.appeal_lodge(
            scope=page_scope(request), declaration_id=declaration_id, reason=request.POST.get("reason", "")
        )
    except DomainError as error:
        if error.status in (401, 403, 404):
            raise
        messages.error(request, refusal(error))
    else:
        messages.success(request, _("Your appeal is lodged: the office decides it and tells you why."))
    return HttpResponseRedirect(reverse("talent:declarations"))


# --- the expert's ----------------------------------------------------------------------------------


@login_required
@require_GET
def reviews(request: HttpRequest) -> HttpResponse:
    scope = page_scope(request)
    _citizen(scope)
    expert = reads.expert_mine(scope=scope)
    rows = reads.assignments_mine(scope=scope, limit=SHOWN) if expert is not None else []
    return render(request, "talent/reviews.html", {"expert": expert, "rows": rows})


def _sheet(
    request: HttpRequest, assignment_id: uuid.UUID, *, errors: dict[str, str] | None = None, status: int = 200
) -> HttpResponse:
    scope = page_scope(request)
    row = reads.assignment_mine(scope=scope, assignment_id=assignment_id)
    typed = request.POST if request.method == "POST" else {}
    sheet = getattr(row, "sheet", None) if row.status == AssignmentStatus.SUBMITTED else None
    criteria = [
        {
            "name": c["name"],
            "max_points": c["max_points"],
            "index": index,
            "error": (errors or {}).get(f"score_{index}", ""),
            "value": typed.get(f"score_{index}", "") if typed else (sheet.scores.get(c["name"], "") if sheet else ""),
        }
        for index, c in enumerate(row.declaration.programme.criteria)
    ]
    context = {
        "row": row,
        "sheet": sheet,
        "criteria": criteria,
        "errors": errors or {},
        "comment": typed.get("comment", "") if typed else "",
        "max_points": row.declaration.programme.max_points,
    }
    return render(request, "talent/review_sheet.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, assignment_id: uuid.UUID) -> HttpResponse:
    """The scoring sheet; a POST submits it and, refused, shows it again as typed."""
    if request.method == "GET":
        return _sheet(request, assignment_id)
    scope = page_scope(request)
    row = reads.assignment_mine(scope=scope, assignment_id=assignment_id)
    scores = {
        c["name"]: request.POST.get(f"score_{index}", "") for index, c in enumerate(row.declaration.programme.criteria)
    }
    try:
        services.sheet_submit(
            scope=scope, assignment_id=assignment_id, scores=scores, comment=request.POST.get("comment", "")
        )
    except DomainError as error:
        if error.status in (401, 403, 404):
            raise
        fields: dict[str, str] = {}
        for key, value in error.fields.items():
            name = key.removeprefix("score:")
            index = next((i for i, c in enumerate(row.declaration.programme.criteria) if c["name"] == name), None)
            fields[f"score_{index}" if index is not None else key] = str(value)
        return _sheet(request, assignment_id, errors=fields or {"form": str(error.message)}, status=error.status)
    messages.success(request, _("Your scoring sheet is submitted."))
    return HttpResponseRedirect(reverse("talent:reviews"))


@login_required
@require_POST
def recuse(request: HttpRequest, assignment_id: uuid.UUID) -> HttpResponse:
    try:
        recusal = services.assignment_recuse(
            scope=page_scope(request), assignment_id=assignment_id, reason=request.POST.get("reason", "")
        )
    except DomainError as error:
        if error.status in (401, 403, 404):
            raise
        messages.error(request, refusal(error))
        return HttpResponseRedirect(reverse("talent:review", kwargs={"assignment_id": assignment_id}))
    if recusal.replacement is not None:
        messages.success(request, _("You have recused yourself; another expert was drawn in your place."))
    else:
        messages.success(request, _("You have recused yourself; the office will draw another expert."))
    return HttpResponseRedirect(reverse("talent:reviews"))


def home_panel(*, request: HttpRequest, scope: Scope) -> dict[str, Any] | None:
    """The expert's review tasks on the signed-in home (``TalentConfig.home_panels``); hidden
    for citizens who are not in the pool."""
    if scope.person_id is None or scope.is_staff or reads.expert_mine(scope=scope) is None:
        return None
    waiting = reads.assignments_mine(scope=scope, limit=SHOWN, status=AssignmentStatus.ASSIGNED)
    todo = [
        (
            _("Score the declaration %(title)s") % {"title": row.declaration.title},
            reverse("talent:review", args=[row.pk]),
        )
        for row in waiting
    ]
    return {"waiting": len(waiting), "todo": todo}
