"""What insurance answers other departments through the exchange (S3, ``hrss.core.exchange``):
yes/no, from its own records, in one query for all the questions asked."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from hrss.insurance.models import BenefitAward, BenefitKind, Enrolment
from hrss.registry.models import Person

QUESTIONS = {
    "insured": _("Is the person enrolled in social insurance this month?"),
    "drawing_pension": _("Is the person drawing a basic pension from the bureau?"),
    "drawing_unemployment_benefit": _("Is the person drawing unemployment benefit?"),
}


def answers(questions: Iterable[str], person_id: uuid.UUID, *, on: dt.date) -> dict[str, bool]:
    """Each question asked, answered yes or no in one query."""
    month = on.replace(day=1)
    enrolled = Enrolment.objects.filter(person=OuterRef("pk"), start_month__lte=month).filter(
        Q(end_month__isnull=True) | Q(end_month__gte=month)
    )

    def award(kind: str) -> Exists:
        return Exists(BenefitAward.objects.filter(person=OuterRef("pk"), kind=kind, status=BenefitAward.Status.ACTIVE))

    row = (
        Person.objects.filter(pk=person_id)
        .annotate(
            insured=Exists(enrolled),
            drawing_pension=award(BenefitKind.PENSION),
            drawing_unemployment_benefit=award(BenefitKind.UNEMPLOYMENT),
        )
        .values_list("insured", "drawing_pension", "drawing_unemployment_benefit")
        .first()
    )
    found = dict(zip(("insured", "drawing_pension", "drawing_unemployment_benefit"), row or (), strict=False))
    return {question: bool(found.get(question)) for question in questions if question in QUESTIONS}
