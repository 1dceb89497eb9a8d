"""Background work of the card: run daily (``hrss card lapse-losses`` from cron, or enqueue this)."""

from __future__ import annotations

from django_tasks import task

from hrss.card import services


@task()
def temporary_losses_lapse() -> int:
    """Temporary loss reports whose time has run out lapse; the cards work again."""
    return services.temporary_losses_lapse()
