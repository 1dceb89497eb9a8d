"""Pure rules of public-institution personnel (R3): who is a public institution, the
structure of posts and salary scales, the quota check and the wage sum; and the talent green
card's eligibility and validity (R1). No ORM here."""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

# GB 32100: a credit code's first character is the registering authority (1 = 机构编制) and
# its second the category under it (2 = 事业单位).
PUBLIC_INSTITUTION_PREFIX = "12"

# The grades of each post category (事业单位岗位设置管理试行办法, 国人部发〔2006〕70号):
# management 一级 to 十级, professional 一级 to 十三级, support 技术工一级 to 五级 and 普通工 (6).
GRADES = {"management": range(1, 11), "professional": range(1, 14), "support": range(1, 7)}
# The salary scale (薪级) steps of the 2006 reform (国人部发〔2006〕59号): 1 to 65.
SCALE_STEPS = range(1, 66)


def is_public_institution(credit_code: str) -> bool:
    return credit_code.startswith(PUBLIC_INSTITUTION_PREFIX)


def grade_valid(category: str, grade: int) -> bool:
    return grade in GRADES.get(category, ())


def scale_step_valid(step: int) -> bool:
    return step in SCALE_STEPS


@dataclass(frozen=True)
class QuotaCheck:
    """What a quota of one funding kind holds: the quota, its staff now, the places plans
    under way still hold (numbers not yet hired), and what is asked for."""

    quota: int
    staff: int
    reserved: int
    asked: int

    @property
    def used(self) -> int:
        return self.staff + self.reserved

    @property
    def free(self) -> int:
        return max(0, self.quota - self.used)

    @property
    def fits(self) -> bool:
        return self.used + self.asked <= self.quota


def quota_check(*, quota: int, staff: int, reserved: int, asked: int) -> QuotaCheck:
    if min(quota, staff, reserved, asked) < 0:
        raise ValueError("quota figures are never negative")
    return QuotaCheck(quota=quota, staff=staff, reserved=reserved, asked=asked)


def fen(amount: Decimal) -> int:
    """Yuan to fen, half up (a table's figure is in yuan, at most two decimals)."""
    return int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class WageFigures:
    post_wage_fen: int
    scale_wage_fen: int
    allowances_fen: dict[str, int]

    @property
    def allowance_fen(self) -> int:
        return sum(self.allowances_fen.values())

    @property
    def total_fen(self) -> int:
        return self.post_wage_fen + self.scale_wage_fen + self.allowance_fen


def wage_figures(*, post_wage: Decimal, scale_wage: Decimal, allowances: dict[str, Decimal]) -> WageFigures:
    """A month's basic wage: the post wage (岗位工资) of the grade, the scale wage (薪级工资)
    of the step, and each allowance (津贴补贴), as the tables in force give them."""
    if post_wage < 0 or scale_wage < 0 or any(value < 0 for value in allowances.values()):
        raise ValueError("wage table figures are never negative")
    return WageFigures(
        post_wage_fen=fen(post_wage),
        scale_wage_fen=fen(scale_wage),
        allowances_fen={code: fen(value) for code, value in sorted(allowances.items())},
    )


def yuan(amount_fen: int) -> str:
    """Money as the hall's figures want it: a string with exactly two decimals."""
    return f"{Decimal(amount_fen) / 100:.2f}"


# --- The talent green card (人才绿卡, R1) ---------------------------------------------------
# The declared levels the form offers, in order; a category's threshold is the lowest level
# that qualifies (0: the category has no such route). The thresholds are policy data.
DEGREE_LEVELS = {"none": 0, "bachelor": 1, "master": 2, "doctorate": 3}
TITLE_LEVELS = {"none": 0, "deputy_senior": 1, "senior": 2}
# A recorded title's level (``TitleLevel``) as the green card's title route counts it.
TITLE_ROUTE_OF_LEVEL = {"junior": "none", "intermediate": "none", "deputy_senior": "deputy_senior", "senior": "senior"}
AWARD_LEVELS = {"none": 0, "provincial": 1, "national": 2}
ROUTES = ("degree", "title", "award", "salary")


@dataclass(frozen=True)
class GreenCardThresholds:
    """What qualifies for one category on a date (``talent.green_card.<category>.*``)."""

    degree_min: int
    title_min: int
    award_min: int
    annual_salary_min: Decimal
    employer_types: frozenset[str]  # the first two characters of a qualifying credit code


@dataclass(frozen=True)
class GreenCardEligibility:
    routes_met: tuple[str, ...]  # of ROUTES
    employer_ok: bool

    @property
    def eligible(self) -> bool:
        return self.employer_ok and bool(self.routes_met)


def employer_type(credit_code: str) -> str:
    """登记管理部门 and 机构类别 of a credit code (GB 32100): ``91`` enterprise, ``12`` public institution..."""
    return (credit_code or "")[:2].upper()


def green_card_eligibility(
    thresholds: GreenCardThresholds,
    *,
    degree: str,
    title: str,
    award: str,
    annual_salary: Decimal | None,
    employer_credit_code: str | None,
) -> GreenCardEligibility:
    """A category is met by any one of its routes (a degree, a title, an award at or above
    its threshold, or the annual salary), and only while working for an employer of a type
    the category admits."""
    met: list[str] = []
    for route, level, threshold in (
        ("degree", DEGREE_LEVELS.get(degree, 0), thresholds.degree_min),
        ("title", TITLE_LEVELS.get(title, 0), thresholds.title_min),
        ("award", AWARD_LEVELS.get(award, 0), thresholds.award_min),
    ):
        if threshold > 0 and level >= threshold:
            met.append(route)
    if thresholds.annual_salary_min > 0 and annual_salary is not None and annual_salary >= thresholds.annual_salary_min:
        met.append("salary")
    employer_ok = employer_credit_code is not None and employer_type(employer_credit_code) in thresholds.employer_types
    return GreenCardEligibility(routes_met=tuple(met), employer_ok=employer_ok)


def green_card_valid_until(issued_on: dt.date, years: int) -> dt.date:
    """The last day of validity: the day before the same date ``years`` later (29 February
    issues run to 28 February)."""
    try:
        end = issued_on.replace(year=issued_on.year + years)
    except ValueError:
        end = issued_on.replace(year=issued_on.year + years, day=28) + dt.timedelta(days=1)
    return end - dt.timedelta(days=1)


# --- Talent programmes and their expert review (人才计划/人才项目库, R1) ------------------------
# At least three sheets: one highest and one lowest total are dropped before the mean, and a
# mean of nothing is no score. A programme draws at least this many experts per declaration.
MIN_SHEETS = 3
MAX_CRITERIA = 12
SCORE_STEP = Decimal("0.5")  # an expert scores a criterion in half points


class ReviewRuleError(ValueError):
    """A rule of the review refused its input: ``problem`` names which (the services turn it
    into a message), ``subject`` what it is about (a criterion's name)."""

    def __init__(self, problem: str, subject: str = "") -> None:
        super().__init__(problem, subject)
        self.problem = problem
        self.subject = subject


@dataclass(frozen=True)
class Criterion:
    name: str
    max_points: int


def criteria_parse(raw: object) -> tuple[Criterion, ...]:
    """A programme's scoring criteria from ``[{"name", "max_points"}]``: 1 to ``MAX_CRITERIA``
    criteria with distinct non-empty names (at most 50 characters) and whole maxima from 1 to
    100 points."""
    if not isinstance(raw, list) or not raw:
        raise ReviewRuleError("criteria_missing")
    if len(raw) > MAX_CRITERIA:
        raise ReviewRuleError("criteria_too_many")
    parsed: list[Criterion] = []
    for row in raw:
        if not isinstance(row, dict):
            raise ReviewRuleError("criterion_malformed")
        name = str(row.get("name", "")).strip()
        if not name or len(name) > 50:
            raise ReviewRuleError("criterion_name", name)
        if any(c.name == name for c in parsed):
            raise ReviewRuleError("criterion_duplicate", name)
        points = row.get("max_points")
        if isinstance(points, bool) or not isinstance(points, int | str):
            raise ReviewRuleError("criterion_points", name)
        try:
            value = int(str(points).strip())
        except ValueError:
            raise ReviewRuleError("criterion_points", name) from None
        if not 1 <= value <= 100:
            raise ReviewRuleError("criterion_points", name)
        parsed.append(Criterion(name=name, max_points=value))
    return tuple(parsed)


def sheet_total(criteria: tuple[Criterion, ...], scores: dict[str, object]) -> tuple[dict[str, str], Decimal]:
    """An expert's sheet: every criterion scored from 0 to its maximum in half points, nothing
    else; the scores as strings and their total."""
    unknown = set(scores) - {c.name for c in criteria}
    if unknown:
        raise ReviewRuleError("score_unknown_criterion", sorted(unknown)[0])
    kept: dict[str, str] = {}
    total = Decimal(0)
    for criterion in criteria:
        raw = scores.get(criterion.name)
        if raw is None or str(raw).strip() == "":
            raise ReviewRuleError("score_missing", criterion.name)
        try:
            value = Decimal(str(raw).strip())
        except ArithmeticError:
            raise ReviewRuleError("score_not_a_number", criterion.name) from None
        if not value.is_finite() or value < 0 or value > criterion.max_points or value % SCORE_STEP != 0:
            raise ReviewRuleError("score_out_of_range", criterion.name)
        value = value.quantize(Decimal("0.1"))
        kept[criterion.name] = str(value)
        total += value
    return kept, total.quantize(Decimal("0.01"))


def aggregate_score(totals: list[Decimal]) -> Decimal:
    """The declaration's score: the mean of the sheets' totals once ONE highest and ONE lowest
    total are dropped, to two places, half up. Refused below ``MIN_SHEETS`` sheets (with two,
    dropping both would leave nothing; the office draws replacements instead)."""
    if len(totals) < MIN_SHEETS:
        raise ReviewRuleError("too_few_sheets")
    kept = sorted(totals)[1:-1]
    mean = sum(kept, Decimal(0)) / len(kept)
    return mean.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def draw_experts(*, seed: int, eligible: list[str], count: int) -> list[str]:
    """``count`` experts drawn at random from the eligible ones (ids sorted first, so the same
    seed and pool give the same draw, as ``exams.rules.draw_paper``)."""
    candidates = sorted(set(eligible))
    if count < 0 or len(candidates) < count:
        raise ReviewRuleError("too_few_experts")
    return random.Random(seed).sample(candidates, count)


@dataclass(frozen=True)
class Ranked:
    key: str
    score: Decimal
    rank: int
    funded: bool


def ranking(scores: list[tuple[str, Decimal]], *, awards: int) -> list[Ranked]:
    """Highest score first; equal scores share a rank (1, 2, 2, 4); a declaration is funded
    when its rank is within ``awards``, so a tie at the last funded rank funds all of the
    tie (the published list shows it; the office decides the budget). Ties are listed by key."""
    ordered = sorted(scores, key=lambda row: (-row[1], row[0]))
    ranked: list[Ranked] = []
    for index, (key, score) in enumerate(ordered):
        rank = ranked[-1].rank if ranked and ranked[-1].score == score else index + 1
        ranked.append(Ranked(key=key, score=score, rank=rank, funded=rank <= awards))
    return ranked


def window_open(*, opens_on: dt.date, closes_on: dt.date, on: dt.date) -> bool:
    return opens_on <= on <= closes_on


def natural_key(text: str) -> tuple[tuple[int, str], ...]:
    """A sort key that orders the numbers inside codes by value (``age_5`` before ``age_10``)."""
    return tuple((0, part) if not part.isdigit() else (1, f"{int(part):012d}") for part in re.split(r"(\d+)", text))
