"""Reads of arbitration cases, scoped to the caller (X1) and audited for staff (L1).

A citizen sees the cases they filed; arbitrators (and administrators) see the cases of the
districts they cover; nobody else sees any. Every staff read of a case is audited.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, QuerySet

from hrss.core.audit import audit_record
from hrss.core.errors import NotFound, PermissionDenied
from hrss.core.scope import ADMINISTRATOR, ANALYST, ARBITRATOR, CITIZEN, Scope
from hrss.labor.models import (
    OPEN_STATUSES,
    ArbitrationCase,
    Arbitrator,
    CaseEvent,
    CaseEvidence,
    Mediation,
    MediationOrganisation,
    MediationSession,
    MediationStatus,
)


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


def case_parts(case: ArbitrationCase) -> dict[str, object]:
    """A case's panel members (beside its chief) and the applicant's signature (two queries)."""
    from hrss.labor.models import CaseSignature

    return {
        "panel": [seat.arbitrator for seat in case.panel_seats.all() if seat.arbitrator],
        "signature": CaseSignature.objects.filter(case=case).first(),
    }


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


def case_document(*, scope: Scope, reference: str, kind: str) -> tuple[ArbitrationCase, bytes]:
    """One of the case's documents as PDF, for the parties' own cases and the arbitrators of
    its district (a staff read is audited like the case's)."""
    from hrss.labor import documents

    case = (
        case_queryset(scope=scope).select_related("person", "employer", "district").filter(reference=reference).first()
    )
    if case is None:
        raise NotFound(code="labor_case_not_found")
    content = documents.render(case, kind)
    _audit(scope, action="labor.case.document", object_id=str(case.pk), reference=reference, kind=kind)
    return case, content


def roster(*, scope: Scope, limit: int, offset: int) -> list[Arbitrator]:
    """The arbitrators' roster with each one's open cases (``load``), for arbitrators and
    administrators: the roster is the commission's own list, not personal data of parties."""
    if not is_arbitrator(scope):
        return []
    from django.db.models import OuterRef, Subquery

    open_cases = (
        ArbitrationCase.objects.filter(arbitrator=OuterRef("username"), status__in=OPEN_STATUSES)
        .values("arbitrator")
        .annotate(n=Count("pk"))
        .values("n")
    )
    arbitrators = Arbitrator.objects.select_related("district").annotate(load=Subquery(open_cases))
    return list(arbitrators.order_by("-active", "username")[offset : offset + limit])


# --- mediation before arbitration -------------------------------------------------------------------


def organisations(*, limit: int, offset: int) -> list[MediationOrganisation]:
    """The mediation organisations taking applications (public: they are public bodies)."""
    return list(
        MediationOrganisation.objects.filter(active=True)
        .select_related("district")
        .order_by("district_id", "name")[offset : offset + limit]
    )


def mediations_mine(*, scope: Scope, limit: int, offset: int) -> list[Mediation]:
    if not scope.person_id:
        return []
    return list(
        Mediation.objects.filter(person_id=scope.person_id)
        .select_related("organisation")
        .order_by("-applied_on", "-reference")[offset : offset + limit]
    )


def mediation_queue(*, scope: Scope, limit: int, offset: int) -> list[Mediation]:
    """The mediation staff's queue: open mediations of their districts, the earliest end first."""
    from hrss.labor.services.mediation import is_mediation_staff, mediation_queryset

    if not is_mediation_staff(scope):
        return []
    page = list(
        mediation_queryset(scope=scope)
        .filter(status=MediationStatus.OPEN)
        .select_related("organisation")
        .order_by("due_on", "reference")[offset : offset + limit]
    )
    _audit(scope, action="labor.mediation.list", ids=[str(m.pk) for m in page])
    return page


def mediation_get(*, scope: Scope, reference: str) -> tuple[Mediation, list[MediationSession]]:
    from hrss.labor.services.mediation import mediation_queryset

    mediation = mediation_queryset(scope=scope).select_related("organisation").filter(reference=reference).first()
    if mediation is None:
        raise NotFound(code="labor_mediation_not_found")
    _audit(scope, action="labor.mediation.read", object_id=str(mediation.pk), reference=reference)
    return mediation, list(mediation.sessions.all())


# --- rights protection: one view per employer -------------------------------------------------------


def employer_linked(*, scope: Scope, credit_code: str) -> dict[str, object]:
    """One employer's complaints, open arbitration cases, open mediations and inspection lead,
    for inspectors, arbitrators and administrators of the employer's district (audited)."""
    from hrss.codes.identifiers import parse_credit_code
    from hrss.core.errors import DomainError
    from hrss.labor import register
    from hrss.labor.models import Complaint, InspectionLead, LeadStatus
    from hrss.labor.services.complaints import is_rights_staff
    from hrss.registry.models import Employer

    if not is_rights_staff(scope):
        raise PermissionDenied()
    try:
        code = parse_credit_code(credit_code).value
    except DomainError:
        raise NotFound(code="employer_not_found") from None
    employer = Employer.objects.select_related("district").filter(credit_code=code).first()
    if employer is None or not scope.covers_district(employer.district_id):
        raise NotFound(code="employer_not_found")
    result: dict[str, object] = {
        "employer": employer,
        "complaints": list(Complaint.objects.filter(employer=employer).order_by("-received_on", "reference")[:200]),
        "cases": list(
            ArbitrationCase.objects.filter(employer=employer, status__in=OPEN_STATUSES)
            .select_related("person")
            .order_by("due_on", "reference")[:200]
        ),
        "mediations": list(
            Mediation.objects.filter(employer=employer, status=MediationStatus.OPEN)
            .select_related("organisation")
            .order_by("due_on", "reference")[:200]
        ),
        "lead": InspectionLead.objects.filter(employer=employer, status=LeadStatus.OPEN).first(),
        # its petitions and fraud cases, from the register (L2)
        "register_items": register.employer_entries(employer_id=employer.pk),
    }
    audit_record(
        actor=scope.actor,
        actor_role=scope.primary_role,
        action="labor.employer.linked",
        object_type="registry.Employer",
        object_id=str(employer.pk),
        purpose="rights_protection",
        detail={"credit_code": employer.credit_code},
    )
    return result


# --- evidence files (L1) ----------------------------------------------------------------------------


def evidence_list(*, scope: Scope, reference: str) -> tuple[ArbitrationCase, list[CaseEvidence]]:
    """A case's evidence files with their SHA-256, for the parties' own cases and the
    arbitrators of its district (a staff read is audited)."""
    case = case_queryset(scope=scope).filter(reference=reference).first()
    if case is None:
        raise NotFound(code="labor_case_not_found")
    files = list(case.evidence.all())
    _audit(scope, action="labor.case.evidence.list", object_id=str(case.pk), reference=reference)
    return case, files


def evidence_open(*, scope: Scope, reference: str, evidence_id: int) -> CaseEvidence:
    """One evidence file to read; every staff read is audited with the file's SHA-256."""
    evidence = (
        CaseEvidence.objects.filter(pk=evidence_id, case__in=case_queryset(scope=scope), case__reference=reference)
        .select_related("case")
        .first()
    )
    if evidence is None:
        raise NotFound(code="labor_evidence_not_found")
    _audit(
        scope,
        action="labor.case.evidence.read",
        object_id=str(evidence.case_id),
        reference=reference,
        evidence=evidence.pk,
        sha256=evidence.sha256,
    )
    return evidence


# --- statistics (L1) --------------------------------------------------------------------------------

STATISTICS_DIMENSIONS = ("status", "outcome", "district", "industry", "claim_type")


def may_see_statistics(scope: Scope) -> bool:
    return scope.has_role(ARBITRATOR, ADMINISTRATOR, ANALYST)


def case_statistics(*, scope: Scope, start: dt.date, end: dt.date, district: str = "") -> dict[str, Any]:
    """Counts of the cases received from ``start`` to ``end`` (both included) in the caller's
    districts, by status, award outcome, district, the employer's industry and claim type:
    one aggregate query per dimension, whatever the number of cases (counts, no personal data)."""
    from hrss.labor.models import AwardOutcome, CaseStatus, ClaimType

    if not may_see_statistics(scope):
        raise PermissionDenied()
    cases = ArbitrationCase.objects.filter(received_on__gte=start, received_on__lte=end)
    if not scope.city_wide:
        cases = cases.filter(district_id__in=list(scope.districts or ()))
    if district:
        if not scope.covers_district(district):
            raise PermissionDenied()
        cases = cases.filter(district_id=district)

    def count(field: str, label: str | None = None, **where: object) -> list[dict[str, Any]]:
        columns = (field, label) if label else (field,)
        rows = cases.filter(**where).values(*columns).annotate(n=Count("pk")).order_by("-n", field)
        return [{"key": r[field] or "", "label": (r[label] or "") if label else "", "count": r["n"]} for r in rows]

    def labelled(rows: list[dict[str, Any]], choices: dict[str, Any]) -> list[dict[str, Any]]:
        return [{**row, "label": str(choices.get(str(row["key"]), row["key"]))} for row in rows]

    by_status = labelled(count("status"), dict(CaseStatus.choices))
    return {
        "start": start,
        "end": end,
        "district": district,
        "total": sum(int(row["count"]) for row in by_status),
        "status": by_status,
        "outcome": labelled(count("outcome", status=CaseStatus.AWARDED), dict(AwardOutcome.choices)),
        "district_counts": count("district_id", "district__name"),
        "industry": count("employer__industry_id", "employer__industry__name"),
        "claim_type": labelled(count("claim_type"), dict(ClaimType.choices)),
    }
