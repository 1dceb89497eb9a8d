"""Reads of arbitration cases, scoped to the caller (X1) and audited for staff (L1).

A citizen sees the cases they filed; arbitrators (and administrators) see the cases of the
districts they cover; nobody else sees any. Every staff read of a case is audited.
"""

from __future__ import annotations

from django.db.models import QuerySet

from hrss.core.audit import audit_record
from hrss.core.errors import NotFound
from hrss.core.scope import ADMINISTRATOR, ARBITRATOR, CITIZEN, Scope
from hrss.labor.models import OPEN_STATUSES, ArbitrationCase, CaseEvent


def is_arbitrator(scope: Scope) -> bool:
    return scope.has_role(ARBITRATOR, ADMINISTRATOR)


def case_queryset(*, scope: Scope) -> QuerySet[ArbitrationCase]:
    cases = ArbitrationCase.objects.all()
    if is_arbitrator(scope):
        return cases if scope.city_wide else cases.filter(district_id__in=list(scope.districts or ()))
    if scope.has_role(CITIZEN) and scope.person_id:
        return cases.filter(person_id=scope.person_id)
    return cases.none()


def _audit(scope: Scope, *, action: str, object_id: str = "", **detail: object) -> None:
    if scope.is_staff:
        audit_record(
            actor=scope.actor,
            actor_role=scope.primary_role,
            action=action,
            object_type="labor.ArbitrationCase",
            object_id=object_id,
            purpose="arbitration",
            detail=dict(detail),
        )


def case_get(*, scope: Scope, reference: str) -> tuple[ArbitrationCase, list[CaseEvent]]:
    case = (
        case_queryset(scope=scope).select_related("person", "employer", "district").filter(reference=reference).first()
    )
    if case is None:
        raise NotFound(code="labor_case_not_found")
    _audit(scope, action="labor.case.read", object_id=str(case.pk), reference=reference)
    return case, list(case.events.all())


def cases_mine(*, scope: Scope, limit: int, offset: int) -> list[ArbitrationCase]:
    if not scope.person_id:
        return []
    return list(
        ArbitrationCase.objects.filter(person_id=scope.person_id).order_by("-received_on", "-reference")[
            offset : offset + limit
        ]
    )


def workbench(*, scope: Scope, clock: str = "", mine: bool = False, limit: int, offset: int) -> list[ArbitrationCase]:
    """The arbitrators' queue: open cases, the nearest deadline first."""
    if not is_arbitrator(scope):
        return []
    cases = case_queryset(scope=scope).filter(status__in=OPEN_STATUSES).select_related("person")
    if clock:
        cases = cases.filter(clock=clock)
    if mine:
        cases = cases.filter(arbitrator=scope.actor)
    page = list(cases.order_by("due_on", "reference")[offset : offset + limit])
    _audit(scope, action="labor.case.list", ids=[str(case.pk) for case in page])
    return page
