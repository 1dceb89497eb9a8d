"""Labour inspection's follow-through (L3): findings with photos, rectification orders with
their working-day deadline, overdue orders on the queue, penalties, closing a lead; the
inspectors' mobile page; and the public results of completed random inspection plans."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from hrss.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hrss.core.models import AuditEntry
from hrss.core.scope import Scope
from hrss.core.workdays import is_workday
from hrss.identity.auth import scope_for_user
from hrss.labor import deadlines, inspection_selectors, rules
from hrss.labor.models import InspectionEvent, InspectionLead, LeadStatus, OrderStatus, PlanItemStatus
from hrss.labor.services import plans, rectification
from hrss.labor.services.complaints import complaint_file, lead_join
from hrss.registry.models import Employer
from hrss.servicehall.tests.builders import bearer
from hrss.synth.identifiers import credit_code
from hrss.testing import make_user, sign_in

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x01" * 64
DAY = dt.date(2026, 11, 2)  # a Monday


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def world(city):
    """The city's employer in 和平区 (120101) with a complaint by its citizen, which opens the
    lead; an inspector for 和平区 and one for 河西区."""
    hp = make_user("insp-hp", "inspector", districts=["120101"])
    hx = make_user("insp-hx", "inspector", districts=["120103"])
    complaint = complaint_file(
        scope=city.scope(city.citizen),
        credit_code=city.employer.credit_code,
        kind="complaint",
        content="公司拖欠我两个月工资",
        idempotency_key="rect-1",
    )
    return {"city": city, "hp": hp, "hx": hx, "lead": complaint.lead, "complaint": complaint}


def _photo(name: str = "p.png", data: bytes = PNG, kind: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=kind)


def _employer(n: int, district: str = "120101") -> Employer:
    return Employer.objects.create(
        credit_code=credit_code("9", "1", district, f"{30_000 + n:08d}"), name=f"监察企业{n}", district_id=district
    )


# --- services ------------------------------------------------------------------------------------


def test_an_order_runs_from_finding_to_penalty_and_the_lead_closes(world):
    scope, lead = scope_for_user(world["hp"]), world["lead"]
    rectification.finding_record(scope=scope, lead_id=lead.pk, text="工资按时发放", violation=False, today=DAY)
    with pytest.raises(Conflict) as refused:
        rectification.order_issue(scope=scope, lead_id=lead.pk, requirement="补发工资", today=DAY)
    assert refused.value.code == "labor_no_violation"

    finding = rectification.finding_record(
        scope=scope,
        lead_id=lead.pk,
        text="未按月足额支付工资",
        violation=True,
        photos=[_photo(), _photo("again.png"), _photo("j.jpg", JPEG, "image/jpeg")],
        today=DAY,
    )
    photos = list(finding.photos.order_by("id"))  # type: ignore[attr-defined]
    assert [p.sha256 for p in photos] == [hashlib.sha256(PNG).hexdigest(), hashlib.sha256(JPEG).hexdigest()]
    assert [p.content_type for p in photos] == ["image/png", "image/jpeg"]

    order = rectification.order_issue(scope=scope, lead_id=lead.pk, requirement="限期补发工资", today=DAY)
    assert order.due_on == rules.workdays_end(DAY, 10, is_workday) == deadlines.rectification_due(DAY)
    assert order.finding_id == finding.pk and "劳动保障监察条例" in order.basis
    with pytest.raises(Conflict) as again:
        rectification.order_issue(scope=scope, lead_id=lead.pk, requirement="x", today=DAY)
    assert again.value.code == "labor_order_open"
    with pytest.raises(Conflict) as early:
        rectification.order_penalty(scope=scope, reference=order.reference, amount="5000", basis="x", today=DAY)
    assert early.value.code == "labor_order_state"

    late = order.due_on + dt.timedelta(days=1)
    assert rectification.orders_overdue(today=late) == 1
    assert rectification.orders_overdue(today=late) == 0  # idempotent
    queue = inspection_selectors.leads_queue(scope=scope, today=late)
    assert queue[0].pk == lead.pk and queue[0].overdue is True  # type: ignore[attr-defined]

    for bad in ("0", "-5", "abc", "12.345", "NaN"):
        with pytest.raises(InvalidInput):
            rectification.order_penalty(
                scope=scope, reference=order.reference, amount=bad, basis="第二十六条", today=late
            )
    with pytest.raises(InvalidInput):
        rectification.order_penalty(scope=scope, reference=order.reference, amount="5000", basis=" ", today=late)
    with pytest.raises(Conflict):
        rectification.lead_close(scope=scope, lead_id=lead.pk, result="penalised", today=late)  # order still open
    fined = rectification.order_penalty(
        scope=scope, reference=order.reference, amount="20000.50", basis="《劳动保障监察条例》第二十六条", today=late
    )
    assert fined.status == OrderStatus.PENALISED and fined.penalty_amount == Decimal("20000.50")
    with pytest.raises(Conflict):
        rectification.order_comply(scope=scope, reference=order.reference, note="已补发", today=late)

    with pytest.raises(Conflict) as wrong:
        rectification.lead_close(scope=scope, lead_id=lead.pk, result="rectified", today=late)
    assert wrong.value.code == "labor_lead_result"
    with pytest.raises(InvalidInput):
        rectification.lead_close(scope=scope, lead_id=lead.pk, result="whatever", today=late)
    closed = rectification.lead_close(scope=scope, lead_id=lead.pk, result="penalised", note="结案", today=late)
    assert closed.status == LeadStatus.CLOSED and closed.closed_on == late and closed.result == "penalised"
    with pytest.raises(Conflict) as shut:
        rectification.finding_record(scope=scope, lead_id=lead.pk, text="x", violation=False)
    assert shut.value.code == "labor_lead_closed"

    actions = list(InspectionEvent.objects.filter(lead=lead).values_list("action", flat=True))
    assert actions == ["finding", "finding", "order_issue", "order_overdue", "order_penalty", "lead_close"]
    audited = set(AuditEntry.objects.filter(object_id=str(lead.pk)).values_list("action", flat=True))
    assert {"labor.inspection.order_issue", "labor.inspection.order_penalty", "labor.inspection.lead_close"} <= audited


def test_compliance_closes_the_order_and_the_lead_is_rectified(world):
    scope, lead = scope_for_user(world["hp"]), world["lead"]
    with pytest.raises(Conflict):
        rectification.lead_close(scope=scope, lead_id=lead.pk, result="no_violation")  # nothing found yet
    rectification.finding_record(scope=scope, lead_id=lead.pk, text="未签劳动合同", violation=True, today=DAY)
    order = rectification.order_issue(scope=scope, lead_id=lead.pk, requirement="补签劳动合同", today=DAY)
    with pytest.raises(InvalidInput):
        rectification.order_comply(scope=scope, reference=order.reference, note="")
    done = rectification.order_comply(scope=scope, reference=order.reference, note="已补签", today=DAY)
    assert done.status == OrderStatus.COMPLIED and done.complied_on == DAY
    with pytest.raises(Conflict):
        rectification.lead_close(scope=scope, lead_id=lead.pk, result="no_violation")
    rectification.lead_close(scope=scope, lead_id=lead.pk, result="rectified")
    assert InspectionLead.objects.get(pk=lead.pk).result == "rectified"


def test_photos_are_checked(world, monkeypatch):
    scope, lead = scope_for_user(world["hp"]), world["lead"]
    with pytest.raises(InvalidInput) as kind:
        rectification.finding_record(
            scope=scope, lead_id=lead.pk, text="x", violation=True, photos=[_photo("a.png", b"GIF89a....")]
        )
    assert kind.value.code == "file_type"
    with pytest.raises(InvalidInput):
        rectification.finding_record(scope=scope, lead_id=lead.pk, text="x", violation=True, photos=[_photo()] * 7)
    monkeypatch.setattr(rectification, "MAX_PHOTO_BYTES", 16)
    with pytest.raises(InvalidInput) as size:
        rectification.finding_record(scope=scope, lead_id=lead.pk, text="x", violation=True, photos=[_photo()])
    assert size.value.code == "file_size"
    with pytest.raises(InvalidInput):
        rectification.finding_record(scope=scope, lead_id=lead.pk, text=" ", violation=True)
    assert not InspectionEvent.objects.exists()  # nothing was written


def test_inspectors_see_only_their_districts(world):
    hexi, lead = scope_for_user(world["hx"]), world["lead"]
    with pytest.raises(NotFound):
        inspection_selectors.lead_get(scope=hexi, lead_id=lead.pk)
    with pytest.raises(NotFound):
        rectification.finding_record(scope=hexi, lead_id=lead.pk, text="x", violation=True)
    assert inspection_selectors.leads_queue(scope=hexi) == []
    assert [x.pk for x in inspection_selectors.leads_queue(scope=scope_for_user(world["hp"]))] == [lead.pk]
    citizen = scope_for_user(world["city"].citizen)
    with pytest.raises(PermissionDenied):
        inspection_selectors.leads_queue(scope=citizen)
    with pytest.raises(PermissionDenied):
        rectification.finding_record(scope=citizen, lead_id=lead.pk, text="x", violation=True)


# --- API -----------------------------------------------------------------------------------------


def test_api_steps_and_errors(world):
    api, lead = bearer(world["hp"]), world["lead"]
    base = f"/api/v1/labor/leads/{lead.pk}"
    detail = api.get(base)
    assert detail.status_code == 200, detail.content
    assert detail.json()["complaints"][0]["content"] == "公司拖欠我两个月工资"
    found = api.post(f"{base}/findings", {"text": "拖欠工资属实", "violation": "true", "photos": [_photo()]})
    assert found.status_code == 200, found.content
    assert found.json()["findings"][0]["photos"][0]["sha256"] == hashlib.sha256(PNG).hexdigest()
    bad = api.post(f"{base}/findings", {"text": "x", "violation": "true", "photos": [_photo("x.png", b"text")]})
    assert bad.status_code == 422 and bad.json()["code"] == "file_type"
    order = api.post(f"{base}/orders", {"requirement": "限期补发工资"}, content_type="application/json")
    assert order.status_code == 200, order.content
    reference = order.json()["reference"]
    twice = api.post(f"{base}/orders", {"requirement": "x"}, content_type="application/json")
    assert twice.status_code == 409 and twice.json()["code"] == "labor_order_open"
    listed = api.get("/api/v1/labor/rectification-orders")
    assert listed.status_code == 200 and [o["reference"] for o in listed.json()] == [reference]
    assert listed.json()[0]["credit_code"] == world["city"].employer.credit_code
    assert listed.json()[0]["overdue"] is False and listed.json()[0]["lead_id"] == str(lead.pk)
    assert api.get("/api/v1/labor/rectification-orders", {"status": "complied"}).json() == []
    assert api.get("/api/v1/labor/rectification-orders", {"status": "nonsense"}).status_code == 422
    assert bearer(world["hx"]).get("/api/v1/labor/rectification-orders").json() == []  # another district's
    early = api.post(
        f"/api/v1/labor/rectification-orders/{reference}/penalty",
        {"amount": "100.00", "basis": "第二十六条"},
        content_type="application/json",
    )
    assert early.status_code == 409 and early.json()["code"] == "labor_order_state"
    zero = api.post(
        f"/api/v1/labor/rectification-orders/{reference}/penalty",
        {"amount": "0", "basis": "第二十六条"},
        content_type="application/json",
    )
    assert zero.status_code == 422
    complied = api.post(
        f"/api/v1/labor/rectification-orders/{reference}/compliance",
        {"note": "已补发"},
        content_type="application/json",
    )
    assert complied.status_code == 200 and complied.json()["status"] == "complied"
    closed = api.post(f"{base}/close", {"result": "rectified", "note": "结案"}, content_type="application/json")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert [e["action"] for e in closed.json()["events"]][-1] == "lead_close"

    other = bearer(world["hx"])
    assert other.get(base).status_code == 404
    assert other.post(f"{base}/orders", {"requirement": "x"}, content_type="application/json").status_code == 404
    assert bearer(world["city"].citizen).get("/api/v1/labor/leads").status_code == 403


def test_api_queue_query_count_does_not_grow(world, django_assert_max_num_queries):
    api = bearer(world["hp"])
    for n in range(3):
        lead_join(_employer(n), reason={"source": "complaint", "on": DAY.isoformat()}, on=DAY)
    with django_assert_max_num_queries(8):
        few = api.get("/api/v1/labor/leads")
    for n in range(3, 12):
        lead_join(_employer(n), reason={"source": "complaint", "on": DAY.isoformat()}, on=DAY)
    with django_assert_max_num_queries(8):
        many = api.get("/api/v1/labor/leads", {"limit": 50})
    assert len(few.json()) == 4 and len(many.json()) == 13
    assert {"id", "credit_code", "employer_name", "overdue", "next_due"} <= set(many.json()[0])


def test_api_order_list_query_count_does_not_grow(world, django_assert_max_num_queries):
    api, scope = bearer(world["hp"]), scope_for_user(world["hp"])

    def ordered(n: int) -> None:
        lead = lead_join(_employer(n), reason={"source": "complaint", "on": DAY.isoformat()}, on=DAY)
        rectification.finding_record(scope=scope, lead_id=lead.pk, text="未足额支付工资", violation=True, today=DAY)
        rectification.order_issue(scope=scope, lead_id=lead.pk, requirement="限期补发工资", today=DAY)

    ordered(0)
    with django_assert_max_num_queries(8):
        few = api.get("/api/v1/labor/rectification-orders")
    for n in range(1, 6):
        ordered(n)
    with django_assert_max_num_queries(8):
        many = api.get("/api/v1/labor/rectification-orders")
    assert len(few.json()) == 1 and len(many.json()) == 6
    assert all(row["overdue"] for row in many.json())  # DAY's orders are long past their day


# --- pages ---------------------------------------------------------------------------------------


def test_the_lead_page_and_its_steps(world, client):
    lead = world["lead"]
    sign_in(client, world["hp"])
    queue = client.get("/labor/leads/")
    assert queue.status_code == 200 and f"/labor/leads/{lead.pk}/" in queue.content.decode()
    page = client.get(f"/labor/leads/{lead.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert world["city"].employer.name in text and "公司拖欠我两个月工资" in text and 'capture="environment"' in text
    step = f"/labor/leads/{lead.pk}"
    found = client.post(f"{step}/finding/", {"text": "拖欠工资属实", "violation": "1", "photos": [_photo()]})
    assert found.status_code == 302
    assert client.post(f"{step}/order/", {"requirement": "限期补发工资"}).status_code == 302
    order = lead.orders.get()
    assert order.status == OrderStatus.ISSUED
    refused = client.post(f"{step}/penalty/", {"order": order.reference, "amount": "100", "basis": "x"}, follow=True)
    assert refused.status_code == 200 and lead.orders.get().status == OrderStatus.ISSUED  # said on the page
    assert client.post(f"{step}/comply/", {"order": order.reference, "note": "已补发"}).status_code == 302
    assert client.post(f"{step}/close/", {"result": "rectified"}).status_code == 302
    assert InspectionLead.objects.get(pk=lead.pk).status == LeadStatus.CLOSED
    assert client.get(f"{step}/nonsense/").status_code == 404

    other = Client()
    sign_in(other, world["hx"])
    assert other.get(f"/labor/leads/{lead.pk}/").status_code == 404
    assert other.post(f"{step}/order/", {"requirement": "x"}).status_code == 404


def test_the_lead_page_in_chinese_keeps_working(world, client):
    sign_in(client, world["hp"])
    page = client.get(f"/labor/leads/{world['lead'].pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200 and world["city"].employer.name in page.content.decode()


# --- publication (双随机一公开: 公开) --------------------------------------------------------------


def _completed_plan(world, seed: int = 5) -> str:
    for name in ("insp-p1", "insp-p2"):
        make_user(name, "inspector", districts=["120101"])
    for n in range(20, 24):
        _employer(n)
    scope = scope_for_user(world["hp"])
    plan = plans.plan_draw(scope=scope, district="120101", sample_size=3, seed=seed)
    for item in plan.items.order_by("position"):
        item = plans.item_dispatch(scope=scope, reference=plan.reference, position=item.position)
        violation = item.position == 1
        rectification.finding_record(
            scope=scope, lead_id=item.lead_id, text="检查人员张三现场检查：工资台账不全", violation=violation
        )
    return plan.reference


def test_completed_plans_are_published_without_personal_data(world, django_assert_max_num_queries):
    reference = _completed_plan(world)
    scope = scope_for_user(world["hp"])
    first = plans.plan_get(scope=scope, reference=reference)[1][0]
    assert first.status == PlanItemStatus.INSPECTED
    # escalate the first employer's order to a penalty
    order = rectification.order_issue(scope=scope, lead_id=first.lead_id, requirement="补全工资台账", today=DAY)
    rectification.order_penalty(
        scope=scope, reference=order.reference, amount="3000", basis="第三十条", today=order.due_on + dt.timedelta(1)
    )
    public = Client()
    with django_assert_max_num_queries(6):
        answer = public.get("/api/v1/labor/inspection-results", {"district": "120101"})
    assert answer.status_code == 200, answer.content
    [plan] = answer.json()
    assert plan["reference"] == reference and len(plan["items"]) == 3
    assert [item["result"] for item in plan["items"]] == ["penalised", "no_problem", "no_problem"]
    body = answer.content.decode()
    for private in ("insp-", "张三", "张伟", "工资台账", world["city"].person.id_number):
        assert private not in body
    assert public.get("/api/v1/labor/inspection-results", {"district": "12"}).status_code == 422

    page = public.get("/labor/inspection-results/?district=120101")
    text = page.content.decode()
    assert page.status_code == 200 and reference in text and plan["items"][0]["credit_code"] in text
    for private in ("insp-", "张三", "张伟", "工资台账", world["city"].person.id_number):
        assert private not in text


def test_published_list_query_count_is_flat(world, django_assert_max_num_queries):
    _completed_plan(world, seed=1)
    scope = scope_for_user(world["hp"])
    again = plans.plan_draw(scope=scope, district="120101", sample_size=2, seed=2)
    assert public_count() == 1  # not complete yet: not published
    for item in again.items.all():
        item = plans.item_dispatch(scope=scope, reference=again.reference, position=item.position)
        plans.item_findings(
            scope=scope, reference=again.reference, position=item.position, findings="无", violation=False
        )
    with django_assert_max_num_queries(6):
        answer = Client().get("/api/v1/labor/inspection-results", {"district": "120101"})
    assert len(answer.json()) == 2


def public_count() -> int:
    return len(inspection_selectors.published_plans(district="120101"))


def test_anonymous_and_other_roles(world):
    lead = world["lead"]
    assert Client().get(f"/labor/leads/{lead.pk}/").status_code == 302  # to sign in
    citizen = Client()
    sign_in(citizen, world["city"].citizen)
    assert citizen.get("/labor/leads/").status_code == 403
    assert Client().get("/labor/inspection-results/").status_code == 200
    unknown = Scope(actor="x", roles=frozenset({"inspector"}), districts=None)
    with pytest.raises(NotFound):
        inspection_selectors.lead_get(scope=unknown, lead_id="not-a-uuid")


def test_findings_recorded_on_a_plan_item_let_the_inspector_order_rectification(world):
    for name in ("insp-q1", "insp-q2"):
        make_user(name, "inspector", districts=["120101"])
    scope = scope_for_user(world["hp"])
    plan = plans.plan_draw(scope=scope, district="120101", sample_size=1, seed=3)
    item = plans.item_dispatch(scope=scope, reference=plan.reference, position=1)
    plans.item_findings(
        scope=scope, reference=plan.reference, position=1, findings="超时加班未付加班费", violation=True
    )
    order = rectification.order_issue(scope=scope, lead_id=item.lead_id, requirement="支付加班费", today=DAY)
    assert order.finding.text == "超时加班未付加班费"
    view = inspection_selectors.lead_get(scope=scope, lead_id=item.lead_id)
    assert [i.plan.reference for i in view.plan_items] == [plan.reference]


def test_api_lead_detail_query_count_does_not_grow_with_findings(world, django_assert_max_num_queries):
    api, lead = bearer(world["hp"]), world["lead"]
    scope = scope_for_user(world["hp"])
    rectification.finding_record(scope=scope, lead_id=lead.pk, text="一", violation=True, photos=[_photo()])
    with django_assert_max_num_queries(14):
        few = api.get(f"/api/v1/labor/leads/{lead.pk}")
    for n in range(4):
        photos = [_photo(f"{n}.png", PNG + bytes([n])), _photo(f"{n}.jpg", JPEG + bytes([n]), "image/jpeg")]
        rectification.finding_record(scope=scope, lead_id=lead.pk, text=f"第{n}次", violation=True, photos=photos)
    with django_assert_max_num_queries(14):
        many = api.get(f"/api/v1/labor/leads/{lead.pk}")
    assert len(few.json()["findings"]) == 1 and len(many.json()["findings"]) == 5
    assert sum(len(f["photos"]) for f in many.json()["findings"]) == 9


def test_every_step_is_published_as_a_domain_event(world, django_capture_on_commit_callbacks):
    from hrss.core.events import subscribe, unsubscribe
    from hrss.labor.events import InspectionStep

    seen: list[InspectionStep] = []
    subscribe(InspectionStep)(seen.append)
    try:
        scope, lead = scope_for_user(world["hp"]), world["lead"]
        with django_capture_on_commit_callbacks(execute=True):
            rectification.finding_record(scope=scope, lead_id=lead.pk, text="拖欠工资", violation=True, today=DAY)
            order = rectification.order_issue(scope=scope, lead_id=lead.pk, requirement="补发", today=DAY)
            rectification.order_comply(scope=scope, reference=order.reference, note="已补发", today=DAY)
            rectification.lead_close(scope=scope, lead_id=lead.pk, result="rectified", today=DAY)
    finally:
        unsubscribe(InspectionStep, seen.append)
    assert [e.action for e in seen] == ["finding", "order_issue", "order_comply", "lead_close"]
    assert {e.lead_id for e in seen} == {str(lead.pk)} and seen[1].order == order.reference


def test_an_overdue_order_shows_on_the_queue_and_the_page_offers_the_penalty(world, client):
    scope, lead = scope_for_user(world["hp"]), world["lead"]
    past = dt.date(2026, 9, 1)
    rectification.finding_record(scope=scope, lead_id=lead.pk, text="拖欠工资", violation=True, today=past)
    order = rectification.order_issue(scope=scope, lead_id=lead.pk, requirement="补发工资", today=past)
    lead_join(_employer(90), reason={"source": "complaint", "on": past.isoformat()}, on=past)  # no order: after
    sign_in(client, world["hp"])
    queue = client.get("/labor/leads/?overdue=1").content.decode()
    assert 'class="clock-overdue"' in queue and world["city"].employer.name in queue and "监察企业90" not in queue
    page = client.get(f"/labor/leads/{lead.pk}/").content.decode()
    assert f"/labor/leads/{lead.pk}/penalty/" in page and order.reference in page
    fined = client.post(
        f"/labor/leads/{lead.pk}/penalty/", {"order": order.reference, "amount": "5000", "basis": "第二十六条"}
    )
    assert fined.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.PENALISED and order.penalty_amount == Decimal("5000")
    assert f"/labor/leads/{lead.pk}/close/" in client.get(f"/labor/leads/{lead.pk}/").content.decode()
