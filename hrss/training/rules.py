"""Pure rules of vocational training and skill appraisal (no ORM): eligibility for an
appraisal level, the subsidy amount, certificate numbers and their signed message, the
attendance consistency checks, and masking a holder's name."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from hrss.core.logging import mask_name as mask_name  # 张伟 → 张*: the holder on a public page

# 职业技能等级: 5 初级工 … 1 高级技师 (人社部发〔2019〕... the five-level system).
LEVELS = (1, 2, 3, 4, 5)
CENT = Decimal("0.01")


# --- appraisal eligibility ---------------------------------------------------------------------

# Years in the occupation a candidate needs for a level without the level below (the
# simplified 国家职业技能标准 conditions: "取得本职业X级证书后, 累计从事本职业工作N年").
YEARS_AFTER_LOWER_LEVEL = {4: 4, 3: 5, 2: 4, 1: 4}
YEARS_WITHOUT_LOWER_LEVEL = {5: 1, 4: 6, 3: 10}
# Hours of training that stand in for a year of occupation experience at level 5 (初级).
LEVEL_5_TRAINING_HOURS = 80


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    reasons: tuple[str, ...]  # codes: below_lower_level, too_few_years, level_not_offered

    def as_json(self) -> dict[str, object]:
        return {"eligible": self.eligible, "reasons": list(self.reasons)}


def eligibility(*, level: int, held_levels: set[int], years_in_occupation: int, training_hours: int) -> Eligibility:
    """Whether a person may sit an appraisal at ``level`` of an occupation.

    ``held_levels``: the person's valid certificate levels of this occupation; a level 5
    candidate qualifies by a year in the occupation or ``LEVEL_5_TRAINING_HOURS`` of training;
    higher levels need the level below and years after it, or (up to level 3) more years.
    """
    if level not in LEVELS:
        return Eligibility(False, ("level_not_offered",))
    if any(held <= level for held in held_levels):
        return Eligibility(False, ("already_held",))
    if level == 5:
        ok = years_in_occupation >= YEARS_WITHOUT_LOWER_LEVEL[5] or training_hours >= LEVEL_5_TRAINING_HOURS
        return Eligibility(ok, () if ok else ("too_few_years",))
    if level + 1 in held_levels:
        ok = years_in_occupation >= YEARS_AFTER_LOWER_LEVEL[level]
        return Eligibility(ok, () if ok else ("too_few_years",))
    needed = YEARS_WITHOUT_LOWER_LEVEL.get(level)
    if needed is not None and years_in_occupation >= needed:
        return Eligibility(True, ())
    return Eligibility(False, ("below_lower_level",))


# --- results -----------------------------------------------------------------------------------

PASS_MARK = Decimal("60")


def result_of(*, theory: Decimal | None, practical: Decimal | None) -> str:
    """passed when both parts reach the pass mark (60 of 100), failed otherwise, absent without scores."""
    if theory is None and practical is None:
        return "absent"
    if theory is None or practical is None:
        return "failed"
    return "passed" if theory >= PASS_MARK and practical >= PASS_MARK else "failed"


def pass_rate_alert(*, passed: int, sat: int, history_passed: int, history_sat: int, margin: Decimal) -> bool:
    """A session's pass rate far above the body's history (at least ``margin`` above it).

    Sessions of fewer than five candidates, or a body without history, raise nothing."""
    if sat < 5 or history_sat == 0:
        return False
    return Decimal(passed) / sat >= Decimal(history_passed) / history_sat + margin


# --- certificates ------------------------------------------------------------------------------


def certificate_number(*, region: str, year: int, level: int, serial: int) -> str:
    """``Y`` + 6-digit region + year + level + 6-digit serial + a mod-97 check (two digits)."""
    body = f"{region[:6]:0>6}{year:04d}{level:d}{serial:06d}"
    return f"Y{body}{98 - (int(body) * 100) % 97:02d}"


def certificate_number_valid(number: str) -> bool:
    if len(number) != 20 or number[0] != "Y" or not number[1:].isdigit():
        return False
    body, check = number[1:18], number[18:]
    return f"{98 - (int(body) * 100) % 97:02d}" == check


def certificate_message(*, number: str, id_number: str, qualification: str, level: int, issued_on: dt.date) -> bytes:
    """What the bureau's key signs: the number, the holder's ID number, occupation, level, date."""
    return (
        f"hrss-skill-certificate/1\n{number}\n{id_number}\n{qualification}\n{level}\n{issued_on.isoformat()}".encode()
    )


# --- subsidies ---------------------------------------------------------------------------------


def subsidy_fen(*, level_amount: Decimal, shortage: bool, shortage_ratio: Decimal, category_ratio: Decimal) -> int:
    """The subsidy in fen: the level's amount × the shortage ratio (if on the list) × the category's share."""
    amount = level_amount * (shortage_ratio if shortage else Decimal(1)) * category_ratio
    return int((amount.quantize(CENT, rounding=ROUND_HALF_UP) * 100).to_integral_value())


def attended_enough(*, attended: int, sessions: int, ratio: Decimal) -> bool:
    return sessions > 0 and Decimal(attended) >= Decimal(sessions) * ratio


# --- attendance checks -------------------------------------------------------------------------


@dataclass(frozen=True)
class SignIn:
    key: str
    site: str | None
    starts_at: dt.datetime  # the session's time
    ends_at: dt.datetime


def overlapping_elsewhere(new: SignIn, others: list[SignIn]) -> list[SignIn]:
    """The person's other sign-ins at another site whose sessions overlap this one in time."""
    return [
        other
        for other in others
        if other.key != new.key
        and other.site != new.site
        and other.starts_at < new.ends_at
        and new.starts_at < other.ends_at
    ]


# Attendance is signed in from this long before a session starts until it ends.
SIGN_IN_EARLY = dt.timedelta(minutes=30)


def within_session(*, at: dt.datetime, starts_at: dt.datetime, ends_at: dt.datetime) -> bool:
    return starts_at - SIGN_IN_EARLY <= at <= ends_at
