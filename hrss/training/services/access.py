"""What every write of the training app shares: the audit entry, the caller's institution,
and opening a consistency case (one per anomaly, so a rerun of a check opens nothing new)."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from hrss.core.audit import audit_record
from hrss.core.errors import PermissionDenied
from hrss.core.scope import Scope
from hrss.training.models import ConsistencyCase, Institution


def audit(scope: Scope, action: str, object_type: str, object_id: Any, **detail: Any) -> None:
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        detail=detail,
    )


def institution_of(scope: Scope, kind: str) -> Institution:
    """The caller's own institution of this kind (an agent of its employer), locked for the write."""
    if scope.employer_id is None:
        raise PermissionDenied(_("This is done by an agent of the institution."), code="not_institution")
    institution = Institution.objects.select_for_update().filter(employer_id=scope.employer_id, kind=kind).first()
    if institution is None:
        raise PermissionDenied(_("Your employer is not a registered institution of this kind."), code="not_institution")
    return institution


def case_open(
    *,
    kind: str,
    key: str,
    detail: dict[str, Any],
    person_id: uuid.UUID | None = None,
    institution: Institution | None = None,
    actor: str = "system",
) -> ConsistencyCase:
    """Open the case of one anomaly; the same anomaly found again answers with its case."""
    existing = ConsistencyCase.objects.filter(key=key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            case = ConsistencyCase.objects.create(
                kind=kind, key=key[:200], detail=detail, person_id=person_id, institution=institution
            )
    except IntegrityError:  # found by a concurrent check first
        return ConsistencyCase.objects.get(key=key)
    audit_record(
        actor=actor,
        action="training.case_open",
        object_type="training_case",
        object_id=str(case.pk),
        detail={"kind": kind, **detail},
    )
    return case
