"""Test data of the talent programmes (R1), built through the real services: the programme
office (a city-wide approver), a programme open today, a pool of experts working for
different employers, citizens who declare, and the whole review up to publication."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import Any

from hrss.core import scope as roles
from hrss.talent import services
from hrss.talent.programme_models import Declaration, Programme, ReviewAssignment
from hrss.talent.tests.builders import scope
from hrss.testing import make_employer, make_employment, make_person, make_user

_n = itertools.count(1)
CRITERIA = [
    {"name": "创新性", "max_points": 40},
    {"name": "可行性", "max_points": 30},
    {"name": "预期效益", "max_points": 30},
]


def office(*, districts: list[str] | None = None) -> Any:
    n = next(_n)
    if districts:
        return make_user(f"programme-office{n}", roles.APPROVER, districts=districts)
    return make_user(f"programme-office{n}", roles.APPROVER, city_wide=True)


def programme(
    user: Any,
    *,
    code: str = "",
    speciality: str = "工程技术",
    awards: int = 1,
    experts: int | None = 3,
    opens_on: dt.date | None = None,
    closes_on: dt.date | None = None,
) -> Programme:
    today = dt.date.today()
    return services.programme_create(
        scope=scope(user),
        code=code or f"RC-TEST-{next(_n)}",
        name="海河英才创新项目",
        level="municipal",
        speciality=speciality,
        description="支持青年科技人才开展创新研究",
        opens_on=opens_on or today - dt.timedelta(days=5),
        closes_on=closes_on or today + dt.timedelta(days=20),
        funding_per_project="200000.00",
        awards=awards,
        criteria=CRITERIA,
        experts_per_declaration=experts,
    )


def person_at(name: str, employer: Any = None) -> Any:
    person = make_person(name=name, birth=dt.date(1975, 1, 1 + next(_n) % 27))
    make_employment(person, employer or make_employer(name=f"{name}的单位"), start=dt.date(2015, 1, 1))
    return person


def citizen(name: str = "申报人", employer: Any = None) -> Any:
    person = person_at(name, employer)
    return make_user(f"programme-citizen{next(_n)}", roles.CITIZEN, person=person)


def expert(user: Any, name: str, *, employer: Any = None, specialities: str = "工程技术", login: bool = True) -> Any:
    """An expert of the pool (with a citizen account to sign in with when ``login``)."""
    person = person_at(name, employer)
    row = services.expert_add(
        scope=scope(user), id_number=person.id_number, name=name, specialities=specialities, title="正高级工程师"
    )
    if login:
        row.account = make_user(f"programme-expert{next(_n)}", roles.CITIZEN, person=person)
    return row


def declare(user: Any, programme: Programme, *, title: str = "新型储能材料研究", amount: str = "150000") -> Declaration:
    return services.declaration_submit(
        scope=scope(user),
        programme_code=programme.code,
        title=title,
        summary="研究内容与技术路线",
        requested_amount=amount,
    )


@dataclass
class Review:
    office: Any
    programme: Programme
    experts: list[Any]
    citizens: list[Any] = field(default_factory=list)
    declarations: list[Declaration] = field(default_factory=list)


def review(*, applicants: int = 2, pool: int = 4, awards: int = 1) -> Review:
    """A programme with ``applicants`` declarations accepted and a pool of ``pool`` experts."""
    user = office()
    made = Review(
        office=user,
        programme=programme(user, awards=awards),
        experts=[expert(user, f"专家{i}") for i in range(pool)],
    )
    for i in range(applicants):
        account = citizen(f"申报人{i}")
        made.citizens.append(account)
        declaration = declare(account, made.programme, title=f"项目{i}")
        services.declaration_check(scope=scope(user), declaration_id=declaration.pk, accepted=True)
        made.declarations.append(declaration)
    return made


def expert_account(made: Review, expert_id: Any) -> Any:
    return next(e.account for e in made.experts if e.pk == expert_id)


def score_all(made: Review, declaration: Declaration, points: list[tuple[int, int, int]]) -> None:
    """Every open assignment of the declaration's round scored, in the order drawn."""
    declaration.refresh_from_db()
    open_rows = ReviewAssignment.objects.filter(
        declaration=declaration, review_round=declaration.review_round, status="assigned"
    ).order_by("created_at", "id")
    for row, (a, b, c) in zip(open_rows, points, strict=True):
        services.sheet_submit(
            scope=scope(expert_account(made, row.expert_id)),
            assignment_id=row.pk,
            scores={"创新性": a, "可行性": b, "预期效益": c},
            comment="立项依据充分",
        )


def close_declarations(programme: Programme) -> None:
    """The declaration window over (yesterday), as time passing would leave it."""
    yesterday = dt.date.today() - dt.timedelta(days=1)
    Programme.objects.filter(pk=programme.pk).update(opens_on=yesterday - dt.timedelta(days=30), closes_on=yesterday)
    programme.refresh_from_db()
