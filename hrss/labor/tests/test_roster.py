"""The arbitrators' roster: a new case goes to the arbitrator the rule chooses (district, then
load), a recused arbitrator is replaced and never chosen again for the case."""

import pytest
from django.test import Client

from hrss.core.errors import Conflict, InvalidInput
from hrss.core.models import AuditEntry
from hrss.labor import rules
from hrss.labor.models import Recusal
from hrss.labor.rules import Candidate
from hrss.labor.services import cases
from hrss.labor.tests.builders import accepted, enlist, hearing_time
from hrss.servicehall.tests.builders import bearer, sign_in

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def test_the_rule_prefers_the_district_then_the_lightest_load():
    roster = [
        Candidate("a", "120101", load=9, capacity=10),
        Candidate("b", "120103", load=0, capacity=10),
        Candidate("c", "120101", load=3, capacity=10),
        Candidate("d", "120101", load=3, capacity=20),
    ]
    # same district first; within it the lowest share of capacity (d: 3/20)
    assert rules.choose_arbitrator(roster, district="120101") == "d"
    assert rules.choose_arbitrator(roster, district="120101", excluded={"d"}) == "c"
    # nobody of the district left: another district's arbitrator
    assert rules.choose_arbitrator(roster, district="120101", excluded={"a", "c", "d"}) == "b"
    # a case without a district goes by load alone; ties by the name
    assert rules.choose_arbitrator(roster, district=None) == "b"
    assert rules.choose_arbitrator([Candidate("y", None, 1, 5), Candidate("x", None, 1, 5)], district=None) == "x"


def test_the_rule_skips_full_and_excluded_arbitrators():
    assert rules.choose_arbitrator([Candidate("a", "120101", 10, 10)], district="120101") is None
    assert rules.choose_arbitrator([Candidate("a", "120101", 0, 0)], district="120101") is None
    assert rules.choose_arbitrator([Candidate("a", None, 0, 5)], district=None, excluded=["a"]) is None
    assert rules.choose_arbitrator([], district="120101") is None


@pytest.mark.django_db
def test_acceptance_assigns_cases_in_turn_by_load(city):
    enlist("arb_a")
    enlist("arb_b")
    enlist("arb_hx", district="120103")
    first, second, third = accepted(city), accepted(city), accepted(city)
    # the case is in 120101 (the employer's district): the two arbitrators there share the work
    assert first.arbitrator == "arb_a" and second.arbitrator == "arb_b" and third.arbitrator == "arb_a"
    assert [e.action for e in first.events.all()] == ["file", "accept", "assign"]
    assert AuditEntry.objects.filter(action="labor.case.assign", object_id=str(first.pk)).exists()


@pytest.mark.django_db
def test_without_a_roster_the_case_waits_in_the_queue(city):
    assert accepted(city).arbitrator == ""


@pytest.mark.django_db
def test_a_recusal_hands_the_case_on_and_bars_the_arbitrator(city):
    arb_a = enlist("arb_a")
    arb_b = enlist("arb_b")
    case = accepted(city)
    assert case.arbitrator == "arb_a"
    scope = city.scope(arb_a)
    with pytest.raises(InvalidInput):
        cases.case_recuse(scope=scope, reference=case.reference, source="party", reason=" ")
    with pytest.raises(InvalidInput):
        cases.case_recuse(scope=scope, reference=case.reference, source="someone", reason="近亲属")
    cases.hearing_schedule(scope=scope, reference=case.reference, at=hearing_time(10), room="第一仲裁庭")
    case = cases.case_recuse(scope=scope, reference=case.reference, source="party", reason="仲裁员系被申请人近亲属")
    assert case.arbitrator == "arb_b" and case.hearing_room == "第一仲裁庭"  # the hearing keeps its slot
    recusal = Recusal.objects.get(case=case)
    assert recusal.arbitrator == "arb_a" and recusal.source == "party" and recusal.decided_by == "arb_a"
    # arb_b withdraws too: nobody left who has not withdrawn, the case waits; arb_a may not take it back
    case = cases.case_recuse(scope=city.scope(arb_b), reference=case.reference, source="arbitrator", reason="曾代理")
    assert case.arbitrator == ""
    with pytest.raises(Conflict):
        cases.case_take(scope=scope, reference=case.reference)
    actions = [e.action for e in case.events.all()]
    assert actions == ["file", "accept", "assign", "schedule_hearing", "recuse", "assign", "recuse"]


@pytest.mark.django_db
def test_a_recusal_skips_an_arbitrator_busy_at_the_hearing(city):
    arb_a = enlist("arb_a")
    enlist("arb_b")
    enlist("arb_c")
    first, second = accepted(city), accepted(city)
    assert (first.arbitrator, second.arbitrator) == ("arb_a", "arb_b")
    cases.hearing_schedule(scope=city.scope(arb_a), reference=first.reference, at=hearing_time(10), room="第一仲裁庭")
    from django.contrib.auth import get_user_model

    arb_b = get_user_model().objects.get(username="arb_b")
    cases.hearing_schedule(scope=city.scope(arb_b), reference=second.reference, at=hearing_time(10), room="第二仲裁庭")
    # arb_b hears another case at that time, arb_c is free (and lighter than nobody else)
    moved = cases.case_recuse(scope=city.scope(arb_a), reference=first.reference, source="arbitrator", reason="回避")
    assert moved.arbitrator == "arb_c"


@pytest.mark.django_db
def test_the_roster_and_the_recusal_through_the_api_and_the_pages(city):
    arb_a = enlist("arb_a")
    enlist("arb_b", district="120103")
    case = accepted(city)
    api = bearer(arb_a)
    listed = api.get("/api/v1/labor/arbitrators")
    assert listed.status_code == 200
    assert {(row["username"], row["load"], row["district"]) for row in listed.json()} == {
        ("arb_a", 1, "120101"),
        ("arb_b", 0, "120103"),
    }
    assert bearer(city.citizen).get("/api/v1/labor/arbitrators").status_code == 403
    body = {"source": "party", "reason": "近亲属"}
    refused = bearer(city.citizen).post(
        f"/api/v1/labor/cases/{case.reference}/recusal", body, content_type="application/json"
    )
    assert refused.status_code == 403
    done = api.post(f"/api/v1/labor/cases/{case.reference}/recusal", body, content_type="application/json")
    assert done.status_code == 200 and done.json()["case"]["arbitrator"] == "arb_b"
    again = api.post(f"/api/v1/labor/cases/{case.reference}/recusal", body, content_type="application/json")
    assert again.status_code == 403  # no longer the case's arbitrator

    staff = sign_in(Client(), arb_a)
    workbench = staff.get("/labor/workbench/", **ZH).content.decode()
    assert "仲裁员名册" in workbench and "仲裁员a" in workbench
    page = staff.get(f"/labor/cases/{case.reference}/", **ZH).content.decode()
    assert "仲裁员回避" in page
