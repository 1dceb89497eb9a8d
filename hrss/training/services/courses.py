"""Courses and real-name training (T1): an institution publishes courses and their sessions,
citizens enrol with their real name, attendance is signed in by card, electronic card code
or face check, online courses record progress, and a completed course gets a survey.

Consistency checks run on each sign-in and raise cases: one person at two sites at once,
a sign-in outside the session's time, a class over its room's capacity.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from hrss.codes.identifiers import parse_id_number
from hrss.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hrss.core.scope import Scope
from hrss.identity import biometrics, kiosk
from hrss.registry.models import Person
from hrss.registry.services import id_number_index
from hrss.servicehall.extension_points import person_by_card
from hrss.training import rules
from hrss.training.models import (
    Attendance,
    ConsistencyCase,
    Course,
    CourseSession,
    Enrolment,
    Institution,
    Qualification,
)
from hrss.training.services.access import audit, case_open, institution_of

FACE_PURPOSE = "training attendance"


@transaction.atomic
def course_publish(*, scope: Scope, values: dict[str, Any], idempotency_key: str = "") -> Course:
    """Publish a course of the caller's training institution (a retry with the same key answers
    with the first course). Sessions come with it: ``values["sessions"]`` is a list of
    ``{"starts_at", "ends_at"}`` within the course's dates."""
    institution = institution_of(scope, Institution.Kind.TRAINING)
    if idempotency_key:
        earlier = Course.objects.filter(institution=institution, idempotency_key=idempotency_key).first()
        if earlier is not None:
            return earlier
    qualification = Qualification.objects.filter(code=str(values.get("qualification") or "")).first()
    if qualification is None:
        raise InvalidInput(fields={"qualification": _("Unknown occupation of the catalogue.")})
    if not institution.scope.filter(pk=qualification.pk).exists():
        raise InvalidInput(
            _("This occupation is outside your institution's licensed scope."),
            code="outside_scope",
            fields={"qualification": qualification.code},
        )
    level = int(values.get("level") or 0)
    if level not in qualification.levels:
        raise InvalidInput(fields={"level": _("This occupation has no such level.")})
    mode = str(values.get("mode") or "")
    site = None
    if mode == Course.Mode.SITE:
        site = institution.sites.filter(pk=str(values.get("site") or uuid.UUID(int=0))).first()
        if site is None:
            raise InvalidInput(fields={"site": _("Choose one of your institution's sites.")})
    elif mode != Course.Mode.ONLINE:
        raise InvalidInput(fields={"mode": _("Choose online or at a site.")})
    starts_on, ends_on = values["starts_on"], values["ends_on"]
    if ends_on < starts_on:
        raise InvalidInput(fields={"ends_on": _("The course cannot end before it starts.")})
    capacity, hours = int(values.get("capacity") or 0), int(values.get("hours") or 0)
    if capacity < 1 or hours < 1:
        raise InvalidInput(fields={"capacity": _("Enter a number above zero.")})
    if site is not None and capacity > site.capacity:
        raise InvalidInput(
            _("The class is larger than the room's %(seats)s seats.") % {"seats": site.capacity},
            code="over_room_capacity",
            fields={"capacity": str(site.capacity)},
        )
    title = str(values.get("title") or "").strip()
    if not title:
        raise InvalidInput(fields={"title": pgettext("course", "Enter a title.")})
    try:
        course = Course.objects.create(
            institution=institution,
            title=title[:100],
            qualification=qualification,
            level=level,
            mode=mode,
            site=site,
            hours=hours,
            capacity=capacity,
            starts_on=starts_on,
            ends_on=ends_on,
            subsidy_eligible=bool(values.get("subsidy_eligible", True)),
            published_by=scope.actor,
            idempotency_key=idempotency_key[:64],
        )
    except IntegrityError as error:
        raise Conflict(code="duplicate_request") from error
    for session in values.get("sessions") or []:
        starts_at, ends_at = session["starts_at"], session["ends_at"]
        if ends_at <= starts_at or not (starts_on <= timezone.localtime(starts_at).date() <= ends_on):
            raise InvalidInput(fields={"sessions": _("Each session ends after it starts, within the course's dates.")})
        CourseSession.objects.create(course=course, starts_at=starts_at, ends_at=ends_at, site=site)
    audit(scope, "training.course_publish", "course", course.pk, institution=str(institution.pk))
    return course


@transaction.atomic
def enrol(*, scope: Scope, course_id: uuid.UUID) -> Enrolment:
    """The signed-in citizen enrols with their real name (enrolling twice answers with the first)."""
    if scope.person_id is None:
        raise PermissionDenied(_("Only a person bound to their identity can enrol."), code="not_bound")
    course = Course.objects.select_for_update().filter(pk=course_id, status=Course.Status.PUBLISHED).first()
    if course is None:
        raise NotFound()
    earlier = Enrolment.objects.filter(course=course, person_id=scope.person_id).first()
    if earlier is not None:
        return earlier
    if course.ends_on < timezone.localdate():
        raise Conflict(_("This course has ended."), code="course_ended")
    taken = Enrolment.objects.filter(course=course).exclude(status=Enrolment.Status.WITHDRAWN).count()
    if taken >= course.capacity:
        raise Conflict(_("This course is full."), code="course_full")
    enrolment = Enrolment.objects.create(course=course, person_id=scope.person_id)
    audit(scope, "training.enrol", "enrolment", enrolment.pk, course=str(course.pk))
    return enrolment


def identify(*, scope: Scope, method: str, credential: str, face_reference: str = "") -> tuple[uuid.UUID, str]:
    """Who is signing in: the card number read at the site, the electronic card's dynamic
    code, or the ID number with a face capture compared by the biometric provider.
    Returns the person and the evidence (the biometric check's id for a face check)."""
    credential = credential.strip()
    if method == Attendance.Method.CARD:
        person = person_by_card(scope=Scope.system(scope.actor), number=credential)
        return uuid.UUID(str(person.pk)), ""
    if method == Attendance.Method.ECARD:
        return kiosk.ecard_holder(code=credential), ""
    if method == Attendance.Method.FACE:
        value = parse_id_number(credential).value
        person = Person.objects.filter(id_number_index=id_number_index(value)).first()
        if person is None or not face_reference.strip():
            raise PermissionDenied(_("The face check did not confirm this person."), code="face_not_matched")
        check = biometrics.biometric_compare(
            person=person,
            kind="photo",
            reference=face_reference.strip()[:300],
            purpose=FACE_PURPOSE,
            actor=scope.actor,
            actor_role=scope.primary_role,
        )
        if not check.matched:
            raise PermissionDenied(_("The face check did not confirm this person."), code="face_not_matched")
        return uuid.UUID(str(person.pk)), str(check.pk)
    raise InvalidInput(fields={"method": _("Use card, ecard or face.")})


def attendance_sign_in(
    *,
    scope: Scope,
    session_id: uuid.UUID,
    method: str,
    credential: str,
    face_reference: str = "",
    at: dt.datetime | None = None,
) -> Attendance:
    """Sign a trainee in to a session of the caller's institution. Signing in twice answers
    with the first attendance; the consistency checks run after each new one."""
    # Who may sign in to this session is decided before anyone is identified, so a caller
    # outside the institution learns nothing about cards or ID numbers.
    if scope.employer_id is None:
        raise PermissionDenied(_("This is done by an agent of the institution."), code="not_institution")
    institution = Institution.objects.filter(employer_id=scope.employer_id, kind=Institution.Kind.TRAINING).first()
    if institution is None:
        raise PermissionDenied(_("Your employer is not a registered institution of this kind."), code="not_institution")
    if not CourseSession.objects.filter(pk=session_id, course__institution=institution).exists():
        raise NotFound()
    person_id, evidence = identify(scope=scope, method=method, credential=credential, face_reference=face_reference)
    at = at or timezone.now()
    with transaction.atomic():
        institution_of(scope, Institution.Kind.TRAINING)  # the institution's row lock serialises its sign-ins
        session = CourseSession.objects.select_related("course", "site").get(pk=session_id)
        enrolment = (
            Enrolment.objects.filter(course=session.course, person_id=person_id)
            .exclude(status=Enrolment.Status.WITHDRAWN)
            .first()
        )
        if enrolment is None:
            raise Conflict(_("This person is not enrolled in the course."), code="not_enrolled")
        earlier = Attendance.objects.filter(session=session, person_id=person_id).first()
        if earlier is not None:
            return earlier
        attendance = Attendance.objects.create(
            session=session,
            enrolment=enrolment,
            person_id=person_id,
            method=method,
            signed_at=at,
            site=session.site,
            evidence=evidence,
            recorded_by=scope.actor,
        )
        audit(scope, "training.attendance_sign_in", "attendance", attendance.pk, method=method)
        attendance_check(attendance=attendance, actor=scope.actor)
    return attendance


def attendance_check(*, attendance: Attendance, actor: str = "system") -> list[ConsistencyCase]:
    """The consistency checks of one attendance; each anomaly raises (at most) one case."""
    session = attendance.session
    opened: list[ConsistencyCase] = []
    institution = session.course.institution
    if not rules.within_session(at=attendance.signed_at, starts_at=session.starts_at, ends_at=session.ends_at):
        opened.append(
            case_open(
                kind=ConsistencyCase.Kind.OUTSIDE_SESSION,
                key=f"outside:{attendance.pk}",
                person_id=attendance.person_id,
                institution=institution,
                detail={"attendance": str(attendance.pk), "signed_at": attendance.signed_at.isoformat()},
                actor=actor,
            )
        )
    new = rules.SignIn(str(attendance.pk), str(session.site_id or ""), session.starts_at, session.ends_at)
    others = [
        rules.SignIn(str(pk), str(site or ""), starts, ends)
        for pk, site, starts, ends in Attendance.objects.filter(
            person_id=attendance.person_id,
            session__starts_at__lt=session.ends_at,
            session__ends_at__gt=session.starts_at,
        )
        .exclude(pk=attendance.pk)
        .values_list("pk", "session__site_id", "session__starts_at", "session__ends_at")
    ]
    for other in rules.overlapping_elsewhere(new, others):
        pair = sorted([new.key, other.key])
        opened.append(
            case_open(
                kind=ConsistencyCase.Kind.DOUBLE_SIGN_IN,
                key=f"double:{pair[0]}:{pair[1]}",
                person_id=attendance.person_id,
                institution=institution,
                detail={"attendances": pair, "sites": sorted([new.site or "online", other.site or "online"])},
                actor=actor,
            )
        )
    if session.site is not None:
        present = Attendance.objects.filter(session=session).count()
        if present > session.site.capacity:
            opened.append(
                case_open(
                    kind=ConsistencyCase.Kind.OVER_CAPACITY,
                    key=f"capacity:{session.pk}",
                    institution=institution,
                    detail={"session": str(session.pk), "present": present, "seats": session.site.capacity},
                    actor=actor,
                )
            )
    return opened


@transaction.atomic
def progress_record(*, scope: Scope, enrolment_id: uuid.UUID, percent: int) -> Enrolment:
    """An online course's progress, as its player reports it for the signed-in trainee (never goes back)."""
    enrolment = _own_enrolment(scope, enrolment_id)
    if enrolment.course.mode != Course.Mode.ONLINE:
        raise Conflict(_("Progress is recorded for online courses."), code="not_online")
    if not 0 <= percent <= 100:
        raise InvalidInput(fields={"percent": _("Enter 0 to 100.")})
    if percent > enrolment.progress_percent:
        enrolment.progress_percent = percent
        enrolment.save(update_fields=["progress_percent", "updated_at"])
        audit(scope, "training.progress_record", "enrolment", enrolment.pk, percent=percent)
    return enrolment


def _own_enrolment(scope: Scope, enrolment_id: uuid.UUID) -> Enrolment:
    if scope.person_id is None:
        raise PermissionDenied(code="not_bound")
    enrolment = (
        Enrolment.objects.select_for_update()
        .select_related("course")
        .filter(pk=enrolment_id, person_id=scope.person_id)
        .first()
    )
    if enrolment is None:
        raise NotFound()
    return enrolment


@transaction.atomic
def enrolment_complete(*, scope: Scope, enrolment_id: uuid.UUID) -> Enrolment:
    """The institution marks a trainee's course completed: a site course needs the attendance
    share of the policy parameters, an online one its progress at 100%."""
    institution = institution_of(scope, Institution.Kind.TRAINING)
    enrolment = (
        Enrolment.objects.select_for_update()
        .select_related("course")
        .filter(pk=enrolment_id, course__institution=institution)
        .first()
    )
    if enrolment is None:
        raise NotFound()
    if enrolment.status == Enrolment.Status.COMPLETED:
        return enrolment
    from hrss.codes.selectors import parameter_value

    course = enrolment.course
    if course.mode == Course.Mode.ONLINE:
        done = enrolment.progress_percent >= 100
    else:
        ratio = parameter_value("training.subsidy.min_attendance_ratio", on=timezone.localdate())
        done = rules.attended_enough(
            attended=enrolment.attendances.count(), sessions=course.sessions.count(), ratio=ratio
        )
    if not done:
        raise Conflict(_("The trainee has not attended enough of the course yet."), code="not_attended_enough")
    enrolment.status = Enrolment.Status.COMPLETED
    enrolment.completed_on = timezone.localdate()
    enrolment.save(update_fields=["status", "completed_on", "updated_at"])
    audit(scope, "training.enrolment_complete", "enrolment", enrolment.pk)
    return enrolment


@transaction.atomic
def survey_answer(*, scope: Scope, enrolment_id: uuid.UUID, score: int, comment: str = "") -> Enrolment:
    """The trainee's evaluation of a completed course (1 to 5), once."""
    enrolment = _own_enrolment(scope, enrolment_id)
    if enrolment.status != Enrolment.Status.COMPLETED:
        raise Conflict(_("The survey opens when the course is completed."), code="not_completed")
    if not 1 <= score <= 5:
        raise InvalidInput(fields={"score": _("Choose 1 to 5.")})
    if enrolment.survey_score is not None:
        raise Conflict(_("You have already answered the survey."), code="already_answered")
    enrolment.survey_score, enrolment.survey_comment = score, comment.strip()[:500]
    enrolment.save(update_fields=["survey_score", "survey_comment", "updated_at"])
    audit(scope, "training.survey_answer", "enrolment", enrolment.pk, score=score)
    return enrolment
