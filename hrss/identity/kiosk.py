"""Signing in at a self-service kiosk (自助一体机, the kiosk channel of S1/A6).

A kiosk is a shared machine in a service hall: nobody types a user name and password
there. A holder signs in with

1. the social security card in the kiosk's reader (``hrss.identity.cardreader``) and its
   service PIN;
2. the electronic card's dynamic code, held to the kiosk's scanner; or
3. the ID number (checked with python-stdnum) and a face check through the biometric
   provider (``hrss.identity.biometrics``) of the kiosk camera's capture.

The card facts come from the card app through the ``card_signin`` and ``ecard_signin``
declarations on its AppConfig, collected here in ``IdentityConfig.ready()``: identity never
imports a domain app. Every attempt is written to the audit chain; failures count towards
django-axes' lockout under a key per card, per ID number (its blind index, never the number)
or, for codes, per terminal. A kiosk session is marked as such, ends after
``HRSS_KIOSK_IDLE_SECONDS`` without activity (``KioskSessionMiddleware`` on the server,
``identity/kiosk.js`` in the page) and never passes a re-authentication.
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Callable
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.utils import reset as axes_reset
from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrss.codes.identifiers import parse_id_number
from hrss.core.audit import audit_record
from hrss.core.crypto import blind_index
from hrss.core.errors import DomainError, InvalidInput, NotFound, PermissionDenied
from hrss.core.scope import Scope
from hrss.identity import biometrics, cardreader, services
from hrss.identity.middleware import SEEN_KEY
from hrss.identity.models import User
from hrss.registry import selectors as registry
from hrss.registry.services import id_number_index

# The browser is a kiosk (set by the hall's kiosk start page, cleared by "leave kiosk mode").
KIOSK_COOKIE = "hrss_kiosk"
# Which terminal this browser is (its reader), from the kiosk's start address ?terminal=...
TERMINAL_COOKIE = "hrss_kiosk_terminal"
DEFAULT_TERMINAL = "kiosk"
# The session signed in at a kiosk: {"terminal", "method"}.
SESSION_KEY = "hrss_kiosk_session"
ACTOR_ROLE = "kiosk"
CARD, ECARD, FACE = "card", "ecard", "face"
FACE_PURPOSE = "kiosk sign-in"

_card_signin: list[Callable[..., uuid.UUID]] = []
_ecard_signin: list[Callable[..., uuid.UUID]] = []


class KioskLocked(DomainError):
    status = 429
    code = "kiosk_locked"
    default_message = gettext_lazy(
        "Too many failed attempts. Please wait a quarter of an hour and try again, or ask at the counter."
    )


class CardSigninUnavailable(DomainError):
    status = 503
    code = "card_signin_unavailable"
    default_message = gettext_lazy("Signing in with the card is not available here. Please use your ID number.")


def providers_collect() -> None:
    """Take the ``card_signin``/``ecard_signin`` dotted paths other apps declare (IdentityConfig.ready())."""
    _card_signin.clear()
    _ecard_signin.clear()
    for config in apps.get_app_configs():
        for attribute, registry_list in (("card_signin", _card_signin), ("ecard_signin", _ecard_signin)):
            path = getattr(config, attribute, None)
            if path:
                registry_list[:] = [import_string(path)]


def card_holder(*, number: str, pin: str) -> uuid.UUID:
    """The holder of a card in service whose PIN is right (the card app's ``card_signin``), for
    other places that take the card in a reader, such as a hospital's settlement."""
    if not _card_signin:
        raise CardSigninUnavailable()
    return _card_signin[0](number=number, pin=pin)


def ecard_holder(*, code: str) -> uuid.UUID:
    """The person whose electronic card showed this dynamic code (the card app's ``ecard_signin``),
    for other places that identify a holder by the code, such as a training site's attendance."""
    if not _ecard_signin:
        raise CardSigninUnavailable()
    return _ecard_signin[0](code=code)


def idle_seconds() -> int:
    return max(int(getattr(settings, "HRSS_KIOSK_IDLE_SECONDS", 120)), 10)


def start_url() -> str:
    """The kiosk's start page (the hall's kiosk home): where a kiosk returns after sign-out."""
    return reverse("servicehall:kiosk")


def idle_message(request: HttpRequest) -> None:
    messages.info(request, _("You were signed out because the kiosk was not used for a while."))


def terminal_of(request: HttpRequest) -> str:
    value = request.COOKIES.get(TERMINAL_COOKIE, "")
    return value if cardreader.TERMINAL_PATTERN.match(value) else DEFAULT_TERMINAL


def is_kiosk_session(request: HttpRequest) -> bool:
    session = getattr(request, "session", None)
    return bool(session is not None and session.get(SESSION_KEY))


def _audit(
    *,
    terminal: str,
    method: str,
    outcome: str,
    person_id: Any = None,
    reason: str = "",
    extra: dict[str, Any] | None = None,
) -> None:
    with transaction.atomic():
        audit_record(
            actor=f"kiosk:{terminal}",
            actor_role=ACTOR_ROLE,
            action="identity.kiosk.signin" if outcome != "signed_out" else "identity.kiosk.signout",
            object_type="person" if person_id else "",
            object_id=str(person_id or ""),
            purpose="kiosk sign-in",
            detail={"method": method, "outcome": outcome, "reason": reason, **(extra or {})},
        )


def _citizen_account(person_id: uuid.UUID) -> User:
    user = User.objects.filter(person_id=person_id, is_active=True).first()
    if user is None:
        raise NotFound(
            _("You have no online account yet. Sign up with your real name on the website, or ask at the counter."),
            code="no_account",
        )
    if user.requires_second_factor:
        # Staff accounts sign in with a second factor; a kiosk is for citizens' own business.
        raise PermissionDenied(_("This account cannot sign in at a kiosk."), code="kiosk_not_for_staff")
    return user


def _attempt(request: HttpRequest, *, terminal: str, method: str, key: str, check: Callable[[], uuid.UUID]) -> User:
    """Run one sign-in check under the lockout: audit it, count a failure, reset on success."""
    credentials = {"username": key}
    if not AxesProxyHandler.is_allowed(request, credentials):
        _audit(terminal=terminal, method=method, outcome="locked", reason=KioskLocked.code)
        raise KioskLocked()
    person_id = None
    try:
        person_id = check()
        user = _citizen_account(person_id)
    except DomainError as error:
        _audit(terminal=terminal, method=method, outcome="refused", person_id=person_id, reason=error.code)
        if error.status < 500:  # a device or provider out of order is nobody's wrong guess
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            if getattr(request, "axes_locked_out", False):
                # This failure reached the limit. Say so on the kiosk's own page, rather than
                # django-axes' password lockout page (AxesMiddleware answers when this flag is set).
                request.axes_locked_out = False  # type: ignore[attr-defined]
                raise KioskLocked() from error
        raise
    axes_reset(username=key)
    _audit(terminal=terminal, method=method, outcome="signed_in", person_id=person_id)
    return user


def _no_card() -> InvalidInput:
    return InvalidInput(_("There is no card in the reader. Insert your card, chip first."), code="card_absent")


def signin_by_card(request: HttpRequest, *, pin: str) -> User:
    """The card in this terminal's reader, and its PIN."""
    terminal = terminal_of(request)
    chosen = cardreader.reader()
    if chosen is None or not _card_signin:
        _audit(terminal=terminal, method=CARD, outcome="refused", reason=CardSigninUnavailable.code)
        raise CardSigninUnavailable()
    try:
        card = chosen.read(terminal=terminal)
    except DomainError as error:
        _audit(terminal=terminal, method=CARD, outcome="refused", reason=error.code)
        raise
    if card is None:
        _audit(terminal=terminal, method=CARD, outcome="refused", reason="card_absent")
        raise _no_card()
    key = "kiosk:card:" + blind_index(card.card_number.upper(), purpose="kiosk-card")[:32]

    def check() -> uuid.UUID:
        return _card_signin[0](
            number=card.card_number,
            pin=pin,
            chip_serial=card.chip_serial,
            social_security_number=card.social_security_number,
        )

    try:
        return _attempt(request, terminal=terminal, method=CARD, key=key, check=check)
    except DomainError as error:
        if error.code != "card_pin_wrong":  # a wrong PIN may be typed again; anything else: card back
            chosen.eject(terminal=terminal)
        raise


def signin_by_ecard_code(request: HttpRequest, *, code: str) -> User:
    """The electronic card's dynamic code, as the kiosk's scanner typed it."""
    terminal = terminal_of(request)
    if not _ecard_signin:
        _audit(terminal=terminal, method=ECARD, outcome="refused", reason=CardSigninUnavailable.code)
        raise CardSigninUnavailable()
    return _attempt(
        request,
        terminal=terminal,
        method=ECARD,
        key=f"kiosk:ecard:{terminal}",
        check=lambda: _ecard_signin[0](code=code),
    )


def signin_by_face(request: HttpRequest, *, id_number: str, face_reference: str) -> User:
    """The ID number and the kiosk camera's capture, compared by the biometric provider."""
    terminal = terminal_of(request)
    try:
        value = parse_id_number(id_number).value
    except InvalidInput as error:
        _audit(terminal=terminal, method=FACE, outcome="refused", reason=error.code)
        raise
    reference = face_reference.strip()
    if not reference:
        _audit(terminal=terminal, method=FACE, outcome="refused", reason="face_not_captured")
        raise InvalidInput(
            _("No face was captured. Look into the camera until the frame turns green, then try again."),
            code="face_not_captured",
            fields={"face_reference": _("Look into the camera first.")},
        )
    index = id_number_index(value)

    def check() -> uuid.UUID:
        not_confirmed = PermissionDenied(
            _(
                "We could not confirm that this ID number is yours. Look into the camera and try again, or use your card."
            ),
            code="face_not_matched",
        )
        person = registry.person_queryset(scope=Scope.system(f"kiosk:{terminal}")).filter(id_number_index=index).first()
        if person is None:  # the same answer as a mismatch: the kiosk tells no one who is registered
            raise not_confirmed
        result = biometrics.biometric_compare(
            person=person,
            kind="liveness_video",
            reference=reference[:300],
            purpose=FACE_PURPOSE,
            actor=f"kiosk:{terminal}",
            actor_role=ACTOR_ROLE,
        )
        if not result.matched:
            raise not_confirmed
        return person.pk  # type: ignore[no-any-return]  # a UUID primary key

    return _attempt(request, terminal=terminal, method=FACE, key=f"kiosk:id:{index[:32]}", check=check)


def session_start(request: HttpRequest, user: User, *, method: str) -> None:
    """Sign the account in as a kiosk session: short-lived, never counted as a recent password."""
    terminal = terminal_of(request)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    now = time.time()
    request.session[SESSION_KEY] = {"terminal": terminal, "method": method}
    request.session[SEEN_KEY] = now
    request.session.set_expiry(idle_seconds())
    request.session.save()
    services.session_record(
        user=user,
        session_key=request.session.session_key or "",
        method=f"kiosk_{method}",
        user_agent=request.headers.get("User-Agent", ""),
        ip_address=request.META.get("REMOTE_ADDR"),
    )


def session_end(request: HttpRequest, *, reason: str) -> None:
    """Sign a kiosk session out: give the card back, close the session record, audit why."""
    from django.contrib.auth import logout

    marker = request.session.get(SESSION_KEY) or {}
    terminal = str(marker.get("terminal") or terminal_of(request))
    user_id = getattr(request.user, "pk", None)
    person_id = getattr(request.user, "person_id", None)
    chosen = cardreader.reader()
    if chosen is not None and marker.get("method") == CARD:
        # A broken reader keeps the card; the terminal's own alarm calls the staff for that.
        with contextlib.suppress(DomainError):
            chosen.eject(terminal=terminal)
    services.session_closed(session_key=request.session.session_key)
    logout(request)
    if user_id is not None:
        _audit(
            terminal=terminal,
            method=str(marker.get("method") or ""),
            outcome="signed_out",
            person_id=person_id,
            reason=reason,
        )
