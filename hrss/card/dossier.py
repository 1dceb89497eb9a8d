"""What the card app offers the personal dossier (``hrss.core.dossier``).

One section, 社会保障卡: the person's cards, the newest application first, each with its
number masked but for the last four characters, where it stands, the days it was applied
for, issued, activated (and cancelled), and its latest lifecycle step. One query for the
cards (the latest step read by a subquery), and a count only when there may be more.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.card.models import ACTION_LABELS, KIND_CHOICES, STATUS_LABELS, Card, CardEvent
from hrss.card.rules import Action, CardStatus
from hrss.core.dossier import DossierEntry, DossierSection

# The steps a card's dates already say, not repeated as its latest step.
_DATED_STEPS = {"apply", Action.ISSUE.value, Action.ACTIVATE.value, Action.CANCEL.value}
_FIELDS = (
    "number",
    "kind",
    "status",
    "applied_at",
    "issued_at",
    "activated_at",
    "cancelled_at",
    "last_action",
    "last_at",
)


def masked(number: str | None) -> str:
    """A card number with all but its last four characters hidden ("" when it has none yet)."""
    if not number:
        return ""
    return "*" * max(len(number) - 4, 0) + number[-4:]


def _day(at: dt.datetime | None) -> str:
    return timezone.localdate(at).isoformat() if at else ""


def _status(value: str) -> str:
    try:
        return str(STATUS_LABELS[CardStatus(value)])
    except ValueError:
        return value


def _step(action: str | None, at: dt.datetime | None) -> str:
    if not action or action in _DATED_STEPS or at is None:
        return ""
    try:
        label = str(ACTION_LABELS[Action(action)])
    except ValueError:
        label = action
    return _("latest step: %(step)s on %(date)s") % {"step": label, "date": _day(at)}


def _title(kind: str, number: str) -> str:
    if number:
        return _("Card %(number)s (%(kind)s)") % {"number": number, "kind": kind}
    return _("Card (%(kind)s)") % {"kind": kind}


def _detail(row: dict[str, Any]) -> str:
    dates = (
        (_("applied on %(date)s"), row["applied_at"]),
        (_("issued on %(date)s"), row["issued_at"]),
        (_("activated on %(date)s"), row["activated_at"]),
        (_("cancelled on %(date)s"), row["cancelled_at"]),
    )
    parts = [label % {"date": _day(at)} for label, at in dates if at]
    step = _step(row["last_action"], row["last_at"])
    if step:
        parts.append(step)
    return _("; ").join(parts)


def person_sections(person_id: uuid.UUID, *, on: dt.date, limit: int) -> list[DossierSection]:
    latest = CardEvent.objects.filter(card=OuterRef("pk")).order_by("-at", "-id")
    cards = (
        Card.objects.filter(person_id=person_id)
        .order_by("-applied_at", "-created_at")
        .annotate(last_action=Subquery(latest.values("action")[:1]), last_at=Subquery(latest.values("at")[:1]))
        .values(*_FIELDS)
    )
    page = list(cards[: max(limit, 0)])
    total = len(page) if len(page) < limit else Card.objects.filter(person_id=person_id).count()
    if not total:
        return []
    kinds = dict(KIND_CHOICES)
    link = reverse("card:mine")
    entries = tuple(
        DossierEntry(
            title=_title(str(kinds.get(row["kind"], row["kind"])), masked(row["number"])),
            on=timezone.localdate(row["applied_at"]),
            detail=_detail(row),
            status=_status(row["status"]),
            reference=masked(row["number"]),
            link=link,
        )
        for row in page
    )
    return [DossierSection("card.cards", _("Social security card"), 30, entries, total)]
