"""The labour API: the public calculator, the applicant's cases and the arbitrator's steps."""

import pytest
from django.test import Client

from hrss.labor.models import CaseStatus
from hrss.labor.tests.builders import accepted, hearing_time
from hrss.servicehall.tests.builders import bearer

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "date", "due"),
    [
        ("acceptance", "2026-09-28", "2026-10-08"),
        ("award", "2026-01-01", "2026-02-24"),
        ("award_extended", "2026-08-18", "2026-10-19"),
        ("mediation", "2026-09-20", "2026-10-08"),
        ("limitation", "2025-10-01", "2026-10-08"),
        ("wage_claim", "2025-02-16", "2026-02-24"),
        ("wage_claim", "2025-02-14", "2026-02-14"),  # a Saturday worked in the Spring Festival week
    ],
)
def test_the_calculator_answers_every_kind(kind, date, due):
    answer = Client().post("/api/v1/labor/deadlines", {"kind": kind, "date": date}, content_type="application/json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["due"] == due and "劳动争议调解仲裁法" in answer.json()["basis"]


@pytest.mark.parametrize("body", [{"kind": "sometime", "date": "2026-01-01"}, {"kind": "award", "date": "2026-02-30"}])
def test_a_bad_kind_or_date_is_a_422_in_the_error_shape(body):
    answer = Client().post("/api/v1/labor/deadlines", body, content_type="application/json")
    assert answer.status_code == 422
    assert set(answer.json()) == {"code", "message", "fields"}


def test_applicant_and_arbitrator_through_the_api(city, arbitrator):
    case = accepted(city)
    citizen = bearer(city.citizen)
    mine = citizen.get("/api/v1/labor/cases/mine")
    assert [row["reference"] for row in mine.json()] == [case.reference]
    assert citizen.get("/api/v1/labor/cases").status_code == 403
    assert citizen.post(f"/api/v1/labor/cases/{case.reference}/take").status_code == 403

    api = bearer(arbitrator)
    queue = api.get("/api/v1/labor/cases")
    assert [row["reference"] for row in queue.json()] == [case.reference]
    assert api.get("/api/v1/labor/cases?clock=whenever").status_code == 422
    assert api.post(f"/api/v1/labor/cases/{case.reference}/take").status_code == 200
    hearing = {"at": hearing_time(10).isoformat(), "room": "第一仲裁庭"}
    answer = api.post(f"/api/v1/labor/cases/{case.reference}/hearing", hearing, content_type="application/json")
    assert answer.status_code == 200 and answer.json()["case"]["status"] == CaseStatus.HEARING_SCHEDULED
    early = {"at": hearing_time(1).isoformat(), "room": "第二仲裁庭"}
    refused = api.post(f"/api/v1/labor/cases/{case.reference}/hearing", early, content_type="application/json")
    assert refused.status_code == 422 and refused.json()["code"] == "labor_hearing_notice"
    record = {"record": "双方到庭"}
    assert (
        api.post(
            f"/api/v1/labor/cases/{case.reference}/hearing-record", record, content_type="application/json"
        ).status_code
        == 200
    )
    award = {"outcome": "upheld", "text": "支付工资8600元", "amount": "8600"}
    done = api.post(f"/api/v1/labor/cases/{case.reference}/award", award, content_type="application/json")
    assert done.status_code == 200 and done.json()["case"]["final_award"] is True
    # The applicant reads the award and the history.
    seen = citizen.get(f"/api/v1/labor/cases/{case.reference}").json()
    assert seen["case"]["status"] == "awarded" and [e["action"] for e in seen["events"]][-1] == "award"
    assert bearer(city.clerk).get(f"/api/v1/labor/cases/{case.reference}").status_code == 404


@pytest.mark.parametrize("date", ["1970-01-01", "9999-12-30"])
def test_a_date_outside_the_law_or_the_calendar_is_a_422(date):
    answer = Client().post(
        "/api/v1/labor/deadlines", {"kind": "limitation", "date": date}, content_type="application/json"
    )
    assert answer.status_code == 422 and answer.json()["code"] == "labor_deadline_date"
