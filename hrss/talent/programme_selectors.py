"""Reads of the talent programmes and their expert review (人才计划, R1), always given the
caller's Scope. Anyone reads the programmes and their published results (names masked); a
citizen their own declarations; an expert the assignments drawn for them (the applicants they
review: an audited read); the programme office (``PROGRAMME_OFFICE``) the programmes of its
districts — city, provincial and national programmes belong to city-wide staff — with their
declarations, the expert pool and the appeals (audited reads of persons). Out of scope and
not found are the same 404."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from hrss.core.audit import audit_record
from hrss.core.errors import NotFound, PermissionDenied
from hrss.core.logging import mask_name
from hrss.core.scope import Scope
from hrss.registry.models import Employer, Employment
from hrss.talent.apps import PROGRAMME_OFFICE
from hrss.talent.programme_models import (
    AssignmentStatus,
    Declaration,
    DeclarationStatus,
    Expert,
    ExpertConflict,
    Programme,
    ProgrammeAppeal,
    ReviewAssignment,
)

RANKED = (DeclarationStatus.PUBLISHED, DeclarationStatus.APPEALED, DeclarationStatus.FINAL)


def _audit(scope: Scope, action: str, person_ids: Iterable[Any], **detail: Any) -> None:
    ids = sorted({str(pk) for pk in person_ids})
    if ids:
        audit_record(
            actor=scope.actor,
            actor_role=scope.primary_role,
            action=action,
            object_type="person",
            object_id="",
            purpose="talent programme review",
            detail={"ids": ids, **detail},
        )


def office_filter(scope: Scope, prefix: str = "") -> Q:
    """The programmes the caller runs: city-wide office staff all, district staff their
    districts' programmes."""
    if not scope.has_role(*PROGRAMME_OFFICE):
        raise PermissionDenied()
    if scope.city_wide:
        return Q()
    return Q(**{f"{prefix}district_id__in": sorted(scope.districts or ())})


def is_office(scope: Scope) -> bool:
    return scope.has_role(*PROGRAMME_OFFICE)


# --- public -----------------------------------------------------------------------------------


def programmes_public(*, limit: int, offset: int = 0) -> list[Programme]:
    return list(Programme.objects.order_by("-opens_on", "code")[offset : offset + limit])


def programme_public(*, code: str) -> Programme:
    programme = Programme.objects.filter(code=code).first()
    if programme is None:
        raise NotFound()
    return programme


def results(*, programme: Programme) -> list[dict[str, Any]]:
    """The published ranking (公示): masked names, employers, scores, ranks, funded or not;
    empty until the office publishes."""
    if programme.published_at is None:
        return []
    rows = (
        Declaration.objects.filter(programme=programme, rank__isnull=False)
        .select_related("person", "employer")
        .order_by("rank", "id")
    )
    return [
        {
            "id": row.pk,
            "name": mask_name(row.person.name),
            "employer": row.employer.name if row.employer is not None else "",
            "title": row.title,
            "score": row.score,
            "rank": row.rank,
            "funded": row.funded,
            "status": row.status,
        }
        for row in rows
    ]


# --- the registry's employers -------------------------------------------------------------------


def current_employers(person_ids: Iterable[Any], *, on: dt.date) -> dict[Any, Employer]:
    """Each person's employer of their current employment (the latest started), in one query."""
    found: dict[Any, Employer] = {}
    spells = (
        Employment.objects.filter(person_id__in=list(person_ids), start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .select_related("employer")
        .order_by("person_id", "start_date")
    )
    for spell in spells:
        found[spell.person_id] = spell.employer  # the latest start wins
    return found


def eligible_experts(*, declaration: Declaration, on: dt.date) -> list[str]:
    """The experts who may review the declaration (ids): active, of the programme's speciality,
    never assigned to it before (a re-review takes a fresh set), not the applicant, not working
    for the applicant's employer, and without a declared conflict with either."""
    programme = declaration.programme
    before = ReviewAssignment.objects.filter(declaration=declaration).values("expert_id")
    conflicted = ExpertConflict.objects.filter(
        Q(person_id=declaration.person_id)
        | (Q(employer_id=declaration.employer_id) if declaration.employer_id else Q(pk__in=[]))
    ).values("expert_id")
    pool = list(
        Expert.objects.filter(active=True)
        .exclude(person_id=declaration.person_id)
        .exclude(pk__in=before)
        .exclude(pk__in=conflicted)
        .values_list("pk", "person_id", "specialities")
    )
    if programme.speciality:
        pool = [row for row in pool if programme.speciality in (row[2] or [])]
    employers = current_employers([row[1] for row in pool], on=on) if declaration.employer_id else {}
    return [
        str(pk)
        for pk, person_id, _s in pool
        if not (declaration.employer_id and getattr(employers.get(person_id), "pk", None) == declaration.employer_id)
    ]


# --- the citizen's -----------------------------------------------------------------------------


def _citizen(scope: Scope) -> uuid.UUID:
    if scope.person_id is None or scope.is_staff:
        raise PermissionDenied(_("This is for citizens signed in with a real-name account."), code="not_a_citizen")
    return scope.person_id


def declarations_mine(*, scope: Scope, limit: int, offset: int = 0) -> list[Declaration]:
    person_id = _citizen(scope)
    rows = (
        Declaration.objects.filter(person_id=person_id)
        .select_related("programme", "employer", "person")
        .prefetch_related(Prefetch("appeal"))
        .order_by("-created_at", "id")
    )
    return list(rows[offset : offset + limit])


def declaration_mine(*, scope: Scope, declaration_id: uuid.UUID) -> Declaration:
    person_id = _citizen(scope)
    row = (
        Declaration.objects.filter(person_id=person_id, pk=declaration_id)
        .select_related("programme", "employer", "person")
        .first()
    )
    if row is None:
        raise NotFound()
    return row


def appeal_of(declaration: Declaration) -> ProgrammeAppeal | None:
    try:
        return declaration.appeal
    except ProgrammeAppeal.DoesNotExist:
        return None


# --- the expert's ------------------------------------------------------------------------------


def expert_mine(*, scope: Scope) -> Expert | None:
    if scope.person_id is None or scope.is_staff:
        return None
    return Expert.objects.filter(person_id=scope.person_id).first()


def _assignments() -> QuerySet[ReviewAssignment]:
    return ReviewAssignment.objects.select_related(
        "declaration__programme", "declaration__person", "declaration__employer", "sheet"
    )


def assignments_mine(*, scope: Scope, limit: int, offset: int = 0, status: str = "") -> list[ReviewAssignment]:
    """The review tasks drawn for the signed-in expert, those to score first (an audited read
    of the applicants)."""
    expert = expert_mine(scope=scope)
    if expert is None:
        raise PermissionDenied(_("This is for the experts of the pool."), code="not_an_expert")
    rows = _assignments().filter(expert=expert, review_round=F("declaration__review_round"))
    if status:
        rows = rows.filter(status=status)
    found = list(rows.order_by("status", "-created_at", "id")[offset : offset + limit])
    _audit(scope, "talent.review.read", [row.declaration.person_id for row in found])
    return found


def assignment_mine(*, scope: Scope, assignment_id: uuid.UUID) -> ReviewAssignment:
    expert = expert_mine(scope=scope)
    if expert is None:
        raise PermissionDenied(_("This is for the experts of the pool."), code="not_an_expert")
    row = _assignments().filter(expert=expert, pk=assignment_id).first()
    if row is None:
        raise NotFound()
    _audit(scope, "talent.review.read", [row.declaration.person_id])
    return row


# --- the programme office's ----------------------------------------------------------------------


def programmes_office(*, scope: Scope, limit: int, offset: int = 0) -> list[Programme]:
    rows = (
        Programme.objects.filter(office_filter(scope))
        .annotate(
            declared=Count("declarations"),
            waiting=Count("declarations", filter=Q(declarations__status=DeclarationStatus.SUBMITTED)),
            scored=Count("declarations", filter=Q(declarations__score__isnull=False)),
        )
        .order_by("-opens_on", "code")
    )
    return list(rows[offset : offset + limit])


def programme_office(*, scope: Scope, code: str) -> Programme:
    programme = Programme.objects.filter(office_filter(scope), code=code).first()
    if programme is None:
        raise NotFound()
    return programme


def declarations_office(
    *,
    scope: Scope,
    limit: int,
    offset: int = 0,
    programme_code: str = "",
    status: str = "",
    declaration_id: uuid.UUID | None = None,
) -> list[Declaration]:
    """Declarations of the office's programmes with their current round's assignments (an
    audited read of the applicants and experts)."""
    rows = (
        Declaration.objects.filter(office_filter(scope, "programme__"))
        .select_related("programme", "person", "employer")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=ReviewAssignment.objects.select_related("expert__person", "sheet").order_by("created_at"),
            ),
            Prefetch("appeal"),
        )
    )
    if programme_code:
        rows = rows.filter(programme__code=programme_code)
    if status:
        rows = rows.filter(status=status)
    if declaration_id is not None:
        rows = rows.filter(pk=declaration_id)
    found = list(rows.order_by("programme__code", "rank", "-created_at", "id")[offset : offset + limit])
    _audit(scope, "talent.declarations.read", [row.person_id for row in found])
    return found


def declaration_office(*, scope: Scope, declaration_id: uuid.UUID) -> Declaration:
    found = declarations_office(scope=scope, limit=1, declaration_id=declaration_id)
    if not found:
        raise NotFound()
    return found[0]


def current_assignments(declaration: Declaration) -> list[ReviewAssignment]:
    """The prefetched assignments of the declaration's current round."""
    return [row for row in declaration.assignments.all() if row.review_round == declaration.review_round]


def experts(
    *, scope: Scope, limit: int, offset: int = 0, on: dt.date, expert_id: uuid.UUID | None = None
) -> list[Expert]:
    """The expert pool with each expert's employer now (``employer``) and conflicts; the office
    of a district sees the experts living there (an audited read)."""
    rows = Expert.objects.select_related("person").prefetch_related(
        Prefetch("conflicts", queryset=ExpertConflict.objects.select_related("person", "employer"))
    )
    office_filter(scope)
    if expert_id is not None:
        rows = rows.filter(pk=expert_id)
    if not scope.city_wide:
        rows = rows.filter(person__residence_district_id__in=sorted(scope.districts or ()))
    found = list(rows.order_by("-active", "created_at", "id")[offset : offset + limit])
    employers = current_employers([row.person_id for row in found], on=on)
    for row in found:
        row.employer = employers.get(row.person_id)  # type: ignore[attr-defined]
    _audit(scope, "talent.experts.read", [row.person_id for row in found])
    return found


def appeals_office(
    *, scope: Scope, limit: int, offset: int = 0, status: str = "", appeal_id: uuid.UUID | None = None
) -> list[ProgrammeAppeal]:
    rows = ProgrammeAppeal.objects.filter(office_filter(scope, "declaration__programme__")).select_related(
        "declaration__programme", "declaration__person", "declaration__employer"
    )
    if status:
        rows = rows.filter(status=status)
    if appeal_id is not None:
        rows = rows.filter(pk=appeal_id)
    found = list(rows.order_by("status", "-created_at", "id")[offset : offset + limit])
    _audit(scope, "talent.appeals.read", [row.declaration.person_id for row in found])
    return found


def open_assignments(declaration: Declaration) -> int:
    """How many of the current round's experts have not recused."""
    return (
        ReviewAssignment.objects.filter(declaration=declaration, review_round=declaration.review_round)
        .exclude(status=AssignmentStatus.RECUSED)
        .count()
    )
