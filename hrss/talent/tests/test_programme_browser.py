"""End to end in Debian's Chromium (Playwright), in zh-hans: a citizen declares for a talent
programme (a refused amount keeps what was typed), the office checks the declaration and
draws the experts, each expert scores on the sheet (a refused sheet keeps what was typed), the
office aggregates and publishes, the citizen sees the rank and appeals, and the public page
shows the ranking with the name masked. Never downloads a browser."""

from __future__ import annotations

from typing import Any

import pytest

from hrss.servicehall.tests.builders import browser, seed_data, serious_violations, session_cookie, shot  # noqa: F401 - fixtures
from hrss.talent.programme_models import ReviewAssignment
from hrss.talent.tests import programme_builders as pb
from hrss.testing import make_employer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seed_data")]


def context_for(browser: Any, live_server: Any, user: Any = None, *, width: int = 1280) -> Any:  # noqa: F811
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    if user is not None:
        context.add_cookies([session_cookie(live_server, user)])
    context.set_extra_http_headers({"Accept-Language": "zh-hans"})
    context.set_default_timeout(15000)
    return context


def test_declare_check_draw_score_publish_and_appeal_in_the_browser(browser: Any, live_server: Any) -> None:  # noqa: F811
    office_user = pb.office()
    programme = pb.programme(office_user, experts=3)
    experts = [pb.expert(office_user, name) for name in ("刘专家", "陈专家", "杨专家")]
    citizen_user = pb.citizen("黄晓明", employer=make_employer(name="天津光伏科技有限公司"))
    base = live_server.url

    citizen = context_for(browser, live_server, citizen_user, width=390).new_page()
    citizen.goto(f"{base}/talent/programmes/")
    citizen.click(f'a[href="/talent/programmes/{programme.code}/"]')
    citizen.fill("#d-title", "高效光伏组件关键技术研究")
    citizen.fill("#d-summary", "研究目标与技术路线")
    citizen.fill("#d-amount", "300000")
    citizen.click('form[action$="/declare/"] button')
    assert "最多为 200000.00 元" in citizen.inner_text("main")
    assert citizen.input_value("#d-title") == "高效光伏组件关键技术研究"  # kept as typed
    citizen.fill("#d-amount", "180000")
    citizen.click('form[action$="/declare/"] button')
    citizen.wait_for_url("**/talent/declarations/")
    assert "申报已提交" in citizen.inner_text("main") and "已提交" in citizen.inner_text("main")
    assert serious_violations(citizen) == []

    office = context_for(browser, live_server, office_user).new_page()
    office.goto(f"{base}/talent/programme-office/{programme.code}/")
    office.click('button[name="decision"][value="accept"]')
    assert "形式审查结果已记录" in office.inner_text("main")
    office.click('form[action$="/assign/"] button')
    assert "评审专家已抽取" in office.inner_text("main")
    assert ReviewAssignment.objects.count() == 3

    for index, expert in enumerate(experts):
        page = context_for(browser, live_server, expert.account).new_page()
        page.goto(f"{base}/talent/reviews/")
        page.click("main table a")
        page.fill("#s-0", "45")  # above the criterion's 40
        page.fill("#s-1", "25")
        page.fill("#s-2", "20")
        page.fill("#s-comment", "技术路线清晰")
        page.click('form[action^="/talent/reviews/"]:not([action$="/recuse/"]) button')
        assert "以0.5分为单位" in page.inner_text("main")
        assert page.input_value("#s-1") == "25" and page.input_value("#s-comment") == "技术路线清晰"
        if index == 0:
            assert serious_violations(page) == []
        page.fill("#s-0", str(30 + index * 2))
        page.click('form[action^="/talent/reviews/"]:not([action$="/recuse/"]) button')
        page.wait_for_url("**/talent/reviews/")
        assert "评分表已提交" in page.inner_text("main")
        page.context.close()

    pb.close_declarations(programme)
    office.goto(f"{base}/talent/programme-office/{programme.code}/")
    office.click('form[action$="/aggregate/"] button')
    assert "已汇总 1 项申报" in office.inner_text("main")
    office.click('form[action$="/publish/"] button')
    assert "评审结果已公示" in office.inner_text("main")
    shot(office, "talent-programme-office")

    citizen.goto(f"{base}/talent/declarations/")
    text = citizen.inner_text("main")
    assert "公示中" in text and "77.00" in text and "获得资助" in text  # 75, 77, 79: 77 kept
    citizen.fill("textarea[name=reason]", "请复核创新性评分")
    citizen.click('form[action$="/appeal/"] button')
    assert "异议已提交" in citizen.inner_text("main") and "待处理" in citizen.inner_text("main")

    public = context_for(browser, live_server).new_page()
    public.goto(f"{base}/talent/programmes/{programme.code}/")
    text = public.inner_text("main")
    assert "黄**" in text and "黄晓明" not in text and "天津光伏科技有限公司" in text and "77.00" in text
    assert serious_violations(public) == []
