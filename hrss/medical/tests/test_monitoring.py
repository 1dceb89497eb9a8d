"""The smart monitoring through its services, selectors, API and pages: planted settlements
raise cases, a second run raises nothing new, a case is worked to a recovery through the
insurance app's recovery cases, every read and step is scoped and audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from hrss.core import scope as roles
from hrss.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hrss.core.models import AuditEntry
from hrss.core.scope import Scope
from hrss.identity.auth import token_create
from hrss.insurance.models import RecoveryCase
from hrss.insurance.selectors import benefits as benefit_reads
from hrss.medical import jobs, selectors, services
from hrss.medical.models import MonitoringFlag, MonitoringRun
from hrss.medical.tests.builders import COMMUNITY, HOSPITAL, PIN, hospital_scope, insured, lines
from hrss.testing import make_user, sign_in

pytestmark = pytest.mark.django_db
SUPERVISOR = Scope(actor="supervisor", roles=frozenset({roles.FUND_SUPERVISOR}), districts=frozenset({"120101"}))
REVIEWER = Scope(actor="reviewer", roles=frozenset({roles.REVIEWER}), districts=frozenset({"120101"}))
ELSEWHERE = Scope(actor="reviewer-hx", roles=frozenset({roles.REVIEWER}), districts=frozenset({"120103"}))
CLERK = Scope(actor="clerk", roles=frozenset({roles.COUNTER_CLERK}), districts=None)


def settle(card, transaction_id: str, days_ago: int, *rows: tuple[str, str, str], pooling: str = "outpatient"):
    return services.claim_settle(
        scope=hospital_scope(HOSPITAL),
        transaction_id=transaction_id,
        card_number=card.number,
        card_pin=PIN,
        visit=services.Visit(
            pooling=pooling,
            visit_date=timezone.localdate() - dt.timedelta(days=days_ago),
            lines=lines(*rows),
            use_account=False,
        ),
    )


@pytest.fixture
def planted(tmp_path):
    """One insured person with a duplicate blood test, an early refill of atorvastatin, too
    much amoxicillin in one bill; and a near miss of each (another day, a refill on time, the
    limit itself)."""
    person, card = insured(tmp_path)
    settle(card, "DUP-1", 40, ("250101001", "1", "25"))
    settle(card, "DUP-2", 40, ("250101001", "1", "25"))
    settle(card, "NEAR-DUP", 39, ("250101001", "1", "25"))
    settle(card, "RX-1", 100, ("C10AA05", "28", "5"))
    settle(card, "RX-2", 90, ("C10AA05", "28", "5"))  # 18 of 28 days left
    settle(card, "RX-3", 60, ("C10AA05", "28", "5"))  # 30 days on: on time
    settle(card, "QTY", 50, ("J01CA04", "60", "1"))
    settle(card, "QTY-OK", 30, ("J01CA04", "42", "1"))
    return person, card


def test_a_run_raises_a_case_per_planted_finding_and_none_for_the_near_misses(planted):
    run = services.monitoring_run(scope=SUPERVISOR)
    flags = {flag.rule: flag for flag in MonitoringFlag.objects.all()}
    assert sorted(flags) == ["duplicate_billing", "early_refill", "quantity_limit"], run.counts
    assert run.new_flags == 3 and run.claims == 8 and run.parameters["forest_seed"] == 2021
    assert run.parameters["doctor_min_claims"] == 10  # the dated parameter, as the run used it
    assert run.parameters["screen"]["skipped"]  # three institutions at most: too few to screen
    duplicate = flags["duplicate_billing"]
    assert duplicate.amount > 0 and len(duplicate.evidence["claims"]) == 2 and duplicate.district == "120101"
    assert flags["early_refill"].evidence["figures"]["days_remaining"] == 18
    assert flags["quantity_limit"].evidence["figures"]["limit"] == 42
    assert AuditEntry.objects.filter(action="medical.monitor.run", object_id=str(run.pk)).exists()


def test_a_second_run_raises_nothing_new(planted):
    services.monitoring_run(scope=SUPERVISOR)
    again = services.monitoring_run(scope=SUPERVISOR)
    assert again.new_flags == 0 and again.counts["duplicate_billing"] == {"found": 1, "new": 0}
    assert again.pk is not None and not MonitoringRun.objects.filter(pk=again.pk).exists()  # answered, not stored
    assert MonitoringFlag.objects.count() == 3 and MonitoringRun.objects.count() == 1
    assert jobs.monitoring_run() == {"new_cases": 0}


def test_a_reversed_settlement_is_not_a_duplicate(tmp_path):
    _person, card = insured(tmp_path)
    settle(card, "DUP-1", 10, ("250101001", "1", "25"))
    settle(card, "DUP-2", 10, ("250101001", "1", "25"))
    services.claim_reverse(scope=hospital_scope(HOSPITAL), transaction_id="DUP-2-R", original_transaction_id="DUP-2")
    services.monitoring_run(scope=SUPERVISOR)
    assert not MonitoringFlag.objects.exists()


def test_use_after_death_and_a_readmission(tmp_path):
    person, card = insured(tmp_path)
    settle(card, "IN-1", 30, ("120100001", "5", "100"), pooling="inpatient")
    settle(card, "IN-2", 20, ("120100001", "5", "100"), pooling="inpatient")  # ten days later
    settle(card, "AFTER", 5, ("110200001", "1", "50"))
    type(person).objects.filter(pk=person.pk).update(death_date=timezone.localdate() - dt.timedelta(days=6))
    services.monitoring_run(scope=SUPERVISOR)
    rules = sorted(MonitoringFlag.objects.values_list("rule", flat=True))
    assert rules == ["after_death", "readmission"]


def test_a_case_is_worked_to_a_recovery_through_the_insurance_recovery_cases(planted):
    services.monitoring_run(scope=SUPERVISOR)
    flag = MonitoringFlag.objects.get(rule="duplicate_billing")
    with pytest.raises(InvalidInput):
        services.flag_decide(scope=SUPERVISOR, flag_id=flag.pk, confirm=True, reason="重复收费", overpaid=None)
    with pytest.raises(InvalidInput):  # more than the fund paid on the two settlements
        services.flag_decide(
            scope=SUPERVISOR, flag_id=flag.pk, confirm=True, reason="重复收费", overpaid=Decimal("50.01")
        )
    flag = services.flag_decide(
        scope=SUPERVISOR, flag_id=flag.pk, confirm=True, reason="机构承认重复收费", overpaid=Decimal("18.75")
    )
    assert flag.status == MonitoringFlag.Status.CONFIRMED and flag.recovery_case is not None
    case = RecoveryCase.objects.get(pk=flag.recovery_case)
    assert (case.reason, case.overpaid_fen, case.person_id, case.award_id) == ("medical", 1875, None, None)
    assert case.debtor.startswith(HOSPITAL) and case.district == "120101"
    assert case in benefit_reads.recovery_cases(scope=REVIEWER)  # the insurance staff see it too
    assert case not in benefit_reads.recovery_cases(scope=ELSEWHERE)
    with pytest.raises(Conflict):
        services.flag_decide(scope=SUPERVISOR, flag_id=flag.pk, confirm=False, reason="again")
    with pytest.raises(PermissionDenied):  # recovering money is a caseworker's act
        services.flag_recovery_record(scope=SUPERVISOR, flag_id=flag.pk, recovered=True)
    flag = services.flag_recovery_record(scope=REVIEWER, flag_id=flag.pk, recovered=True, note="已退回")
    assert flag.status == MonitoringFlag.Status.RECOVERED
    assert RecoveryCase.objects.get(pk=case.pk).status == RecoveryCase.Status.RECOVERED
    detail = selectors.monitoring_flag(scope=REVIEWER, flag_id=flag.pk)
    assert detail["recovery_status"] == "recovered" and len(detail["claims"]) == 2
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"medical.monitor.decide", "insurance.recovery.open", "insurance.recovery.close"} <= actions
    assert {"medical.monitor.recovery", "medical.monitor.flag.read"} <= actions


def test_a_dismissal_needs_a_reason_and_opens_no_recovery(planted):
    services.monitoring_run(scope=SUPERVISOR)
    flag = MonitoringFlag.objects.get(rule="quantity_limit")
    with pytest.raises(InvalidInput):
        services.flag_decide(scope=SUPERVISOR, flag_id=flag.pk, confirm=False, reason="  ")
    flag = services.flag_decide(scope=SUPERVISOR, flag_id=flag.pk, confirm=False, reason="有特殊医嘱")
    assert flag.status == MonitoringFlag.Status.DISMISSED and not RecoveryCase.objects.exists()


def test_cases_are_scoped_by_the_institutions_district(planted):
    services.monitoring_run(scope=SUPERVISOR)
    flag = MonitoringFlag.objects.first()
    assert len(selectors.monitoring_flags(scope=SUPERVISOR)) == 3
    assert selectors.monitoring_flags(scope=ELSEWHERE) == []
    with pytest.raises(NotFound):
        selectors.monitoring_flag(scope=ELSEWHERE, flag_id=flag.pk)
    with pytest.raises(NotFound):
        services.flag_decide(scope=ELSEWHERE, flag_id=flag.pk, confirm=False, reason="x")
    for outsider in (CLERK, Scope(actor="citizen", roles=frozenset({roles.CITIZEN}))):
        with pytest.raises(PermissionDenied):
            selectors.monitoring_flags(scope=outsider)
        with pytest.raises(PermissionDenied):
            services.monitoring_run(scope=outsider)


def test_the_fund_supervisor_sees_the_person_masked_and_the_read_is_audited(planted):
    person, _card = planted
    services.monitoring_run(scope=SUPERVISOR)
    flag = MonitoringFlag.objects.get(rule="early_refill")
    masked = selectors.monitoring_flag(scope=SUPERVISOR, flag_id=flag.pk)
    assert masked["person_name"] != person.name and masked["person_name"].startswith(person.name[0])
    assert "*" in masked["person_id_number"]
    assert selectors.monitoring_flag(scope=REVIEWER, flag_id=flag.pk)["person_name"] == person.name
    assert AuditEntry.objects.filter(
        action="medical.monitor.flag.read", actor="supervisor", object_id=str(person.pk)
    ).exists()


def test_the_api_runs_lists_reads_decides_and_recovers(planted):
    supervisor = make_user("monitor-api", roles.FUND_SUPERVISOR, districts=["120101"])
    reviewer = make_user("monitor-rv", roles.REVIEWER, districts=["120101"])
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=supervisor)}")
    run = api.post("/api/v1/medical/monitoring/runs")
    assert run.status_code == 200 and run.json()["new_flags"] == 3
    assert len(api.get("/api/v1/medical/monitoring/runs").json()) == 1
    flags = api.get("/api/v1/medical/monitoring/flags?status=open").json()
    assert {f["rule"] for f in flags} == {"duplicate_billing", "early_refill", "quantity_limit"}
    duplicate = next(f for f in flags if f["rule"] == "duplicate_billing")
    assert duplicate["rule_name"].startswith("重复收费")
    detail = api.get(f"/api/v1/medical/monitoring/flags/{duplicate['id']}").json()
    assert [c["transaction_id"] for c in detail["claims"]] == ["DUP-1", "DUP-2"] and detail["basis"]
    bad = api.post(
        f"/api/v1/medical/monitoring/flags/{duplicate['id']}/decision",
        {"decision": "confirm", "reason": "x", "overpaid": "-1"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    decided = api.post(
        f"/api/v1/medical/monitoring/flags/{duplicate['id']}/decision",
        {"decision": "confirm", "reason": "机构承认", "overpaid": "10.00"},
        content_type="application/json",
    )
    assert decided.status_code == 200 and decided.json()["status"] == "confirmed"
    recovered = Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=reviewer)}").post(
        f"/api/v1/medical/monitoring/flags/{duplicate['id']}/recovery",
        {"recovered": True, "note": "已退回"},
        content_type="application/json",
    )
    assert recovered.status_code == 200 and recovered.json()["status"] == "recovered"
    assert api.get("/api/v1/medical/monitoring/flags/not-a-uuid").status_code == 422


def test_the_pages_take_a_case_from_the_queue_to_a_recovery(planted, client):
    reviewer = make_user("monitor-page", roles.REVIEWER, districts=["120101"])
    sign_in(client, reviewer)
    response = client.post("/medical/monitoring/run/")
    assert response.status_code == 302
    page = client.get("/medical/monitoring/")
    assert page.status_code == 200 and "重复收费" in page.content.decode()
    flag = MonitoringFlag.objects.get(rule="duplicate_billing")
    detail = client.get(f"/medical/monitoring/{flag.pk}/").content.decode()
    assert "DUP-1" in detail and "DUP-2" in detail
    refused = client.post(
        f"/medical/monitoring/{flag.pk}/decide/", {"decision": "confirm", "reason": "", "overpaid": "5"}
    )
    assert refused.status_code == 302 and MonitoringFlag.objects.get(pk=flag.pk).status == "open"
    client.post(
        f"/medical/monitoring/{flag.pk}/decide/", {"decision": "confirm", "reason": "重复收费", "overpaid": "5"}
    )
    client.post(f"/medical/monitoring/{flag.pk}/recovery/", {"recovered": "yes", "note": "已退回"})
    assert MonitoringFlag.objects.get(pk=flag.pk).status == "recovered"
    assert RecoveryCase.objects.get().status == "recovered"


def test_the_run_is_recorded_with_its_figures(planted):
    services.monitoring_run(scope=SUPERVISOR, on=timezone.localdate())
    run = MonitoringRun.objects.get()
    assert run.window_to - run.window_from == dt.timedelta(days=365)
    assert run.parameters["readmission_days"] == 15 and run.seconds > 0
    assert COMMUNITY  # the community centre settled nothing: no case there
