"""Pension award, unemployment entitlement and payments, eligibility cross-checks, universal enrolment."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from hrss.codes.identifiers import parse_id_number
from hrss.core.errors import InvalidInput, PermissionDenied
from hrss.core.events import subscribe, unsubscribe
from hrss.insurance import rules, services
from hrss.insurance.events import EnrolmentReminderDue
from hrss.insurance.models import BenefitAward, BenefitPayment, Enrolment, RecoveryCase
from hrss.insurance.selectors import universal
from hrss.insurance.services import benefits, eligibility
from hrss.insurance.services import universal as universal_services
from hrss.insurance.tests import builders
from hrss.insurance.tests.builders import agent, assess, citizen, clerk, employee
from hrss.registry.services import person_apply
from hrss.testing import make_employer, make_employment, make_person

pytestmark = pytest.mark.django_db


def die(person, day, capture):
    with capture(execute=True):
        person_apply(id_number=parse_id_number(person.id_number), values={"death_date": day}, source="civil_affairs")


# --- pension ----------------------------------------------------------------------------


@pytest.fixture
def retiree():
    person, firm = builders.retiree()
    return {"firm": firm, "person": person}


def test_pension_award_at_the_delayed_statutory_age(retiree):
    person = retiree["person"]
    result = benefits.pension_award_compute(scope=clerk(), person_id=person.pk)
    assert (result.category, result.statutory_age, result.retirement_age) == ("male", "60y2m", "60y2m")
    assert (result.retirement_month, result.start_month) == (dt.date(2025, 7, 1), dt.date(2025, 8, 1))
    assert result.contribution_months == 206  # 200 transferred + 6 assessed (Jan-Jun; July not assessed)
    assert result.average_index == Decimal("1.0000")  # base 8355 = the average wage
    assert result.divisor == Decimal("137.8")  # 139 - 7 × 2/12 = 137.83
    # 8355 × 2/2 × 206/12 × 1% = 1434.28; account 80000 (no month paid, so nothing credited) / 137.8 = 580.55
    assert (result.basic, result.account, result.total) == (Decimal("1434.28"), Decimal("580.55"), Decimal("2014.83"))
    assert result.eligible and not result.reasons
    award = benefits.pension_award_grant(scope=clerk(), computation=result)
    assert (award.kind, award.status, award.monthly_fen, award.start_month) == (
        "pension",
        "active",
        201_483,
        dt.date(2025, 8, 1),
    )
    stopped = Enrolment.objects.filter(person=person, stop_reason="retired")
    assert {e.insurance_type for e in stopped} == {"pension_enterprise", "unemployment"}
    assert {e.end_month for e in stopped} == {dt.date(2025, 7, 1)}
    schedule = benefits.award_schedule(award, months=3, start=dt.date(2025, 8, 1))
    assert schedule == [(dt.date(2025, m, 1), Decimal("2014.83")) for m in (8, 9, 10)]


def test_too_few_years_is_not_eligible():
    firm = make_employer(name="短工", industry="52")
    person = employee(firm, birth=dt.date(1965, 1, 20), sex="M")
    assess(dt.date(2025, 1, 1), 1)
    result = benefits.pension_award_compute(scope=clerk(), person_id=person.pk)
    assert not result.eligible
    assert "less than the minimum of 15" in result.reasons[0]
    with pytest.raises(InvalidInput):
        benefits.pension_award_grant(scope=clerk(), computation=result)


def test_flexible_retirement_bounds_are_checked(retiree):
    result = benefits.pension_award_compute(
        scope=clerk(), person_id=retiree["person"].pk, retirement_month=dt.date(2024, 1, 1)
    )
    assert not result.eligible and "outside the allowed range" in result.reasons[0]


def test_women_default_to_the_worker_schedule_and_staff_can_choose():
    firm = make_employer(name="纺织厂", industry="17")
    worker = employee(firm, birth=dt.date(1975, 3, 10), sex="F")
    assert benefits.pension_award_compute(scope=clerk(), person_id=worker.pk).statutory_age == "50y2m"
    cadre = benefits.pension_award_compute(scope=clerk(), person_id=worker.pk, category="female_55")
    assert cadre.statutory_age == "56y4m"  # 55 in 2030-03, 62 months after 2025-01: 62 // 4 + 1 = 16 months
    with pytest.raises(InvalidInput):
        benefits.pension_award_compute(scope=clerk(), person_id=worker.pk, category="male")


def test_citizen_computes_only_their_own(retiree):
    stranger = make_person(name="别人")
    with pytest.raises(PermissionDenied):
        benefits.pension_award_compute(scope=citizen(stranger), person_id=retiree["person"].pk)
    mine = benefits.pension_award_compute(scope=citizen(retiree["person"]), person_id=retiree["person"].pk)
    assert mine.eligible


# --- unemployment --------------------------------------------------------------------------


@pytest.fixture
def laid_off():
    firm = make_employer(name="商场", industry="52")
    person = employee(firm, start=dt.date(2023, 1, 1), wage=Decimal("6000"), name="售货员")
    assess(dt.date(2023, 1, 1), 24)
    services.enrolment_stop(
        scope=agent(firm),
        person_id=person.pk,
        employer_id=firm.pk,
        insurance_types=["pension_enterprise", "medical_employee", "unemployment", "work_injury"],
        last_month=dt.date(2024, 12, 1),
        reason="left_employer",
    )
    return {"firm": firm, "person": person}


def claim(person, day=dt.date(2025, 1, 5)):
    return benefits.unemployment_claim_assess(
        scope=clerk(), person_id=person.pk, separation_date=day, involuntary=True, registered_unemployed=True
    )


def test_unemployment_entitlement_and_amount(laid_off):
    result = claim(laid_off["person"])
    assert (result.contribution_months, result.tier_months, result.total_months) == (24, 12, 12)
    assert (result.monthly_amount, result.amount_basis) == (Decimal("2088.00"), "minimum_wage_ratio")  # 90 % × 2320
    assert result.eligible
    refused = benefits.unemployment_claim_assess(
        scope=clerk(),
        person_id=laid_off["person"].pk,
        separation_date=dt.date(2025, 1, 5),
        involuntary=False,
        registered_unemployed=True,
    )
    assert not refused.eligible and refused.reasons


def test_monthly_payment_and_end_of_entitlement(laid_off):
    award = benefits.unemployment_award_grant(
        scope=clerk(), assessment=claim(laid_off["person"]), start_month=dt.date(2025, 2, 1)
    )
    assert (award.end_month, award.entitled_months) == (dt.date(2026, 1, 1), 12)
    for month in range(2, 14):
        benefits.benefit_pay_period(period=rules.add_months(dt.date(2025, 2, 1), month - 2))
    assert BenefitPayment.objects.filter(award=award).count() == 12
    assert benefits.benefit_pay_period(period=dt.date(2025, 2, 1)) == 0  # once per month
    award.refresh_from_db()
    assert (award.status, award.stop_reason) == ("ended", "exhausted")


def test_reemployment_stops_the_benefit_opens_recovery_and_carries_months_over(laid_off):
    person = laid_off["person"]
    award = benefits.unemployment_award_grant(scope=clerk(), assessment=claim(person), start_month=dt.date(2025, 2, 1))
    for month in (2, 3, 4, 5):
        benefits.benefit_pay_period(period=dt.date(2025, month, 1))
    # a new job from April, which the person did not report
    other = make_employer(name="饭店", industry="62")
    make_employment(person, other, start=dt.date(2025, 4, 1))
    services.enrolment_start(
        scope=agent(other),
        person_id=person.pk,
        employer_id=other.pk,
        insurance_types=["pension_enterprise", "unemployment"],
        start_month=dt.date(2025, 4, 1),
    )
    assess(dt.date(2025, 4, 1), 2)
    [case] = eligibility.eligibility_crosscheck()
    assert (case.reason, case.first_period, case.overpaid_fen) == ("reemployed", dt.date(2025, 4, 1), 2 * 208_800)
    assert case.evidence["employers"][0]["name"] == "饭店"
    assert case.evidence["employers"][0]["months"] == ["2025-04", "2025-05"]
    award.refresh_from_db()
    assert (award.status, award.stopped_month, award.end_month) == ("stopped", dt.date(2025, 4, 1), dt.date(2025, 3, 1))
    assert eligibility.eligibility_crosscheck() == []  # nothing new the second time
    assert benefits.benefit_pay_period(period=dt.date(2025, 6, 1)) == 0

    # paid Feb-May, of which Apr and May wrongly; a later claim carries over 12 - 4 unused months
    services.enrolment_stop(
        scope=agent(other),
        person_id=person.pk,
        employer_id=other.pk,
        insurance_types=["pension_enterprise", "unemployment"],
        last_month=dt.date(2026, 3, 1),
        reason="left_employer",
    )
    assess(dt.date(2025, 6, 1), 10)
    later = claim(person, day=dt.date(2026, 4, 1))
    assert (later.contribution_months, later.tier_months, later.carried_over_months, later.total_months) == (
        12,
        12,
        8,
        20,
    )


# --- deaths ---------------------------------------------------------------------------------


def test_pension_paid_after_death_is_suspended_and_recovered(retiree, django_capture_on_commit_callbacks):
    person = retiree["person"]
    award = benefits.pension_award_grant(
        scope=clerk(), computation=benefits.pension_award_compute(scope=clerk(), person_id=person.pk)
    )
    for month in (8, 9, 10, 11):
        benefits.benefit_pay_period(period=dt.date(2025, month, 1))
    die(person, dt.date(2025, 9, 10), django_capture_on_commit_callbacks)  # reported late
    award.refresh_from_db()
    assert award.status == "suspended"
    case = RecoveryCase.objects.get(award=award)
    assert (case.reason, case.first_period, case.overpaid_fen) == ("deceased", dt.date(2025, 10, 1), 2 * 201_483)
    assert case.evidence["death_date"] == "2025-09-10"
    assert case.evidence["death_source"] == "civil_affairs"
    assert [p["period"] for p in case.evidence["payments"]] == ["2025-10", "2025-11"]
    assert benefits.benefit_pay_period(period=dt.date(2025, 12, 1)) == 0
    assert eligibility.eligibility_crosscheck() == []
    closed = eligibility.recovery_case_close(scope=clerk(), case_id=case.pk, recovered=True, note="refunded by family")
    assert closed.status == "recovered"


# --- universal enrolment -------------------------------------------------------------------------

ON = dt.date(2025, 3, 15)


@pytest.fixture
def residents():
    firm = make_employer(name="工厂", industry="34")
    people = {
        "uninsured": make_person(name="未参保", birth=dt.date(1990, 6, 1), sex="M"),
        "uninsured_woman": make_person(name="未参保女", district="120103", birth=dt.date(1975, 6, 1), sex="F"),
        "insured": employee(firm, name="已参保", birth=dt.date(1988, 1, 1)),
        "child": make_person(name="少年", birth=dt.date(2010, 1, 1), sex="M"),
        "student": make_person(name="学生", birth=dt.date(2004, 9, 1), sex="F"),
        "retired_man": make_person(name="老人", birth=dt.date(1963, 1, 1), sex="M"),
        "retired_woman": make_person(name="退休女", birth=dt.date(1969, 6, 1), sex="F"),
        "dead": make_person(name="已故", birth=dt.date(1980, 1, 1), sex="M"),
    }
    person_apply(
        id_number=parse_id_number(people["dead"].id_number),
        values={"death_date": dt.date(2024, 5, 1)},
        source="civil_affairs",
    )
    universal_services.exemption_record(
        scope=clerk(), person_id=people["student"].pk, reason="student", valid_from=dt.date(2022, 9, 1)
    )
    return people


def test_finder_lists_only_working_age_uninsured(residents):
    found = {p.name for p in universal.uninsured_persons(scope=clerk(), on=ON)}
    assert found == {"未参保", "未参保女"}
    counts = {c.district: c.uninsured for c in universal.uninsured_by_district(scope=clerk(), on=ON)}
    assert counts == {"120101": 1, "120103": 1}
    assert [p.name for p in universal.uninsured_persons(scope=clerk(districts=["120103"]), on=ON)] == ["未参保女"]
    with pytest.raises(PermissionDenied):
        universal.uninsured_persons(scope=citizen(residents["insured"]), on=ON)


def test_a_man_born_in_1965_is_still_of_working_age_in_his_sixtieth_year(residents):
    man = make_person(name="六十岁", birth=dt.date(1965, 2, 1), sex="M")  # 60y1m: retires 2025-03
    assert man.pk not in {p.pk for p in universal.uninsured_persons(scope=clerk(), on=dt.date(2025, 3, 1))}
    assert man.pk in {p.pk for p in universal.uninsured_persons(scope=clerk(), on=dt.date(2025, 2, 1))}


def test_reminders_are_published_once_a_month(residents, django_capture_on_commit_callbacks):
    received = []

    def handler(event):
        received.append(event)

    subscribe(EnrolmentReminderDue)(handler)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            sent = universal_services.enrolment_reminders_publish(scope=clerk(), period=ON)
        assert sent == 2
        assert {e.person_id for e in received} == {residents["uninsured"].pk, residents["uninsured_woman"].pk}
        assert {e.district for e in received} == {"120101", "120103"}
        with django_capture_on_commit_callbacks(execute=True):
            assert universal_services.enrolment_reminders_publish(scope=clerk(), period=ON) == 0
    finally:
        unsubscribe(EnrolmentReminderDue, handler)


def test_the_reminded_person_enrols_online_and_leaves_the_list(residents):
    person = residents["uninsured"]
    services.enrolment_start(
        scope=citizen(person), person_id=person.pk, insurance_types=["pension_enterprise"], start_month=ON
    )
    assert person.pk not in {p.pk for p in universal.uninsured_persons(scope=clerk(), on=ON)}


def test_awards_are_unique_per_kind(retiree):
    computation = benefits.pension_award_compute(scope=clerk(), person_id=retiree["person"].pk)
    benefits.pension_award_grant(scope=clerk(), computation=computation)
    from hrss.core.errors import Conflict

    with pytest.raises(Conflict):
        benefits.pension_award_grant(scope=clerk(), computation=computation)
    assert BenefitAward.objects.count() == 1


def test_batch_commands(residents, retiree):
    from io import StringIO

    from django.core.management import call_command

    benefits.pension_award_grant(
        scope=clerk(), computation=benefits.pension_award_compute(scope=clerk(), person_id=retiree["person"].pk)
    )
    out = StringIO()
    call_command("insurance", "pay-benefits", "--period", "2025-08", stdout=out)
    call_command("insurance", "crosscheck", stdout=out)
    call_command("insurance", "remind", "--period", "2025-03", stdout=out)
    text = out.getvalue()
    assert "2025-08: 1 benefit payments" in text
    assert "0 recovery cases opened" in text
    assert "2025-03: 2 reminders published" in text


def test_enrolment_by_a_new_employer_stops_the_benefit_at_once(laid_off, django_capture_on_commit_callbacks):
    person = laid_off["person"]
    award = benefits.unemployment_award_grant(scope=clerk(), assessment=claim(person), start_month=dt.date(2025, 2, 1))
    other = make_employer(name="快递公司", industry="60")
    make_employment(person, other, start=dt.date(2025, 5, 1))
    with django_capture_on_commit_callbacks(execute=True):
        services.enrolment_start(
            scope=agent(other),
            person_id=person.pk,
            employer_id=other.pk,
            insurance_types=["unemployment"],
            start_month=dt.date(2025, 5, 1),
        )
    award.refresh_from_db()
    assert (award.status, award.stop_reason, award.stopped_month) == ("stopped", "reemployed", dt.date(2025, 5, 1))
    assert benefits.benefit_pay_period(period=dt.date(2025, 5, 1)) == 0
