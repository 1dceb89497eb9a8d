"""The pure rules of the programmes' expert review (R1): the score aggregation without one
highest and one lowest total, the reproducible draw, the ranking, the criteria and sheets."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hrss.talent import rules

# A sheet's total: 0 to 100 points in tenths (drawn as integers: cheap to generate).
points = st.integers(min_value=0, max_value=1000).map(lambda tenths: Decimal(tenths) / 10)
totals = st.lists(points, min_size=3, max_size=25)


@given(totals)
def test_the_aggregate_lies_between_the_lowest_and_the_highest(values):
    score = rules.aggregate_score(values)
    assert min(values) <= score <= max(values)
    assert score == score.quantize(Decimal("0.01"))


@given(totals, st.randoms(use_true_random=False))
def test_the_aggregate_does_not_depend_on_the_order_of_the_sheets(values, random):
    shuffled = list(values)
    random.shuffle(shuffled)
    assert rules.aggregate_score(shuffled) == rules.aggregate_score(values)


@given(points, st.integers(min_value=3, max_value=25))
def test_equal_totals_give_their_plain_mean(value, count):
    assert rules.aggregate_score([value] * count) == value.quantize(Decimal("0.01"))


@given(totals, points)
def test_one_outlier_moves_the_aggregate_no_further_than_the_others_allow(values, outlier):
    # Dropping the extremes: a single wild sheet cannot pull the score beyond the others' range.
    score = rules.aggregate_score([*values, outlier])
    assert min(values) <= score <= max(values)


def test_the_extremes_are_dropped_and_the_mean_rounds_half_up():
    assert rules.aggregate_score([Decimal(90), Decimal(80), Decimal(70), Decimal(10)]) == Decimal("75.00")
    assert rules.aggregate_score([Decimal("80.5"), Decimal("80"), Decimal("80"), Decimal("80.01"), Decimal(0)]) == (
        Decimal("80.00")
    )
    # 1.00 and 1.01 are kept: their mean 1.005 rounds half up
    assert rules.aggregate_score([Decimal("1.00"), Decimal("1.01"), Decimal("1"), Decimal("1.01")]) == Decimal("1.01")


@pytest.mark.parametrize("count", [0, 1, 2])
def test_fewer_than_three_sheets_are_not_aggregated(count):
    with pytest.raises(rules.ReviewRuleError) as refused:
        rules.aggregate_score([Decimal(80)] * count)
    assert refused.value.problem == "too_few_sheets"


@given(st.lists(st.uuids().map(str), min_size=3, max_size=30, unique=True), st.integers(min_value=0, max_value=2**62))
def test_the_draw_is_reproducible_and_takes_only_eligible_experts(pool, seed):
    count = min(5, len(pool))
    drawn = rules.draw_experts(seed=seed, eligible=pool, count=count)
    assert drawn == rules.draw_experts(seed=seed, eligible=list(reversed(pool)), count=count)
    assert len(set(drawn)) == count and set(drawn) <= set(pool)


def test_too_few_eligible_experts_refuse_the_draw():
    with pytest.raises(rules.ReviewRuleError):
        rules.draw_experts(seed=1, eligible=["a", "b"], count=3)


def test_ties_share_a_rank_and_a_tie_at_the_line_is_funded_whole():
    ranked = rules.ranking([("a", Decimal(80)), ("b", Decimal(90)), ("c", Decimal(80)), ("d", Decimal(70))], awards=2)
    assert [(r.key, r.rank, r.funded) for r in ranked] == [
        ("b", 1, True),
        ("a", 2, True),
        ("c", 2, True),
        ("d", 4, False),
    ]


def test_criteria_and_sheets_are_checked():
    criteria = rules.criteria_parse([{"name": "创新性", "max_points": 60}, {"name": "可行性", "max_points": "40"}])
    assert criteria == (rules.Criterion("创新性", 60), rules.Criterion("可行性", 40))
    for bad, problem in (
        ([], "criteria_missing"),
        ([{"name": "", "max_points": 10}], "criterion_name"),
        ([{"name": "a", "max_points": 10}, {"name": "a", "max_points": 5}], "criterion_duplicate"),
        ([{"name": "a", "max_points": 0}], "criterion_points"),
        ([{"name": "a", "max_points": True}], "criterion_points"),
        ("创新性", "criteria_missing"),
    ):
        with pytest.raises(rules.ReviewRuleError) as refused:
            rules.criteria_parse(bad)
        assert refused.value.problem == problem
    kept, total = rules.sheet_total(criteria, {"创新性": "55.5", "可行性": 40})
    assert kept == {"创新性": "55.5", "可行性": "40.0"} and total == Decimal("95.50")
    for scores, problem in (
        ({"创新性": 61, "可行性": 1}, "score_out_of_range"),
        ({"创新性": "-1", "可行性": 1}, "score_out_of_range"),
        ({"创新性": "10.3", "可行性": 1}, "score_out_of_range"),
        ({"创新性": "NaN", "可行性": 1}, "score_out_of_range"),
        ({"创新性": "abc", "可行性": 1}, "score_not_a_number"),
        ({"创新性": 10}, "score_missing"),
        ({"创新性": 10, "可行性": 1, "其他": 1}, "score_unknown_criterion"),
    ):
        with pytest.raises(rules.ReviewRuleError) as refused:
            rules.sheet_total(criteria, scores)
        assert refused.value.problem == problem, scores
