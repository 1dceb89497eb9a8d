"""End to end in Debian's Chromium (Playwright), in zh-hans: an employer with arrears reads
its class C and the record behind it on a phone-sized screen, objects to it, the staff uphold
the objection in the hall (a second review: the employer is class C), and the employer reads the corrected record. Never downloads a
browser: Playwright drives /usr/bin/chromium."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone

from hrss.core.creditfacts import CreditFact
from hrss.credit import services
from hrss.credit.reference import kinds_load
from hrss.labor.tests.test_browser import context_for, decide
from hrss.servicehall.tests.builders import make_city, second_reviewer, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seed_data")]


def test_object_to_a_record_and_see_it_corrected(browser: Any, live_server: Any) -> None:
    city = make_city()
    reviewer2 = second_reviewer(city)  # one person reviews at most one tier (职责分离)
    # the arrears as insurance reports them (its collection is tested in test_credit.py; the
    # flush of a browser test removes the insurance reference data enrolment needs)
    fact = CreditFact(
        kind="contribution_arrears",
        source_ref=f"arrears:{city.employer.pk}:browser",
        occurred_on=timezone.localdate() - dt.timedelta(days=20),
        summary="2026年9月社会保险费逾期未缴，欠缴8,355.00元",
        employer_id=city.employer.pk,
    )
    kinds_load(apps.get_model)  # a browser test's flush removes what the data migration loaded
    services.record([fact], source="insurance")
    base = live_server.url
    agent = context_for(browser, live_server, city.agent, width=390).new_page()
    agent.goto(f"{base}/credit/mine/")
    main = agent.inner_text("main")
    assert "信用等级C级" in main and "欠缴社会保险费逾期未缴" in main and "社会保险法" in main
    assert serious_violations(agent) == []
    agent.fill("textarea[name=reason]", "该月社会保险费已足额缴纳，银行回单附后")
    agent.click("text=提出异议")
    agent.wait_for_url(f"{base}/credit/mine/")
    assert "您的异议已受理" in agent.inner_text("main")
    reference = agent.inner_text(".messages").split("办件编号")[1][:14]
    decide(context_for(browser, live_server, city.clerk).new_page(), base, reference)
    decide(context_for(browser, live_server, city.reviewer).new_page(), base, reference)
    # class C: a second review by another reviewer (职责分离); upheld, the record is corrected
    decide(context_for(browser, live_server, reviewer2).new_page(), base, reference)

    agent.goto(f"{base}/credit/mine/")
    main = agent.inner_text("main")
    assert "已更正，不计分" in main and "信用等级B级" in main
