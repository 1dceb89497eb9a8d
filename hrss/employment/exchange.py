"""What employment answers other departments through the exchange (S3, ``hrss.core.exchange``)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from hrss.employment.models import UnemploymentRegistration

QUESTIONS = {"registered_unemployed": _("Is the person registered as unemployed?")}


def answers(questions: Iterable[str], person_id: uuid.UUID, *, on: dt.date) -> dict[str, bool]:
    registered = UnemploymentRegistration.objects.filter(
        person_id=person_id, status=UnemploymentRegistration.Status.REGISTERED, registered_on__lte=on
    ).exists()
    return {question: registered for question in questions if question in QUESTIONS}
