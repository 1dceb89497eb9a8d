"""Builders for the labour app's tests, through the real services (the hall's process included)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from hrss.core import scope as roles
from hrss.labor.models import ArbitrationCase
from hrss.servicehall.tests.builders import ARBITRATION_FORM, City, do, second_reviewer, submit
from hrss.testing import make_user


def make_arbitrator(username: str = "arbitrator1") -> Any:
    return make_user(username, roles.ARBITRATOR, city_wide=True)


def filed(city: City, form: dict[str, Any] | None = None) -> tuple[Any, ArbitrationCase]:
    """A citizen's arbitration application submitted in the hall: the case is filed."""
    application = submit(city, "SH-ZC-001", form or ARBITRATION_FORM)
    return application, ArbitrationCase.objects.get(reference=application.reference)


def accepted(city: City, form: dict[str, Any] | None = None) -> ArbitrationCase:
    """A case filed and accepted through every step of the hall's process."""
    application, case = filed(city, form)
    application = approve_all(city, application)
    assert application.status == "approved", application.status
    case.refresh_from_db()
    return case


def approve_all(city: City, application: Any) -> Any:
    """Staff approve each open step; a second review (risk flags: another open application)
    goes to a second reviewer, as separation of duties asks."""
    from django.contrib.auth import get_user_model

    from hrss.servicehall import services

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


def refused(city: City, reasons: str = "不属于劳动争议受理范围") -> ArbitrationCase:
    application, case = filed(city)
    do(city, application, decision="reject", reasons=reasons)
    case.refresh_from_db()
    return case


def hearing_time(days_ahead: int = 10, hour: int = 9) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days_ahead)
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, 30))


def enlist(username: str, *, district: str | None = "120101", capacity: int = 30, city_wide: bool = True) -> Any:
    """An arbitrator's account and their place on the roster."""
    from hrss.labor.models import Arbitrator

    user = make_arbitrator(username) if city_wide else make_user(username, roles.ARBITRATOR, districts=[district])
    Arbitrator.objects.create(
        username=username,
        name=f"仲裁员{username[-1]}",
        district_id=district,
        qualification=f"TJ-ZC-{username}",
        qualified_on=dt.date(2020, 1, 1),
        capacity=capacity,
    )
    return user


def organisation(name: str = "和平区南营门街劳动争议调解委员会", district: str = "120101") -> Any:
    from hrss.labor.models import MediationOrganisation, OrganisationKind

    return MediationOrganisation.objects.create(name=name, kind=OrganisationKind.STREET, district_id=district)


def register_unit(code: str = "hp-inspection", district: str | None = "120101", kind: str = "inspection") -> Any:
    """A unit of the rights-protection register (the city-wide ones come with the migration)."""
    from hrss.labor.models import Unit

    unit, _created = Unit.objects.get_or_create(
        code=code, defaults={"name": f"单位{code}", "kind": kind, "district_id": district}
    )
    return unit


def petition(city: City, user: Any, key: str = "p1", **values: Any) -> Any:
    """A petition about the city's employer by its citizen, recorded by ``user``."""
    from hrss.labor.services import register

    form = {"channel": "letter", "subject": "拖欠工资", "person_id": city.person.pk, **values}
    if "credit_code" not in form:
        form["credit_code"] = city.employer.credit_code
    return register.petition_record(scope=city.scope(user), idempotency_key=key, **form)
