"""The insured derived from the insurance ledger (参保信息同步, S4): an employee in medical
insurance through an employer is insured here as 在职职工 from the first month of the spell, a
pensioner becomes 退休人员, a resident who took a job becomes 在职职工; never back; each change
audited; a rerun changes nothing; pages of any size give the same result."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from hrss.core.models import AuditEntry
from hrss.insurance import services as insurance
from hrss.insurance.services import benefits
from hrss.insurance.tests.builders import ALL_TYPES, agent, clerk, employee, retiree
from hrss.medical import services
from hrss.medical.models import Insured
from hrss.medical.services import insured as insured_services
from hrss.medical.tests.builders import SYSTEM
from hrss.testing import make_employer, make_employment, make_person

pytestmark = pytest.mark.django_db
ON = dt.date(2025, 9, 15)


def category(person) -> str | None:
    row = Insured.objects.filter(person=person).first()
    return row.category_id if row else None


@pytest.fixture
def ledger():
    firm = make_employer(name="软件公司", industry="65")
    coder = employee(firm, start=dt.date(2025, 3, 1), wage=Decimal("10000"), name="程序员")
    hired = make_person(name="新入职居民")
    services.insured_enrol(scope=SYSTEM, person=hired, category="resident", region="120100", since=dt.date(2020, 1, 1))
    make_employment(hired, firm, start=dt.date(2025, 6, 1))  # the resident takes a job
    insurance.enrolment_start(
        scope=agent(firm),
        person_id=hired.pk,
        employer_id=firm.pk,
        insurance_types=ALL_TYPES,
        start_month=dt.date(2025, 6, 1),
    )
    pensioner, _factory = retiree()
    award = benefits.pension_award_compute(scope=clerk(), person_id=pensioner.pk)
    benefits.pension_award_grant(scope=clerk(), computation=award)
    outsider = make_person(name="未参保")
    return {"coder": coder, "pensioner": pensioner, "outsider": outsider, "hired": hired, "firm": firm}


def test_employees_and_pensioners_are_insured_from_the_ledger(ledger):
    done = services.insured_sync(scope=SYSTEM, on=ON)
    coder = Insured.objects.get(person=ledger["coder"])
    assert (coder.category_id, coder.region, coder.since) == ("employee", "120100", dt.date(2025, 3, 1))
    assert category(ledger["pensioner"]) == "retiree"
    assert category(ledger["outsider"]) is None
    assert category(ledger["hired"]) == "employee"  # a resident who took a job
    assert done == {"enrolled": 2, "changed": 1}
    assert services.insured_sync(scope=SYSTEM, on=ON) == {"enrolled": 0, "changed": 0}
    assert AuditEntry.objects.filter(action="medical.insured_sync").count() == 1


def test_an_employee_retires_a_resident_takes_a_job_and_nobody_goes_back(ledger, settings):
    services.insured_enrol(
        scope=SYSTEM, person=ledger["pensioner"], category="employee", region="120100", since=dt.date(2025, 1, 1)
    )
    services.insured_enrol(
        scope=SYSTEM, person=ledger["coder"], category="resident", region="110100", since=dt.date(2019, 1, 1)
    )
    done = services.insured_sync(scope=SYSTEM, on=ON)
    assert done == {"enrolled": 0, "changed": 3}
    assert category(ledger["pensioner"]) == "retiree"
    coder = Insured.objects.get(person=ledger["coder"])
    assert (coder.category_id, coder.region, coder.since) == ("employee", "120100", dt.date(2019, 1, 1))
    changes = AuditEntry.objects.filter(action="medical.category_change").order_by("object_id")
    assert sorted((e.detail["from"], e.detail["to"]) for e in changes) == [
        ("employee", "retiree"),
        ("resident", "employee"),
        ("resident", "employee"),
    ]
    # A retiree recorded by hand stays one, though the ledger still shows them at work.
    services.insured_enrol(
        scope=SYSTEM, person=ledger["coder"], category="retiree", region="120100", since=dt.date(2019, 1, 1)
    )
    assert services.insured_sync(scope=SYSTEM, on=ON) == {"enrolled": 0, "changed": 0}
    assert category(ledger["coder"]) == "retiree"


def test_pages_of_any_size_give_the_same_insured(ledger, monkeypatch):
    firm = ledger["firm"]
    for n in range(7):
        employee(firm, start=dt.date(2025, 4, 1), wage=Decimal("9000"), name=f"职工{n}")
    monkeypatch.setattr(insured_services, "CHUNK", 2)
    done = services.insured_sync(scope=SYSTEM, on=ON)
    assert done == {"enrolled": 9, "changed": 1}
    assert Insured.objects.filter(category_id="employee").count() == 9
    assert Insured.objects.filter(category_id="retiree").count() == 1


def test_the_job_derives_through_the_schedule(ledger):
    from hrss.core import schedule

    assert schedule.job_run("medical.insured_sync").counts["enrolled"] >= 1
    assert schedule.job_run("medical.insured_sync").counts == {"enrolled": 0, "changed": 0}
