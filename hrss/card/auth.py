"""Authentication of the card service platform's hot path (electronic card verification).

Institutions call ``/card/verify-code`` at every counter, pharmacy till and hospital
registration desk. Checking an OAuth2 access token costs oauthlib plus two database
reads: several times the verification itself. So this router remembers a checked
agency token, per process, for at most ``HRSS_CARD_AUTH_CACHE_SECONDS`` (default 30 s)
and never past the token's own expiry. The trade-off, stated: revoking an agency token
takes effect on the card API within that many seconds rather than at once. Set the
setting to 0 to check every request.
"""

from __future__ import annotations

import hashlib
import threading
import time
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from hrss.core.scope import Scope
from hrss.identity.auth import TOKEN_PREFIX, BearerToken, OAuth2Token, Session

_MAX_ENTRIES = 10_000
_cache: dict[str, tuple[float, Scope]] = {}
_lock = threading.Lock()


def _cache_seconds() -> float:
    return float(getattr(settings, "HRSS_CARD_AUTH_CACHE_SECONDS", 30))


def auth_cache_clear() -> None:
    with _lock:
        _cache.clear()


class CachedAgencyToken(HttpBearer):
    """An agency client's OAuth2 access token → its Scope, remembered briefly (see the module docstring)."""

    def __init__(self) -> None:
        super().__init__()
        self._check = OAuth2Token()

    def authenticate(self, request: HttpRequest, token: str) -> Scope | None:
        if token.startswith(TOKEN_PREFIX):
            return None
        digest = hashlib.sha256(token.encode()).hexdigest()
        hit = _cache.get(digest)
        if hit is not None and hit[0] > time.monotonic():
            return hit[1]
        scope = self._check.authenticate(request, token)
        if scope is None:
            with _lock:
                _cache.pop(digest, None)
            return None
        seconds = _cache_seconds()
        if seconds > 0:
            from oauth2_provider.models import get_access_token_model

            expires = (
                get_access_token_model().objects.filter(token_checksum=digest).values_list("expires", flat=True).first()
            )
            if expires is not None:
                seconds = min(seconds, (expires - timezone.now()).total_seconds())
            if seconds > 0:
                with _lock:
                    if len(_cache) >= _MAX_ENTRIES:
                        _cache.clear()
                    _cache[digest] = (time.monotonic() + seconds, scope)
        return scope


# Tokens first: ninja's cookie authentication checks CSRF before it looks for a session
# cookie, so with the session tried first every POST from a hospital's or pharmacy's
# system (a bearer token, no browser) would be refused "CSRF check Failed". A browser
# without a token still goes through the CSRF-checked session.
CARD_API_AUTH: list[Any] = [BearerToken(), CachedAgencyToken(), Session()]
