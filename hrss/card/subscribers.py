"""Reactions to other apps' domain events (delivered after their transaction commits)."""

from __future__ import annotations

from hrss.card import services
from hrss.card.rules import CancelReason
from hrss.core.events import subscribe
from hrss.core.scope import Scope
from hrss.registry.services import PersonDied


@subscribe(PersonDied)
def cancel_cards_on_death(event: PersonDied) -> None:
    """注销 on death: the registry learnt of a death, so every live card of the person is cancelled."""
    services.person_cards_cancel(scope=Scope.system("card"), person_id=event.person_id, reason=CancelReason.DEATH)
