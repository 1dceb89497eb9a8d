"""The programme office's pages (人才计划, R1): its programmes and the form to create one (kept
as typed when refused); one programme's declarations with the formal check, the experts' draw,
aggregation, publication and finalisation; the expert pool with its conflicts; the appeals to
decide. Every read of persons here is audited by the selectors."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hrss.core.errors import DomainError, InvalidInput, PermissionDenied
from hrss.core.scope import Scope
from hrss.talent import programme_selectors as reads
from hrss.talent import services
from hrss.talent.pages.programmes import refusal
from hrss.talent.pages.steps import page_scope
from hrss.talent.programme_models import AppealStatus, Declaration, DeclarationStatus, ProgrammeLevel

SHOWN = 100
CRITERIA_ROWS = 6


def _office(request: HttpRequest) -> Scope:
    scope = page_scope(request)
    if not reads.is_office(scope):
        raise PermissionDenied()
    return scope


def _posted(request: HttpRequest, action: Callable[[Scope], Any], done: str, back: str) -> HttpResponse:
    """Run the office's action; the refusal or the outcome is shown on ``back`` (a URL)."""
    try:
        action(page_scope(request))
    except DomainError as error:
        if error.status in (401, 403, 404):
            raise
        messages.error(request, refusal(error))
    else:
        messages.success(request, done)
    return HttpResponseRedirect(back)


def _list(request: HttpRequest, *, errors: dict[str, str] | None = None, status: int = 200) -> HttpResponse:
    scope = _office(request)
    typed = request.POST if request.method == "POST" else {}
    criteria = [
        {"index": i, "name": typed.get(f"criterion_{i}", ""), "max_points": typed.get(f"points_{i}", "")}
        for i in range(CRITERIA_ROWS)
    ]
    context = {
        "rows": reads.programmes_office(scope=scope, limit=SHOWN),
        "levels": ProgrammeLevel.choices,
        "errors": errors or {},
        "form": typed,
        "criteria": criteria,
    }
    return render(request, "talent/programme_office.html", context, status=status)


def _date(request: HttpRequest, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(request.POST.get(name, "").strip())
    except ValueError:
        raise InvalidInput(fields={name: _("Enter a date as YYYY-MM-DD.")}) from None


def _number(request: HttpRequest, name: str, *, optional: bool = False) -> int | None:
    raw = request.POST.get(name, "").strip()
    if not raw and optional:
        return None
    try:
        return int(raw)
    except ValueError:
        raise InvalidInput(fields={name: _("Enter a whole number.")}) from None


@login_required
@require_http_methods(["GET", "POST"])
def office(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _list(request)
    scope = _office(request)
    post = request.POST
    try:
        criteria = [
            {"name": post.get(f"criterion_{i}", "").strip(), "max_points": post.get(f"points_{i}", "").strip()}
            for i in range(CRITERIA_ROWS)
            if post.get(f"criterion_{i}", "").strip() or post.get(f"points_{i}", "").strip()
        ]
        made = services.programme_create(
            scope=scope,
            code=post.get("code", ""),
            name=post.get("name", ""),
            level=post.get("level", ""),
            district=post.get("district", ""),
            speciality=post.get("speciality", ""),
            description=post.get("description", ""),
            opens_on=_date(request, "opens_on"),
            closes_on=_date(request, "closes_on"),
            funding_per_project=post.get("funding_per_project", ""),
            awards=_number(request, "awards") or 0,
            criteria=criteria,
            experts_per_declaration=_number(request, "experts_per_declaration", optional=True),
            notice_days=_number(request, "notice_days", optional=True),
        )
    except DomainError as error:
        if error.status in (401, 403):
            raise
        fields = {key: str(value) for key, value in error.fields.items()}
        return _list(request, errors=fields or {"form": str(error.message)}, status=error.status)
    messages.success(request, _("The programme %(code)s is created.") % {"code": made.code})
    return HttpResponseRedirect(reverse("talent:programme-office-detail", args=[made.code]))


@login_required
@require_GET
def detail(request: HttpRequest, code: str) -> HttpResponse:
    scope = _office(request)
    programme = reads.programme_office(scope=scope, code=code)
    rows = reads.declarations_office(scope=scope, programme_code=code, limit=SHOWN)
    context = {
        "programme": programme,
        "rows": [
            {"row": row, "reviewers": reads.current_assignments(row), "appeal": reads.appeal_of(row)} for row in rows
        ],
        "today": timezone.localdate(),
        "statuses": DeclarationStatus,
    }
    return render(request, "talent/programme_office_detail.html", context)


def _back(declaration_id: uuid.UUID) -> str:
    code = Declaration.objects.filter(pk=declaration_id).values_list("programme__code", flat=True).first()
    return reverse("talent:programme-office-detail", args=[code]) if code else reverse("talent:programme-office")


@login_required
@require_POST
def check(request: HttpRequest, declaration_id: uuid.UUID) -> HttpResponse:
    accepted = request.POST.get("decision") == "accept"
    return _posted(
        request,
        lambda scope: services.declaration_check(
            scope=scope, declaration_id=declaration_id, accepted=accepted, reason=request.POST.get("reason", "")
        ),
        _("The formal check is recorded."),
        _back(declaration_id),
    )


@login_required
@require_POST
def assign(request: HttpRequest, declaration_id: uuid.UUID) -> HttpResponse:
    return _posted(
        request,
        lambda scope: services.experts_assign(scope=scope, declaration_id=declaration_id),
        _("The experts are drawn."),
        _back(declaration_id),
    )


@login_required
@require_POST
def aggregate(request: HttpRequest, code: str) -> HttpResponse:
    back = reverse("talent:programme-office-detail", args=[code])
    try:
        outcome = services.programme_aggregate(scope=page_scope(request), programme_code=code)
    except DomainError as error:
        if error.status in (401, 403, 404):
            raise
        messages.error(request, refusal(error))
    else:
        messages.success(
            request,
            _("%(scored)d declarations scored; %(waiting)d still wait for sheets.")
            % {"scored": outcome.scored, "waiting": outcome.waiting},
        )
    return HttpResponseRedirect(back)


@login_required
@require_POST
def publish(request: HttpRequest, code: str) -> HttpResponse:
    return _posted(
        request,
        lambda scope: services.programme_publish(scope=scope, programme_code=code),
        _("The results are published: the notice period starts."),
        reverse("talent:programme-office-detail", args=[code]),
    )


@login_required
@require_POST
def finalise(request: HttpRequest, code: str) -> HttpResponse:
    return _posted(
        request,
        lambda scope: services.programme_finalise(scope=scope, programme_code=code),
        _("The results are final."),
        reverse("talent:programme-office-detail", args=[code]),
    )


def _experts(request: HttpRequest, *, errors: dict[str, str] | None = None, status: int = 200) -> HttpResponse:
    scope = _office(request)
    context = {
        "rows": reads.experts(scope=scope, limit=SHOWN, on=timezone.localdate()),
        "errors": errors or {},
        "form": request.POST if request.method == "POST" else {},
    }
    return render(request, "talent/experts.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def experts(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _experts(request)
    scope = _office(request)
    try:
        services.expert_add(
            scope=scope,
            id_number=request.POST.get("id_number", ""),
            name=request.POST.get("name", ""),
            specialities=request.POST.get("specialities", ""),
            title=request.POST.get("title", ""),
            active=request.POST.get("active", "on") == "on",
        )
    except DomainError as error:
        if error.status in (401, 403):
            raise
        fields = {key: str(value) for key, value in error.fields.items()}
        return _experts(request, errors=fields or {"form": str(error.message)}, status=error.status)
    messages.success(request, _("The expert pool is updated."))
    return HttpResponseRedirect(reverse("talent:experts"))


@login_required
@require_POST
def conflict(request: HttpRequest, expert_id: uuid.UUID) -> HttpResponse:
    return _posted(
        request,
        lambda scope: services.expert_conflict_add(
            scope=scope,
            expert_id=expert_id,
            id_number=request.POST.get("id_number", ""),
            credit_code=request.POST.get("credit_code", ""),
            reason=request.POST.get("reason", ""),
        ),
        _("The conflict of interest is recorded."),
        reverse("talent:experts"),
    )


@login_required
@require_GET
def appeals(request: HttpRequest) -> HttpResponse:
    scope = _office(request)
    rows = reads.appeals_office(scope=scope, limit=SHOWN)
    context = {
        "pending": [row for row in rows if row.status == AppealStatus.PENDING],
        "decided": [row for row in rows if row.status != AppealStatus.PENDING],
    }
    return render(request, "talent/programme_appeals.html", context)


@login_required
@require_POST
def appeal_decide(request: HttpRequest, appeal_id: uuid.UUID) -> HttpResponse:
    return _posted(
        request,
        lambda scope: services.appeal_decide(
            scope=scope,
            appeal_id=appeal_id,
            upheld=request.POST.get("decision") == "uphold",
            reason=request.POST.get("reason", ""),
        ),
        _("The decision is recorded."),
        reverse("talent:programme-appeals"),
    )
