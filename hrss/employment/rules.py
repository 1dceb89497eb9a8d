"""Pure rules of employment services: what a registration and a vacancy must satisfy, the
phrases a vacancy may not use, and the set-based, explainable match of a seeker and a
vacancy. No database here: callers pass plain values (property-tested in tests/test_rules.py).
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

PHRASES_FILE = Path(__file__).parent / "data" / "discriminatory_phrases.csv"

# How much each kind of fit counts in a match (ordering only; every point has its reason).
POINTS_SAME_OCCUPATION = 4
POINTS_SAME_GROUP = 2
POINTS_DISTRICT = 3
POINTS_WAGE = 2
POINTS_SKILL = 1


@dataclass(frozen=True)
class Phrase:
    kind: str  # "phrase" (a literal) or "pattern" (a regular expression)
    text: str
    ground: str  # sex, age, ethnicity, household_registration, marital_status, childbearing, health


@functools.cache
def phrases() -> tuple[Phrase, ...]:
    """The phrases a vacancy may not use (《就业促进法》第三章, 《就业服务与就业管理规定》第二十条),
    from ``data/discriminatory_phrases.csv``."""
    with PHRASES_FILE.open(encoding="utf-8", newline="") as handle:
        return tuple(Phrase(row["kind"], row["text"], row["ground"]) for row in csv.DictReader(handle))


def normalise(text: str) -> str:
    """Full-width forms folded (NFKC), white space dropped: ``３５ 岁以下`` reads ``35岁以下``."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def discriminatory_phrase(texts: Iterable[str], table: Sequence[Phrase] | None = None) -> tuple[str, str] | None:
    """The first forbidden phrase found in the texts, as (the phrase as written, its ground)."""
    table = phrases() if table is None else table
    for text in texts:
        plain = normalise(text)
        for phrase in table:
            if phrase.kind == "phrase":
                if normalise(phrase.text) in plain:
                    return normalise(phrase.text), phrase.ground
            else:
                found = re.search(phrase.text, plain)
                if found:
                    return found.group(0), phrase.ground
    return None


def education_rank(code: str | None) -> int | None:
    """GB/T 4658 codes order levels by their first digit: 1 graduate, 2 university, 3 college,
    4 secondary vocational, ... 9 other. Lower is higher education."""
    if not code or not code[0].isdigit():
        return None
    return int(code[0])


def education_meets(held: str | None, required: str | None) -> bool:
    if required is None or education_rank(required) is None:
        return True
    rank = education_rank(held)
    required_rank = education_rank(required)
    return rank is not None and required_rank is not None and rank <= required_rank


def occupation_group(code: str) -> str:
    """The major group of a 2022 classification code (``4-01`` is in group ``4``)."""
    return code.split("-", 1)[0]


def registration_errors(*, unemployed_since: dt.date, today: dt.date) -> dict[str, str]:
    """What is wrong with an unemployment registration's dates (field -> error code)."""
    if unemployed_since > today:
        return {"unemployed_since": "in_future"}
    return {}


def vacancy_errors(
    *, wage_min: Decimal, wage_max: Decimal, headcount: int, valid_until: dt.date, today: dt.date
) -> dict[str, str]:
    """What is wrong with a vacancy's figures (field -> error code)."""
    errors: dict[str, str] = {}
    if wage_min <= 0:
        errors["wage_min"] = "not_positive"
    if wage_max < wage_min:
        errors["wage_max"] = "below_minimum"
    if headcount < 1:
        errors["headcount"] = "not_positive"
    if valid_until < today:
        errors["valid_until"] = "in_past"
    return errors


@dataclass(frozen=True)
class Seeker:
    occupations: frozenset[str]
    districts: frozenset[str]
    wage_min: Decimal | None
    education: str | None
    skills: frozenset[str]


@dataclass(frozen=True)
class Offer:
    key: str
    occupation: str
    district: str
    wage_min: Decimal
    wage_max: Decimal
    education: str | None
    skills: frozenset[str]


@dataclass(frozen=True)
class Reason:
    code: str  # same_occupation, same_group, district, wage, skills
    points: int
    matched: int = 0  # for skills: how many of ``wanted``
    wanted: int = 0


@dataclass(frozen=True)
class Match:
    key: str
    points: int
    reasons: tuple[Reason, ...] = field(default_factory=tuple)


def match(seeker: Seeker, offer: Offer) -> Match | None:
    """How a vacancy fits a seeker, with a reason for every point; ``None`` when it does not
    fit at all: below the education it asks, paying at most less than the seeker wants, or
    neither the occupation group nor the district wanted."""
    if not education_meets(seeker.education, offer.education):
        return None
    if seeker.wage_min is not None and offer.wage_max < seeker.wage_min:
        return None
    reasons: list[Reason] = []
    if offer.occupation in seeker.occupations:
        reasons.append(Reason("same_occupation", POINTS_SAME_OCCUPATION))
    elif occupation_group(offer.occupation) in {occupation_group(code) for code in seeker.occupations}:
        reasons.append(Reason("same_group", POINTS_SAME_GROUP))
    if offer.district in seeker.districts:
        reasons.append(Reason("district", POINTS_DISTRICT))
    if not reasons:
        return None
    if seeker.wage_min is not None:
        reasons.append(Reason("wage", POINTS_WAGE))
    if offer.skills:
        matched = len(offer.skills & seeker.skills)
        reasons.append(Reason("skills", POINTS_SKILL * matched, matched=matched, wanted=len(offer.skills)))
    return Match(offer.key, sum(reason.points for reason in reasons), tuple(reasons))


def rank(seeker: Seeker, offers: Iterable[Offer], *, limit: int) -> list[Match]:
    """The best ``limit`` matches, most points first; ties by the offer's key (stable)."""
    found = [m for m in (match(seeker, offer) for offer in offers) if m is not None]
    found.sort(key=lambda m: (-m.points, m.key))
    return found[:limit]
