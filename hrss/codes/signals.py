"""Cache invalidation when code tables change (plumbing, not business flow)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from hrss.codes import models
from hrss.codes.selectors import codes_changed


@receiver([post_save, post_delete], sender=models.PolicyParameter)
@receiver([post_save, post_delete], sender=models.District)
def _invalidate(**kwargs: Any) -> None:
    # Now, and again once the change is committed: another process that reloaded the table
    # between the two (it still read the old rows) does not keep them in the shared cache.
    codes_changed()
    transaction.on_commit(codes_changed)
