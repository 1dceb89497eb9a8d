"""The credit pages (A7): my credit (a citizen's or the employer's), an objection to one record,
the staff look-up, and the published red and black lists."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hrss.core.errors import Conflict, DomainError, InvalidInput, NotFound, PermissionDenied
from hrss.core.scope import Scope
from hrss.credit import selectors, services
from hrss.identity.auth import scope_for_user

PAGE_SIZE = 50


def _scope(request: HttpRequest) -> Scope:
    return scope_for_user(request.user)


def _page(request: HttpRequest) -> int:
    try:
        return max(0, min(int(request.GET.get("page", "0")), 10_000))
    except ValueError:
        return 0


def _mine(request: HttpRequest, *, errors: dict[str, str] | None = None, status: int = 200) -> HttpResponse:
    try:
        view = selectors.mine(scope=_scope(request))
    except NotFound:
        view = None
    context: dict[str, Any] = {"view": view, "errors": errors or {}, "key": uuid.uuid4().hex, "form": request.POST}
    return render(request, "credit/mine.html", context, status=status)


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    return _mine(request)


@login_required
@require_POST
def objection(request: HttpRequest, event_id: uuid.UUID) -> HttpResponse:
    """Object to one of my records: it goes to review in the service hall."""
    try:
        row = services.objection_submit(
            scope=_scope(request),
            user=request.user,
            event_id=event_id,
            reason=request.POST.get("reason", ""),
            idempotency_key=request.POST.get("idempotency_key", ""),
        )
    except (InvalidInput, Conflict) as error:
        messages.error(request, str(error.message))
        return _mine(request, errors={str(event_id): str(error.message)}, status=422)
    messages.success(
        request,
        _("Your objection is received as application %(reference)s; you can follow it in the service hall.")
        % {"reference": row.hall_reference},
    )
    return HttpResponseRedirect(reverse("credit:mine"))


@login_required
@require_GET
def lookup(request: HttpRequest) -> HttpResponse:
    """Staff look up an employer by credit code or a person by ID number; each view is audited."""
    scope = _scope(request)
    if not scope.has_role(*selectors.CREDIT_STAFF):
        raise PermissionDenied(_("This page is for the bureau's staff."))
    kind = "person" if request.GET.get("kind") == "person" else "employer"
    code = request.GET.get("code", "").strip()[:18]
    purpose = request.GET.get("purpose", "").strip()[:200]
    view = None
    error = ""
    status = 200
    if code:
        if not purpose:
            error, status = _("Say why you look this subject up; the look-up is recorded."), 422
        else:
            try:
                if kind == "person":
                    view = selectors.person_credit(scope=scope, id_number=code, purpose=purpose)
                else:
                    view = selectors.employer_credit(scope=scope, credit_code=code, purpose=purpose)
            except DomainError as exc:
                error, status = str(exc.message), (404 if isinstance(exc, NotFound) else 422)
    context = {"view": view, "kind": kind, "code": code, "purpose": purpose, "error": error}
    return render(request, "credit/lookup.html", context, status=status)


@require_GET
def lists(request: HttpRequest) -> HttpResponse:
    which = "red" if request.GET.get("list") == "red" else "black"
    page = _page(request)
    entries = selectors.published_list(which=which, limit=PAGE_SIZE + 1, offset=page * PAGE_SIZE)
    context = {
        "which": which,
        "entries": entries[:PAGE_SIZE],
        "page": page,
        "more": len(entries) > PAGE_SIZE,
    }
    return render(request, "credit/lists.html", context)
