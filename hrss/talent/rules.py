"""Pure rules of public-institution personnel (R3): who is a public institution, the
structure of posts and salary scales, the quota check and the wage sum; and the talent green
card's eligibility and validity (R1). No ORM here."""

from __future__ import annotations

import datetime as dt
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
