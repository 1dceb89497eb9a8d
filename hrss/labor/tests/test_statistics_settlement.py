"""Settlement in the case (调解书) instead of an award, and the case statistics: counts by stage,
outcome, district, industry and claim type in the caller's districts, in constant queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hrss.core.errors import Conflict, InvalidInput, PermissionDenied
from hrss.labor import documents, rules, selectors
from hrss.labor.models import CaseStatus, ClockState
from hrss.labor.services import cases
from hrss.labor.tests.builders import accepted, filed
from hrss.servicehall.tests.builders import ARBITRATION_FORM, bearer, sign_in
from hrss.testing import make_user

pytestmark = pytest.mark.django_db


def test_claim_types_are_read_from_the_claims():
    assert rules.claim_type("支付拖欠工资") == "wages"
    assert rules.claim_type("确认与被申请人存在劳动关系并支付工资") == "relationship"
    assert rules.claim_type("支付违法解除劳动合同赔偿金") == "compensation"
    assert rules.claim_type("补缴社会保险") == "social_insurance"
    assert rules.claim_type("返还押金") == "other"


def test_a_settlement_closes_the_case_with_its_document(city, arbitrator):
    case = accepted(city)
    scope = city.scope(arbitrator)
    cases.case_take(scope=scope, reference=case.reference)
    with pytest.raises(InvalidInput):
        cases.case_settle(scope=scope, reference=case.reference, text=" ", amount="100")
    case = cases.case_settle(scope=scope, reference=case.reference, text="一次性支付工资8000元", amount="8000")
    assert case.status == CaseStatus.SETTLED and case.clock == ClockState.STOPPED and case.due_on is None
    assert str(case.amount_settled) == "8000.00" and case.settled_on == timezone.localdate()
    assert documents.SETTLEMENT in documents.available(case) and documents.AWARD not in documents.available(case)
    statement = documents.build(case, documents.SETTLEMENT)
    assert statement.title == "调解书" and "一次性支付工资8000元" in statement.paragraphs
    with pytest.raises(Conflict):
        cases.award_extend(scope=scope, reference=case.reference, reason="x")
    answer = bearer(city.citizen).get(f"/api/v1/labor/cases/{case.reference}/documents/settlement")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"


def test_settlement_through_the_api(city, arbitrator):
    case = accepted(city)
    staff = bearer(arbitrator)
    staff.post(f"/api/v1/labor/cases/{case.reference}/take")
    url = f"/api/v1/labor/cases/{case.reference}/settlement"
    assert bearer(city.citizen).post(url, {"text": "x"}, content_type="application/json").status_code == 403
    answer = staff.post(url, {"text": "支付工资", "amount": "100.00"}, content_type="application/json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["case"]["status"] == "settled" and answer.json()["case"]["amount_settled"] == "100.00"


def test_statistics_count_by_every_dimension_in_constant_queries(city, arbitrator):
    first = accepted(city)
    filed(city, {**ARBITRATION_FORM, "claims": "支付经济补偿金"})
    scope = city.scope(arbitrator)
    cases.case_take(scope=scope, reference=first.reference)
    cases.case_settle(scope=scope, reference=first.reference, text="和解", amount="1")
    today = timezone.localdate()
    start = today - dt.timedelta(days=30)
    with CaptureQueriesContext(connection) as few:
        stats = selectors.case_statistics(scope=scope, start=start, end=today)
    assert stats["total"] == 2
    assert {r["key"]: r["count"] for r in stats["status"]} == {"settled": 1, "filed": 1}
    assert {r["key"]: r["count"] for r in stats["claim_type"]} == {"wages": 1, "compensation": 1}
    assert [r["count"] for r in stats["district_counts"]] == [2]
    for _more in range(3):
        accepted(city)
    with CaptureQueriesContext(connection) as many:
        assert selectors.case_statistics(scope=scope, start=start, end=today)["total"] == 5
    assert len(many) == len(few) <= 6
    # another district's staff count nothing; a district not theirs is refused
    other = make_user("arb_hx", "arbitrator", districts=["120103"])
    assert selectors.case_statistics(scope=city.scope(other), start=start, end=today)["total"] == 0
    with pytest.raises(PermissionDenied):
        selectors.case_statistics(scope=city.scope(other), start=start, end=today, district="120101")
    with pytest.raises(PermissionDenied):
        selectors.case_statistics(scope=city.scope(city.citizen), start=start, end=today)


def test_statistics_api_and_page(city, arbitrator):
    accepted(city)
    answer = bearer(arbitrator).get("/api/v1/labor/statistics")
    assert answer.status_code == 200, answer.content
    assert answer.json()["total"] == 1 and answer.json()["claim_type"][0]["key"] == "wages"
    assert bearer(city.citizen).get("/api/v1/labor/statistics").status_code == 403
    assert bearer(arbitrator).get("/api/v1/labor/statistics?start=2026-13-01").status_code == 422
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    sign_in(client, arbitrator)
    page = client.get("/labor/statistics/")
    assert page.status_code == 200 and "/labor/statistics/" in page.content.decode()
