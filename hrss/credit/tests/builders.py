"""Builders for the credit app's tests: arrears planted through the real insurance services
(enrolment, set-based assessment, no payment), then collected."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from hrss.insurance import rules as insurance_rules
from hrss.insurance.tests import builders as insurance


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


def approve_all(city: Any, application: Any) -> Any:
    """Every open step approved; a second review goes to another reviewer (职责分离)."""
    from django.contrib.auth import get_user_model

    from hrss.servicehall import services
    from hrss.servicehall.tests.builders import second_reviewer

    second = get_user_model().objects.filter(username="reviewer2").first() or second_reviewer(city)
    while application.status in ("submitted", "in_progress"):
        work = application.work_items.get(state="open")
        user = (
            work.assignee
            or {"counter_clerk": city.clerk, "reviewer": city.reviewer, "approver": city.approver}[work.role]
        )
        if work.step == "second_review" and not work.assignee:
            user = second
        application = services.work_item_complete(scope=city.scope(user), user=user, work_item=work, decision="approve")
    return application
