"""Pure identity rules, property-tested."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from hrss.identity.rules import (
    CodeState,
    character_classes,
    code_state,
    name_matches,
    recently_authenticated,
    send_allowed,
    session_idle,
)

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@given(st.text(max_size=40))
def test_character_classes_is_between_0_and_4(password):
    assert 0 <= character_classes(password) <= 4


def test_character_classes_examples():
    assert character_classes("hrss-demo-2026") == 3
    assert character_classes("aaaaaaaaaa") == 1


@given(st.text(min_size=1, max_size=10).filter(lambda s: s.strip()))
def test_a_name_matches_itself_with_spaces_and_width_variants(name):
    assert name_matches(name, f" {name} ")


def test_name_matching_examples():
    assert name_matches("阿依古丽·买买提", "阿依古丽.买买提")
    assert name_matches("ＺＨＡＮＧ Wei", "zhangwei")
    assert not name_matches("张伟", "张玮")
    assert not name_matches("张伟", "")


@given(
    used=st.booleans(),
    attempts=st.integers(0, 10),
    offset=st.integers(-600, 600),
)
def test_code_state_is_usable_only_unused_unexpired_and_under_the_limit(used, attempts, offset):
    state = code_state(
        now=NOW,
        expires_at=NOW + dt.timedelta(seconds=offset),
        used_at=NOW if used else None,
        attempts=attempts,
        max_attempts=5,
    )
    assert (state is CodeState.USABLE) == (not used and attempts < 5 and offset > 0)


@given(st.lists(st.integers(0, 7200), max_size=10))
def test_send_allowed_respects_both_limits(ages):
    recent = [NOW - dt.timedelta(seconds=age) for age in ages]
    allowed = send_allowed(now=NOW, recent=recent, resend_seconds=60, max_per_hour=5)
    within_hour = [age for age in ages if age < 3600]
    assert allowed == (len(within_hour) < 5 and all(age >= 60 for age in within_hour))


def test_idle_and_recent_authentication():
    assert session_idle(now=2000.0, last_seen=100.0, idle_seconds=1800)
    assert not session_idle(now=2000.0, last_seen=None, idle_seconds=1800)
    assert recently_authenticated(now=1000.0, authenticated_at=900.0, window_seconds=600)
    assert not recently_authenticated(now=1000.0, authenticated_at=None, window_seconds=600)
