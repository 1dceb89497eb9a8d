"""The talent green card's pages (R1): the citizen's own card with its benefits and the form
to apply for one (the card itself is applied for in the hall, SH-RC-001); the reviewers' and
approvers' list of benefit applications to decide (an audited read)."""

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
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from hrss.core.errors import DomainError, PermissionDenied
from hrss.core.scope import Scope
from hrss.talent import selectors, services
from hrss.talent.apps import GREEN_CARD_STAFF
from hrss.talent.models import Decision, GreenCardBenefitKind
from hrss.talent.pages.steps import page_scope, step
from hrss.talent.services.green_cards import GREEN_CARD_ITEM

SHOWN = 100


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    scope = page_scope(request)
    card = selectors.green_card_mine(scope=scope, on=timezone.localdate())
    context: dict[str, Any] = {
        "card": card,
        "benefits": selectors.green_card_benefits(scope=scope, limit=SHOWN) if card is not None else [],
        # Without a card: what the registry alone says for each category, before applying.
        "outlook": selectors.green_card_outlook(scope=scope, on=timezone.localdate()) if card is None else [],
        "kinds": GreenCardBenefitKind.choices,
        "item": GREEN_CARD_ITEM,
        "key": uuid.uuid4().hex,
    }
    return render(request, "talent/green_card.html", context)


@login_required
@require_GET
def benefits(request: HttpRequest) -> HttpResponse:
    scope = page_scope(request)
    if not scope.has_role(*GREEN_CARD_STAFF):  # holders follow theirs on their own page
        raise PermissionDenied()
    context = {
        "pending": selectors.green_card_benefits(scope=scope, limit=SHOWN, status=Decision.SUBMITTED),
        "decided": [
            row for row in selectors.green_card_benefits(scope=scope, limit=SHOWN) if row.status != Decision.SUBMITTED
        ],
    }
    return render(request, "talent/green_card_benefits.html", context)


def _apply(scope: Scope, request: HttpRequest) -> Any:
    return services.green_card_benefit_apply(
        scope=scope,
        kind=request.POST.get("kind", "")[:10],
        details=request.POST.get("details", ""),
        idempotency_key=request.POST.get("idempotency_key", ""),
    )


@login_required
@require_POST
def benefit_decide(request: HttpRequest, benefit_id: uuid.UUID) -> HttpResponse:
    """Grant or refuse (with the reason the holder reads); back to the list either way, a
    refusal of access stays one (403/404)."""
    try:
        services.green_card_benefit_decide(
            scope=page_scope(request),
            benefit_id=benefit_id,
            approved=request.POST.get("decision") == "approve",
            reason=request.POST.get("reason", ""),
        )
    except DomainError as error:
        if error.status in (401, 403, 404):
            raise
        fields = "; ".join(str(value) for value in error.fields.values())
        messages.error(request, f"{error.message} {fields}".strip())
    else:
        messages.success(request, _("The decision is recorded."))
    return HttpResponseRedirect(reverse("talent:green-card-benefits"))


benefit_apply = step(_apply, gettext_lazy("Your application for the benefit is submitted."), "talent:green-card")
