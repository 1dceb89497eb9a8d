"""Builders for the exams' tests, through the real services: a bank, a site, an exam with
posts, candidates registered and confirmed, and an exam taken to its scores."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from django.utils import timezone

from hrss.core import scope as roles
from hrss.core.scope import Scope
from hrss.exams import services
from hrss.exams.models import Exam, Registration, Room, Site
from hrss.testing import make_person

OFFICE = Scope(actor="exam-office", roles=frozenset({roles.REVIEWER}), districts=None)
_codes = itertools.count(1)


def citizen(person: Any) -> Scope:
    return Scope(actor=f"citizen-{person.pk}", roles=frozenset({roles.CITIZEN}), person_id=person.pk)


def marker(name: str) -> Scope:
    return Scope(actor=name, roles=frozenset({roles.REVIEWER}), districts=None)


def bank(*, tag: str = "law", objective: int = 6, essays: int = 1, points: str = "2") -> None:
    for i in range(objective):
        services.item_add(
            scope=OFFICE,
            data={
                "kind": "single",
                "tag": tag,
                "difficulty": 2,
                "points": points,
                "stem": f"{tag} 第{i + 1}题",
                "options": ["甲", "乙", "丙", "丁"],
                "key": "ABCD"[i % 4],
            },
        )
    for i in range(essays):
        services.item_add(
            scope=OFFICE,
            data={"kind": "essay", "tag": tag, "difficulty": 3, "points": "20", "stem": f"论述{i + 1}", "key": "要点"},
        )


def site(*, rooms: int = 2, capacity: int = 4) -> Site:
    n = next(_codes)
    place = Site.objects.create(code=f"S{n:03d}", name=f"第{n}考点", district="120101", address="和平路1号")
    Room.objects.bulk_create(Room(site=place, code=f"{r + 1:02d}", capacity=capacity) for r in range(rooms))
    return place


def exam(
    *,
    objective: int = 6,
    essays: int = 1,
    fee: str = "50.00",
    posts: int = 2,
    sites: list[Site] | None = None,
    **extra: Any,
) -> Exam:
    today = timezone.localdate()
    blueprint = [{"kind": "single", "tag": "law", "difficulty": 2, "count": objective}]
    if essays:
        blueprint.append({"kind": "essay", "tag": "law", "difficulty": 3, "count": essays})
    data = {
        "code": f"EX{next(_codes):04d}",
        "name": "事业单位公开招聘考试",
        "district": "120101",
        "fee": Decimal(fee),
        "registration_opens": today - dt.timedelta(days=1),
        "registration_closes": today + dt.timedelta(days=5),
        "held_on": today + dt.timedelta(days=20),
        "start_time": dt.time(9, 0),
        "end_time": dt.time(11, 0),
        "blueprint": blueprint,
        "marking_threshold": Decimal("4"),
        "sites": [place.code for place in (sites if sites is not None else [site()])],
        "posts": [
            {"code": f"P{p + 1:02d}", "name": f"岗位{p + 1}", "hires": 1, "min_age": 18, "max_age": 40}
            for p in range(posts)
        ],
        **extra,
    }
    created = services.exam_create(scope=OFFICE, data=data)
    services.exam_advance(scope=OFFICE, code=created.code, step="open")
    return created


def confirmed(
    exam_: Exam, post: str = "P01", *, name: str = "考生", birth: dt.date = dt.date(1995, 5, 1)
) -> Registration:
    """A candidate registered, approved, and (with a fee) paid through the recording gateway's callback."""
    person = make_person(name=name, birth=birth)
    registration = services.registration_create(scope=citizen(person), exam_code=exam_.code, post_code=post)
    registration = services.registration_review(scope=OFFICE, registration_id=registration.pk, approve=True)
    if registration.status == Registration.Status.PAYMENT:
        order, _url = services.fee_pay(scope=citizen(person), registration_id=registration.pk)
        services.fee_settle(order=order, status="paid", amount=order.amount, actor="gateway:thirdparty")
        registration.refresh_from_db()
    return registration
