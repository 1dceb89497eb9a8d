"""The programmes' API (R1): public programmes and results, the citizen's declaration and
appeal, the expert's sheet, the office's steps; refusals in the one error shape, in Chinese."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from hrss.core import scope as roles
from hrss.servicehall.tests.builders import bearer
from hrss.talent.programme_models import ReviewAssignment
from hrss.talent.tests import programme_builders as pb
from hrss.testing import make_user

pytestmark = pytest.mark.django_db


def test_the_main_path_through_the_api():
    made = pb.review(applicants=0, pool=3)
    code = made.programme.code
    public = Client()
    listed = public.get("/api/v1/talent/programmes").json()
    assert [row["code"] for row in listed] == [code] and listed[0]["criteria"][0]["name"] == "创新性"
    assert public.get(f"/api/v1/talent/programmes/{code}/results").json() == []
    assert public.get("/api/v1/talent/programmes/NOPE").status_code == 404

    citizen = pb.citizen("陈晨")
    applicant = bearer(citizen)
    body = {"programme": code, "title": "智能制造关键技术", "summary": "研究内容", "requested_amount": "180000.00"}
    made_one = applicant.post("/api/v1/talent/declarations", body, content_type="application/json")
    assert made_one.status_code == 201, made_one.content
    declaration = made_one.json()
    assert declaration["status"] == "submitted" and declaration["status_label"] == "已提交"
    again = applicant.post("/api/v1/talent/declarations", body, content_type="application/json")
    assert again.json()["id"] == declaration["id"]
    too_much = applicant.post(
        "/api/v1/talent/declarations", {**body, "requested_amount": "999999.00"}, content_type="application/json"
    )
    assert too_much.status_code == 201  # the first declaration stands: a retry answers it

    office = bearer(made.office)
    checked = office.post(
        f"/api/v1/talent/declarations/{declaration['id']}/check", {"accepted": True}, content_type="application/json"
    )
    assert checked.status_code == 200 and checked.json()["applicant"] == "陈晨"
    assigned = office.post(f"/api/v1/talent/declarations/{declaration['id']}/assign")
    assert assigned.status_code == 200 and len(assigned.json()["reviewers"]) == 3

    for row in ReviewAssignment.objects.filter(declaration_id=declaration["id"]):
        expert = bearer(pb.expert_account(made, row.expert_id))
        tasks = expert.get("/api/v1/talent/expert/assignments").json()
        assert [t["id"] for t in tasks] == [str(row.pk)] and tasks[0]["applicant"] == "陈晨"
        bad = expert.post(
            f"/api/v1/talent/expert/assignments/{row.pk}/sheet",
            {"scores": {"创新性": "41", "可行性": "1", "预期效益": "1"}, "comment": "x"},
            content_type="application/json",
        )
        assert bad.status_code == 422 and set(bad.json()) == {"code", "message", "fields"}
        assert "最高分" in bad.json()["message"] or "满分" in bad.json()["message"], bad.json()
        sheet = expert.post(
            f"/api/v1/talent/expert/assignments/{row.pk}/sheet",
            {"scores": {"创新性": "35", "可行性": "25", "预期效益": "20.5"}, "comment": "建议立项"},
            content_type="application/json",
        )
        assert sheet.status_code == 201 and sheet.json()["total"] == "80.50"
    aggregated = office.post(f"/api/v1/talent/programmes/{code}/aggregate").json()
    assert aggregated == {"scored": 1, "waiting": 0}
    early = office.post(f"/api/v1/talent/programmes/{code}/publish")
    assert early.status_code == 409 and early.json()["code"] == "programme_open"
    pb.close_declarations(made.programme)
    assert office.post(f"/api/v1/talent/programmes/{code}/publish").status_code == 200
    results = public.get(f"/api/v1/talent/programmes/{code}/results").json()
    assert results == [
        {
            "name": "陈*",
            "employer": "陈晨的单位",
            "title": "智能制造关键技术",
            "score": "80.50",
            "rank": 1,
            "funded": True,
        }
    ]
    mine = applicant.get("/api/v1/talent/declarations/mine").json()
    assert mine[0]["rank"] == 1 and mine[0]["notice_ends_on"]
    appeal = applicant.post(
        f"/api/v1/talent/declarations/{declaration['id']}/appeal",
        {"reason": "请求复核"},
        content_type="application/json",
    )
    assert appeal.status_code == 201
    pending = office.get("/api/v1/talent/appeals").json()
    assert pending[0]["applicant"] == "陈晨" and pending[0]["status"] == "pending"
    decided = office.post(
        f"/api/v1/talent/appeals/{appeal.json()['id']}/decision",
        {"upheld": False, "reason": "评分无误"},
        content_type="application/json",
    )
    assert decided.status_code == 200 and decided.json()["status"] == "dismissed"


def test_refusals_in_the_one_error_shape():
    made = pb.review(applicants=1, pool=3)
    code = made.programme.code
    closed = pb.programme(made.office, opens_on=dt.date.today() + dt.timedelta(days=1))
    refused = bearer(pb.citizen("迟到者")).post(
        "/api/v1/talent/declarations",
        {"programme": closed.code, "title": "x", "summary": "y", "requested_amount": "1.00"},
        content_type="application/json",
    )
    assert refused.status_code == 409 and refused.json()["code"] == "declaration_window_closed"
    assert "申报" in refused.json()["message"]
    citizen = bearer(make_user("programme-plain", roles.CITIZEN))
    assert citizen.get("/api/v1/talent/experts").status_code == 403
    assert citizen.get("/api/v1/talent/expert/assignments").status_code == 403
    assert citizen.get(f"/api/v1/talent/programmes/{code}/declarations").status_code == 403
    far = bearer(pb.office(districts=["120103"]))
    assert far.get(f"/api/v1/talent/programmes/{code}/declarations").status_code == 404
    experts = bearer(made.office).get("/api/v1/talent/experts").json()
    assert len(experts) == 3 and experts[0]["employer"].endswith("的单位")
