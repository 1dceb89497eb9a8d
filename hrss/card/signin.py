"""Reads for signing a holder in at a self-service kiosk (自助一体机) with the card.

Declared as ``CardConfig.card_signin`` and collected by ``IdentityConfig.ready()``: the
identity app signs people in but never imports the card app. Unlike the counter's walk-in
lookup (``card_lookup``: any status, a staff read), these answer an anonymous terminal and
only for a card in service, so a lost, replaced or cancelled card — or a stale electronic
card code — signs no one in. Each refusal is a DomainError with a sentence for the person at
the kiosk; identity audits every attempt and counts failures for its lockout.
"""

from __future__ import annotations

import time
import uuid

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.card import rules, tokens
from hrss.card.models import Card
from hrss.card.services.lifecycle import card_pin_check
from hrss.codes.identifiers import parse_id_number
from hrss.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hrss.registry.services import id_number_index


def _usable(card: Card) -> None:
    if not rules.in_service(card.status, card.temporary_loss_until, timezone.now()):
        raise Conflict(
            _(
                "This card cannot be used: it is not active (reported lost, replaced or not yet activated). "
                "Please use your ID number, or ask at the counter."
            ),
            code="card_not_active",
        )


def holder_by_card(*, number: str, pin: str, chip_serial: str = "", social_security_number: str = "") -> uuid.UUID:
    """The registry id of the holder of the card in a kiosk's reader, once the card's service
    PIN is right. The chip's serial and its social security number, when the reader gives
    them, must match the card record and the holder: a card cloned from a printed number does not."""
    normalised = rules.card_number_normalise(number)
    if not rules.card_number_valid(normalised):
        raise InvalidInput(
            _("The card could not be read. Take it out and insert it again, chip first."), code="card_unreadable"
        )
    card = Card.objects.select_related("person").filter(number=normalised).first()
    if card is None:
        raise NotFound(_("This card is not known to us. Please ask at the counter."), code="card_unknown")
    _usable(card)
    chip_differs = bool(chip_serial and card.chip_serial and chip_serial != card.chip_serial)
    holder_differs = False
    if social_security_number:
        try:
            holder_differs = id_number_index(parse_id_number(social_security_number).value) != (
                card.person.id_number_index
            )
        except InvalidInput:
            holder_differs = True
    if chip_differs or holder_differs:
        raise PermissionDenied(
            _("This card's chip does not match our records. Please ask at the counter."), code="card_chip_mismatch"
        )
    if not card_pin_check(card=card, pin=pin):
        raise PermissionDenied(_("The card's PIN is not right."), code="card_pin_wrong", fields={"pin": _("wrong PIN")})
    return card.person_id


def holder_by_ecard_code(*, code: str, now: float | None = None) -> uuid.UUID:
    """The registry id of the holder whose electronic card shows this dynamic code (a QR code
    or its digits, valid 60 seconds), if the electronic card and its card are in service."""
    try:
        claims = tokens.token_read(code.strip(), key=settings.HRSS_CARD_TOKEN_KEY.encode())
    except tokens.ForgedToken:
        raise InvalidInput(
            _("This is not an electronic card code. Show the code from your electronic card again."),
            code="ecard_code_invalid",
        ) from None
    if claims.expired(time.time() if now is None else now):
        raise InvalidInput(
            _("This code has expired (codes last one minute). Refresh the code and show it again."),
            code="ecard_code_expired",
        )
    card = Card.objects.filter(pk=claims.card_id).first()
    if card is None or card.ecard_issued_at is None or card.ecard_epoch != claims.epoch:
        raise Conflict(
            _("This electronic card is no longer valid. Open your electronic card again, or use your ID number."),
            code="ecard_not_active",
        )
    _usable(card)
    return card.person_id
