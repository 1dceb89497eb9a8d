"""The credit demo for `make run` (`hrss demo`): collect what the apps report and rate.

The demo employer left two months of contributions unpaid past its grace period (planted in
``hrss.portal.demo``), so it is rated C; its agent sees why on 我的信用 and may object, and
its next application in the hall gets the extra review tier. Idempotent."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from hrss.credit import selectors, services
from hrss.credit.models import CreditEvent, Rating


def demo_credit(*, employer: Any) -> list[str]:
    services.collect()
    services.rerate_all()
    events, rated = CreditEvent.objects.count(), Rating.objects.count()
    grade = selectors.live_grade(employer_id=employer.pk, on=timezone.localdate()) if employer is not None else None
    shown = f"{grade.grade} ({grade.score})" if grade is not None else "not rated"
    return [f"credit: {events} credit events, {rated} subjects rated; {employer.name}: {shown}"]
