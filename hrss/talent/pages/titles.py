"""The title office's page (职称, R1): the professional titles recorded for people of its
districts (an audited read), one person's by ID number, the form to record a title the
evaluation committee awarded (kept as typed when refused) and revocation with a reason."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hrss.core.errors import DomainError, InvalidInput, PermissionDenied
from hrss.talent import selectors, services
from hrss.talent.apps import TITLE_OFFICE
from hrss.talent.models import TitleLevel
from hrss.talent.pages.steps import page_scope

SHOWN = 100
FIELDS = ("id_number", "name", "number", "series", "speciality", "title", "level", "committee", "issued_on")


def _page(request: HttpRequest, *, errors: dict[str, str] | None = None, status: int = 200) -> HttpResponse:
    scope = page_scope(request)
    if not scope.has_role(*TITLE_OFFICE):
        raise PermissionDenied()
    wanted = request.GET.get("id_number", "").strip()[:18]
    search_error = ""
    try:
        rows = selectors.titles(scope=scope, id_number=wanted, limit=SHOWN)
    except DomainError as error:
        rows, search_error = [], str(error.message)
    context: dict[str, Any] = {
        "rows": rows,
        "wanted": wanted,
        "search_error": search_error,
        "levels": TitleLevel.choices,
        "errors": errors or {},
        "form": request.POST if request.method == "POST" else {},
    }
    return render(request, "talent/titles.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def office(request: HttpRequest) -> HttpResponse:
    """The list; a POST records a title and, refused, shows the form again as typed."""
    if request.method == "GET":
        return _page(request)
    scope = page_scope(request)
    try:
        try:
            issued_on = dt.date.fromisoformat(request.POST.get("issued_on", "").strip())
        except ValueError as error:
            raise InvalidInput(fields={"issued_on": _("Enter a date as YYYY-MM-DD.")}) from error
        row = services.title_record(
            scope=scope, issued_on=issued_on, **{f: request.POST.get(f, "") for f in FIELDS if f != "issued_on"}
        )
    except DomainError as error:
        if error.status in (401, 403):
            raise
        fields = {key: str(value) for key, value in error.fields.items()}
        return _page(request, errors=fields or {"form": str(error.message)}, status=error.status)
    messages.success(request, _("The title %(number)s is recorded.") % {"number": row.number})
    return HttpResponseRedirect(reverse("talent:titles"))


@login_required
@require_POST
def revoke(request: HttpRequest, title_id: uuid.UUID) -> HttpResponse:
    try:
        row = services.title_revoke(scope=page_scope(request), title_id=title_id, reason=request.POST.get("reason", ""))
    except DomainError as error:
        if error.status in (401, 403, 404):
            raise
        messages.error(request, "；".join([str(error.message), *(str(v) for v in error.fields.values())]))
    else:
        messages.success(request, _("The title %(number)s is revoked.") % {"number": row.number})
    return HttpResponseRedirect(reverse("talent:titles"))
