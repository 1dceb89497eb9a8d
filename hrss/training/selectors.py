"""Reads of vocational training and skill appraisal, each scoped to its caller.

Published reference data, open courses and sessions, and certificate verification are
public. A citizen reads their own enrolments, candidacies and certificates; an institution's
agent its institution's courses, attendance, sessions and claims; training staff the cases
and sessions of the districts they cover (personal data read by staff is audited).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hrss.core.audit import audit_record
from hrss.core.declarations import DeclaredModule
from hrss.core.errors import NotFound, PermissionDenied
from hrss.core.scope import ADMINISTRATOR, APPROVER, FUND_SUPERVISOR, INSPECTOR, REVIEWER, Scope
from hrss.training import rules
from hrss.training.models import (
    AppraisalSession,
    Candidate,
    Certificate,
    ConsentCode,
    ConsistencyCase,
    Course,
    CourseSession,
    Enrolment,
    Institution,
    ProctorRecord,
    Qualification,
    ShortageOccupation,
    SubsidyClaim,
    SubsidyPaymentFile,
    TrainingPolicy,
)
from hrss.training.signing import certificate_signature_valid, consent_hash

TRAINING_STAFF = (REVIEWER, APPROVER, INSPECTOR, FUND_SUPERVISOR, ADMINISTRATOR)
# The agency scope that shows certificate holders unmasked (a department or employer checking a hire).
VERIFY_GRANT = "verify:certificates"


def _in_force(on: dt.date) -> Q:
    return Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gte=on))


# --- public reference data ---------------------------------------------------------------------


def policies_in_force(*, on: dt.date | None = None) -> list[TrainingPolicy]:
    return list(TrainingPolicy.objects.filter(_in_force(on or timezone.localdate())))


def qualifications(*, on: dt.date | None = None) -> list[Qualification]:
    return list(Qualification.objects.filter(_in_force(on or timezone.localdate())).select_related("occupation"))


def shortage_list(*, on: dt.date | None = None) -> list[ShortageOccupation]:
    return list(
        ShortageOccupation.objects.filter(_in_force(on or timezone.localdate()))
        .select_related("qualification")
        .order_by("rank")
    )


def shortage_codes(*, on: dt.date) -> set[str]:
    return set(ShortageOccupation.objects.filter(_in_force(on)).values_list("qualification__code", flat=True))


def institutions(*, limit: int, offset: int = 0) -> list[Institution]:
    return list(
        Institution.objects.prefetch_related("sites__district", "scope").order_by("name", "id")[offset : offset + limit]
    )


def _courses() -> QuerySet[Course]:
    return Course.objects.select_related("institution", "qualification", "site__district").annotate(
        enrolled=Count("enrolments", filter=~Q(enrolments__status=Enrolment.Status.WITHDRAWN))
    )


def courses_open(*, limit: int, offset: int = 0, qualification: str = "") -> list[Course]:
    found = _courses().filter(status=Course.Status.PUBLISHED, ends_on__gte=timezone.localdate())
    if qualification:
        found = found.filter(qualification__code=qualification)
    return list(found.order_by("starts_on", "id")[offset : offset + limit])


def course_get(*, course_id: uuid.UUID) -> Course:
    course = _courses().filter(pk=course_id).first()
    if course is None:
        raise NotFound()
    return course


def course_sessions(*, course: Course) -> list[CourseSession]:
    return list(course.sessions.select_related("site").order_by("starts_at"))


def appraisal_sessions_open(*, limit: int, offset: int = 0) -> list[AppraisalSession]:
    return list(
        AppraisalSession.objects.filter(status=AppraisalSession.Status.OPEN, starts_at__gt=timezone.now())
        .select_related("body", "qualification", "site__district")
        .order_by("starts_at", "id")[offset : offset + limit]
    )


# What a job seeker wants (``EmploymentConfig.seeker_facts``), found once in the app's ready():
# the layers keep this app from importing employment. Without it, recommendations fall back
# to the person's employment history and the shortage list.
seekers = DeclaredModule(
    "seeker_facts", missing=_("Job seekers' intentions are not available."), code="seeker_facts_unavailable"
)

RECOMMENDATION_REASONS = {
    "wanted": _("An occupation you want"),
    "history": _("An occupation you have worked in"),
    "shortage": _("A shortage occupation"),
}


@dataclass(frozen=True)
class Recommendation:
    course: Course
    reasons: tuple[str, ...]  # keys of RECOMMENDATION_REASONS, strongest first

    @property
    def reason_labels(self) -> list[str]:
        return [str(RECOMMENDATION_REASONS[reason]) for reason in self.reasons]


def recommended_courses(*, scope: Scope, limit: int = 5) -> list[Recommendation]:
    """Open courses for the person: the occupations they want as a job seeker first, then
    those of their employment history, then shortage occupations (each course's
    qualification belongs to a middle category of the occupation classification)."""
    if scope.person_id is None:
        return []
    from hrss.registry.models import Employment

    wanted = set(seekers.module.wanted_occupations(scope.person_id)) if seekers.module else set()
    history = set(Employment.objects.filter(person_id=scope.person_id).values_list("occupation_id", flat=True))
    shortage = shortage_codes(on=timezone.localdate())
    found = []
    for course in courses_open(limit=200):
        qualification = course.qualification
        reasons = tuple(
            reason
            for reason, holds in (
                ("wanted", qualification.occupation_id in wanted),
                ("history", qualification.occupation_id in history),
                ("shortage", qualification.code in shortage),
            )
            if holds
        )
        if reasons:
            found.append(Recommendation(course, reasons))
    order = list(RECOMMENDATION_REASONS)
    found.sort(key=lambda r: (order.index(r.reasons[0]), -len(r.reasons)))
    return found[:limit]


# --- the citizen's own -------------------------------------------------------------------------


def _person(scope: Scope) -> uuid.UUID:
    if scope.person_id is None:
        raise PermissionDenied(code="not_bound")
    return scope.person_id


def enrolments_mine(*, scope: Scope) -> list[Enrolment]:
    return list(
        Enrolment.objects.filter(person_id=_person(scope))
        .select_related("course__institution", "course__qualification")
        .annotate(attended=Count("attendances"), sessions=Count("course__sessions", distinct=True))
        .order_by("-created_at")
    )


def candidacies_mine(*, scope: Scope) -> list[Candidate]:
    return list(
        Candidate.objects.filter(person_id=_person(scope))
        .select_related("session__body", "session__qualification", "session__site")
        .order_by("-created_at")
    )


def certificates_mine(*, scope: Scope) -> list[Certificate]:
    return list(
        Certificate.objects.filter(person_id=_person(scope))
        .select_related("qualification", "body")
        .order_by("-issued_on")
    )


# --- an institution's or appraisal body's own -----------------------------------------------


def institution_mine(*, scope: Scope, kind: str) -> Institution | None:
    if scope.employer_id is None:
        raise PermissionDenied(code="not_institution")
    return Institution.objects.filter(employer_id=scope.employer_id, kind=kind).first()


def courses_of_institution(*, scope: Scope, limit: int, offset: int = 0) -> list[Course]:
    if scope.employer_id is None:
        raise PermissionDenied(code="not_institution")
    return list(
        _courses()
        .filter(institution__employer_id=scope.employer_id)
        .order_by("-starts_on", "id")[offset : offset + limit]
    )


def enrolments_of_course(*, scope: Scope, course_id: uuid.UUID) -> list[Enrolment]:
    if scope.employer_id is None:
        raise PermissionDenied(code="not_institution")
    return list(
        Enrolment.objects.filter(course_id=course_id, course__institution__employer_id=scope.employer_id)
        .select_related("person")
        .annotate(attended=Count("attendances"))
        .order_by("created_at")
    )


def sessions_of_body(*, scope: Scope, limit: int, offset: int = 0) -> list[AppraisalSession]:
    if scope.employer_id is None:
        raise PermissionDenied(code="not_institution")
    return list(
        AppraisalSession.objects.filter(body__employer_id=scope.employer_id)
        .select_related("body", "qualification", "site")
        .annotate(candidate_count=Count("candidates"))
        .order_by("-starts_at", "id")[offset : offset + limit]
    )


def candidates_of_session(*, scope: Scope, session_id: uuid.UUID) -> list[Candidate]:
    if scope.employer_id is None:
        raise PermissionDenied(code="not_institution")
    return list(
        Candidate.objects.filter(session_id=session_id, session__body__employer_id=scope.employer_id)
        .select_related("person")
        .order_by("created_at")
    )


def proctor_records_of_sessions(*, scope: Scope, session_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[ProctorRecord]]:
    """The proctors' records of the body's sessions, by session (one query for all of them)."""
    if scope.employer_id is None:
        raise PermissionDenied(code="not_institution")
    found: dict[uuid.UUID, list[ProctorRecord]] = {pk: [] for pk in session_ids}
    for record in ProctorRecord.objects.filter(
        session_id__in=session_ids, session__body__employer_id=scope.employer_id
    ).order_by("created_at", "id"):
        found[record.session_id].append(record)
    return found


def claims_of_institution(*, scope: Scope, limit: int, offset: int = 0) -> list[SubsidyClaim]:
    if scope.employer_id is None:
        raise PermissionDenied(code="not_institution")
    return list(
        SubsidyClaim.objects.filter(institution__employer_id=scope.employer_id)
        .select_related("course")
        .annotate(line_count=Count("lines"))
        .order_by("-created_at", "id")[offset : offset + limit]
    )


# --- supervision -------------------------------------------------------------------------------


def _staff(scope: Scope) -> Q:
    if not scope.has_role(*TRAINING_STAFF):
        raise PermissionDenied()
    if scope.city_wide:
        return Q()
    return Q(institution__employer__district_id__in=list(scope.districts or ()))


def cases(*, scope: Scope, status: str = "open", limit: int, offset: int = 0) -> list[ConsistencyCase]:
    found = ConsistencyCase.objects.filter(_staff(scope)).select_related("institution")
    if status:
        found = found.filter(status=status)
    rows = list(found.order_by("-created_at", "id")[offset : offset + limit])
    if rows:
        audit_record(
            actor=scope.actor,
            actor_role=scope.primary_role,
            action="training.cases.read",
            object_type="training_case",
            object_id="",
            detail={"ids": [str(case.pk) for case in rows]},
        )
    return rows


def sessions_supervised(*, scope: Scope, limit: int, offset: int = 0) -> list[AppraisalSession]:
    where = _staff(scope)
    if not scope.city_wide:
        where = Q(body__employer__district_id__in=list(scope.districts or ()))
    return list(
        AppraisalSession.objects.filter(where)
        .select_related("body", "qualification", "site")
        .annotate(
            candidate_count=Count("candidates"),
            signed_in=Count("candidates", filter=Q(candidates__signed_in_at__isnull=False)),
            passed=Count("candidates", filter=Q(candidates__result="passed")),
        )
        .order_by("-starts_at", "id")[offset : offset + limit]
    )


def payment_files(*, scope: Scope, limit: int = 10) -> list[SubsidyPaymentFile]:
    _staff(scope)
    return list(SubsidyPaymentFile.objects.order_by("-created_at")[:limit])


# --- public verification -----------------------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    number: str
    status: str  # valid | revoked | unknown
    holder: str = ""
    holder_masked: bool = True
    qualification: str = ""
    qualification_name: str = ""
    level: int | None = None
    issued_on: dt.date | None = None
    body: str = ""
    revoked_on: dt.date | None = None
    revoked_reason: str = ""
    signature_valid: bool | None = None


def certificate_verify(*, scope: Scope, number: str, consent_code: str = "") -> Verification:
    """What anyone may learn of a certificate number: valid, revoked or unknown, the holder's
    name masked unless the caller holds ``training:verify``, is the holder, or gives the
    holder's consent code. A certificate whose signature does not check is reported unknown."""
    number = number.strip().upper()
    if not rules.certificate_number_valid(number):
        return Verification(number=number, status="unknown")
    certificate = Certificate.objects.select_related("person", "qualification", "body").filter(number=number).first()
    if certificate is None:
        return Verification(number=number, status="unknown")
    signed = certificate_signature_valid(certificate)
    if not signed:
        return Verification(number=number, status="unknown", signature_valid=False)
    unmasked = (
        VERIFY_GRANT in scope.grants
        or (scope.person_id is not None and scope.person_id == certificate.person_id)
        or (
            bool(consent_code.strip())
            and ConsentCode.objects.filter(
                certificate=certificate, code_hash=consent_hash(consent_code), expires_at__gt=timezone.now()
            ).exists()
        )
    )
    if unmasked and scope.person_id != certificate.person_id:
        audit_record(
            actor=scope.actor,
            actor_role=scope.primary_role,
            action="training.certificate.read",
            object_type="person",
            object_id=str(certificate.person_id),
            detail={"number": number, "by": "grant" if VERIFY_GRANT in scope.grants else "consent"},
        )
    name = certificate.person.name
    return Verification(
        number=number,
        status=certificate.status,
        holder=name if unmasked else rules.mask_name(name),
        holder_masked=not unmasked,
        qualification=certificate.qualification.code,
        qualification_name=certificate.qualification.name,
        level=certificate.level,
        issued_on=certificate.issued_on,
        body=certificate.body.name,
        revoked_on=certificate.revoked_on,
        revoked_reason=certificate.revoked_reason,
        signature_valid=True,
    )
