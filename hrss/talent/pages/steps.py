"""What every page's form post shares: run the service, say what happened, go back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hrss.core.errors import DomainError, InvalidInput
from hrss.core.scope import Scope
from hrss.identity.auth import scope_for_user


def page_scope(request: HttpRequest) -> Scope:
    return scope_for_user(request.user)


def date_field(request: HttpRequest, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(request.POST.get(name, "").strip())
    except ValueError as error:
        raise InvalidInput(_("Enter a date as YYYY-MM-DD."), fields={name: _("Enter a date as YYYY-MM-DD.")}) from error


def int_field(request: HttpRequest, name: str, default: int | None = None) -> int:
    raw = request.POST.get(name, "").strip()
    if not raw and default is not None:
        return default
    try:
        return int(raw)
    except ValueError as error:
        raise InvalidInput(_("Enter a whole number."), fields={name: _("Enter a whole number.")}) from error


TYPED = "talent_typed"


def typed(request: HttpRequest) -> dict[str, dict[str, Any]]:
    """What was typed into the page's form that was just refused, by form name (once)."""
    kept = request.session.pop(TYPED, None)
    return {kept["form"]: kept["data"]} if isinstance(kept, dict) and "form" in kept else {}


def _keep(request: HttpRequest, form: str) -> None:
    data: dict[str, Any] = {}
    for key in request.POST:
        if key in ("csrfmiddlewaretoken", "idempotency_key"):
            continue
        values = [value[:2000] for value in request.POST.getlist(key)[:50]]
        data[key[:80]] = values if len(values) > 1 or key == "allowances" else values[0]
    request.session[TYPED] = {"form": form, "data": data}


def step(action: Callable[..., Any], done: Any, back: str, *, form: str = "") -> Callable[..., HttpResponse]:
    """A POST that runs ``action(scope, request, **kwargs)``; refusals of the domain are shown
    on the page it returns to (``back``, a URL name taking the same arguments), with what was
    typed into the form (``form``: its name on that page, see ``typed``) filled in again; a
    refusal of access stays one (403/404)."""

    @login_required
    @require_POST
    def view(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        try:
            action(page_scope(request), request, **kwargs)
        except DomainError as error:
            if error.status in (401, 403, 404):
                raise
            fields = "；".join(str(value) for value in error.fields.values())
            messages.error(request, f"{error.message} {fields}".strip())
            if form:
                _keep(request, form)
        else:
            messages.success(request, str(done))
        return HttpResponseRedirect(reverse(back, kwargs=kwargs))

    return view
