"""HTML pages of the card (A5): the holder's card and electronic card, the catalogue of card
applications, and for staff the coverage chart and the use-preference table.

Thin views: the caller's scope, a service or selector, a template. Charts are SVG drawn
on the server (``charts.py``); the electronic card's QR code is SVG from segno.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from hrss.card import charts, rules, selectors, services
from hrss.card.models import STATUS_LABELS, ApplicationDomain, Channel, UseChannel, UseKind
from hrss.core.errors import DomainError, PermissionDenied
from hrss.core.scope import Scope
from hrss.identity.auth import scope_for_user
from hrss.registry import selectors as registry


def _scope(request: HttpRequest) -> Scope:
    return scope_for_user(request.user)


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _scope(request).is_staff:
            raise PermissionDenied(_("This page is for bureau staff."))
        return view(request, *args, **kwargs)

    return wrapped


FIELD_ERRORS_KEY = "card_field_errors"


def _holder_action(action: Callable[[Scope, HttpRequest], Any], done: Any) -> Callable[[HttpRequest], HttpResponse]:
    """A POST from the holder's page: run it, say what happened, go back to the page.

    A GET of the action's address (a bookmark, a reload after the POST) is sent to the
    page, where the action's form is, rather than answered with a bare 405.
    """

    @login_required
    @require_http_methods(["GET", "POST"])
    def view(request: HttpRequest) -> HttpResponse:
        if request.method == "GET":
            return HttpResponseRedirect(reverse("card:mine"))
        try:
            action(_scope(request), request)
        except DomainError as error:
            # The sentence on top; each field's sentence next to its field on the page
            # (never the field's name or a code).
            messages.error(request, str(error.message))
            request.session[FIELD_ERRORS_KEY] = {name: str(text) for name, text in error.fields.items()}
        else:
            messages.success(request, str(done))  # lazy: translated in the request's language
        return HttpResponseRedirect(reverse("card:mine"))

    return view


# What the holder's history says happened (CardEvent.action: "apply" and the lifecycle's actions).
EVENT_LABELS = {
    "apply": gettext_lazy("Applied for"),
    rules.Action.SEND_TO_PRODUCTION: gettext_lazy("Sent to the card factory"),
    rules.Action.PRODUCTION_FAILED: gettext_lazy("Production failed"),
    rules.Action.PRODUCTION_SUCCEEDED: gettext_lazy("Made"),
    rules.Action.ISSUE: gettext_lazy("Issued"),
    rules.Action.ACTIVATE: gettext_lazy("Activated"),
    rules.Action.REPORT_TEMPORARY_LOSS: gettext_lazy("Blocked (temporary loss report)"),
    rules.Action.TEMPORARY_LOSS_LAPSE: gettext_lazy("Temporary loss report lapsed"),
    rules.Action.REPORT_LOSS: gettext_lazy("Reported lost"),
    rules.Action.UNFREEZE: gettext_lazy("Unblocked"),
    rules.Action.CANCEL: gettext_lazy("Cancelled"),
}
RENEWAL_REASON_LABELS = {
    rules.RenewalReason.EXPIRY: gettext_lazy("The card has expired"),
    rules.RenewalReason.DAMAGE: gettext_lazy("The card is damaged"),
    rules.RenewalReason.KEY_DATA_CHANGE: gettext_lazy("My name or ID number changed"),
    rules.RenewalReason.BANK_CHANGE: gettext_lazy("I want another partner bank"),
    rules.RenewalReason.CROSS_PROVINCE_MOVE: gettext_lazy("I moved here from another province"),
}


def _status_label(value: str) -> Any:
    try:
        return STATUS_LABELS[rules.CardStatus(value)]
    except (ValueError, KeyError):
        return value


def _current(scope: Scope) -> Any:
    card = selectors.holder_current_card(scope=scope)
    if card is None:
        raise PermissionDenied(_("You have no social security card yet."), code="card_none")
    return card


@login_required
@require_GET
def holder_card(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    if scope.person_id is None:
        return render(request, "card/mine.html", {"unbound": True}, status=403)
    cards = selectors.holder_cards(scope=scope)
    current = selectors.holder_current_card(scope=scope)
    pending = current is not None and any(
        card.replaces_id == current.pk and card.status in rules.PENDING for card in cards
    )
    context = {
        "field_errors": request.session.pop(FIELD_ERRORS_KEY, {}),
        "current": current,
        "status_label": STATUS_LABELS.get(rules.CardStatus(current.status)) if current else None,
        "actions": [a.value for a in rules.allowed_actions(current.status, pending_replacement=pending)]
        if current
        else [],
        "successor_pending": pending,
        "earlier": [card for card in cards if current is None or card.pk != current.pk],
        "events": [
            {
                "at": event.at,
                "what": EVENT_LABELS.get(event.action, event.action),
                "status": _status_label(event.to_status),
            }
            for event in (selectors.card_events(card=current) if current else [])
        ],
        "uses": selectors.holder_trail(scope=scope, limit=20),
        "payments": selectors.payment_orders_for(scope=scope, limit=10),
        "ecard": current is not None
        and current.status == rules.CardStatus.ACTIVE
        and current.ecard_issued_at is not None,
        "channels": [(Channel.WEB, _("web service hall")), (Channel.APP, _("mobile app"))],
        "kinds": rules.ApplicationKind,
        "renewal_reasons": [(reason.value, RENEWAL_REASON_LABELS[reason]) for reason in rules.RenewalReason],
    }
    return render(request, "card/mine.html", context)


@login_required
@require_GET
def holder_ecard_code(request: HttpRequest) -> HttpResponse:
    """The QR code partial, fetched again by htmx before the code expires."""
    scope = _scope(request)
    code, claims = services.ecard_code_create(scope=scope, card=_current(scope))
    qr = segno.make(code, error="m")
    svg = qr.svg_inline(scale=5, border=2, title=_("Electronic social security card code"))
    seconds = max(5, claims.expires_at - int(timezone.now().timestamp()) - 10)
    return render(
        request,
        "card/_ecard_code.html",
        {"svg": mark_safe(svg), "code": code, "expires_at": claims.expires_datetime, "refresh": seconds},  # noqa: S308 - SVG segno drew from our own code
    )


def _apply(scope: Scope, request: HttpRequest) -> Any:
    if scope.person_id is None:
        raise PermissionDenied(code="not_bound")
    person = registry.person_queryset(scope=scope).get(pk=scope.person_id)
    return services.card_apply(
        person=person,
        channel=request.POST.get("channel", Channel.WEB),
        scope=scope,
        kind=request.POST.get("kind", rules.ApplicationKind.FIRST),
        reason=request.POST.get("reason", ""),
    )


def _activate(scope: Scope, request: HttpRequest) -> Any:
    return services.card_activate(
        scope=scope,
        card_id=_current(scope).pk,
        bank_code=request.POST.get("bank_code", ""),
        bank_account=request.POST.get("bank_account", ""),
        pin=request.POST.get("pin", ""),
    )


holder_apply = _holder_action(
    _apply, gettext_lazy("Your application was received. We will tell you when the card is ready.")
)
holder_activate = _holder_action(_activate, gettext_lazy("Your card is active."))
holder_loss = _holder_action(
    lambda scope, request: services.card_report_temporary_loss(
        scope=scope, card_id=_current(scope).pk, channel=Channel.WEB
    ),
    gettext_lazy(
        "Your card is blocked. The temporary report lapses by itself unless you report the loss at an outlet."
    ),
)
holder_unfreeze = _holder_action(
    lambda scope, request: services.card_unfreeze(scope=scope, card_id=_current(scope).pk),
    gettext_lazy("Your card works again."),
)
holder_ecard = _holder_action(
    lambda scope, request: services.ecard_issue(scope=scope, card_id=_current(scope).pk),
    gettext_lazy("Your electronic card is ready."),
)


@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    domain = request.GET.get("domain") or None
    if domain not in ApplicationDomain.values:
        domain = None
    items = selectors.applications_catalogue(domain=domain)
    return render(
        request,
        "card/catalogue.html",
        {
            "items": items,
            "domains": ApplicationDomain.choices,
            "domain": domain,
            "unverified": any(not i.verified for i in items),
        },
    )


@staff_required
@require_GET
def coverage(request: HttpRequest) -> HttpResponse:
    data = selectors.coverage_by_district(scope=_scope(request))
    chart = charts.coverage_bars(
        [(row.name, float(row.issued_share), float(row.active_share)) for row in data.rows],
        goal=None if data.goal is None else float(data.goal),
        title=_("Card coverage by district"),
        legend=(_("issued"), _("active"), _("goal")),
    )
    return render(request, "card/coverage.html", {"coverage": data, "chart": chart})


@staff_required
@require_GET
def preferences(request: HttpRequest) -> HttpResponse:
    cells = selectors.use_preferences(scope=_scope(request))
    channels = dict(UseChannel.choices)
    kinds = dict(UseKind.choices)
    by_channel: dict[str, int] = {}
    for cell in cells:
        by_channel[cell.channel] = by_channel.get(cell.channel, 0) + cell.uses
    total = sum(by_channel.values())
    chart = charts.share_bars(
        [
            (str(channels.get(name, name)), count / total if total else 0.0, count)
            for name, count in sorted(by_channel.items())
        ],
        title=_("Card uses by channel"),
    )
    rows = [
        {
            "district": cell.district_name or cell.district,
            "channel": channels.get(cell.channel, cell.channel),
            "kind": kinds.get(cell.kind, cell.kind),
            "uses": cell.uses,
            "holders": cell.holders,
        }
        for cell in cells
    ]
    return render(request, "card/preferences.html", {"rows": rows, "chart": chart, "total": total})


def home_panel(*, request: HttpRequest, scope: Scope) -> dict[str, Any] | None:
    """The holder's card on the signed-in home (``CardConfig.home_panels``): its state, and what to do next."""
    if scope.person_id is None:
        return None
    current = selectors.holder_current_card(scope=scope)
    todo = []
    if current is None:
        todo.append((_("Apply for your social security card"), reverse("card:mine")))
    elif current.status == rules.CardStatus.ISSUED:
        todo.append((_("Activate your social security card"), reverse("card:mine")))
    elif current.status == rules.CardStatus.ACTIVE and current.ecard_issued_at is None:
        todo.append((_("Get your electronic social security card"), reverse("card:mine")))
    return {
        "current": current,
        "status_label": STATUS_LABELS.get(rules.CardStatus(current.status)) if current else None,
        "ecard": current is not None
        and current.status == rules.CardStatus.ACTIVE
        and current.ecard_issued_at is not None,
        "todo": todo,
    }
