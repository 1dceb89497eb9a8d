"""The demo's vacancies (``hrss demo``, ``make run``): what the demo employer's agent posts
through the same service an agent's page uses, so that the demo citizen, once registered as
unemployed, finds jobs ranked for them, applies, and can be invited to an interview.

Idempotent: each vacancy carries its own idempotency key, so running the demo again posts
nothing twice. A vacancy's closing date is a quarter ahead of the day it is posted.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from hrss.codes import examples
from hrss.employment import services
from hrss.employment.models import Vacancy
from hrss.identity.auth import scope_for_user

# (idempotency key, title, occupation, wage range, skills, description)
VACANCIES = [
    (
        "demo-vacancy-software",
        "Python开发工程师",
        "2-02",
        ("9000", "15000"),
        ["Python", "SQL", "Linux"],
        "负责政务服务平台的后端开发与维护，参与需求分析、接口设计和代码评审。",
    ),
    (
        "demo-vacancy-data",
        "数据分析员",
        "2-02",
        ("7000", "11000"),
        ["SQL", "数据分析"],
        "整理和分析业务数据，编制统计报表，支持管理决策。",
    ),
    (
        "demo-vacancy-clerk",
        "行政文员",
        "3-01",
        ("4500", "6000"),
        ["办公软件"],
        "负责文件收发、会议安排和来访接待等日常行政事务。",
    ),
    (
        "demo-vacancy-service",
        "客户服务专员",
        "4-01",
        ("5000", "7000"),
        ["沟通"],
        "通过电话和线上渠道解答客户咨询，记录并跟进客户反馈。",
    ),
]


def demo_vacancies(*, agent: Any) -> list[Vacancy]:
    """The demo employer's open vacancies, posted by its agent (once)."""
    scope = scope_for_user(agent)
    valid_until = timezone.localdate() + dt.timedelta(days=90)
    posted = []
    for key, title, occupation, (low, high), skills, description in VACANCIES:
        posted.append(
            services.vacancy_post(
                scope=scope,
                values={
                    "title": title,
                    "description": description,
                    "occupation": occupation,
                    "district": examples.DISTRICT,
                    "address": "天津市和平区南京路100号",
                    "wage_min": Decimal(low),
                    "wage_max": Decimal(high),
                    "education": None,
                    "skills": skills,
                    "headcount": 2,
                    "valid_until": valid_until,
                },
                idempotency_key=key,
            )
        )
    posted.append(demo_agency_vacancy(employer_id=agent.employer_id))
    return posted


# A licensed HR agency (人力资源服务许可证) whose system posts for the demo employer.
AGENCY_CLIENT = "示范人力资源服务系统（天津和平人力资源服务有限公司）"
AGENCY_SECRET = "hrss-demo-agency-2026"  # noqa: S105 - the development demo only (hrss demo)
AGENCY_LICENCE = "津人服证字〔2026〕第0101000001号"


def demo_agency_vacancy(*, employer_id: Any) -> Vacancy:
    """The demo agency: its client (grant ``employment:vacancies``, the known development
    secret), its licence for the demo district, and one vacancy it posted for the demo
    employer (once: the licence by its number, the vacancy by its idempotency key)."""
    from oauth2_provider.models import get_application_model

    from hrss.core.scope import Scope
    from hrss.employment import agencies
    from hrss.employment.models import AgencyLicence
    from hrss.identity.auth import agency_scope
    from hrss.identity.clients import agency_client_create
    from hrss.registry.models import Employer

    Application = get_application_model()
    application = Application.objects.filter(name=AGENCY_CLIENT).first()
    if application is None:
        agency_client_create(name=AGENCY_CLIENT, scopes=[agencies.GRANT], actor="demo")
        application = Application.objects.get(name=AGENCY_CLIENT)
    application.client_secret = AGENCY_SECRET
    application.save()
    today = timezone.localdate()
    if not AgencyLicence.objects.filter(licence_number=AGENCY_LICENCE).exists():
        agencies.licence_record(
            scope=Scope.system("demo"),
            licence_number=AGENCY_LICENCE,
            agency_name="天津和平人力资源服务有限公司",
            client_name=AGENCY_CLIENT,
            districts=[examples.DISTRICT],
            valid_from=today.replace(month=1, day=1),
            valid_until=today.replace(month=12, day=31) + dt.timedelta(days=4 * 365),
        )
    employer = Employer.objects.get(pk=employer_id)
    return agencies.agency_vacancy_post(
        scope=agency_scope(name=AGENCY_CLIENT, scopes=[agencies.GRANT]),
        credit_code=employer.credit_code,
        values={
            "title": "仓储管理员",
            "description": "负责仓库货物的入库、出库和盘点，维护库存台账。（由人力资源服务机构代为发布）",
            "occupation": "4-01",
            "district": examples.DISTRICT,
            "address": "天津市和平区南京路100号",
            "wage_min": Decimal("5000"),
            "wage_max": Decimal("6500"),
            "education": None,
            "skills": ["仓储管理"],
            "headcount": 1,
            "valid_until": today + dt.timedelta(days=90),
        },
        idempotency_key="demo-agency-vacancy-warehouse",
    )


# The demo citizen's start-up loan (创业担保贷款, SH-JY-003): accepted, so it waits at review
# (or, with a fast-track score, at approval) with its repayment assessment on the workbench.
DEMO_LOAN_FORM = {"phone": "13800138000", "business_name": "和平区小张早餐店", "amount": "150000", "term_months": "36"}


def demo_startup_loan(*, citizen: Any, clerk: Any) -> str:
    """Submit the demo loan application in the hall (once) and accept it at the counter."""
    from hrss.servicehall import services as hall

    application, created = hall.application_submit(
        scope=scope_for_user(citizen),
        user=citizen,
        item_code="SH-JY-003",
        form_data=DEMO_LOAN_FORM,
        idempotency_key="demo-startup-loan",
        channel="web",
    )
    if created and clerk is not None:
        work = application.work_items.get(state="open")
        clerk._hrss_scope = None
        application = hall.work_item_complete(
            scope=scope_for_user(clerk), user=clerk, work_item=work, decision="approve"
        )
    return f"employment: start-up loan application {application.reference} ({application.status})"


# The bureau's support for people (E1, E2): the demo citizen identified by the demo clerk
# (和平区) as a member of a zero-employment family, with a follow-up due; a guidance slot of
# the clerk's a week ahead; the citizen's start-up registered. Only the demo's own users and
# records are touched (never the synthetic city's), and each step finds what an earlier run made.
DEMO_STARTUP_NAME = "和平区小张早餐店"


def demo_support(*, citizen: Any, clerk: Any) -> list[str]:
    from hrss.employment import support
    from hrss.employment.support_models import GuidanceSlot, StartupRegistration

    if clerk is None or citizen.person_id is None:
        return []
    clerk._hrss_scope = None
    staff = scope_for_user(clerk)
    membership = support.special_group_identify(
        scope=staff,
        person_id=citizen.person_id,
        category="zero_employment_family",
        evidence="街道出具的零就业家庭证明（示例）",
    )
    if not GuidanceSlot.objects.filter(counsellor=clerk, starts_at__gt=timezone.now()).exists():
        week = timezone.localtime() + dt.timedelta(days=7)
        support.guidance_slot_publish(
            scope=staff,
            starts_at=week.replace(hour=10, minute=0, second=0, microsecond=0),
            place="和平区人力资源市场三楼职业指导室",
            district=examples.DISTRICT,
        )
    registration = StartupRegistration.objects.filter(
        person_id=citizen.person_id, business_name=DEMO_STARTUP_NAME
    ).first()
    if registration is None:
        citizen._hrss_scope = None
        registration = support.startup_register(
            scope=scope_for_user(citizen),
            business_name=DEMO_STARTUP_NAME,
            started_on=timezone.localdate() - dt.timedelta(days=60),
            industry="H",
            district=examples.DISTRICT,
            employees=2,
        )
    return [
        f"employment: special group {membership.category} of the demo citizen, follow-up due {membership.next_follow_up}",
        f"employment: start-up {registration.business_name} registered",
    ]
