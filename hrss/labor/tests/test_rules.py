"""The statutory deadline rule: properties over any calendar, and the real holiday weeks."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hrss.core.workdays import is_workday
from hrss.labor import rules

START = dt.date(2026, 1, 1)
days_st = st.integers(min_value=0, max_value=120)
starts = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31))
# A calendar: a set of rest days (no run of rest days is endless: at most 60 of them).
rest_days = st.frozensets(st.integers(min_value=0, max_value=4000), max_size=60)


def calendar(rest: frozenset[int]) -> rules.IsWorkday:
    return lambda day: (day - dt.date(2020, 1, 1)).days not in rest


@given(start=starts, days=days_st, rest=rest_days)
def test_the_end_is_the_first_working_day_on_or_after_start_plus_days(start, days, rest):
    works = calendar(rest)
    end = rules.period_end(start, days, works)
    plain = start + dt.timedelta(days=days)
    assert end >= plain
    assert works(end)
    assert all(not works(plain + dt.timedelta(days=i)) for i in range((end - plain).days))


@given(start=starts, short=days_st, extra=days_st, rest=rest_days)
def test_a_longer_period_never_ends_earlier(start, short, extra, rest):
    works = calendar(rest)
    assert rules.period_end(start, short, works) <= rules.period_end(start, short + extra, works)


@given(start=starts, days=st.integers(min_value=1, max_value=90), at=st.integers(1, 90), length=st.integers(1, 30))
def test_a_suspension_inside_the_period_adds_its_days(start, days, at, length):
    works = calendar(frozenset())
    at = min(at, days)
    suspension = rules.Suspension(start + dt.timedelta(days=at), start + dt.timedelta(days=at + length - 1))
    assert rules.period_end(start, days, works, suspensions=[suspension]) == rules.period_end(
        start, days + length, works
    )


@given(start=starts, days=days_st, gap=st.integers(1, 200), rest=rest_days)
def test_an_interruption_restarts_the_whole_period(start, days, gap, rest):
    works = calendar(rest)
    again = start + dt.timedelta(days=gap)
    assert rules.period_end(start, days, works, interrupted_on=again) == rules.period_end(again, days, works)


def test_a_suspension_before_the_start_or_after_the_end_changes_nothing():
    works = calendar(frozenset())
    before = rules.Suspension(START - dt.timedelta(days=10), START)
    after = rules.Suspension(START + dt.timedelta(days=20), START + dt.timedelta(days=25))
    assert rules.period_end(START, 5, works, suspensions=[before, after]) == START + dt.timedelta(days=5)


def test_negative_periods_are_refused():
    with pytest.raises(ValueError):
        rules.period_end(START, -1, calendar(frozenset()))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        # National Day 2026: 10-01..10-07 off, 10-10 (Saturday) a make-up working day.
        (dt.date(2026, 9, 28), 5, dt.date(2026, 10, 8)),
        (dt.date(2026, 10, 5), 5, dt.date(2026, 10, 10)),
        (dt.date(2026, 10, 6), 5, dt.date(2026, 10, 12)),  # 10-11 is a Sunday
        # National Day 2025 (with the Mid-Autumn Festival): 10-01..10-08 off, 09-28 and 10-11 worked.
        (dt.date(2025, 9, 28), 5, dt.date(2025, 10, 9)),
        (dt.date(2025, 10, 6), 5, dt.date(2025, 10, 11)),
        # Spring Festival 2026: 02-15..02-23 off, 02-14 (Saturday) a make-up working day.
        (dt.date(2026, 2, 9), 5, dt.date(2026, 2, 14)),
        (dt.date(2026, 2, 10), 5, dt.date(2026, 2, 24)),
        # Spring Festival 2025: 01-26 (Sunday) worked, 01-28..02-04 off.
        (dt.date(2025, 1, 21), 5, dt.date(2025, 1, 26)),
        (dt.date(2025, 1, 25), 5, dt.date(2025, 2, 5)),
        # 45 days from acceptance ending in the 2026 Spring Festival.
        (dt.date(2026, 1, 1), 45, dt.date(2026, 2, 24)),
    ],
)
def test_the_holiday_weeks_and_their_make_up_days(start, days, due):
    assert rules.period_end(start, days, is_workday) == due


def test_limitation_runs_a_year_and_leaves_rest_days():
    works = calendar(frozenset())
    assert rules.limitation_end(dt.date(2025, 3, 10), 1, works) == dt.date(2026, 3, 10)
    assert rules.limitation_end(dt.date(2024, 2, 29), 1, works) == dt.date(2025, 2, 28)
    weekdays = lambda day: day.weekday() < 5
    assert rules.limitation_end(dt.date(2025, 3, 7), 1, weekdays) == dt.date(2026, 3, 9)  # 2026-03-07 a Saturday
    interrupted = rules.limitation_end(dt.date(2025, 3, 10), 1, works, interrupted_on=dt.date(2025, 6, 1))
    assert interrupted == dt.date(2026, 6, 1)


def test_final_award_boundary_is_twelve_months_of_minimum_wage():
    wage, times = Decimal("2320"), Decimal("12")
    assert rules.is_final_award(claimed=Decimal("27840"), monthly_minimum_wage=wage, multiple=times)
    assert not rules.is_final_award(claimed=Decimal("27840.01"), monthly_minimum_wage=wage, multiple=times)


def test_clock_states():
    due = dt.date(2026, 3, 10)
    assert rules.clock_state(due=due, today=dt.date(2026, 3, 1), warn_days=3) == rules.ON_TIME
    assert rules.clock_state(due=due, today=dt.date(2026, 3, 7), warn_days=3) == rules.AT_RISK
    assert rules.clock_state(due=due, today=due, warn_days=3) == rules.AT_RISK
    assert rules.clock_state(due=due, today=dt.date(2026, 3, 11), warn_days=3) == rules.OVERDUE


def test_hearing_notice():
    assert rules.hearing_notice_ok(notified_on=dt.date(2026, 3, 1), hearing_on=dt.date(2026, 3, 6), notice_days=5)
    assert not rules.hearing_notice_ok(notified_on=dt.date(2026, 3, 2), hearing_on=dt.date(2026, 3, 6), notice_days=5)
