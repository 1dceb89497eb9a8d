"""Pure rules: dispatch fairness, escalation levels, form cleaning (property-tested)."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from hrss.servicehall import rules


@given(staff=st.integers(min_value=1, max_value=8), items=st.integers(min_value=0, max_value=60))
def test_dispatch_spreads_equal_staff_within_one_item(staff, items):
    loads = dict.fromkeys(range(staff), 0)
    stamps: dict[int, dt.datetime] = {}
    clock = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    for n in range(items):
        chosen = rules.choose_assignee(
            rules.Candidate(
                user_id=u, open_items=loads[u], capacity=1000, last_assigned_at=stamps.get(u), username=f"u{u}"
            )
            for u in loads
        )
        assert chosen is not None
        loads[chosen.user_id] += 1
        stamps[chosen.user_id] = clock + dt.timedelta(seconds=n)
    assert max(loads.values()) - min(loads.values()) <= 1


@given(loads=st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=10))
def test_dispatch_picks_a_least_loaded_person_under_capacity(loads):
    candidates = [
        rules.Candidate(user_id=i, open_items=n, capacity=20, last_assigned_at=None) for i, n in enumerate(loads)
    ]
    chosen = rules.choose_assignee(candidates)
    under = [c for c in candidates if c.open_items < c.capacity]
    if not under:
        assert chosen is None
    else:
        assert chosen is not None and chosen.open_items == min(c.open_items for c in under)


def test_fairness_prefers_who_waited_longest():
    old = rules.Candidate(
        user_id="a", open_items=1, capacity=5, last_assigned_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    )
    new = rules.Candidate(
        user_id="b", open_items=1, capacity=5, last_assigned_at=dt.datetime(2026, 1, 2, tzinfo=dt.UTC)
    )
    never = rules.Candidate(user_id="c", open_items=1, capacity=5, last_assigned_at=None)
    assert rules.choose_assignee([new, old]) is old
    assert rules.choose_assignee([new, old, never]) is never


@given(st.integers(min_value=-5, max_value=30))
def test_escalation_level_is_monotonic(days):
    assert rules.escalation_level(days) <= rules.escalation_level(days + 1)
    assert rules.escalation_level(days) in (0, 1, 2)


FORM = [
    {"name": "phone", "type": "tel", "required": True},
    {"name": "amount", "type": "decimal", "gateway": "amount"},
    {"name": "when", "type": "date", "required": True},
    {"name": "kind", "type": "choice", "choices": [["a", {"en": "A"}], ["b", {"en": "B"}]]},
    {"name": "flag", "type": "boolean"},
]


def test_form_clean_validates_and_drops_unknown_fields():
    cleaned, errors = rules.form_clean(
        FORM, {"phone": "138-0013-8000", "amount": "12.50", "when": "2026-10-01", "kind": "b", "smuggled": "x"}
    )
    assert errors == {}
    assert cleaned == {"phone": "13800138000", "amount": "12.50", "when": "2026-10-01", "kind": "b", "flag": False}
    assert rules.gateway_amount(FORM, cleaned) == 12.5
    _, errors = rules.form_clean(FORM, {"phone": "123", "amount": "-1", "when": "soon", "kind": "z"})
    assert set(errors) == {"phone", "amount", "when", "kind"}


def test_a_field_required_only_for_one_choice():
    form = [
        {"name": "delivery", "type": "choice", "required": True, "choices": [["post", {}], ["outlet", {}]]},
        {"name": "address", "type": "text", "required_when": {"delivery": "post"}},
    ]
    assert rules.form_clean(form, {"delivery": "outlet"}) == ({"delivery": "outlet"}, {})
    assert set(rules.form_clean(form, {"delivery": "post"})[1]) == {"address"}
    assert set(rules.form_clean(form, {"delivery": "post", "address": "  "})[1]) == {"address"}
    assert rules.form_clean(form, {"delivery": "post", "address": "南京路1号"})[1] == {}


@given(st.dictionaries(st.sampled_from(["phone", "amount", "when", "kind", "flag", "other"]), st.text(max_size=30)))
def test_form_clean_never_raises(data):
    cleaned, errors = rules.form_clean(FORM, data)
    assert set(cleaned).isdisjoint(errors)
    assert set(cleaned) | set(errors) <= {"phone", "amount", "when", "kind", "flag"}


def test_risk_flags():
    assert rules.risk_flags(rules.ApplicantFacts()) == []
    flags = rules.risk_flags(
        rules.ApplicantFacts(
            status="deceased", open_same_item=1, rejected_recently=2, phone_matches_registry=False, credit_class="D"
        )
    )
    assert flags == [
        "applicant_not_active",
        "duplicate_open_application",
        "repeatedly_rejected",
        "phone_differs_from_registry",
        "poor_credit",
    ]


def test_fast_track_is_class_a_without_a_risk_flag():
    assert rules.fast_track(rules.ApplicantFacts(credit_class="A"))
    assert not rules.fast_track(rules.ApplicantFacts(credit_class="A", phone_matches_registry=False))
    assert not rules.fast_track(rules.ApplicantFacts(credit_class="A", open_same_item=1))
    for credit_class in ("B", "C", "D", None, ""):
        assert not rules.fast_track(rules.ApplicantFacts(credit_class=credit_class))


@given(
    status=st.sampled_from(["active", "deceased"]),
    open_same_item=st.integers(min_value=0, max_value=2),
    rejected_recently=st.integers(min_value=0, max_value=3),
    phone_matches_registry=st.booleans(),
    credit_class=st.sampled_from(["A", "B", "C", "D", None]),
)
def test_fast_track_agrees_with_what_an_application_keeps(**facts):
    """An application keeps its credit class and risk flags; the queues read the rule from those."""
    applicant = rules.ApplicantFacts(**facts)
    kept = rules.on_fast_track(applicant.credit_class or "", rules.risk_flags(applicant))
    assert rules.fast_track(applicant) == kept
    assert not (rules.fast_track(applicant) and rules.risk_flags(applicant))
