"""Month arithmetic and the drop between two figures, shared by the early warnings that read
the contribution ledger month by month (labour's wage-arrears warning, the analytics
unemployment warning). Pure: no ORM."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any


def month_start(day: dt.date, back: int = 0) -> dt.date:
    """The first day of ``day``'s month, ``back`` months earlier (negative: later)."""
    index = day.year * 12 + day.month - 1 - back
    return dt.date(index // 12, index % 12 + 1, 1)


def share_drop(before: Any, after: Any) -> Decimal:
    """How much ``after`` fell below ``before``, as a share of ``before`` (0 when it did not
    fall, or when there was nothing before)."""
    if not before:
        return Decimal(0)
    return max(Decimal(0), 1 - Decimal(str(after or 0)) / Decimal(str(before)))
