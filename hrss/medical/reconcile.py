"""Reconciliation of medical settlements, pure: no ORM.

The daily settlement file (S4): one institution's settlements, reversals (冲正) and refunds
(退费) of one day, as CSV with a header and a totals line. The institution sends back its own
list; every transaction id ends in at most one difference:

- ``ours_only``: in our file, not in the institution's list;
- ``theirs_only``: in the institution's list, not in our file;
- ``amount_mismatch``: on both sides, an amount (total, fund, account, cash) or the kind differs;
- ``reversed_one_side``: a reversal on one side only (the other side still counts the settlement).

Business against finance (S7): what the fund owes each institution (the fund share of its
settlements) against what the bank paid it, per month and per day.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
AMOUNTS = ("total", "fund", "account", "cash")
KINDS = ("settlement", "reversal", "refund")
OURS_ONLY = "ours_only"
THEIRS_ONLY = "theirs_only"
AMOUNT_MISMATCH = "amount_mismatch"
REVERSED_ONE_SIDE = "reversed_one_side"
DIFFERENCE_KINDS = (OURS_ONLY, THEIRS_ONLY, AMOUNT_MISMATCH, REVERSED_ONE_SIDE)
FILE_COLUMNS = ("transaction_id", "kind", "original_transaction_id", "visit_date", "settled_at", *AMOUNTS)
TOTALS_MARK = "TOTAL"


@dataclass(frozen=True)
class Line:
    """One settlement, reversal or refund as either side counts it."""

    transaction_id: str
    kind: str
    amounts: Mapping[str, Decimal]
    original_transaction_id: str = ""
    visit_date: dt.date | None = None
    settled_at: str = ""


@dataclass(frozen=True)
class Difference:
    """``note`` is data, not prose: the differing fields (``kind``, amount names) of an amount
    mismatch, the kind of a one-sided line, the original transaction id of a one-sided reversal."""

    kind: str
    transaction_id: str
    ours: Mapping[str, Decimal] = field(default_factory=dict)
    theirs: Mapping[str, Decimal] = field(default_factory=dict)
    note: str = ""


@dataclass(frozen=True)
class Comparison:
    matched: int
    differences: list[Difference]


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT)


def settlement_file(lines: Sequence[Line]) -> bytes:
    """The day's file: the header, a line per transaction (in the order given), the totals line
    (``TOTAL``, the number of lines, the sum of each amount)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(FILE_COLUMNS)
    sums = dict.fromkeys(AMOUNTS, ZERO)
    for line in lines:
        writer.writerow(
            [
                line.transaction_id,
                line.kind,
                line.original_transaction_id,
                line.visit_date.isoformat() if line.visit_date else "",
                line.settled_at,
                *(money(line.amounts[name]) for name in AMOUNTS),
            ]
        )
        for name in AMOUNTS:
            sums[name] += line.amounts[name]
    writer.writerow([TOTALS_MARK, len(lines), "", "", "", *(money(sums[name]) for name in AMOUNTS)])
    return buffer.getvalue().encode()


def _shown(amounts: Mapping[str, Decimal]) -> dict[str, Decimal]:
    return {name: money(amounts[name]) for name in AMOUNTS}


def compare(ours: Iterable[Line], theirs: Iterable[Line]) -> Comparison:
    """Our lines against the institution's (transaction ids unique on each side)."""
    mine = {line.transaction_id: line for line in ours}
    other = {line.transaction_id: line for line in theirs}
    matched = 0
    differences: list[Difference] = []
    for tid in sorted(mine.keys() | other.keys()):
        a, b = mine.get(tid), other.get(tid)
        if a is not None and b is not None:
            changed = [name for name in AMOUNTS if money(a.amounts[name]) != money(b.amounts[name])]
            if a.kind != b.kind:
                changed.insert(0, "kind")
            if changed:
                differences.append(
                    Difference(AMOUNT_MISMATCH, tid, _shown(a.amounts), _shown(b.amounts), ",".join(changed))
                )
            else:
                matched += 1
        elif a is not None:
            if a.kind == "reversal":
                differences.append(Difference(REVERSED_ONE_SIDE, tid, _shown(a.amounts), {}, a.original_transaction_id))
            else:
                differences.append(Difference(OURS_ONLY, tid, _shown(a.amounts), {}, a.kind))
        elif b is not None:
            if b.kind == "reversal":
                differences.append(Difference(REVERSED_ONE_SIDE, tid, {}, _shown(b.amounts), b.original_transaction_id))
            else:
                differences.append(Difference(THEIRS_ONLY, tid, {}, _shown(b.amounts), b.kind))
    differences.sort(key=lambda item: (DIFFERENCE_KINDS.index(item.kind), item.transaction_id))
    return Comparison(matched=matched, differences=differences)


# --- business against finance (S7) ---------------------------------------------------------------


BANK_COLUMNS = ("reference", "institution_code", "paid_on", "period", "amount")


class BankFileError(ValueError):
    """The bank's file cannot be read (wrong columns); per-row problems are listed instead."""


@dataclass(frozen=True)
class BankRow:
    line: int
    reference: str
    institution_code: str
    paid_on: dt.date
    period: str
    amount: Decimal


def _period(value: str) -> str:
    """A settlement day ``YYYY-MM-DD`` or month ``YYYY-MM``; ValueError otherwise."""
    if len(value) == 7:
        dt.date.fromisoformat(value + "-01")
    elif len(value) != 10 or dt.date.fromisoformat(value).isoformat() != value:
        raise ValueError(value)
    return value


def bank_file_parse(data: bytes) -> tuple[list[BankRow], list[tuple[int, str]]]:
    """The rows of the bank's payment file and the problems of the rows it refused (line, why)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BankFileError("the bank file is not UTF-8") from error
    reader = csv.DictReader(io.StringIO(text))
    missing = [column for column in BANK_COLUMNS if column not in (reader.fieldnames or [])]
    if missing:
        raise BankFileError(f"the bank file needs the columns {', '.join(missing)}")
    rows: list[BankRow] = []
    problems: list[tuple[int, str]] = []
    for number, raw in enumerate(reader, start=2):
        values = {column: (raw.get(column) or "").strip() for column in BANK_COLUMNS}
        if not any(values.values()):
            continue
        if not values["reference"] or len(values["reference"]) > 60:
            problems.append((number, "reference: 1 to 60 characters"))
            continue
        try:
            amount = Decimal(values["amount"])
        except InvalidOperation:
            amount = Decimal("NaN")
        if not amount.is_finite() or amount != amount.quantize(CENT) or abs(amount) >= Decimal("1e12"):
            problems.append((number, f"amount: {values['amount']!r} is not an amount in yuan"))
            continue
        try:
            paid_on = dt.date.fromisoformat(values["paid_on"])
            period = _period(values["period"])
        except ValueError:
            problems.append((number, "paid_on YYYY-MM-DD and period YYYY-MM-DD or YYYY-MM"))
            continue
        rows.append(BankRow(number, values["reference"], values["institution_code"], paid_on, period, money(amount)))
    return rows, problems


@dataclass(frozen=True)
class FinanceRow:
    """Owed against paid for one institution and one period (a month, or a day of it)."""

    institution_id: object
    period: str
    owed: Decimal
    paid: Decimal

    @property
    def difference(self) -> Decimal:
        return self.owed - self.paid


def finance_compare(
    owed: Mapping[tuple[object, str], Decimal], paid: Mapping[tuple[object, str], Decimal]
) -> list[FinanceRow]:
    """One row per (institution, period) on either side, sorted by institution then period."""
    keys = sorted(owed.keys() | paid.keys(), key=lambda key: (str(key[0]), key[1]))
    return [FinanceRow(key[0], key[1], money(owed.get(key, ZERO)), money(paid.get(key, ZERO))) for key in keys]
