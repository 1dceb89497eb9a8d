"""Skill appraisal (T2): an approved body schedules sessions, candidates register with an
eligibility check, sign in with a face check, proctors keep records, results are entered,
checked by a second person and published; each pass gets a signed certificate.

Supervision checks raise cases: a session's pass rate far above the body's history, and
the same proctor on overlapping sessions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.codes.selectors import parameter_value
from hrss.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hrss.core.scope import Scope
from hrss.identity import biometrics
from hrss.registry.models import Employment
from hrss.training import rules
from hrss.training.models import (
    AppraisalApproval,
    AppraisalSession,
    Candidate,
    Certificate,
    ConsistencyCase,
    Institution,
    ProctorRecord,
    Qualification,
)
from hrss.training.services.access import audit, case_open, institution_of
from hrss.training.services.certificates import certificate_issue

FACE_PURPOSE = "skill appraisal sign-in"


@transaction.atomic
def session_schedule(*, scope: Scope, values: dict[str, Any]) -> AppraisalSession:
    """Schedule a session of an occupation and level the caller's body is approved for."""
    body = institution_of(scope, Institution.Kind.APPRAISAL)
    qualification = Qualification.objects.filter(code=str(values.get("qualification") or "")).first()
    level = int(values.get("level") or 0)
    approval = AppraisalApproval.objects.filter(body=body, qualification=qualification).first()
    if qualification is None or approval is None or level not in approval.levels:
        raise InvalidInput(
            _("Your body is not approved to appraise this occupation and level."),
            code="not_approved",
            fields={"qualification": str(values.get("qualification") or ""), "level": str(level)},
        )
    site = body.sites.filter(pk=str(values.get("site") or uuid.UUID(int=0))).first()
    if site is None:
        raise InvalidInput(fields={"site": _("Choose one of your body's sites.")})
    starts_at, ends_at = values["starts_at"], values["ends_at"]
    if ends_at <= starts_at:
        raise InvalidInput(fields={"ends_at": _("The session ends after it starts.")})
    proctors = sorted({str(name).strip()[:40] for name in values.get("proctors") or [] if str(name).strip()})
    if not proctors:
        raise InvalidInput(fields={"proctors": _("Name at least one proctor.")})
    session = AppraisalSession.objects.create(
        body=body,
        qualification=qualification,
        level=level,
        site=site,
        starts_at=starts_at,
        ends_at=ends_at,
        proctors=proctors,
    )
    audit(scope, "training.appraisal_schedule", "appraisal_session", session.pk, body=str(body.pk))
    proctor_overlap_check(session=session, actor=scope.actor)
    return session


def proctor_overlap_check(*, session: AppraisalSession, actor: str = "system") -> list[ConsistencyCase]:
    """The same proctor on sessions that overlap in time raises a case per pair."""
    opened = []
    overlapping = AppraisalSession.objects.filter(starts_at__lt=session.ends_at, ends_at__gt=session.starts_at).exclude(
        pk=session.pk
    )
    for other in overlapping.only("pk", "proctors", "body_id"):
        for proctor in sorted(set(session.proctors) & set(other.proctors)):
            pair = sorted([str(session.pk), str(other.pk)])
            opened.append(
                case_open(
                    kind=ConsistencyCase.Kind.PROCTOR_OVERLAP,
                    key=f"proctor:{proctor}:{pair[0]}:{pair[1]}",
                    institution=session.body,
                    detail={"proctor": proctor, "sessions": pair},
                    actor=actor,
                )
            )
    return opened


def _years_in(person_id: uuid.UUID, occupation: str, today: dt.date) -> int:
    days = 0
    for start, end in Employment.objects.filter(person_id=person_id, occupation_id=occupation).values_list(
        "start_date", "end_date"
    ):
        days += ((end or today) - start).days
    return days // 365


@transaction.atomic
def candidate_register(*, scope: Scope, session_id: uuid.UUID) -> Candidate:
    """The signed-in citizen registers for an open session, checked for eligibility: prior
    level (their valid certificates), years in the occupation (registry employment spells) and
    training hours (completed courses of the occupation)."""
    if scope.person_id is None:
        raise PermissionDenied(_("Only a person bound to their identity can register."), code="not_bound")
    session = (
        AppraisalSession.objects.select_for_update()
        .select_related("qualification", "site")
        .filter(pk=session_id, status=AppraisalSession.Status.OPEN, starts_at__gt=timezone.now())
        .first()
    )
    if session is None:
        raise NotFound()
    earlier = Candidate.objects.filter(session=session, person_id=scope.person_id).first()
    if earlier is not None:
        return earlier
    if session.candidates.count() >= session.site.capacity:
        raise Conflict(_("This session is full."), code="session_full")
    held = set(
        Certificate.objects.filter(
            person_id=scope.person_id, qualification=session.qualification, status=Certificate.Status.VALID
        ).values_list("level", flat=True)
    )
    from hrss.training.models import Enrolment

    hours = sum(
        Enrolment.objects.filter(
            person_id=scope.person_id,
            status=Enrolment.Status.COMPLETED,
            course__qualification=session.qualification,
        ).values_list("course__hours", flat=True)
    )
    years = _years_in(scope.person_id, session.qualification.occupation_id, timezone.localdate())
    verdict = rules.eligibility(level=session.level, held_levels=held, years_in_occupation=years, training_hours=hours)
    facts = {**verdict.as_json(), "held_levels": sorted(held), "years": years, "training_hours": hours}
    if not verdict.eligible:
        raise Conflict(
            _("You do not meet the conditions for this level yet."),
            code="not_eligible",
            fields={"eligibility": ", ".join(verdict.reasons)},
        )
    candidate = Candidate.objects.create(session=session, person_id=scope.person_id, eligibility=facts)
    audit(scope, "training.candidate_register", "candidate", candidate.pk, session=str(session.pk))
    return candidate


def _body_session(scope: Scope, session_id: uuid.UUID) -> AppraisalSession:
    body = institution_of(scope, Institution.Kind.APPRAISAL)
    session = AppraisalSession.objects.select_for_update().filter(pk=session_id, body=body).first()
    if session is None:
        raise NotFound()
    return session


def candidate_sign_in(
    *, scope: Scope, session_id: uuid.UUID, candidate_id: uuid.UUID, face_reference: str
) -> Candidate:
    """A candidate signs in at the session with a face check through the biometric provider."""
    with transaction.atomic():
        session = _body_session(scope, session_id)
        candidate = Candidate.objects.select_related("person").filter(pk=candidate_id, session=session).first()
        if candidate is None:
            raise NotFound()
        if candidate.signed_in_at is not None:
            return candidate
    check = biometrics.biometric_compare(
        person=candidate.person,
        kind="photo",
        reference=face_reference.strip()[:300],
        purpose=FACE_PURPOSE,
        actor=scope.actor,
        actor_role=scope.primary_role,
    )
    if not check.matched:
        raise PermissionDenied(_("The face check did not confirm this candidate."), code="face_not_matched")
    with transaction.atomic():
        Candidate.objects.filter(pk=candidate.pk, signed_in_at__isnull=True).update(
            signed_in_at=timezone.now(), face_check=str(check.pk)
        )
        audit(scope, "training.candidate_sign_in", "candidate", candidate.pk, face_check=str(check.pk))
    candidate.refresh_from_db()
    return candidate


@transaction.atomic
def proctor_record(
    *, scope: Scope, session_id: uuid.UUID, kind: str, text: str = "", photo: bytes | None = None
) -> ProctorRecord:
    """A proctor's log line, incident, or photo (kept by its SHA-256; the bytes stay with the body)."""
    session = _body_session(scope, session_id)
    if kind not in ProctorRecord.Kind.values:
        raise InvalidInput(fields={"kind": _("Use log, incident or photo.")})
    if kind == ProctorRecord.Kind.PHOTO and not photo:
        raise InvalidInput(fields={"photo": _("Attach the photo.")})
    if photo and not photo.startswith(PHOTO_SIGNATURES):
        wrong = _("Attach a JPEG or PNG photo.")
        raise InvalidInput(wrong, code="not_a_photo", fields={"photo": wrong})
    if kind != ProctorRecord.Kind.PHOTO and not text.strip():
        raise InvalidInput(fields={"text": _("Write what happened.")})
    record = ProctorRecord.objects.create(
        session=session,
        kind=kind,
        text=text.strip()[:1000],
        sha256=hashlib.sha256(photo).hexdigest() if photo else "",
        recorded_by=scope.actor,
    )
    audit(scope, "training.proctor_record", "appraisal_session", session.pk, kind=kind, sha256=record.sha256)
    return record


PHOTO_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")  # JPEG, PNG


@transaction.atomic
def results_enter(*, scope: Scope, session_id: uuid.UUID, scores: dict[str, tuple[Any, Any]]) -> AppraisalSession:
    """The body enters each candidate's theory and practical scores (candidate id → (theory, practical))."""
    session = _body_session(scope, session_id)
    if session.status not in (AppraisalSession.Status.OPEN, AppraisalSession.Status.RESULTS_ENTERED):
        raise Conflict(_("The results of this session are already checked."), code="results_checked")
    candidates = {str(c.pk): c for c in session.candidates.all()}
    if unknown := sorted(set(scores) - set(candidates)):
        raise InvalidInput(fields={"scores": _("Unknown candidate: %(ids)s") % {"ids": ", ".join(unknown)}})
    for key, (theory, practical) in scores.items():
        values = [None if v in (None, "") else Decimal(str(v)) for v in (theory, practical)]
        if any(v is not None and not Decimal(0) <= v <= Decimal(100) for v in values):
            raise InvalidInput(fields={"scores": _("Scores are from 0 to 100.")})
        candidate = candidates[key]
        if candidate.signed_in_at is None and any(v is not None for v in values):
            raise InvalidInput(
                _("A candidate who did not sign in has no scores."), code="not_signed_in", fields={"scores": key}
            )
        candidate.theory_score, candidate.practical_score = values
        candidate.result = rules.result_of(theory=values[0], practical=values[1])
        candidate.save(update_fields=["theory_score", "practical_score", "result", "updated_at"])
    session.status, session.entered_by = AppraisalSession.Status.RESULTS_ENTERED, scope.actor
    session.save(update_fields=["status", "entered_by", "updated_at"])
    audit(scope, "training.results_enter", "appraisal_session", session.pk, candidates=len(scores))
    return session


@transaction.atomic
def results_check(*, scope: Scope, session_id: uuid.UUID) -> AppraisalSession:
    """A second person of the body confirms the entered results (复核): never the one who entered them."""
    session = _body_session(scope, session_id)
    if session.status != AppraisalSession.Status.RESULTS_ENTERED:
        raise Conflict(_("There are no entered results to check."), code="nothing_to_check")
    if session.entered_by == scope.actor:
        raise PermissionDenied(_("The results are checked by someone other than who entered them."), code="same_person")
    session.status, session.checked_by = AppraisalSession.Status.RESULTS_CHECKED, scope.actor
    session.save(update_fields=["status", "checked_by", "updated_at"])
    audit(scope, "training.results_check", "appraisal_session", session.pk)
    return session


@transaction.atomic
def results_publish(*, scope: Scope, session_id: uuid.UUID) -> list[Certificate]:
    """Publish checked results: every passed candidate gets a signed certificate (publishing
    again issues nothing new); the pass-rate check runs against the body's history."""
    session = _body_session(scope, session_id)
    if session.status == AppraisalSession.Status.PUBLISHED:
        return list(Certificate.objects.filter(candidate__session=session))
    if session.status != AppraisalSession.Status.RESULTS_CHECKED:
        raise Conflict(_("Results are published after the second check."), code="not_checked")
    session.status, session.published_at = AppraisalSession.Status.PUBLISHED, timezone.now()
    session.save(update_fields=["status", "published_at", "updated_at"])
    issued = [
        certificate_issue(candidate=candidate, actor=scope.actor)
        for candidate in session.candidates.filter(result=Candidate.Result.PASSED).select_related("person", "session")
    ]
    audit(scope, "training.results_publish", "appraisal_session", session.pk, certificates=len(issued))
    pass_rate_check(session=session, actor=scope.actor)
    return issued


def pass_rate_check(*, session: AppraisalSession, actor: str = "system") -> ConsistencyCase | None:
    sat = Q(result__in=[Candidate.Result.PASSED, Candidate.Result.FAILED])
    passed = Q(result=Candidate.Result.PASSED)
    this = Candidate.objects.filter(session=session).aggregate(
        sat=Count("pk", filter=sat), passed=Count("pk", filter=passed)
    )
    history = (
        Candidate.objects.filter(session__body=session.body, session__status=AppraisalSession.Status.PUBLISHED)
        .exclude(session=session)
        .aggregate(sat=Count("pk", filter=sat), passed=Count("pk", filter=passed))
    )
    margin = parameter_value("training.appraisal.pass_rate_alert_margin", on=timezone.localdate())
    if not rules.pass_rate_alert(
        passed=this["passed"],
        sat=this["sat"],
        history_passed=history["passed"],
        history_sat=history["sat"],
        margin=margin,
    ):
        return None
    return case_open(
        kind=ConsistencyCase.Kind.PASS_RATE,
        key=f"pass_rate:{session.pk}",
        institution=session.body,
        detail={"session": str(session.pk), **{f"session_{k}": v for k, v in this.items()}, **history},
        actor=actor,
    )
