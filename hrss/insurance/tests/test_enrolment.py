"""Enrolment, work-injury classes and contribution bases, through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from hrss.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hrss.core.models import AuditEntry
from hrss.insurance import services
from hrss.insurance.models import ContributionBase, EmployerWorkInjuryRate, Enrolment
from hrss.insurance.tests.builders import ALL_TYPES, agent, citizen, clerk, employee, flexible_worker
from hrss.testing import make_employer, make_employment, make_person

pytestmark = pytest.mark.django_db
JAN = dt.date(2025, 1, 1)


@pytest.fixture
def firm():
    return make_employer(name="软件公司", industry="65")


def test_employer_enrols_its_employee_in_every_insurance(firm):
    person = make_person(name="张三")
    make_employment(person, firm, start=JAN)
    created = services.enrolment_start(
        scope=agent(firm), person_id=person.pk, employer_id=firm.pk, insurance_types=ALL_TYPES, start_month=JAN
    )
    assert sorted(e.insurance_type for e in created) == sorted(ALL_TYPES)
    assert {e.category for e in created} == {"employee"}
    rate = EmployerWorkInjuryRate.objects.get(employer=firm)
    assert (rate.risk_class, rate.floating_percent, rate.valid_from) == (1, 100, JAN)  # software is class 1
    assert AuditEntry.objects.filter(action="insurance.enrolment.start", object_id=str(person.pk)).exists()


def test_employer_cannot_enrol_someone_it_does_not_employ(firm):
    stranger = make_person(name="李四")
    with pytest.raises(NotFound):
        services.enrolment_start(
            scope=agent(firm), person_id=stranger.pk, employer_id=firm.pk, insurance_types=ALL_TYPES, start_month=JAN
        )


def test_no_overlapping_spells(firm):
    person = employee(firm)
    other = make_employer(name="第二家", industry="47")
    make_employment(person, other, start=dt.date(2025, 3, 1))
    with pytest.raises(Conflict) as error:
        services.enrolment_start(
            scope=agent(other),
            person_id=person.pk,
            employer_id=other.pk,
            insurance_types=["pension_enterprise"],
            start_month=dt.date(2025, 3, 1),
        )
    assert error.value.fields == {"insurance_types": "pension_enterprise"}


def test_stop_then_enrol_elsewhere_keeps_the_history(firm):
    person = employee(firm)
    services.enrolment_stop(
        scope=agent(firm),
        person_id=person.pk,
        employer_id=firm.pk,
        insurance_types=ALL_TYPES,
        last_month=dt.date(2025, 2, 15),
        reason="left_employer",
    )
    builder = make_employer(name="建筑公司", industry="47")
    make_employment(person, builder, start=dt.date(2025, 3, 1))
    services.enrolment_start(
        scope=agent(builder),
        person_id=person.pk,
        employer_id=builder.pk,
        insurance_types=ALL_TYPES,
        start_month=dt.date(2025, 3, 1),
    )
    spells = Enrolment.objects.filter(person=person, insurance_type="pension_enterprise").order_by("start_month")
    assert [(s.employer_id, s.start_month, s.end_month) for s in spells] == [
        (firm.pk, JAN, dt.date(2025, 2, 1)),
        (builder.pk, dt.date(2025, 3, 1), None),
    ]
    assert EmployerWorkInjuryRate.objects.get(employer=builder).risk_class == 6  # 房屋建筑业
    assert spells[0].history.count() == 2  # created, then stopped


def test_stop_before_start_is_refused(firm):
    person = employee(firm, start=dt.date(2025, 5, 1))
    with pytest.raises(InvalidInput):
        services.enrolment_stop(
            scope=agent(firm),
            person_id=person.pk,
            employer_id=firm.pk,
            insurance_types=["pension_enterprise"],
            last_month=dt.date(2025, 4, 1),
            reason="left_employer",
        )


def test_flexible_worker_enrols_themselves_in_pension_only():
    person = make_person(name="王五")
    with pytest.raises(InvalidInput) as error:
        services.enrolment_start(
            scope=citizen(person), person_id=person.pk, insurance_types=["medical_employee"], start_month=JAN
        )
    assert error.value.fields == {"insurance_types": "medical_employee"}
    [enrolment] = services.enrolment_start(
        scope=citizen(person), person_id=person.pk, insurance_types=["pension_enterprise"], start_month=JAN
    )
    assert (enrolment.category, enrolment.employer_id) == ("flexible", None)


def test_citizen_cannot_enrol_somebody_else():
    me, other = make_person(name="甲"), make_person(name="乙")
    with pytest.raises(PermissionDenied):
        services.enrolment_start(
            scope=citizen(me), person_id=other.pk, insurance_types=["pension_enterprise"], start_month=JAN
        )


def test_employer_without_an_industry_cannot_enrol_work_injury():
    firm = make_employer(name="未知行业", industry=None)
    person = make_person()
    make_employment(person, firm, start=JAN)
    with pytest.raises(InvalidInput) as error:
        services.enrolment_start(
            scope=agent(firm),
            person_id=person.pk,
            employer_id=firm.pk,
            insurance_types=["work_injury"],
            start_month=JAN,
        )
    assert "industry" in error.value.fields


def test_staff_change_the_floating_rate_from_a_month(firm):
    employee(firm)
    services.work_injury_rate_change(
        scope=clerk(), employer_id=firm.pk, risk_class=1, floating_percent=120, from_month=dt.date(2025, 7, 1)
    )
    rates = list(EmployerWorkInjuryRate.objects.filter(employer=firm).order_by("valid_from"))
    assert [(r.valid_from, r.valid_to, r.floating_percent) for r in rates] == [
        (JAN, dt.date(2025, 6, 1), 100),
        (dt.date(2025, 7, 1), None, 120),
    ]


# --- bases ----------------------------------------------------------------------------


def test_declared_wages_are_clamped_to_the_band(firm):
    low = employee(firm, wage=None, name="低")
    mid = employee(firm, wage=None, name="中")
    high = employee(firm, wage=None, name="高")
    lines = services.base_declare(
        scope=agent(firm),
        employer_id=firm.pk,
        year=2025,
        wages=[(low.pk, Decimal("3000")), (mid.pk, Decimal("9000.5")), (high.pk, Decimal("40000"))],
    )
    # Tianjin 2025: floor 5013, ceiling 25065 (60 % / 300 % of 8355)
    assert [(line.base, line.clamped) for line in lines] == [
        (Decimal("5013.00"), "floor"),
        (Decimal("9000.50"), ""),
        (Decimal("25065.00"), "ceiling"),
    ]
    assert ContributionBase.objects.get(person=high, year=2025).declared_wage_fen == 4_000_000


def test_band_from_ratios_where_no_published_limits(firm):
    person = employee(firm, start=dt.date(2024, 1, 1), wage=None)
    [line] = services.base_declare(scope=agent(firm), employer_id=firm.pk, year=2024, wages=[(person.pk, Decimal("1"))])
    assert line.base == Decimal("4751.40")  # 60 % × 7919 (2024 average wage)


def test_redeclaring_replaces_and_keeps_history(firm):
    person = employee(firm, wage=Decimal("9000"))
    services.base_declare(scope=agent(firm), employer_id=firm.pk, year=2025, wages=[(person.pk, Decimal("9500"))])
    base = ContributionBase.objects.get(person=person, year=2025)
    assert base.base_fen == 950_000
    assert base.history.count() == 2


def test_only_enrolled_employees_can_be_declared(firm):
    person = make_person()
    make_employment(person, firm, start=JAN)
    with pytest.raises(InvalidInput):
        services.base_declare(scope=agent(firm), employer_id=firm.pk, year=2025, wages=[(person.pk, Decimal("9000"))])


def test_flexible_worker_chooses_within_the_band():
    person = flexible_worker(base=Decimal("5013"))
    assert ContributionBase.objects.get(person=person, year=2025).base_fen == 501_300
    with pytest.raises(InvalidInput) as error:
        services.base_choose(scope=citizen(person), person_id=person.pk, year=2025, base=Decimal("5000"))
    assert "5013.00" in str(error.value.message) and "25065.00" in str(error.value.message)


def test_employees_do_not_choose_their_own_base(firm):
    person = employee(firm)
    with pytest.raises(InvalidInput):
        services.base_choose(scope=citizen(person), person_id=person.pk, year=2025, base=Decimal("9000"))
