"""Policies that find their people (E4): one person or employer per rule that qualifies, and
near misses beside each (one condition short), over the registry, employment's records and the
contribution ledger; a second run of the same period pays no one twice."""

import datetime as dt
from decimal import Decimal
from itertools import count

import pytest
from django.utils import timezone

from hrss.core import scope as roles
from hrss.core.errors import Conflict, InvalidInput, PermissionDenied
from hrss.core.models import AuditEntry
from hrss.employment import policies, rules
from hrss.employment.models import PolicyPayment, UnemploymentRegistration
from hrss.employment.notify_templates import POLICY_FOUND_TEMPLATE
from hrss.identity.auth import scope_for_user
from hrss.insurance.models import ContributionMonth, Enrolment
from hrss.notify.models import OutboundMessage
from hrss.testing import make_employer, make_employment, make_person, make_user

pytestmark = pytest.mark.django_db
_refs = count(1)
NOVEMBER = dt.date(2026, 11, 1)


def staff(role: str, name: str):
    user = make_user(name, role, city_wide=True)
    return scope_for_user(user)


def registered(person, since: dt.date) -> None:
    UnemploymentRegistration.objects.create(
        person=person,
        unemployed_since=since,
        registered_on=since,
        hall_reference=f"SHTEST{next(_refs):06d}",
        registered_by="test",
        status=UnemploymentRegistration.Status.ENDED,
    )


def assessed(person, employer, period: dt.date, *, pension=0, medical=0, unemployment=0, revision=0) -> None:
    """A ledger row as the monthly assessment writes it (employer's shares in fen)."""
    ContributionMonth.objects.create(
        period=period,
        person=person,
        employer=employer,
        category="employee",
        kind="assessed" if revision == 0 else "adjustment",
        revision=revision,
        base_fen=500000,
        pension_employer_fen=pension or None,
        medical_employer_fen=medical or None,
        unemployment_employer_fen=unemployment or None,
        created_at=timezone.now(),
    )


def test_the_social_insurance_subsidy_finds_the_employer_of_a_long_term_unemployed_hire():
    employer = make_employer(name="招用单位")
    agent = make_user("policy_agent", roles.EMPLOYER_AGENT, employer=employer)
    hired = dt.date(2026, 9, 1)
    # Qualifies: unemployed 15 months before the hire, insured by the employer in November.
    eligible = make_person(name="长期失业者")
    registered(eligible, dt.date(2025, 6, 1))
    make_employment(eligible, employer, start=hired)
    assessed(eligible, employer, NOVEMBER, pension=80000, medical=40000, unemployment=2500)
    # Near misses: unemployed 8 months; hired 47 months ago; not insured in November;
    # registered long ago but employed in between; never registered as unemployed.
    short = make_person(name="短期失业者")
    registered(short, dt.date(2026, 1, 1))
    make_employment(short, employer, start=hired)
    assessed(short, employer, NOVEMBER, pension=80000)
    long_ago = make_person(name="早已招用者")
    registered(long_ago, dt.date(2021, 1, 1))
    make_employment(long_ago, employer, start=dt.date(2022, 12, 1))
    assessed(long_ago, employer, NOVEMBER, pension=80000)
    uninsured = make_person(name="未参保者")
    registered(uninsured, dt.date(2025, 1, 1))
    make_employment(uninsured, employer, start=hired)
    worked_since = make_person(name="期间曾就业者")  # registered long ago, but worked in between
    registered(worked_since, dt.date(2020, 1, 1))
    make_employment(worked_since, make_employer(name="中间单位"), start=dt.date(2021, 1, 1), end=dt.date(2026, 6, 30))
    make_employment(worked_since, employer, start=hired)
    assessed(worked_since, employer, NOVEMBER, pension=80000)
    never = make_person(name="未登记者")
    make_employment(never, employer, start=hired)
    assessed(never, employer, NOVEMBER, pension=80000)

    verdicts = {
        person: v for _key, _e, person, v in policies.evaluate(policy_code="social_insurance_subsidy", period=NOVEMBER)
    }
    assert verdicts[eligible.pk].eligible and verdicts[eligible.pk].amount_fen == 122500
    assert not verdicts[short.pk].eligible and verdicts[short.pk].reasons[0] == {
        "code": "unemployed_months",
        "months": 8,
        "needed": 12,
    }
    assert long_ago.pk not in verdicts  # outside the 36 months: not even a candidate
    assert not verdicts[uninsured.pk].eligible
    assert never.pk not in verdicts and worked_since.pk not in verdicts

    runner, approver = staff(roles.REVIEWER, "policy_runner"), staff(roles.APPROVER, "policy_approver")
    run = policies.policy_run(scope=runner, policy_code="social_insurance_subsidy", period=dt.date(2026, 11, 20))
    assert (run.period, run.found, run.proposed) == (NOVEMBER, 1, 1)
    payment = PolicyPayment.objects.get()
    assert (payment.employer_id, payment.person_id, payment.amount_fen) == (employer.pk, eligible.pk, 122500)
    assert [r["code"] for r in payment.reasons] == ["unemployed_months", "subsidy_month", "employer_share"]
    told = OutboundMessage.objects.get(template=POLICY_FOUND_TEMPLATE)
    assert told.recipient == str(agent.pk) and "1225.00" in told.params

    # A late contribution makes the uninsured hire eligible: the second run proposes them
    # only, and the first beneficiary is not paid twice.
    assessed(uninsured, employer, NOVEMBER, pension=60000)
    again = policies.policy_run(scope=runner, policy_code="social_insurance_subsidy", period=NOVEMBER)
    assert (again.found, again.proposed) == (2, 1)
    assert PolicyPayment.objects.filter(person=eligible).count() == 1
    third = policies.policy_run(scope=runner, policy_code="social_insurance_subsidy", period=NOVEMBER)
    assert third.pk == again.pk and PolicyPayment.objects.count() == 2  # nothing new: the last run answers
    assert OutboundMessage.objects.filter(template=POLICY_FOUND_TEMPLATE).count() == 2

    # The approver (never the runner) approves each run's list once.
    with pytest.raises(PermissionDenied):
        policies.policy_run_approve(scope=runner, run_id=run.pk)
    assert policies.policy_run_approve(scope=approver, run_id=run.pk) == 1
    assert policies.policy_run_approve(scope=approver, run_id=run.pk) == 0
    assert AuditEntry.objects.filter(action="employment.policy_run").count() == 2


def _insured(employer, persons, *, start=dt.date(2024, 1, 1), leave=()):
    for person in persons:
        left = person in leave
        Enrolment.objects.create(
            person=person,
            employer=employer,
            insurance_type="unemployment",
            category="employee",
            start_month=start,
            end_month=dt.date(2025, 6, 1) if left else None,
            stop_reason="left_employer" if left else "",
        )
        for month in range(1, 13):
            if not left or month <= 6:
                assessed(person, employer, dt.date(2025, month, 1), unemployment=1000)


def test_the_job_stabilisation_refund_finds_employers_with_a_low_layoff_rate():
    def people(n, prefix):
        return [make_person(name=f"{prefix}{i}") for i in range(n)]

    # Qualify: a small employer with no leaver (60%); a large one with 1 leaver of 31 (3.2%, 30%).
    small = make_employer(name="稳岗小微", size="small")
    _insured(small, people(3, "小"))
    large_staff = people(31, "大")
    large = make_employer(name="稳岗大型", size="large")
    _insured(large, large_staff, leave=large_staff[:1])
    # Near misses: 2 leavers of 31 (6.5% above 5.5%); 2 of 5 (40% above 20%); insured from March.
    over_staff = people(31, "裁")
    over = make_employer(name="裁员较多", size="large")
    _insured(over, over_staff, leave=over_staff[:2])
    tiny_staff = people(5, "微")
    tiny = make_employer(name="小微裁员", size="micro")
    _insured(tiny, tiny_staff, leave=tiny_staff[:2])
    late = make_employer(name="年中参保", size="small")
    _insured(late, people(2, "晚"), start=dt.date(2025, 3, 1))

    verdicts = {
        e: v for _k, e, _p, v in policies.evaluate(policy_code="job_stabilisation_refund", period=dt.date(2025, 1, 1))
    }
    assert {e for e, v in verdicts.items() if v.eligible} == {small.pk, large.pk}
    assert verdicts[small.pk].amount_fen == 3 * 12 * 1000 * 60 // 100
    # the leaver's six months paid count too: (30 * 12 + 6) * 1000 at 30%
    assert verdicts[large.pk].amount_fen == (30 * 12 + 6) * 1000 * 30 // 100
    assert verdicts[over.pk].reasons[-1]["code"] == "layoff_rate" and verdicts[over.pk].reasons[-1]["limit"] == "0.055"
    assert verdicts[tiny.pk].reasons[-1]["limit"] == "0.2"
    assert verdicts[late.pk].reasons == ({"code": "months_insured", "months": 10, "needed": 12},)

    runner = staff(roles.ADMINISTRATOR, "policy_admin")
    run = policies.policy_run(scope=runner, policy_code="job_stabilisation_refund", period=dt.date(2025, 7, 1))
    assert (run.period, run.found, run.proposed) == (dt.date(2025, 1, 1), 2, 2)
    again = policies.policy_run(scope=runner, policy_code="job_stabilisation_refund", period=dt.date(2025, 1, 1))
    assert again.pk == run.pk and PolicyPayment.objects.count() == 2


def test_a_run_of_an_unfinished_period_an_unknown_policy_or_by_a_citizen_is_refused():
    runner = staff(roles.REVIEWER, "policy_runner2")
    with pytest.raises(InvalidInput):
        policies.policy_run(scope=runner, policy_code="job_stabilisation_refund", period=timezone.localdate())
    with pytest.raises(InvalidInput):
        policies.policy_run(scope=runner, policy_code="no_such_policy", period=NOVEMBER)
    with pytest.raises(InvalidInput) as before_the_policy:
        policies.policy_run(scope=runner, policy_code="job_stabilisation_refund", period=dt.date(1970, 1, 1))
    assert "period" in before_the_policy.value.fields
    citizen = scope_for_user(make_user("policy_citizen", roles.CITIZEN, person=make_person()))
    with pytest.raises(PermissionDenied):
        policies.policy_run(scope=citizen, policy_code="social_insurance_subsidy", period=NOVEMBER)
    run = policies.policy_run(scope=runner, policy_code="social_insurance_subsidy", period=NOVEMBER)
    same = scope_for_user(make_user("policy_both", roles.APPROVER, roles.REVIEWER, city_wide=True))
    mine = policies.policy_run(scope=same, policy_code="social_insurance_subsidy", period=dt.date(2026, 10, 1))
    with pytest.raises(Conflict):
        policies.policy_run_approve(scope=same, run_id=mine.pk)
    assert run.found == 0


def test_the_policies_are_data_with_their_legal_basis_and_dated_figures():
    table = rules.policies()
    assert set(table) == {
        "social_insurance_subsidy",
        "job_stabilisation_refund",
        # person policies (test_support_policies.py)
        "flexible_social_insurance_subsidy",
        "startup_subsidy_free_apply",
    }
    assert all(p.legal_basis and p.free_apply for p in table.values())
    assert rules.months_between(dt.date(2025, 10, 15), dt.date(2026, 10, 14)) == 11
    assert rules.months_between(dt.date(2025, 10, 15), dt.date(2026, 10, 15)) == 12
    verdict = rules.low_layoff_rate(
        months_insured=12,
        headcount=30,
        leavers=6,
        paid_fen=10001,
        large=False,
        layoff_rate_max=Decimal("0.055"),
        small_headcount=30,
        small_layoff_rate_max=Decimal("0.20"),
        ratio_large=Decimal("0.30"),
        ratio_sme=Decimal("0.60"),
    )
    assert verdict.eligible and verdict.amount_fen == 6001  # 20% exactly is within; half a fen rounds up


def _one_hire():
    employer = make_employer(name="页面招用单位")
    person = make_person(name="页面受助人")
    registered(person, dt.date(2025, 1, 1))
    make_employment(person, employer, start=dt.date(2026, 10, 1))
    assessed(person, employer, NOVEMBER, pension=80000, medical=40000)
    return employer, person


def test_the_api_runs_lists_and_approves_with_the_reasons():
    from django.test import Client

    from hrss.identity.auth import token_create

    _one_hire()
    reviewer = make_user("api_runner", roles.REVIEWER, city_wide=True)
    approver = make_user("api_approver", roles.APPROVER, city_wide=True)
    clerk = make_user("api_clerk", roles.COUNTER_CLERK, districts=["120101"])
    as_ = {u: Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=u)}") for u in (reviewer, approver, clerk)}
    body = {"policy": "social_insurance_subsidy", "period": "2026-11-15"}
    assert as_[clerk].post("/api/v1/employment/policy-runs", body, content_type="application/json").status_code == 403
    started = as_[reviewer].post("/api/v1/employment/policy-runs", body, content_type="application/json")
    assert started.status_code == 201, started.content
    run = started.json()
    assert (run["period"], run["found"], run["proposed"]) == ("2026-11-01", 1, 1)
    payments = (
        as_[approver].get(f"/api/v1/employment/policy-runs/{run['id']}/payments", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    )
    assert payments[0]["amount"] == "1200.00" and payments[0]["person"] == "页面受助人"
    assert payments[0]["reasons"][0] == "受聘前已失业21个月（须满12个月）"
    approved = as_[approver].post(f"/api/v1/employment/policy-runs/{run['id']}/approve")
    assert approved.json() == {"approved": 1}
    assert as_[reviewer].post(f"/api/v1/employment/policy-runs/{run['id']}/approve").status_code == 403
    assert len(as_[reviewer].get("/api/v1/employment/policy-runs").json()) == 1
    assert {p["code"] for p in as_[clerk].get("/api/v1/employment/policies").json()} == set(rules.policies())
    refused = as_[reviewer].post(
        "/api/v1/employment/policy-runs",
        {"policy": "job_stabilisation_refund", "period": "2099-01-01"},
        content_type="application/json",
    )
    assert refused.status_code == 422 and "period" in refused.json()["fields"]


def test_the_staff_pages_run_show_and_approve_in_chinese():
    from django.test import Client

    from hrss.testing import sign_in

    _one_hire()
    reviewer = sign_in(Client(), make_user("page_runner", roles.REVIEWER, city_wide=True))
    page = reviewer.get("/employment/policies/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "社会保险补贴（招用就业困难人员）" in page and "开始计算" in page
    bad = reviewer.post("/employment/policies/", {"policy": "social_insurance_subsidy", "period": ""})
    assert bad.status_code == 422
    done = reviewer.post("/employment/policies/", {"policy": "social_insurance_subsidy", "period": "2026-11-15"})
    assert done.status_code == 302
    detail = reviewer.get(done["Location"], HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert (
        "页面受助人" in detail and "1200.00" in detail and "审批这些发放" not in detail
    )  # not the runner's to approve
    approver = sign_in(Client(), make_user("page_approver", roles.APPROVER, city_wide=True))
    detail = approver.get(done["Location"], HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "审批这些发放" in detail
    assert approver.post(done["Location"] + "approve/").status_code == 302
    assert PolicyPayment.objects.get().status == PolicyPayment.Status.APPROVED
    citizen = sign_in(Client(), make_user("page_citizen", roles.CITIZEN, person=make_person()))
    assert citizen.get("/employment/policies/").status_code == 403
