"""The unemployment early warning (E5): each rule fires on a synthetic employer (or district)
built to trip it, and stays silent on a steady one and on near misses; a rerun raises and
sends nothing; staff see, acknowledge and close only their districts' warnings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.test import Client

from hrss.analytics import rules, services
from hrss.analytics.models import EarlyWarning
from hrss.analytics.tests import builders
from hrss.codes.models import PolicyParameter
from hrss.codes.selectors import codes_changed
from hrss.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hrss.core.scope import ANALYST, Scope
from hrss.identity.auth import token_create
from hrss.notify.models import OutboundMessage
from hrss.testing import make_person, make_user, sign_in

JUNE = dt.date(2026, 6, 1)


def analyst(districts: list[str] | None) -> Scope:
    return Scope(
        actor="analyst-test", roles=frozenset({ANALYST}), districts=None if districts is None else frozenset(districts)
    )


@pytest.fixture
def city(db):
    """Employers of 120101 (one of 120103) with the ledger up to June 2026, and two districts'
    registrations for the thirteen months up to June."""
    e = {}
    for key, name in (
        ("steady", "稳定企业"),
        ("month", "月降企业"),
        ("quarter", "季降企业"),
        ("missed", "欠缴企业"),
        ("base", "降基数企业"),
        ("near_month", "月降未达企业"),
        ("near_quarter", "季降未达企业"),
        ("near_missed", "欠缴一月企业"),
        ("near_base", "基数降未达企业"),
        ("small", "小微企业"),
    ):
        e[key] = builders.employer(name)
    e["other"] = builders.employer("和平区裁员企业", district="120103")
    builders.ledger(e["steady"], last=JUNE, heads=[20, 20, 21, 20, 20])
    builders.ledger(e["month"], last=JUNE, heads=[20, 20, 20, 20, 15])  # -25 % in June
    builders.ledger(e["quarter"], last=JUNE, heads=[20, 20, 18, 16, 14])  # -30 % since March, < 20 % a month
    builders.ledger(e["missed"], last=JUNE, heads=[12] * 5, unpaid=(3, 4))  # May and June unpaid
    builders.ledger(e["base"], last=JUNE, heads=[12] * 5, bases=[500_000] * 4 + [420_000])  # -16 %
    builders.ledger(e["near_month"], last=JUNE, heads=[21, 21, 21, 21, 17])  # -19.0 %
    builders.ledger(e["near_quarter"], last=JUNE, heads=[20, 20, 18, 17, 15])  # -25 % since March
    builders.ledger(e["near_missed"], last=JUNE, heads=[12] * 5, unpaid=(1, 4))  # April and June: not in a row
    builders.ledger(e["near_base"], last=JUNE, heads=[12] * 5, bases=[500_000] * 4 + [430_000])  # -14 %
    builders.ledger(e["small"], last=JUNE, heads=[5, 5, 5, 5, 2])  # -60 %, but under the headcount watched
    builders.ledger(e["other"], last=JUNE, heads=[30, 30, 30, 30, 20])
    rising = make_person(district="120103", name="和平登记")
    steady = make_person(district="120101", name="河西登记")
    builders.registrations(rising, last=JUNE, counts=[3, 4] * 6 + [12])  # band 3.5 + 2 × 0.5 = 4.5
    builders.registrations(steady, last=JUNE, counts=[9, 11] * 6 + [12])  # band 10 + 2 × 1 = 12: not above
    return SimpleNamespace(**e)


def _raised() -> set[tuple[str, str]]:
    return {
        (w.rule, w.employer.name if w.employer else w.district_id)
        for w in EarlyWarning.objects.select_related("employer")
    }


EXPECTED = {
    (rules.HEADCOUNT_DROP_MONTH, "月降企业"),
    (rules.HEADCOUNT_DROP_QUARTER, "季降企业"),
    (rules.CONTRIBUTIONS_MISSED, "欠缴企业"),
    (rules.BASE_DROP, "降基数企业"),
    (rules.HEADCOUNT_DROP_MONTH, "和平区裁员企业"),
    (rules.HEADCOUNT_DROP_QUARTER, "和平区裁员企业"),
    (rules.DISTRICT_REGISTRATIONS, "120103"),
}


def test_each_rule_fires_on_its_employer_and_is_silent_on_the_steady_and_the_near_misses(city):
    result = services.warnings_run(scope=Scope.system(), period=JUNE)
    # 月降企业: 20 -> 15 is 25 % in a month, and 25 % over the quarter: below 30 %
    assert _raised() == EXPECTED
    assert result.raised == len(EXPECTED) == result.findings
    month = EarlyWarning.objects.get(rule=rules.HEADCOUNT_DROP_MONTH, employer=city.month)
    assert month.period == JUNE and month.district_id == "120101" and month.status == "open"
    assert month.figures == {
        "from": "2026-05",
        "heads_before": 20,
        "heads_now": 15,
        "drop": "0.250",
        "threshold": "0.200",
    }
    missed = EarlyWarning.objects.get(rule=rules.CONTRIBUTIONS_MISSED)
    assert [m["month"] for m in missed.figures["months"]] == ["2026-05", "2026-06"]
    assert all(m["paid"] == 0 and m["due"] == 12 * 120_000 for m in missed.figures["months"])
    district = EarlyWarning.objects.get(rule=rules.DISTRICT_REGISTRATIONS)
    assert district.subject == "district" and district.employer is None
    assert district.figures["registrations"] == 12 and district.figures["upper"] == "4.5"
    assert district.figures["from"] == "2025-06" and district.figures["to"] == "2026-05"


def test_the_figures_read_as_a_sentence_in_chinese(city):
    from django.utils import translation

    services.warnings_run(scope=Scope.system(), period=JUNE)
    with translation.override("zh-hans"):
        texts = {w.rule: rules.explain(w.rule, w.figures) for w in EarlyWarning.objects.exclude(employer=city.other)}
        names = {code: str(rule.name) for code, rule in rules.RULES.items()}
    assert "20" in texts[rules.HEADCOUNT_DROP_MONTH] and "25.0%" in texts[rules.HEADCOUNT_DROP_MONTH]
    assert "参保" in texts[rules.HEADCOUNT_DROP_MONTH]
    assert "4.5" in texts[rules.DISTRICT_REGISTRATIONS]
    assert all(not any("a" <= ch <= "z" for ch in name) for name in names.values()), names


def test_a_rerun_raises_nothing_twice_and_sends_nothing(city):
    staff = make_user("warn-101", "analyst", districts=["120101"])
    first = services.warnings_run(scope=Scope.system(), period=JUNE)
    messages = OutboundMessage.objects.count()
    again = services.warnings_run(scope=Scope.system(), period=JUNE)
    assert first.raised > 0 and again.raised == 0 and again.notified == 0
    assert again.findings == first.findings
    assert EarlyWarning.objects.count() == first.raised
    assert OutboundMessage.objects.count() == messages
    # a closed warning stays closed: the rerun does not raise it again
    warning = EarlyWarning.objects.filter(district_id="120101").first()
    services.warning_close(scope=analyst(["120101"]), warning_id=warning.pk, note="已核实")
    assert services.warnings_run(scope=Scope.system(), period=JUNE).raised == 0
    assert staff.pk


def test_the_district_staff_get_one_message_counting_their_new_warnings(city):
    west = make_user("warn-west", "analyst", districts=["120101"])
    peace = make_user("warn-peace", "analyst", districts=["120103"])
    elsewhere = make_user("warn-else", "analyst", districts=["120105"])
    clerk = make_user("warn-clerk", "counter_clerk", districts=["120101"])
    result = services.warnings_run(scope=Scope.system(), period=JUNE)
    assert result.notified == 2
    sent = {m.recipient: m for m in OutboundMessage.objects.filter(template="analytics_warnings_raised")}
    assert set(sent) == {str(west.pk), str(peace.pk)}
    assert '"count": 4' in sent[str(west.pk)].params  # month, quarter, missed, base in 120101
    assert '"count": 3' in sent[str(peace.pk)].params  # the employer's two and the district's one
    assert elsewhere.pk and clerk.pk


def test_a_district_analyst_runs_and_sees_only_their_districts(city):
    peace = analyst(["120103"])
    result = services.warnings_run(scope=peace, period=JUNE)
    assert result.raised == 3
    assert {w.district_id for w in EarlyWarning.objects.all()} == {"120103"}
    services.warnings_run(scope=Scope.system(), period=JUNE)
    seen = services_list(peace)
    assert {w.district_id for w in seen} == {"120103"} and len(seen) == 3
    west_warning = EarlyWarning.objects.filter(district_id="120101").first()
    with pytest.raises(NotFound):
        services.warning_acknowledge(scope=peace, warning_id=west_warning.pk)
    with pytest.raises(PermissionDenied):
        services.warnings_run(
            scope=Scope(actor="clerk", roles=frozenset({"counter_clerk"}), districts=None), period=JUNE
        )


def services_list(scope: Scope) -> list[EarlyWarning]:
    from hrss.analytics import selectors

    return selectors.warnings_list(scope=scope, limit=200)


def test_acknowledge_and_close_keep_their_history(city):
    services.warnings_run(scope=Scope.system(), period=JUNE)
    west = analyst(["120101"])
    warning = EarlyWarning.objects.get(rule=rules.CONTRIBUTIONS_MISSED)
    services.warning_acknowledge(scope=west, warning_id=warning.pk, note="已电话联系")
    services.warning_acknowledge(scope=west, warning_id=warning.pk)  # a retry changes nothing
    with pytest.raises(InvalidInput):
        services.warning_close(scope=west, warning_id=warning.pk, note="  ")
    closed = services.warning_close(scope=west, warning_id=warning.pk, note="企业已补缴")
    assert closed.status == "closed" and closed.closed_by == "analyst-test" and closed.acknowledged_by == "analyst-test"
    assert closed.note == "企业已补缴"
    history = list(warning.history.order_by("history_date").values_list("status", "history_change_reason"))
    assert history == [("open", "raised"), ("acknowledged", "acknowledged"), ("closed", "closed")]
    with pytest.raises(Conflict):
        services.warning_acknowledge(scope=west, warning_id=warning.pk)


def test_the_thresholds_are_dated_parameters(city):
    name = "analytics.warning.headcount_drop_month"
    PolicyParameter.objects.filter(name=name).update(valid_to=dt.date(2026, 5, 31))
    PolicyParameter.objects.create(
        name=name,
        value=Decimal("0.30"),
        unit="ratio",
        valid_from=dt.date(2026, 6, 1),
        region="120000",
        source="测试",
        confidence="R",
    )
    codes_changed()
    services.warnings_run(scope=Scope.system(), period=JUNE)
    assert (rules.HEADCOUNT_DROP_MONTH, "月降企业") not in _raised()  # 25 % < 30 % from June
    assert (rules.HEADCOUNT_DROP_MONTH, "和平区裁员企业") in _raised()  # 33 %
    assert EarlyWarning.objects.get(rule=rules.HEADCOUNT_DROP_MONTH).figures["threshold"] == "0.300"
    # May still reads the earlier figure
    services.warnings_run(scope=Scope.system(), period=dt.date(2026, 5, 1))
    codes_changed()


def test_the_period_must_be_a_month_that_has_ended():
    today = dt.date(2026, 7, 15)
    assert services.parse_period("", today=today) == JUNE
    assert services.parse_period("2026-06", today=today) == JUNE
    for bad in ("2026-07", "2026-13", "六月"):
        with pytest.raises(InvalidInput):
            services.parse_period(bad, today=today)


def test_the_command_and_the_job_run_the_last_complete_month(city, monkeypatch):
    import io

    from hrss.analytics import jobs

    out = io.StringIO()
    call_command("early_warning", "run", "--period", "2026-06", stdout=out)
    assert "2026-06: 7 found, 7 raised" in out.getvalue()
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: dt.date(2026, 7, 10))
    assert jobs.early_warning() == {"raised": 0, "notified": 0}


# --- API and pages -----------------------------------------------------------------------


def test_the_api_lists_by_status_acknowledges_closes_and_runs(city):
    token = token_create(user=make_user("warn-api", "analyst", districts=["120101"]))
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    ran = api.post("/api/v1/analytics/warnings/run", {"period": "2026-06"}, content_type="application/json")
    assert ran.status_code == 200, ran.content
    assert ran.json() == {"period": "2026-06", "findings": 4, "raised": 4, "notified": 1}
    listed = api.get("/api/v1/analytics/warnings", {"status": "open"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert listed.status_code == 200 and len(listed.json()) == 4
    first = next(w for w in listed.json() if w["rule"] == "contributions_missed")
    assert first["employer"]["name"] == "欠缴企业" and first["period"] == "2026-06" and first["district"] == "120101"
    assert "欠缴" in first["rule_name"] or "缴费" in first["rule_name"]
    url = f"/api/v1/analytics/warnings/{first['id']}"
    acknowledged = api.post(f"{url}/acknowledge", {"note": ""}, content_type="application/json")
    assert acknowledged.status_code == 200 and acknowledged.json()["status"] == "acknowledged"
    assert api.post(f"{url}/close", {"note": ""}, content_type="application/json").status_code == 422
    closed = api.post(f"{url}/close", {"note": "企业已补缴"}, content_type="application/json")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert [w["id"] for w in api.get("/api/v1/analytics/warnings", {"status": "closed"}).json()] == [first["id"]]
    assert api.post(f"{url}/acknowledge", {}, content_type="application/json").status_code == 409
    assert (
        api.post("/api/v1/analytics/warnings/run", {"period": "2099-01"}, content_type="application/json").status_code
        == 422
    )
    # a month before any threshold was in force: a bad input (found by the live fuzzer), not a 503
    ancient = api.post("/api/v1/analytics/warnings/run", {"period": "0232-05"}, content_type="application/json")
    assert ancient.status_code == 422 and set(ancient.json()["fields"]) == {"period"}
    # a warning of another district is not found
    other = EarlyWarning.objects.create(
        rule="base_drop", subject="employer", employer=city.other, district_id="120103", period=JUNE, figures={}
    )
    assert (
        api.post(f"/api/v1/analytics/warnings/{other.pk}/acknowledge", {}, content_type="application/json").status_code
        == 404
    )
    citizen = token_create(user=make_user("warn-c", "citizen"))
    refused = Client(HTTP_AUTHORIZATION=f"Bearer {citizen}").get("/api/v1/analytics/warnings")
    assert refused.status_code == 403


def test_the_queue_page_in_chinese_with_acknowledge_close_and_run(city, client):
    user = make_user("warn-page", "analyst", districts=["120101"])
    sign_in(client, user)
    answer = client.post("/analytics/warnings/run/", {"period": "2026-06"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert answer.status_code == 302
    page = client.get("/analytics/warnings/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = page.content.decode()
    assert page.status_code == 200
    assert "失业预警" in text and "欠缴企业" in text and "2026-06" in text
    assert "和平区裁员企业" not in text  # another district's
    warning = EarlyWarning.objects.get(rule=rules.BASE_DROP)
    assert client.post(f"/analytics/warnings/{warning.pk}/acknowledge/").status_code == 302
    refused = client.post(f"/analytics/warnings/{warning.pk}/close/", {"note": ""}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert refused.status_code == 422
    assert client.post(f"/analytics/warnings/{warning.pk}/close/", {"note": "已核实"}).status_code == 302
    warning.refresh_from_db()
    assert warning.status == "closed" and warning.note == "已核实"
    closed = client.get("/analytics/warnings/?status=closed", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "已核实" in closed
    assert client.post("/analytics/warnings/run/", {"period": "2099-01"}).status_code == 422
