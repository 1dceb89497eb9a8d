"""API authentication (session or bearer token) and the caller's scope."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from hrss.core.scope import Scope
from hrss.identity.models import ApiToken, User

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
        found = (
            ApiToken.objects.select_related("user")
            .filter(digest=token_digest(token), revoked=False, user__is_active=True)
            .first()
        )
        if found is None or (found.expires_at and found.expires_at < timezone.now()):
            return None
        request.user = found.user
        return found.user


class Session(SessionAuth):
    """Session cookie (CSRF-checked for unsafe methods, as Django pages are)."""


API_AUTH: list[Any] = [Session(), BearerToken()]


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
    return scope_for_user(getattr(request, "auth", None) or getattr(request, "user", None))
