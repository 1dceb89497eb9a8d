"""The training API through the whole stack (bearer tokens, scope, the one error shape)."""

from __future__ import annotations

import pytest
from django.test import Client

from hrss.servicehall.tests.builders import bearer
from hrss.training.tests import builders

pytestmark = pytest.mark.django_db


def test_reference_data_is_public_with_its_sources(town):
    anyone = Client()
    qualifications = anyone.get("/api/v1/training/qualifications").json()
    electrician = next(q for q in qualifications if q["code"] == builders.QUALIFICATION)
    assert electrician["occupation"] == "6-31" and electrician["levels"] == [1, 2, 3, 4, 5] and electrician["source"]
    assert all(p["source"] for p in anyone.get("/api/v1/training/policies").json())
    assert anyone.get("/api/v1/training/shortage-occupations").json()[0]["rank"] == 1
    institutions = anyone.get("/api/v1/training/institutions").json()
    assert {i["kind"] for i in institutions} == {"training", "appraisal"}


def test_enrol_and_verify_through_the_api(town):
    course = builders.course(town)
    assert Client().get("/api/v1/training/courses").json()[0]["id"] == str(course.pk)
    citizen = bearer(town.citizen)
    answer = citizen.post(f"/api/v1/training/courses/{course.pk}/enrol")
    assert answer.status_code == 201 and answer.json()["status"] == "enrolled"
    assert citizen.post(f"/api/v1/training/courses/{course.pk}/enrol").status_code == 201  # a retry
    assert len(citizen.get("/api/v1/training/me/enrolments").json()) == 1
    # an agent of another employer finds nothing of this course
    assert bearer(town.body_agent).get(f"/api/v1/training/institution/courses/{course.pk}/enrolments").json() == []


def test_certificate_verification_answers_valid_revoked_or_unknown(town):
    builders.trained(town)
    certificate = builders.certified(town)
    anyone = Client()
    valid = anyone.get(f"/api/v1/training/certificates/{certificate.number}").json()
    assert valid["status"] == "valid" and valid["holder_masked"] and valid["holder"] == "学**"
    assert town.citizen.person.id_number not in str(valid)
    unknown = anyone.get("/api/v1/training/certificates/Y1200002026500999900").json()
    assert unknown["status"] == "unknown" and unknown["holder"] == ""

    refused = bearer(town.citizen).post(
        f"/api/v1/training/certificates/{certificate.number}/revoke",
        {"reason": "不应撤销"},
        content_type="application/json",
    )
    assert refused.status_code == 403 and refused.json()["code"]
    revoked = bearer(town.approver).post(
        f"/api/v1/training/certificates/{certificate.number}/revoke",
        {"reason": "考试作弊，经调查核实"},
        content_type="application/json",
    )
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    assert anyone.get(f"/api/v1/training/certificates/{certificate.number}").json()["status"] == "revoked"


def test_bad_input_is_a_4xx_in_the_one_shape(town):
    agent = bearer(town.agent)
    answer = agent.post(
        "/api/v1/training/institution/courses",
        {
            "title": "越权课程",
            "qualification": "6-18-02-04",  # 焊工: outside the school's licensed scope
            "level": 5,
            "mode": "online",
            "hours": 10,
            "capacity": 10,
            "starts_on": "2026-12-10",
            "ends_on": "2026-12-20",
        },
        content_type="application/json",
    )
    assert answer.status_code == 422 and answer.json()["code"] == "outside_scope"
    assert bearer(town.citizen).get("/api/v1/training/supervision/cases").status_code == 403
