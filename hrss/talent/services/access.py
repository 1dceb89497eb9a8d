"""What every write of the talent app shares: the audit entry and the institution the caller
may act on (its own, for an agent; one of their districts, for the bureau's approvers)."""

from __future__ import annotations

import uuid
from typing import Any

from django.utils.translation import gettext as _

from hrss.core.audit import audit_record
from hrss.core.errors import NotFound, PermissionDenied
from hrss.core.scope import ADMINISTRATOR, APPROVER, Scope
from hrss.talent.models import Institution

# Who records an institution's profile for the bureau: its quota as the staffing authority
# approved it, its post settings.
REGISTRARS = (APPROVER, ADMINISTRATOR)


def audit(scope: Scope, action: str, object_type: str, object_id: Any, **detail: Any) -> None:
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        detail=detail,
    )


def institution_of(scope: Scope) -> Institution:
    """The caller's own institution (an agent of its employer), locked for the write."""
    if scope.employer_id is None:
        raise PermissionDenied(_("This is done by an agent of the public institution."), code="not_institution")
    institution = Institution.objects.select_for_update().filter(employer_id=scope.employer_id).first()
    if institution is None:
        raise PermissionDenied(_("Your employer is not a registered public institution."), code="not_institution")
    return institution


def institution_for_registrar(scope: Scope, institution_id: uuid.UUID) -> Institution:
    """An institution of the approver's districts, locked for the write (404 outside them)."""
    if not scope.has_role(*REGISTRARS):
        raise PermissionDenied()
    institution = Institution.objects.select_for_update().filter(pk=institution_id).first()
    if institution is None or not scope.covers_district(institution.district_id):
        raise NotFound()
    return institution


def institution_for_writer(scope: Scope, institution_id: uuid.UUID) -> Institution:
    """The institution's own agent, or an administrator of its district."""
    if scope.employer_id is not None:
        institution = institution_of(scope)
        if institution.pk != institution_id:
            raise NotFound()
        return institution
    if not scope.has_role(ADMINISTRATOR):
        raise PermissionDenied()
    return institution_for_registrar(scope, institution_id)
