"""Pages of random inspection plans (双随机一公开): draw, view, replay from the seed, dispatch
and record findings item by item; and the dispatch board by district."""

from __future__ import annotations

import pytest
from django.test import Client

from hrss.labor import plan_selectors
from hrss.labor.models import InspectionLead, InspectionPlan, PlanItemStatus
from hrss.labor.services import plans
from hrss.registry.models import Employer
from hrss.synth.identifiers import credit_code
from hrss.testing import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def inspector():
    Employer.objects.bulk_create(
        Employer(
            credit_code=credit_code("9", "1", "120101", f"{50_000 + i:08d}"),
            name=f"抽查页企业{i}",
            district_id="120101",
        )
        for i in range(12)
    )
    for name in ("pg-a", "pg-b", "pg-c"):
        make_user(name, "inspector", districts=["120101"])
    return make_user("pg-me", "inspector", districts=["120101"])


def make_user(username: str, role: str, districts: list[str] | None = None):
    """A staff user without a password (hashing one costs a second a user); signed in by force."""
    from hrss.identity.models import Role, User

    user = User.objects.create(username=username)
    user.roles.set(Role.objects.filter(code=role))
    if districts:
        user.districts.set(districts)  # type: ignore[arg-type]  # District primary keys
    return user


def _signed_in(user) -> Client:
    return sign_in(Client(), user)


def test_an_inspector_draws_a_plan_views_it_and_replays_it(inspector):
    client = _signed_in(inspector)
    page = client.get("/labor/plans/")
    assert page.status_code == 200 and 'name="seed"' in page.content.decode()
    drawn = client.post(
        "/labor/plans/", {"district": "120101", "sample_size": "4", "inspectors_per_employer": "2", "seed": "4242"}
    )
    plan = InspectionPlan.objects.get()
    assert drawn.status_code == 302 and drawn["Location"] == f"/labor/plans/{plan.reference}/"
    assert plan.seed == 4242 and plan.items.count() == 4
    text = client.get(drawn["Location"]).content.decode()
    assert "4242" in text and plan.pool_digest in text and f"/labor/plans/{plan.reference}/replay/" in text
    assert text.count('action="/labor/plans/') == 4  # a dispatch button per employer
    replay = client.get(f"/labor/plans/{plan.reference}/replay/", HTTP_HX_REQUEST="true")
    assert replay.status_code == 200 and 'id="replay"' in replay.content.decode()
    assert "<html" not in replay.content.decode() and "用随机种子重新抽取的结果与本计划一致" in replay.content.decode()
    no_script = client.get(f"/labor/plans/{plan.reference}/replay/")
    assert no_script.status_code == 302 and no_script["Location"].endswith("?replay=1#replay")
    assert "用随机种子重新抽取的结果与本计划一致" in client.get(no_script["Location"]).content.decode()
    listed = client.get("/labor/plans/").content.decode()
    assert plan.reference in listed


def test_a_refused_draw_is_said_on_the_page(inspector):
    client = _signed_in(inspector)
    bad = client.post("/labor/plans/", {"district": "120101", "sample_size": "0", "inspectors_per_employer": "2"})
    assert bad.status_code == 422 and 'role="alert"' in bad.content.decode()
    seedless = client.post(
        "/labor/plans/", {"district": "120101", "sample_size": "2", "inspectors_per_employer": "2", "seed": "x"}
    )
    assert seedless.status_code == 422 and not InspectionPlan.objects.exists()
    other = client.post("/labor/plans/", {"district": "120103", "sample_size": "2", "inspectors_per_employer": "1"})
    assert other.status_code == 403


def test_items_are_dispatched_and_inspected_from_the_plan_page(inspector):
    from hrss.identity.auth import scope_for_user

    plan = plans.plan_draw(scope=scope_for_user(inspector), district="120101", sample_size=2, seed=3)
    client, base = _signed_in(inspector), f"/labor/plans/{plan.reference}/items/1"
    early = client.post(f"{base}/findings/", {"findings": "x"}, follow=True)
    assert early.status_code == 200 and plan.items.get(position=1).status == PlanItemStatus.DRAWN
    assert client.post(f"{base}/dispatch/").status_code == 302
    item = plan.items.get(position=1)
    assert item.status == PlanItemStatus.DISPATCHED and item.lead_id is not None
    page = client.get(f"/labor/plans/{plan.reference}/").content.decode()
    assert f"/labor/leads/{item.lead_id}/" in page and 'name="findings"' in page
    assert client.post(f"{base}/findings/", {"findings": "未签劳动合同", "violation": "1"}).status_code == 302
    item.refresh_from_db()
    assert item.status == PlanItemStatus.INSPECTED and item.violation is True
    assert client.get(f"{base}/findings/").status_code == 302  # a GET only goes back to the plan
    assert client.post(f"{base}/nonsense/").status_code == 404
    assert client.post(f"/labor/plans/{plan.reference}/items/99/dispatch/").status_code == 404


def test_only_inspectors_of_the_district_see_a_plan(inspector):
    from hrss.identity.auth import scope_for_user

    plan = plans.plan_draw(scope=scope_for_user(inspector), district="120101", sample_size=2, seed=3)
    hexi = _signed_in(make_user("pg-hx", "inspector", districts=["120103"]))
    assert hexi.get(f"/labor/plans/{plan.reference}/").status_code == 404
    assert hexi.post(f"/labor/plans/{plan.reference}/items/1/dispatch/").status_code == 404
    assert plan.reference not in hexi.get("/labor/plans/").content.decode()
    citizen = _signed_in(make_user("pg-citizen", "citizen"))
    assert citizen.get("/labor/plans/").status_code == 403
    assert citizen.get("/labor/dispatch/").status_code == 403
    assert citizen.get(f"/labor/plans/{plan.reference}/replay/").status_code == 403
    assert hexi.get(f"/labor/plans/{plan.reference}/replay/").status_code == 404
    assert Client().get("/labor/plans/").status_code == 302  # to sign in


def test_the_plans_list_reads_in_one_query_however_many_plans(inspector, django_assert_num_queries):
    from hrss.identity.auth import scope_for_user

    scope = scope_for_user(inspector)
    for seed in range(3):
        plans.plan_draw(scope=scope, district="120101", sample_size=3, seed=seed)
    with django_assert_num_queries(1):
        rows = plan_selectors.plans_list(scope=scope)
    assert len(rows) == 3 and all(row.drawn == 3 and row.inspected == 0 for row in rows)  # type: ignore[attr-defined]
    plans.plan_draw(scope=scope, district="120101", sample_size=3, seed=9)
    with django_assert_num_queries(1):
        assert len(plan_selectors.plans_list(scope=scope, district="120101", limit=2)) == 2


def test_the_dispatch_board_counts_each_district(inspector, django_assert_max_num_queries):
    from hrss.identity.auth import scope_for_user

    scope = scope_for_user(inspector)
    plan = plans.plan_draw(scope=scope, district="120101", sample_size=3, seed=11)
    plans.item_dispatch(scope=scope, reference=plan.reference, position=1)
    plan_selectors.districts_of(scope)  # the city's districts, cached for every later read
    with django_assert_max_num_queries(3):  # the districts (from the cache), the leads, the plan items
        board = plan_selectors.dispatch_board(scope=scope)
    assert [row.code for row in board] == ["120101"]
    row = board[0]
    assert (row.open_leads, row.overdue_leads, row.to_dispatch, row.to_inspect, row.inspected) == (1, 0, 2, 1, 0)
    assert row.waiting == 3
    page = _signed_in(inspector).get("/labor/dispatch/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = page.content.decode()
    assert page.status_code == 200 and 'id="map-data"' in text and "/labor/plans/?district=120101" in text
    assert 'data-label="' in text and "hrss/analytics_map.js" in text


def test_the_menu_links_the_plans_and_the_board_for_inspectors(inspector):
    text = _signed_in(inspector).get("/labor/leads/").content.decode()
    assert 'href="/labor/plans/"' in text and 'href="/labor/dispatch/"' in text


# --- API -----------------------------------------------------------------------------------------


def _queries(client: Client, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)  # warm: the token, code tables and caches a first request fills
    with CaptureQueriesContext(connection) as captured:
        answer = client.get(path)
    assert answer.status_code == 200, answer.content
    return len(captured)


def test_the_plans_and_the_board_through_the_api_in_flat_queries(inspector):
    from hrss.identity.auth import scope_for_user
    from hrss.servicehall.tests.builders import bearer

    scope, api = scope_for_user(inspector), bearer(inspector)
    plans.plan_draw(scope=scope, district="120101", sample_size=2, seed=1)
    one = (_queries(api, "/api/v1/labor/inspection-plans"), _queries(api, "/api/v1/labor/dispatch-board"))
    for seed in range(2, 6):
        plan = plans.plan_draw(scope=scope, district="120101", sample_size=2, seed=seed)
        plans.item_dispatch(scope=scope, reference=plan.reference, position=1)
    many = (_queries(api, "/api/v1/labor/inspection-plans"), _queries(api, "/api/v1/labor/dispatch-board"))
    assert many == one and many[0] <= 4 and many[1] <= 6, (one, many)
    rows = api.get("/api/v1/labor/inspection-plans?limit=2").json()
    assert len(rows) == 2 and rows[0]["district_name"] and {"drawn", "dispatched", "violations"} <= rows[0].keys()
    board = api.get("/api/v1/labor/dispatch-board").json()
    leads = InspectionLead.objects.filter(status="open").count()  # two plans may draw the same employer
    assert board == [
        {
            "code": "120101",
            "name": board[0]["name"],
            "open_leads": leads,
            "overdue_leads": 0,
            "to_dispatch": 6,
            "to_inspect": 4,
            "inspected": 0,
            "waiting": leads + 6,
        }
    ]
    assert api.get("/api/v1/labor/inspection-plans?district=12010").status_code == 422
    citizen = bearer(make_user("pg-api-citizen", "citizen"))
    assert citizen.get("/api/v1/labor/inspection-plans").status_code == 403
    assert citizen.get("/api/v1/labor/dispatch-board").status_code == 403
