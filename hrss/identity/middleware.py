"""Staff sessions: a second factor before anything else, and sign-out after idling (X1)."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from hrss.identity.auth import session_verified
from hrss.identity.rules import session_idle

SEEN_KEY = "hrss_seen_at"
# Paths an unverified staff session may still reach: the sign-in pages themselves, assets,
# the API (which refuses such a session on its own) and the OAuth2 back-channel endpoints.
EXEMPT_PREFIXES = (
    "/accounts/",
    "/static/",
    "/media/",
    "/i18n/",
    "/api/",
    "/healthz",
    "/.well-known/",
    "/o/token/",
    "/o/userinfo/",
    "/o/revoke_token/",
    "/o/introspect/",
)


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "requires_second_factor", False):
            now = time.time()
            idle = int(getattr(settings, "HRSS_STAFF_IDLE_SECONDS", 1800))
            if session_idle(now=now, last_seen=request.session.get(SEEN_KEY), idle_seconds=idle):
                logout(request)
                if not request.path.startswith("/api/"):
                    return _to("identity:login", request)
                return self.get_response(request)
            if now - float(request.session.get(SEEN_KEY) or 0) > 60:
                request.session[SEEN_KEY] = now
            if not session_verified(request) and not request.path.startswith(EXEMPT_PREFIXES):
                return _to("identity:otp", request)
        return self.get_response(request)


def _to(name: str, request: HttpRequest) -> HttpResponse:
    return HttpResponseRedirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")


class KioskSessionMiddleware:
    """A session signed in at a self-service kiosk ends after ``HRSS_KIOSK_IDLE_SECONDS``
    without a request (the page's own timer, ``identity/kiosk.js``, usually gets there first;
    this is the server's word on it). Every request of a kiosk session counts as activity and
    renews the session's short expiry."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        # Imported here: the kiosk module builds on this one (SEEN_KEY).
        from hrss.identity import kiosk

        self.get_response = get_response
        self.kiosk = kiosk

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.get(self.kiosk.SESSION_KEY):
            now = time.time()
            idle = self.kiosk.idle_seconds()
            if session_idle(now=now, last_seen=session.get(SEEN_KEY), idle_seconds=idle):
                self.kiosk.session_end(request, reason="idle")
                if not request.path.startswith("/api/"):
                    self.kiosk.idle_message(request)
                    return HttpResponseRedirect(self.kiosk.start_url())
                return self.get_response(request)
            session[SEEN_KEY] = now
            session.set_expiry(idle)
        return self.get_response(request)
