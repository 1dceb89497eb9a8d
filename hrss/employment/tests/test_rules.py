import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from hrss.employment import rules

SEEKER = rules.Seeker(
    occupations=frozenset({"2-02"}),
    districts=frozenset({"120101"}),
    wage_min=Decimal("7000"),
    education="21",
    skills=frozenset({"Python", "SQL", "Linux"}),
)


def offer(**kw):
    values = {
        "key": "v",
        "occupation": "2-02",
        "district": "120101",
        "wage_min": Decimal("8000"),
        "wage_max": Decimal("12000"),
        "education": None,
        "skills": frozenset(),
    }
    return rules.Offer(**{**values, **kw})


def codes(found):
    return [reason.code for reason in found.reasons]


def test_every_point_has_its_reason():
    found = rules.match(SEEKER, offer(skills=frozenset({"Python", "SQL", "Excel", "Go", "C"})))
    assert codes(found) == ["same_occupation", "district", "wage", "skills"]
    skills = found.reasons[-1]
    assert (skills.matched, skills.wanted) == (2, 5)
    assert found.points == sum(reason.points for reason in found.reasons)


def test_same_group_other_district_and_the_filters():
    found = rules.match(SEEKER, offer(occupation="2-05", district="120103"))
    assert codes(found) == ["same_group", "wage"]
    assert rules.match(SEEKER, offer(occupation="4-01", district="120103")) is None  # nothing wanted
    assert rules.match(SEEKER, offer(wage_max=Decimal("6999"))) is None  # pays less than wanted
    assert rules.match(SEEKER, offer(education="11")) is None  # asks a doctorate of a graduate
    assert rules.match(SEEKER, offer(education="31")) is not None  # asks less than held


def test_rank_orders_by_points_and_cuts():
    offers = [offer(key="a", district="120103"), offer(key="b"), offer(key="c", occupation="4-01")]
    ranked = rules.rank(SEEKER, offers, limit=2)
    assert [m.key for m in ranked] == ["b", "a"]


@given(
    st.sampled_from(
        ["限男性", "仅限女性", "35岁以下", "３５ 岁以下", "本地户口", "未婚", "已婚已育优先", "年龄18-35岁"]
    )
)
def test_discriminatory_phrases_are_found_in_their_variants(phrase):
    assert rules.discriminatory_phrase(["招聘文员", f"要求：{phrase}，能吃苦"]) is not None


def test_plain_requirements_pass_and_the_ground_is_named():
    assert rules.discriminatory_phrase(["招聘文员", "熟练使用办公软件，有驾照"]) is None
    assert rules.discriminatory_phrase(["仅限女性"]) == ("限女性", "sex")  # the first listed phrase inside it
    assert rules.discriminatory_phrase(["35周岁以下"]) == ("35周岁以下", "age")


@given(st.decimals(min_value=1, max_value=100000, places=2), st.decimals(min_value=1, max_value=100000, places=2))
def test_wage_range_rule(low, high):
    errors = rules.vacancy_errors(
        wage_min=low, wage_max=high, headcount=1, valid_until=dt.date(2030, 1, 1), today=dt.date(2026, 1, 1)
    )
    assert ("wage_max" in errors) == (high < low)


def test_a_district_near_one_wanted_counts_after_the_districts_wanted():
    """Distance between district centres (data with their source): 和平区 and 河西区 are next to
    each other, 蓟州区 is far from both; a nearby district earns fewer points than one wanted."""
    centres = rules.district_centres()
    assert rules.distance_km(centres["120101"], centres["120103"]) < 5
    assert rules.distance_km(centres["120101"], centres["120119"]) > 80
    near = rules.nearby_districts({"120101"}, km=12)
    assert "120103" in near and "120101" not in near and "120119" not in near
    assert rules.nearby_districts({"120101"}, km=0) == frozenset()
    seeker = rules.Seeker(
        occupations=frozenset({"4-01"}),
        districts=frozenset({"120101"}),
        wage_min=None,
        education=None,
        skills=frozenset(),
        nearby=near,
    )
    far_job = offer(occupation="6-18", district="120119")
    assert rules.match(seeker, far_job) is None  # another group, far away
    nearby_job = rules.match(seeker, offer(occupation="6-18", district="120103"))
    assert nearby_job is not None and [r.code for r in nearby_job.reasons] == ["nearby_district"]
    wanted_job = rules.match(seeker, offer(occupation="6-18", district="120101"))
    assert wanted_job is not None and wanted_job.points > nearby_job.points
