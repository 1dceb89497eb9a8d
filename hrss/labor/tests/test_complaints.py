"""Rights protection: a complaint about an employer joins its inspection lead, and one view of
the employer links the complaint, its open arbitration case, its mediation and the lead."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from hrss.core.errors import InvalidInput, PermissionDenied
from hrss.core.models import AuditEntry
from hrss.core.workdays import is_workday
from hrss.labor import rules
from hrss.labor.models import Complaint, InspectionLead
from hrss.labor.services import complaints, mediation
from hrss.labor.tests.builders import accepted, make_arbitrator, organisation
from hrss.servicehall.tests.builders import ARBITRATION_FORM, bearer, sign_in
from hrss.testing import make_user

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def test_working_days_skip_rest_days_and_holidays():
    # 2026-09-30 (Wed) + 5 working days: National Day week (10-01..10-07 off, 09-27 / 10-10 worked)
    # gives 10-09 (Thu 10-08, Fri 10-09 are working days after the holiday)
    assert rules.workdays_end(dt.date(2026, 9, 30), 1, is_workday) == dt.date(2026, 10, 8)
    assert rules.workdays_end(dt.date(2026, 9, 30), 3, is_workday) == dt.date(2026, 10, 10)
    assert rules.workdays_end(dt.date(2026, 9, 30), 0, is_workday) == dt.date(2026, 9, 30)


def file(city, scope_user, key="c1", **kw):
    values = {"credit_code": city.employer.credit_code, "kind": "complaint", "content": "拖欠工资两个月", **kw}
    return complaints.complaint_file(scope=city.scope(scope_user), idempotency_key=key, **values)


def test_complaints_join_one_open_lead_per_employer(city):
    inspector = make_user("inspector1", "inspector", city_wide=True)
    first = file(city, city.citizen)
    today = timezone.localdate()
    assert first.channel == "web" and first.person == city.person and first.district_id == "120101"
    assert first.due_on == complaints.acceptance_due(today) and first.due_on > today
    assert file(city, city.citizen).pk == first.pk  # a retried request
    hotline = file(city, inspector, key="h1", kind="report", channel="12333", content="12333来电：未签劳动合同")
    assert hotline.person is None and hotline.channel == "12333"
    lead = InspectionLead.objects.get(employer=city.employer)
    assert hotline.lead == first.lead == lead
    assert [r["reference"] for r in lead.reasons] == [first.reference, hotline.reference]
    assert AuditEntry.objects.filter(action="labor.complaint.file").count() == 2
    with pytest.raises(InvalidInput):
        file(city, city.citizen, key="c2", credit_code="91120101MA05K1230X")  # bad check digit
    with pytest.raises(InvalidInput):
        file(city, city.citizen, key="c3", kind="rumour")
    with pytest.raises(PermissionDenied):
        file(city, city.clerk, key="c4")


def test_one_view_links_the_complaint_the_open_case_the_mediation_and_the_lead(city):
    case = accepted(city, {**ARBITRATION_FORM, "respondent": city.employer.credit_code})
    mediation.mediation_apply(
        scope=city.scope(city.citizen),
        organisation_id=organisation().pk,
        respondent=city.employer.credit_code,
        claims="加班费",
        amount="3000",
        idempotency_key="m1",
    )
    answer = bearer(city.citizen).post(
        "/api/v1/labor/complaints",
        {"credit_code": city.employer.credit_code, "kind": "complaint", "content": "拖欠工资", "idempotency_key": "x"},
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.content
    reference = answer.json()["reference"]

    inspector = make_user("inspector1", "inspector", districts=["120101"])
    linked = bearer(inspector).get(f"/api/v1/labor/employers/{city.employer.credit_code}/linked")
    assert linked.status_code == 200, linked.content
    body = linked.json()
    assert [c["reference"] for c in body["complaints"]] == [reference]
    assert [c["reference"] for c in body["cases"]] == [case.reference]
    assert len(body["mediations"]) == 1 and body["lead"]["status"] == "open"
    assert body["lead"]["reasons"][0]["reference"] == reference
    assert AuditEntry.objects.filter(action="labor.employer.linked").exists()
    # out of scope, or not staff: refused
    hexi = make_user("inspector_hx", "inspector", districts=["120103"])
    assert bearer(hexi).get(f"/api/v1/labor/employers/{city.employer.credit_code}/linked").status_code == 404
    assert bearer(city.citizen).get(f"/api/v1/labor/employers/{city.employer.credit_code}/linked").status_code == 403
    assert bearer(inspector).get("/api/v1/labor/employers/not-a-code/linked").status_code == 404

    page = sign_in(Client(), inspector).get(f"/labor/employers/{city.employer.credit_code}/", **ZH)
    text = page.content.decode()
    assert page.status_code == 200 and "监察线索" in text and reference in text and case.reference in text
    # the arbitrator reaches the same view from the case
    arbitrator = sign_in(Client(), make_arbitrator())
    assert (
        f"/labor/employers/{city.employer.credit_code}/"
        in arbitrator.get(f"/labor/cases/{case.reference}/").content.decode()
    )
    assert Complaint.objects.count() == 1
