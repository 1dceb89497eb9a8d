"""The 12333 agent desk: a ticket for every call, complaints routed to their unit with the
deadline in force, call-backs, a reproducible quality sample, and the desk's statistics."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from hrss.core import scope as roles
from hrss.core.audit import AuditEntry
from hrss.core.errors import InvalidInput, NotFound, PermissionDenied
from hrss.core.workdays import add_workdays
from hrss.hotline import services, tickets
from hrss.hotline.models import Ticket
from hrss.identity.services import _phone_set
from hrss.servicehall.tests.builders import bearer
from hrss.testing import make_credit_code, make_employer, make_person, make_user, sign_in, staff_scope

pytestmark = pytest.mark.django_db

AGENT = staff_scope(role=roles.COUNTER_CLERK)
SUPERVISOR = staff_scope(role=roles.ADMINISTRATOR)
INSPECTOR = staff_scope(role=roles.INSPECTOR)


def consultation(**values):
    return {
        "kind": "consultation",
        "category": "insurance",
        "summary": "咨询养老金怎么算",
        "answer": "已按知识库答复",
        "resolved_on_call": True,
        **values,
    }


def test_a_consultation_settled_on_the_call_is_closed_at_once():
    services.generate()
    ticket = tickets.ticket_open(scope=AGENT, values=consultation(articles=["policy-pension"]))
    assert ticket.status == Ticket.Status.ANSWERED and ticket.first_contact_resolved
    assert ticket.unit == "" and ticket.due_on is None
    assert [a.code for a in ticket.articles.all()] == ["policy-pension"]
    assert ticket.reference.startswith("RX")


def test_a_labour_petition_enters_the_register_with_its_acceptance_deadline():
    """信访 by 12333: the caller is identified (a petition is answered to its petitioner), the
    employer is optional, and the petition is recorded once in the labour register as come by
    the hotline, whatever the retries."""
    person = make_person(name="信访人")
    values = {"kind": "petition", "category": "labour", "summary": "反映单位未签劳动合同\n详情见来电记录"}
    with pytest.raises(InvalidInput) as refused:
        tickets.ticket_open(scope=AGENT, values=values)
    assert "id_number" in refused.value.fields
    ticket = tickets.ticket_open(
        scope=AGENT, values={**values, "id_number": person.id_number}, idempotency_key="petition-1"
    )
    again = tickets.ticket_open(
        scope=AGENT, values={**values, "id_number": person.id_number}, idempotency_key="petition-1"
    )
    from hrss.labor.models import Petition

    petition = Petition.objects.get(reference=ticket.linked_reference)
    assert again.pk == ticket.pk and Petition.objects.count() == 1
    assert petition.channel == "12333" and petition.person_id == person.pk and petition.employer_id is None
    assert petition.subject == "反映单位未签劳动合同" and petition.acceptance_due is not None


def test_a_retried_request_is_the_same_ticket():
    first = tickets.ticket_open(scope=AGENT, values=consultation(), idempotency_key="call-1")
    again = tickets.ticket_open(scope=AGENT, values=consultation(), idempotency_key="call-1")
    assert again.pk == first.pk and Ticket.objects.count() == 1


def test_a_labour_complaint_reaches_the_inspectorate_with_its_deadline():
    employer = make_employer(name="欠薪公司")
    today = timezone.localdate()
    complaint = tickets.ticket_open(
        scope=AGENT,
        values={
            "kind": "complaint",
            "category": "labour",
            "summary": "公司拖欠三个月工资",
            "employer_credit_code": employer.credit_code,
            "callback": True,
        },
    )
    assert complaint.status == Ticket.Status.ROUTED and complaint.unit == "inspection"
    # The same complaint enters the labour app's rights-protection register, joining the employer's lead.
    from hrss.labor.models import Complaint

    registered = Complaint.objects.get(reference=complaint.linked_reference)
    assert registered.channel == "12333" and registered.employer_id == employer.pk
    assert registered.due_on == complaint.due_on and registered.lead is not None
    assert complaint.due_on == add_workdays(today, 5)  # inspection.complaint_acceptance_workdays
    assert complaint.callback_due == add_workdays(today, 1)
    # The inspectorate sees it in its queue; the card centre's staff do not.
    assert [t.reference for t in tickets.ticket_list(scope=INSPECTOR)] == [complaint.reference]
    with pytest.raises(PermissionDenied):
        tickets.ticket_list(scope=staff_scope(role=roles.ANALYST))
    other_agent = staff_scope(role=roles.COUNTER_CLERK).__class__(
        actor="someone-else", roles=frozenset({"counter_clerk"})
    )
    assert tickets.ticket_list(scope=other_agent) == []
    with pytest.raises(PermissionDenied):
        tickets.ticket_resolve(scope=AGENT, reference=complaint.reference, resolution="已处理")
    done = tickets.ticket_resolve(scope=INSPECTOR, reference=complaint.reference, resolution="已立案调查")
    assert done.status == Ticket.Status.RESOLVED and done.resolved_by == INSPECTOR.actor
    called = tickets.callback_done(scope=AGENT, reference=complaint.reference, note="已回电告知")
    assert called.callback_done_at is not None


def test_a_labour_complaint_must_name_a_registered_employer():
    with pytest.raises(InvalidInput) as error:
        tickets.ticket_open(scope=AGENT, values={"kind": "complaint", "category": "labour", "summary": "欠薪"})
    assert "employer_credit_code" in error.value.fields
    with pytest.raises(InvalidInput):
        tickets.ticket_open(
            scope=AGENT,
            values={"kind": "report", "category": "labour", "summary": "欠薪", "employer_credit_code": "123"},
        )
    with pytest.raises(InvalidInput):  # valid, but nobody registered it
        tickets.ticket_open(
            scope=AGENT,
            values={
                "kind": "report",
                "category": "labour",
                "summary": "欠薪",
                "employer_credit_code": make_credit_code(),
            },
        )


def test_only_agents_open_tickets_and_bad_choices_are_refused():
    with pytest.raises(PermissionDenied):
        tickets.ticket_open(scope=staff_scope(role=roles.REVIEWER), values=consultation())
    with pytest.raises(InvalidInput):
        tickets.ticket_open(scope=AGENT, values=consultation(category="weather"))
    with pytest.raises(InvalidInput):
        tickets.ticket_open(scope=AGENT, values=consultation(answer=""))


def test_the_caller_by_id_number_or_by_the_phone_of_their_account_is_audited():
    person = make_person(name="来电人")
    user = make_user("caller", roles.CITIZEN, person=person)
    _phone_set(user, "13912345678")
    user.save()
    assert tickets.caller_lookup(scope=AGENT, phone="139-1234-5678").pk == person.pk
    assert tickets.caller_lookup(scope=AGENT, id_number=person.id_number).pk == person.pk
    reads = AuditEntry.objects.filter(object_id=str(person.pk), action="registry.person.read").count()
    assert reads == 2
    with pytest.raises(NotFound):
        tickets.caller_lookup(scope=AGENT, phone="13000000000")
    with pytest.raises(InvalidInput):
        tickets.caller_lookup(scope=AGENT, phone="12345")
    district_clerk = staff_scope(role=roles.COUNTER_CLERK, districts=["120103"])
    with pytest.raises(NotFound):  # outside the clerk's districts: the same answer as unknown
        tickets.caller_lookup(scope=district_clerk, phone="13912345678")


def test_the_quality_sample_is_a_reproducible_share_of_the_day():
    for n in range(40):
        tickets.ticket_open(scope=AGENT, values=consultation(summary=f"咨询{n}"))
    today = timezone.localdate()
    with pytest.raises(PermissionDenied):
        tickets.quality_sample(scope=AGENT, day=today)
    sample = tickets.quality_sample(scope=SUPERVISOR, day=today, seed=7)
    assert len(sample) == 2  # 5 % of 40 (hotline.quality_sample_ratio)
    assert [t.reference for t in tickets.quality_sample(scope=SUPERVISOR, day=today)] == [t.reference for t in sample]
    entry = AuditEntry.objects.filter(action="hotline.quality.sample").get()
    assert entry.detail["seed"] == 7 and entry.detail["of"] == 40
    # The same seed over the same day's references draws the same tickets.
    Ticket.objects.update(sampled_on=None)
    again = tickets.quality_sample(scope=SUPERVISOR, day=today, seed=7)
    assert [t.reference for t in again] == [t.reference for t in sample]
    scored = tickets.quality_score(scope=SUPERVISOR, reference=sample[0].reference, score=4, note="规范")
    assert scored.quality_score == 4
    assert tickets.quality_sample(scope=SUPERVISOR, day=today - dt.timedelta(days=3)) == []


def test_statistics_by_category_and_hour_with_first_contact_resolution(django_assert_max_num_queries):
    employer = make_employer()
    for _ in range(3):
        tickets.ticket_open(scope=AGENT, values=consultation())
    tickets.ticket_open(scope=AGENT, values=consultation(resolved_on_call=False, answer=""))
    tickets.ticket_open(
        scope=AGENT,
        values={
            "kind": "complaint",
            "category": "labour",
            "summary": "欠薪",
            "employer_credit_code": employer.credit_code,
        },
    )
    Ticket.objects.filter(kind="complaint").update(due_on=timezone.localdate() - dt.timedelta(days=1))
    today = timezone.localdate()
    with django_assert_max_num_queries(5):
        found = tickets.statistics(scope=AGENT, since=today, until=today)
    assert found.total == 5
    assert {row["category"]: row["calls"] for row in found.by_category} == {"insurance": 4, "labour": 1}
    assert sum(row["calls"] for row in found.by_hour) == 5
    assert found.consultations == 4 and found.first_contact_resolved == 3 and found.first_contact_rate == 0.75
    assert found.overdue == 1
    with pytest.raises(InvalidInput):
        tickets.statistics(scope=AGENT, since=today, until=today - dt.timedelta(days=1))


def test_the_api():
    services.generate()
    agent = bearer(make_user("desk-agent", roles.COUNTER_CLERK, city_wide=True))
    body = consultation(articles=["policy-pension"], idempotency_key="api-1", caller_phone="13800138000")
    created = agent.post("/api/v1/hotline/tickets", body, content_type="application/json")
    assert created.status_code == 201, created.content
    again = agent.post("/api/v1/hotline/tickets", body, content_type="application/json")
    assert again.json()["reference"] == created.json()["reference"]
    reference = created.json()["reference"]
    assert [t["reference"] for t in agent.get("/api/v1/hotline/tickets").json()] == [reference]
    assert agent.get(f"/api/v1/hotline/tickets/{reference}").json()["status"] == "answered"
    bad = agent.post("/api/v1/hotline/tickets", {**body, "caller_phone": "abc"}, content_type="application/json")
    assert bad.status_code == 422 and set(bad.json()) == {"code", "message", "fields"}
    citizen = bearer(make_user("desk-citizen", roles.CITIZEN))
    assert citizen.post("/api/v1/hotline/tickets", body, content_type="application/json").status_code == 403
    today = timezone.localdate().isoformat()
    stats = agent.get("/api/v1/hotline/statistics", {"since": today, "until": today})
    assert stats.status_code == 200 and stats.json()["total"] == 1
    assert agent.get("/api/v1/hotline/callers").status_code == 422


def test_an_agent_answers_a_call_on_the_desk_in_chinese():
    services.generate()
    person = make_person(name="来电甲")
    agent = sign_in(Client(), make_user("desk-page-agent", roles.COUNTER_CLERK, city_wide=True))
    desk = agent.get("/hotline/desk/", {"id_number": person.id_number}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert desk.status_code == 200 and "来电甲" in desk.content.decode() and "来电人是谁" in desk.content.decode()
    form = {
        "retry_key": "desk-1",
        "id_number": person.id_number,
        "kind": "consultation",
        "category": "insurance",
        "summary": "咨询养老金怎么算",
        "answer": "按知识库答复",
        "articles": "policy-pension",
        "resolved_on_call": "on",
    }
    done = agent.post("/hotline/desk/", form)
    assert done.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.person_id == person.pk and ticket.status == "answered"
    assert agent.post("/hotline/desk/", form).status_code == 302 and Ticket.objects.count() == 1  # double post
    page = agent.get(done["Location"], HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200 and "咨询养老金怎么算" in page.content.decode()
    refused = agent.post("/hotline/desk/", {**form, "retry_key": "desk-2", "summary": ""})
    assert refused.status_code == 422
    stats = agent.get("/hotline/statistics/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert stats.status_code == 200 and "首次来电解决" in stats.content.decode()
