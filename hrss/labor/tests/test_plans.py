"""Random inspection plans (双随机一公开): reproducible from the seed, dispatched, findings recorded."""

from __future__ import annotations

import pytest

from hrss.core.errors import Conflict, InvalidInput, PermissionDenied
from hrss.core.scope import Scope
from hrss.labor.models import InspectionLead, PlanItemStatus
from hrss.labor.services import plans
from hrss.registry.models import Employer
from hrss.synth.identifiers import credit_code
from hrss.testing import make_user

INSPECTOR = Scope(actor="plan-inspector", roles=frozenset({"inspector"}), districts=frozenset({"120101"}))


@pytest.fixture
def pools(db):
    Employer.objects.bulk_create(
        Employer(
            credit_code=credit_code("9", "1", "120101", f"{20_000 + i:08d}"), name=f"抽查企业{i}", district_id="120101"
        )
        for i in range(40)
    )
    for name in ("insp-a", "insp-b", "insp-c", "insp-d"):
        make_user(name, "inspector", districts=["120101"])


def _items(plan):
    return [(item.employer_id, item.inspectors) for item in plan.items.order_by("position")]


def test_the_same_seed_draws_the_same_plan(pools):
    first = plans.plan_draw(scope=INSPECTOR, district="120101", sample_size=5, seed=12345)
    second = plans.plan_draw(scope=INSPECTOR, district="120101", sample_size=5, seed=12345)
    other = plans.plan_draw(scope=INSPECTOR, district="120101", sample_size=5, seed=54321)
    assert first.reference != second.reference
    assert _items(first) == _items(second) != _items(other)
    assert len(_items(first)) == 5 and all(len(names) == 2 for _pk, names in _items(first))
    assert len({pk for pk, _names in _items(first)}) == 5  # no employer twice
    assert plans.plan_replay(scope=INSPECTOR, reference=first.reference) == {"pools_unchanged": True, "same": True}


def test_a_changed_pool_is_told_on_replay(pools):
    plan = plans.plan_draw(scope=INSPECTOR, district="120101", sample_size=3)  # a fresh seed, recorded
    assert plan.seed >= 0
    Employer.objects.create(
        credit_code=credit_code("9", "1", "120101", "29999999"), name="新企业", district_id="120101"
    )
    assert plans.plan_replay(scope=INSPECTOR, reference=plan.reference)["pools_unchanged"] is False


def test_dispatch_opens_the_lead_and_findings_are_recorded_against_it(pools):
    plan = plans.plan_draw(scope=INSPECTOR, district="120101", sample_size=2, seed=7)
    with pytest.raises(Conflict):
        plans.item_findings(scope=INSPECTOR, reference=plan.reference, position=1, findings="x", violation=False)
    item = plans.item_dispatch(scope=INSPECTOR, reference=plan.reference, position=1)
    again = plans.item_dispatch(scope=INSPECTOR, reference=plan.reference, position=1)
    assert item.status == again.status == PlanItemStatus.DISPATCHED and item.lead_id == again.lead_id
    with pytest.raises(InvalidInput):
        plans.item_findings(scope=INSPECTOR, reference=plan.reference, position=1, findings=" ", violation=True)
    done = plans.item_findings(
        scope=INSPECTOR, reference=plan.reference, position=1, findings="未按月足额支付工资，责令改正", violation=True
    )
    assert done.status == PlanItemStatus.INSPECTED and done.violation is True
    lead = InspectionLead.objects.get(pk=done.lead.pk)  # type: ignore[union-attr]
    assert [r["source"] for r in lead.reasons] == ["random_plan", "findings"]


def test_bad_input_and_other_callers_are_refused(pools):
    with pytest.raises(InvalidInput):
        plans.plan_draw(scope=INSPECTOR, district="120101", sample_size=0)
    with pytest.raises(InvalidInput):
        plans.plan_draw(scope=INSPECTOR, district="120101", sample_size=2, seed=-1)
    with pytest.raises(Conflict):
        plans.plan_draw(scope=INSPECTOR, district="120101", sample_size=2, inspectors_per_employer=5)
    with pytest.raises(PermissionDenied):
        plans.plan_draw(scope=INSPECTOR, district="120103", sample_size=2)
    citizen = Scope(actor="c", roles=frozenset({"citizen"}), districts=frozenset())
    with pytest.raises(PermissionDenied):
        plans.plan_draw(scope=citizen, district="120101", sample_size=2)


def test_through_the_api(pools, django_assert_max_num_queries):
    from hrss.servicehall.tests.builders import bearer

    api = bearer(make_user("insp-api", "inspector", districts=["120101"]))
    body = {"district": "120101", "sample_size": 4, "seed": 99}
    drawn = api.post("/api/v1/labor/inspection-plans", body, content_type="application/json")
    assert drawn.status_code == 200, drawn.content
    plan = drawn.json()
    assert plan["seed"] == 99 and len(plan["items"]) == 4
    with django_assert_max_num_queries(14):
        detail = api.get(f"/api/v1/labor/inspection-plans/{plan['reference']}")
    assert detail.json()["replay_same"] is True and detail.json()["items"] == plan["items"]
    url = f"/api/v1/labor/inspection-plans/{plan['reference']}/items/1"
    assert api.post(f"{url}/dispatch").json()["items"][0]["status"] == "dispatched"
    found = api.post(
        f"{url}/findings", {"findings": "工资按时足额发放", "violation": False}, content_type="application/json"
    )
    assert found.status_code == 200 and found.json()["items"][0]["status"] == "inspected"
    bad = api.post("/api/v1/labor/inspection-plans", {**body, "sample_size": 0}, content_type="application/json")
    assert bad.status_code == 422
    assert api.get("/api/v1/labor/inspection-plans/SJ000").status_code == 404
