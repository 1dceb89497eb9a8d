"""Monthly assessment: amounts, idempotence, crash and resume, totals = sum of lines, corrections."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Count, Sum

from hrss.codes.identifiers import parse_id_number
from hrss.core.errors import InvalidInput, NotFound
from hrss.insurance import rules, services
from hrss.insurance.models import (
    AssessmentRun,
    ContributionBase,
    ContributionLine,
    ContributionMonth,
    Correction,
    EmployerMonthTotal,
    EmployerPeriodTotal,
)
from hrss.insurance.services import assessment
from hrss.insurance.tests.builders import agent, clerk, employee, flexible_worker
from hrss.registry.services import person_apply
from hrss.testing import make_employer, make_employment

pytestmark = pytest.mark.django_db
MARCH = dt.date(2025, 3, 1)

# Rates in force in March 2025 (seeded parameters), in parts per million.
PENSION = (160_000, 80_000, 80_000)
MEDICAL = (60_000, 20_000, 0)
UNEMPLOYMENT = (20_000, 10_000, 0)


def expected(base_yuan: str, employer_ppm: int, individual_ppm: int, account_ppm: int) -> tuple[int, int, int]:
    base = rules.to_fen(Decimal(base_yuan))
    return (
        rules.amount_fen(base, employer_ppm),
        rules.amount_fen(base, individual_ppm),
        rules.amount_fen(base, account_ppm),
    )


@pytest.fixture
def city():
    software = make_employer(name="软件公司", industry="65")  # work-injury class 1: 0.2 %
    builder = make_employer(name="建筑公司", industry="47")  # class 6: 1.3 %
    people = {
        "coder": employee(software, wage=Decimal("9000.33"), name="程序员"),
        "intern": employee(software, wage=Decimal("2000"), name="实习生"),  # clamped to 5013
        "boss": employee(software, wage=Decimal("99999"), name="老板"),  # clamped to 25065
        "mason": employee(builder, wage=Decimal("7000"), name="瓦工"),
        "rider": flexible_worker(base=Decimal("8355"), name="骑手"),
    }
    return {"software": software, "builder": builder, **people}


def snapshot():
    lines = sorted(
        ContributionLine.objects.values_list(
            "period", "person_id", "insurance_type", "kind", "revision", "base_fen", "employer_fen", "individual_fen"
        )
    )
    totals = sorted(
        EmployerPeriodTotal.objects.values_list(
            "period", "employer_id", "insurance_type", "persons", "employer_fen", "individual_fen"
        )
    )
    return lines, totals


def assert_totals_equal_lines(period=MARCH):
    from_lines = {
        (row["employer_id"], row["insurance_type"]): (row["e"], row["i"])
        for row in ContributionLine.objects.filter(period=period, employer__isnull=False)
        .values("employer_id", "insurance_type")
        .annotate(e=Sum("employer_fen"), i=Sum("individual_fen"))
    }
    totals = {
        (t.employer_id, t.insurance_type): (t.employer_fen, t.individual_fen)
        for t in EmployerPeriodTotal.objects.filter(period=period)
    }
    assert totals == from_lines


def test_assessment_computes_every_line(city):
    run = services.contribution_assess_month(period=MARCH, chunks=4)
    assert (run.status, run.chunks_done, run.chunks_total) == ("completed", 4, 4)
    assert run.rows_inserted == 4 + 1  # one row per person and payer: 4 employees, 1 flexible worker
    assert ContributionLine.objects.count() == 4 * 4 + 1  # read as lines: the flexible worker has pension only
    line = ContributionLine.objects.get(person=city["coder"], insurance_type="pension_enterprise")
    assert line.base_fen == 900_033
    assert (line.employer_fen, line.individual_fen, line.account_fen) == expected("9000.33", *PENSION)
    assert (line.employer_fen, line.individual_fen) == (144_005, 72_003)  # 1440.0528 -> 1440.05, 720.0264 -> 720.03
    medical = ContributionLine.objects.get(person=city["intern"], insurance_type="medical_employee")
    assert (medical.base_fen, medical.employer_fen, medical.individual_fen) == (
        501_300,
        *expected("5013", *MEDICAL)[:2],
    )
    unemployment = ContributionLine.objects.get(person=city["boss"], insurance_type="unemployment")
    assert unemployment.base_fen == 2_506_500
    assert (unemployment.employer_fen, unemployment.individual_fen) == expected("25065", *UNEMPLOYMENT)[:2]
    injury = ContributionLine.objects.get(person=city["mason"], insurance_type="work_injury")
    assert (injury.employer_ppm, injury.employer_fen, injury.individual_fen) == (13_000, 9_100, 0)  # 7000 × 1.3 %
    flexible = ContributionLine.objects.get(person=city["rider"])
    assert (flexible.category, flexible.employer_id, flexible.employer_fen) == ("flexible", None, 0)
    assert (flexible.individual_fen, flexible.account_fen) == (167_100, 66_840)  # 8355 × 20 %, × 8 %
    assert_totals_equal_lines()
    total = EmployerPeriodTotal.objects.get(employer=city["software"], insurance_type="pension_enterprise")
    assert total.persons == 3
    assert run.evidence["base_floor"] == "5013.00"


def test_running_a_period_twice_changes_nothing(city):
    services.contribution_assess_month(period=MARCH, chunks=3)
    before = snapshot()
    again = services.contribution_assess_month(period=MARCH, chunks=3)
    assert again.attempts == 1  # a completed month is left alone
    rechecked = services.contribution_assess_month(period=MARCH, recheck=True)
    assert (rechecked.status, rechecked.attempts, rechecked.rows_inserted) == ("completed", 2, 5)
    assert snapshot() == before


def test_recheck_adds_a_late_enrolment_and_its_employers_totals(city):
    services.contribution_assess_month(period=MARCH, chunks=2)
    late = employee(city["builder"], start=MARCH, wage=Decimal("6000"), name="补录")
    run = services.contribution_assess_month(period=MARCH, recheck=True)
    assert run.rows_inserted == 5 + 1
    assert ContributionLine.objects.filter(person=late, period=MARCH).count() == 4
    assert EmployerPeriodTotal.objects.get(employer=city["builder"], insurance_type="medical_employee").persons == 2
    assert_totals_equal_lines()


def test_recheck_appends_an_insurance_enrolled_late_and_leaves_the_assessed_row_alone(city):
    partial = employee(city["builder"], start=MARCH, types=["pension_enterprise", "medical_employee"], name="半保")
    services.contribution_assess_month(period=MARCH)
    first = ContributionMonth.objects.get(person=partial)
    assert (first.revision, first.unemployment_employer_fen, first.pension_employer_fen) == (0, None, 144_000)
    services.enrolment_start(
        scope=agent(city["builder"]),
        person_id=partial.pk,
        employer_id=city["builder"].pk,
        insurance_types=["unemployment"],
        start_month=MARCH,
    )
    run = services.contribution_assess_month(period=MARCH, recheck=True)
    assert run.rows_inserted == 5 + 1 + 1
    rows = list(ContributionMonth.objects.filter(person=partial).order_by("revision"))
    assert [(r.kind, r.revision) for r in rows] == [("assessed", 0), ("assessed", 1)]
    assert rows[0].unemployment_employer_fen is None  # the first row is never touched
    assert (rows[1].pension_employer_fen, rows[1].unemployment_employer_fen) == (None, 18_000)  # 9000 × 2 %
    by_type = {line.insurance_type: line.revision for line in ContributionLine.objects.filter(person=partial)}
    assert by_type == {"pension_enterprise": 0, "medical_employee": 0, "unemployment": 1}
    assert EmployerPeriodTotal.objects.get(employer=city["builder"], insurance_type="unemployment").persons == 2
    assert_totals_equal_lines()
    again = services.contribution_assess_month(period=MARCH, recheck=True)
    assert again.rows_inserted == 7  # nothing more


def test_insurances_through_two_employers_are_two_rows_of_the_month(city):
    # the coder's work injury moves from the software firm to the builder's site
    services.enrolment_stop(
        scope=agent(city["software"]),
        person_id=city["coder"].pk,
        employer_id=city["software"].pk,
        insurance_types=["work_injury"],
        last_month=dt.date(2025, 2, 1),
        reason="other",
    )
    make_employment(city["coder"], city["builder"], start=MARCH)
    services.enrolment_start(
        scope=agent(city["builder"]),
        person_id=city["coder"].pk,
        employer_id=city["builder"].pk,
        insurance_types=["work_injury"],
        start_month=MARCH,
    )
    services.contribution_assess_month(period=MARCH)
    rows = {row.employer_id: row for row in ContributionMonth.objects.filter(person=city["coder"])}
    assert set(rows) == {city["software"].pk, city["builder"].pk}
    assert rows[city["builder"].pk].work_injury_employer_fen == 11_700  # 9000.33 × 1.3 % = 117.004
    assert rows[city["software"].pk].work_injury_employer_fen is None
    assert_totals_equal_lines()


def test_crash_in_the_middle_then_rerun_gives_exact_totals(city, monkeypatch):
    services.contribution_assess_month(period=MARCH, chunks=8)
    clean = snapshot()
    ContributionMonth.objects.all().delete()
    EmployerMonthTotal.objects.all().delete()
    AssessmentRun.objects.all().delete()

    calls = {"n": 0}
    real = assessment.employer_totals_refresh

    def crash_on_fifth_chunk(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 5:
            raise RuntimeError("power cut")
        return real(*args, **kwargs)

    monkeypatch.setattr(assessment, "employer_totals_refresh", crash_on_fifth_chunk)
    with pytest.raises(RuntimeError, match="power cut"):
        services.contribution_assess_month(period=MARCH, chunks=8)
    run = AssessmentRun.objects.get(period=MARCH)
    assert (run.status, run.chunks_done) == ("failed", 4)
    assert "power cut" in run.error
    # the chunk in flight left nothing behind: every employer with lines has its totals
    assert_totals_equal_lines()
    # Chunks split the key space of random UUIDs, so which persons the first four chunks
    # held varies from run to run; what matters is that no more than a clean run was written.
    partial = ContributionLine.objects.count()
    assert partial <= len(clean[0])

    monkeypatch.setattr(assessment, "employer_totals_refresh", real)
    resumed = services.contribution_assess_month(period=MARCH)
    assert (resumed.status, resumed.chunks_done, resumed.attempts) == ("completed", 8, 2)
    assert resumed.rows_inserted == ContributionMonth.objects.count()
    assert snapshot() == clean
    assert_totals_equal_lines()


def test_base_falls_back_to_last_year_clamped_then_to_the_floor(city):
    software = city["software"]
    old = employee(software, start=dt.date(2024, 1, 1), wage=Decimal("30000"), name="老员工")  # 2024 base 23757
    undeclared = employee(software, start=dt.date(2025, 1, 1), wage=None, name="未申报")
    assert not ContributionBase.objects.filter(person=old, year=2025).exists()
    services.contribution_assess_month(period=MARCH)
    assert ContributionLine.objects.get(person=old, insurance_type="pension_enterprise").base_fen == 2_375_700
    assert ContributionLine.objects.get(person=undeclared, insurance_type="pension_enterprise").base_fen == 501_300


def test_stopped_and_deceased_are_not_assessed(city):
    services.enrolment_stop(
        scope=agent(city["builder"]),
        person_id=city["mason"].pk,
        employer_id=city["builder"].pk,
        insurance_types=["pension_enterprise", "medical_employee", "unemployment", "work_injury"],
        last_month=dt.date(2025, 2, 1),
        reason="left_employer",
    )
    person_apply(
        id_number=parse_id_number(city["boss"].id_number),
        values={"death_date": dt.date(2025, 2, 10)},
        source="civil_affairs",
    )
    services.contribution_assess_month(period=MARCH)
    assessed = set(ContributionLine.objects.values_list("person_id", flat=True))
    assert city["mason"].pk not in assessed and city["boss"].pk not in assessed
    assert not EmployerPeriodTotal.objects.filter(employer=city["builder"]).exists()


def test_floating_work_injury_rate(city):
    services.work_injury_rate_change(
        scope=clerk(), employer_id=city["builder"].pk, risk_class=6, floating_percent=150, from_month=MARCH
    )
    services.contribution_assess_month(period=MARCH)
    line = ContributionLine.objects.get(person=city["mason"], insurance_type="work_injury")
    assert (line.employer_ppm, line.employer_fen) == (19_500, 13_650)  # 1.3 % × 150 % of 7000


def test_missing_parameter_fails_before_anything_is_written(city):
    from hrss.codes.selectors import ParameterMissing

    with pytest.raises(ParameterMissing):
        services.contribution_assess_month(period=dt.date(1980, 1, 1))
    assert not AssessmentRun.objects.exists()


# --- corrections ----------------------------------------------------------------------


def test_correction_reverses_and_replaces_never_updates(city):
    services.contribution_assess_month(period=MARCH)
    original = ContributionLine.objects.get(person=city["coder"], insurance_type="pension_enterprise")
    correction = services.contribution_correct(
        scope=clerk(),
        person_id=city["coder"].pk,
        period=MARCH,
        insurance_type="pension_enterprise",
        base=Decimal("10000"),
        reason="wage declared wrongly",
    )
    assert (correction.revision, correction.old_base_fen, correction.new_base_fen) == (1, 900_033, 1_000_000)
    lines = ContributionLine.objects.filter(person=city["coder"], insurance_type="pension_enterprise")
    assert sorted(lines.values_list("kind", "revision", "base_fen")) == [
        ("adjustment", 1, 1_000_000),
        ("assessed", 0, 900_033),
        ("reversal", 1, -900_033),
    ]
    original.refresh_from_db()
    assert original.employer_fen == 144_005  # untouched
    net = lines.aggregate(e=Sum("employer_fen"), i=Sum("individual_fen"), a=Sum("account_fen"))
    assert (net["e"], net["i"], net["a"]) == (160_000, 80_000, 80_000)
    assert_totals_equal_lines()

    services.contribution_correct(
        scope=clerk(),
        person_id=city["coder"].pk,
        period=MARCH,
        insurance_type="pension_enterprise",
        base=Decimal("9500"),
        reason="second thoughts",
    )
    assert lines.aggregate(b=Sum("base_fen"))["b"] == 950_000
    assert Correction.objects.filter(person=city["coder"]).count() == 2
    assert_totals_equal_lines()
    # the assessment rerun leaves corrections alone
    services.contribution_assess_month(period=MARCH, recheck=True)
    assert lines.aggregate(b=Sum("base_fen"))["b"] == 950_000
    assert_totals_equal_lines()


def test_correction_needs_an_assessed_month_and_a_base_in_the_band(city):
    services.contribution_assess_month(period=MARCH)
    with pytest.raises(NotFound):
        services.contribution_correct(
            scope=clerk(),
            person_id=city["coder"].pk,
            period=dt.date(2025, 4, 1),
            insurance_type="pension_enterprise",
            base=Decimal("9000"),
            reason="x",
        )
    with pytest.raises(InvalidInput):
        services.contribution_correct(
            scope=clerk(),
            person_id=city["coder"].pk,
            period=MARCH,
            insurance_type="pension_enterprise",
            base=Decimal("100"),
            reason="x",
        )


def test_many_chunks_and_one_chunk_agree(city):
    services.contribution_assess_month(period=MARCH, chunks=1)
    one = snapshot()
    ContributionMonth.objects.all().delete()
    EmployerMonthTotal.objects.all().delete()
    AssessmentRun.objects.all().delete()
    services.contribution_assess_month(period=MARCH, chunks=64)
    assert snapshot() == one
    assert ContributionLine.objects.values("person_id").annotate(n=Count("id")).count() == 5


def test_command_assesses_a_month(city):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("insurance", "assess", "--period", "2025-03", "--chunks", "2", stdout=out)
    assert "2025-03: completed, 5 person-month rows in 2/2 chunks" in out.getvalue()
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="invalid_input"):
        call_command("insurance", "assess", "--period", "March", stdout=out)


def test_death_closes_enrolments_at_the_month_of_death(city, django_capture_on_commit_callbacks):
    from hrss.insurance.models import Enrolment

    with django_capture_on_commit_callbacks(execute=True):
        person_apply(
            id_number=parse_id_number(city["coder"].id_number),
            values={"death_date": dt.date(2025, 4, 20)},
            source="civil_affairs",
        )
    spells = Enrolment.objects.filter(person=city["coder"])
    assert {(s.end_month, s.stop_reason) for s in spells} == {(dt.date(2025, 4, 1), "deceased")}
    services.contribution_assess_month(period=dt.date(2025, 4, 1))
    services.contribution_assess_month(period=dt.date(2025, 5, 1))
    periods = set(ContributionLine.objects.filter(person=city["coder"]).values_list("period", flat=True))
    assert periods == {dt.date(2025, 4, 1)}


def test_chunks_default_to_the_size_of_the_month(city):
    run = services.contribution_assess_month(period=MARCH)
    assert run.chunks_total == 1


def test_a_lost_run_record_does_not_duplicate_lines(city):
    services.contribution_assess_month(period=MARCH, chunks=2)
    before = snapshot()
    AssessmentRun.objects.all()._raw_delete(AssessmentRun.objects.db)  # as if lost, lines left behind
    run = services.contribution_assess_month(period=MARCH, chunks=2)
    assert (run.status, run.rows_inserted) == ("completed", 0)
    assert snapshot()[0] == before[0]
    assert_totals_equal_lines()
