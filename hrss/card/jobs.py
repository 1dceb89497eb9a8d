"""The card's scheduled jobs (declared in ``CardConfig.scheduled_jobs``, run by ``hrss.core.schedule``)."""

from __future__ import annotations

from hrss.card import services


def temporary_losses_lapse() -> dict[str, int]:
    """Daily: temporary loss reports whose time has run out lapse. Idempotent: a report lapses once."""
    return {"lapsed": services.temporary_losses_lapse()}


def production_batches_send() -> dict[str, int]:
    """Daily: waiting card applications go to the factory. Idempotent: a card is sent once."""
    batches = services.production_batches_send()
    return {"batches": len(batches), "cards": sum(batch.cards_total for batch in batches)}
