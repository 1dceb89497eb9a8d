"""The scoring model, pure (A7): thresholds, expiry, corrections, severe events."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from hrss.credit import rules

LIMITS = rules.Thresholds(base=100, a_min=105, b_min=85, c_min=60)
ON = dt.date(2026, 12, 5)


def event(
    points: int, *, positive: bool = False, severe: bool = False, months: int = 24, **kw: object
) -> rules.Counted:
    occurred = kw.pop("occurred", dt.date(2026, 6, 1))
    return rules.Counted(
        points=points,
        positive=positive,
        severe=severe,
        occurred_on=occurred,  # type: ignore[arg-type]
        expires_on=rules.months_after(occurred, months),  # type: ignore[arg-type]
        corrected=bool(kw.pop("corrected", False)),
    )


def test_no_event_in_force_is_b_and_the_base():
    assert rules.rate([], on=ON, thresholds=LIMITS) == rules.Grade(100, "B", False, False)


def test_one_month_of_arrears_is_c_and_two_are_d():
    assert rules.rate([event(-25)], on=ON, thresholds=LIMITS).grade == "C"
    assert rules.rate([event(-25), event(-25)], on=ON, thresholds=LIMITS).grade == "D"
    # a timely year (+10) offsets part: 100 + 10 - 50 = 60, the lowest C
    assert rules.rate([event(10, positive=True), event(-25), event(-25)], on=ON, thresholds=LIMITS).grade == "C"


def test_a_needs_a_positive_event_and_the_score():
    assert rules.rate([event(10, positive=True)], on=ON, thresholds=LIMITS).grade == "A"
    assert rules.grade_of(120, thresholds=LIMITS, severe=False, positive=False) == "B"


def test_a_severe_event_is_d_whatever_the_score():
    assert rules.rate([event(10, positive=True), event(0, severe=True)], on=ON, thresholds=LIMITS).grade == "D"


def test_expired_and_corrected_events_do_not_count():
    old = event(-25, occurred=dt.date(2020, 1, 1), months=24)
    corrected = event(-25, corrected=True)
    assert rules.rate([old, corrected], on=ON, thresholds=LIMITS).score == 100
    # counted from its day, up to the day before it expires
    assert event(-25, occurred=ON).in_force(ON)
    assert not event(-25, occurred=ON + dt.timedelta(days=1)).in_force(ON)
    assert not event(-25, occurred=dt.date(2024, 12, 5), months=24).in_force(ON)


def test_months_after_clamps_to_a_shorter_month():
    assert rules.months_after(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert rules.months_after(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 28)


@given(st.lists(st.integers(-50, 20), max_size=8), st.integers(-50, -1))
def test_a_negative_event_never_raises_the_class(points: list[int], extra: int):
    order = "ABCD"
    events = [event(p, positive=p > 0) for p in points]
    before = rules.rate(events, on=ON, thresholds=LIMITS).grade
    after = rules.rate([*events, event(extra)], on=ON, thresholds=LIMITS).grade
    assert order.index(after) >= order.index(before)
