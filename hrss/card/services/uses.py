"""Card uses (用卡轨迹) recorded by institutions and outlets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.card.models import Card, CardApplication, CardUse, UseChannel, UseKind
from hrss.card.rules import CardStatus
from hrss.card.services.access import may_record_use
from hrss.codes import selectors as codes
from hrss.core.errors import Conflict, InvalidInput, PermissionDenied
from hrss.core.scope import Scope


def card_use_record(
    *,
    scope: Scope,
    card: Card,
    kind: str,
    channel: str,
    district: str | None = None,
    application: str | None = None,
    amount: Decimal | None = None,
    reference: str = "",
    institution_name: str = "",
    at: dt.datetime | None = None,
) -> CardUse:
    """Record one use of an active card (用卡轨迹) by an institution or an outlet."""
    if not may_record_use(scope):
        raise PermissionDenied(_("Recording card uses needs the card:use:record grant."))
    problems: dict[str, Any] = {}
    if kind not in UseKind.values:
        problems["kind"] = _("unknown kind of use")
    if channel not in UseChannel.values:
        problems["channel"] = _("unknown channel")
    if district is not None and not codes.district_exists(district):
        problems["district"] = _("unknown district")
    if application is not None and not CardApplication.objects.filter(pk=application).exists():
        problems["application"] = _("not in the card application catalogue")
    if amount is not None and amount < 0:
        problems["amount"] = _("cannot be negative")
    if problems:
        raise InvalidInput(fields=problems)
    if card.status != CardStatus.ACTIVE:
        raise Conflict(_("This card is not active."), code="card_not_active")
    return CardUse.objects.create(
        card=card,
        person_id=card.person_id,
        kind=kind,
        channel=channel,
        at=at or timezone.now(),
        district_id=district,
        institution=scope.actor,
        institution_name=institution_name[:200],
        application_id=application,
        amount=amount,
        reference=reference[:60],
    )
