"""The talent demo for `make run` (`hrss demo`): a public institution (天津市和平区示范中学,
a credit code starting 12) bound to the demo account ``institution``, with its staffing
quota, post settings and six staff members.

With it the institution's agent walks R3 in the browser: apply for an open recruitment plan
within the quota (``/talent/institution/``), a post change and a wage approval; the bureau's
``clerk``, ``reviewer`` and ``approver`` take the applications through the workbench, where the
quota with the plan and the computed wage are shown before the decision.

The demo citizen (``citizen``, 张伟, at the demo enterprise for 9800 a month) qualifies for
the talent green card C on the registry wage alone (R1): they apply in the hall (SH-RC-001),
``reviewer`` sees the eligibility check and ``approver`` issues the card; the holder then applies
for its benefits at ``/talent/green-card/`` and the reviewer decides them at
``/talent/green-card/decisions/``.

Idempotent: what exists is kept. Development only (the demo command refuses production).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from stdnum.cn import ric

from hrss.codes.identifiers import parse_credit_code, parse_id_number
from hrss.core.scope import Scope
from hrss.registry import services as registry
from hrss.registry.models import Source
from hrss.talent import selectors, services
from hrss.talent.models import GreenCardCategory, Institution
from hrss.talent.services.green_cards import GREEN_CARD_ITEM

# GB 32100 check character and GB 11714 organisation check: authority 1 (机构编制), category 2 (事业单位).
DEMO_CREDIT_CODE = "12120101400000173Y"
DEMO_NAME = "天津市和平区示范中学"
ACTOR = "demo"
STAFF = (  # name, post key, scale step, entered on
    ("李敏", "p10", 18, dt.date(2016, 9, 1)),
    ("王磊", "p10", 22, dt.date(2013, 9, 1)),
    ("赵静", "p9", 27, dt.date(2010, 9, 1)),
    ("孙浩", "p10", 12, dt.date(2021, 9, 1)),
    ("周婷", "m8", 20, dt.date(2015, 3, 1)),
    ("吴刚", "s3", 15, dt.date(2012, 7, 1)),
)
POSTS = {  # key: (category, grade, positions)
    "p10": ("professional", 10, 6),
    "p9": ("professional", 9, 3),
    "m8": ("management", 8, 2),
    "s3": ("support", 3, 2),
}


def _id_number(serial: int, birth: dt.date) -> str:
    body = f"120101{birth:%Y%m%d}{700 + serial:03d}"
    return body + ric.calc_check_digit(body + "0")


@transaction.atomic
def demo_talent(*, agent: Any) -> list[str]:
    """Create the demo institution for ``agent`` (an employer-agent account); the lines to print."""
    employer = registry.employer_apply(
        credit_code=parse_credit_code(DEMO_CREDIT_CODE),
        values={"name": DEMO_NAME, "industry": "83", "district": "120101", "size": "small"},
        source=Source.MARKET_REGULATION,
    ).obj
    if agent.employer_id != employer.pk:
        agent.employer = employer
        agent.save(update_fields=["employer"])
    if Institution.objects.filter(employer=employer).exists():
        return _described(agent)
    office = Scope.system(ACTOR)
    institution = services.institution_register(scope=office, credit_code=DEMO_CREDIT_CODE, supervisor="和平区教育局")
    services.quota_set(scope=office, institution_id=institution.pk, kind="full", count=12, document="和编〔2024〕12号")
    posts = {
        key: services.post_set(
            scope=office, institution_id=institution.pk, category=category, grade=grade, count=positions
        )
        for key, (category, grade, positions) in POSTS.items()
    }
    for serial, (name, post, step, entered_on) in enumerate(STAFF, start=1):
        birth = dt.date(1985 + serial, serial, 10 + serial)
        number = parse_id_number(_id_number(serial, birth))
        registry.person_apply(
            id_number=number,
            values={"name": name, "household_district": "120101", "residence_district": "120101"},
            source=Source.PUBLIC_SECURITY,
        )
        services.staff_add(
            scope=office,
            institution_id=institution.pk,
            id_number=number.value,
            name=name,
            post_id=posts[post].pk,
            kind="full",
            scale_step=step,
            entered_on=entered_on,
        )
    return _described(agent)


def _described(agent: Any) -> list[str]:
    """The same lines on every run (a second ``hrss demo`` prints what the first did)."""
    return [
        f"talent: {DEMO_NAME}, quota 12 (全额拨款), {len(STAFF)} staff; its agent {agent.username} "
        "applies for a recruitment plan at /talent/institution/"
    ]


def demo_green_card(*, citizen: Any) -> list[str]:
    """Which green card the demo citizen qualifies for on the registry wage alone (nothing
    declared), from the policy in force; nothing is written, so every run prints the same."""
    person = getattr(citizen, "person", None)
    if person is None:
        return []
    today = timezone.localdate()
    for category in GreenCardCategory.values:
        eligibility, answer = selectors.green_card_check(
            person_id=person.pk, category=category, degree="none", title="none", award="none", on=today
        )
        if eligibility.eligible:
            return [
                f"talent: {citizen.username} qualifies for the talent green card {category.upper()} on the registry "
                f"wage ({answer['annual_salary']} a year, from {answer['annual_salary_min']}); applies at "
                f"/hall/items/{GREEN_CARD_ITEM}/, reviewer and approver decide, benefits at /talent/green-card/"
            ]
    return [f"talent: {citizen.username} qualifies for no talent green card on the registry wage alone"]
