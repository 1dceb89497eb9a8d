"""The unemployment early warning's thresholds (E5) from the dated policy parameters of the
codes app (``analytics.warning.*``, seeded from ``hrss/codes/data/policy_parameters.csv``):
the figures in force in the month evaluated, never literals in code."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hrss.analytics.rules import Thresholds
from hrss.codes.selectors import parameter_value

PREFIX = "analytics.warning."


def _figure(name: str, on: dt.date) -> Decimal:
    # a missing figure is codes' ParameterMissing (503): an administrator adds it first
    return parameter_value(PREFIX + name, on=on)


def thresholds(*, on: dt.date) -> Thresholds:
    return Thresholds(
        headcount_drop_month=_figure("headcount_drop_month", on),
        headcount_drop_quarter=_figure("headcount_drop_quarter", on),
        missed_months=int(_figure("missed_months", on)),
        base_drop=_figure("base_drop", on),
        min_headcount=int(_figure("min_headcount", on)),
        registrations_band_months=int(_figure("registrations_band_months", on)),
        registrations_band_k=_figure("registrations_band_k", on),
        registrations_min=int(_figure("registrations_min", on)),
    )
