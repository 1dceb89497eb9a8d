"""The medical settlement rule as pure functions (S4): no ORM, no figures — every deductible,
band, cap and share comes in as an argument (the policy layer reads them from data).

``settle`` splits a bill between the pool (统筹基金) and the patient:

- in scope = total − outside the catalogue (丙类, unknown items) − the class B share the
  patient pays first (乙类先行自付);
- ``bands`` is a sequence of ``(upper_bound_or_None, ratio)`` over the in-scope amount; the
  deductible (起付线) is taken off the bottom (of the first band, then the next if it is
  larger), and each band's ratio applies to the part of the in-scope amount inside it, above
  the deductible; above the last bound (when it is not None) the fund pays nothing;
- the fund pays the sum, limited by ``cap_remaining``; what the cap cuts off is ``over_cap``
  (reported for the serious-illness layer 大额/大病);
- ``patient`` = total − fund: everything the patient bears (outside the catalogue, the
  class B share, the deductible, the co-payment and ``over_cap``).

Amounts are ``Decimal`` yuan, rounded half up to 0.01 (inputs first, then each result).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from hrss.core.errors import InvalidInput

CENT = Decimal("0.01")
ZERO = Decimal("0")
ONE = Decimal("1")
LINE_LIMIT = Decimal("10000000")  # one line of a bill: ten million yuan is a typing error, not a bill

Band = tuple[Decimal | None, Decimal]


@dataclass(frozen=True)
class Settlement:
    scope: Decimal
    fund: Decimal
    patient: Decimal
    over_cap: Decimal


def money(value: Decimal | int | str) -> Decimal:
    """A yuan amount rounded half up to the cent."""
    try:
        return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, TypeError, ValueError):
        raise InvalidInput(_("This is not an amount of money."), code="invalid_amount") from None


def _ratio(value: Decimal | int | str) -> Decimal:
    try:
        ratio = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise InvalidInput(_("A band's ratio is not a number."), code="invalid_bands") from None
    if not ZERO <= ratio <= ONE:
        raise InvalidInput(_("A band's ratio must lie between 0 and 1."), code="invalid_bands")
    return ratio


def bands_check(bands: Sequence[tuple[Decimal | int | str | None, Decimal | int | str]]) -> list[Band]:
    """The bands as Decimals, refused unless the bounds rise and only the last is open."""
    if not bands:
        raise InvalidInput(_("At least one band is needed."), code="invalid_bands")
    checked: list[Band] = []
    lower = ZERO
    for index, (upper, ratio) in enumerate(bands):
        if upper is None:
            if index != len(bands) - 1:
                raise InvalidInput(_("Only the last band may be open-ended."), code="invalid_bands")
            checked.append((None, _ratio(ratio)))
            continue
        bound = money(upper)
        if bound <= lower:
            raise InvalidInput(_("Band bounds must rise."), code="invalid_bands")
        checked.append((bound, _ratio(ratio)))
        lower = bound
    return checked


def bands_reduce(bands: Sequence[Band], reduction: Decimal) -> list[Band]:
    """Each band's ratio lowered by ``reduction`` (not below 0): an outing without referral."""
    return [(upper, max(ZERO, ratio - reduction)) for upper, ratio in bands]


def settle(
    *,
    total: Decimal,
    out_of_catalogue: Decimal,
    class_b_self_pay: Decimal,
    deductible: Decimal,
    bands: Sequence[tuple[Decimal | int | str | None, Decimal | int | str]],
    cap_remaining: Decimal | None = None,
) -> Settlement:
    total, outside, class_b, deductible = (money(v) for v in (total, out_of_catalogue, class_b_self_pay, deductible))
    if min(total, outside, class_b, deductible) < ZERO or (cap_remaining is not None and money(cap_remaining) < 0):
        raise InvalidInput(_("Amounts cannot be negative."), code="invalid_amount")
    if outside + class_b > total:
        raise InvalidInput(
            _("The parts paid outside the catalogue and first by the patient exceed the total."),
            code="invalid_amount",
        )
    scope = total - outside - class_b
    raw = ZERO
    lower = ZERO
    for upper, ratio in bands_check(bands):
        top = scope if upper is None else min(scope, upper)
        bottom = max(lower, deductible)
        if top > bottom:
            raw += (top - bottom) * ratio
        if upper is None or upper >= scope:
            break
        lower = upper
    uncapped = money(raw)
    fund = uncapped if cap_remaining is None else min(uncapped, money(cap_remaining))
    return Settlement(scope=scope, fund=fund, patient=total - fund, over_cap=uncapped - fund)


@dataclass(frozen=True)
class LineSplit:
    amount: Decimal
    out_of_catalogue: Decimal
    class_b_self_pay: Decimal


def line_split(*, quantity: Decimal, unit_price: Decimal, klass: str | None, self_pay_share: Decimal) -> LineSplit:
    """One line of the bill: its amount, and what of it is outside the catalogue (丙类 or not in
    the catalogue: ``klass`` None) or the class B share paid first (乙类先行自付)."""
    if quantity <= 0 or unit_price < 0:
        raise InvalidInput(_("Quantities must be positive and prices not negative."), code="invalid_amount")
    amount = money(quantity * unit_price)
    if amount >= LINE_LIMIT:
        raise InvalidInput(_("A line of the bill is too large."), code="invalid_amount")
    if klass is None or klass == "C":
        return LineSplit(amount, amount, ZERO)
    if klass == "B":
        return LineSplit(amount, ZERO, money(amount * _ratio(self_pay_share)))
    return LineSplit(amount, ZERO, ZERO)


@dataclass(frozen=True)
class Payment:
    account: Decimal
    cash: Decimal


def payment_split(*, patient: Decimal, account_balance: Decimal, use_account: bool) -> Payment:
    """What the patient bears, paid first from the personal account (if asked and held), the rest in cash."""
    account = money(min(patient, max(ZERO, account_balance)) if use_account else ZERO)
    return Payment(account=account, cash=money(patient) - account)
