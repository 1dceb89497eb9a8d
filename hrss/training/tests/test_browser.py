"""End to end in Debian's Chromium (Playwright), in zh-hans: a citizen enrols in a course,
the school signs them in with a face check and marks the course completed, the citizen
registers for an appraisal, the appraisal body signs them in, enters the scores, a colleague
checks them and the body publishes; the citizen's certificate verifies on the public page
(on a phone-sized screen, accessible), the school's subsidy claim goes through review to a
payment file and a second payment run pays nobody. Never downloads a browser."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone

from hrss.servicehall.tests.builders import serious_violations, session_cookie, shot
from hrss.training import services
from hrss.training.models import SubsidyClaim, SubsidyPaymentFile
from hrss.training.reference import reference_load
from hrss.training.tests import builders

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seed_data")]


def context_for(browser: Any, live_server: Any, user: Any = None, *, width: int = 1280) -> Any:
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    if user is not None:
        context.add_cookies([session_cookie(live_server, user)])
    context.set_extra_http_headers({"Accept-Language": "zh-hans"})
    context.set_default_timeout(15000)
    return context


def test_enrol_train_sit_certify_verify_and_claim_in_the_browser(browser: Any, live_server: Any, settings: Any) -> None:
    settings.HRSS_BIOMETRIC_TABLE = builders.FACES
    reference_load(apps.get_model)
    town = builders.make_town()
    now = timezone.localtime()
    course = services.course_publish(
        scope=builders.scope(town.agent),
        values={
            "title": "电工（五级）实名制培训班",
            "qualification": builders.QUALIFICATION,
            "level": 5,
            "mode": "site",
            "site": town.site_a.pk,
            "hours": 80,
            "capacity": 20,
            # the day the first session starts (just after midnight that is the day before)
            "starts_on": (now - dt.timedelta(minutes=20)).date(),
            "ends_on": now.date() + dt.timedelta(days=30),
            "sessions": [{"starts_at": now - dt.timedelta(minutes=20), "ends_at": now + dt.timedelta(hours=3)}],
        },
    )
    exam = builders.exam(town, days=7)
    base = live_server.url

    citizen = context_for(browser, live_server, town.citizen, width=390).new_page()
    citizen.goto(f"{base}/training/")
    citizen.click(f'form[action="/training/courses/{course.pk}/enrol/"] button')
    citizen.wait_for_url("**/training/my/")
    assert "报名成功" in citizen.inner_text("main")

    school = context_for(browser, live_server, town.agent).new_page()
    school.goto(f"{base}/training/institution/")
    session = course.sessions.get()
    school.select_option(f"#method-{session.pk}", "face")
    school.fill(f"#credential-{session.pk}", town.citizen.person.id_number)
    school.fill(f"#face-{session.pk}", builders.MATCH)
    school.click(f'form[action="/training/institution/sessions/{session.pk}/sign-in/"] button')
    assert "签到成功" in school.inner_text("main")
    school.click(f'form[action="/training/institution/enrolments/{course.enrolments.get().pk}/complete/"] button')
    assert "已为该学员办理结业" in school.inner_text("main")

    citizen.goto(f"{base}/training/")
    citizen.click(f'form[action="/training/appraisal/{exam.pk}/register/"] button')
    assert "认定考试报名成功" in citizen.inner_text("main")

    assessor = context_for(browser, live_server, town.body_agent).new_page()
    assessor.goto(f"{base}/training/institution/")
    candidate = exam.candidates.get()
    assessor.fill(f"#capture-{candidate.pk}", builders.MATCH)
    assessor.click(f'form[action="/training/body/sessions/{exam.pk}/candidates/{candidate.pk}/sign-in/"] button')
    assert "考生签到成功" in assessor.inner_text("main")
    assessor.fill(f"#theory-{candidate.pk}", "82")
    assessor.fill(f"#practical-{candidate.pk}", "88")
    assessor.click(f'form[action="/training/body/sessions/{exam.pk}/results/"] button')
    assert "成绩已录入" in assessor.inner_text("main")
    checker = context_for(browser, live_server, town.body_checker).new_page()
    checker.goto(f"{base}/training/institution/")
    checker.click(f'form[action="/training/body/sessions/{exam.pk}/check/"] button')
    assert "成绩已复核" in checker.inner_text("main")
    assessor.goto(f"{base}/training/institution/")
    assessor.click(f'form[action="/training/body/sessions/{exam.pk}/publish/"] button')
    assert "证书已核发" in assessor.inner_text("main")

    citizen.goto(f"{base}/training/my/")
    number = candidate.certificate.number
    assert number in citizen.inner_text("main")
    citizen.click(f"text={number}")
    text = citizen.inner_text("main")
    assert "证书有效" in text and town.citizen.person.name in text and "电工" in text  # the holder sees their name
    width = citizen.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways at 390 px ({width})"
    assert not serious_violations(citizen)
    shot(citizen, "training-1-certificate-verified")

    anyone = context_for(browser, live_server).new_page()
    anyone.goto(f"{base}/training/verify/")
    anyone.fill("#number", number)
    anyone.click("main form button[type=submit]")
    text = anyone.inner_text("main")
    assert "证书有效" in text and "学**" in text and town.citizen.person.name not in text
    assert not serious_violations(anyone)

    school.goto(f"{base}/training/institution/")
    school.click('form[action="/training/institution/claims/"] button')
    assert "补贴申领已提交审核" in school.inner_text("main")
    builders.hall_decide(SubsidyClaim.objects.get().hall_reference)
    assert SubsidyClaim.objects.get().status == "approved"
    school.goto(f"{base}/training/institution/")
    assert "已批准" in school.inner_text("main")
    assert not serious_violations(school)

    fund = context_for(browser, live_server, town.supervisor).new_page()
    fund.goto(f"{base}/training/supervision/")
    fund.click('form[action="/training/supervision/pay/"] button')
    assert "共 1 笔" in fund.inner_text("main")
    fund.click('form[action="/training/supervision/pay/"] button')
    assert "没有待拨付的已批准补贴" in fund.inner_text("main")
    assert SubsidyPaymentFile.objects.count() == 1
    assert not serious_violations(fund)
    shot(fund, "training-2-subsidy-paid")
