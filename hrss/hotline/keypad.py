"""Keypad queries for the IVR platform (A1, #24): identity check, then the caller's own facts
as plain Chinese sentences for text-to-speech.

The IVR platform is an agency client with the grant ``hotline:ivr``. A call goes:

1. ``identify(caller=..., id_number=...)``: the calling number must be the mobile number of
   a real-name account (identity's blind index) whose person has that ID number (keyed with
   ``*`` for X). A one-time code goes by SMS to that number (identity's one-time codes:
   hashed, short-lived, single use, a few attempts, rate-limited per phone).
2. ``verify(challenge=..., code=...)``: the code keyed in returns a signed session for this
   call, valid ``SESSION_SECONDS``.
3. ``query(session=..., name=...)``: ``contribution_months``, ``latest_payment`` (from the
   apps that declare ``hotline_queries`` on their AppConfig: insurance) or
   ``application_status`` (the hall). Every read of a person's data is audited.
"""

from __future__ import annotations

import datetime as dt
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrss.codes.identifiers import parse_id_number
from hrss.core.audit import audit_record
from hrss.core.errors import DomainError, InvalidInput, NotFound, PermissionDenied
from hrss.core.scope import Scope
from hrss.identity import onetime
from hrss.identity.models import OneTimeCode, User
from hrss.notify.services import phone_normalise
from hrss.servicehall.channels import status_text
from hrss.servicehall.models import Application

GRANT = "hotline:ivr"
SESSION_SECONDS = 15 * 60
SESSION_SALT = "hrss.hotline.ivr.session"
PURPOSE = OneTimeCode.Purpose.HOTLINE
APPLICATION_STATUS = "application_status"
Provider = Callable[..., dict[str, Any]]
_providers: dict[str, Provider] = {}


class SessionInvalid(DomainError):
    status = 401
    code = "ivr_session_invalid"
    default_message = gettext_lazy("The identity check has expired. Please start again.")


def register_provider(name: str, provider: Provider) -> Provider:
    """``provider(person_id=...)`` returns the facts of query ``name`` (``AppConfig.hotline_queries``)."""
    _providers[name] = provider
    return provider


def unregister_provider(name: str) -> None:
    _providers.pop(name, None)


def query_names() -> list[str]:
    return sorted({*_providers, APPLICATION_STATUS})


def _require(scope: Scope) -> None:
    if GRANT not in scope.grants:
        raise PermissionDenied(_("Only the IVR platform may ask this."), code="ivr_grant_missing")


@dataclass(frozen=True)
class Challenge:
    challenge: str
    text: str


def identify(*, scope: Scope, caller: str, id_number: str) -> Challenge:
    """Send a one-time code to the caller's phone if it belongs to the account of that ID number."""
    _require(scope)
    phone = phone_normalise(caller)
    number = parse_id_number(id_number.replace("*", "X")).value
    user = (
        User.objects.select_related("person")
        .filter(phone_index=onetime.phone_index(phone), is_active=True, person__isnull=False)
        .first()
    )
    matches = user is not None and user.person is not None and hmac.compare_digest(user.person.id_number, number)
    audit_record(
        actor=scope.actor,
        action="hotline.ivr.identify",
        object_type="registry.person",
        object_id=str(user.person_id) if matches and user is not None else "",
        purpose="12333 keypad query: identity check",
        detail={"matched": matches},
    )
    if not matches or user is None:
        raise NotFound(
            _(
                "This phone number and ID number do not match an account. Please call from the mobile number you registered."
            ),
            code="ivr_identity_unknown",
        )
    challenge = onetime.code_issue(purpose=PURPOSE, phone=phone, context={"user": str(user.pk)})
    return Challenge(str(challenge.pk), _("A code has been sent to your phone by SMS. Please key in the six digits."))


@dataclass(frozen=True)
class Session:
    session: str
    expires_at: dt.datetime
    text: str


def verify(*, scope: Scope, challenge: str, code: str) -> Session:
    """The code the caller keyed in → a signed session for the rest of the call."""
    _require(scope)
    context = onetime.code_verify(challenge_id=challenge, purpose=PURPOSE, code=code)
    token = signing.dumps({"user": context["user"], "client": scope.actor}, salt=SESSION_SALT, compress=True)
    expires = timezone.now() + dt.timedelta(seconds=SESSION_SECONDS)
    return Session(token, expires, _("Thank you, your identity has been checked."))


def _session_user(scope: Scope, session: str) -> User:
    try:
        data = signing.loads(session, salt=SESSION_SALT, max_age=SESSION_SECONDS)
    except signing.BadSignature:
        raise SessionInvalid() from None
    if data.get("client") != scope.actor:
        raise SessionInvalid()
    user = User.objects.filter(pk=data.get("user"), is_active=True, person__isnull=False).first()
    if user is None:
        raise SessionInvalid()
    return user


def _yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def _speak(name: str, facts: dict[str, Any]) -> str:
    if name == "contribution_months":
        months = int(facts["months"])
        return _(
            "You have paid pension contributions for %(months)s months in total, that is %(years)s years and %(rest)s months."
        ) % {
            "months": months,
            "years": months // 12,
            "rest": months % 12,
        }
    if name == "latest_payment":
        period = facts.get("period")
        if period is None:
            return _("There is no contribution on record for you yet.")
        return _(
            "Your latest contribution is for %(year)s-%(month)s: your employer paid %(employer)s yuan and you paid %(individual)s yuan."
        ) % {
            "year": period.year,
            "month": f"{period.month:02d}",
            "employer": _yuan(int(facts["employer_fen"])),
            "individual": _yuan(int(facts["individual_fen"])),
        }
    raise NotFound(_("No such query."), code="ivr_query_unknown")


def query(*, scope: Scope, session: str, name: str) -> str:
    """One keypad query for the identified caller, as a sentence to read aloud; audited."""
    _require(scope)
    user = _session_user(scope, session)
    if name not in query_names():
        raise InvalidInput(_("No such query."), code="ivr_query_unknown", fields={"query": ", ".join(query_names())})
    audit_record(
        actor=scope.actor,
        action=f"hotline.ivr.{name}",
        object_type="registry.person",
        object_id=str(user.person_id),
        purpose="12333 keypad query by the person, after an SMS code",
    )
    if name == APPLICATION_STATUS:
        latest = (
            Application.objects.select_related("item")
            .filter(applicant_person_id=user.person_id)
            .order_by("-submitted_at")
            .first()
        )
        return status_text(latest) if latest is not None else _("You have no applications yet.")
    return _speak(name, _providers[name](person_id=user.person_id))
