"""Vocational training and skill appraisal API (T1, T2).

Public: the reference data, open courses and appraisal sessions, certificate verification.
Citizens: enrol, my training and certificates, register for an appraisal. Institutions (an
agent of the employer): courses, attendance, completion, subsidy claims. Appraisal bodies:
sessions, candidates' sign-in, proctor records, results with a second check, publication.
Staff: supervision, revocation, subsidy payment runs."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from hrss.core.paging import MAX_LIMIT, MAX_OFFSET
from hrss.core.scope import Scope
from hrss.identity.auth import API_AUTH, request_scope
from hrss.training import selectors, services
from hrss.training.schemas import (
    AppraisalSessionIn,
    AppraisalSessionOut,
    AttendanceOut,
    CandidacyOut,
    CandidateOut,
    CertificateOut,
    ClaimIn,
    ClaimOut,
    ConsentOut,
    CourseIn,
    CourseOut,
    ErrorOut,
    FaceIn,
    InstitutionOut,
    PaymentFileOut,
    ProctorRecordIn,
    ProctorRecordOut,
    ProgressIn,
    QualificationOut,
    ResultsIn,
    RevokeIn,
    ShortageOut,
    SignInIn,
    SupervisedSessionOut,
    SurveyIn,
    TraineeOut,
    TrainingCaseOut,
    TrainingEnrolmentOut,
    TrainingPolicyOut,
    VerificationOut,
)


def _anyone(request: HttpRequest) -> bool:
    """Public operations: a signed-in caller is recognised (for a grant), anyone else served."""
    return True


PUBLIC_AUTH: list[Any] = [*API_AUTH, _anyone]
router = Router(tags=["training"], auth=API_AUTH)
_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _scope(request: HttpRequest) -> Scope:
    return request_scope(request)


# --- public ------------------------------------------------------------------------------------


@router.get("/policies", response=list[TrainingPolicyOut], auth=None, summary="Training policies in force")
def policies(request: HttpRequest) -> Any:
    return selectors.policies_in_force()


@router.get(
    "/qualifications", response=list[QualificationOut], auth=None, summary="The qualification and skill-level catalogue"
)
def qualifications(request: HttpRequest) -> Any:
    return selectors.qualifications()


@router.get(
    "/shortage-occupations", response=list[ShortageOut], auth=None, summary="The shortage-occupation list in force"
)
def shortage_occupations(request: HttpRequest) -> Any:
    return selectors.shortage_list()


@router.get(
    "/institutions",
    response={200: list[InstitutionOut], 422: ErrorOut},
    auth=None,
    summary="Training institutions and appraisal bodies",
)
def institutions(
    request: HttpRequest,
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Any:
    return selectors.institutions(limit=limit, offset=offset)


@router.get("/courses", response={200: list[CourseOut], 422: ErrorOut}, auth=None, summary="Open courses")
def courses(
    request: HttpRequest,
    qualification: str = Query("", max_length=20),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Any:
    return selectors.courses_open(limit=limit, offset=offset, qualification=qualification)


@router.get(
    "/courses/{course_id}", response={200: CourseOut, 404: ErrorOut, 422: ErrorOut}, auth=None, summary="A course"
)
def course_get(request: HttpRequest, course_id: uuid.UUID) -> Any:
    return selectors.course_get(course_id=course_id)


@router.get(
    "/appraisal-sessions",
    response={200: list[AppraisalSessionOut], 422: ErrorOut},
    auth=None,
    summary="Appraisal sessions open for registration",
)
def appraisal_sessions(
    request: HttpRequest,
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Any:
    return selectors.appraisal_sessions_open(limit=limit, offset=offset)


@router.get(
    "/certificates/{number}",
    response={200: VerificationOut, **_ERRORS},
    auth=PUBLIC_AUTH,
    summary="Verify a certificate: valid, revoked or unknown (the holder masked without a grant or consent code)",
)
def certificate_verify(request: HttpRequest, number: str, consent_code: str = Query("", max_length=20)) -> Any:
    return selectors.certificate_verify(scope=_scope(request), number=number[:40], consent_code=consent_code)


# --- citizens ----------------------------------------------------------------------------------


@router.post("/courses/{course_id}/enrol", response={201: TrainingEnrolmentOut, **_ERRORS}, summary="Enrol in a course")
def enrol(request: HttpRequest, course_id: uuid.UUID) -> Status:
    scope = _scope(request)
    enrolment = services.enrol(scope=scope, course_id=course_id)
    return Status(201, next(e for e in selectors.enrolments_mine(scope=scope) if e.pk == enrolment.pk))


@router.get("/me/enrolments", response={200: list[TrainingEnrolmentOut], **_ERRORS}, summary="My training")
def enrolments_mine(request: HttpRequest) -> Any:
    return selectors.enrolments_mine(scope=_scope(request))


@router.post(
    "/me/enrolments/{enrolment_id}/progress",
    response={200: TrainingEnrolmentOut, **_ERRORS},
    summary="Record online progress",
)
def progress(request: HttpRequest, enrolment_id: uuid.UUID, payload: ProgressIn) -> Any:
    scope = _scope(request)
    services.progress_record(scope=scope, enrolment_id=enrolment_id, percent=payload.percent)
    return next(e for e in selectors.enrolments_mine(scope=scope) if e.pk == enrolment_id)


@router.post(
    "/me/enrolments/{enrolment_id}/survey",
    response={200: TrainingEnrolmentOut, **_ERRORS},
    summary="Evaluate a completed course",
)
def survey(request: HttpRequest, enrolment_id: uuid.UUID, payload: SurveyIn) -> Any:
    scope = _scope(request)
    services.survey_answer(scope=scope, enrolment_id=enrolment_id, score=payload.score, comment=payload.comment)
    return next(e for e in selectors.enrolments_mine(scope=scope) if e.pk == enrolment_id)


@router.get("/me/certificates", response={200: list[CertificateOut], **_ERRORS}, summary="My certificates")
def certificates_mine(request: HttpRequest) -> Any:
    return selectors.certificates_mine(scope=_scope(request))


@router.post(
    "/me/certificates/{certificate_id}/consent-code",
    response={201: ConsentOut, **_ERRORS},
    summary="A consent code that shows my name to whoever verifies this certificate",
)
def consent_code(request: HttpRequest, certificate_id: uuid.UUID) -> Status:
    code, expires = services.consent_code_create(scope=_scope(request), certificate_id=certificate_id)
    return Status(201, {"code": code, "expires_at": expires})


@router.get("/me/candidacies", response={200: list[CandidacyOut], **_ERRORS}, summary="My appraisal registrations")
def candidacies_mine(request: HttpRequest) -> Any:
    return selectors.candidacies_mine(scope=_scope(request))


@router.post(
    "/appraisal-sessions/{session_id}/register",
    response={201: CandidacyOut, **_ERRORS},
    summary="Register for an appraisal session (eligibility checked)",
)
def candidate_register(request: HttpRequest, session_id: uuid.UUID) -> Status:
    scope = _scope(request)
    candidate = services.candidate_register(scope=scope, session_id=session_id)
    return Status(201, next(c for c in selectors.candidacies_mine(scope=scope) if c.pk == candidate.pk))


# --- institutions ------------------------------------------------------------------------------


@router.get("/institution/courses", response={200: list[CourseOut], **_ERRORS}, summary="My institution's courses")
def institution_courses(
    request: HttpRequest,
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Any:
    return selectors.courses_of_institution(scope=_scope(request), limit=limit, offset=offset)


@router.post("/institution/courses", response={201: CourseOut, **_ERRORS}, summary="Publish a course with its sessions")
def course_publish(request: HttpRequest, payload: CourseIn) -> Status:
    values = payload.dict()
    key = values.pop("idempotency_key")
    course = services.course_publish(scope=_scope(request), values=values, idempotency_key=key)
    return Status(201, selectors.course_get(course_id=course.pk))


@router.get(
    "/institution/courses/{course_id}/enrolments",
    response={200: list[TraineeOut], **_ERRORS},
    summary="The trainees of one of my institution's courses",
)
def course_trainees(request: HttpRequest, course_id: uuid.UUID) -> Any:
    return selectors.enrolments_of_course(scope=_scope(request), course_id=course_id)


@router.post(
    "/institution/sessions/{session_id}/attendance",
    response={201: AttendanceOut, **_ERRORS},
    summary="Sign a trainee in (card, electronic card code or face check)",
)
def attendance(request: HttpRequest, session_id: uuid.UUID, payload: SignInIn) -> Status:
    return Status(
        201,
        services.attendance_sign_in(
            scope=_scope(request),
            session_id=session_id,
            method=payload.method,
            credential=payload.credential,
            face_reference=payload.face_reference,
        ),
    )


@router.post(
    "/institution/enrolments/{enrolment_id}/complete",
    response={200: TraineeOut, **_ERRORS},
    summary="Mark a trainee's course completed",
)
def enrolment_complete(request: HttpRequest, enrolment_id: uuid.UUID) -> Any:
    scope = _scope(request)
    enrolment = services.enrolment_complete(scope=scope, enrolment_id=enrolment_id)
    return next(
        e for e in selectors.enrolments_of_course(scope=scope, course_id=enrolment.course_id) if e.pk == enrolment.pk
    )


@router.get("/institution/claims", response={200: list[ClaimOut], **_ERRORS}, summary="My institution's subsidy claims")
def claims(
    request: HttpRequest,
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Any:
    return selectors.claims_of_institution(scope=_scope(request), limit=limit, offset=offset)


@router.post(
    "/institution/claims",
    response={201: ClaimOut, **_ERRORS},
    summary="Claim the training subsidy of a course (to review)",
)
def claim_submit(request: HttpRequest, payload: ClaimIn) -> Status:
    claim = services.claim_submit(
        scope=_scope(request), user=request.user, course_id=payload.course, idempotency_key=payload.idempotency_key
    )
    return Status(201, claim)


# --- appraisal bodies --------------------------------------------------------------------------


@router.get(
    "/body/sessions", response={200: list[AppraisalSessionOut], **_ERRORS}, summary="My body's appraisal sessions"
)
def body_sessions(
    request: HttpRequest,
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Any:
    return selectors.sessions_of_body(scope=_scope(request), limit=limit, offset=offset)


@router.post("/body/sessions", response={201: AppraisalSessionOut, **_ERRORS}, summary="Schedule an appraisal session")
def session_schedule(request: HttpRequest, payload: AppraisalSessionIn) -> Status:
    return Status(201, services.session_schedule(scope=_scope(request), values=payload.dict()))


@router.get(
    "/body/sessions/{session_id}/candidates",
    response={200: list[CandidateOut], **_ERRORS},
    summary="A session's candidates",
)
def session_candidates(request: HttpRequest, session_id: uuid.UUID) -> Any:
    return selectors.candidates_of_session(scope=_scope(request), session_id=session_id)


@router.post(
    "/body/sessions/{session_id}/candidates/{candidate_id}/sign-in",
    response={200: CandidateOut, **_ERRORS},
    summary="Sign a candidate in with a face check",
)
def candidate_sign_in(request: HttpRequest, session_id: uuid.UUID, candidate_id: uuid.UUID, payload: FaceIn) -> Any:
    return services.candidate_sign_in(
        scope=_scope(request), session_id=session_id, candidate_id=candidate_id, face_reference=payload.face_reference
    )


@router.post(
    "/body/sessions/{session_id}/records",
    response={201: ProctorRecordOut, **_ERRORS},
    summary="A proctor's log line or incident",
)
def proctor_record(request: HttpRequest, session_id: uuid.UUID, payload: ProctorRecordIn) -> Status:
    return Status(
        201, services.proctor_record(scope=_scope(request), session_id=session_id, kind=payload.kind, text=payload.text)
    )


@router.post(
    "/body/sessions/{session_id}/results", response={200: AppraisalSessionOut, **_ERRORS}, summary="Enter the results"
)
def results_enter(request: HttpRequest, session_id: uuid.UUID, payload: ResultsIn) -> Any:
    scores = {str(s.candidate): (s.theory, s.practical) for s in payload.scores}
    return services.results_enter(scope=_scope(request), session_id=session_id, scores=scores)


@router.post(
    "/body/sessions/{session_id}/check",
    response={200: AppraisalSessionOut, **_ERRORS},
    summary="Check the entered results (a second person)",
)
def results_check(request: HttpRequest, session_id: uuid.UUID) -> Any:
    return services.results_check(scope=_scope(request), session_id=session_id)


@router.post(
    "/body/sessions/{session_id}/publish",
    response={200: list[CertificateOut], **_ERRORS},
    summary="Publish the checked results and issue the certificates",
)
def results_publish(request: HttpRequest, session_id: uuid.UUID) -> Any:
    return services.results_publish(scope=_scope(request), session_id=session_id)


# --- staff -------------------------------------------------------------------------------------


@router.get(
    "/supervision/cases",
    response={200: list[TrainingCaseOut], **_ERRORS},
    summary="Cases the consistency checks raised",
)
def supervision_cases(
    request: HttpRequest,
    status: str = Query("open", pattern="^(open|closed|)$"),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Any:
    return selectors.cases(scope=_scope(request), status=status, limit=limit, offset=offset)


@router.get(
    "/supervision/sessions",
    response={200: list[SupervisedSessionOut], **_ERRORS},
    summary="Every appraisal session, live",
)
def supervision_sessions(
    request: HttpRequest,
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Any:
    return selectors.sessions_supervised(scope=_scope(request), limit=limit, offset=offset)


@router.post(
    "/certificates/{number}/revoke",
    response={200: CertificateOut, **_ERRORS},
    summary="Revoke a certificate with a reason",
)
def certificate_revoke(request: HttpRequest, number: str, payload: RevokeIn) -> Any:
    return services.certificate_revoke(scope=_scope(request), number=number[:40], reason=payload.reason)


@router.post(
    "/payments",
    response={200: PaymentFileOut, **_ERRORS},
    summary="Pay every approved, unpaid subsidy into one payment file (nothing twice)",
)
def subsidy_pay(request: HttpRequest) -> Any:
    paid = services.subsidy_pay(scope=_scope(request))
    if paid is None:
        return PaymentFileOut()
    return {
        "id": paid.pk,
        "filename": paid.filename,
        "rows": paid.rows,
        "total": paid.total_fen / 100,
        "sha256": paid.sha256,
    }
