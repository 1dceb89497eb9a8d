"""Pure rules of employment services: what a registration and a vacancy must satisfy, the
phrases a vacancy may not use, and the set-based, explainable match of a seeker and a
vacancy. No database here: callers pass plain values (property-tested in tests/test_rules.py).
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import math
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
POINTS_NEARBY = 1  # a district near one wanted (``employment.match.nearby_km``)
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


# An interview is set at most this far ahead (a quarter): later than that the vacancy has
# usually been filled or expired, and a typing slip of the year is caught.
INTERVIEW_HORIZON = dt.timedelta(days=92)


def invitation_errors(*, at: dt.datetime, now: dt.datetime, place: str) -> dict[str, str]:
    """What is wrong with an interview invitation (field -> error code)."""
    errors: dict[str, str] = {}
    if at <= now:
        errors["at"] = "in_past"
    elif at > now + INTERVIEW_HORIZON:
        errors["at"] = "too_far"
    if not place.strip():
        errors["place"] = "required"
    return errors


# What an employer may decide on an application, from each status (an invited applicant may
# still be declined after the interview; a declined one may be reconsidered and shortlisted).
DECISIONS = ("shortlisted", "declined")
DECISIONS_FROM: dict[str, frozenset[str]] = {
    "applied": frozenset(DECISIONS),
    "shortlisted": frozenset({"declined"}),
    "declined": frozenset({"shortlisted"}),
    "invited": frozenset({"declined"}),
}


def decision_allowed(current: str, decision: str) -> bool:
    """May an application in ``current`` be moved to ``decision``? (The same decision again is
    answered without a change, by the caller.)"""
    return decision in DECISIONS_FROM.get(current, frozenset())


@dataclass(frozen=True)
class Seeker:
    occupations: frozenset[str]
    districts: frozenset[str]
    wage_min: Decimal | None
    education: str | None
    skills: frozenset[str]
    nearby: frozenset[str] = frozenset()  # districts near those wanted (``nearby_districts``)


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


CENTRES_FILE = Path(__file__).parent / "data" / "district_centres.csv"
EARTH_RADIUS_KM = 6371.0


@functools.cache
def district_centres() -> dict[str, tuple[float, float]]:
    """Each district's centre (latitude, longitude in degrees), as data with its source."""
    with CENTRES_FILE.open(encoding="utf-8", newline="") as handle:
        return {row["code"]: (float(row["lat"]), float(row["lon"])) for row in csv.DictReader(handle)}


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two points (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def nearby_districts(wanted: Iterable[str], *, km: float) -> frozenset[str]:
    """The districts (not wanted themselves) whose centre is within ``km`` of a wanted one's."""
    centres = district_centres()
    wanted = frozenset(wanted)
    points = [centres[code] for code in wanted if code in centres]
    return frozenset(
        code
        for code, centre in centres.items()
        if code not in wanted and any(distance_km(point, centre) <= km for point in points)
    )


def match(seeker: Seeker, offer: Offer) -> Match | None:
    """How a vacancy fits a seeker, with a reason for every point; ``None`` when it does not
    fit at all: below the education it asks, paying at most less than the seeker wants, or
    neither the occupation group nor a district wanted or near one."""
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
    elif offer.district in seeker.nearby:
        reasons.append(Reason("nearby_district", POINTS_NEARBY))
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


def search_match(seeker: Seeker | None, offer: Offer) -> Match | None:
    """A vacancy found by a seeker's words: kept only when it meets the hard filters
    (education, wage); its first reason is the words, its points the structured fit's."""
    words = Reason("words", 0)
    if seeker is None:
        return Match(offer.key, 0, (words,))
    if not education_meets(seeker.education, offer.education):
        return None
    if seeker.wage_min is not None and offer.wage_max < seeker.wage_min:
        return None
    fit = match(seeker, offer)
    return Match(offer.key, fit.points if fit else 0, (words, *(fit.reasons if fit else ())))


# --- policies that find their people -----------------------------------------------------------

POLICIES_FILE = Path(__file__).parent / "data" / "policies.csv"


@dataclass(frozen=True)
class Policy:
    """An employment policy as data (``data/policies.csv``): its legal basis, who benefits
    (a person or an employer), the rule that finds them, the period it pays for (a month or
    a year), whether it is paid without an application (免申即享), and the prefixes of the
    dated parameters its rule reads (``hrss/codes/data/policy_parameters.csv``)."""

    code: str
    name: str
    legal_basis: str
    beneficiary: str  # person | employer
    rule: str
    period: str  # month | year
    free_apply: bool
    parameters: tuple[str, ...]


@functools.cache
def policies() -> dict[str, Policy]:
    with POLICIES_FILE.open(encoding="utf-8", newline="") as handle:
        return {
            row["code"]: Policy(
                code=row["code"],
                name=row["name"],
                legal_basis=row["legal_basis"],
                beneficiary=row["beneficiary"],
                rule=row["rule"],
                period=row["period"],
                free_apply=row["free_apply"].lower() == "true",
                parameters=tuple(p for p in row["parameters"].split(";") if p),
            )
            for row in csv.DictReader(handle)
        }


def policy_period(policy: Policy, day: dt.date) -> dt.date:
    """The period a policy pays for that contains ``day``: its month, or its year."""
    return dt.date(day.year, 1, 1) if policy.period == "year" else day.replace(day=1)


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from ``start`` to ``end`` (2025-10-15 to 2026-10-14 is 11, to 2026-10-15 is 12)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


@dataclass(frozen=True)
class Verdict:
    """A policy rule's answer for one beneficiary: eligible or not, the amount (fen) when
    eligible, and every reason with its figures (kept with the payment, shown to staff)."""

    eligible: bool
    reasons: tuple[dict[str, object], ...]
    amount_fen: int = 0


def hired_in_difficulty(
    *,
    unemployed_since: dt.date,
    hired_on: dt.date,
    period: dt.date,
    employer_share_fen: int,
    long_term_months: int,
    max_months: int,
) -> Verdict:
    """社会保险补贴: an employer that hired a long-term unemployed person (就业困难人员) gets
    the employer's share of their pension, medical and unemployment insurance for the month,
    for at most ``max_months`` from the month of hiring."""
    unemployed = months_between(unemployed_since, hired_on)
    reasons: list[dict[str, object]] = [{"code": "unemployed_months", "months": unemployed, "needed": long_term_months}]
    if unemployed < long_term_months:
        return Verdict(False, tuple(reasons))
    month = months_between(hired_on.replace(day=1), period) + 1
    reasons.append({"code": "subsidy_month", "month": month, "of": max_months})
    if month < 1 or month > max_months:
        return Verdict(False, tuple(reasons))
    reasons.append({"code": "employer_share", "fen": employer_share_fen})
    if employer_share_fen <= 0:
        return Verdict(False, tuple(reasons))
    return Verdict(True, tuple(reasons), employer_share_fen)


def low_layoff_rate(
    *,
    months_insured: int,
    headcount: int,
    leavers: int,
    paid_fen: int,
    large: bool,
    layoff_rate_max: Decimal,
    small_headcount: int,
    small_layoff_rate_max: Decimal,
    ratio_large: Decimal,
    ratio_sme: Decimal,
) -> Verdict:
    """稳岗返还: an employer insured against unemployment all year, whose layoff rate (leavers
    over the insured headcount at the start of the year) is within the limit, gets back a
    share of the unemployment insurance it paid that year."""
    reasons: list[dict[str, object]] = [{"code": "months_insured", "months": months_insured, "needed": 12}]
    if months_insured < 12 or headcount < 1:
        return Verdict(False, tuple(reasons))
    limit = small_layoff_rate_max if headcount <= small_headcount else layoff_rate_max
    rate = Decimal(leavers) / Decimal(headcount)
    reasons.append(
        {
            "code": "layoff_rate",
            "leavers": leavers,
            "headcount": headcount,
            "rate": str(rate.quantize(Decimal("0.0001"))),
            "limit": str(limit.normalize()),
        }
    )
    if rate > limit:
        return Verdict(False, tuple(reasons))
    ratio = ratio_large if large else ratio_sme
    amount = int((Decimal(paid_fen) * ratio).to_integral_value(rounding="ROUND_HALF_UP"))
    reasons.append({"code": "refund", "paid_fen": paid_fen, "ratio": str(ratio.normalize())})
    if amount <= 0:
        return Verdict(False, tuple(reasons))
    return Verdict(True, tuple(reasons), amount)


# --- start-up support (E2): the guaranteed loan and its repayment assessment ---------------------

CENT = Decimal("0.01")
# How much each part of the repayment assessment counts (of 100); each point has its reason.
POINTS_CONTINUITY = 30  # contributions without gaps over the history window
POINTS_EMPLOYED = 15  # a current employment spell (an income while the business starts)
POINTS_NO_LOAN = 15  # no other start-up loan outstanding
POINTS_BURDEN = 10  # the monthly repayment within BURDEN_MAX of the monthly wage
POINTS_NO_DEBT = 10  # nothing owed to the funds (no overpaid benefit still to recover)
POINTS_CARD = 10  # card payments regular: none failed over the history window
POINTS_CREDIT = 10  # the credit class: no event, A or B all of it; C half; D none
BURDEN_MAX = Decimal("0.5")


def _yuan(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding="ROUND_HALF_UP")


@dataclass(frozen=True)
class LoanTerms:
    """A start-up guaranteed loan (创业担保贷款) repaid in equal monthly instalments (等额本息)
    at the contract rate; the treasury pays the interest above the borrower's rate, month by
    month on the balance (``subsidy_by_year``: the subsidy of each loan year)."""

    amount: Decimal
    term_months: int
    contract_rate: Decimal
    borrower_rate: Decimal
    subsidy_rate: Decimal
    monthly_instalment: Decimal
    first_month_paid_by_borrower: Decimal
    interest_total: Decimal
    interest_subsidy_total: Decimal
    subsidy_by_year: tuple[Decimal, ...]


def loan_errors(*, amount: Decimal, term_months: int, amount_max: Decimal, term_max: int) -> dict[str, str]:
    """What a loan application must satisfy: an amount within the cap, a term within the longest."""
    errors = {}
    if amount <= 0:
        errors["amount"] = "not_positive"
    elif amount > amount_max:
        errors["amount"] = "above_cap"
    if term_months < 1:
        errors["term_months"] = "not_positive"
    elif term_months > term_max:
        errors["term_months"] = "above_term"
    return errors


def loan_terms(*, amount: Decimal, term_months: int, lpr: Decimal, markup: Decimal, discount: Decimal) -> LoanTerms:
    """The instalment, interest and interest subsidy of a loan: contract rate LPR + ``markup``,
    the borrower's rate LPR - ``discount`` (never below zero), the difference subsidised."""
    contract = lpr + markup
    borrower = max(lpr - discount, Decimal(0))
    monthly = contract / 12
    instalment = amount / term_months if monthly == 0 else amount * monthly / (1 - (1 + monthly) ** (-term_months))
    balance = amount
    interest_total = Decimal(0)
    subsidies: list[Decimal] = []
    first_paid = Decimal(0)
    for month in range(term_months):
        interest = balance * monthly
        subsidy = balance * (contract - borrower) / 12
        if month == 0:
            first_paid = instalment - subsidy
        if month % 12 == 0:
            subsidies.append(Decimal(0))
        subsidies[-1] += subsidy
        interest_total += interest
        balance -= instalment - interest
    return LoanTerms(
        amount=_yuan(amount),
        term_months=term_months,
        contract_rate=contract,
        borrower_rate=borrower,
        subsidy_rate=contract - borrower,
        monthly_instalment=_yuan(instalment),
        first_month_paid_by_borrower=_yuan(first_paid),
        interest_total=_yuan(interest_total),
        interest_subsidy_total=sum((_yuan(s) for s in subsidies), Decimal(0)),
        subsidy_by_year=tuple(_yuan(s) for s in subsidies),
    )


@dataclass(frozen=True)
class Assessment:
    """The repayment-ability assessment: a score of 100 with one reason per part (``code``,
    the points given, the figures read), and whether it takes the fast track."""

    score: int
    reasons: tuple[dict[str, object], ...]
    fast_track: bool


def repayment_assessment(
    *,
    contribution_months: int,
    history_months: int,
    employed: bool,
    other_loan: bool,
    monthly_instalment: Decimal,
    monthly_wage: Decimal | None,
    debt_fen: int,
    card_payments: dict[str, int] | None,
    credit_class: str | None,
    fast_track_score: int,
) -> Assessment:
    """Score the applicant's ability to repay from cross-checked records: the continuity of
    their contributions over ``history_months``, a current job, no other start-up loan
    outstanding, the instalment against their recorded wage, nothing owed to the funds
    (``debt_fen``), regular card payments over the same window (``card_payments``: months
    paid and payments failed; None when the card's records are not available) and the credit
    class (None: no credit event, so not rated)."""
    reasons: list[dict[str, object]] = []
    months = max(0, min(contribution_months, history_months))
    continuity = POINTS_CONTINUITY * months // history_months if history_months > 0 else 0
    reasons.append({"code": "continuity", "points": continuity, "months": months, "of": history_months})
    reasons.append({"code": "employed", "points": POINTS_EMPLOYED if employed else 0})
    reasons.append({"code": "no_other_loan", "points": 0 if other_loan else POINTS_NO_LOAN})
    if monthly_wage is None or monthly_wage <= 0:
        reasons.append({"code": "burden_unknown", "points": 0})
    else:
        ratio = (monthly_instalment / monthly_wage).quantize(Decimal("0.0001"))
        reasons.append({"code": "burden", "points": POINTS_BURDEN if ratio <= BURDEN_MAX else 0, "ratio": str(ratio)})
    reasons.append({"code": "debt", "points": 0 if debt_fen > 0 else POINTS_NO_DEBT, "owed_fen": max(0, debt_fen)})
    if card_payments is None:
        reasons.append({"code": "card_unknown", "points": 0})
    else:
        failed, paid = card_payments["failed"], card_payments["paid_months"]
        reasons.append({"code": "card", "points": 0 if failed else POINTS_CARD, "paid_months": paid, "failed": failed})
    credit_points = {"C": POINTS_CREDIT // 2, "D": 0}.get(credit_class or "", POINTS_CREDIT)
    reasons.append({"code": "credit", "points": credit_points, "class": credit_class or ""})
    score = sum(int(str(reason["points"])) for reason in reasons)
    return Assessment(score=score, reasons=tuple(reasons), fast_track=score >= fast_track_score)


LOAN_GROUPS_FILE = Path(__file__).parent / "data" / "startup_loan_groups.csv"


@dataclass(frozen=True)
class LoanGroup:
    """A target group of the start-up guaranteed loan (创业担保贷款扶持对象, 财金〔2020〕21号) as
    dated data (``data/startup_loan_groups.csv``): how the records show it (an unemployment
    registration, an identified special group of the given categories) or ``declared``, the
    evidence the reviewer then checks."""

    code: str
    name: str
    legal_basis: str
    valid_from: dt.date
    valid_to: dt.date | None
    found_by: str
    evidence: str

    def in_force(self, on: dt.date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)

    @property
    def special_categories(self) -> frozenset[str]:
        kind, _sep, categories = self.found_by.partition(":")
        return frozenset(categories.split("|")) if kind == "special_group" and categories else frozenset()


@functools.cache
def loan_groups() -> tuple[LoanGroup, ...]:
    with LOAN_GROUPS_FILE.open(encoding="utf-8", newline="") as handle:
        return tuple(
            LoanGroup(
                code=row["code"],
                name=row["name"],
                legal_basis=row["legal_basis"],
                valid_from=dt.date.fromisoformat(row["valid_from"]),
                valid_to=dt.date.fromisoformat(row["valid_to"]) if row["valid_to"] else None,
                found_by=row["found_by"],
                evidence=row["evidence"],
            )
            for row in csv.DictReader(handle)
        )


def loan_groups_on_record(
    *, on: dt.date, registered_unemployed: bool, special_categories: Iterable[str]
) -> list[LoanGroup]:
    """The target groups in force that the records show the applicant belongs to: registered
    as unemployed, or identified in one of a group's special-group categories. A declared
    group (a veteran, a returning migrant worker...) is never found here: its evidence is
    checked by the reviewer."""
    held = frozenset(special_categories)
    return [
        group
        for group in loan_groups()
        if group.in_force(on)
        and (
            (group.found_by == "unemployment_registration" and registered_unemployed)
            or bool(group.special_categories & held)
        )
    ]


def startup_subsidy_errors(*, started_on: dt.date, today: dt.date, max_age_months: int) -> dict[str, str]:
    """一次性创业补贴: the business started, and not longer ago than ``max_age_months``."""
    if started_on > today:
        return {"started_on": "in_future"}
    if months_between(started_on, today) >= max_age_months:
        return {"started_on": "too_old"}
    return {}
