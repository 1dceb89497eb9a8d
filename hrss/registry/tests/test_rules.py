from hypothesis import given
from hypothesis import strategies as st

from hrss.registry.rules import Decision, provenance_decision, rankings_from_rows

RANKING = ["public_security", "civil_affairs", "bureau_counter", "self_declared"]


def decide(current, current_source, new, new_source):
    return provenance_decision(
        current_value=current, current_source=current_source, new_value=new, new_source=new_source, ranking=RANKING
    )


def test_empty_attribute_takes_any_source():
    assert decide(None, None, "张三", "self_declared") is Decision.APPLY


def test_authoritative_source_overwrites_less_authoritative():
    assert decide("张三", "self_declared", "张叁", "public_security") is Decision.APPLY


def test_less_authoritative_source_cannot_overwrite():
    assert decide("张叁", "public_security", "张三", "self_declared") is Decision.CONFLICT


def test_same_source_may_correct_itself():
    assert decide("张三", "civil_affairs", "张叁", "civil_affairs") is Decision.APPLY


def test_same_value_from_better_source_confirms():
    assert decide("张三", "self_declared", "张三", "public_security") is Decision.CONFIRM
    assert decide("张三", "public_security", "张三", "self_declared") is Decision.UNCHANGED


def test_empty_value_never_erases():
    assert decide("张三", "self_declared", "", "public_security") is Decision.UNCHANGED


def test_unlisted_source_ranks_last():
    assert decide("张三", "self_declared", "李四", "synthetic") is Decision.CONFLICT
    assert decide("张三", "synthetic", "李四", "self_declared") is Decision.APPLY


def test_rankings_from_rows():
    rows = [("name", "b", 2), ("name", "a", 1), ("phone", "c", 1)]
    assert rankings_from_rows(rows) == {"name": ["a", "b"], "phone": ["c"]}


sources = st.sampled_from([*RANKING, "synthetic"])
values = st.sampled_from(["", "甲", "乙"])


@given(values, sources, values, sources)
def test_a_less_authoritative_source_never_changes_a_value(current, current_source, new, new_source):
    decision = decide(current or None, current_source if current else None, new, new_source)
    rank = lambda s: RANKING.index(s) if s in RANKING else len(RANKING)
    if current and new and new != current and rank(new_source) > rank(current_source):
        assert decision is Decision.CONFLICT
    if decision is Decision.APPLY and current:
        assert rank(new_source) <= rank(current_source)


@given(values, sources, sources)
def test_reapplying_the_same_value_from_the_same_source_is_a_no_op(value, current_source, new_source):
    if value:
        assert decide(value, new_source, value, new_source) is Decision.UNCHANGED
