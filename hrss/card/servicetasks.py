"""The card step of the service hall's items: the ``card.apply`` service-task handler (A5, A3).

社保卡申领 (SH-KA-001) runs the hall's process (accept, a first review when risk flags are
raised: ``hrss/servicehall/processes/social_security_card_application.bpmn``); once the
staff have approved, the process calls the handler registered here. The registry is
``hrss.core.servicetasks``: the hall and this app never import each other.

Who acts: the hall has authorised the step (role lane, the staff member's data scope, the
decision), so the handler acts city-wide in the name of the staff member whose decision led
to it — ``Scope.system(context.actor)``, as this app's other system paths do — and applies
through ``services.card_apply``, the one write that publishes ``CardApplied``.

The hall application's reference and the delivery chosen are written on the card's
``apply`` history entry (and its audit record); that entry is also the retry key: the
engine may run a service task again, and a second run answers with the card the first one
applied for instead of applying twice.

Refusals (``ServiceTaskRefused``, the application then ends rejected with the reason): the
person already holds a card or has an application on its way (one card per person), the
person is not a living resident, a card by post without an address. The first two are
known when the application comes in: ``hall_submission_check`` refuses them at submission.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from hrss.card import rules, selectors, services
from hrss.card.models import Card, CardEvent, Channel
from hrss.core.errors import Conflict, InvalidInput, NotFound
from hrss.core.scope import Scope
from hrss.core.servicetasks import ServiceTaskContext, ServiceTaskRefused, register_handler
from hrss.registry import selectors as registry
from hrss.registry.models import Person

# The form's delivery choices (catalogue item SH-KA-001, field ``delivery``).
DELIVERY_POST = "post"
DELIVERY_OUTLET = "outlet"
DELIVERIES = frozenset({DELIVERY_POST, DELIVERY_OUTLET})


def hall_note(reference: str, delivery: str = "") -> str:
    """What the card's ``apply`` history entry says about a hall application.

    ``servicehall:<reference>;`` starts it (references have a fixed form, ``SH`` and twelve
    digits, so the prefix names one application only).
    """
    return f"servicehall:{reference};" + (f" delivery:{delivery}" if delivery else "")


def card_applied_for(*, person_id: Any, reference: str) -> Card | None:
    """The card a hall application already applied for, if any (the retry key)."""
    event = (
        CardEvent.objects.filter(card__person_id=person_id, action="apply", note__startswith=hall_note(reference))
        .select_related("card")
        .order_by("id")
        .first()
    )
    return event.card if event else None


def _person_id(context: ServiceTaskContext) -> uuid.UUID:
    try:
        return uuid.UUID(str(context.person_id))
    except ValueError as error:
        raise ServiceTaskRefused(_("This service is for citizens: the application names no person.")) from error


def _delivery(context: ServiceTaskContext) -> str:
    delivery = str(context.form_data.get("delivery") or "")
    if delivery not in DELIVERIES:
        raise ServiceTaskRefused(
            _("Choose how the card reaches you: by post or collected at an outlet."),
            code="card_delivery_missing",
            fields={"delivery": delivery},
        )
    if delivery == DELIVERY_POST and not str(context.form_data.get("address") or "").strip():
        raise ServiceTaskRefused(
            _("A card sent by post needs a postal address: apply again with your address, or collect it at an outlet."),
            code="card_address_missing",
            fields={"address": _("required")},
        )
    return delivery


def _channel(context: ServiceTaskContext) -> str:
    # The hall's channel where the card app knows it (web, app, WeChat, kiosk, counter...).
    channel = str(context.workflow_data.get("channel") or "")
    return channel if channel in Channel.values else Channel.SYSTEM


# Names of the answer's figures and of the codes among its values, for the workbench
# (``hrss.servicehall.computed_figures`` reads them from any catalogue in this context).
FIGURE_NAMES = (
    pgettext_lazy("computed figure", "Card id"),
    pgettext_lazy("computed figure", "Card status"),
    pgettext_lazy("computed figure", "Card kind"),
    pgettext_lazy("computed figure", "Applied at"),
    pgettext_lazy("computed figure", "Delivery"),
    pgettext_lazy("computed figure", "Application"),
    # card statuses (rules.CardStatus)
    pgettext_lazy("computed figure", "Applied"),
    pgettext_lazy("computed figure", "In production"),
    pgettext_lazy("computed figure", "Made"),
    pgettext_lazy("computed figure", "Issued"),
    pgettext_lazy("computed figure", "Active"),
    pgettext_lazy("computed figure", "Temporarily lost"),
    pgettext_lazy("computed figure", "Lost"),
    pgettext_lazy("computed figure", "Cancelled"),
    # application kinds (rules.ApplicationKind) and deliveries
    pgettext_lazy("computed figure", "First"),
    pgettext_lazy("computed figure", "Replacement"),
    pgettext_lazy("computed figure", "Renewal"),
    pgettext_lazy("computed figure", "Post"),
    pgettext_lazy("computed figure", "Outlet"),
)


def _answer(card: Card, *, delivery: str, reference: str) -> dict[str, Any]:
    if delivery == DELIVERY_POST:
        what = _("Your social security card has been applied for. It will be made and sent to you by post.")
    else:
        what = _(
            "Your social security card has been applied for. It will be made; collect it at an outlet when it is ready."
        )
    return {
        "what": what,
        "card_id": str(card.pk),
        "card_status": card.status,
        "card_kind": card.kind,
        "card_number": card.number,  # none until the factory has made the card
        "applied_at": card.applied_at.isoformat(timespec="seconds"),
        "delivery": delivery,
        "application": reference,
    }


def refusal_message(code: str) -> str | None:
    """The card app's "one card per person" answer, in words the applicant can act on."""
    if code == "card_already_held":
        return _(
            "You already hold a social security card, so a new one is not issued. If it is lost, report the "
            "loss and apply for a replacement; if it is damaged or expired, apply for a renewal."
        )
    if code == "card_application_pending":
        return _("A card application for you is already in progress; follow it on the My social security card page.")
    return None


def _refusal(error: Conflict, person_id: uuid.UUID) -> ServiceTaskRefused:
    current = (
        Card.objects.filter(person_id=person_id, status__in=sorted(rules.LIVE))
        .order_by("-applied_at")
        .values_list("status", flat=True)
        .first()
    )
    result = {"card_status": current} if current else {}
    message = refusal_message(error.code)
    if message is None:
        return ServiceTaskRefused.from_error(error, result=result)
    return ServiceTaskRefused(message, result=result, code=error.code)


def hall_submission_check(*, item_code: str, person: Any, employer: Any, form_data: Any) -> None:
    """What ``card_apply`` would refuse, checked when 社保卡申领 (SH-KA-001) is submitted.

    Registered with the hall by ``CardConfig.submission_checks``: a person who holds a card,
    or has one on its way, is told so at once, next to the form, instead of after the staff
    have approved. The handler above still refuses (with the same words) should a card be
    applied for between submission and approval.
    """
    if person is None:
        return
    if person.status != Person.Status.ACTIVE:
        raise Conflict(_("Cards are only issued to living residents."), code="card_person_not_active")
    refusal = selectors.card_application_refusal(person_id=person.pk)
    if refusal is not None:
        raise Conflict(refusal_message(refusal.code) or refusal.message, code=refusal.code)


@register_handler("card.apply")
def card_apply(context: ServiceTaskContext) -> dict[str, Any]:
    """申领 after the hall's approval: the first card of the applicant, delivered as chosen."""
    person_id = _person_id(context)
    delivery = _delivery(context)
    scope = Scope.system(context.actor)
    with transaction.atomic():
        existing = card_applied_for(person_id=person_id, reference=context.reference)
        if existing is not None:  # the engine ran this task again: answer with the same card
            return _answer(existing, delivery=delivery, reference=context.reference)
        person = registry.person_queryset(scope=scope).filter(pk=person_id).first()
        if person is None:
            raise ServiceTaskRefused(_("The applicant is not in the person registry."), code="not_found")
        try:
            card = services.card_apply(
                person=person,
                channel=_channel(context),
                scope=scope,
                kind=rules.ApplicationKind.FIRST,
                note=hall_note(context.reference, delivery),
            )
        except Conflict as error:
            # A concurrent run of this same task may have won the race: its card is the answer.
            won = card_applied_for(person_id=person_id, reference=context.reference)
            if won is not None:
                return _answer(won, delivery=delivery, reference=context.reference)
            raise _refusal(error, person_id) from error
        except (InvalidInput, NotFound) as error:
            raise ServiceTaskRefused.from_error(error) from error
    return _answer(card, delivery=delivery, reference=context.reference)
