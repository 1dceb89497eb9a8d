"""The person's page of the exchange: consent codes given to departments (make, revoke) and
every answer the bureau gave another department about them."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hrss.core.errors import DomainError
from hrss.core.scope import Scope
from hrss.exchange import selectors, services
from hrss.exchange.models import Consent
from hrss.identity.auth import scope_for_user


def _scope(request: HttpRequest) -> Scope:
    return scope_for_user(request.user)


def _mine(request: HttpRequest, *, errors: dict[str, str] | None = None, status: int = 200) -> HttpResponse:
    scope = _scope(request)
    consents = selectors.consents_mine(scope=scope)
    context = {
        "bound": scope.person_id is not None and not scope.is_staff,
        "consents": [(row, selectors.consent_active(row)) for row in consents],
        "inquiries": selectors.inquiries_mine(scope=scope),
        "errors": errors or {},
        "form": request.POST,
        "uses": Consent.Use.choices,
    }
    return render(request, "exchange/mine.html", context, status=status)


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    return _mine(request)


@login_required
@require_GET
def certificates(request: HttpRequest) -> HttpResponse:
    """The caller's certificates and published exam scores, as departments verify them."""
    scope = _scope(request)
    context = {
        "bound": scope.person_id is not None and not scope.is_staff,
        "certificates": selectors.certificates_mine(scope=scope),
    }
    return render(request, "exchange/certificates.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def consent_create(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":  # e.g. the elderly mode or the language switched after a refused form
        return HttpResponseRedirect(reverse("exchange:mine"))
    try:
        days = int(request.POST.get("days", "7"))
    except ValueError:
        days = 0
    try:
        row, code = services.consent_create(
            scope=_scope(request),
            recipient=request.POST.get("recipient", "")[:100],
            purpose=request.POST.get("purpose", "")[:200],
            days=days,
            use=request.POST.get("use", Consent.Use.HISTORY),
        )
    except DomainError as error:
        fields = {k: str(v) for k, v in (error.fields or {}).items()}
        return _mine(request, errors=fields or {"form": str(error.message)}, status=error.status)
    messages.success(
        request,
        _("Your consent code for %(recipient)s is %(code)s. Give it to them; it is shown only this once.")
        % {"recipient": row.recipient, "code": code},
    )
    return HttpResponseRedirect(reverse("exchange:mine"))


@login_required
@require_POST
def consent_revoke(request: HttpRequest, consent_id: uuid.UUID) -> HttpResponse:
    try:
        services.consent_revoke(scope=_scope(request), consent_id=consent_id)
    except DomainError as error:
        return _mine(request, errors={"form": str(error.message)}, status=error.status)
    messages.success(request, _("The consent code is revoked."))
    return HttpResponseRedirect(reverse("exchange:mine"))
