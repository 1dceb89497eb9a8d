"""Writes of the card's life (A5): apply, withdraw, issue, activate, PIN, loss reports,
unfreeze, cancel.

Every change goes through ``_move``: the pure lifecycle machine in ``rules`` decides, the
card row is locked, the history row and the audit entry are written in the same
transaction, and a ``CardStatusChanged`` event is published after commit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.hashers import check_password, make_password
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrss.card import rules
from hrss.card.events import CardApplied, CardStatusChanged
from hrss.card.models import ACTION_LABELS, STATUS_LABELS, Card, CardEvent, Channel
from hrss.card.rules import Action, ApplicationKind, CancelReason, CardStatus, Refusal
from hrss.card.services.access import GRANT_LOSS_REPORT, require_card_office, require_holder_or_office
from hrss.codes import selectors as codes
from hrss.core.audit import audit_record
from hrss.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hrss.core.events import publish
from hrss.core.scope import AGENCY_CLIENT, Scope
from hrss.registry.models import Person

# The rules speak plain English (their codes are the contract); people read these.
_REFUSALS = {
    "card_replacement_pending": gettext_lazy("A replacement card has already been applied for."),
    "card_application_pending": gettext_lazy("A card application for this person is already in progress."),
    "card_already_held": gettext_lazy("This person already holds a card."),
    "card_application_refused": gettext_lazy(
        "This kind of application needs a current card in another state (a replacement needs a card "
        "reported lost; a renewal an issued or active card)."
    ),
    "card_unknown_action": gettext_lazy("Unknown card action."),
    "card_unknown_application_kind": gettext_lazy("Unknown application kind."),
}


def _refused(refusal: Refusal) -> Conflict:
    if refusal.code == "card_transition_refused":
        message = _("a card that is %(status)s cannot %(action)s") % {
            "status": STATUS_LABELS[CardStatus(refusal.status)],
            "action": ACTION_LABELS[Action(refusal.action)],
        }
        return Conflict(message, code=refusal.code, fields={"status": refusal.status, "action": refusal.action})
    return Conflict(str(_REFUSALS.get(refusal.code, refusal.message)), code=refusal.code)


def _channel(channel: str) -> str:
    if channel not in Channel.values:
        raise InvalidInput(_("Unknown channel."), fields={"channel": channel})
    return channel


def card_get_for_update(*, card_id: Any = None, number: str | None = None) -> Card:
    """Lock one card by id or by number; an unknown or mistyped number is NotFound."""
    cards = Card.objects.select_for_update()
    if number is not None:
        normalised = rules.card_number_normalise(number)
        if not rules.card_number_valid(normalised):
            raise InvalidInput(
                _("This is not a valid card number (check the nine characters)."), fields={"number": number}
            )
        card = cards.filter(number=normalised).first()
    else:
        card = cards.filter(pk=card_id).first()
    if card is None:
        raise NotFound(_("No such card was found."))
    return card


def _move(
    card: Card,
    action: Action,
    *,
    scope: Scope,
    channel: str = "",
    note: str = "",
    now: dt.datetime | None = None,
    **flags: Any,
) -> CardStatus:
    """Apply one transition of the lifecycle machine to a locked card, with history and audit."""
    outcome = rules.transition(card.status, action, **flags)
    if isinstance(outcome, Refusal):
        raise _refused(outcome)
    from_status, now = card.status, now or timezone.now()
    card.status = outcome
    card.save()
    CardEvent.objects.create(
        card=card,
        action=action.value,
        from_status=from_status,
        to_status=outcome.value,
        at=now,
        actor=scope.actor,
        channel=channel,
        note=note[:200],
    )
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action=f"card.{action.value}",
        object_type="card",
        object_id=str(card.pk),
        detail={"from": from_status, "to": outcome.value, "channel": channel, "note": note},
    )
    publish(
        CardStatusChanged(
            card_id=card.pk, person_id=card.person_id, action=action.value, from_status=from_status, to_status=outcome
        )
    )
    return outcome


def _lapse_if_due(card: Card, *, now: dt.datetime) -> bool:
    """A temporary loss report that has run its course lapses before anything else happens."""
    if card.status == CardStatus.TEMPORARILY_LOST and card.temporary_loss_until and card.temporary_loss_until <= now:
        _move(card, Action.TEMPORARY_LOSS_LAPSE, scope=Scope.system("card"), channel=Channel.SYSTEM, now=now)
        card.temporary_loss_until = None
        card.save(update_fields=["temporary_loss_until", "updated_at"])
        return True
    return False


def _years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def card_valid_until(*, on: dt.date) -> dt.date:
    years = int(codes.parameter_value("card.validity_years", on=on))
    return _years_later(on, years) - dt.timedelta(days=1)


# --- apply ----------------------------------------------------------------------------------


@transaction.atomic
def card_apply(
    *,
    person: Person,
    channel: str,
    scope: Scope,
    kind: str = ApplicationKind.FIRST,
    reason: str = "",
    note: str = "",
) -> Card:
    """申领: apply for a card (first card, replacement after a formal loss, or renewal).

    The service item of the service hall calls this (``servicetasks.py``). One card in use and
    one on its way per person: checked here under a lock on the person, and enforced by the
    database's partial unique constraints should two applications race past the check.
    ``note`` goes on the application's history entry and audit record (e.g. the hall
    application it came from, and the delivery chosen).
    """
    require_holder_or_office(scope, person.pk)
    _channel(channel)
    try:
        wanted = ApplicationKind(kind)
    except ValueError:
        raise InvalidInput(_("Unknown application kind."), fields={"kind": kind}) from None
    if wanted is ApplicationKind.RENEWAL and reason not in {item.value for item in rules.RenewalReason}:
        raise InvalidInput(
            _("A renewal needs a reason: expiry, damage, key data change, bank change or cross-province move."),
            fields={"reason": reason},
        )
    # Serialise applications of one person (a row lock on PostgreSQL; SQLite's IMMEDIATE
    # transactions already serialise writers). Reading the registry row to lock it, not writing it.
    locked = Person.objects.select_for_update().filter(pk=person.pk).values_list("status", flat=True).first()
    if locked is None:
        raise NotFound(_("No such person."))
    if locked != Person.Status.ACTIVE:
        raise Conflict(_("Cards are only issued to living residents."), code="card_person_not_active")
    live = list(Card.objects.filter(person_id=person.pk, status__in=sorted(rules.LIVE)).values_list("pk", "status"))
    refusal = rules.application_refusal(wanted, [status for _pk, status in live])
    if refusal is not None:
        raise _refused(refusal)
    replaces = None
    if wanted is not ApplicationKind.FIRST:
        replaces = next(pk for pk, status in live if status in rules.IN_USE)
    now = timezone.now()
    try:
        with transaction.atomic():
            card = Card.objects.create(
                person_id=person.pk,
                status=CardStatus.APPLIED,
                kind=wanted.value,
                reason=reason or ("loss" if wanted is ApplicationKind.REPLACEMENT else ""),
                channel=channel,
                replaces_id=replaces,
                applied_at=now,
            )
    except IntegrityError:
        raise Conflict(
            _("A card application for this person is already in progress."), code="card_application_pending"
        ) from None
    CardEvent.objects.create(
        card=card,
        action="apply",
        from_status="",
        to_status=CardStatus.APPLIED,
        at=now,
        actor=scope.actor,
        channel=channel,
        note=note[:200],
    )
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="card.apply",
        object_type="card",
        object_id=str(card.pk),
        detail={"kind": wanted.value, "channel": channel, "replaces": str(replaces or ""), "note": note},
    )
    publish(CardApplied(card_id=card.pk, person_id=person.pk, kind=wanted.value))
    return card


@transaction.atomic
def card_withdraw(*, scope: Scope, card_id: Any) -> Card:
    """Withdraw an application before the card is issued."""
    card = card_get_for_update(card_id=card_id)
    require_holder_or_office(scope, card.person_id)
    if card.status not in rules.PENDING:
        raise Conflict(_("Only an application not yet issued can be withdrawn."), code="card_transition_refused")
    return _cancel(card, scope=scope, reason=CancelReason.WITHDRAWN)


# --- issue and activate -------------------------------------------------------------------------


@transaction.atomic
def card_issue(*, scope: Scope, number: str, district: str | None = None) -> Card:
    """发放: hand a made card to its holder at an outlet. A card it replaces is cancelled now."""
    require_card_office(scope)
    card = card_get_for_update(number=number)
    if district is not None and not codes.district_exists(district):
        raise InvalidInput(_("Unknown district."), fields={"district": district})
    now = timezone.now()
    if card.replaces_id and card.status == CardStatus.MADE:
        old = card_get_for_update(card_id=card.replaces_id)
        if old.status != CardStatus.CANCELLED:
            reason = CancelReason.REPLACED if card.kind == ApplicationKind.REPLACEMENT else CancelReason.RENEWED
            _cancel(old, scope=scope, reason=reason, now=now)
    _move(card, Action.ISSUE, scope=scope, channel=Channel.COUNTER, now=now)
    card.issued_at, card.issue_district_id = now, district
    card.save(update_fields=["issued_at", "issue_district", "updated_at"])
    return card


@transaction.atomic
def card_activate(
    *, scope: Scope, card_id: Any = None, number: str | None = None, bank_code: str, bank_account: str, pin: str
) -> Card:
    """启用: link the bank account and set the PIN (kept only as a salted Argon2 hash)."""
    card = card_get_for_update(card_id=card_id, number=number)
    require_holder_or_office(scope, card.person_id)
    problems: dict[str, Any] = {}
    if (pin_problem := rules.pin_refusal(pin)) is not None:
        problems["pin"] = _(pin_problem)
    if (account_problem := rules.bank_account_refusal(bank_account)) is not None:
        problems["bank_account"] = _(account_problem)
    if not bank_code.strip():
        problems["bank_code"] = _("required")
    if problems:
        raise InvalidInput(fields=problems)
    now = timezone.now()
    _move(card, Action.ACTIVATE, scope=scope, channel=Channel.BANK if scope.has_role(AGENCY_CLIENT) else "", now=now)
    card.bank_code = bank_code.strip().upper()
    card.bank_account = "".join(bank_account.split())
    card.pin_hash = make_password(pin)
    card.activated_at = now
    # The electronic card follows the holder from the card this one replaces.
    if card.replaces_id and Card.objects.filter(pk=card.replaces_id, ecard_issued_at__isnull=False).exists():
        card.ecard_issued_at, card.ecard_epoch = now, card.ecard_epoch + 1
    card.save()
    return card


def card_pin_check(*, card: Card, pin: str) -> bool:
    return bool(card.pin_hash) and check_password(pin, card.pin_hash)


@transaction.atomic
def card_pin_change(*, scope: Scope, card_id: Any, old_pin: str, new_pin: str) -> Card:
    card = card_get_for_update(card_id=card_id)
    require_holder_or_office(scope, card.person_id)
    if not card_pin_check(card=card, pin=old_pin):
        raise PermissionDenied(_("The current PIN is not right."), code="card_pin_wrong")
    if (problem := rules.pin_refusal(new_pin)) is not None:
        raise InvalidInput(fields={"new_pin": _(problem)})
    card.pin_hash = make_password(new_pin)
    card.save(update_fields=["pin_hash", "updated_at"])
    audit_record(actor=scope.actor, actor_role=scope.primary_role, action="card.pin_change", object_id=str(card.pk))
    return card


# --- loss, unfreeze, cancel -----------------------------------------------------------------


@transaction.atomic
def card_report_temporary_loss(
    *, scope: Scope, card_id: Any = None, number: str | None = None, channel: str = Channel.WEB
) -> Card:
    """临时挂失 by phone or online: the card stops working at once; the report lapses by itself."""
    card = card_get_for_update(card_id=card_id, number=number)
    if not (scope.has_role(AGENCY_CLIENT) and GRANT_LOSS_REPORT in scope.grants):
        require_holder_or_office(scope, card.person_id)
    now = timezone.now()
    _lapse_if_due(card, now=now)
    days = int(codes.parameter_value("card.temporary_loss_days", on=now.date()))
    _move(card, Action.REPORT_TEMPORARY_LOSS, scope=scope, channel=_channel(channel), now=now)
    card.temporary_loss_until = now + dt.timedelta(days=days)
    card.save(update_fields=["temporary_loss_until", "updated_at"])
    return card


@transaction.atomic
def card_report_loss(*, scope: Scope, card_id: Any = None, number: str | None = None) -> Card:
    """正式挂失: in person at an outlet; the card stays blocked until unfrozen or replaced."""
    require_card_office(scope)
    card = card_get_for_update(card_id=card_id, number=number)
    now = timezone.now()
    _lapse_if_due(card, now=now)
    _move(card, Action.REPORT_LOSS, scope=scope, channel=Channel.COUNTER, now=now)
    card.temporary_loss_until = None
    card.save(update_fields=["temporary_loss_until", "updated_at"])
    return card


@transaction.atomic
def card_unfreeze(*, scope: Scope, card_id: Any = None, number: str | None = None) -> Card:
    """解挂: the card was found. Refused once a replacement has been applied for."""
    card = card_get_for_update(card_id=card_id, number=number)
    if card.status == CardStatus.TEMPORARILY_LOST:
        require_holder_or_office(scope, card.person_id)  # the holder lifts their own phone report
    else:
        require_card_office(scope)
    pending = Card.objects.filter(replaces_id=card.pk, status__in=sorted(rules.PENDING)).exists()
    _move(
        card,
        Action.UNFREEZE,
        scope=scope,
        pending_replacement=pending,
        was_activated=card.activated_at is not None,
    )
    card.temporary_loss_until = None
    card.save(update_fields=["temporary_loss_until", "updated_at"])
    return card


def _cancel(card: Card, *, scope: Scope, reason: str, now: dt.datetime | None = None) -> Card:
    now = now or timezone.now()
    _move(card, Action.CANCEL, scope=scope, note=reason, now=now)
    card.cancelled_at, card.cancel_reason = now, reason
    # Every code shown before stops working; ecard_issued_at stays as history (a replacement
    # card takes the electronic card over on activation).
    card.ecard_epoch += 1
    card.save()
    return card


@transaction.atomic
def card_cancel(*, scope: Scope, reason: str, card_id: Any = None, number: str | None = None) -> Card:
    """注销 one card (death, emigration, transfer out)."""
    require_card_office(scope)
    if reason not in (CancelReason.DEATH, CancelReason.EMIGRATION, CancelReason.TRANSFER_OUT):
        raise InvalidInput(_("A card is cancelled for death, emigration or transfer out."), fields={"reason": reason})
    return _cancel(card_get_for_update(card_id=card_id, number=number), scope=scope, reason=reason)


@transaction.atomic
def person_cards_cancel(*, scope: Scope, person_id: Any, reason: str) -> list[Card]:
    """Cancel every live card and application of a person (death, emigration, transfer out)."""
    require_card_office(scope)
    ids = list(Card.objects.filter(person_id=person_id, status__in=sorted(rules.LIVE)).values_list("pk", flat=True))
    return [_cancel(card_get_for_update(card_id=pk), scope=scope, reason=reason) for pk in ids]


def temporary_losses_lapse(*, now: dt.datetime | None = None, chunk: int = 1000) -> int:
    """Let every temporary loss report that has run its course lapse (run daily: ``tasks.py``).

    The selection is set-based (cards still temporarily lost whose ``temporary_loss_until``
    has passed, read by key in chunks); each card is then locked and moved through the same
    state machine as a card touched at a counter, one transaction per card, so the history
    entry, the audit record and the ``CardStatusChanged`` event are the same either way. A
    card someone touched meanwhile (lapsed on use, reported lost formally) is re-checked
    under its lock and left alone. Returns how many reports lapsed.
    """
    now = now or timezone.now()
    due = Card.objects.filter(status=CardStatus.TEMPORARILY_LOST, temporary_loss_until__lte=now).order_by("pk")
    lapsed, after = 0, None
    while True:
        keys = list((due.filter(pk__gt=after) if after is not None else due).values_list("pk", flat=True)[:chunk])
        for pk in keys:
            with transaction.atomic():
                lapsed += _lapse_if_due(card_get_for_update(card_id=pk), now=now)
        if len(keys) < chunk:
            return lapsed
        after = keys[-1]
