"""Test data of vocational training, built through the real services: a town with a citizen,
a training institution with two sites, an appraisal body with two agents (one enters results,
the other checks them), training staff and a fund supervisor."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from hrss.core import scope as roles
from hrss.core.scope import Scope
from hrss.identity.auth import scope_for_user
from hrss.testing import make_employer, make_person, make_user
from hrss.training import services
from hrss.training.models import Institution

_n = itertools.count(1)
MATCH = "capture/match.jpg"  # a capture the recording biometric provider confirms (see ``FACES``)
FACES = {MATCH: {"matched": True, "score": 0.98}}
QUALIFICATION = "6-31-01-03"  # 电工


def scope(user: Any) -> Scope:
    user._hrss_scope = None
    if hasattr(user, "_role_codes"):
        del user._role_codes
    return scope_for_user(user)


def citizen(name: str = "学员甲", district: str = "120101") -> Any:
    person = make_person(district=district, name=name)
    return make_user(f"trainee{next(_n)}", roles.CITIZEN, person=person)


@dataclass
class Town:
    citizen: Any
    agent: Any  # the training institution's agent
    institution: Any
    site_a: Any
    site_b: Any
    body_agent: Any  # enters results
    body_checker: Any  # checks them (a second person)
    body: Any
    exam_site: Any
    approver: Any
    supervisor: Any  # fund supervisor: pays subsidies


def make_town() -> Town:
    approver = make_user(f"approver{next(_n)}", roles.APPROVER, city_wide=True)
    registrar = scope(approver)
    school_employer = make_employer(name="天津示范职业培训学校")
    institution = services.institution_register(
        scope=registrar,
        employer_id=school_employer.pk,
        values={
            "kind": Institution.Kind.TRAINING,
            "licence_number": "津人社培字第0001号",
            "licence_valid_until": dt.date(2030, 12, 31),
            "capacity": 200,
            "scope": [QUALIFICATION, "4-10-01-05"],
        },
    )
    site_a = services.site_add(
        scope=registrar,
        institution_id=institution.pk,
        values={"name": "和平校区", "district": "120101", "address": "南京路1号", "room": "101", "capacity": 30},
    )
    site_b = services.site_add(
        scope=registrar,
        institution_id=institution.pk,
        values={"name": "河西校区", "district": "120103", "address": "友谊路2号", "room": "201", "capacity": 30},
    )
    body_employer = make_employer(name="天津示范职业技能等级认定中心")
    body = services.institution_register(
        scope=registrar,
        employer_id=body_employer.pk,
        values={
            "kind": Institution.Kind.APPRAISAL,
            "licence_number": "津认定备字第0001号",
            "licence_valid_until": dt.date(2030, 12, 31),
            "capacity": 100,
            "scope": [QUALIFICATION],
        },
    )
    services.approval_add(
        scope=registrar, body_id=body.pk, qualification=QUALIFICATION, levels=[5, 4, 3], document="津人社函〔2024〕1号"
    )
    exam_site = services.site_add(
        scope=registrar,
        institution_id=body.pk,
        values={"name": "认定考场", "district": "120101", "address": "南京路9号", "room": "A1", "capacity": 40},
    )
    return Town(
        citizen=citizen(),
        agent=make_user(f"school{next(_n)}", roles.EMPLOYER_AGENT, employer=school_employer),
        institution=institution,
        site_a=site_a,
        site_b=site_b,
        body_agent=make_user(f"assessor{next(_n)}", roles.EMPLOYER_AGENT, employer=body_employer),
        body_checker=make_user(f"checker{next(_n)}", roles.EMPLOYER_AGENT, employer=body_employer),
        body=body,
        exam_site=exam_site,
        approver=approver,
        supervisor=make_user(f"fund{next(_n)}", roles.FUND_SUPERVISOR, city_wide=True),
    )


def at(days: int, hour: int) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


def course(town: Town, *, site: Any = None, sessions: int = 2, start_day: int = 0, **values: Any) -> Any:
    """A course at ``site`` (``town.site_a`` unless told), sessions 9:00-12:00 on consecutive days."""
    site = site or town.site_a
    first = timezone.localdate() + dt.timedelta(days=start_day)
    return services.course_publish(
        scope=scope(town.agent),
        values={
            "title": values.pop("title", "电工（五级）实名制培训班"),
            "qualification": values.pop("qualification", QUALIFICATION),
            "level": values.pop("level", 5),
            "mode": values.pop("mode", "site"),
            "site": site.pk,
            "hours": 80,
            "capacity": 20,
            "starts_on": first,
            "ends_on": first + dt.timedelta(days=30),
            "sessions": [
                {"starts_at": at(start_day + n, 9), "ends_at": at(start_day + n, 12)} for n in range(sessions)
            ],
            **values,
        },
    )


def sign_in_face(town: Town, session: Any, user: Any, **kw: Any) -> Any:
    return services.attendance_sign_in(
        scope=scope(town.agent),
        session_id=session.pk,
        method="face",
        credential=user.person.id_number,
        face_reference=MATCH,
        **kw,
    )


def trained(town: Town, user: Any = None) -> tuple[Any, Any]:
    """``user`` (the town's citizen) enrolled in a course, signed in to every session, completed."""
    user = user or town.citizen
    found = course(town)
    enrolment = services.enrol(scope=scope(user), course_id=found.pk)
    for session in found.sessions.all():
        sign_in_face(town, session, user, at=session.starts_at)
    services.enrolment_complete(scope=scope(town.agent), enrolment_id=enrolment.pk)
    return found, enrolment


def exam(town: Town, *, level: int = 5, days: int = 3, proctors: list[str] | None = None) -> Any:
    return services.session_schedule(
        scope=scope(town.body_agent),
        values={
            "qualification": QUALIFICATION,
            "level": level,
            "site": town.exam_site.pk,
            "starts_at": at(days, 9),
            "ends_at": at(days, 12),
            "proctors": proctors or ["王监考"],
        },
    )


def certified(town: Town, user: Any = None, *, theory: str = "80", practical: str = "85") -> Any:
    """``user`` registered, signed in with a face check, scored, checked and published: the certificate."""
    user = user or town.citizen
    session = exam(town)
    candidate = services.candidate_register(scope=scope(user), session_id=session.pk)
    services.candidate_sign_in(
        scope=scope(town.body_agent), session_id=session.pk, candidate_id=candidate.pk, face_reference=MATCH
    )
    services.results_enter(
        scope=scope(town.body_agent), session_id=session.pk, scores={str(candidate.pk): (theory, practical)}
    )
    services.results_check(scope=scope(town.body_checker), session_id=session.pk)
    issued = services.results_publish(scope=scope(town.body_agent), session_id=session.pk)
    return issued[0] if issued else None


def hall_staff() -> dict[str, Any]:
    """A city-wide clerk and reviewers for the hall's steps (one person, one tier)."""
    return {
        "counter_clerk": make_user(f"clerk{next(_n)}", roles.COUNTER_CLERK, city_wide=True),
        "reviewer": make_user(f"reviewer{next(_n)}", roles.REVIEWER, city_wide=True),
        "second": make_user(f"reviewer{next(_n)}", roles.REVIEWER, city_wide=True),
        "approver": make_user(f"approver{next(_n)}", roles.APPROVER, city_wide=True),
    }


def hall_decide(reference: str, decision: str = "approve") -> Any:
    """Staff take every open step of the hall application to the decision (through the hall's services)."""
    from hrss.servicehall import services as hall
    from hrss.servicehall.models import Application

    staff = hall_staff()
    application = Application.objects.get(reference=reference)
    done: set[str] = set()
    while application.status in ("submitted", "in_progress"):
        work = application.work_items.get(state="open")
        user = work.assignee or staff[work.role]
        if user.username in done and work.role == "reviewer":
            user = staff["second"]
        done.add(user.username)
        application = hall.work_item_complete(
            scope=scope(user),
            user=user,
            work_item=work,
            decision=decision,
            reasons="" if decision == "approve" else "证书与考勤不符",
        )
    return application


def claim(town: Town, course: Any, key: str = "claim-1") -> Any:
    return services.claim_submit(scope=scope(town.agent), user=town.agent, course_id=course.pk, idempotency_key=key)
