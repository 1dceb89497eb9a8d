"""The policy figures this app computes with, read from the dated parameters in ``hrss.codes``.

One place that turns parameter names into the values the rules take, so that no rate,
ratio, age or divisor is ever written as a literal in business code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from hrss.codes.selectors import ParameterMissing, parameter_series, parameter_value
from hrss.core.errors import InvalidInput
from hrss.insurance import rules
from hrss.insurance.rules import BaseBand, RetirementCategory, RetirementSchedule


@contextmanager
def figures_for(field: str, value: object) -> Iterator[None]:
    """A date or year the caller chose that has no policy figures is bad input (422 naming
    the field), not a configuration fault (503)."""
    try:
        yield
    except ParameterMissing as error:
        raise InvalidInput(
            _("No policy figures are configured for %(value)s.") % {"value": value},
            fields={field: str(value)},
        ) from error


WORK_INJURY_CLASSES = range(1, 9)


def retirement_schedule(category: RetirementCategory | str, *, on: dt.date | None = None) -> RetirementSchedule:
    """The delay schedule of one category (parameters ``retirement_age.<category>.*``).

    The schedule is read as in force today: it is a law about birth cohorts, and reading
    it on an earlier date would find no parameters before the reform began.
    """
    on = on or dt.date.today()
    category = RetirementCategory(category)
    prefix = f"retirement_age.{category.value}"
    start = dt.date(
        int(parameter_value("retirement_age.reform_start_year", on=on)),
        int(parameter_value("retirement_age.reform_start_month", on=on)),
        1,
    )
    return RetirementSchedule(
        original_years=int(parameter_value(f"{prefix}.original", on=on)),
        target_years=int(parameter_value(f"{prefix}.target", on=on)),
        cohort_months_per_step=int(parameter_value(f"{prefix}.cohort_months_per_step", on=on)),
        reform_start=start,
    )


def flexible_retirement_max_years(*, on: dt.date | None = None) -> int:
    return int(parameter_value("retirement_age.flexible_max_years", on=on or dt.date.today()))


@dataclass(frozen=True)
class DivisorTable:
    table: dict[int, Decimal]
    decimals: int

    def divisor(self, age: rules.Age) -> Decimal:
        return rules.months_divisor(age, self.table, self.decimals)


def divisor_table(*, on: dt.date) -> DivisorTable:
    """计发月数 by whole age (``pension.months_divisor.<age>``) and the interpolation precision."""
    series = parameter_series("pension.months_divisor.", on=on)
    table = {int(age): value for age, value in series.items() if age.isdigit()}
    if not table:
        raise ParameterMissing(fields={"parameter": "pension.months_divisor.*"})
    try:
        decimals = int(parameter_value("pension.months_divisor.interpolation_decimals", on=on))
    except ParameterMissing:
        # Before the 2025 reform retirement was at whole ages: interpolation never arises,
        # but the precision still has to be a number.
        decimals = int(parameter_value("pension.months_divisor.interpolation_decimals", on=dt.date.today()))
    return DivisorTable(table, decimals)


def pension_accrual_rate(*, on: dt.date) -> Decimal:
    return parameter_value("pension.basic_accrual_rate", on=on)


def pension_minimum_years(*, on: dt.date) -> Decimal:
    """Minimum contribution years for a pension starting on ``on`` (15, rising from 2030)."""
    return parameter_value("pension.min_contribution_years", on=on)


def pension_calculation_base(*, on: dt.date) -> Decimal:
    """计发基数 C: the city's full-caliber average monthly wage in force.

    Tianjin's own 计发基数 notice was not found; since 国办发〔2019〕13号 provinces use the
    full-caliber average, which is the figure the parameter table holds.
    """
    return parameter_value("average_wage.monthly_full_caliber", on=on)


def pension_transitional_coefficient(*, on: dt.date) -> Decimal | None:
    """过渡性养老金 coefficient k of the city, or None where it has not been configured."""
    try:
        return parameter_value("pension.transitional_coefficient", on=on)
    except ParameterMissing:
        return None


def average_wage(*, on: dt.date) -> Decimal:
    return parameter_value("average_wage.monthly_full_caliber", on=on)


def base_band(*, on: dt.date) -> BaseBand:
    """The contribution base band in force: the published floor and ceiling where the city
    has them, else 60 %-300 % of the full-caliber average wage."""
    try:
        return BaseBand(
            rules.yuan(parameter_value("contribution_base.floor", on=on)),
            rules.yuan(parameter_value("contribution_base.ceiling", on=on)),
        )
    except ParameterMissing:
        return BaseBand.from_average_wage(
            average_wage(on=on),
            parameter_value("contribution_base.floor_ratio", on=on),
            parameter_value("contribution_base.ceiling_ratio", on=on),
        )


def flexible_base_band(*, on: dt.date) -> BaseBand:
    """Flexible workers choose their base within 60 %-300 % of the average wage."""
    return BaseBand.from_average_wage(
        average_wage(on=on),
        parameter_value("pension.flexible_base_floor_ratio", on=on),
        parameter_value("pension.flexible_base_ceiling_ratio", on=on),
    )


@dataclass(frozen=True)
class RateRow:
    """Rates of one insurance type for one payer category, in parts per million."""

    insurance_type: str
    category: str
    employer_ppm: int
    individual_ppm: int
    account_ppm: int


@dataclass(frozen=True)
class PeriodRates:
    period: dt.date
    rows: tuple[RateRow, ...]
    work_injury_class_ppm: dict[int, int]
    band: BaseBand

    def row(self, insurance_type: str, category: str) -> RateRow:
        for row in self.rows:
            if row.insurance_type == insurance_type and row.category == category:
                return row
        raise KeyError((insurance_type, category))

    def as_evidence(self) -> dict[str, object]:
        """The figures a run used, kept on the run so every line can be explained later."""
        return {
            "period": self.period.isoformat(),
            "rates_ppm": [row.__dict__ for row in self.rows],
            "work_injury_class_ppm": {str(k): v for k, v in self.work_injury_class_ppm.items()},
            "base_floor": str(self.band.floor),
            "base_ceiling": str(self.band.ceiling),
        }


EMPLOYEE = "employee"
FLEXIBLE = "flexible"


def period_rates(period: dt.date) -> PeriodRates:
    """Every rate in force on the first day of ``period`` (征缴核定 of that month)."""
    on = rules.month_start(period)

    def ppm(name: str) -> int:
        return rules.rate_ppm(parameter_value(name, on=on))

    rows = (
        RateRow(
            rules.PENSION,
            EMPLOYEE,
            ppm("pension.employer_rate"),
            ppm("pension.individual_rate"),
            ppm("pension.individual_account_rate"),
        ),
        # Flexible workers pay the whole rate themselves; part of it goes to their account.
        RateRow(rules.PENSION, FLEXIBLE, 0, ppm("pension.flexible_total_rate"), ppm("pension.flexible_account_rate")),
        RateRow(rules.MEDICAL, EMPLOYEE, ppm("medical.employer_rate"), ppm("medical.individual_rate"), 0),
        RateRow(
            rules.UNEMPLOYMENT, EMPLOYEE, ppm("unemployment.employer_rate"), ppm("unemployment.individual_rate"), 0
        ),
        # Work injury: the employer's rate depends on its industry class and floating ratio.
        RateRow(rules.WORK_INJURY, EMPLOYEE, 0, ppm("work_injury.individual_rate"), 0),
    )
    classes = {risk_class: ppm(f"work_injury.class_rate.{risk_class}") for risk_class in WORK_INJURY_CLASSES}
    return PeriodRates(on, rows, classes, base_band(on=on))


def late_fee_daily_rate(*, on: dt.date) -> Decimal:
    return parameter_value("late_fee.daily_rate", on=on)


def contribution_due_date(period: dt.date) -> dt.date:
    """Last day on which a month's contributions are paid without a late fee."""
    days = int(parameter_value("contribution.due_days_after_period_end", on=rules.month_start(period)))
    return rules.month_end(period) + dt.timedelta(days=days)


def account_interest_rate(year: int) -> Decimal:
    """The national 记账利率 for a year (published the following year)."""
    return parameter_value("pension.account_interest_rate", on=dt.date(year, 12, 31))


def unemployment_tiers(*, on: dt.date) -> list[tuple[Decimal, int]]:
    thresholds = parameter_series("unemployment.duration_threshold_years.", on=on)
    months = parameter_series("unemployment.duration_months.", on=on)
    return sorted((thresholds[tier], int(months[tier])) for tier in thresholds if tier in months)


def unemployment_minimum_years(*, on: dt.date) -> Decimal:
    return parameter_value("unemployment.min_contribution_years", on=on)


def unemployment_maximum_months(*, on: dt.date) -> int:
    return int(parameter_value("unemployment.max_duration_months", on=on))


@dataclass(frozen=True)
class BenefitAmount:
    amount: Decimal
    basis: str


def unemployment_benefit_amount(*, on: dt.date) -> BenefitAmount:
    """失业保险金 per month: the city's configured amount (``unemployment.benefit_monthly``)
    where it exists; otherwise the national ceiling guidance of 90 % of the minimum wage."""
    try:
        return BenefitAmount(rules.yuan(parameter_value("unemployment.benefit_monthly", on=on)), "benefit_monthly")
    except ParameterMissing:
        pass
    wage = parameter_value("minimum_wage.monthly", on=on)
    ratio = parameter_value("unemployment.benefit_max_min_wage_ratio", on=on)
    return BenefitAmount(rules.yuan(wage * ratio), "minimum_wage_ratio")


def minimum_working_age(*, on: dt.date) -> int:
    return int(parameter_value("universal_enrolment.min_working_age", on=on))
