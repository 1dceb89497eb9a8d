"""Mediation before arbitration: the worker applies (idempotent), the mediator records sessions
and an agreement or a failure, and the 15-day period (第14条) says when arbitration is open."""

import datetime as dt

import pytest
from django.utils import timezone

from hrss.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hrss.core.models import AuditEntry
from hrss.core.workdays import is_workday
from hrss.labor import rules
from hrss.labor.models import MediationStatus
from hrss.labor.services import mediation
from hrss.labor.tests.builders import make_arbitrator, organisation
from hrss.servicehall.tests.builders import bearer
from hrss.testing import make_user

pytestmark = pytest.mark.django_db


def apply(city, org, key="k1", **kw):
    values = {"respondent": city.employer.credit_code, "claims": "支付拖欠工资", "amount": "8600", **kw}
    return mediation.mediation_apply(
        scope=city.scope(city.citizen), organisation_id=org.pk, idempotency_key=key, **values
    )


def test_the_rule_opens_arbitration_after_failure_or_the_period():
    due = dt.date(2026, 10, 8)
    assert rules.may_go_to_arbitration(status="failed", due_on=due, today=dt.date(2026, 10, 1))
    assert not rules.may_go_to_arbitration(status="open", due_on=due, today=due)
    assert rules.may_go_to_arbitration(status="open", due_on=due, today=due + dt.timedelta(days=1))
    assert not rules.may_go_to_arbitration(status="agreed", due_on=due, today=dt.date(2027, 1, 1))


def test_the_worker_applies_once_with_the_statutory_period(city):
    org = organisation()
    first = apply(city, org)
    today = timezone.localdate()
    assert first.status == MediationStatus.OPEN and first.employer == city.employer
    assert first.due_on == rules.period_end(today, 15, is_workday) and first.district_id == "120101"
    assert apply(city, org).pk == first.pk  # a retried request
    assert AuditEntry.objects.filter(action="labor.mediation.apply", object_id=str(first.pk)).count() == 1
    with pytest.raises(InvalidInput):
        apply(city, org, key="k2", claims=" ")
    org.active = False
    org.save()
    with pytest.raises(InvalidInput):
        apply(city, org, key="k3")
    with pytest.raises(PermissionDenied):
        mediation.mediation_apply(
            scope=city.scope(city.clerk),
            organisation_id=org.pk,
            respondent="x",
            claims="y",
            amount=None,
            idempotency_key="z",
        )


def test_sessions_then_an_agreement_close_the_mediation(city):
    row = apply(city, organisation())
    staff = city.scope(make_arbitrator())
    with pytest.raises(Conflict):  # an agreement is reached at a session
        mediation.agreement_record(scope=staff, reference=row.reference, text="支付", amount="8600")
    with pytest.raises(InvalidInput):  # not a session yet to come
        mediation.session_record(
            scope=staff, reference=row.reference, held_at=timezone.now() + dt.timedelta(days=1), mode="online", note="x"
        )
    mediation.session_record(
        scope=staff, reference=row.reference, held_at=timezone.now(), mode="online", note="视频调解"
    )
    done = mediation.agreement_record(scope=staff, reference=row.reference, text="11月30日前支付8600元", amount="8600")
    assert done.status == MediationStatus.AGREED and done.mediator == "arbitrator1" and done.closed_on
    with pytest.raises(Conflict):
        mediation.failure_record(scope=staff, reference=row.reference, reason="x")


def test_a_failure_opens_arbitration_and_staff_see_only_their_districts(city):
    row = apply(city, organisation())
    hexi = make_user("arb_hx", "arbitrator", districts=["120103"])
    with pytest.raises(NotFound):
        mediation.failure_record(scope=city.scope(hexi), reference=row.reference, reason="拒绝调解")
    failed = mediation.failure_record(scope=city.scope(make_arbitrator()), reference=row.reference, reason="拒绝调解")
    assert failed.status == MediationStatus.FAILED
    assert rules.may_go_to_arbitration(status=failed.status, due_on=failed.due_on, today=timezone.localdate())


def test_the_mediation_through_the_api(city):
    org = organisation()
    listed = bearer(city.citizen).get("/api/v1/labor/mediation-organisations")
    assert listed.status_code == 200 and [o["name"] for o in listed.json()] == [org.name]
    citizen = bearer(city.citizen)
    body = {
        "organisation": str(org.pk),
        "respondent": city.employer.credit_code,
        "claims": "支付工资",
        "idempotency_key": "a1",
    }
    answer = citizen.post("/api/v1/labor/mediations", body, content_type="application/json")
    assert answer.status_code == 200, answer.content
    reference = answer.json()["mediation"]["reference"]
    assert answer.json()["mediation"]["may_go_to_arbitration"] is False
    again = citizen.post("/api/v1/labor/mediations", body, content_type="application/json")
    assert again.json()["mediation"]["reference"] == reference
    bad = citizen.post(
        "/api/v1/labor/mediations",
        {**body, "organisation": "nope", "idempotency_key": "a2"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and set(bad.json()) == {"code", "message", "fields"}
    assert [m["reference"] for m in citizen.get("/api/v1/labor/mediations/mine").json()] == [reference]
    assert citizen.get("/api/v1/labor/mediations").status_code == 403

    staff = bearer(make_arbitrator())
    assert [m["reference"] for m in staff.get("/api/v1/labor/mediations").json()] == [reference]
    session = {"held_at": timezone.now().isoformat(), "mode": "in_person", "note": "现场调解"}
    assert (
        staff.post(
            f"/api/v1/labor/mediations/{reference}/sessions", session, content_type="application/json"
        ).status_code
        == 200
    )
    failed = staff.post(
        f"/api/v1/labor/mediations/{reference}/failure", {"reason": "分歧较大"}, content_type="application/json"
    )
    assert failed.status_code == 200 and failed.json()["mediation"]["may_go_to_arbitration"] is True
    seen = citizen.get(f"/api/v1/labor/mediations/{reference}").json()
    assert seen["mediation"]["status"] == "failed" and [s["mode"] for s in seen["sessions"]] == ["in_person"]
    assert bearer(city.clerk).get(f"/api/v1/labor/mediations/{reference}").status_code == 404
