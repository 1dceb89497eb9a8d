"""Recognition of a person's chronic or special disease (门诊慢特病认定, 门特): staff of the medical
insurance agency record it, dated, on a designated hospital's diagnosis; from then the
person's outpatient visits for that disease settle under the 门特 figures (``policy``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from hrss.core.audit import audit_record
from hrss.core.errors import Conflict, InvalidInput, NotFound
from hrss.core.scope import Scope
from hrss.medical import access
from hrss.medical.models import ChronicDisease, DiseaseRecognition, Insured
from hrss.registry.selectors import person_queryset


def recognition_check(*, person_id: Any, disease: str, valid_from: dt.date, valid_to: dt.date | None) -> ChronicDisease:
    """The disease, if a recognition of it may be recorded for the person over the period:
    refused for an unknown disease, a person not insured, or a period that overlaps a
    recognition of the same disease (the admin's form asks it too)."""
    known = ChronicDisease.objects.filter(code=(disease or "").strip()).first()
    if known is None:
        raise InvalidInput(fields={"disease": _("not a chronic or special disease of the list")})
    if valid_to is not None and valid_to < valid_from:
        raise InvalidInput(fields={"valid_to": _("not before the first day")})
    if not (known.valid_from <= valid_from and (known.valid_to is None or valid_from <= known.valid_to)):
        raise InvalidInput(fields={"valid_from": _("the disease is not on the list on that day")})
    if not Insured.objects.filter(person_id=person_id).exists():
        raise Conflict(_("This person has no basic medical insurance with us."), code="medical_not_insured")
    overlapping = DiseaseRecognition.objects.filter(person_id=person_id, disease=known).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from)
    )
    if valid_to is not None:
        overlapping = overlapping.filter(valid_from__lte=valid_to)
    if overlapping.exists():
        raise Conflict(
            _("A recognition of this disease already covers part of that period."), code="medical_disease_recognised"
        )
    return known


def disease_recognise(
    *,
    scope: Scope,
    person_id: Any,
    disease: str,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    diagnosed_by: str = "",
    note: str = "",
) -> DiseaseRecognition:
    """Record that the insured person has ``disease`` from ``valid_from`` (until ``valid_to``,
    open if None), as ``recognition_check`` allows. Audited."""
    access.require_recognise(scope)
    if not person_queryset(scope=scope).filter(pk=person_id).exists():
        raise NotFound(_("No person with this ID number was found within your scope."))
    with transaction.atomic():
        Insured.objects.select_for_update().filter(person_id=person_id).first()  # one recognition at a time
        known = recognition_check(person_id=person_id, disease=disease, valid_from=valid_from, valid_to=valid_to)
        recognition = DiseaseRecognition.objects.create(
            person_id=person_id,
            disease=known,
            valid_from=valid_from,
            valid_to=valid_to,
            diagnosed_by=diagnosed_by.strip()[:120],
            recognised_by=scope.actor,
            note=note.strip(),
        )
        audit_record(
            actor=scope.actor,
            actor_role=scope.primary_role,
            action="medical.disease_recognise",
            object_type="person",
            object_id=str(person_id),
            purpose="medical settlement",
            detail={"disease": known.code, "valid_from": str(valid_from), "valid_to": str(valid_to or "")},
        )
    return recognition
