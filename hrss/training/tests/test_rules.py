"""The pure rules: eligibility, results, certificate numbers, masking, subsidy amounts, overlaps."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from hrss.training import rules


@given(
    region=st.from_regex(r"[1-6][0-9]{5}", fullmatch=True),
    year=st.integers(2000, 2099),
    level=st.sampled_from(rules.LEVELS),
    serial=st.integers(1, 999_999),
)
def test_certificate_numbers_carry_a_check_that_catches_one_changed_digit(region, year, level, serial):
    number = rules.certificate_number(region=region, year=year, level=level, serial=serial)
    assert len(number) == 20 and rules.certificate_number_valid(number)
    for position in range(1, 18):
        changed = number[:position] + str((int(number[position]) + 1) % 10) + number[position + 1 :]
        assert not rules.certificate_number_valid(changed)


def test_eligibility_by_prior_level_years_and_training_hours():
    assert rules.eligibility(level=5, held_levels=set(), years_in_occupation=0, training_hours=80).eligible
    assert not rules.eligibility(level=5, held_levels=set(), years_in_occupation=0, training_hours=40).eligible
    assert rules.eligibility(level=5, held_levels=set(), years_in_occupation=1, training_hours=0).eligible
    assert rules.eligibility(level=4, held_levels={5}, years_in_occupation=4, training_hours=0).eligible
    assert rules.eligibility(level=4, held_levels={5}, years_in_occupation=3, training_hours=0).reasons == (
        "too_few_years",
    )
    assert rules.eligibility(level=4, held_levels=set(), years_in_occupation=6, training_hours=0).eligible
    assert rules.eligibility(level=2, held_levels=set(), years_in_occupation=30, training_hours=0).reasons == (
        "below_lower_level",
    )
    assert rules.eligibility(level=5, held_levels={4}, years_in_occupation=9, training_hours=0).reasons == (
        "already_held",
    )


def test_results_need_both_parts_at_the_pass_mark():
    assert rules.result_of(theory=Decimal(60), practical=Decimal(60)) == "passed"
    assert rules.result_of(theory=Decimal("59.5"), practical=Decimal(90)) == "failed"
    assert rules.result_of(theory=Decimal(90), practical=None) == "failed"
    assert rules.result_of(theory=None, practical=None) == "absent"


def test_pass_rate_alert_needs_a_history_and_enough_candidates():
    margin = Decimal("0.25")
    assert rules.pass_rate_alert(passed=10, sat=10, history_passed=50, history_sat=100, margin=margin)
    assert not rules.pass_rate_alert(passed=7, sat=10, history_passed=50, history_sat=100, margin=margin)
    assert not rules.pass_rate_alert(passed=4, sat=4, history_passed=1, history_sat=100, margin=margin)
    assert not rules.pass_rate_alert(passed=10, sat=10, history_passed=0, history_sat=0, margin=margin)


def test_names_are_masked_but_the_family_name():
    assert rules.mask_name("张伟") == "张*"
    assert rules.mask_name("欧阳娜娜") == "欧***"
    assert rules.mask_name("") == ""


def test_subsidy_amount_in_fen():
    assert (
        rules.subsidy_fen(
            level_amount=Decimal(1000), shortage=True, shortage_ratio=Decimal("1.2"), category_ratio=Decimal(1)
        )
        == 120000
    )
    assert (
        rules.subsidy_fen(
            level_amount=Decimal(1500), shortage=False, shortage_ratio=Decimal("1.2"), category_ratio=Decimal("0.5")
        )
        == 75000
    )


def test_sign_ins_overlap_only_at_another_site_at_the_same_time():
    nine = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)
    here = rules.SignIn("a", "site-1", nine, nine + dt.timedelta(hours=3))
    there = rules.SignIn("b", "site-2", nine + dt.timedelta(hours=1), nine + dt.timedelta(hours=4))
    same_site = rules.SignIn("c", "site-1", nine, nine + dt.timedelta(hours=3))
    later = rules.SignIn("d", "site-2", nine + dt.timedelta(hours=3), nine + dt.timedelta(hours=5))
    assert rules.overlapping_elsewhere(here, [there, same_site, later, here]) == [there]


def test_sign_in_window_opens_half_an_hour_early():
    nine = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)
    noon = nine + dt.timedelta(hours=3)
    assert rules.within_session(at=nine - dt.timedelta(minutes=30), starts_at=nine, ends_at=noon)
    assert not rules.within_session(at=nine - dt.timedelta(minutes=31), starts_at=nine, ends_at=noon)
    assert not rules.within_session(at=noon + dt.timedelta(seconds=1), starts_at=nine, ends_at=noon)
