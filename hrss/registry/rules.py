"""Pure rules of the registry: which source may set a value (一数一源)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum


class Decision(StrEnum):
    UNCHANGED = "unchanged"  # same value, no better source: nothing to do
    APPLY = "apply"  # write the value (and its source)
    CONFIRM = "confirm"  # same value, more authoritative source: record the better source
    CONFLICT = "conflict"  # different value from a less authoritative source: to review


def source_rank(source: str, ranking: Sequence[str]) -> int:
    """Position of a source in an attribute's ranking; unlisted sources rank last."""
    return ranking.index(source) if source in ranking else len(ranking)


def provenance_decision(
    *, current_value: object, current_source: str | None, new_value: object, new_source: str, ranking: Sequence[str]
) -> Decision:
    """Decide what a value from ``new_source`` does to an attribute.

    - No current value: apply it.
    - Same value: confirm if the new source is more authoritative, else nothing.
    - Different value: apply if the new source ranks at least as high as the current
      one; otherwise a less authoritative source is trying to overwrite, which goes to
      a person for review instead.
    """
    if current_value in (None, ""):
        return Decision.UNCHANGED if new_value in (None, "") else Decision.APPLY
    if new_value in (None, ""):
        return Decision.UNCHANGED  # an empty column never erases a known value
    new_rank = source_rank(new_source, ranking)
    current_rank = source_rank(current_source or "", ranking)
    if new_value == current_value:
        return Decision.CONFIRM if new_rank < current_rank else Decision.UNCHANGED
    return Decision.APPLY if new_rank <= current_rank else Decision.CONFLICT


def rankings_from_rows(rows: Sequence[tuple[str, str, int]]) -> Mapping[str, list[str]]:
    """``[(attribute, source, rank)]`` → ``{attribute: [sources by rank]}``."""
    table: dict[str, list[tuple[int, str]]] = {}
    for attribute, source, rank in rows:
        table.setdefault(attribute, []).append((rank, source))
    return {attribute: [s for _r, s in sorted(items)] for attribute, items in table.items()}
