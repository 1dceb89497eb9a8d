"""Delivery backends: where a message goes once it is committed.

``HRSS_SMS_BACKEND``, ``HRSS_WECHAT_BACKEND`` and ``HRSS_IN_APP_BACKEND`` name a class
here (or any class with the same ``send`` method). Development records; production posts
to the provider's gateway over HTTP with a signed body.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx
from django.conf import settings
from django.utils.module_loading import import_string

from hrss.core.logging import mask_phone

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Hrss-Signature"
TIMESTAMP_HEADER = "X-Hrss-Timestamp"

DEFAULT_BACKENDS = {
    "sms": "hrss.notify.backends.RecordingBackend",
    "wechat": "hrss.notify.backends.RecordingBackend",
    "in_app": "hrss.notify.backends.InAppBackend",
}
SETTING_NAMES = {"sms": "HRSS_SMS_BACKEND", "wechat": "HRSS_WECHAT_BACKEND", "in_app": "HRSS_IN_APP_BACKEND"}


class DeliveryError(Exception):
    """The provider refused or could not be reached; the message is marked failed."""


@dataclass(frozen=True)
class Envelope:
    message_id: str
    channel: str
    recipient: str
    template: str
    params: dict[str, Any]
    text: str = field(default="")


class Backend(Protocol):
    def send(self, envelope: Envelope) -> str:
        """Deliver the message; return the provider's message id or raise DeliveryError."""
        ...


# Messages the recording backend has "sent", newest last (like django.core.mail.outbox).
outbox: list[Envelope] = []


def _masked(envelope: Envelope) -> str:
    return mask_phone(envelope.recipient) if envelope.channel == "sms" else envelope.recipient[:4] + "…"


class RecordingBackend:
    """Development and tests: records the message, sends nothing.

    The text (which may hold a one-time code) goes to the log so a developer can sign
    in; the recipient is masked there. Never configure this in production.
    """

    def send(self, envelope: Envelope) -> str:
        outbox.append(envelope)
        logger.info("recorded %s to %s: %s", envelope.channel, _masked(envelope), envelope.text)
        return f"recorded-{envelope.message_id}"


class InAppBackend:
    """In-app messages are the rows themselves: the inbox reads them, nothing leaves."""

    def send(self, envelope: Envelope) -> str:
        return f"in-app-{envelope.message_id}"


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """Hex HMAC-SHA256 over ``timestamp + "." + body``: the gateway checks both."""
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


class HttpJsonBackend:
    """Posts ``{"id", "channel", "to", "template", "params"}`` as JSON to a provider gateway.

    The body is signed (``X-Hrss-Signature``, HMAC-SHA256 with a shared secret over the
    timestamp and body) and the gateway answers ``{"id": "<provider message id>"}``.
    """

    url_setting = ""
    secret_setting = ""

    def __init__(self, *, url: str | None = None, secret: str | None = None, timeout: float | None = None) -> None:
        self.url: str = url or getattr(settings, self.url_setting, "") or ""
        self.secret: str = secret or getattr(settings, self.secret_setting, "") or ""
        self.timeout = timeout or float(getattr(settings, "HRSS_NOTIFY_HTTP_TIMEOUT", 5.0))

    def send(self, envelope: Envelope) -> str:
        if not self.url:
            raise DeliveryError(f"{self.url_setting} is not configured")
        body = json.dumps(
            {
                "id": envelope.message_id,
                "channel": envelope.channel,
                "to": envelope.recipient,
                "template": envelope.template,
                "params": envelope.params,
            },
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode()
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: sign(self.secret, timestamp, body),
        }
        try:
            response = httpx.post(self.url, content=body, headers=headers, timeout=self.timeout)
        except httpx.HTTPError as exc:
            raise DeliveryError(f"gateway unreachable: {type(exc).__name__}") from exc
        if response.status_code >= 400:
            raise DeliveryError(f"gateway answered {response.status_code}")
        try:
            provider_id = str(response.json()["id"])
        except (ValueError, KeyError, TypeError) as exc:
            raise DeliveryError("gateway answer has no message id") from exc
        return provider_id


class HttpSmsBackend(HttpJsonBackend):
    url_setting = "HRSS_SMS_URL"
    secret_setting = "HRSS_SMS_SECRET"  # noqa: S105 - the name of a setting, not a secret


class HttpWechatBackend(HttpJsonBackend):
    """WeChat template messages through the bureau's own WeChat gateway (which holds the app secret)."""

    url_setting = "HRSS_WECHAT_URL"
    secret_setting = "HRSS_WECHAT_SECRET"  # noqa: S105 - the name of a setting, not a secret


def backend_for(channel: str) -> tuple[str, Backend]:
    path = getattr(settings, SETTING_NAMES[channel], "") or DEFAULT_BACKENDS[channel]
    return path, import_string(path)()
