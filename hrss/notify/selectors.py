"""Reads: an account's in-app inbox, and how many messages a recipient got recently (rate limits)."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass

from django.utils import timezone

from hrss.notify.models import Channel, OutboundMessage
from hrss.notify.services import recipient_index
from hrss.notify.templates import template_render


@dataclass(frozen=True)
class InboxItem:
    id: uuid.UUID
    text: str
    created_at: dt.datetime
    read: bool


def in_app_inbox(*, user_id: uuid.UUID | str, limit: int = 50) -> list[InboxItem]:
    """The account's own in-app messages, newest first (the recipient is the caller: no scope needed)."""
    rows = OutboundMessage.objects.filter(
        channel=Channel.IN_APP, recipient_index=recipient_index(Channel.IN_APP, str(user_id))
    ).order_by("-created_at")[:limit]
    return [
        InboxItem(
            id=row.pk,
            text=template_render(row.template, json.loads(row.params or "{}")),
            created_at=row.created_at,
            read=row.read_at is not None,
        )
        for row in rows
    ]


def sms_sent_count(*, phone: str, since: dt.datetime | None = None) -> int:
    since = since or timezone.now() - dt.timedelta(hours=1)
    return OutboundMessage.objects.filter(
        channel=Channel.SMS, recipient_index=recipient_index(Channel.SMS, phone), created_at__gte=since
    ).count()
