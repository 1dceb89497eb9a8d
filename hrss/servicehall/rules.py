"""Pure rules of the service hall: forms, risk flags, dispatch choice, escalation levels.

No database here; every function is a plain function of its arguments (property-tested).
Messages are sentences for people, in the active language (gettext needs no database).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

DECISIONS = ("approve", "reject", "supplement")
PHONE_RE = re.compile(r"^1[3-9]\d{9}$")
_MAX_TEXT = 2000


def label(labels: Mapping[str, str] | str, language: str) -> str:
    """A field label in the language asked for, falling back to Simplified Chinese."""
    if isinstance(labels, str):
        return labels
    language = (language or "zh-hans").lower()
    if language.startswith("en") and labels.get("en"):
        return labels["en"]
    return labels.get(language) or labels.get("zh-hans") or next(iter(labels.values()), "")


def form_clean(form: Sequence[Mapping[str, Any]], data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Validate submitted values against the item's form definition.

    Returns (cleaned values, errors by field name). Unknown fields are dropped, so a
    channel cannot smuggle data the item does not ask for.
    """
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for field_def in form:
        name = field_def["name"]
        kind = field_def.get("type", "text")
        raw = data.get(name)
        if isinstance(raw, str):
            raw = raw.strip()
        if raw in (None, "") and kind != "boolean":
            if _required(field_def, data):
                errors[name] = _("This field is required.")
            continue
        try:
            cleaned[name] = _clean_value(field_def, kind, raw)
        except ValueError as error:
            errors[name] = str(error)
    return cleaned, errors


def _required(field_def: Mapping[str, Any], data: Mapping[str, Any]) -> bool:
    """``"required": true``, or ``"required_when": {"delivery": "post"}``: required only
    while every named field has that value (a postal address only for delivery by post)."""
    if field_def.get("required"):
        return True
    when = field_def.get("required_when") or {}
    return bool(when) and all(str(data.get(other) or "").strip() == str(value) for other, value in when.items())


def _clean_value(field_def: Mapping[str, Any], kind: str, raw: Any) -> Any:
    if kind == "boolean":
        return raw in (True, "true", "on", "1", 1, "yes")
    if kind == "choice":
        allowed = [str(choice[0]) for choice in field_def.get("choices", [])]
        if str(raw) not in allowed:
            raise ValueError(_("Choose one of the options."))
        return str(raw)
    if kind == "date":
        try:
            return dt.date.fromisoformat(str(raw)).isoformat()
        except ValueError as error:
            raise ValueError(pgettext("servicehall", "Enter a date as YYYY-MM-DD.")) from error
    if kind == "decimal":
        try:
            amount = Decimal(str(raw))
        except InvalidOperation as error:
            raise ValueError(_("Enter a number.")) from error
        if not amount.is_finite() or amount < 0:  # NaN first: comparing a signalling NaN raises
            raise ValueError(_("Enter a number that is not negative."))
        return str(amount)
    if kind == "integer":
        try:
            number = int(str(raw))
        except ValueError as error:
            raise ValueError(_("Enter a whole number.")) from error
        if number < 0:
            raise ValueError(_("Enter a number that is not negative."))
        return number
    if kind == "tel":
        value = str(raw).replace(" ", "").replace("-", "")
        if not PHONE_RE.match(value):
            raise ValueError(pgettext("servicehall", "Enter an 11-digit mobile number."))
        return value
    text = str(raw)
    if len(text) > _MAX_TEXT:
        raise ValueError(_("The text is too long."))
    return text


def gateway_amount(form: Sequence[Mapping[str, Any]], cleaned: Mapping[str, Any]) -> Decimal:
    """The amount gateways read: the form field marked ``"gateway": "amount"``, else 0."""
    for field_def in form:
        if field_def.get("gateway") == "amount" and cleaned.get(field_def["name"]) not in (None, ""):
            return Decimal(str(cleaned[field_def["name"]]))
    return Decimal("0")


@dataclass(frozen=True)
class ApplicantFacts:
    """What the hall knows about the applicant when an application comes in."""

    status: str = "active"  # registry status of the person (active, deceased, emigrated)
    open_same_item: int = 0  # other open applications for the same item
    rejected_recently: int = 0  # rejections of the same item in the last year
    phone_matches_registry: bool = True
    credit_class: str | None = None


def risk_flags(facts: ApplicantFacts) -> list[str]:
    """Risk flags gateways read to add review tiers (A3, A7)."""
    flags = []
    if facts.status != "active":
        flags.append("applicant_not_active")
    if facts.open_same_item:
        flags.append("duplicate_open_application")
    if facts.rejected_recently >= 2:
        flags.append("repeatedly_rejected")
    if not facts.phone_matches_registry:
        flags.append("phone_differs_from_registry")
    if facts.credit_class == "D":
        flags.append("poor_credit")
    return flags


FAST_TRACK_CLASS = "A"  # 信用良好: the credit class that earns the fast track (A7)


def fast_track(facts: ApplicantFacts) -> bool:
    """绿色通道 (A7): an applicant of good credit (class A) with no risk flag is handled first.

    Staff queues put the application's work after escalated work and before the rest; the
    review tiers stay what the process's gateways make them.
    """
    return on_fast_track(facts.credit_class, risk_flags(facts))


def on_fast_track(credit_class: str | None, flags: Sequence[str]) -> bool:
    """The same rule on what an application keeps of its facts: its credit class and risk flags."""
    return credit_class == FAST_TRACK_CLASS and not flags


@dataclass(frozen=True)
class Candidate:
    """A staff member who may take a work item, with what dispatch weighs."""

    user_id: Any
    open_items: int
    capacity: int
    last_assigned_at: dt.datetime | None
    username: str = ""


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def choose_assignee(candidates: Iterable[Candidate]) -> Candidate | None:
    """Least loaded first; among equals the one who waited longest since their last item (fairness).

    Staff at capacity are skipped; with no one left the item stays in the pool.
    """
    available = [c for c in candidates if c.open_items < c.capacity]
    if not available:
        return None
    return min(available, key=lambda c: (c.open_items, c.last_assigned_at or _EPOCH, c.username, str(c.user_id)))


def skills_match(skills: Sequence[str], *, item_code: str, category: str) -> bool:
    """Empty skills mean a comprehensive clerk (综合柜员) who handles every item."""
    return not skills or item_code in skills or category in skills


def escalation_level(overdue_workdays: int) -> int:
    """0 on time; 1 overdue (warn the assignee and supervisor); 2 at three working days (re-dispatch)."""
    if overdue_workdays <= 0:
        return 0
    return 1 if overdue_workdays < 3 else 2


def outcome_status(decision: str | None) -> str:
    """Final application status from the last decision of a finished process."""
    return "rejected" if decision == "reject" else "approved"
