"""The settlement rule: worked examples by hand, and properties over any bill and policy."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hrss.core.errors import InvalidInput
from hrss.medical import rules
from hrss.medical.rules import settle

D = Decimal
BANDS = [(D("10000"), D("0.85")), (D("50000"), D("0.90")), (None, D("0.95"))]


def test_worked_example_across_three_bands():
    # 30,000 billed: 2,000 outside the catalogue, 1,000 class B share → 27,000 in scope.
    # Deductible 1,700 off the first band: (10,000 − 1,700) × 0.85 = 7,055;
    # (27,000 − 10,000) × 0.90 = 15,300; fund 22,355; patient 30,000 − 22,355 = 7,645.
    result = settle(
        total=D("30000"), out_of_catalogue=D("2000"), class_b_self_pay=D("1000"), deductible=D("1700"), bands=BANDS
    )
    assert result == rules.Settlement(scope=D("27000.00"), fund=D("22355.00"), patient=D("7645.00"), over_cap=D("0"))


def test_worked_example_capped_and_into_the_open_band():
    # 80,000 in scope, no deductible left: 8,500 + 36,000 + 28,500 = 73,000 uncapped;
    # 60,000 of the cap left → fund 60,000, 13,000 over the cap for the serious-illness layer.
    result = settle(
        total=D("80000"),
        out_of_catalogue=D("0"),
        class_b_self_pay=D("0"),
        deductible=D("0"),
        bands=BANDS,
        cap_remaining=D("60000"),
    )
    assert (result.fund, result.over_cap, result.patient) == (D("60000.00"), D("13000.00"), D("20000.00"))


def test_below_the_deductible_the_fund_pays_nothing():
    result = settle(total=D("800"), out_of_catalogue=D("0"), class_b_self_pay=D("0"), deductible=D("1700"), bands=BANDS)
    assert (result.scope, result.fund, result.patient) == (D("800.00"), D("0.00"), D("800.00"))


def test_a_deductible_larger_than_the_first_band_eats_into_the_next():
    bands = [(D("500"), D("0.5")), (None, D("0.8"))]
    result = settle(total=D("1000"), out_of_catalogue=D("0"), class_b_self_pay=D("0"), deductible=D("600"), bands=bands)
    assert result.fund == D("320.00")  # (1000 − 600) × 0.8


def test_amounts_round_half_up_to_the_cent():
    result = settle(
        total=D("100.005"), out_of_catalogue=D("0"), class_b_self_pay=D("0"), deductible=D("0"), bands=[(None, "0.5")]
    )
    # 100.005 → 100.01 first; 100.01 × 0.5 = 50.005 → 50.01 (half up, not banker's 50.00)
    assert (result.scope, result.fund, result.patient) == (D("100.01"), D("50.01"), D("50.00"))


def test_above_a_closed_last_band_the_fund_pays_nothing():
    result = settle(
        total=D("3000"), out_of_catalogue=D("0"), class_b_self_pay=D("0"), deductible=D("0"), bands=[(D("1000"), "0.5")]
    )
    assert result.fund == D("500.00")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"out_of_catalogue": D("60"), "class_b_self_pay": D("50")},  # parts exceed the total
        {"out_of_catalogue": D("-1"), "class_b_self_pay": D("0")},
        {"out_of_catalogue": D("0"), "class_b_self_pay": D("0"), "bands": [(None, "0.5"), (D("10"), "0.5")]},
        {"out_of_catalogue": D("0"), "class_b_self_pay": D("0"), "bands": [(D("10"), "0.5"), (D("5"), "0.5")]},
        {"out_of_catalogue": D("0"), "class_b_self_pay": D("0"), "bands": [(None, "1.5")]},
        {"out_of_catalogue": D("0"), "class_b_self_pay": D("0"), "bands": []},
        {"out_of_catalogue": "abc", "class_b_self_pay": D("0")},
    ],
)
def test_bad_input_is_refused_in_the_one_error_shape(kwargs):
    arguments = {"total": D("100"), "deductible": D("0"), "bands": BANDS, **kwargs}
    with pytest.raises(InvalidInput):
        settle(**arguments)


def test_line_split_by_class():
    assert rules.line_split(quantity=D("2"), unit_price=D("10.005"), klass="A", self_pay_share=D("0")) == (
        rules.LineSplit(D("20.01"), D("0"), D("0"))
    )
    assert rules.line_split(
        quantity=D("1"), unit_price=D("200"), klass="B", self_pay_share=D("0.1")
    ).class_b_self_pay == D("20.00")
    assert rules.line_split(
        quantity=D("1"), unit_price=D("30"), klass="C", self_pay_share=D("0")
    ).out_of_catalogue == D("30.00")
    assert rules.line_split(
        quantity=D("1"), unit_price=D("30"), klass=None, self_pay_share=D("0")
    ).out_of_catalogue == D("30.00")
    with pytest.raises(InvalidInput):
        rules.line_split(quantity=D("0"), unit_price=D("30"), klass="A", self_pay_share=D("0"))
    with pytest.raises(InvalidInput):  # the columns hold 12 digits: a line this large is refused, never a 500
        rules.line_split(quantity=D("9999999"), unit_price=D("99999999"), klass="A", self_pay_share=D("0"))


def test_payment_split_uses_the_account_first():
    assert rules.payment_split(patient=D("300"), account_balance=D("120"), use_account=True) == rules.Payment(
        D("120"), D("180")
    )
    assert rules.payment_split(patient=D("300"), account_balance=D("500"), use_account=True).cash == D("0")
    assert rules.payment_split(patient=D("300"), account_balance=D("500"), use_account=False).account == D("0")


cents = st.integers(min_value=0, max_value=10_000_000).map(lambda c: D(c) / 100)
ratios = st.integers(min_value=0, max_value=100).map(lambda p: D(p) / 100)


@st.composite
def policies(draw):
    bounds = sorted(set(draw(st.lists(st.integers(min_value=1, max_value=200_000), max_size=4))))
    ratio_list = draw(st.lists(ratios, min_size=len(bounds) + 1, max_size=len(bounds) + 1))
    open_end = draw(st.booleans())
    bands = [(D(b), r) for b, r in zip(bounds, ratio_list, strict=False)]
    if open_end or not bands:
        bands.append((None, ratio_list[-1]))
    return bands


@st.composite
def bills(draw):
    total = draw(cents)
    outside = draw(cents.filter(lambda v: v <= total)) if total else D("0")
    class_b = draw(cents.filter(lambda v: v <= total - outside)) if total - outside else D("0")
    return total, outside, class_b


@settings(max_examples=300, deadline=None)
@given(bill=bills(), deductible=cents, bands=policies(), cap=st.none() | cents)
def test_properties(bill, deductible, bands, cap):
    total, outside, class_b = bill
    result = settle(
        total=total,
        out_of_catalogue=outside,
        class_b_self_pay=class_b,
        deductible=deductible,
        bands=bands,
        cap_remaining=cap,
    )
    assert result.scope == total - outside - class_b
    assert result.fund + result.patient == total
    assert D("0") <= result.fund <= result.scope
    assert result.over_cap >= 0
    if cap is not None:
        assert result.fund <= cap
    else:
        assert result.over_cap == 0
    # The fund never pays more than the best ratio on what lies above the deductible.
    best = max(ratio for _, ratio in bands)
    assert result.fund <= rules.money(max(D("0"), result.scope - deductible) * best)
    # Every figure is in cents.
    for value in (result.scope, result.fund, result.patient, result.over_cap):
        assert value == value.quantize(rules.CENT)
    # The cap only moves money from the fund to over_cap.
    uncapped = settle(
        total=total, out_of_catalogue=outside, class_b_self_pay=class_b, deductible=deductible, bands=bands
    )
    assert result.fund + result.over_cap == uncapped.fund


@settings(max_examples=200, deadline=None)
@given(bill=bills(), extra=cents, deductible=cents, bands=policies())
def test_more_in_scope_never_lowers_the_fund(bill, extra, deductible, bands):
    total, outside, class_b = bill
    before = settle(total=total, out_of_catalogue=outside, class_b_self_pay=class_b, deductible=deductible, bands=bands)
    after = settle(
        total=total + extra, out_of_catalogue=outside, class_b_self_pay=class_b, deductible=deductible, bands=bands
    )
    assert after.fund >= before.fund
    # and a higher deductible never raises it
    higher = settle(
        total=total, out_of_catalogue=outside, class_b_self_pay=class_b, deductible=deductible + extra, bands=bands
    )
    assert higher.fund <= before.fund


@settings(max_examples=100, deadline=None)
@given(bill=bills(), deductible=cents, bands=policies(), reduction=ratios)
def test_an_unreferred_outing_never_gets_more(bill, deductible, bands, reduction):
    total, outside, class_b = bill
    home = settle(total=total, out_of_catalogue=outside, class_b_self_pay=class_b, deductible=deductible, bands=bands)
    away = settle(
        total=total,
        out_of_catalogue=outside,
        class_b_self_pay=class_b,
        deductible=deductible,
        bands=rules.bands_reduce(rules.bands_check(bands), reduction),
    )
    assert away.fund <= home.fund
