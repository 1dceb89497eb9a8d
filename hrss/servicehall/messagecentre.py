"""One message centre per person (A1, #24), the hall's 消息中心 (``/hall/messages/``): every message notify sent the account on any
channel — in-app, SMS to its mobile number, WeChat to the followers that subscribed to its
applications — with read or delivery status, and the channel opt-outs notify honours.

The reader is the account itself (no scope beyond "mine"): nothing here reads another
person's messages, so nothing is audited.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from hrss.identity.models import User
from hrss.notify import services as notify
from hrss.notify.models import Channel, OptOut, OutboundMessage
from hrss.notify.templates import template_render
from hrss.servicehall.models import Application, WechatSubscription

LIMIT = 100


@dataclass(frozen=True)
class Entry:
    id: uuid.UUID
    channel: str
    channel_label: str
    text: str
    created_at: dt.datetime
    status: str
    status_label: str
    read: bool


@dataclass(frozen=True)
class Preference:
    channel: str
    label: str
    recipient_hint: str
    available: bool
    opted_out: bool


def _phone(user: User) -> str:
    try:
        return notify.phone_normalise(user.phone) if user.phone else ""
    except Exception:  # an unusable stored number: no SMS channel for this account
        return ""


def _openids(user: User) -> list[str]:
    if user.person_id is None and user.employer_id is None:
        return []
    mine = Q(applicant_person_id=user.person_id) if user.person_id else Q(applicant_employer_id=user.employer_id)
    applications = Application.objects.filter(mine).values("pk")
    return sorted(set(WechatSubscription.objects.filter(application__in=applications).values_list("openid", flat=True)))


def _indexes(user: User) -> dict[str, list[str]]:
    phone = _phone(user)
    return {
        Channel.IN_APP: [notify.recipient_index(Channel.IN_APP, str(user.pk))],
        Channel.SMS: [notify.recipient_index(Channel.SMS, phone)] if phone else [],
        Channel.WECHAT: [notify.recipient_index(Channel.WECHAT, o) for o in _openids(user)],
    }


def _text(row: OutboundMessage) -> str:
    if row.sensitive and not row.params:
        return _("A one-time code (its text is erased once delivered).")
    try:
        return template_render(row.template, json.loads(row.params or "{}"))
    except Exception:  # a template retired since: say what it was
        return row.template


def messages_for(*, user: User, limit: int = LIMIT) -> list[Entry]:
    """The account's messages on every channel, newest first."""
    wanted = Q(pk__in=[])
    for channel, indexes in _indexes(user).items():
        if indexes:
            wanted |= Q(channel=channel, recipient_index__in=indexes)
    rows = OutboundMessage.objects.filter(wanted).order_by("-created_at")[:limit]
    channels = dict(Channel.choices)
    statuses = dict(OutboundMessage.Status.choices)
    return [
        Entry(
            id=row.pk,
            channel=row.channel,
            channel_label=str(channels.get(row.channel, row.channel)),
            text=_text(row),
            created_at=row.created_at,
            status=row.status,
            status_label=str(statuses.get(row.status, row.status)),
            read=row.read_at is not None
            if row.channel == Channel.IN_APP
            else row.status == OutboundMessage.Status.SENT,
        )
        for row in rows
    ]


def preferences_for(*, user: User) -> list[Preference]:
    phone, openids = _phone(user), _openids(user)
    out_sms = (
        bool(phone)
        and OptOut.objects.filter(
            channel=Channel.SMS, recipient_index=notify.recipient_index(Channel.SMS, phone)
        ).exists()
    )
    wechat_indexes = [notify.recipient_index(Channel.WECHAT, o) for o in openids]
    out_wechat = bool(openids) and OptOut.objects.filter(
        channel=Channel.WECHAT, recipient_index__in=wechat_indexes
    ).count() == len(set(wechat_indexes))
    masked = f"{phone[:3]}****{phone[-4:]}" if phone else ""
    return [
        Preference(Channel.SMS, _("Notices by SMS"), masked, bool(phone), out_sms),
        Preference(Channel.WECHAT, _("Notices on WeChat"), "", bool(openids), out_wechat),
    ]


def preference_set(*, user: User, channel: str, receive: bool) -> None:
    """Receive notices on ``channel`` again, or opt out (every recipient of the account there)."""
    if channel == Channel.SMS:
        recipients = [p for p in [_phone(user)] if p]
    elif channel == Channel.WECHAT:
        recipients = _openids(user)
    else:
        recipients = []
    for recipient in recipients:
        if receive:
            notify.opt_in(channel=channel, recipient=recipient)
        else:
            notify.opt_out(channel=channel, recipient=recipient, source="message_centre")


def mark_read(*, user: User, message_id: str) -> None:
    notify.in_app_mark_read(user_id=user.pk, message_id=message_id)
