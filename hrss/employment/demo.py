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
    return posted


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
