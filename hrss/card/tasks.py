"""Background work of the card (django-tasks).

``temporary_losses_lapse`` is the same work as ``hrss card lapse-losses``; the scheduler
runs it daily as the job ``card.lapse_losses`` (``CardConfig.scheduled_jobs``,
``hrss.core.schedule``; ``docs/operations.md``).
It is idempotent: a report lapses once, and a run finds only the reports still due. It
takes no "as of" moment on purpose: lapsing a report early would make a card someone
reported lost work again.

``production_batches_send`` is ``hrss card produce``: once a day every card application
waiting (``applied``: at the counter, online, or approved in the service hall) goes to the
card factory in a personalisation file, and the cards are ``in_production`` (制卡中).
Idempotent: a run finds only the applications made since the last one.
"""

from __future__ import annotations

from django_tasks import task

from hrss.card import services


@task()
def temporary_losses_lapse() -> int:
    """Temporary loss reports whose time has run out lapse; the cards work again."""
    return services.temporary_losses_lapse()


@task()
def production_batches_send() -> int:
    """Waiting card applications go to the factory; returns how many cards were sent."""
    return sum(batch.cards_total for batch in services.production_batches_send())
