"""Test data of public-institution personnel, built through the real services: a public
institution (a registry employer with a credit code starting 12) registered by an approver,
its quota, posts and two staff, its agent; and the hall's staff to decide its applications."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

from stdnum.cn import uscc

from hrss.codes.identifiers import organisation_check_character
from hrss.core import scope as roles
from hrss.core.scope import Scope
from hrss.identity.auth import scope_for_user
from hrss.talent import services
from hrss.testing import make_employer, make_person, make_user

_n = itertools.count(1)
_org = itertools.count(4001)


def scope(user: Any) -> Scope:
    user._hrss_scope = None
    if hasattr(user, "_role_codes"):
        del user._role_codes
    return scope_for_user(user)


def public_credit_code(district: str = "120101") -> str:
    """A valid credit code of a public institution: authority 1 (机构编制), category 2 (事业单位)."""
    body16 = f"12{district}{next(_org):08d}"
    body17 = body16 + organisation_check_character(body16[8:16])
    return body17 + uscc.calc_check_digit(body17)


@dataclass
class Unit:
    institution: Any
    agent: Any
    approver: Any
    staff: list[Any]
    posts: dict[str, Any]  # "p10", "p9", "m8"


def make_unit(*, district: str = "120101", quota: int = 5, name: str = "天津市示范中学") -> Unit:
    approver = make_user(f"talent-approver{next(_n)}", roles.APPROVER, city_wide=True)
    employer = make_employer(district=district, name=name, credit_code=public_credit_code(district))
    registrar = scope(approver)
    institution = services.institution_register(scope=registrar, credit_code=employer.credit_code, supervisor="市教委")
    services.quota_set(
        scope=registrar, institution_id=institution.pk, kind="full", count=quota, document="津编〔2024〕1号"
    )
    posts = {
        "p10": services.post_set(
            scope=registrar, institution_id=institution.pk, category="professional", grade=10, count=4
        ),
        "p9": services.post_set(
            scope=registrar, institution_id=institution.pk, category="professional", grade=9, count=1
        ),
        "m8": services.post_set(
            scope=registrar, institution_id=institution.pk, category="management", grade=8, count=1
        ),
    }
    agent = make_user(f"talent-agent{next(_n)}", roles.EMPLOYER_AGENT, employer=employer)
    staff = [staff_add(agent, institution, posts["p10"], name=f"教师{i}") for i in range(2)]
    return Unit(institution=institution, agent=agent, approver=approver, staff=staff, posts=posts)


def staff_add(agent: Any, institution: Any, post: Any, *, name: str = "教师", plan: Any = None, step: int = 20) -> Any:
    person = make_person(name=name, birth=dt.date(1988, 4, 1))
    return services.staff_add(
        scope=scope(agent),
        institution_id=institution.pk,
        id_number=person.id_number,
        name=name,
        post_id=post.pk,
        kind="full",
        scale_step=step,
        entered_on=dt.date(2020, 9, 1),
        plan_id=plan.pk if plan else None,
    )


def plan(unit: Unit, numbers: int = 2, key: str = "plan-1", post: str = "p10") -> Any:
    return services.plan_submit(
        scope=scope(unit.agent),
        user=unit.agent,
        year=dt.date.today().year,
        kind="full",
        lines=[{"post": str(unit.posts[post].pk), "numbers": numbers, "conditions": "本科及以上，教师资格"}],
        conditions="面向社会公开招聘",
        idempotency_key=key,
    )


def hall_staff() -> dict[str, Any]:
    """A city-wide clerk, reviewer and approver for the hall's steps (one person, one tier)."""
    return {
        "counter_clerk": make_user(f"talent-clerk{next(_n)}", roles.COUNTER_CLERK, city_wide=True),
        "reviewer": make_user(f"talent-reviewer{next(_n)}", roles.REVIEWER, city_wide=True),
        "approver": make_user(f"talent-hall-approver{next(_n)}", roles.APPROVER, city_wide=True),
    }


def hall_decide(reference: str, decision: str = "approve", *, until: str = "") -> Any:
    """Staff take the open steps of the hall application to the decision (through the hall's
    services); ``until`` stops before the step of that role (e.g. to look at the preview)."""
    from hrss.servicehall import services as hall
    from hrss.servicehall.models import Application

    staff = hall_staff()
    application = Application.objects.get(reference=reference)
    while application.status in ("submitted", "in_progress"):
        work = application.work_items.get(state="open")
        if work.role == until:
            return application
        user = work.assignee or staff[work.role]
        application = hall.work_item_complete(
            scope=scope(user),
            user=user,
            work_item=work,
            decision=decision,
            reasons="" if decision == "approve" else "材料不全",
        )
    return application


# --- The talent green card (R1) ---------------------------------------------------------------


def green_card_applicant(*, wage: str = "9800", name: str = "人才甲", employer: Any = None) -> Any:
    """A citizen account whose person works for an enterprise (credit code 91...) at ``wage`` a month."""
    from decimal import Decimal

    from hrss.testing import make_employment

    person = make_person(name=name, birth=dt.date(1986, 5, 1))
    make_employment(
        person, employer or make_employer(name="人才甲的公司"), start=dt.date(2018, 3, 1), wage=Decimal(wage)
    )
    return make_user(f"talent-citizen{next(_n)}", roles.CITIZEN, person=person)


def green_card_apply(
    user: Any, *, category: str = "c", degree: str = "master", title: str = "none", award: str = "none", key: str = ""
) -> Any:
    """Apply for the green card through the hall (SH-RC-001), as the citizen does on the web."""
    from hrss.servicehall import services as hall

    application, _created = hall.application_submit(
        scope=scope(user),
        user=user,
        item_code="SH-RC-001",
        form_data={"phone": "13800138000", "category": category, "degree": degree, "title": title, "award": award},
        idempotency_key=key or f"green-card-{next(_n)}",
        channel="web",
    )
    return application
