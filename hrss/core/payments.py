"""Payment providers (支付渠道): the generic adapter every app that collects money uses.

What an app asks a provider for is a ``Charge``; the provider answers with a
``GatewayResult`` and later calls back with a ``Notification`` that the gateway
authenticates. The apps keep their own orders (the card's ``PaymentOrder``, insurance's
online contribution payments); this module knows nothing of them.

Gateways are configured by name for the whole bureau in ``HRSS_PAYMENT_GATEWAYS`` (an
earlier ``HRSS_CARD_PAYMENT_GATEWAYS`` is read when the bureau-wide one is not set)::

    {"bank": {"BACKEND": "hrss.core.payments.HttpGateway",
              "OPTIONS": {"base_url": "https://pay.example-bank.cn/hrss", "merchant_id": "...", "key": "..."}},
     "thirdparty": {"BACKEND": "hrss.core.payments.HttpGateway", "OPTIONS": {...}}}

Without either setting, development records every call (``RecordingGateway``): a charge
that names the app's callback service (``Charge.notify``) is then confirmed by the payer on a
page of the platform (``hrss.core.payments_local``), which applies the same callback a
provider would send;
production settings refuse that gateway, any backend but the signed ``HttpGateway``, and an
``HttpGateway`` without a signing key or not over HTTPS, in either setting
(``production_gateway_problems``).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

import httpx
from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrss.core.errors import DomainError, InvalidInput, NotFound, PermissionDenied

SIGNATURE_HEADER = "X-Hrss-Signature"
TIMESTAMP_HEADER = "X-Hrss-Timestamp"
SETTING = "HRSS_PAYMENT_GATEWAYS"
LEGACY_SETTING = "HRSS_CARD_PAYMENT_GATEWAYS"
DEFAULT_GATEWAYS: dict[str, dict[str, Any]] = {
    "bank": {"BACKEND": "hrss.core.payments.RecordingGateway"},
    "thirdparty": {"BACKEND": "hrss.core.payments.RecordingGateway"},
}
# A signing key shorter than this is refused in production (128 bits as hex, or more).
MIN_KEY_LENGTH = 32


class GatewayError(DomainError):
    status = 502
    code = "payment_gateway_error"
    default_message = gettext_lazy("The payment provider could not be reached; nothing was charged. Try again later.")


@dataclass(frozen=True)
class GatewayResult:
    status: str  # pending | paid | failed
    gateway_reference: str = ""
    redirect_url: str = ""  # where a third-party payer confirms (QR page, app link)


@dataclass(frozen=True)
class Notification:
    reference: str
    status: str  # paid | failed
    amount: Decimal
    gateway_reference: str = ""


@dataclass(frozen=True)
class Charge:
    """What hrss asks a gateway to collect (no personal data beyond what the bank needs)."""

    reference: str
    amount: Decimal
    description: str
    method: str
    account: str = ""  # a bank account the payer has authorised for debits (the card's)
    # The app's callback service, ``fn(*, gateway_name, body, headers) -> order`` as a dotted
    # path (what its provider-callback endpoint calls), and the page the payer returns to:
    # the recording gateway's local confirmation page calls the one and links the other.
    notify: str = ""
    return_url: str = ""


class PaymentGateway(Protocol):
    name: str

    def start(self, charge: Charge) -> GatewayResult:
        """Ask for the money; raise GatewayError when the provider cannot be reached."""
        ...

    def notification(self, *, body: bytes, headers: dict[str, str]) -> Notification:
        """Read and authenticate the provider's callback; a DomainError if not authentic."""
        ...


# Charges the recording gateway has been asked for, newest last (like django.core.mail.outbox).
charges: list[tuple[str, Charge]] = []


class RecordingGateway:
    """Development and tests: records the charge; a debit of an account the payer has
    already authorised (``card_account``) is paid at once, anything else waits for
    ``notification`` (which trusts a plain JSON body: never configure this in production).

    A charge naming its app's callback service (``Charge.notify``) is sent to the platform's
    own confirmation page (``hrss.core.payments_local``), where the payer sees the order and
    confirms or cancels it, as on a provider's page; other charges to ``pay.invalid``."""

    SETTLED_AT_ONCE = ("card_account",)

    def __init__(self, name: str, **options: Any) -> None:
        self.name = name
        self.options = options
        self.settled_at_once = tuple(options.get("settled_at_once", self.SETTLED_AT_ONCE))

    def start(self, charge: Charge) -> GatewayResult:
        charges.append((self.name, charge))
        reference = f"REC{secrets.token_hex(6).upper()}"
        if charge.method in self.settled_at_once:
            return GatewayResult("paid", reference)
        if charge.notify:
            from hrss.core import payments_local  # the page's module imports this one

            return GatewayResult(
                "pending", reference, redirect_url=payments_local.confirmation_url(self, charge, reference)
            )
        return GatewayResult("pending", reference, redirect_url=f"https://pay.invalid/{reference}")

    def notification(self, *, body: bytes, headers: dict[str, str]) -> Notification:
        return notification_from_json(body)


def notification_from_json(body: bytes) -> Notification:
    """``{"reference", "status", "amount", "gateway_reference"?}`` → Notification, or a 422."""
    try:
        data = json.loads(body)
        note = Notification(
            reference=str(data["reference"]),
            status=str(data["status"]),
            amount=Decimal(str(data["amount"])),
            gateway_reference=str(data.get("gateway_reference", "")),
        )
    except (ValueError, KeyError, TypeError, ArithmeticError, AttributeError) as error:
        raise InvalidInput(_("The payment notification cannot be read.")) from error
    if not note.amount.is_finite():  # NaN or Infinity: never compared with an order's amount
        raise InvalidInput(_("The payment notification cannot be read."), fields={"amount": str(note.amount)})
    return note


def sign(key: str, timestamp: str, body: bytes) -> str:
    """Hex HMAC-SHA256 over ``timestamp + "." + body`` with the shared key."""
    return hmac.new(key.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


class HttpGateway:
    """A bank's or provider's HTTP API: JSON bodies signed with a shared HMAC key both ways.

    ``POST {base_url}/charges`` with the charge; the answer is ``{"status", "gateway_reference",
    "redirect_url"}``. Callbacks carry the same signature headers and are refused unless
    the signature matches and the timestamp is within five minutes.
    """

    MAX_SKEW_SECONDS = 300

    def __init__(
        self,
        name: str,
        *,
        base_url: str,
        merchant_id: str,
        key: str,
        timeout: float = 10.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.name, self.base_url, self.merchant_id, self.key = name, base_url.rstrip("/"), merchant_id, key
        self.client = httpx.Client(timeout=timeout, transport=transport)

    def start(self, charge: Charge) -> GatewayResult:
        body = json.dumps(
            {
                "merchant_id": self.merchant_id,
                "reference": charge.reference,
                "amount": str(charge.amount),
                "description": charge.description,
                "method": charge.method,
                "account": charge.account,
            },
            ensure_ascii=False,
        ).encode()
        timestamp = str(int(time.time()))
        try:
            response = self.client.post(
                f"{self.base_url}/charges",
                content=body,
                headers={
                    "Content-Type": "application/json",
                    TIMESTAMP_HEADER: timestamp,
                    SIGNATURE_HEADER: sign(self.key, timestamp, body),
                },
            )
            response.raise_for_status()
            data = response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise GatewayError() from error
        if not isinstance(data, dict):
            raise GatewayError()
        status = str(data.get("status", ""))
        if status not in ("pending", "paid", "failed"):
            raise GatewayError()
        return GatewayResult(status, str(data.get("gateway_reference", "")), str(data.get("redirect_url", "")))

    def notification(self, *, body: bytes, headers: dict[str, str]) -> Notification:
        timestamp = headers.get(TIMESTAMP_HEADER, "")
        signature = headers.get(SIGNATURE_HEADER, "")
        fresh = timestamp.isdigit() and abs(time.time() - int(timestamp)) <= self.MAX_SKEW_SECONDS
        if not self.key or not fresh or not hmac.compare_digest(sign(self.key, timestamp, body), signature):
            raise PermissionDenied(_("The payment notification is not authentic."), code="payment_notification_forged")
        return notification_from_json(body)


def gateways_configured() -> Mapping[str, Mapping[str, Any]]:
    """The bureau's gateways: ``HRSS_PAYMENT_GATEWAYS``, else ``HRSS_CARD_PAYMENT_GATEWAYS``,
    else the recording defaults (an empty mapping is a deliberate "no gateways")."""
    for name in (SETTING, LEGACY_SETTING):
        configured = getattr(settings, name, None)
        if configured is not None:
            return configured  # type: ignore[no-any-return]  # a settings value: a mapping by contract
    return DEFAULT_GATEWAYS


def gateway_names() -> list[str]:
    return sorted(gateways_configured())


def gateway_get(name: str) -> PaymentGateway:
    config = gateways_configured().get(name)
    if config is None:
        raise NotFound(_("No such payment gateway."), code="payment_gateway_unknown")
    gateway: PaymentGateway = import_string(config["BACKEND"])(name, **config.get("OPTIONS", {}))
    return gateway


# The backends production accepts: the HMAC-signed HTTP gateway (and the card app's old name
# for it). Any other backend, the recording one included, is refused: production cannot tell
# from a dotted path whether a backend checks the signature of a callback.
SIGNED_BACKENDS = frozenset({"hrss.core.payments.HttpGateway"})


def gateway_config_problems(config: object, *, setting: str = SETTING) -> list[str]:
    """Why a gateway configuration is unfit for production (empty: fit).

    Refused: the recording gateway (it trusts any callback), any backend that is not the
    signed ``HttpGateway`` (``SIGNED_BACKENDS``), an ``HttpGateway`` without a signing key of
    at least ``MIN_KEY_LENGTH`` characters, or not over HTTPS. Read from the dotted path
    alone, so production settings can check before any app is loaded. ``setting`` names
    the setting in the messages.
    """
    problems: list[str] = []
    if not isinstance(config, Mapping):
        return [f"{setting} must be a JSON object of name → {{BACKEND, OPTIONS}}"]
    for name, entry in config.items():
        backend = str(entry.get("BACKEND", "")) if isinstance(entry, Mapping) else ""
        if not backend:
            problems.append(f"{setting}: payment gateway {name!r} has no BACKEND")
            continue
        options = entry.get("OPTIONS") if isinstance(entry.get("OPTIONS"), Mapping) else {}
        if backend.rsplit(".", 1)[-1] == "RecordingGateway":
            problems.append(
                f"{setting}: payment gateway {name!r} is the recording gateway, which accepts unsigned callbacks"
            )
        elif backend not in SIGNED_BACKENDS:
            problems.append(
                f"{setting}: payment gateway {name!r} uses {backend!r}; production accepts only a signed "
                f"gateway ({', '.join(sorted(SIGNED_BACKENDS))})"
            )
        else:
            key = str(options.get("key") or "")
            if len(key) < MIN_KEY_LENGTH or key.startswith("dev"):
                problems.append(
                    f"{setting}: payment gateway {name!r} needs a signing key of at least {MIN_KEY_LENGTH} characters"
                )
            if not str(options.get("base_url", "")).startswith("https://"):
                problems.append(f"{setting}: payment gateway {name!r} must be reached over https://")
    return problems


def production_gateway_problems(bureau: object, legacy: object) -> list[str]:
    """Production's check of both settings: each one that is set must be fit, so an unsigned
    gateway left in the older ``HRSS_CARD_PAYMENT_GATEWAYS`` is refused even when the
    bureau-wide setting is set too (it would be used again the day that one is removed)."""
    problems: list[str] = []
    for setting, config in ((SETTING, bureau), (LEGACY_SETTING, legacy)):
        if config is not None:
            problems += gateway_config_problems(config, setting=setting)
    return problems


__all__ = [
    "DEFAULT_GATEWAYS",
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "Charge",
    "GatewayError",
    "GatewayResult",
    "HttpGateway",
    "Notification",
    "PaymentGateway",
    "RecordingGateway",
    "charges",
    "gateway_config_problems",
    "gateway_get",
    "gateway_names",
    "gateways_configured",
    "notification_from_json",
    "production_gateway_problems",
    "sign",
]
