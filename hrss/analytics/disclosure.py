"""Statistical disclosure control for the open statistics (S8): cell suppression of a
two-way table of counts with its margins, primary and complementary.

A count from 1 to k−1 (k a dated policy parameter, ``statistics.suppression_k``) is
suppressed (primary suppression), and so is a margin in that range. Publishing the margins
would then give such a cell back by subtraction, so further entries are suppressed
(complementary suppression) until no suppressed entry can be worked out from what is
published:

- an *attacker's bounds* for each suppressed entry are the least and greatest values it can
  take given every published count, the additivity of the table (each row and column sums
  to its margin, the margins to the grand total) and that counts are not negative: two
  linear programs per entry (HiGHS, through ``scipy.optimize.linprog``);
- an entry is exposed when its bounds are less than one apart (it is recovered), or, for a
  primary cell, when its upper bound is under k (the attacker learns that it is small);
- each exposed entry gets one more suppression: the smallest positive published entry
  that shares a row, column or margin equation with it; then the bounds are worked out
  again, until nothing is exposed.

Zero cells are published: a zero says nobody, which is no one's disclosure; they are never
used as complements, because many zeros are known to anyone (structural zeros).
Everything here is pure: counts in, a ``Release`` out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog

# An entry of the table: ("cell", row, column), ("row", row), ("column", column) or ("total",).
Entry = tuple[str, ...]


@dataclass(frozen=True)
class Release:
    """A table ready to publish: a suppressed entry is None."""

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: dict[tuple[str, str], int | None]
    row_totals: dict[str, int | None]
    column_totals: dict[str, int | None]
    total: int | None
    k: int

    @property
    def suppressed(self) -> int:
        return sum(
            v is None
            for v in (*self.cells.values(), *self.row_totals.values(), *self.column_totals.values(), self.total)
        )


@dataclass(frozen=True)
class Bounds:
    low: float
    high: float


def _equations(rows: Sequence[str], columns: Sequence[str]) -> list[dict[Entry, int]]:
    """The table's additivity: each equation's entries with their coefficients, summing to 0."""
    equations: list[dict[Entry, int]] = []
    for r in rows:
        equations.append({**{("cell", r, c): 1 for c in columns}, ("row", r): -1})
    for c in columns:
        equations.append({**{("cell", r, c): 1 for r in rows}, ("column", c): -1})
    equations.append({**{("row", r): 1 for r in rows}, ("total",): -1})
    equations.append({**{("column", c): 1 for c in columns}, ("total",): -1})
    return equations


def attacker_bounds(
    values: Mapping[Entry, int], hidden: set[Entry], equations: Sequence[Mapping[Entry, int]]
) -> dict[Entry, Bounds]:
    """The least and greatest value each hidden entry can take, given the published ones."""
    unknowns = sorted(hidden)
    if not unknowns:
        return {}
    index = {entry: i for i, entry in enumerate(unknowns)}
    a_eq = np.zeros((len(equations), len(unknowns)))
    b_eq = np.zeros(len(equations))
    for row, equation in enumerate(equations):
        for entry, coefficient in equation.items():
            if entry in index:
                a_eq[row, index[entry]] = coefficient
            else:
                b_eq[row] -= coefficient * values[entry]
    found: dict[Entry, Bounds] = {}
    for entry, i in index.items():
        objective = np.zeros(len(unknowns))
        objective[i] = 1.0
        low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        # Unbounded above only when nothing ties the entry down, which a table with a
        # published grand total never is; say so rather than guess.
        upper = -high.fun if high.status == 0 else float("inf")
        found[entry] = Bounds(low=low.fun if low.status == 0 else 0.0, high=upper)
    return found


def protect(counts: Mapping[tuple[str, str], int], rows: Sequence[str], columns: Sequence[str], *, k: int) -> Release:
    """Suppress the table's small entries and enough others that none can be worked out."""
    if k < 1:
        raise ValueError("k must be at least 1")
    values: dict[Entry, int] = {}
    for r in rows:
        for c in columns:
            count = int(counts.get((r, c), 0))
            if count < 0:
                raise ValueError("counts cannot be negative")
            values[("cell", r, c)] = count
    for r in rows:
        values[("row", r)] = sum(values[("cell", r, c)] for c in columns)
    for c in columns:
        values[("column", c)] = sum(values[("cell", r, c)] for r in rows)
    values[("total",)] = sum(values[("row", r)] for r in rows)
    equations = _equations(rows, columns)

    primary = {entry for entry, value in values.items() if 0 < value < k}
    if ("total",) in primary:  # the whole table is smaller than one publishable cell
        hidden = {entry for entry, value in values.items() if value > 0}
    else:
        hidden = set(primary)
        while True:
            bounds = attacker_bounds(values, hidden, equations)
            exposed = sorted(
                entry
                for entry, b in bounds.items()
                if b.high - b.low < 1 - 1e-9 or (entry in primary and b.high < k - 1e-9)
            )
            if not exposed:
                break
            added = {p for entry in exposed if (p := _complement(entry, values, hidden, equations))}
            if not added:
                # Nothing left to pair an exposed entry with: publish no count at all.
                hidden = {entry for entry, value in values.items() if value > 0}
                break
            hidden |= added

    def shown(entry: Entry) -> int | None:
        return None if entry in hidden else values[entry]

    return Release(
        rows=tuple(rows),
        columns=tuple(columns),
        cells={(r, c): shown(("cell", r, c)) for r in rows for c in columns},
        row_totals={r: shown(("row", r)) for r in rows},
        column_totals={c: shown(("column", c)) for c in columns},
        total=shown(("total",)),
        k=k,
    )


def _complement(
    entry: Entry, values: Mapping[Entry, int], hidden: set[Entry], equations: Sequence[Mapping[Entry, int]]
) -> Entry | None:
    """The smallest positive published entry sharing an equation with ``entry`` (never the
    grand total), or None when every partner is already suppressed or zero."""
    candidates = {
        other
        for equation in equations
        if entry in equation
        for other in equation
        if other not in hidden and other != ("total",) and values[other] > 0
    }
    if not candidates:
        return None
    return min(candidates, key=lambda other: (values[other], other))
