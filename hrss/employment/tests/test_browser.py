"""End to end in Debian's Chromium (Playwright), in zh-hans: a citizen registers as
unemployed in the hall (staff approve), sets their intentions, finds a demo vacancy among
the jobs ranked for them and applies; the employer's agent opens the candidates and sends
an interview invitation; the citizen reads it on a phone-sized screen, and it is in their
inbox. Never downloads a browser: Playwright drives /usr/bin/chromium."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.utils import timezone

from hrss.employment.demo import demo_vacancies
from hrss.employment.models import JobApplication
from hrss.employment.notify_templates import INTERVIEW_INVITATION_TEMPLATE
from hrss.notify.models import OutboundMessage
from hrss.servicehall.models import Application
from hrss.servicehall.tests.builders import City, approve_every_step, serious_violations, session_cookie, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seed_data")]


def context_for(browser: Any, live_server: Any, user: Any, *, width: int = 1280) -> Any:
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    context.add_cookies([session_cookie(live_server, user)])
    context.set_extra_http_headers({"Accept-Language": "zh-hans"})
    context.set_default_timeout(15000)
    return context


def test_register_set_intentions_apply_and_get_an_interview_invitation(browser: Any, live_server: Any, city: City):
    base = live_server.url
    demo_vacancies(agent=city.agent)
    citizen = context_for(browser, live_server, city.citizen, width=390).new_page()

    # 失业登记 in the hall; the staff approve it.
    citizen.goto(f"{base}/employment/")
    citizen.click("a[href='/hall/items/SH-JY-001/']")
    citizen.click("a[href='/hall/items/SH-JY-001/apply/']")
    citizen.fill("#f-unemployed_since", "2026-10-01")
    citizen.click("button.primary")
    citizen.wait_for_url("**/hall/applications/SH*/")
    reference = citizen.url.rstrip("/").rsplit("/", 1)[-1]
    assert approve_every_step(city, Application.objects.get(reference=reference)).status == "approved"

    # Intentions: software development in 和平区, at least 8000 a month.
    citizen.goto(f"{base}/employment/")
    assert "失业登记" in citizen.inner_text("main") and "2026-10-01" in citizen.inner_text("main")
    citizen.select_option("#occupations", ["2-02"])
    citizen.select_option("#districts", ["120101"])
    citizen.fill("#wage_min", "8000")
    citizen.fill("#skills", "Python，Linux")
    citizen.click("text=保存")
    citizen.wait_for_url(f"{base}/employment/")
    matches = citizen.inner_text("#matches + table, section[aria-labelledby=matches]")
    assert "Python开发工程师" in matches and "意向职业相同" in matches
    assert "行政文员" not in matches  # another occupation group, and below the wage wanted
    citizen.click("button[aria-label='应聘Python开发工程师']")
    citizen.wait_for_url(f"{base}/employment/#applications")
    assert "已应聘" in citizen.inner_text("section[aria-labelledby=applications]")

    # The employer's agent sees the candidate and invites them.
    agent = context_for(browser, live_server, city.agent).new_page()
    agent.goto(f"{base}/employment/vacancies/")
    agent.click("text=1 位应聘者")
    assert "张伟" in agent.inner_text("main")
    application = JobApplication.objects.get()
    at = timezone.localtime(timezone.now() + timezone.timedelta(days=3)).replace(hour=10, minute=0)
    agent.fill(f"#at-{application.pk}", at.strftime("%Y-%m-%dT%H:%M"))
    agent.fill(f"#place-{application.pk}", "南京路100号三楼人事部")
    agent.fill(f"#note-{application.pk}", "请携带身份证")
    agent.click("text=发送面试邀请")
    assert f"已邀请于{at.strftime('%Y-%m-%d %H:%M')}在南京路100号三楼人事部面试" in agent.inner_text("main")
    assert not serious_violations(agent)
    shot(agent, "employment-1-agent-invited")

    # The citizen has it: on the page, in the inbox and by SMS.
    citizen.goto(f"{base}/employment/")
    applications = citizen.inner_text("section[aria-labelledby=applications]")
    assert "已邀请面试" in applications and "南京路100号三楼人事部" in applications
    assert at.strftime("%Y-%m-%d %H:%M") in applications
    sent = OutboundMessage.objects.filter(template=INTERVIEW_INVITATION_TEMPLATE)
    assert {m.channel for m in sent} == {"in_app", "sms"}
    assert all(json.loads(m.params)["place"] == "南京路100号三楼人事部" for m in sent)
    width = citizen.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways at 390 px ({width})"
    assert not serious_violations(citizen)
    shot(citizen, "employment-2-citizen-invited")
