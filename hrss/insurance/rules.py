"""Pure social-insurance rules: formulas and eligibility, no database (S1, S3).

Every figure (rate, ratio, divisor, age, threshold) comes in as an argument; callers read
it from the dated policy parameters in ``hrss.codes``. Money is ``Decimal`` in yuan,
rounded half-up to 0.01 only where a figure leaves a rule (``yuan``); the database keeps
whole fen (``to_fen`` / ``from_fen``) so that set-based SQL stays exact on SQLite too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from hrss.core.errors import InvalidInput

CENT = Decimal("0.01")
PPM = 1_000_000  # rates travel to SQL as integer parts per million (parameters keep 6 decimals)

# The insurances this app assesses month by month: codes of the ``codes`` insurance-type
# table, whose rows carry the names and national codes (data). These four identifiers are
# what the logic branches on, and each has its own column group in ``ContributionMonth``.
PENSION = "pension_enterprise"
MEDICAL = "medical_employee"
UNEMPLOYMENT = "unemployment"
WORK_INJURY = "work_injury"
ASSESSED_INSURANCES: tuple[str, ...] = (PENSION, MEDICAL, UNEMPLOYMENT, WORK_INJURY)


# --- money -------------------------------------------------------------------------------


def yuan(amount: Decimal | int) -> Decimal:
    """Round a yuan amount half-up to 0.01 (the edge of every calculation)."""
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def to_fen(amount: Decimal | int) -> int:
    """Whole fen (0.01 yuan) of an amount, rounding half-up."""
    return int(yuan(amount) * 100)


def plain(value: Decimal) -> str:
    """A figure without trailing zeros or exponent, for messages: 15.000000 -> "15"."""
    return f"{Decimal(value).normalize():f}"


def from_fen(fen: int | None) -> Decimal:
    return (Decimal(fen or 0) / 100).quantize(CENT)


def rate_ppm(rate: Decimal) -> int:
    """A rate as integer parts per million; policy rates have at most 6 decimals."""
    scaled = Decimal(rate) * PPM
    if scaled != scaled.to_integral_value():
        raise ValueError(f"rate {rate} has more than 6 decimals")
    return int(scaled)


def divide_half_up(numerator: int, denominator: int) -> int:
    """Integer division rounding half away from zero, as the assessment SQL does."""
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    quotient = (abs(numerator) + denominator // 2) // denominator
    return quotient if numerator >= 0 else -quotient


def amount_fen(base_fen: int, ppm: int) -> int:
    """``base × rate`` in whole fen, half-up: the one rounding of a contribution line."""
    return divide_half_up(base_fen * ppm, PPM)


# --- months ------------------------------------------------------------------------------


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_index(day: dt.date) -> int:
    """Months since year 0, so that month arithmetic is integer arithmetic."""
    return day.year * 12 + day.month - 1


def month_from_index(index: int) -> dt.date:
    return dt.date(index // 12, index % 12 + 1, 1)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the end of a shorter month."""
    target = month_from_index(month_index(day) + months)
    for candidate in (day.day, 30, 29, 28):
        try:
            return target.replace(day=candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def month_end(day: dt.date) -> dt.date:
    return add_months(month_start(day), 1) - dt.timedelta(days=1)


def parse_period(text: str) -> dt.date:
    """``YYYY-MM`` to the first day of that month; a clear error otherwise."""
    try:
        year, month = (int(part) for part in text.strip().split("-"))
        return dt.date(year, month, 1)
    except (ValueError, TypeError):
        raise InvalidInput(_("A period is written as YYYY-MM, for example 2025-03."), fields={"period": text}) from None


def months_between(first: dt.date, last: dt.date) -> int:
    """Number of calendar months from ``first`` to ``last`` inclusive (0 if last < first)."""
    return max(0, month_index(last) - month_index(first) + 1)


# --- retirement age (2025 progressive delay) -------------------------------------------


class RetirementCategory(StrEnum):
    """Which schedule applies: men; women whose original age was 55 (cadres, and flexible
    workers); women whose original age was 50 (workers)."""

    MALE = "male"
    FEMALE_55 = "female_55"
    FEMALE_50 = "female_50"


@dataclass(frozen=True, order=True)
class Age:
    years: int
    months: int = 0

    @classmethod
    def of_months(cls, total: int) -> Age:
        return cls(total // 12, total % 12)

    @property
    def total_months(self) -> int:
        return self.years * 12 + self.months

    def __str__(self) -> str:
        return f"{self.years}y{self.months}m" if self.months else f"{self.years}y"


@dataclass(frozen=True)
class RetirementSchedule:
    """One category's schedule under the 2024-09-13 NPC Standing Committee decision.

    The first cohort whose original retirement month falls in ``reform_start`` retires one
    month later; every ``cohort_months_per_step`` months of birth add a month, up to
    ``target_years``. Cohorts who reached the original age before the reform keep it.
    """

    original_years: int
    target_years: int
    cohort_months_per_step: int
    reform_start: dt.date

    @property
    def max_delay_months(self) -> int:
        return (self.target_years - self.original_years) * 12


def retirement_delay_months(birth_date: dt.date, schedule: RetirementSchedule) -> int:
    original_month = month_index(birth_date) + schedule.original_years * 12
    behind = original_month - month_index(schedule.reform_start)
    if behind < 0:
        return 0
    return min(behind // schedule.cohort_months_per_step + 1, schedule.max_delay_months)


def statutory_retirement_age(birth_date: dt.date, schedule: RetirementSchedule) -> Age:
    """法定退休年龄 of a person born on ``birth_date``."""
    return Age.of_months(schedule.original_years * 12 + retirement_delay_months(birth_date, schedule))


def statutory_retirement_month(birth_date: dt.date, schedule: RetirementSchedule) -> dt.date:
    """The month in which the person reaches the statutory age (first day of that month)."""
    return month_from_index(month_index(birth_date) + statutory_retirement_age(birth_date, schedule).total_months)


def flexible_retirement_bounds(birth_date: dt.date, schedule: RetirementSchedule, max_years: int) -> tuple[Age, Age]:
    """Earliest and latest age a person may choose (人社部发〔2024〕94号): at most ``max_years``
    earlier, never below the original age, and at most ``max_years`` later."""
    statutory = statutory_retirement_age(birth_date, schedule).total_months
    earliest = max(schedule.original_years * 12, statutory - max_years * 12)
    return Age.of_months(earliest), Age.of_months(statutory + max_years * 12)


def age_on(birth_date: dt.date, day: dt.date) -> Age:
    """Completed years and months of age on ``day``."""
    months = month_index(day) - month_index(birth_date) - (1 if day.day < birth_date.day else 0)
    return Age.of_months(max(0, months))


# --- pension -----------------------------------------------------------------------------


def months_divisor(age: Age, table: Mapping[int, Decimal], decimals: int) -> Decimal:
    """计发月数 for a retirement age; between whole ages, linear by month, ``decimals`` places.

    60y1m -> 139 + (132 - 139) × 1/12 = 138.41... -> 138.4.
    """
    if age.years not in table or (age.months and age.years + 1 not in table) or not 0 <= age.months < 12:
        low, high = min(table, default=0), max(table, default=0)
        raise InvalidInput(
            _("The retirement age must be between %(low)s and %(high)s years.") % {"low": low, "high": high},
            fields={"retirement_age_years": str(age.years)},
        )
    lower = Decimal(table[age.years])
    if not age.months:
        return lower
    upper = Decimal(table[age.years + 1])
    exact = lower + (upper - lower) * age.months / 12
    return exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class TransitionalInputs:
    """过渡性养老金 for "middle" cohorts: ``C × Ī_deemed × N_deemed × k`` (regional ``k``)."""

    deemed_months: int
    deemed_index: Decimal
    coefficient: Decimal


@dataclass(frozen=True)
class PensionEstimate:
    basic: Decimal
    account: Decimal
    transitional: Decimal | None
    total: Decimal
    divisor: Decimal
    contribution_years: Decimal


def pension_estimate(
    *,
    average_wage: Decimal,
    average_index: Decimal,
    contribution_months: int,
    account_balance: Decimal,
    retirement_age: Age,
    divisor_table: Mapping[int, Decimal],
    divisor_decimals: int,
    accrual_rate: Decimal,
    transitional: TransitionalInputs | None = None,
) -> PensionEstimate:
    """Monthly basic pension (国发〔2005〕38号).

    basic = C × (1 + Ī) / 2 × N × accrual (N in years = months / 12);
    account = B / divisor(age); transitional = C × Ī_deemed × N_deemed × k.
    Each part is rounded half-up to 0.01 and the total is the sum of the rounded parts,
    so the parts shown always add up to the total.
    """
    _require_non_negative(average_wage=average_wage, average_index=average_index, account_balance=account_balance)
    if contribution_months < 0:
        raise InvalidInput(fields={"contribution_months": _("must not be negative")})
    years = Decimal(contribution_months) / 12
    basic = yuan(average_wage * (1 + average_index) / 2 * years * accrual_rate)
    divisor = months_divisor(retirement_age, divisor_table, divisor_decimals)
    account = yuan(account_balance / divisor)
    transitional_part = None
    if transitional is not None:
        _require_non_negative(deemed_index=transitional.deemed_index, transitional_coefficient=transitional.coefficient)
        if transitional.deemed_months < 0:
            raise InvalidInput(fields={"deemed_months": _("must not be negative")})
        transitional_part = yuan(
            average_wage
            * transitional.deemed_index
            * Decimal(transitional.deemed_months)
            / 12
            * transitional.coefficient
        )
    total = basic + account + (transitional_part or Decimal(0))
    return PensionEstimate(basic, account, transitional_part, total, divisor, years)


def average_contribution_index(pairs: Iterable[tuple[Decimal, Decimal]]) -> Decimal:
    """本人平均缴费工资指数: the mean over contribution months of base ÷ average wage in force."""
    ratios = [Decimal(base) / Decimal(wage) for base, wage in pairs if wage]
    if not ratios:
        return Decimal(0)
    return (sum(ratios, Decimal(0)) / len(ratios)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def pension_minimum_met(contribution_months: int, minimum_years: Decimal) -> bool:
    """At least the minimum contribution years (15, rising by 6 months a year from 2030 to 20)."""
    return Decimal(contribution_months) >= Decimal(minimum_years) * 12


def _require_non_negative(**values: Decimal) -> None:
    for name, value in values.items():
        if Decimal(value) < 0:
            raise InvalidInput(fields={name: _("must not be negative")})


# --- contribution base -------------------------------------------------------------------


@dataclass(frozen=True)
class BaseBand:
    """The allowed contribution base for a year: [floor, ceiling] in yuan per month."""

    floor: Decimal
    ceiling: Decimal

    @classmethod
    def from_average_wage(cls, average_wage: Decimal, floor_ratio: Decimal, ceiling_ratio: Decimal) -> BaseBand:
        return cls(yuan(average_wage * floor_ratio), yuan(average_wage * ceiling_ratio))

    def clamp(self, wage: Decimal) -> Decimal:
        """缴费基数 of an employee: own previous-year average monthly wage, clamped to the band."""
        return min(max(yuan(wage), self.floor), self.ceiling)

    def contains(self, base: Decimal) -> bool:
        return self.floor <= base <= self.ceiling


# --- unemployment insurance ------------------------------------------------------------


@dataclass(frozen=True)
class UnemploymentEntitlement:
    eligible: bool
    contribution_months: int
    tier_months: int
    carried_over_months: int
    total_months: int
    capped: bool


def unemployment_entitlement(
    *,
    contribution_months: int,
    carried_over_months: int,
    tiers: Sequence[tuple[Decimal, int]],
    minimum_years: Decimal,
    maximum_months: int,
) -> UnemploymentEntitlement:
    """Benefit months (失业保险条例 第17条): by cumulative contribution years since the last
    claim, e.g. [1,5) -> 12, [5,10) -> 18, >=10 -> 24; unused months of the previous
    entitlement are added; the total never exceeds ``maximum_months``.

    Below the minimum contribution (1 year) there is no entitlement at all: the statute
    makes one year of contributions a condition of any benefit (第14条).
    """
    if contribution_months < 0 or carried_over_months < 0:
        raise InvalidInput(fields={"contribution_months": _("must not be negative")})
    years = Decimal(contribution_months) / 12
    if years < Decimal(minimum_years):
        return UnemploymentEntitlement(False, contribution_months, 0, carried_over_months, 0, False)
    tier_months = 0
    for threshold, months in sorted(tiers):
        if years >= Decimal(threshold):
            tier_months = months
    uncapped = tier_months + carried_over_months
    total = min(uncapped, maximum_months)
    return UnemploymentEntitlement(True, contribution_months, tier_months, carried_over_months, total, total < uncapped)


# --- arrears and late fee ---------------------------------------------------------------


@dataclass(frozen=True)
class LateFee:
    outstanding: Decimal
    overdue_days: int
    fee: Decimal


def late_fee(
    *,
    due_amount: Decimal,
    due_date: dt.date,
    payments: Sequence[tuple[dt.date, Decimal]],
    as_of: dt.date,
    daily_rate: Decimal,
) -> LateFee:
    """滞纳金 (社会保险法 第86条): ``daily_rate`` per day on the unpaid amount, from the day
    after ``due_date`` until it is paid (or ``as_of``). Partial payments reduce the amount
    the fee runs on from the day they arrive.
    """
    outstanding = Decimal(due_amount)
    fee = Decimal(0)
    cursor = due_date
    days = 0
    for paid_on, amount in sorted(payments):
        if paid_on > as_of:
            break
        if paid_on > cursor and outstanding > 0:
            span = (paid_on - cursor).days
            fee += outstanding * daily_rate * span
            days += span
            cursor = paid_on
        outstanding -= Decimal(amount)
    if as_of > cursor and outstanding > 0:
        span = (as_of - cursor).days
        fee += outstanding * daily_rate * span
        days += span
    return LateFee(yuan(outstanding), days, yuan(fee))


# --- personal account interest ----------------------------------------------------------


def account_interest_fen(*, opening_fen: int, credits: Iterable[tuple[int, int]], annual_rate: Decimal) -> int:
    """Interest of one year on the personal pension account, in fen.

    The opening balance earns a full year; an amount credited in month m earns
    (13 - m)/12 of a year, which for equal monthly credits is the familiar
    ``当年记账额 × 利率 × 1.083 × 1/2``. Rounded half-up once, at the end; the yearly SQL
    batch computes exactly this.
    """
    weighted = 12 * opening_fen + sum(amount * (13 - month) for month, amount in credits)
    return divide_half_up(rate_ppm(annual_rate) * weighted, 12 * PPM)
