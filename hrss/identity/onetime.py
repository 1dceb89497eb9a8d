"""One-time codes sent by SMS (A6): hashed at rest, short-lived, single use, few attempts,
rate-limited per phone.

Verification runs in its own transaction and raises only after it has committed, so a
wrong guess is counted even when the caller's request fails.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import uuid
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hrss.core.crypto import blind_index
from hrss.core.errors import Conflict, DomainError, InvalidInput
from hrss.identity import rules
from hrss.identity.models import OneTimeCode
from hrss.notify.services import phone_normalise, send_sms

PHONE_INDEX_PURPOSE = "identity.phone"
CODE_DIGITS = 6


class RateLimited(DomainError):
    status = 429
    code = "rate_limited"
    default_message = _("Too many codes were requested for this number. Please wait a little and try again.")


class CodeInvalid(InvalidInput):
    code = "code_invalid"
    default_message = _("The code is not correct.")


class CodeExpired(InvalidInput):
    code = "code_expired"
    default_message = _("The code has expired. Ask for a new one.")


class CodeUsed(Conflict):
    code = "code_used"
    default_message = _("The code has already been used. Ask for a new one.")


class CodeAttemptsExceeded(RateLimited):
    code = "code_attempts_exceeded"
    default_message = _("Too many wrong codes. Ask for a new one.")


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def phone_index(phone: str) -> str:
    return blind_index(phone, purpose=PHONE_INDEX_PURPOSE)


def _code_hash(challenge_id: uuid.UUID | str, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"one-time-code\x1f{challenge_id}\x1f{code}".encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def code_issue(
    *,
    purpose: str,
    phone: str,
    context: Mapping[str, Any],
    template: str = "otp_code",
    template_params: Mapping[str, Any] | None = None,
) -> OneTimeCode:
    """Create a code for ``purpose`` and text it to ``phone`` (after commit)."""
    phone = phone_normalise(phone)
    index = phone_index(phone)
    now = timezone.now()
    recent = OneTimeCode.objects.filter(destination_index=index, created_at__gte=now - dt.timedelta(hours=1))
    if not rules.send_allowed(
        now=now,
        recent=list(recent.values_list("created_at", flat=True)),
        resend_seconds=_setting("HRSS_OTP_RESEND_SECONDS", 60),
        max_per_hour=_setting("HRSS_OTP_MAX_PER_HOUR", 5),
    ):
        raise RateLimited()
    ttl = _setting("HRSS_OTP_TTL_SECONDS", 300)
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    challenge = OneTimeCode(
        purpose=purpose, destination_index=index, context=dict(context), expires_at=now + dt.timedelta(seconds=ttl)
    )
    challenge.code_hash = _code_hash(challenge.pk, code)
    challenge.save(force_insert=True)
    send_sms(
        phone=phone,
        template=template,
        params={**(template_params or {}), "code": code, "minutes": max(1, ttl // 60)},
        sensitive=True,
    )
    return challenge


def code_verify(*, challenge_id: uuid.UUID | str | None, purpose: str, code: str) -> dict[str, Any]:
    """Consume the code if it is right; return the context it was issued with."""
    try:
        key = uuid.UUID(str(challenge_id))
    except ValueError:
        raise CodeInvalid() from None
    code = (code or "").strip()
    error: DomainError | None = None
    with transaction.atomic():
        challenge = OneTimeCode.objects.select_for_update().filter(pk=key, purpose=purpose).first()
        if challenge is None:
            raise CodeInvalid()
        now = timezone.now()
        max_attempts = _setting("HRSS_OTP_MAX_ATTEMPTS", 5)
        state = rules.code_state(
            now=now,
            expires_at=challenge.expires_at,
            used_at=challenge.used_at,
            attempts=challenge.attempts,
            max_attempts=max_attempts,
        )
        if state is rules.CodeState.USED:
            error = CodeUsed()
        elif state is rules.CodeState.EXHAUSTED:
            error = CodeAttemptsExceeded()
        elif state is rules.CodeState.EXPIRED:
            error = CodeExpired()
        elif hmac.compare_digest(challenge.code_hash, _code_hash(challenge.pk, code)):
            challenge.used_at = now
            challenge.save(update_fields=["used_at", "updated_at"])
        else:
            challenge.attempts += 1
            challenge.save(update_fields=["attempts", "updated_at"])
            error = CodeAttemptsExceeded() if challenge.attempts >= max_attempts else CodeInvalid()
    if error is not None:
        raise error
    return dict(challenge.context)
