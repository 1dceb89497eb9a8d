"""Who may do what in the examinations (R4), shared by the services and selectors."""

from __future__ import annotations

import uuid

from django.utils.translation import gettext as _

from hrss.core import scope as roles
from hrss.core.errors import NotFound, PermissionDenied
from hrss.core.scope import Scope
from hrss.exams.apps import EXAM_OFFICE  # the office: prepares, reviews, seats, scores, publishes
from hrss.exams.models import Exam

# Markers of written answers, blind.
MARKERS = frozenset({roles.REVIEWER, roles.APPROVER})


def require_office(scope: Scope) -> None:
    if not scope.has_role(*EXAM_OFFICE):
        raise PermissionDenied(_("This is for the examination office."))


def office_exam(scope: Scope, code: str, *, lock: bool = False) -> Exam:
    """The exam of a code, for the examination office covering its district."""
    require_office(scope)
    rows = Exam.objects.select_for_update() if lock else Exam.objects.all()
    exam = rows.filter(code=code[:20]).first()
    if exam is None or not scope.covers_district(exam.district):
        raise NotFound(_("No examination with this code was found."), code="exam_unknown")
    return exam


def require_citizen(scope: Scope) -> uuid.UUID:
    """The caller's person, for a citizen signed in with their own account."""
    if scope.person_id is None or scope.is_staff:
        raise PermissionDenied(_("Sign in with your own account to register for an examination."))
    return scope.person_id
