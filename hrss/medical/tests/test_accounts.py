"""Personal accounts credited month by month (个人账户划入, S4): an employee's own medical
contribution once the employer has paid the month, a retiree's fixed amount, nothing for a
resident or after death; a rerun credits nothing, arrears paid later and corrections are
credited as differences; the citizen sees the credits on the page and through the API."""

from __future__ import annotations

import datetime as dt
import io
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hrss.core.models import AuditEntry
from hrss.identity.auth import token_create
from hrss.insurance import services as insurance
from hrss.insurance.tests.builders import clerk, employee
from hrss.medical import services
from hrss.medical.models import AccountCredit, AccountRule, Insured
from hrss.medical.services.accounts import accounts_credit, rules_in_force
from hrss.medical.tests.builders import SYSTEM
from hrss.testing import make_employer, make_person, make_user, sign_in

pytestmark = pytest.mark.django_db
MARCH = dt.date(2025, 3, 1)


def enrol(person, category: str = "employee", balance: str = "0") -> None:
    services.insured_enrol(
        scope=SYSTEM,
        person=person,
        category=category,
        region="120100",
        since=dt.date(2015, 1, 1),
        account_balance=Decimal(balance),
    )


def pay(employer, amount: str, reference: str) -> None:
    text = f"credit_code,id_number,period,amount,paid_on,reference\n{employer.credit_code},,2025-03,{amount},2025-03-25,{reference}\n"
    insurance.payment_file_post(
        scope=clerk(), stream=io.BytesIO(text.encode()), filename=f"{reference}.csv", source="bank"
    )


def balance(person) -> Decimal:
    return Insured.objects.get(person=person).account_balance


def credits(person) -> list[tuple[str, int, Decimal]]:
    rows = AccountCredit.objects.filter(person=person).order_by("period", "revision")
    return [(row.basis, row.revision, row.amount) for row in rows]


@pytest.fixture
def city():
    software = make_employer(name="软件公司", industry="65")
    builder = make_employer(name="建筑公司", industry="47")
    coder = employee(software, wage=Decimal("10000"), name="程序员")
    mason = employee(builder, wage=Decimal("7000"), name="瓦工")
    insurance.contribution_assess_month(period=MARCH)
    pay(software, "3520.00", "S1")  # the month in full
    pay(builder, "2000.00", "B1")  # 2,541.00 due: in arrears
    retired, resident = make_person(name="退休者"), make_person(name="居民")
    late = make_person(name="已故者", death_date=dt.date(2025, 2, 10))
    for person, category in ((coder, "employee"), (mason, "employee"), (retired, "retiree"), (late, "retiree")):
        enrol(person, category, balance="100")
    enrol(resident, "resident")
    return {"software": software, "builder": builder, "coder": coder, "mason": mason, "retired": retired,
            "resident": resident, "late": late}  # fmt: skip


def test_the_rules_are_dated_data_with_one_figure_each():
    tianjin = rules_in_force(MARCH)
    assert tianjin[("120100", "employee")].share == Decimal("1.0000")
    assert tianjin[("120100", "retiree")].amount == Decimal("70.00")
    assert ("120100", "resident") not in tianjin
    assert rules_in_force(dt.date(2024, 12, 1)) == {}  # before the figures of this data set
    assert all(rule.source for rule in AccountRule.objects.all())


def test_own_contributions_paid_and_retirees_amounts_are_credited_once(city):
    run = accounts_credit(scope=SYSTEM, through=MARCH, months=1)
    # 10,000 × 2 % = 200.00 (the builder has not paid the month: nothing for the mason yet)
    assert credits(city["coder"]) == [("contribution", 0, Decimal("200.00"))]
    assert balance(city["coder"]) == Decimal("300.00")
    assert credits(city["mason"]) == [] and balance(city["mason"]) == Decimal("100.00")
    assert credits(city["retired"]) == [("fixed", 0, Decimal("70.00"))]
    assert balance(city["retired"]) == Decimal("170.00")
    assert credits(city["resident"]) == [] and credits(city["late"]) == []
    assert (run.credits, run.total) == (2, Decimal("270.00"))
    assert AuditEntry.objects.filter(action="medical.accounts_credit").count() == 1

    again = accounts_credit(scope=SYSTEM, through=MARCH, months=1)
    assert (again.credits, again.total) == (0, Decimal("0.00"))
    assert balance(city["coder"]) == Decimal("300.00") and balance(city["retired"]) == Decimal("170.00")
    assert AuditEntry.objects.filter(action="medical.accounts_credit").count() == 1


def test_arrears_paid_later_and_a_correction_are_credited_as_differences(city):
    accounts_credit(scope=SYSTEM, through=MARCH, months=1)
    pay(city["builder"], "541.00", "B2")  # the rest of the month
    insurance.contribution_correct(
        scope=clerk(),
        person_id=city["coder"].pk,
        period=MARCH,
        insurance_type="medical_employee",
        base=Decimal("9000"),
        reason="wage declared wrongly",
    )
    run = accounts_credit(scope=SYSTEM, through=dt.date(2025, 4, 15), months=2)
    assert credits(city["mason"]) == [("contribution", 0, Decimal("140.00"))]  # 7,000 × 2 %
    assert credits(city["coder"]) == [("contribution", 0, Decimal("200.00")), ("contribution", 1, Decimal("-20.00"))]
    assert balance(city["coder"]) == Decimal("280.00")
    # April: nothing assessed yet for the employees; the retiree's amount for the month.
    assert credits(city["retired"]) == [("fixed", 0, Decimal("70.00")), ("fixed", 0, Decimal("70.00"))]
    assert run.credits == 3 and run.total == Decimal("190.00")


def test_a_run_costs_the_same_queries_for_more_persons(city):
    def cost() -> int:
        with CaptureQueriesContext(connection) as captured:
            accounts_credit(scope=SYSTEM, through=MARCH, months=1)
        AccountCredit.objects.all().delete()
        return len(captured)

    few = cost()
    for n in range(6):
        enrol(make_person(name=f"退休{n}"), "retiree")
    assert cost() == few


def test_the_citizen_sees_the_credits_on_the_page_and_through_the_api(city):
    accounts_credit(scope=SYSTEM, through=MARCH, months=1)
    user = make_user("account-citizen", "citizen", person=city["coder"])
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=user)}")
    listed = api.get("/api/v1/medical/me/account-credits").json()
    assert [(row["period"], row["basis"], row["amount"]) for row in listed] == [
        ("2025-03-01", "contribution", "200.00")
    ]
    assert listed[0]["basis_label"] == "按个人缴费比例划入"
    assert api.get("/api/v1/medical/me/insurance").json()["has_account"] is True
    browser = Client()
    sign_in(browser, user, second_factor=False)
    page = browser.get("/medical/").content.decode()
    assert "个人账户划入记录" in page and "2025-03" in page and "200.00" in page

    resident = make_user("account-resident", "citizen", person=city["resident"])
    browser = Client()
    sign_in(browser, resident, second_factor=False)
    assert "个人账户划入记录" not in browser.get("/medical/").content.decode()


def test_the_job_credits_through_the_schedule(city):
    from hrss.core import schedule

    first = schedule.job_run("medical.accounts_credit").counts
    assert first["credits"] >= 1  # the retiree's months of the last year at least
    assert schedule.job_run("medical.accounts_credit").counts == {"enrolled": 0, "changed": 0, "credits": 0}


@pytest.mark.django_db(transaction=True)
def test_runs_at_the_same_time_credit_once():
    if connection.vendor != "postgresql":
        pytest.skip("two writing connections need PostgreSQL (SQLite's test database is in memory)")
    retirees = [make_person(name=f"退休{n}") for n in range(5)]
    for person in retirees:
        enrol(person, "retiree")
    barrier = threading.Barrier(3)
    runs: list[int] = []

    def run() -> None:
        try:
            barrier.wait(timeout=10)
            runs.append(accounts_credit(scope=SYSTEM, through=MARCH, months=1).credits)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(runs) == [0, 0, 5]
    assert AccountCredit.objects.count() == 5
    assert {balance(person) for person in retirees} == {Decimal("70.00")}
