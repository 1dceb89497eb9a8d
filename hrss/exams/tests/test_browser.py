"""End to end in Debian's Chromium (Playwright), in zh-hans: a citizen registers for a post on a
phone-sized screen; the office approves on its page; a marker marks a written answer blind;
the candidate downloads the admission ticket and a proctor opens the ticket's check. Axe
finds no serious violation on any of the pages. Never downloads a browser."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from hrss.core import scope as roles
from hrss.exams import services
from hrss.exams.models import Paper, Registration, Script, Seat
from hrss.exams.tests import builders as b
from hrss.labor.tests.test_browser import context_for
from hrss.servicehall.tests.builders import serious_violations
from hrss.testing import make_person, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seed_data")]


def test_register_review_mark_and_check_the_ticket(browser: Any, live_server: Any, tmp_path: Path) -> None:
    b.bank(objective=4, essays=1)
    exam = b.exam(objective=4, essays=1, fee="0")
    person = make_person(name="浏览考生", birth=dt.date(1996, 6, 6))
    citizen = make_user("exam_browser", roles.CITIZEN, person=person)
    office = make_user("exam_office", roles.REVIEWER, city_wide=True)
    base = live_server.url

    page = context_for(browser, live_server, citizen, width=390).new_page()
    page.goto(f"{base}/exams/{exam.code}/")
    assert "岗位1" in page.inner_text("main") and serious_violations(page) == []
    page.select_option("#post", "P01")
    with page.expect_navigation():
        page.click("main form button")
    assert "待资格审查" in page.inner_text("main") and serious_violations(page) == []

    clerk = context_for(browser, live_server, office).new_page()
    clerk.goto(f"{base}/exams/office/{exam.code}/")
    assert person.name in clerk.inner_text("main") and serious_violations(clerk) == []
    with clerk.expect_navigation():
        clerk.locator("tr", has_text=person.name).locator("button[value=approve]").click()
    assert "资格审查已完成" in clerk.inner_text(".messages")
    registration = Registration.objects.get(person=person)
    assert registration.status == Registration.Status.CONFIRMED

    for step in ("paper", "close", "seats"):
        clerk.select_option("#step", step)
        with clerk.expect_navigation():
            clerk.click("main form button.primary >> nth=0")
    seat = Seat.objects.get(registration=registration)
    key, _points, written = services.paper_layout(Paper.objects.get(exam=exam))
    services.sheets_record(
        scope=b.OFFICE,
        exam_code=exam.code,
        sheets={seat.ticket: key},
        scripts={seat.ticket: {written[0]: "浏览器作答"}},
    )
    services.mark_record(scope=b.marker("m1"), script_code=Script.objects.get().code, score=10)

    clerk.goto(f"{base}/exams/marking/")
    main = clerk.inner_text("main")
    assert "浏览器作答" in main and person.name not in main and seat.ticket not in main
    assert serious_violations(clerk) == []
    clerk.fill("#score", "12")
    with clerk.expect_navigation():
        clerk.click("main form button")
    assert "评分已记录" in clerk.inner_text(".messages")
    assert Script.objects.get().status == Script.Status.FINAL

    page.goto(f"{base}/exams/mine/")
    assert seat.ticket in page.inner_text("main")
    with page.expect_download() as download:
        page.click("text=下载准考证（PDF）")
    saved = tmp_path / "ticket.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")

    proctor = browser.new_context(locale="zh-CN", extra_http_headers={"Accept-Language": "zh-hans"}).new_page()
    proctor.goto(f"{base}/exams/tickets/{seat.ticket}/")
    main = proctor.inner_text("main")
    assert "该准考证真实有效" in main and "浏* *" not in main and "浏**" in main
    assert serious_violations(proctor) == []


def test_pay_the_fee_on_the_local_provider_page_and_see_the_decision(browser: Any, live_server: Any) -> None:
    """The walk's findings in the browser: the fee paid on the development provider's page,
    the registration on the exam's page instead of the form, the office's note apart from
    the status, decided registrations on the office's page, and only the next steps offered."""
    exam = b.exam(fee="60.00")
    person = make_person(name="缴费考生", birth=dt.date(1995, 5, 5))
    citizen = make_user("exam_payer", roles.CITIZEN, person=person)
    office = make_user("exam_office2", roles.REVIEWER, city_wide=True)
    base = live_server.url

    page = context_for(browser, live_server, citizen, width=390).new_page()
    page.goto(f"{base}/exams/{exam.code}/")
    page.select_option("#post", "P01")
    with page.expect_navigation():
        page.click("main form button")

    clerk = context_for(browser, live_server, office).new_page()
    clerk.goto(f"{base}/exams/office/{exam.code}/")
    assert [o.get_attribute("value") for o in clerk.locator("#step option").all()] == ["paper", "close"]
    clerk.fill(f"#note-{Registration.objects.get(person=person).pk}", "材料齐全")
    with clerk.expect_navigation():
        clerk.locator("tr", has_text=person.name).locator("button[value=approve]").click()
    decided = clerk.locator("table", has_text="审查意见").inner_text()
    assert person.name in decided and "待缴费" in decided and "材料齐全" in decided
    assert serious_violations(clerk) == []

    page.goto(f"{base}/exams/{exam.code}/")
    main = page.inner_text("main")
    assert "您的报名" in main and "待缴费" in main and page.locator("#post").count() == 0
    page.goto(f"{base}/exams/mine/")
    main = page.inner_text("main")
    assert "待缴费：材料齐全" not in main and "审查意见" in main
    with page.expect_navigation():
        page.click("text=缴纳考试费")
    assert "/payments/local/" in page.url and "60.00" in page.inner_text("main")
    assert serious_violations(page) == []
    with page.expect_navigation():
        page.click("button[value=paid]")
    assert page.url.endswith("/exams/mine/") and "已支付成功" in page.inner_text(".messages")
    assert "报名成功" in page.inner_text("main")
    assert Registration.objects.get(person=person).status == Registration.Status.CONFIRMED
