"""Person policies of the policy run (E4): 灵活就业社会保险补贴 and 一次性创业补贴 (免申即享)
find their people set-based, one person per rule and near misses beside; each found person is
told in-app and by SMS, an opted-out number is withheld; a second run pays no one twice."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from hrss.core import scope as roles
from hrss.core.errors import Conflict
from hrss.employment import policies
from hrss.employment import startup as startup_services
from hrss.employment.models import PolicyPayment, StartupSubsidy
from hrss.employment.notify_templates import POLICY_PERSON_FOUND_TEMPLATE
from hrss.employment.support_models import SpecialGroupMembership, StartupRegistration
from hrss.identity.auth import scope_for_user
from hrss.insurance.models import ContributionMonth
from hrss.notify import services as notify
from hrss.notify.models import OutboundMessage
from hrss.testing import make_person, make_user

pytestmark = pytest.mark.django_db
NOVEMBER = dt.date(2026, 11, 1)


def member(person, category: str = "disabled", identified_on: dt.date = dt.date(2026, 6, 1), **kw):
    return SpecialGroupMembership.objects.create(
        person=person,
        category=category,
        basis=[],
        evidence="证明",
        identified_by="test",
        identified_on=identified_on,
        **kw,
    )


def flexible(person, period: dt.date, pension_fen: int, medical_fen: int = 0) -> None:
    ContributionMonth.objects.create(
        period=period,
        person=person,
        employer=None,
        category="flexible",
        kind="assessed",
        revision=0,
        base_fen=500000,
        pension_individual_fen=pension_fen,
        medical_individual_fen=medical_fen or None,
        created_at=timezone.now(),
    )


def startup(person, started_on: dt.date, name: str = "小店") -> None:
    StartupRegistration.objects.create(
        person=person,
        business_name=name,
        started_on=started_on,
        industry_id="F",
        district_id="120101",
        registered_by="test",
    )


def runner():
    return scope_for_user(
        make_user(f"person_policy_runner{timezone.now().timestamp()}", roles.REVIEWER, city_wide=True)
    )


def test_the_flexible_workers_subsidy_finds_members_who_paid_and_tells_them_in_app_and_by_sms():
    eligible = make_person(name="灵活就业者", phone="13800138001")
    account = make_user("flexible_citizen", roles.CITIZEN, person=eligible)
    member(eligible)
    flexible(eligible, NOVEMBER, pension_fen=90000, medical_fen=30000)
    opted = make_person(name="退订短信者", phone="13800138002")
    member(opted)
    flexible(opted, NOVEMBER, pension_fen=60000)
    notify.opt_out(channel="sms", recipient="13800138002", source="test")
    # Near misses: a member who paid nothing; a flexible payer in no group; a member ended
    # before the month; a member identified over three years ago.
    unpaid = make_person(name="未缴费成员")
    member(unpaid)
    outsider = make_person(name="非困难人员")
    flexible(outsider, NOVEMBER, pension_fen=90000)
    ended = make_person(name="已退出成员")
    member(ended, status="ended", ended_on=dt.date(2026, 10, 15), end_reason="employed")
    flexible(ended, NOVEMBER, pension_fen=90000)
    old = make_person(name="认定已久")
    member(old, identified_on=dt.date(2023, 9, 1))
    flexible(old, NOVEMBER, pension_fen=90000)

    verdicts = {
        person: v
        for _key, _e, person, v in policies.evaluate(policy_code="flexible_social_insurance_subsidy", period=NOVEMBER)
    }
    assert verdicts[eligible.pk].eligible and verdicts[eligible.pk].amount_fen == 80004  # 2/3 of 1200.00
    assert not verdicts[unpaid.pk].eligible and not verdicts[old.pk].eligible
    assert outsider.pk not in verdicts and ended.pk not in verdicts

    scope = runner()
    run = policies.policy_run(scope=scope, policy_code="flexible_social_insurance_subsidy", period=NOVEMBER)
    assert (run.found, run.proposed) == (2, 2)
    payment = PolicyPayment.objects.get(person=eligible)
    assert payment.employer_id is None and payment.key == f":{eligible.pk}"
    assert [r["code"] for r in payment.reasons] == ["special_group", "subsidy_month", "flexible_paid"]
    told = OutboundMessage.objects.filter(template=POLICY_PERSON_FOUND_TEMPLATE)
    assert [m.recipient for m in told.filter(channel="in_app")] == [str(account.pk)]
    assert told.get(channel="sms", status=OutboundMessage.Status.WITHHELD).recipient.endswith("8002")
    assert told.filter(channel="sms").exclude(status=OutboundMessage.Status.WITHHELD).count() == 1

    again = policies.policy_run(scope=scope, policy_code="flexible_social_insurance_subsidy", period=NOVEMBER)
    assert again.pk == run.pk and PolicyPayment.objects.count() == 2
    assert told.count() == 3  # nobody told twice


def test_the_start_up_subsidy_finds_members_start_ups_once_ever_and_not_after_the_hall_granted_it():
    eligible = make_person(name="创业困难人员", phone="13800138003")
    member(eligible)
    startup(eligible, dt.date(2026, 9, 1))
    startup(eligible, dt.date(2026, 10, 1), name="第二家店")  # still one subsidy
    hall = make_person(name="已在大厅领取")
    member(hall)
    startup(hall, dt.date(2026, 9, 1))
    StartupSubsidy.objects.create(
        person=hall,
        business_name="小店",
        started_on=dt.date(2026, 9, 1),
        amount_fen=1000000,
        hall_reference="SHJY0000001",
        decided_by="test",
        decided_on=dt.date(2026, 10, 1),
    )
    too_old = make_person(name="创业已久")
    member(too_old)
    startup(too_old, dt.date(2022, 1, 1))
    not_member = make_person(name="普通创业者")
    startup(not_member, dt.date(2026, 9, 1))

    verdicts = {
        person: v
        for _key, _e, person, v in policies.evaluate(policy_code="startup_subsidy_free_apply", period=NOVEMBER)
    }
    assert verdicts[eligible.pk].eligible and verdicts[eligible.pk].amount_fen == int(Decimal("10000") * 100)
    assert not verdicts[hall.pk].eligible and verdicts[hall.pk].reasons[-1] == {"code": "already_granted"}
    assert too_old.pk not in verdicts and not_member.pk not in verdicts

    scope = runner()
    run = policies.policy_run(scope=scope, policy_code="startup_subsidy_free_apply", period=NOVEMBER)
    assert (run.found, run.proposed) == (1, 1)
    assert OutboundMessage.objects.filter(template=POLICY_PERSON_FOUND_TEMPLATE, channel="sms").count() == 1
    # December: the same person is not paid again (once ever, across periods).
    december = policies.policy_run(scope=scope, policy_code="startup_subsidy_free_apply", period=dt.date(2026, 12, 1))
    assert december.proposed == 0
    assert PolicyPayment.objects.filter(person=eligible).count() == 1
    # The hall's 一次性创业补贴 (SH-JY-004) refuses whom the run already put on a payment list.
    with pytest.raises(Conflict) as refused:
        startup_services.subsidy_assess(scope=scope, person_id=eligible.pk, started_on=dt.date(2026, 9, 1))
    assert refused.value.code == "already_granted"
