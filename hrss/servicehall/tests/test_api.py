"""The API: public catalogue and feed, idempotent submit, one error shape, scope."""

import pytest
from django.test import Client

from hrss.servicehall.engine import ProcessInvalid  # noqa: F401  (documents what a refused upload raises)
from hrss.servicehall.tests.builders import UNEMPLOYMENT_FORM, bearer, shipped

pytestmark = pytest.mark.django_db


def test_catalogue_is_public():
    response = Client().get("/api/v1/servicehall/items")
    assert response.status_code == 200
    codes = {item["code"] for item in response.json()}
    assert {"SH-YL-001", "SH-KA-001", "SH-JY-001", "SH-ZC-001", "SH-YL-002", "SH-YL-003"} <= codes
    item = Client().get("/api/v1/servicehall/items/SH-JY-001").json()
    assert item["time_limit_workdays"] == 5 and item["legal_basis"] and item["materials"]
    assert Client().get("/api/v1/servicehall/items?q=社保卡").json()[0]["code"] == "SH-KA-001"
    assert Client().get("/api/v1/servicehall/items?applicant_type=employer").json()[0]["code"] == "SH-YL-003"
    missing = Client().get("/api/v1/servicehall/items/NOPE")
    assert missing.status_code == 404 and missing.json()["code"] == "item_not_found"


def test_feed_of_items_is_public_and_application_feed_is_not(city):
    assert Client().get("/api/v1/servicehall/feed/items").json()[0]["item_name"]
    assert Client().get("/api/v1/servicehall/feed/applications").status_code == 401
    assert bearer(city.citizen).get("/api/v1/servicehall/feed/applications").status_code == 403


def test_application_feed_takes_any_offset_and_refuses_times_off_the_calendar(city):
    from hrss.core.scope import ADMINISTRATOR
    from hrss.testing import make_user

    admin = bearer(make_user("feedadmin", ADMINISTRATOR, city_wide=True))
    submit_unemployment = bearer(city.citizen).post(
        "/api/v1/servicehall/applications",
        {"item_code": "SH-JY-001", "form": UNEMPLOYMENT_FORM, "channel": "app"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="feed",
    )
    assert submit_unemployment.status_code in (200, 201)
    # +16:49 is valid ISO 8601 but beyond what PostgreSQL accepts: compared in UTC instead.
    far_offset = admin.get("/api/v1/servicehall/feed/applications", {"since": "0099-04-04T20:30:32+16:49"})
    assert far_offset.status_code == 200 and len(far_offset.json()) >= 1
    off_calendar = admin.get("/api/v1/servicehall/feed/applications", {"since": "0001-01-01T00:00:00+16:00"})
    assert off_calendar.status_code == 422 and "since" in off_calendar.json()["fields"]


def test_submit_twice_with_the_same_key(city):
    client = bearer(city.citizen)
    body = {"item_code": "SH-JY-001", "form": UNEMPLOYMENT_FORM, "channel": "app"}
    first = client.post(
        "/api/v1/servicehall/applications", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1"
    )
    again = client.post(
        "/api/v1/servicehall/applications", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1"
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["application"]["reference"] == again.json()["application"]["reference"]
    assert again.json()["created"] is False
    mine = client.get("/api/v1/servicehall/applications").json()
    assert len(mine) == 1 and mine[0]["current_steps"] == ["受理"]


def test_errors_have_one_shape(city):
    client = bearer(city.citizen)
    bad = client.post(
        "/api/v1/servicehall/applications",
        {"item_code": "SH-JY-001", "form": {"phone": "1"}, "idempotency_key": "x"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert set(bad.json()) == {"code", "message", "fields"} and "phone" in bad.json()["fields"]
    employer_item = client.post(
        "/api/v1/servicehall/applications",
        {"item_code": "SH-YL-003", "form": {}, "idempotency_key": "y"},
        content_type="application/json",
    )
    assert employer_item.status_code == 403 and employer_item.json()["code"] == "not_an_employer"


def test_staff_work_through_the_api_and_scope_holds(city):
    submitted = (
        bearer(city.citizen)
        .post(
            "/api/v1/servicehall/applications",
            {"item_code": "SH-JY-001", "form": UNEMPLOYMENT_FORM, "idempotency_key": "z"},
            content_type="application/json",
        )
        .json()["application"]
    )
    reference = submitted["reference"]
    assert bearer(city.clerk_hexi).get(f"/api/v1/servicehall/applications/{reference}").status_code == 404
    clerk = bearer(city.clerk)
    queue = clerk.get("/api/v1/servicehall/work-items").json()
    assert [(w["reference"], w["fast_track"]) for w in queue] == [(reference, False)]
    done = clerk.post(
        f"/api/v1/servicehall/work-items/{queue[0]['id']}/complete",
        {"decision": "approve"},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["status"] == "in_progress"
    assert bearer(city.citizen).get("/api/v1/servicehall/work-items").status_code == 403


def test_process_upload_refused_with_reason(city):
    from hrss.core import scope as roles
    from hrss.testing import make_user

    admin = make_user("admin1", roles.ADMINISTRATOR, city_wide=True)
    bad = shipped("contribution_certificate").replace("bpmn:serviceTask", "bpmn:scriptTask")
    response = bearer(admin).post("/api/v1/servicehall/processes", {"bpmn_xml": bad}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["code"] == "process_invalid"
    assert "script tasks run arbitrary code" in response.json()["message"]
    assert (
        bearer(city.clerk)
        .post("/api/v1/servicehall/processes", {"bpmn_xml": bad}, content_type="application/json")
        .status_code
        == 403
    )
