"""The labour app's domain events (hrss.core.events), published after commit."""

from __future__ import annotations

from dataclasses import dataclass

from hrss.core.events import Event


@dataclass(frozen=True)
class InspectionStep(Event):
    """A step on an inspection lead (L3): ``action`` is finding, order_issue, order_comply,
    order_overdue, order_penalty or lead_close; ``order`` the order's reference, if any."""

    lead_id: str
    employer_id: str
    action: str
    order: str = ""
