"""Bearer tokens resolved to their principal (account, roles, data scope) once per process.

Every API request with a bearer token used to join the token to its account, read the
account's roles and districts: three queries before any work. This keeps the answer in a
small per-process cache for ``HRSS_PRINCIPAL_CACHE_SECONDS`` (default 5):

- a change in this process (token revoked or deleted, account deactivated or edited, roles
  or districts changed) drops the account's entries at once (signals below);
- another process sees such a change within those seconds at the latest: the promise
  stated in docs/operations.md. An expired token is refused at once (checked every time).

Each request gets its own shallow copy of the cached account, so per-request attributes
never leak between requests.
"""

from __future__ import annotations

import copy
import datetime as dt
import threading
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone

from hrss.identity.models import ApiToken, User

MAX_ENTRIES = 4096


@dataclass(frozen=True)
class _Entry:
    user: User
    expires_at: dt.datetime | None
    fresh_until: float


_entries: dict[str, _Entry] = {}
_lock = threading.Lock()


def _ttl() -> float:
    return float(getattr(settings, "HRSS_PRINCIPAL_CACHE_SECONDS", 5))


def principal_for_token(digest: str) -> User | None:
    """The active account a token digest stands for (with its scope computed), or ``None``."""
    now = time.monotonic()
    entry = _entries.get(digest)
    if entry is None or entry.fresh_until <= now:
        entry = _load(digest, now)
        if entry is None:
            return None
    if entry.expires_at is not None and entry.expires_at < timezone.now():
        return None
    return copy.copy(entry.user)


def _load(digest: str, now: float) -> _Entry | None:
    from hrss.identity.auth import scope_for_user

    found = ApiToken.objects.select_related("user").filter(digest=digest, revoked=False, user__is_active=True).first()
    if found is None:
        with _lock:
            _entries.pop(digest, None)
        return None
    scope_for_user(found.user)  # roles and districts, read once and kept on the cached account
    ttl = _ttl()
    entry = _Entry(found.user, found.expires_at, now + ttl)
    if ttl > 0:
        with _lock:
            if len(_entries) >= MAX_ENTRIES:
                _entries.pop(next(iter(_entries)))
            _entries[digest] = entry
    return entry


def principals_forget(*, user_id: Any = None) -> None:
    """Drop one account's cached tokens (or all of them)."""
    with _lock:
        if user_id is None:
            _entries.clear()
            return
        for digest in [d for d, e in _entries.items() if e.user.pk == user_id]:
            del _entries[digest]


# --- invalidation in this process (connected in IdentityConfig.ready()) ----------------------


def token_changed(sender: Any, instance: ApiToken, **kwargs: Any) -> None:
    principals_forget(user_id=instance.user_id)


def user_changed(sender: Any, instance: User, **kwargs: Any) -> None:
    principals_forget(user_id=instance.pk)


def memberships_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Roles or districts of an account changed (either side of the relation)."""
    if isinstance(instance, User):
        principals_forget(user_id=instance.pk)
    else:
        principals_forget()
