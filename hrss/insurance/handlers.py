"""Subscriptions to other apps' domain events."""

from __future__ import annotations

from hrss.core.events import subscribe
from hrss.registry.services import PersonDied


@subscribe(PersonDied)
def close_enrolments_on_death(event: PersonDied) -> None:
    """减员 on death: enrolments end with the month of death (the assessment never charges later)."""
    from hrss.insurance.services.assessment import enrolments_close_deceased

    enrolments_close_deceased(person_id=event.person_id, actor="registry:death")


@subscribe(PersonDied)
def suspend_benefits_on_death(event: PersonDied) -> None:
    """Benefits stop at once; anything already paid for later months becomes a recovery case."""
    from hrss.insurance.services.eligibility import crosscheck_deaths

    crosscheck_deaths(person_id=event.person_id, actor="registry:death")
