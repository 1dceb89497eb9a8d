"""Send a message on a channel: a row is written now, delivery happens after commit.

Every other app (and identity's one-time codes) calls these three functions; none of them
talks to a provider directly. A message written inside a transaction that rolls back is
never sent.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from hrss.core.crypto import blind_index
from hrss.core.errors import InvalidInput, NotFound
from hrss.notify.backends import DeliveryError, Envelope, backend_for
from hrss.notify.models import Channel, OptOut, OutboundMessage
from hrss.notify.templates import template_check, template_render

RECIPIENT_INDEX_PURPOSE = "notify.recipient"
_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def phone_normalise(raw: str) -> str:
    """Mainland mobile number, digits only: ``+86 138-0013-8000`` → ``13800138000``."""
    digits = re.sub(r"[\s\-()]", "", raw or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    if not _MOBILE.match(digits):
        raise InvalidInput(_("Enter an 11-digit mainland mobile number."), code="invalid_phone", fields={"phone": ""})
    return digits


def recipient_index(channel: str, recipient: str) -> str:
    return blind_index(f"{channel}:{recipient}", purpose=RECIPIENT_INDEX_PURPOSE)


def _message_create(
    *, channel: str, recipient: str, template: str, params: Mapping[str, Any], sensitive: bool, reply: bool = False
) -> OutboundMessage:
    template_check(template)
    template_render(template, params)  # a missing parameter fails now, in the caller's request
    index = recipient_index(channel, recipient)
    # A recipient who opted out of a channel gets no notices there; the message is still
    # kept (the person's message centre shows it as not sent). One-time codes and answers to
    # the recipient's own message are not notices.
    suppressed = (
        not sensitive
        and not reply
        and channel != Channel.IN_APP
        and OptOut.objects.filter(channel=channel, recipient_index=index).exists()
    )
    message = OutboundMessage.objects.create(
        channel=channel,
        recipient=recipient,
        recipient_index=index,
        template=template,
        params=json.dumps(dict(params), ensure_ascii=False, default=str),
        sensitive=sensitive,
        status=OutboundMessage.Status.WITHHELD if suppressed else OutboundMessage.Status.QUEUED,
    )
    if not suppressed:
        message_id = str(message.pk)
        transaction.on_commit(lambda: _enqueue(message_id))
    return message


def _enqueue(message_id: str) -> None:
    from hrss.notify.tasks import deliver_message

    deliver_message.enqueue(message_id)


def send_sms(
    *, phone: str, template: str, params: Mapping[str, Any], sensitive: bool = False, reply: bool = False
) -> OutboundMessage:
    """Text a mainland mobile number. ``sensitive`` erases the parameters once delivered (one-time codes);
    ``reply``: an answer to the recipient's own text, sent even after an opt-out."""
    return _message_create(
        channel=Channel.SMS,
        recipient=phone_normalise(phone),
        template=template,
        params=params,
        sensitive=sensitive,
        reply=reply,
    )


def send_wechat(*, openid: str, template: str, params: Mapping[str, Any]) -> OutboundMessage:
    """A WeChat template message to a user of the bureau's official account (by openid)."""
    if not openid.strip():
        raise InvalidInput(_("A WeChat recipient is needed."), code="invalid_recipient")
    return _message_create(
        channel=Channel.WECHAT, recipient=openid.strip(), template=template, params=params, sensitive=False
    )


def send_in_app(*, user_id: uuid.UUID | str, template: str, params: Mapping[str, Any]) -> OutboundMessage:
    """A message in the account's inbox on the web hall and the app."""
    return _message_create(
        channel=Channel.IN_APP, recipient=str(user_id), template=template, params=params, sensitive=False
    )


def message_deliver(*, message_id: uuid.UUID | str) -> OutboundMessage:
    """Hand a queued message to its channel's backend (run by the ``deliver_message`` task).

    Idempotent: a message already sent is not sent again.
    """
    with transaction.atomic():
        message = OutboundMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None:
            raise NotFound()
        if message.status in (OutboundMessage.Status.SENT, OutboundMessage.Status.WITHHELD):
            return message  # sent already, or withheld after an opt-out: never sent
        message.attempts += 1
        try:
            # A template that cannot render (unknown in this process, a parameter missing, a
            # broken translation) is a failure of this message: recorded with the reason,
            # never a row left queued.
            params = json.loads(message.params or "{}")
            text = template_render(message.template, params)
        except (InvalidInput, ValueError) as exc:
            message.status = OutboundMessage.Status.FAILED
            message.error = _failure_reason(exc)
            message.save()
            return message
        backend_path, backend = backend_for(message.channel)
        envelope = Envelope(
            message_id=str(message.pk),
            channel=message.channel,
            recipient=message.recipient,
            template=message.template,
            params=params,
            text=text,
        )
        message.backend = backend_path
        try:
            message.provider_id = backend.send(envelope)[:120]
        except DeliveryError as exc:
            message.status = OutboundMessage.Status.FAILED
            message.error = str(exc)[:300]
        else:
            message.status = OutboundMessage.Status.SENT
            message.sent_at = timezone.now()
            message.error = ""
            if message.sensitive:
                message.params = ""
        message.save()
    return message


def _failure_reason(exc: Exception) -> str:
    """Why a message failed, in English for the operator (admin, logs)."""
    if isinstance(exc, InvalidInput):
        with translation.override("en"):
            fields = ", ".join(f"{k}={v}" for k, v in (exc.fields or {}).items())
            return f"{exc.code}: {exc.message} ({fields})"[:300]
    return f"{type(exc).__name__}: {exc}"[:300]


def in_app_mark_read(*, user_id: uuid.UUID | str, message_id: uuid.UUID | str) -> None:
    updated = OutboundMessage.objects.filter(
        pk=message_id, channel=Channel.IN_APP, recipient_index=recipient_index(Channel.IN_APP, str(user_id))
    ).update(read_at=timezone.now())
    if not updated:
        raise NotFound()


def opt_out(*, channel: str, recipient: str, source: str) -> bool:
    """No more notices to ``recipient`` on ``channel`` (a phone for SMS, an openid for WeChat); True if new."""
    if channel == Channel.SMS:
        recipient = phone_normalise(recipient)
    _created, created = OptOut.objects.get_or_create(
        channel=channel, recipient_index=recipient_index(channel, recipient), defaults={"source": source[:20]}
    )
    return created


def opt_in(*, channel: str, recipient: str) -> bool:
    """Notices again; True if there was an opt-out."""
    if channel == Channel.SMS:
        recipient = phone_normalise(recipient)
    deleted, _rows = OptOut.objects.filter(
        channel=channel, recipient_index=recipient_index(channel, recipient)
    ).delete()
    return bool(deleted)


def opted_out(*, channel: str, recipient: str) -> bool:
    if channel == Channel.SMS:
        recipient = phone_normalise(recipient)
    return OptOut.objects.filter(channel=channel, recipient_index=recipient_index(channel, recipient)).exists()
