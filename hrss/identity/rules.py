"""Pure rules of the identity platform: password classes, name matching, one-time code state."""

from __future__ import annotations

import datetime as dt
import enum
import unicodedata
from collections.abc import Iterable

# Middle dots used in transliterated names (e.g. 阿依古丽·买买提): all count as one.
_NAME_DOTS = {"·", "•", "‧", "・", ".", "．", "･"}


def character_classes(password: str) -> int:
    """How many of lower case, upper case, digits and other characters a password uses."""
    classes = [
        any(c.islower() for c in password),
        any(c.isupper() for c in password),
        any(c.isdigit() for c in password),
        any(not c.isalnum() for c in password),
    ]
    return sum(classes)


def name_normalise(name: str) -> str:
    """Compare names the way a counter clerk would: width, spaces and middle-dot variants do not matter."""
    text = unicodedata.normalize("NFKC", name or "")
    text = "".join("·" if c in _NAME_DOTS else c for c in text)
    return "".join(text.split()).casefold()


def name_matches(registered: str, given: str) -> bool:
    return bool(name_normalise(given)) and name_normalise(registered) == name_normalise(given)


class CodeState(enum.Enum):
    USABLE = "usable"
    EXPIRED = "expired"
    USED = "used"
    EXHAUSTED = "exhausted"


def code_state(
    *, now: dt.datetime, expires_at: dt.datetime, used_at: dt.datetime | None, attempts: int, max_attempts: int
) -> CodeState:
    """A code is usable once, before it expires, while wrong guesses stay under the limit."""
    if used_at is not None:
        return CodeState.USED
    if attempts >= max_attempts:
        return CodeState.EXHAUSTED
    if now >= expires_at:
        return CodeState.EXPIRED
    return CodeState.USABLE


def send_allowed(*, now: dt.datetime, recent: Iterable[dt.datetime], resend_seconds: int, max_per_hour: int) -> bool:
    """Another code to the same phone only after ``resend_seconds`` and at most ``max_per_hour`` an hour."""
    hour_ago = now - dt.timedelta(hours=1)
    within_hour = [at for at in recent if at > hour_ago]
    if len(within_hour) >= max_per_hour:
        return False
    return all((now - at).total_seconds() >= resend_seconds for at in within_hour)


def session_idle(*, now: float, last_seen: float | None, idle_seconds: int) -> bool:
    return last_seen is not None and now - last_seen > idle_seconds


def recently_authenticated(*, now: float, authenticated_at: float | None, window_seconds: int) -> bool:
    return authenticated_at is not None and 0 <= now - authenticated_at <= window_seconds
