"""Payment files with mismatches, arrears and late fee, account credits and yearly interest."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db.models import Sum

from hrss.core.errors import Conflict, InvalidInput
from hrss.insurance import rules, services
from hrss.insurance.models import AccountEntry, Payment
from hrss.insurance.selectors import contributions as selectors
from hrss.insurance.selectors import payments as payment_reads
from hrss.insurance.tests.builders import agent, citizen, clerk, employee, flexible_worker
from hrss.testing import make_credit_code, make_employer

pytestmark = pytest.mark.django_db
MARCH, APRIL = dt.date(2025, 3, 1), dt.date(2025, 4, 1)


@pytest.fixture
def city():
    software = make_employer(name="软件公司", industry="65")
    builder = make_employer(name="建筑公司", industry="47")
    coder = employee(software, wage=Decimal("10000"), name="程序员")
    mason = employee(builder, wage=Decimal("7000"), name="瓦工")
    rider = flexible_worker(base=Decimal("8355"), name="骑手")
    services.contribution_assess_month(period=MARCH)
    return {"software": software, "builder": builder, "coder": coder, "mason": mason, "rider": rider}


def due(employer=None, person=None, period=MARCH):
    return rules.from_fen(payment_reads.due_fen(period=period, employer_id=employer, person_id=person))


def post(text, *, source="bank", name="bank.csv"):
    return services.payment_file_post(scope=clerk(), stream=io.BytesIO(text.encode()), filename=name, source=source)


def test_payment_file_with_mismatches_is_reported(city):
    software, builder = city["software"], city["builder"]
    software_due, builder_due, rider_due = due(software.pk), due(builder.pk), due(person=city["rider"].pk)
    # 10000 × (16+8+6+2+2+1+0.2) % = 3520.00; 7000 × (16+8+6+2+2+1+1.3) % = 2541.00; 8355 × 20 % = 1671.00
    assert (software_due, builder_due, rider_due) == (Decimal("3520.00"), Decimal("2541.00"), Decimal("1671.00"))
    text = "\n".join(
        [
            "credit_code,id_number,period,amount,paid_on,reference",
            f"{software.credit_code},,2025-03,3520.00,2025-03-25,B1",
            f"{builder.credit_code},,2025-03,2000.00,2025-03-28,B2",
            f",{city['rider'].id_number},2025-03,1700.00,2025-03-20,B3",
            f"{builder.credit_code},,2025-02,500.00,2025-03-28,B4",
            f"{make_credit_code()},,2025-03,100.00,2025-03-28,B5",
            f"{software.credit_code},,2025-13,1.00,2025-03-28,B6",
            f"{software.credit_code},,2025-03,12.345,2025-03-28,B7",
        ]
    )
    posted = post(text)
    assert (
        posted.rows_total,
        posted.rows_matched,
        posted.rows_different,
        posted.rows_unmatched,
        posted.rows_invalid,
    ) == (
        7,
        1,
        3,
        1,
        2,
    )
    report = {entry["row"]: entry for entry in posted.report}
    assert report[3]["outcome"] == "underpaid" and report[3]["difference"] == "-541.00"
    assert report[4]["outcome"] == "overpaid" and report[4]["difference"] == "29.00"
    assert report[5]["outcome"] == "nothing_due"
    assert report[6]["outcome"] == "unknown_payer"
    assert report[7]["outcome"] == "invalid" and report[8]["outcome"] == "invalid"
    assert "********" in report[4]["payer"]  # ID numbers are masked in the report
    assert Payment.objects.count() == 4
    with pytest.raises(Conflict):
        post(text)


def test_accounts_are_credited_once_the_month_is_settled(city):
    software, builder = city["software"], city["builder"]
    post(
        "credit_code,id_number,period,amount,paid_on,reference\n"
        f"{software.credit_code},,2025-03,3520.00,2025-03-25,B1\n"
        f"{builder.credit_code},,2025-03,2000.00,2025-03-28,B2\n"
    )
    coder = selectors.person_account(scope=citizen(city["coder"]), person_id=city["coder"].pk)
    assert coder.balance == Decimal("800.00")  # 8 % of 10000
    assert [(e.kind, e.amount) for e in coder.entries] == [("contribution", Decimal("800.00"))]
    mason = selectors.person_account(scope=citizen(city["mason"]), person_id=city["mason"].pk)
    assert mason.balance == 0  # the builder has not paid in full yet
    post(
        f"credit_code,id_number,period,amount,paid_on,reference\n{builder.credit_code},,2025-03,541.00,2025-04-10,B9\n",
        name="bank2.csv",
    )
    assert selectors.person_account(scope=citizen(city["mason"]), person_id=city["mason"].pk).balance == Decimal(
        "560.00"
    )
    # crediting again changes nothing
    assert services.account_credit_period(period=MARCH) == 0
    assert AccountEntry.objects.count() == 2


def test_arrears_and_late_fee(city):
    builder = city["builder"]
    post(
        f"credit_code,id_number,period,amount,paid_on,reference\n{builder.credit_code},,2025-03,2000.00,2025-03-28,B2\n"
    )
    [arrear] = selectors.employer_arrears(scope=agent(builder), employer_id=builder.pk, as_of=dt.date(2025, 4, 30))
    assert (arrear.outstanding, arrear.due_date, arrear.overdue_days) == (
        Decimal("541.00"),
        dt.date(2025, 3, 31),
        30,
    )
    assert arrear.late_fee == Decimal("8.12")  # 541 × 0.05 % × 30 = 8.115
    statement = selectors.employer_statement(
        scope=agent(builder), employer_id=builder.pk, period=MARCH, as_of=dt.date(2025, 4, 30)
    )
    assert (statement.due, statement.paid, statement.outstanding, statement.late_fee) == (
        Decimal("2541.00"),
        Decimal("2000.00"),
        Decimal("541.00"),
        Decimal("8.12"),
    )
    assert {line.insurance_type for line in statement.lines} == {
        "pension_enterprise",
        "medical_employee",
        "unemployment",
        "work_injury",
    }


def test_bad_files_are_refused(city):
    with pytest.raises(InvalidInput):
        post("who,what\n1,2\n")
    with pytest.raises(InvalidInput):
        services.payment_file_post(scope=clerk(), stream=io.BytesIO(b"\xff\xfe"), filename="x.csv", source="bank")


def test_yearly_interest_matches_the_rule(city):
    # Twelve paid months of 2024 for the flexible worker, then the 2024 interest.
    rider = city["rider"]
    services.base_choose(scope=citizen(rider), person_id=rider.pk, year=2024, base=Decimal("7919"))
    from hrss.insurance.models import Enrolment

    Enrolment.objects.filter(person=rider).update(start_month=dt.date(2024, 1, 1))
    lines = []
    for month in range(1, 13):
        period = dt.date(2024, month, 1)
        services.contribution_assess_month(period=period)
        amount = payment_reads.due_fen(period=period, person_id=rider.pk)
        lines.append(f",{rider.id_number},2024-{month:02d},{rules.from_fen(amount)},2024-{month:02d}-20,R{month}")
    post("credit_code,id_number,period,amount,paid_on,reference\n" + "\n".join(lines) + "\n", name="2024.csv")
    credits = list(
        AccountEntry.objects.filter(person=rider, kind="contribution").values_list("posted_on", "amount_fen")
    )
    assert len(credits) == 12 and {amount for _day, amount in credits} == {63_352}  # 7919 × 8 %
    assert services.account_interest_credit_year(year=2024) >= 1
    interest = AccountEntry.objects.get(person=rider, kind="interest", year=2024)
    expected = rules.account_interest_fen(
        opening_fen=0, credits=[(day.month, amount) for day, amount in credits], annual_rate=Decimal("0.0262")
    )
    assert interest.amount_fen == expected == 10_789  # 760224 fen × 2.62 % × 13/24 = 10788.9, half-up
    assert services.account_interest_credit_year(year=2024) == 0  # once a year
    # the next year's interest runs on the whole opening balance, interest included
    opening = AccountEntry.objects.filter(person=rider, posted_on__lte=dt.date(2024, 12, 31)).aggregate(
        total=Sum("amount_fen")
    )["total"]
    assert opening == 12 * 63_352 + 10_789


def test_transfer_in_adds_balance_and_months(city):
    rider = city["rider"]
    services.transfer_record(
        scope=clerk(),
        person_id=rider.pk,
        direction="in",
        other_region="110000",
        contribution_months=60,
        account_amount=Decimal("30000"),
        effective_on=dt.date(2025, 2, 1),
    )
    view = selectors.person_account(scope=citizen(rider), person_id=rider.pk)
    assert view.balance == Decimal("30000.00") and view.contribution_months == 61  # 60 + March 2025
    out = services.transfer_record(
        scope=clerk(),
        person_id=rider.pk,
        direction="out",
        other_region="310000",
        contribution_months=0,
        account_amount=None,
        effective_on=dt.date(2025, 5, 1),
    )
    assert out.account_fen == 3_000_000 and out.contribution_months == 61
    assert selectors.person_account(scope=citizen(rider), person_id=rider.pk).balance == 0


def test_contributions_by_month_net_of_corrections(city):
    coder = city["coder"]
    services.contribution_correct(
        scope=clerk(),
        person_id=coder.pk,
        period=MARCH,
        insurance_type="pension_enterprise",
        base=Decimal("12000"),
        reason="late pay rise",
    )
    months = selectors.person_contributions(scope=citizen(coder), person_id=coder.pk, year=2025)
    pension = next(m for m in months if m.insurance_type == "pension_enterprise")
    assert (pension.base, pension.employer_amount, pension.individual_amount, pension.corrected) == (
        Decimal("12000.00"),
        Decimal("1920.00"),
        Decimal("960.00"),
        True,
    )
    assert pension.employer_id == city["software"].pk
    assert len(months) == 4


def test_payments_command_reports_the_rows(city, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    path = tmp_path / "tax.csv"
    path.write_text(
        "credit_code,id_number,period,amount,paid_on,reference\n"
        f"{city['software'].credit_code},,2025-03,3000.00,2025-03-25,T1\n"
    )
    out = StringIO()
    call_command("insurance", "payments", str(path), "--source", "tax", stdout=out)
    assert "1 rows: 0 matched, 1 with a difference" in out.getvalue()
    assert "underpaid" in out.getvalue()
