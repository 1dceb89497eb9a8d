"""A new or changed policy figure sends the published articles that cite it back to review."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import translation
from django.utils.translation import gettext as _

from hrss.codes.models import PolicyParameter
from hrss.hotline import services


@receiver(post_save, sender=PolicyParameter, dispatch_uid="hotline.parameter_changed")
def parameter_changed(sender: Any, instance: PolicyParameter, **kwargs: Any) -> None:
    with translation.override("zh-hans"):
        reason = _("The policy parameter %(name)s changed (%(value)s from %(date)s).") % {
            "name": instance.name,
            "value": instance.value.normalize(),
            "date": instance.valid_from,
        }
    name = instance.name
    transaction.on_commit(lambda: services.mark_for_review(parameter_names=[name], reason=reason))
