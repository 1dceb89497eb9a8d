"""End to end in Debian's Chromium (Playwright), in zh-hans: a citizen files an arbitration
case in the hall, the staff accept it, an arbitrator takes it, schedules the hearing with its
notice, records it and issues the award, and the citizen reads the award on a phone-sized
screen. Never downloads a browser: Playwright drives /usr/bin/chromium."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from hrss.labor.tests.builders import hearing_time, make_arbitrator
from hrss.labor.tests.test_documents import text_of
from hrss.servicehall.tests.builders import City, serious_violations, session_cookie, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seed_data")]


def context_for(browser: Any, live_server: Any, user: Any, *, width: int = 1280) -> Any:
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    context.add_cookies([session_cookie(live_server, user)])
    context.set_extra_http_headers({"Accept-Language": "zh-hans"})
    context.set_default_timeout(15000)
    return context


def decide(page: Any, base: str, reference: str) -> None:
    page.goto(f"{base}/workbench/")
    page.click(f"text={reference}")
    page.check("#d-approve")
    page.click("button.primary")
    page.wait_for_url(f"{base}/workbench/")


def test_file_accept_hear_and_award_in_the_browser(browser: Any, live_server: Any, city: City) -> None:
    base = live_server.url
    citizen = context_for(browser, live_server, city.citizen, width=390).new_page()
    citizen.goto(f"{base}/hall/items/SH-ZC-001/apply/")
    citizen.fill("#f-respondent", city.employer.credit_code)
    citizen.fill("#f-claims", "支付2026年9月至10月拖欠工资")
    citizen.fill("#f-amount", "8600")
    citizen.click("button.primary")
    citizen.wait_for_url("**/hall/applications/SH*/")
    reference = citizen.url.rstrip("/").rsplit("/", 1)[-1]
    citizen.goto(f"{base}/labor/cases/mine/")
    assert reference in citizen.inner_text("main")

    decide(context_for(browser, live_server, city.clerk).new_page(), base, reference)
    decide(context_for(browser, live_server, city.reviewer).new_page(), base, reference)
    decide(context_for(browser, live_server, city.approver).new_page(), base, reference)

    arbitrator = context_for(browser, live_server, make_arbitrator()).new_page()
    arbitrator.goto(f"{base}/labor/workbench/")
    arbitrator.click(f"text={reference}")
    arbitrator.click("text=承办此案")
    arbitrator.fill("#at", timezone.localtime(hearing_time(10)).strftime("%Y-%m-%dT%H:%M"))
    arbitrator.fill("#room", "第一仲裁庭")
    arbitrator.click("text=排期开庭并通知当事人")
    assert "已排期开庭" in arbitrator.inner_text("main")
    arbitrator.fill("#record", "双方到庭，被申请人认可欠付工资8600元。")
    arbitrator.click("text=保存庭审笔录")
    arbitrator.select_option("#outcome", "upheld")
    arbitrator.fill("#amount", "8600")
    arbitrator.fill("#text", "被申请人于本裁决生效之日起十日内支付申请人工资8600元。")
    arbitrator.click("text=作出裁决")
    assert "已作出裁决" in arbitrator.inner_text("main")
    shot(arbitrator, "labor-1-arbitrator-awarded")

    citizen.goto(f"{base}/labor/cases/{reference}/")
    text = citizen.inner_text("main")
    assert "终局裁决" in text and "8600" in text and "第一仲裁庭" in text
    width = citizen.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways at 390 px ({width})"
    assert not serious_violations(citizen)
    shot(citizen, "labor-2-citizen-award")

    # The award as a PDF, linked from the case page with the notices before it.
    links = citizen.locator("a[type='application/pdf']")
    assert links.all_inner_texts() == ["受理通知书（PDF）", "开庭通知书（PDF）", "裁决书（PDF）"]
    answer = citizen.request.get(base + links.nth(2).get_attribute("href"))
    assert answer.status == 200 and answer.headers["content-type"] == "application/pdf"
    assert answer.body().startswith(b"%PDF-") and "终局裁决书" in text_of(answer.body())
