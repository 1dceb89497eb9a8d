"""API authentication and the caller's scope.

Three ways in, tried in order by every API router (``auth=API_AUTH``):

- an hrss bearer token (``hrss token create``), for scripts. Tokens are created by an
  operator on the server for a named account, so they stand in for the second factor;
  revoke them in the admin when a script is retired;
- an OAuth2 access token of an agency client (client-credentials grant), which acts with
  the scopes it was granted (``hrss agency client create``);
- a browser session (CSRF-checked). A staff account's session counts only once it has
  passed its TOTP second factor.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from hrss.core.scope import AGENCY_CLIENT, Scope
from hrss.identity.models import ApiToken, ClientGrant, User

TOKEN_PREFIX = "hrss_"  # noqa: S105 - a visible prefix, not a secret


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_create(*, user: User, name: str = "cli") -> str:
    """Create a bearer token for a user; the token is shown once and only its digest kept."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=name, digest=token_digest(token), prefix=token[:8])
    return token


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        if not token.startswith(TOKEN_PREFIX):
            return None
        from hrss.identity.principals import principal_for_token

        user = principal_for_token(token_digest(token))
        if user is None:
            return None
        request.user = user
        return user


class Session(SessionAuth):
    """Session cookie (CSRF-checked for unsafe methods, as Django pages are)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is None:
            return None
        if getattr(user, "requires_second_factor", False) and not session_verified(request):
            return None
        return user


def session_verified(request: HttpRequest) -> bool:
    """Has this session passed a second factor (django-otp's ``is_verified``)?"""
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified()) if callable(is_verified) else False


class OAuth2Token(HttpBearer):
    """An agency client's access token from the client-credentials grant → its Scope."""

    def authenticate(self, request: HttpRequest, token: str) -> Scope | None:
        if token.startswith(TOKEN_PREFIX):
            return None
        from oauth2_provider.oauth2_backends import get_oauthlib_core

        valid, oauth_request = get_oauthlib_core().verify_request(request, scopes=[])
        if not valid:
            return None
        access = oauth_request.access_token
        # Tokens issued to a person through single sign-on are for userinfo, not for the API.
        if access.user_id is not None or access.application is None:
            return None
        grant = ClientGrant.objects.filter(application=access.application, kind=ClientGrant.Kind.AGENCY).first()
        if grant is None:
            return None
        return agency_scope(name=access.application.name, scopes=access.scope.split())


def agency_scope(*, name: str, scopes: list[str] | frozenset[str]) -> Scope:
    return Scope(actor=name, roles=frozenset({AGENCY_CLIENT}), districts=None, grants=frozenset(scopes))


# Tokens first: ninja's cookie authentication checks CSRF before it even looks for a session
# cookie, so with the session tried first every POST of a script, the mobile app or an
# agency system (a bearer token, no browser, no CSRF token) was refused "CSRF check Failed".
# A browser without a token still goes through the CSRF-checked session.
API_AUTH: list[Any] = [BearerToken(), OAuth2Token(), Session()]


def scope_for_user(user: Any) -> Scope:
    """Build the caller's data scope from an account; anonymous callers get an empty one."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Scope.anonymous()
    cached = getattr(user, "_hrss_scope", None)
    if cached is not None:
        return cached
    roles = user.role_codes()
    districts = None if user.city_wide else frozenset(user.districts.values_list("code", flat=True))
    scope = Scope(
        actor=user.get_username(),
        roles=roles,
        districts=districts,
        person_id=user.person_id,
        employer_id=user.employer_id,
    )
    user._hrss_scope = scope
    return scope


def request_scope(request: HttpRequest) -> Scope:
    auth = getattr(request, "auth", None)
    if isinstance(auth, Scope):
        return auth
    return scope_for_user(auth or getattr(request, "user", None))
