"""The electronic card (电子社保卡): issue, revoke, and the holder's dynamic codes."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.card import tokens
from hrss.card.models import Card
from hrss.card.rules import CardStatus
from hrss.card.services.access import require_holder_or_office
from hrss.card.services.lifecycle import card_get_for_update
from hrss.core.audit import audit_record
from hrss.core.errors import Conflict, PermissionDenied
from hrss.core.scope import Scope

CODE_TTL_SECONDS = int(getattr(settings, "HRSS_CARD_CODE_TTL", 60))


def ecard_token_key() -> bytes:
    return settings.HRSS_CARD_TOKEN_KEY.encode()


@transaction.atomic
def ecard_issue(*, scope: Scope, card_id: Any) -> Card:
    """电子社保卡: issue (or re-issue) the electronic card of an active card.

    Re-issuing bumps the epoch, so codes shown on a lost phone stop working.
    """
    card = card_get_for_update(card_id=card_id)
    require_holder_or_office(scope, card.person_id)
    if card.status != CardStatus.ACTIVE:
        raise Conflict(_("The electronic card needs an active card."), code="card_not_active")
    card.ecard_issued_at, card.ecard_epoch = timezone.now(), card.ecard_epoch + 1
    card.save(update_fields=["ecard_issued_at", "ecard_epoch", "updated_at"])
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="card.ecard_issue",
        object_type="card",
        object_id=str(card.pk),
    )
    return card


@transaction.atomic
def ecard_revoke(*, scope: Scope, card_id: Any) -> Card:
    card = card_get_for_update(card_id=card_id)
    require_holder_or_office(scope, card.person_id)
    card.ecard_issued_at, card.ecard_epoch = None, card.ecard_epoch + 1
    card.save(update_fields=["ecard_issued_at", "ecard_epoch", "updated_at"])
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="card.ecard_revoke",
        object_type="card",
        object_id=str(card.pk),
    )
    return card


def ecard_code_create(*, scope: Scope, card: Card, now: float | None = None) -> tuple[str, tokens.Claims]:
    """A fresh dynamic code for the holder's electronic card (nothing is stored)."""
    if scope.person_id is None or scope.person_id != card.person_id:
        raise PermissionDenied(_("Only the card holder can show their electronic card."))
    if card.status != CardStatus.ACTIVE or card.ecard_issued_at is None:
        raise Conflict(_("The electronic card is not active."), code="card_not_active")
    return tokens.token_sign(
        key=ecard_token_key(),
        card_id=card.pk,
        epoch=card.ecard_epoch,
        now=time.time() if now is None else now,
        ttl_seconds=CODE_TTL_SECONDS,
    )
