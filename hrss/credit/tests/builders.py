"""Builders for the credit app's tests: arrears planted through the real insurance services
(enrolment, set-based assessment, no payment), then collected."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from hrss.insurance import rules as insurance_rules
from hrss.insurance.tests import builders as insurance
from hrss.labor.tests.builders import approve_all  # noqa: F401 - every step approved, a second review by another reviewer


def overdue_month(months_ago: int = 4) -> dt.date:
    """A month whose due date and 30-day grace have long passed."""
    return insurance_rules.add_months(timezone.localdate().replace(day=1), -months_ago)


def plant_arrears(employer: Any, *, months: int = 1, name: str = "职工甲") -> Any:
    """An employee enrolled ``months`` months before the last overdue month and the months
    assessed, never paid: one arrears fact per month."""
    first = overdue_month(3 + months)
    person = insurance.employee(employer, start=first, name=name)
    insurance.assess(first, months)
    return person
