"""Pure rules of the bureau's support for people (no ORM): the special groups as data
(``data/special_groups.csv``), whether a rule-based category holds for a person's facts,
what a declared category needs, and the checks of a guidance slot and a start-up."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from stdnum.cn import uscc

DATA = Path(__file__).parent / "data" / "special_groups.csv"

OLDER_UNEMPLOYED = "older_unemployed"
LONG_TERM_UNEMPLOYED = "long_term_unemployed"
UNEMPLOYED_GRADUATE = "unemployed_graduate"


@dataclass(frozen=True)
class SpecialGroup:
    code: str
    name: str
    basis: str
    identified_by: str  # "rule": from the registry and employment's records; "declared": with evidence

    @property
    def rule_based(self) -> bool:
        return self.identified_by == "rule"


@cache
def special_groups() -> dict[str, SpecialGroup]:
    with DATA.open(encoding="utf-8") as handle:
        return {row["code"]: SpecialGroup(**row) for row in csv.DictReader(handle)}


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from ``start`` to ``end`` (0 when ``end`` is before)."""
    months = (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)
    return max(months, 0)


def age_on(birth_date: dt.date, on: dt.date) -> int:
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


@dataclass(frozen=True)
class Verdict:
    holds: bool
    reasons: tuple[dict[str, Any], ...]


def older_unemployed(
    *, sex: str, birth_date: dt.date, unemployed_since: dt.date | None, on: dt.date, female_age: int, male_age: int
) -> Verdict:
    """大龄失业人员: registered unemployed, a woman of ``female_age`` or a man of ``male_age`` or older."""
    needed = female_age if sex == "F" else male_age
    age = age_on(birth_date, on)
    reasons: list[dict[str, Any]] = []
    if unemployed_since is None:
        reasons.append({"code": "not_registered_unemployed"})
    reasons.append({"code": "age", "age": age, "needed": needed, "sex": sex})
    return Verdict(holds=unemployed_since is not None and age >= needed, reasons=tuple(reasons))


def long_term_unemployed(*, unemployed_since: dt.date | None, on: dt.date, months_needed: int) -> Verdict:
    """长期失业人员: registered unemployed for ``months_needed`` months or more."""
    if unemployed_since is None:
        return Verdict(holds=False, reasons=({"code": "not_registered_unemployed"},))
    months = months_between(unemployed_since, on)
    return Verdict(
        holds=months >= months_needed,
        reasons=({"code": "unemployed_months", "months": months, "needed": months_needed},),
    )


def unemployed_graduate(*, graduated_on: dt.date | None, on: dt.date, months: int) -> Verdict:
    """离校两年内未就业高校毕业生: left school within ``months`` months (a declared date)."""
    if graduated_on is None or graduated_on > on:
        return Verdict(holds=False, reasons=({"code": "graduation_date_needed"},))
    since = months_between(graduated_on, on)
    return Verdict(holds=since < months, reasons=({"code": "months_since_graduation", "months": since, "max": months},))


def slot_errors(*, starts_at: dt.datetime, now: dt.datetime, minutes: int, place: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if starts_at <= now:
        errors["starts_at"] = "in_past"
    elif starts_at > now + dt.timedelta(days=180):
        errors["starts_at"] = "too_far"
    if not 15 <= minutes <= 240:
        errors["minutes"] = "minutes_range"
    if not place.strip():
        errors["place"] = "required"
    return errors


def startup_errors(
    *, business_name: str, credit_code: str, started_on: dt.date, today: dt.date, employees: int
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not business_name.strip():
        errors["business_name"] = "required"
    if credit_code and not uscc.is_valid(credit_code):
        errors["credit_code"] = "invalid_credit_code"
    if started_on > today:
        errors["started_on"] = "in_future"
    if employees < 0:
        errors["employees"] = "not_positive"
    return errors


# --- person policies of the policy run (E4) -------------------------------------------------------


def flexible_in_special_group(
    *,
    category: str | None,
    identified_on: dt.date | None,
    period: dt.date,
    paid_fen: int,
    ratio: Any,
    max_months: int,
) -> tuple[bool, tuple[dict[str, Any], ...], int]:
    """灵活就业社会保险补贴: a member of a special group who pays flexible workers' contributions
    for the month gets ``ratio`` of them back, for at most ``max_months`` from identification.
    Answers (eligible, reasons, amount in fen)."""
    reasons: list[dict[str, Any]] = []
    if category is None or identified_on is None:
        return False, ({"code": "not_in_special_group"},), 0
    reasons.append({"code": "special_group", "group": category})
    months = months_between(identified_on.replace(day=1), period)
    reasons.append({"code": "subsidy_month", "month": months + 1, "of": max_months})
    if months >= max_months:
        return False, tuple(reasons), 0
    reasons.append({"code": "flexible_paid", "fen": paid_fen})
    if paid_fen <= 0:
        return False, tuple(reasons), 0
    amount = int((paid_fen * ratio).to_integral_value(rounding="ROUND_HALF_UP"))
    return True, tuple(reasons), amount


def startup_in_target_group(
    *,
    category: str | None,
    started_on: dt.date,
    period_end: dt.date,
    max_age_months: int,
    granted_before: bool,
    amount_fen: int,
) -> tuple[bool, tuple[dict[str, Any], ...], int]:
    """一次性创业补贴 (免申即享): a registered start-up whose owner is in a special group, begun
    within ``max_age_months``, once per person ever (not if granted in the hall or by a run)."""
    reasons: list[dict[str, Any]] = []
    if category is None:
        return False, ({"code": "not_in_special_group"},), 0
    reasons.append({"code": "special_group", "group": category})
    age = months_between(started_on, period_end)
    reasons.append({"code": "business_months", "months": age, "max": max_age_months})
    if age >= max_age_months or started_on > period_end:
        return False, tuple(reasons), 0
    if granted_before:
        return False, (*reasons, {"code": "already_granted"}), 0
    return True, tuple(reasons), amount_fen
