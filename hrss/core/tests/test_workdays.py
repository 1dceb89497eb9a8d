import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hrss.core.models import WorkdayOverride
from hrss.core.workdays import add_workdays, is_workday, statutory_deadline, workday_overrides_changed, workdays_between

pytestmark = pytest.mark.django_db


def test_national_day_holiday_2025():
    # 2025-10-01..08 are holidays; Saturday 2025-10-11 is a make-up working day.
    assert not is_workday(dt.date(2025, 10, 3))
    assert is_workday(dt.date(2025, 10, 11))
    assert add_workdays(dt.date(2025, 9, 30), 1) == dt.date(2025, 10, 9)


def test_spring_festival_2025_counts_only_working_days():
    # 2025-01-28..02-04 are holidays; 01-26 (Sun) and 02-08 (Sat) are make-up working days.
    assert add_workdays(dt.date(2025, 1, 27), 1) == dt.date(2025, 2, 5)
    assert workdays_between(dt.date(2025, 1, 24), dt.date(2025, 2, 10)) == 7


def test_override_takes_precedence_and_covers_unknown_years():
    day = dt.date(2031, 1, 1)  # a Wednesday in a year the library may not know
    WorkdayOverride.objects.create(date=day, is_workday=False, note="New Year")
    workday_overrides_changed()
    assert not is_workday(day)
    assert is_workday(dt.date(2031, 1, 2))
    assert not is_workday(dt.date(2031, 1, 4))  # Saturday, weekday rule


def test_statutory_deadline_moves_past_holidays():
    # 45 days from 2025-08-18 is 2025-10-02, inside the National Day holiday: moves to 10-09.
    assert statutory_deadline(dt.date(2025, 8, 18), 45) == dt.date(2025, 10, 9)
    assert statutory_deadline(dt.date(2025, 3, 3), 5) == dt.date(2025, 3, 10)  # 03-08 is a Saturday


def test_negative_days_refused():
    with pytest.raises(ValueError):
        add_workdays(dt.date(2025, 1, 1), -1)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=st.dates(min_value=dt.date(2004, 1, 1), max_value=dt.date(2035, 12, 31)), days=st.integers(0, 40))
def test_a_promised_date_never_comes_before_its_start(start, days):
    """The dates promised to applicants (deadlines, due dates) are ``add_workdays`` of the day they start."""
    end = add_workdays(start, days)
    assert end >= start
    assert (end == start) == (days == 0)
    assert workdays_between(start, end) == days
    if days:
        assert is_workday(end)
