"""Public calculators (养老金测算): policy figures in force plus the pure rules; no personal data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from hrss.insurance import policy, rules


@dataclass(frozen=True)
class EstimateResult:
    estimate: rules.PensionEstimate
    notes: list[str]


def pension_estimate_compute(
    *,
    average_wage: Decimal,
    average_index: Decimal,
    contribution_months: int,
    account_balance: Decimal,
    retirement_age: rules.Age,
    deemed_contribution_months: int | None = None,
    deemed_index: Decimal = Decimal(1),
    on: dt.date | None = None,
) -> EstimateResult:
    """The monthly pension for the given inputs under the rules in force on ``on`` (today).

    The transitional pension is computed only where the city's coefficient is configured
    (``pension.transitional_coefficient``); otherwise it is left out and a note says so.
    """
    on = on or dt.date.today()
    table = policy.divisor_table(on=on)
    notes: list[str] = []
    transitional = None
    if deemed_contribution_months:
        coefficient = policy.pension_transitional_coefficient(on=on)
        if coefficient is None:
            notes.append(_("The transitional pension is not included: the city's coefficient has not been configured."))
        else:
            transitional = rules.TransitionalInputs(deemed_contribution_months, deemed_index, coefficient)
    estimate = rules.pension_estimate(
        average_wage=average_wage,
        average_index=average_index,
        contribution_months=contribution_months,
        account_balance=account_balance,
        retirement_age=retirement_age,
        divisor_table=table.table,
        divisor_decimals=table.decimals,
        accrual_rate=policy.pension_accrual_rate(on=on),
        transitional=transitional,
    )
    if retirement_age.months:
        notes.append(
            _("The months divisor for %(age)s is interpolated by month: %(divisor)s.")
            % {"age": f"{retirement_age.years}y{retirement_age.months}m", "divisor": estimate.divisor}
        )
    return EstimateResult(estimate, notes)
