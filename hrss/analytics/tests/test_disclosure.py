"""Open statistics' cell suppression (S8): an attacker holding the published release tries to
recover each suppressed count, by differencing rows and columns and by linear programming
over the table's sums, and must fail. The attack is written here from the release alone,
apart from the module's own audit."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from hrss.analytics.disclosure import Release, protect

K = 10


def _lines(release: Release) -> list[tuple[list[object], object]]:
    """The published sums: (the parts, their total), each part or total a value or None."""
    lines: list[tuple[list[object], object]] = []
    for r in release.rows:
        lines.append(([("c", r, c) for c in release.columns], ("r", r)))
    for c in release.columns:
        lines.append(([("c", r, c) for r in release.rows], ("k", c)))
    lines.append(([("r", r) for r in release.rows], ("t",)))
    lines.append(([("k", c) for c in release.columns], ("t",)))
    return lines


def _published(release: Release) -> dict[tuple, int | None]:
    known: dict[tuple, int | None] = {("t",): release.total}
    known.update({("c", r, c): v for (r, c), v in release.cells.items()})
    known.update({("r", r): v for r, v in release.row_totals.items()})
    known.update({("k", c): v for c, v in release.column_totals.items()})
    return known


def differencing_attack(release: Release) -> dict[tuple, int]:
    """Fill any sum with one unknown by subtraction, again and again."""
    known = _published(release)
    recovered: dict[tuple, int] = {}
    changed = True
    while changed:
        changed = False
        for parts, total in _lines(release):
            names = [*parts, total]
            missing = [n for n in names if known[n] is None]
            if len(missing) != 1:
                continue
            (name,) = missing
            part_sum = sum(known[p] or 0 for p in parts if p != name)
            value = known[total] - part_sum if name != total else part_sum  # type: ignore[operator]
            known[name] = value
            recovered[name] = value
            changed = True
    return recovered


def lp_attack(release: Release) -> dict[tuple, tuple[float, float]]:
    """The least and greatest value of every suppressed entry over all non-negative tables
    that agree with the release."""
    known = _published(release)
    hidden = sorted(n for n, v in known.items() if v is None)
    if not hidden:
        return {}
    at = {n: i for i, n in enumerate(hidden)}
    rows, rhs = [], []
    for parts, total in _lines(release):
        row = np.zeros(len(hidden))
        b = 0.0
        for name, sign in [*((p, 1) for p in parts), (total, -1)]:
            if name in at:
                row[at[name]] += sign
            else:
                b -= sign * known[name]  # type: ignore[operator]
        rows.append(row)
        rhs.append(b)
    bounds = {}
    for name, i in at.items():
        objective = np.zeros(len(hidden))
        objective[i] = 1
        low = linprog(objective, A_eq=np.array(rows), b_eq=rhs, bounds=(0, None), method="highs")
        high = linprog(-objective, A_eq=np.array(rows), b_eq=rhs, bounds=(0, None), method="highs")
        assert low.status == 0 and high.status == 0
        bounds[name] = (low.fun, -high.fun)
    return bounds


def _assert_protected(release: Release, counts: dict[tuple[str, str], int]) -> None:
    assert differencing_attack(release) == {}
    truth = {("c", r, c): counts.get((r, c), 0) for r in release.rows for c in release.columns}
    for r in release.rows:
        truth[("r", r)] = sum(counts.get((r, c), 0) for c in release.columns)
    for c in release.columns:
        truth[("k", c)] = sum(counts.get((r, c), 0) for r in release.rows)
    truth[("t",)] = sum(counts.values())
    for name, (low, high) in lp_attack(release).items():
        assert high - low >= 1 - 1e-6, f"{name} is pinned to {low}"
        if 0 < truth[name] < K:
            assert high >= K - 1e-6, f"{name} is known to be under {K}"
    # what is published is true, and nothing small is published
    for name, value in _published(release).items():
        if value is not None:
            assert value == truth[name]
            assert value == 0 or value >= K


def test_a_small_cell_alone_in_its_row_and_column_gets_complements():
    rows, columns = ["a", "b", "c"], ["x", "y", "z"]
    counts = {("a", "x"): 3, ("a", "y"): 40, ("a", "z"): 25, ("b", "x"): 30, ("b", "y"): 50}
    counts |= {("b", "z"): 12, ("c", "x"): 44, ("c", "y"): 20, ("c", "z"): 31}
    release = protect(counts, rows, columns, k=K)
    assert release.cells[("a", "x")] is None
    # the cell alone would come back from its row and its column: at least one more of each is hidden
    assert sum(release.cells[("a", c)] is None for c in columns) >= 2
    assert sum(release.cells[(r, "x")] is None for r in rows) >= 2
    assert release.total == sum(counts.values())
    _assert_protected(release, counts)


def test_a_table_without_small_cells_is_published_whole():
    counts = {(r, c): 10 + i for i, (r, c) in enumerate((r, c) for r in "ab" for c in "xyz")}
    release = protect(counts, ["a", "b"], ["x", "y", "z"], k=K)
    assert release.suppressed == 0
    assert release.cells == counts


def test_zeros_are_published_and_a_small_margin_is_protected_too():
    counts = {("a", "x"): 4, ("b", "x"): 30, ("b", "y"): 30, ("c", "x"): 25, ("c", "y"): 18}
    release = protect(counts, ["a", "b", "c"], ["x", "y"], k=K)
    assert release.cells[("a", "y")] == 0
    assert release.row_totals["a"] is None  # 4 people in district a
    _assert_protected(release, counts)


def test_a_table_smaller_than_k_publishes_no_count():
    counts = {("a", "x"): 2, ("b", "y"): 3}
    release = protect(counts, ["a", "b"], ["x", "y"], k=K)
    assert release.total is None
    assert all(v in (None, 0) for v in release.cells.values())


@settings(max_examples=40, deadline=None)
@given(
    st.integers(2, 5).flatmap(
        lambda n_rows: st.integers(2, 5).flatmap(
            lambda n_cols: st.lists(
                st.one_of(st.just(0), st.integers(1, 12), st.integers(10, 80)),
                min_size=n_rows * n_cols,
                max_size=n_rows * n_cols,
            ).map(lambda values: (n_rows, n_cols, values))
        )
    )
)
def test_no_suppressed_count_can_be_recovered_from_any_table(shape):
    n_rows, n_cols, values = shape
    rows = [f"r{i}" for i in range(n_rows)]
    columns = [f"c{j}" for j in range(n_cols)]
    counts = {(r, c): values[i * n_cols + j] for i, r in enumerate(rows) for j, c in enumerate(columns)}
    release = protect(counts, rows, columns, k=K)
    if release.total is None:
        return
    _assert_protected(release, counts)


def test_k_must_be_positive():
    with pytest.raises(ValueError):
        protect({}, ["a"], ["x"], k=0)
