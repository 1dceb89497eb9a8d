"""The rights-protection register (L2, #20): petitions with their deadlines, fraud cases linked
to insurance's recovery case, transfers between units with receipts, duplicates merged."""

import datetime as dt
import uuid

import pytest
from django.db.models import Q

from hrss.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hrss.core.models import AuditEntry
from hrss.labor import deadlines, register
from hrss.labor.models import FraudCase, Petition, RegisterEvent, Transfer
from hrss.labor.services import complaints, transfers
from hrss.labor.services import register as services
from hrss.labor.tests.builders import petition, register_unit
from hrss.testing import make_employer, make_person, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def inspector(db):
    return make_user("inspector_hp", "inspector", districts=["120101"])


def test_petition_periods_are_calendar_days_moved_off_holidays():
    # received 2026-09-16: +15 days is 10-01, National Day: the decision is due 10-08
    answer = deadlines.deadline(deadlines.PETITION_ACCEPTANCE, dt.date(2026, 9, 16))
    assert answer.due == dt.date(2026, 10, 8) and "信访" in answer.basis
    # an ordinary period: accepted 2026-03-02 (Mon) + 60 = 05-01 (Labour Day holiday) -> 05-06
    assert deadlines.deadline(deadlines.PETITION_ANSWER, dt.date(2026, 3, 2)).due == dt.date(2026, 5, 6)
    # extended by 30: 90 days, 2026-05-31 is a Sunday -> Monday 06-01
    assert deadlines.deadline(deadlines.PETITION_ANSWER_EXTENDED, dt.date(2026, 3, 2)).due == dt.date(2026, 6, 1)
    # the transfer receipt: 3 working days from Wed 2026-09-30 skip the National Day week
    assert deadlines.transfer_receipt_due(dt.date(2026, 9, 30)) == dt.date(2026, 10, 10)


def test_petition_lifecycle(city, inspector):
    received = dt.date(2026, 9, 16)
    row = petition(city, inspector, today=received)
    assert row.reference.startswith("XF") and row.status == "received" and row.district_id == "120101"
    assert row.acceptance_due == row.due_on == dt.date(2026, 10, 8)
    assert petition(city, inspector, today=received).pk == row.pk  # a retried request
    services.petition_decide(scope=city.scope(inspector), reference=row.reference, accept=True, today=received)
    row.refresh_from_db()
    assert row.status == "accepted" and row.answer_due == row.due_on
    with pytest.raises(Conflict):
        services.petition_decide(scope=city.scope(inspector), reference=row.reference, accept=False, reason="x")
    services.petition_extend(scope=city.scope(inspector), reference=row.reference, reason="情况复杂")
    row.refresh_from_db()
    assert row.extended and row.due_on > row.acceptance_due
    with pytest.raises(Conflict):
        services.petition_extend(scope=city.scope(inspector), reference=row.reference, reason="再次")
    services.petition_answer(scope=city.scope(inspector), reference=row.reference, answer="已责令单位支付工资")
    services.petition_close(scope=city.scope(inspector), reference=row.reference)
    row.refresh_from_db()
    assert row.status == "closed" and row.due_on is None
    actions = list(RegisterEvent.objects.filter(item_reference=row.reference).values_list("action", flat=True))
    assert actions == ["file", "accept", "extend", "answer", "close"]
    assert AuditEntry.objects.filter(action="labor.petition.record").count() == 1


def test_petitioner_outside_the_registry_and_refusals(city, inspector):
    row = petition(
        city,
        inspector,
        key="p2",
        person_id=None,
        petitioner_name="李四",
        petitioner_phone="13912345678",
        credit_code="",
        district="120101",
    )
    assert row.person is None and row.petitioner_name == "李四" and row.employer is None
    raw = Petition.objects.filter(pk=row.pk).values_list("petitioner_phone", flat=True)
    assert "13912345678" in raw[0]  # decrypted on read...
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT petitioner_phone FROM labor_petition WHERE reference = %s", [row.reference])
        assert "13912345678" not in cursor.fetchone()[0]  # ...encrypted at rest
    with pytest.raises(InvalidInput):
        petition(city, inspector, key="p3", person_id=None, petitioner_name="李四", petitioner_phone="12")
    with pytest.raises(InvalidInput):
        petition(city, inspector, key="p4", credit_code="91120101MA05K1230X")  # bad check character
    with pytest.raises(InvalidInput):
        petition(city, inspector, key="p5", channel="pigeon")
    with pytest.raises(PermissionDenied):
        petition(city, city.clerk, key="p6")
    hexi = make_user("inspector_hx", "inspector", districts=["120103"])
    with pytest.raises(PermissionDenied):
        petition(city, hexi, key="p7")
    with pytest.raises(NotFound):
        services.petition_decide(scope=city.scope(hexi), reference=row.reference, accept=True)


def test_fraud_case_and_its_recovery_link(city, inspector):
    case = services.fraud_open(
        scope=city.scope(inspector),
        kind="impersonation",
        found_by="cross_check",
        amount="12000.50",
        description="死亡后继续领取养老金",
        idempotency_key="f1",
        person_id=city.person.pk,
    )
    assert case.reference.startswith("QZ") and case.amount == 12000.50 and case.district_id == "120101"
    # the investigation's deadline: 60 working days from the day it was opened (条例 第十七条)
    assert case.due_on == deadlines.investigation_due(case.opened_on) > case.opened_on + dt.timedelta(days=60)
    entry = next(e for e in register.entries(Q(pk=case.pk), kinds=(register.FRAUD,)))
    assert entry.due_on == case.due_on and not entry.overdue
    for bad in ("-1", "abc", "1e20", "NaN"):
        with pytest.raises(InvalidInput):
            services.fraud_open(
                scope=city.scope(inspector),
                kind="impersonation",
                found_by="report",
                amount=bad,
                description="x",
                idempotency_key=f"bad{bad}",
                person_id=city.person.pk,
            )
    with pytest.raises(InvalidInput):  # neither a person nor an employer
        services.fraud_open(
            scope=city.scope(inspector),
            kind="other",
            found_by="report",
            amount="1",
            description="x",
            idempotency_key="n",
        )
    from hrss.insurance.recovery import recovery_open

    recovery_id = recovery_open(
        reference="labor-test",
        reason="deceased",
        debtor="",
        district="120101",
        person_id=city.person.pk,
        overpaid_fen=1200050,
        first_period=dt.date(2026, 1, 1),
        evidence={},
        actor="test",
    )
    with pytest.raises(InvalidInput):
        services.fraud_link_recovery(scope=city.scope(inspector), reference=case.reference, recovery_case=uuid.uuid4())
    services.fraud_link_recovery(scope=city.scope(inspector), reference=case.reference, recovery_case=recovery_id)
    services.fraud_status(scope=city.scope(inspector), reference=case.reference, status="confirmed")
    with pytest.raises(Conflict):
        services.fraud_status(scope=city.scope(inspector), reference=case.reference, status="dismissed")
    case.refresh_from_db()
    assert case.recovery_case == recovery_id and case.status == "confirmed"
    assert case.due_on is None  # decided: the clock stops


def test_person_view_links_every_kind(city, inspector):
    from hrss.labor.tests.builders import accepted
    from hrss.servicehall.tests.builders import ARBITRATION_FORM

    arbitration = accepted(city, {**ARBITRATION_FORM, "respondent": city.employer.credit_code})
    row = petition(city, inspector)
    complaint = complaints.complaint_file(
        scope=city.scope(city.citizen),
        credit_code=city.employer.credit_code,
        kind="complaint",
        content="拖欠工资",
        idempotency_key="c1",
    )
    fraud = services.fraud_open(
        scope=city.scope(inspector),
        kind="benefit_fraud",
        found_by="report",
        amount="300",
        description="x",
        idempotency_key="f1",
        person_id=city.person.pk,
        credit_code=city.employer.credit_code,
    )
    view = register.person_view(scope=city.scope(inspector), person_id=city.person.pk)
    kinds = {(e.kind, e.reference) for e in view["entries"]}
    assert kinds == {
        ("petition", row.reference),
        ("complaint", complaint.reference),
        ("fraud", fraud.reference),
        ("arbitration", arbitration.reference),
    }
    assert AuditEntry.objects.filter(action="labor.person.register").exists()
    hexi = make_user("inspector_hx", "inspector", districts=["120103"])
    with pytest.raises(NotFound):
        register.person_view(scope=city.scope(hexi), person_id=city.person.pk)
    with pytest.raises(PermissionDenied):
        register.person_view(scope=city.scope(city.clerk), person_id=city.person.pk)
    employer_side = register.employer_entries(employer_id=city.employer.pk)
    assert {e.kind for e in employer_side} == {"petition", "fraud"}


def test_transfer_with_receipt_and_overdue(city, inspector):
    row = petition(city, inspector)
    team = register_unit()
    sent = transfers.transfer_send(
        scope=city.scope(inspector),
        kind="petition",
        reference=row.reference,
        to_unit=team.code,
        reason="属地办理",
        idempotency_key="t1",
        today=dt.date(2026, 9, 30),
    )
    assert sent.receipt_due == dt.date(2026, 10, 10) and sent.from_unit is None
    assert (
        transfers.transfer_send(
            scope=city.scope(inspector),
            kind="petition",
            reference=row.reference,
            to_unit="x",
            reason="x",
            idempotency_key="t1",
        ).pk
        == sent.pk
    )
    with pytest.raises(Conflict):  # the last transfer is not acknowledged yet
        transfers.transfer_send(
            scope=city.scope(inspector),
            kind="petition",
            reference=row.reference,
            to_unit="city-arbitration",
            reason="x",
            idempotency_key="t2",
        )
    pending = register.transfers_pending(scope=city.scope(inspector), limit=10, offset=0)
    assert [(t.pk, overdue) for t, overdue in pending] == [(sent.pk, True)]  # 2026-10-10 is past
    hexi = make_user("inspector_hx", "inspector", districts=["120103"])
    with pytest.raises(NotFound):
        transfers.transfer_receive(scope=city.scope(hexi), transfer_id=sent.pk)
    transfers.transfer_receive(scope=city.scope(inspector), transfer_id=sent.pk)
    sent.refresh_from_db()
    assert sent.received_by == "inspector_hp" and sent.received_at is not None
    other = transfers.transfer_send(
        scope=city.scope(inspector),
        kind="petition",
        reference=row.reference,
        to_unit="city-arbitration",
        reason="仲裁处理",
        idempotency_key="t3",
    )
    with pytest.raises(PermissionDenied):  # a city-wide unit's receipt is for city-wide staff
        transfers.transfer_receive(scope=city.scope(inspector), transfer_id=other.pk)
    detail = register.item_detail(scope=city.scope(inspector), kind="petition", reference=row.reference)
    assert [e.action for e in detail["events"]] == ["file", "transfer", "receive", "transfer"]
    assert len(detail["transfers"]) == 2 and detail["entry"].unit == "市劳动人事争议仲裁委员会"
    with pytest.raises(NotFound):
        transfers.transfer_send(
            scope=city.scope(inspector),
            kind="complaint",
            reference="TS0",
            to_unit="x",
            reason="x",
            idempotency_key="t9",
        )


def test_duplicates_found_set_based_and_merged(city, inspector):
    first = petition(city, inspector, key="d1", today=dt.date(2026, 9, 1))
    second = petition(city, inspector, key="d2", today=dt.date(2026, 9, 10))
    other = make_employer(name="另一单位")
    petition(city, inspector, key="d3", today=dt.date(2026, 9, 12), credit_code=other.credit_code)
    make_person(name="无关")
    found = register.duplicate_candidates(scope=city.scope(inspector), kind="petition", today=dt.date(2026, 9, 20))
    assert [(d.reference, d.candidate_of) for d in found] == [(second.reference, first.reference)]
    transfers.merge(scope=city.scope(inspector), kind="petition", reference=second.reference, into=first.reference)
    second.refresh_from_db()
    assert second.status == "merged" and second.merged_into_id == first.pk
    entry = next(
        e
        for e in register.person_view(scope=city.scope(inspector), person_id=city.person.pk)["entries"]
        if e.reference == second.reference
    )
    assert entry.merged_into == first.reference and entry.due_on == first.due_on  # the survivor's deadline
    assert register.duplicate_candidates(scope=city.scope(inspector), kind="petition", today=dt.date(2026, 9, 20)) == []
    with pytest.raises(Conflict):
        transfers.merge(scope=city.scope(inspector), kind="petition", reference=first.reference, into=second.reference)
    assert AuditEntry.objects.filter(action="labor.register.merge").count() == 1
    assert Transfer.objects.count() == 0 and FraudCase.objects.count() == 0
