"""Reads of insured status (参保状态): a person's enrolment spells, an employer's insured staff."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet

from hrss.core.scope import Scope
from hrss.insurance import access
from hrss.insurance.models import Enrolment


def person_enrolments(*, scope: Scope, person_id: uuid.UUID) -> list[Enrolment]:
    """Insured status per insurance over time (参保状态), oldest first."""
    person = access.person_for(scope, person_id)
    spells = Enrolment.objects.filter(person=person).order_by("insurance_type", "start_month")
    if scope.employer_id and not scope.is_staff and scope.person_id != person.pk:
        spells = spells.filter(employer_id=scope.employer_id)
    return list(spells)


def employer_enrolments(*, scope: Scope, employer_id: uuid.UUID, current_only: bool = True) -> QuerySet[Enrolment]:
    employer = access.employer_for(scope, employer_id)
    spells = Enrolment.objects.filter(employer=employer).select_related("person")
    if current_only:
        spells = spells.filter(end_month__isnull=True)
    return spells.order_by("person__name", "person_id", "insurance_type")
