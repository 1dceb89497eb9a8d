"""Daily reconciliation of payment orders against a bank statement (对账): pure matching.

Our side: the orders hrss recorded as paid through one gateway on one day. Their side: the
rows of the bank's statement file for that day. Every reference ends in exactly one kind:

- ``matched``: on both sides with the same amount;
- ``amount_mismatch``: on both sides, amounts differ;
- ``missing``: paid in hrss, not on the statement (the bank has no record of the money);
- ``extra``: on the statement, not paid in hrss (money arrived for an order we did not
  record as paid, an unknown reference, or a duplicate line).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

MATCHED = "matched"
MISSING = "missing"
EXTRA = "extra"
AMOUNT_MISMATCH = "amount_mismatch"
KINDS = (MATCHED, MISSING, EXTRA, AMOUNT_MISMATCH)

STATEMENT_COLUMNS = ("reference", "amount")


@dataclass(frozen=True)
class StatementLine:
    line: int
    reference: str
    amount: Decimal


@dataclass(frozen=True)
class Difference:
    kind: str
    reference: str
    amount_ours: Decimal | None
    amount_statement: Decimal | None
    note: str = ""


class StatementError(ValueError):
    """The statement file cannot be read (wrong columns, bad amount)."""


def statement_parse(data: bytes) -> list[StatementLine]:
    """Read a CSV statement with at least ``reference`` and ``amount`` columns (UTF-8, BOM allowed)."""
    text = data.decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    missing = [column for column in STATEMENT_COLUMNS if column not in (reader.fieldnames or [])]
    if missing:
        raise StatementError(f"the statement file needs the columns {', '.join(missing)}")
    lines: list[StatementLine] = []
    for number, row in enumerate(reader, start=2):
        reference = (row.get("reference") or "").strip()
        raw_amount = (row.get("amount") or "").strip()
        if not reference and not raw_amount:
            continue
        try:
            amount = Decimal(raw_amount)
        except InvalidOperation as error:
            raise StatementError(f"line {number}: {raw_amount!r} is not an amount") from error
        if not amount.is_finite():
            raise StatementError(f"line {number}: {raw_amount!r} is not an amount")
        lines.append(StatementLine(number, reference, amount.quantize(Decimal("0.01"))))
    return lines


def reconcile(
    ours: Mapping[str, Decimal],
    statement: Iterable[StatementLine],
    *,
    known_unpaid: Mapping[str, str] | None = None,
) -> list[Difference]:
    """Compare; ``known_unpaid`` names references hrss knows but has not marked paid (their status)."""
    known_unpaid = known_unpaid or {}
    seen: set[str] = set()
    results: list[Difference] = []
    for line in statement:
        reference = line.reference
        if reference in seen:
            results.append(Difference(EXTRA, reference, None, line.amount, f"duplicate line {line.line}"))
            continue
        seen.add(reference)
        if reference not in ours:
            status = known_unpaid.get(reference)
            note = f"order is {status} in hrss" if status else "unknown reference"
            results.append(Difference(EXTRA, reference, None, line.amount, note))
        elif ours[reference] != line.amount:
            results.append(Difference(AMOUNT_MISMATCH, reference, ours[reference], line.amount))
        else:
            results.append(Difference(MATCHED, reference, ours[reference], line.amount))
    results.extend(
        Difference(MISSING, reference, amount, None) for reference, amount in ours.items() if reference not in seen
    )
    return sorted(results, key=lambda item: (KINDS.index(item.kind), item.reference))
