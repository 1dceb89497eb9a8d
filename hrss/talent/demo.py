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
DEMO_TITLE_NUMBER = "ZC2019GC004417"
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
                f"/hall/items/{GREEN_CARD_ITEM}/; the review goes to reviewer or reviewer2 (whoever has less work), then "
                "approver; benefits at /talent/green-card/"
            ]
    return [f"talent: {citizen.username} qualifies for no talent green card on the registry wage alone"]


def demo_titles(*, citizen: Any) -> list[str]:
    """The demo citizen's professional title (工程师), recorded by the title office, so that
    it shows among their certificates (``/exchange/certificates/``) and verifies by number;
    ``approver`` records and revokes titles at ``/talent/titles/``. Recorded once: a second
    run finds it by its number."""
    person = getattr(citizen, "person", None)
    if person is None:
        return []
    office = Scope.system(ACTOR)
    row = services.title_record(
        scope=office,
        id_number=person.id_number,
        name=person.name,
        number=DEMO_TITLE_NUMBER,
        series="工程",
        speciality="软件工程",
        title="工程师",
        level="intermediate",
        committee="天津市工程系列中级职称评审委员会",
        issued_on=dt.date(2019, 12, 20),
    )
    return [
        f"talent: {citizen.username} holds the title {row.name} {row.number}, shown at /exchange/certificates/ "
        "and verified by number through the exchange; approver records titles at /talent/titles/"
    ]


# --- Talent programmes and their expert review (人才计划, R1) ---------------------------------

PROGRAMME_DONE = "HHYC-2026-DEMO"  # reviewed and published, the demo citizen ranked first
PROGRAMME_OPEN = "HHYC-2026-OPEN"  # taking declarations; one waits for the expert's score
PROGRAMME_CRITERIA = [
    {"name": "创新性", "max_points": 40},
    {"name": "可行性", "max_points": 30},
    {"name": "预期效益", "max_points": 30},
]
EXPERTS = ("刘建华", "陈志远", "杨丽华", "周文斌", "吴海燕")  # 刘建华 signs in as ``expert``
SECOND_APPLICANT = "郑晓峰"
# A speciality of the demo programmes alone, so that their draws take the demo pool (not the
# synthetic city's experts) and ``expert`` reviews the waiting declaration.
DEMO_SPECIALITY = "青年科技创新"
# Each expert's sheet (in the order of EXPERTS) for the citizen and for the second applicant:
# the citizen's totals 85, 90, 78, 88, 96 -> 87.67 without 96 and 78; the other's 73.00.
SHEETS = {
    "citizen": ((35, 25, 25), (38, 26, 26), (30, 24, 24), (36, 27, 25), (40, 28, 28)),
    "second": ((30, 20, 20), (32, 22, 22), (28, 20, 20), (34, 24, 22), (30, 22, 21)),
}


def _demo_person(serial: int, name: str) -> Any:
    birth = dt.date(1968 + serial % 10, 1 + serial % 12, 10 + serial % 18)
    number = parse_id_number(_id_number(serial, birth))
    return registry.person_apply(
        id_number=number,
        values={"name": name, "household_district": "120101", "residence_district": "120101"},
        source=Source.PUBLIC_SECURITY,
    ).obj


def _citizen_scope(person: Any) -> Scope:
    from hrss.core.scope import CITIZEN

    return Scope(actor=f"demo-{person.pk.hex[:8]}", roles=frozenset({CITIZEN}), person_id=person.pk)


def _scored(office: Scope, declaration: Any, sheets: tuple[tuple[int, int, int], ...], people: dict[Any, int]) -> None:
    from hrss.talent.programme_models import ReviewAssignment

    services.declaration_check(scope=office, declaration_id=declaration.pk, accepted=True)
    services.experts_assign(scope=office, declaration_id=declaration.pk, seed=2026)
    for row in ReviewAssignment.objects.filter(declaration=declaration).select_related("expert__person"):
        a, b, c = sheets[people[row.expert.person_id]]
        services.sheet_submit(
            scope=_citizen_scope(row.expert.person),
            assignment_id=row.pk,
            scores={"创新性": a, "可行性": b, "预期效益": c},
            comment="研究基础扎实，技术路线可行",
        )


@transaction.atomic
def demo_programmes(*, citizen: Any, expert: Any) -> list[str]:
    """Two talent programmes: ``HHYC-2026-DEMO`` reviewed by five experts of the pool and
    published, the demo citizen ranked first and funded (appealable during the notice period);
    ``HHYC-2026-OPEN`` taking declarations, where a second applicant's declaration waits for
    the score of ``expert`` (an account bound to the expert 刘建华). Idempotent."""
    from hrss.talent.programme_models import Programme

    person = getattr(citizen, "person", None)
    if person is None:
        return []
    if not Programme.objects.filter(code=PROGRAMME_DONE).exists():
        office = Scope.system(ACTOR)
        # 刘建华 works at the demo institution (the applicants do not: no conflict).
        registry.employer_apply(
            credit_code=parse_credit_code(DEMO_CREDIT_CODE),
            values={"name": DEMO_NAME, "industry": "83", "district": "120101", "size": "small"},
            source=Source.MARKET_REGULATION,
        )
        people: dict[Any, int] = {}
        for index, name in enumerate(EXPERTS):
            member = _demo_person(11 + index, name)
            people[member.pk] = index
            services.expert_add(
                scope=office,
                id_number=member.id_number,
                name=name,
                specialities=[DEMO_SPECIALITY],
                title="正高级工程师",
            )
            if index == 0:
                registry.employment_record(
                    id_number=parse_id_number(member.id_number),
                    credit_code=parse_credit_code(DEMO_CREDIT_CODE),
                    start_date=dt.date(2005, 9, 1),
                    end_date=None,
                    occupation=None,
                    monthly_wage=None,
                    source=Source.TAX,
                )
                if expert.person_id != member.pk:
                    expert.person = member
                    expert.save(update_fields=["person"])
        second = _demo_person(16, SECOND_APPLICANT)
        today = timezone.localdate()
        made = {}
        for code, name, opens, closes in (
            (PROGRAMME_DONE, "海河英才青年科技人才创新项目（2026年第一批）", -40, 0),
            (PROGRAMME_OPEN, "海河英才青年科技人才创新项目（2026年第二批）", -5, 60),
        ):
            made[code] = services.programme_create(
                scope=office,
                code=code,
                name=name,
                level="municipal",
                speciality=DEMO_SPECIALITY,
                description="支持40岁以下青年科技人才开展应用研究，每项资助20万元。",
                opens_on=today + dt.timedelta(days=opens),
                closes_on=today + dt.timedelta(days=closes),
                funding_per_project="200000.00",
                awards=1,
                criteria=PROGRAMME_CRITERIA,
            )
        mine = services.declaration_submit(
            scope=_citizen_scope(person),
            programme_code=PROGRAMME_DONE,
            title="工业互联网平台安全态势感知技术研究",
            summary="面向本市制造企业，研究工业互联网平台的安全态势感知与预警技术。",
            requested_amount="200000.00",
        )
        other = services.declaration_submit(
            scope=_citizen_scope(second),
            programme_code=PROGRAMME_DONE,
            title="海水淡化膜材料国产化研究",
            summary="研究高通量海水淡化膜材料的制备工艺。",
            requested_amount="180000.00",
        )
        _scored(office, mine, SHEETS["citizen"], people)
        _scored(office, other, SHEETS["second"], people)
        services.programme_aggregate(scope=office, programme_code=PROGRAMME_DONE)
        # The declarations closed yesterday, as a month of declaring would have left them.
        Programme.objects.filter(code=PROGRAMME_DONE).update(closes_on=today - dt.timedelta(days=1))
        services.programme_publish(scope=office, programme_code=PROGRAMME_DONE)
        waiting = services.declaration_submit(
            scope=_citizen_scope(second),
            programme_code=PROGRAMME_OPEN,
            title="氢燃料电池催化剂研究",
            summary="研究低铂氢燃料电池催化剂。",
            requested_amount="150000.00",
        )
        services.declaration_check(scope=office, declaration_id=waiting.pk, accepted=True)
        services.experts_assign(scope=office, declaration_id=waiting.pk, seed=2026)
    return [
        f"talent: programme {PROGRAMME_DONE} reviewed by {len(EXPERTS)} experts and published: {citizen.username} "
        "ranked 1 of 2 (87.67, the highest and lowest of five sheets dropped), funded; results at "
        f"/talent/programmes/{PROGRAMME_DONE}/, appeal at /talent/declarations/",
        f"talent: {expert.username} (expert {EXPERTS[0]}) has a declaration of {PROGRAMME_OPEN} to score at "
        "/talent/reviews/; approver runs the programmes at /talent/programme-office/",
    ]
