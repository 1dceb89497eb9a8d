"""The labour pages in zh-hans: the calculator, the applicant's cases, the workbench and a case."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from hrss.labor import jobs
from hrss.labor.tests.builders import accepted, filed, hearing_time
from hrss.servicehall.tests.builders import sign_in

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def test_the_calculator_page_for_anyone():
    page = Client().get("/labor/deadlines/?kind=acceptance&date=2026-09-28", **ZH)
    assert page.status_code == 200 and "2026-10-08" in page.content.decode()
    bad = Client().get("/labor/deadlines/?kind=acceptance&date=someday", **ZH)
    assert bad.status_code == 422 and "YYYY-MM-DD" in bad.content.decode()


def test_the_arbitrator_walks_a_case_to_its_award_on_the_pages(city, arbitrator):
    case = accepted(city)
    staff = sign_in(Client(), arbitrator)
    queue = staff.get("/labor/workbench/", **ZH).content.decode()
    assert case.reference in queue and "仲裁工作台" in queue
    url = f"/labor/cases/{case.reference}/"
    assert staff.post(url + "take/", **ZH).status_code == 302
    at = hearing_time(10)
    staff.post(url + "hearing/", {"at": timezone.localtime(at).strftime("%Y-%m-%dT%H:%M"), "room": "第一仲裁庭"}, **ZH)
    staff.post(url + "record/", {"record": "双方到庭"}, **ZH)
    staff.post(url + "award/", {"outcome": "upheld", "text": "支付工资8600元", "amount": "8600"}, **ZH)
    case.refresh_from_db()
    assert case.status == "awarded" and case.final_award
    # The applicant sees the award, and that it is final.
    citizen = sign_in(Client(), city.citizen)
    mine = citizen.get("/labor/cases/mine/", **ZH).content.decode()
    assert case.reference in mine
    page = citizen.get(url, **ZH).content.decode()
    assert "终局裁决" in page and "支付工资8600元" in page and "受理" in page


def test_a_refused_step_is_said_on_the_page(city, arbitrator):
    case = accepted(city)
    staff = sign_in(Client(), arbitrator)
    url = f"/labor/cases/{case.reference}/"
    staff.post(url + "take/", **ZH)
    soon = timezone.localtime(hearing_time(1)).strftime("%Y-%m-%dT%H:%M")
    answer = staff.post(url + "hearing/", {"at": soon, "room": "第一仲裁庭"}, follow=True, **ZH)
    assert answer.status_code == 200 and "开庭" in answer.content.decode()
    case.refresh_from_db()
    assert case.hearing_at is None


def test_overdue_cases_surface_on_the_workbench(city, arbitrator):
    _application, case = filed(city)
    jobs.deadlines_check(today=case.acceptance_due + dt.timedelta(days=1))
    page = sign_in(Client(), arbitrator).get("/labor/workbench/?clock=overdue", **ZH).content.decode()
    assert case.reference in page and "已超期" in page


def test_citizens_and_clerks_have_no_workbench(city):
    assert sign_in(Client(), city.citizen).get("/labor/workbench/").status_code == 403
    assert sign_in(Client(), city.clerk).get("/labor/workbench/").status_code == 403
