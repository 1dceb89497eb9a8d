"""Pure rules: pension formula, divisor table, retirement ages, bases, unemployment, fees, interest.

Published figures used here (see docs/domain.md §3, §4):
- 计发月数 table of 国发〔2005〕38号 附件, and the by-month interpolation published by the
  济南市 12345 reply (2025): 60y1m -> 138.4, 50y1m -> 194.6.
- Retirement-age table attached to the NPC Standing Committee decision of 2024-09-13
  (https://www.gov.cn/yaowen/liebiao/202409/content_6974294.htm): men born 1965-01..04
  retire at 60y1m (2025-02..05), 1965-05..08 at 60y2m, 1976-09 onward at 63; women
  (orig. 55) born 1970-01..04 at 55y1m, 1981-09 onward at 58; women (orig. 50) born
  1975-01..02 at 50y1m, 1975-03..04 at 50y2m, 1984-11 onward at 55.
- 计发基数 published by Beijing: 2024 11,883 (京人社发〔2024〕16号), 2025 12,049
  (京人社发〔2025〕13号); Beijing's transitional pension G = C × N同 × 1% (Z同 = 1,
  京劳社养发〔2007〕21号/31号). The arithmetic below is worked by hand from those inputs.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hrss.core.errors import InvalidInput
from hrss.insurance import rules
from hrss.insurance.rules import Age, BaseBand, RetirementSchedule

D = Decimal
REFORM = dt.date(2025, 1, 1)
MALE = RetirementSchedule(60, 63, 4, REFORM)
FEMALE_55 = RetirementSchedule(55, 58, 4, REFORM)
FEMALE_50 = RetirementSchedule(50, 55, 2, REFORM)

# 国发〔2005〕38号 附件 (47 -> 207 as seeded; see the parameter's note)
DIVISORS = {
    **dict(
        zip(
            range(40, 56), [233, 230, 226, 223, 220, 216, 212, 207, 204, 199, 195, 190, 185, 180, 175, 170], strict=True
        )
    ),
    **dict(zip(range(56, 71), [164, 158, 152, 145, 139, 132, 125, 117, 109, 101, 93, 84, 75, 65, 56], strict=True)),
}
DIVISORS = {age: D(months) for age, months in DIVISORS.items()}


def estimate(**overrides):
    values = {
        "average_wage": D("11883"),
        "average_index": D("1.0"),
        "contribution_months": 300,
        "account_balance": D("0"),
        "retirement_age": Age(60),
        "divisor_table": DIVISORS,
        "divisor_decimals": 1,
        "accrual_rate": D("0.01"),
    }
    return rules.pension_estimate(**{**values, **overrides})


# --- pension formula ---------------------------------------------------------------------


def test_basic_pension_beijing_2024_base():
    # 11883 × (1 + 1.0) / 2 × 25 × 1% = 2970.75
    assert estimate().basic == D("2970.75")


def test_basic_pension_beijing_2025_base_with_low_index():
    # 12049 × (1 + 0.8) / 2 × 30 × 1% = 3253.23
    result = estimate(average_wage=D("12049"), average_index=D("0.8"), contribution_months=360)
    assert result.basic == D("3253.23")
    assert result.contribution_years == D(30)


def test_account_pension_divides_by_the_interpolated_divisor():
    # 62y10m -> 125 - 8 × 10/12 = 118.33 -> 118.3; 138096.30 / 118.3 = 1167.34
    result = estimate(account_balance=D("138096.30"), retirement_age=Age(62, 10))
    assert result.divisor == D("118.3")
    assert result.account == D("1167.34")


def test_account_pension_at_sixty():
    # 200000 / 139 = 1438.848... -> 1438.85
    assert estimate(account_balance=D("200000"), retirement_age=Age(60)).account == D("1438.85")


def test_transitional_pension_beijing_form():
    # G同 = C × Z同 × N同 × 1% with Z同 = 1: 12049 × 1 × 3 × 1% = 361.47
    result = estimate(
        average_wage=D("12049"),
        transitional=rules.TransitionalInputs(deemed_months=36, deemed_index=D(1), coefficient=D("0.01")),
    )
    assert result.transitional == D("361.47")


def test_total_is_the_sum_of_the_rounded_parts():
    result = estimate(
        average_wage=D("8355"),
        average_index=D("0.6123"),
        contribution_months=187,
        account_balance=D("54321.09"),
        retirement_age=Age(60, 1),
        transitional=rules.TransitionalInputs(deemed_months=50, deemed_index=D(1), coefficient=D("0.012")),
    )
    assert result.total == result.basic + result.account + result.transitional
    # 8355 × 1.6123 / 2 × (187/12) × 1% = 1049.597...; 54321.09 / 138.4 = 392.493...; 8355 × 50/12 × 1.2% = 417.75
    assert (result.basic, result.account, result.transitional) == (D("1049.60"), D("392.49"), D("417.75"))


def test_half_up_rounding_at_the_edge():
    # 10000 × (1 + 0.00009) / 2 × 1 × 1% = 50.0045 -> 50.00; with 0.0001 it is 50.005 -> 50.01 (half up)
    assert estimate(average_wage=D("10000"), average_index=D("0.00009"), contribution_months=12).basic == D("50.00")
    assert estimate(average_wage=D("10000"), average_index=D("0.0001"), contribution_months=12).basic == D("50.01")


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("average_wage", {"average_wage": D("-1")}),
        ("average_index", {"average_index": D("-0.1")}),
        ("contribution_months", {"contribution_months": -1}),
        ("retirement_age_years", {"retirement_age": Age(39, 11)}),
        ("retirement_age_years", {"retirement_age": Age(70, 1)}),
    ],
)
def test_invalid_inputs_name_the_field(field, overrides):
    with pytest.raises(InvalidInput) as error:
        estimate(**overrides)
    assert field in error.value.fields


@given(
    wage=st.decimals(min_value=1000, max_value=50000, places=2),
    index=st.decimals(min_value=D("0.6"), max_value=3, places=4),
    months=st.integers(min_value=0, max_value=600),
    balance=st.decimals(min_value=0, max_value=2_000_000, places=2),
    age_months=st.integers(min_value=40 * 12, max_value=70 * 12),
)
def test_pension_parts_are_non_negative_and_add_up(wage, index, months, balance, age_months):
    result = estimate(
        average_wage=wage,
        average_index=index,
        contribution_months=months,
        account_balance=balance,
        retirement_age=Age.of_months(age_months),
    )
    assert result.basic >= 0 and result.account >= 0
    assert result.total == result.basic + result.account
    assert result.total == result.total.quantize(D("0.01"))


@given(months=st.integers(min_value=0, max_value=599))
def test_more_contribution_never_lowers_the_basic_pension(months):
    assert estimate(contribution_months=months + 1).basic >= estimate(contribution_months=months).basic


# --- months divisor -------------------------------------------------------------------------


def test_divisor_whole_ages_are_the_table():
    for age, months in DIVISORS.items():
        assert rules.months_divisor(Age(age), DIVISORS, 1) == months


def test_divisor_published_interpolations():
    assert rules.months_divisor(Age(60, 1), DIVISORS, 1) == D("138.4")
    assert rules.months_divisor(Age(50, 1), DIVISORS, 1) == D("194.6")


def test_divisor_interpolation_examples():
    assert rules.months_divisor(Age(60, 6), DIVISORS, 1) == D("135.5")  # 139 - 7/2
    assert rules.months_divisor(Age(55, 3), DIVISORS, 1) == D("168.5")  # 170 - 6 × 3/12
    assert rules.months_divisor(Age(62, 11), DIVISORS, 1) == D("117.7")  # 125 - 8 × 11/12


@given(st.integers(min_value=40 * 12, max_value=70 * 12 - 1))
def test_divisor_decreases_by_month_and_stays_between_neighbours(total):
    age = Age.of_months(total)
    value = rules.months_divisor(age, DIVISORS, 1)
    assert DIVISORS.get(age.years + 1, value) <= value <= DIVISORS[age.years]
    assert rules.months_divisor(Age.of_months(total + 1), DIVISORS, 1) <= value


# --- retirement age -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("schedule", "birth", "age", "month"),
    [
        (MALE, dt.date(1964, 12, 15), Age(60), dt.date(2024, 12, 1)),
        (MALE, dt.date(1965, 1, 1), Age(60, 1), dt.date(2025, 2, 1)),
        (MALE, dt.date(1965, 4, 30), Age(60, 1), dt.date(2025, 5, 1)),
        (MALE, dt.date(1965, 5, 1), Age(60, 2), dt.date(2025, 7, 1)),
        (MALE, dt.date(1965, 8, 31), Age(60, 2), dt.date(2025, 10, 1)),
        (MALE, dt.date(1970, 1, 10), Age(61, 4), dt.date(2031, 5, 1)),
        (MALE, dt.date(1976, 8, 1), Age(62, 11), dt.date(2039, 7, 1)),
        (MALE, dt.date(1976, 9, 1), Age(63), dt.date(2039, 9, 1)),
        (MALE, dt.date(1990, 6, 1), Age(63), dt.date(2053, 6, 1)),
        (FEMALE_55, dt.date(1969, 12, 1), Age(55), dt.date(2024, 12, 1)),
        (FEMALE_55, dt.date(1970, 1, 1), Age(55, 1), dt.date(2025, 2, 1)),
        (FEMALE_55, dt.date(1970, 5, 1), Age(55, 2), dt.date(2025, 7, 1)),
        (FEMALE_55, dt.date(1981, 8, 1), Age(57, 11), dt.date(2039, 7, 1)),
        (FEMALE_55, dt.date(1981, 9, 1), Age(58), dt.date(2039, 9, 1)),
        (FEMALE_50, dt.date(1974, 12, 1), Age(50), dt.date(2024, 12, 1)),
        (FEMALE_50, dt.date(1975, 1, 1), Age(50, 1), dt.date(2025, 2, 1)),
        (FEMALE_50, dt.date(1975, 2, 1), Age(50, 1), dt.date(2025, 3, 1)),
        (FEMALE_50, dt.date(1975, 3, 1), Age(50, 2), dt.date(2025, 5, 1)),
        (FEMALE_50, dt.date(1984, 10, 1), Age(54, 11), dt.date(2039, 9, 1)),
        (FEMALE_50, dt.date(1984, 11, 1), Age(55), dt.date(2039, 11, 1)),
    ],
)
def test_published_retirement_ages(schedule, birth, age, month):
    assert rules.statutory_retirement_age(birth, schedule) == age
    assert rules.statutory_retirement_month(birth, schedule) == month


births = st.dates(min_value=dt.date(1940, 1, 1), max_value=dt.date(2010, 12, 31))
schedules = st.sampled_from([MALE, FEMALE_55, FEMALE_50])


@given(birth=births, schedule=schedules)
def test_delay_is_bounded(birth, schedule):
    delay = rules.retirement_delay_months(birth, schedule)
    assert 0 <= delay <= schedule.max_delay_months
    age = rules.statutory_retirement_age(birth, schedule)
    assert schedule.original_years * 12 <= age.total_months <= schedule.target_years * 12


@given(birth=births, schedule=schedules)
def test_later_cohorts_retire_later_and_never_younger(birth, schedule):
    later = rules.add_months(birth.replace(day=1), 1)
    assert rules.retirement_delay_months(later, schedule) - rules.retirement_delay_months(birth, schedule) in (0, 1)
    assert rules.statutory_retirement_month(later, schedule) > rules.statutory_retirement_month(birth, schedule)


@given(birth=births, schedule=schedules)
def test_delay_steps_once_per_cohort_block(birth, schedule):
    """Within one block of ``cohort_months_per_step`` birth months the age is the same."""
    start = rules.month_from_index(rules.month_index(schedule.reform_start) - schedule.original_years * 12)
    offset = rules.month_index(birth) - rules.month_index(start)
    if offset < 0:
        assert rules.retirement_delay_months(birth, schedule) == 0
    else:
        block_start = rules.month_from_index(
            rules.month_index(start) + offset - offset % schedule.cohort_months_per_step
        )
        assert rules.retirement_delay_months(birth, schedule) == rules.retirement_delay_months(block_start, schedule)


def test_flexible_bounds_never_below_the_original_age():
    earliest, latest = rules.flexible_retirement_bounds(dt.date(1966, 1, 1), MALE, 3)
    assert earliest == Age(60)  # statutory 60y4m minus 3 years would be below 60
    assert latest == Age(63, 4)
    earliest, _latest = rules.flexible_retirement_bounds(dt.date(1980, 1, 1), MALE, 3)
    assert earliest == Age(60)


def test_age_on_counts_completed_months():
    assert rules.age_on(dt.date(1965, 5, 20), dt.date(2025, 7, 19)) == Age(60, 1)
    assert rules.age_on(dt.date(1965, 5, 20), dt.date(2025, 7, 20)) == Age(60, 2)


def test_minimum_contribution_years():
    assert rules.pension_minimum_met(180, D(15))
    assert not rules.pension_minimum_met(185, D("15.5"))
    assert rules.pension_minimum_met(186, D("15.5"))


def test_average_contribution_index():
    pairs = [(D("5013"), D("8355")), (D("8355"), D("8355")), (D("25065"), D("8355"))]
    assert rules.average_contribution_index(pairs) == D("1.5333")  # (0.6 + 1 + 3) / 3
    assert rules.average_contribution_index([]) == 0


# --- contribution base ------------------------------------------------------------------------


def test_base_band_from_tianjin_average_wage():
    band = BaseBand.from_average_wage(D("8355"), D("0.60"), D("3.00"))
    assert (band.floor, band.ceiling) == (D("5013.00"), D("25065.00"))
    assert band.clamp(D("3000")) == D("5013.00")
    assert band.clamp(D("9000.456")) == D("9000.46")
    assert band.clamp(D("40000")) == D("25065.00")


@given(
    wage=st.decimals(min_value=0, max_value=1_000_000, places=2),
    average=st.decimals(min_value=1000, max_value=30000, places=2),
)
def test_clamped_base_is_inside_the_band_and_idempotent(wage, average):
    band = BaseBand.from_average_wage(average, D("0.6"), D("3"))
    base = band.clamp(wage)
    assert band.contains(base)
    assert band.clamp(base) == base
    if band.contains(wage):
        assert base == wage


# --- unemployment -------------------------------------------------------------------------

TIERS = [(D(1), 12), (D(5), 18), (D(10), 24)]


def entitlement(months, carried=0):
    return rules.unemployment_entitlement(
        contribution_months=months, carried_over_months=carried, tiers=TIERS, minimum_years=D(1), maximum_months=24
    )


@pytest.mark.parametrize(
    ("months", "expected"),
    [(0, 0), (11, 0), (12, 12), (59, 12), (60, 18), (119, 18), (120, 24), (480, 24)],
)
def test_unemployment_duration_tiers(months, expected):
    result = entitlement(months)
    assert result.total_months == expected
    assert result.eligible is (months >= 12)


def test_unemployment_carried_over_months_and_cap():
    assert entitlement(24, carried=5).total_months == 17
    capped = entitlement(72, carried=10)
    assert (capped.total_months, capped.capped) == (24, True)
    assert entitlement(6, carried=10).total_months == 0  # under a year: no benefit at all


@given(months=st.integers(min_value=0, max_value=600), carried=st.integers(min_value=0, max_value=24))
def test_unemployment_total_never_exceeds_the_cap(months, carried):
    result = entitlement(months, carried)
    assert 0 <= result.total_months <= 24
    assert entitlement(months + 1, carried).total_months >= result.total_months


# --- late fee -------------------------------------------------------------------------------


def test_late_fee_on_unpaid_amount():
    fee = rules.late_fee(
        due_amount=D("10000"),
        due_date=dt.date(2025, 3, 31),
        payments=[],
        as_of=dt.date(2025, 4, 30),
        daily_rate=D("0.0005"),
    )
    assert fee == rules.LateFee(D("10000.00"), 30, D("150.00"))  # 10000 × 0.05% × 30


def test_late_fee_with_partial_payments():
    fee = rules.late_fee(
        due_amount=D("10000"),
        due_date=dt.date(2025, 3, 31),
        payments=[(dt.date(2025, 3, 20), D("2000")), (dt.date(2025, 4, 10), D("5000"))],
        as_of=dt.date(2025, 4, 20),
        daily_rate=D("0.0005"),
    )
    # 8000 × 10 days + 3000 × 10 days at 0.05%/day = 40 + 15
    assert fee == rules.LateFee(D("3000.00"), 20, D("55.00"))


def test_no_late_fee_when_paid_on_time():
    fee = rules.late_fee(
        due_amount=D("10000"),
        due_date=dt.date(2025, 3, 31),
        payments=[(dt.date(2025, 3, 31), D("10000"))],
        as_of=dt.date(2025, 12, 31),
        daily_rate=D("0.0005"),
    )
    assert fee.fee == 0 and fee.outstanding == 0


# --- interest and money -----------------------------------------------------------------------


def test_interest_on_equal_monthly_credits_matches_the_1_083_rule():
    # 12 × 100 fen at 2.62%: 1200 × 0.0262 × 1.0833 / 2 = 17.03 fen -> 17
    assert (
        rules.account_interest_fen(opening_fen=0, credits=[(m, 100) for m in range(1, 13)], annual_rate=D("0.0262"))
        == 17
    )
    # opening 1,000,000 fen earns a full year: 26,200 fen
    assert rules.account_interest_fen(opening_fen=1_000_000, credits=[], annual_rate=D("0.0262")) == 26_200


def test_money_helpers():
    assert rules.yuan(D("2.345")) == D("2.35")
    assert rules.to_fen(D("5013")) == 501_300
    assert rules.from_fen(501_301) == D("5013.01")
    assert rules.amount_fen(501_300, rules.rate_ppm(D("0.16"))) == 80_208
    assert rules.amount_fen(5, 100_000) == 1  # 0.5 fen rounds up
    assert rules.amount_fen(-5, 100_000) == -1
    assert rules.parse_period("2025-03") == dt.date(2025, 3, 1)
    with pytest.raises(InvalidInput):
        rules.parse_period("2025/3")
