"""The credit system end to end (A7): arrears in the ledger become an event, the employer is
rated C, its next application gets the extra review tier, an objection corrects it."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client

from hrss.core.errors import Conflict, InvalidInput
from hrss.core.models import AuditEntry
from hrss.credit import selectors, services
from hrss.credit.models import CreditEvent, Objection, Rating
from hrss.credit.tests.builders import approve_all, plant_arrears
from hrss.servicehall.extension_points import credit_class_for
from hrss.servicehall.models import Application
from hrss.servicehall.tests.builders import City, bearer, do, key, make_city, sign_in, submit
from hrss.testing import make_employer, make_user

pytestmark = pytest.mark.django_db

CLAIM_FORM = {"employer_name": "天津示范科技有限公司", "course": "电工", "trainees": 3, "amount": "4500.00"}


@pytest.fixture
def city() -> City:
    return make_city()


def _claim(city: City, user=None) -> Application:
    return submit(city, "SH-PX-001", {**CLAIM_FORM, "claim": str(uuid.uuid4())}, user=user or city.agent)


def test_arrears_are_collected_once_and_rate_the_employer_c(city):
    plant_arrears(city.employer)
    assert services.collect() == {"insurance": 1, "labor": 0}
    assert services.collect() == {"insurance": 0, "labor": 0}  # reported again, recorded once
    event = CreditEvent.objects.get()
    assert (event.kind_id, event.employer_id, event.points) == ("contribution_arrears", city.employer.pk, -25)
    assert "逾期未缴" in event.summary
    rating = Rating.objects.get(employer=city.employer)
    assert (rating.grade, rating.score) == ("C", 75)
    assert credit_class_for(employer=city.employer) == "C"
    # a subject with no event is not rated: the gateways see no class
    assert credit_class_for(employer=make_employer(name="无记录单位")) is None


def test_a_c_employer_gets_the_extra_review_tier_and_an_unrated_one_does_not(city):
    plant_arrears(city.employer)
    services.collect()
    risky = _claim(city)
    assert risky.credit_class == "C"
    risky = do(city, do(city, risky))  # accepted, first review
    assert risky.work_items.get(state="open").step == "second_review"

    other = make_employer(name="守信单位")
    agent = make_user("agent_other", "employer_agent", employer=other)
    clean = _claim(city, user=agent)
    assert clean.credit_class == ""
    clean = do(city, do(city, clean))
    assert not clean.work_items.filter(step="second_review").exists()


def test_an_upheld_objection_corrects_the_record_and_the_rating(city, django_capture_on_commit_callbacks):
    plant_arrears(city.employer)
    services.collect()
    event = CreditEvent.objects.get()
    client = sign_in(Client(), city.agent)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/credit/events/{event.pk}/objection/",
            {"reason": "该月已足额缴纳，银行回单附后", "idempotency_key": key()},
        )
    assert response.status_code == 302
    objection = Objection.objects.get()
    application = Application.objects.get(reference=objection.hall_reference)
    assert application.item.code == "SH-XY-002"
    with django_capture_on_commit_callbacks(execute=True):
        application = approve_all(city, application)
    assert application.status == "approved"
    objection.refresh_from_db()
    event.refresh_from_db()
    assert objection.status == Objection.Status.UPHELD
    assert event.corrected_at is not None and objection.hall_reference in event.correction
    assert Rating.objects.get(employer=city.employer).grade == "B"
    assert credit_class_for(employer=city.employer) == "B"
    page = client.get("/credit/mine/").content.decode()
    assert "已更正" in page


def test_a_rejected_objection_is_recorded_and_may_be_raised_again(city, django_capture_on_commit_callbacks):
    plant_arrears(city.employer)
    services.collect()
    event = CreditEvent.objects.get()
    scope = city.scope(city.agent)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.objection_submit(
            scope=scope, user=city.agent, event_id=event.pk, reason="有误", idempotency_key="k1"
        )
    # the same key again is the same objection; another key while it is open is refused
    assert (
        services.objection_submit(scope=scope, user=city.agent, event_id=event.pk, reason="有误", idempotency_key="k1")
        == first
    )
    with pytest.raises(Conflict):
        services.objection_submit(scope=scope, user=city.agent, event_id=event.pk, reason="有误", idempotency_key="k2")
    application = Application.objects.get(reference=first.hall_reference)
    with django_capture_on_commit_callbacks(execute=True):
        do(city, application, decision="reject", reasons="缴费记录核实无误")
    first.refresh_from_db()
    assert first.status == Objection.Status.REJECTED
    assert CreditEvent.objects.get().corrected_at is None
    second = services.objection_submit(
        scope=scope, user=city.agent, event_id=event.pk, reason="补充证据", idempotency_key="k2"
    )
    assert second.status == Objection.Status.SUBMITTED


def test_no_one_objects_to_another_subjects_record(city):
    plant_arrears(city.employer)
    services.collect()
    event = CreditEvent.objects.get()
    response = sign_in(Client(), city.citizen).post(
        f"/credit/events/{event.pk}/objection/", {"reason": "有误", "idempotency_key": key()}
    )
    assert response.status_code == 404
    with pytest.raises(InvalidInput) as refused:
        submit(city, "SH-XY-001", {"record": str(event.pk), "reason": "x"}, user=city.citizen)
    assert refused.value.code == "credit_record_unknown"
    assert not Objection.objects.exists()


def test_an_objection_started_at_the_counter_with_the_record_number_is_reviewed_the_same(
    city, django_capture_on_commit_callbacks
):
    plant_arrears(city.employer)
    services.collect()
    event = CreditEvent.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        application = submit(
            city,
            "SH-XY-002",
            {"record": str(event.pk), "reason": "已于次月补缴"},
            user=city.clerk,
            employer=city.employer,
            channel="counter",
        )
    objection = Objection.objects.get(hall_reference=application.reference)
    assert (objection.event_id, objection.reason) == (event.pk, "已于次月补缴")
    # a second objection to the same record is refused while this one is open
    with pytest.raises(Conflict):
        submit(city, "SH-XY-002", {"record": str(event.pk), "reason": "再次"}, user=city.agent)
    with django_capture_on_commit_callbacks(execute=True):
        application = approve_all(city, application)
    assert application.status == "approved"
    event.refresh_from_db()
    assert event.corrected_at is not None
    assert credit_class_for(employer=city.employer) == "B"


def test_a_wrong_objection_form_comes_back_with_its_error(city):
    plant_arrears(city.employer)
    services.collect()
    event = CreditEvent.objects.get()
    response = sign_in(Client(), city.agent).post(
        f"/credit/events/{event.pk}/objection/", {"reason": " ", "idempotency_key": key()}
    )
    assert response.status_code == 422
    assert "说明" in response.content.decode() or "reason" in response.content.decode()
    assert not Objection.objects.exists()


def test_staff_look_up_with_a_purpose_and_the_view_is_audited(city):
    plant_arrears(city.employer)
    services.collect()
    client = sign_in(Client(), city.reviewer)
    refused = client.get("/credit/lookup/", {"kind": "employer", "code": city.employer.credit_code})
    assert refused.status_code == 422
    response = client.get(
        "/credit/lookup/", {"kind": "employer", "code": city.employer.credit_code, "purpose": "审核培训补贴申请"}
    )
    assert response.status_code == 200
    assert "逾期未缴" in response.content.decode()
    assert AuditEntry.objects.filter(
        action="credit.read", object_id=str(city.employer.pk), purpose="审核培训补贴申请"
    ).exists()
    # a clerk of another district does not find the employer
    outside = sign_in(Client(), city.clerk_hexi).get(
        "/credit/lookup/", {"kind": "employer", "code": city.employer.credit_code, "purpose": "核查"}
    )
    assert outside.status_code == 404
    assert sign_in(Client(), city.citizen).get("/credit/lookup/").status_code == 403


def test_the_black_list_publishes_a_d_employer_by_rule(city):
    plant_arrears(city.employer, months=2)
    services.collect()
    assert Rating.objects.get(employer=city.employer).grade == "D"
    black = Client().get("/credit/lists/", {"list": "black"}).content.decode()
    assert city.employer.name in black and "欠缴社会保险费逾期未缴" in black
    assert city.employer.name not in Client().get("/credit/lists/", {"list": "red"}).content.decode()
    entries = selectors.published_list(which="black")
    assert [entry.credit_code for entry in entries] == [city.employer.credit_code]


def test_the_api_explains_my_rating_and_takes_an_objection_once(city):
    plant_arrears(city.employer)
    services.collect()
    api = bearer(city.agent)
    mine = api.get("/api/v1/credit/mine").json()
    assert (mine["grade"], mine["score"], mine["events"][0]["kind"]) == ("C", 75, "contribution_arrears")
    event_id = mine["events"][0]["id"]
    body = {"reason": "已缴纳", "idempotency_key": "api-objection-1"}
    first = api.post(f"/api/v1/credit/events/{event_id}/objections", body, content_type="application/json")
    again = api.post(f"/api/v1/credit/events/{event_id}/objections", body, content_type="application/json")
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    kinds = Client().get("/api/v1/credit/event-kinds").json()
    assert {"code": "contribution_arrears", "points": -25, "months": 24}.items() <= next(
        k for k in kinds if k["code"] == "contribution_arrears"
    ).items()
    staff = bearer(city.reviewer).get(f"/api/v1/credit/employers/{city.employer.credit_code}?purpose=核查").json()
    assert staff["grade"] == "C"
    assert bearer(city.citizen).get(f"/api/v1/credit/employers/{city.employer.credit_code}").status_code == 403


def test_an_award_upholding_a_workers_claims_is_the_employers_credit_event(city):
    from hrss.labor.services import cases
    from hrss.labor.tests.builders import ARBITRATION_FORM, accepted, enlist, hearing_time

    arbitrator = enlist("arbitrator9")
    case = accepted(city, {**ARBITRATION_FORM, "respondent": city.employer.credit_code, "amount": "8600"})
    scope = city.scope(arbitrator)
    cases.case_take(scope=scope, reference=case.reference)
    cases.hearing_schedule(scope=scope, reference=case.reference, at=hearing_time(10), room="第一仲裁庭")
    cases.hearing_record(scope=scope, reference=case.reference, record="被申请人认可欠付工资。")
    cases.award_issue(scope=scope, reference=case.reference, outcome="upheld", text="支付工资8600元。", amount="8600")
    assert services.collect()["labor"] == 1
    event = CreditEvent.objects.get(source="labor")
    assert (event.kind_id, event.employer_id, event.points) == ("arbitration_award", city.employer.pk, -10)
    assert case.reference in event.summary and "8,600.00" in event.summary
    assert selectors.live_grade(employer_id=city.employer.pk, on=event.occurred_on).grade == "B"  # 90
