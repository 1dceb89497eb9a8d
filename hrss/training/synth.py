"""Synthetic-city steps of the training app (``hrss synth``).

- ``training``: about one employer in ``EMPLOYERS_PER_SCHOOL`` is a licensed training
  institution (licence, scope of two to four occupations of the catalogue, one or two sites
  in its own district) and one in ``EMPLOYERS_PER_BODY`` a skill-appraisal body approved for
  the whole catalogue; each institution publishes courses over the last year and the next
  quarter (mostly at a site, some online), each site course with its sessions, 09:00-12:00
  on consecutive weekdays.
- ``training_enrolments``: working-age residents enrol with their real name, about
  ``FILL`` of all places taken, nearer courses more likely; courses already over are
  completed by those who signed in to enough sessions (the policy parameter) and
  withdrawn by the others; each sign-in lies within its session's sign-in window, by card,
  electronic card code or face check. One course a person, so no one is at two sites at once.

Every row keeps the app's own rules: a course is within its institution's scope and its
room, a completed enrolment attended enough, a sign-in lies within its session.
"""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
from django.conf import settings

from hrss.registry.models import Employer
from hrss.synth.public import (
    Advance,
    Block,
    Step,
    SynthContext,
    districts,
    employer_table,
    person_core,
    register,
    uuid4_hex,
)
from hrss.training import rules
from hrss.training.models import (
    AppraisalApproval,
    Attendance,
    Course,
    CourseSession,
    Enrolment,
    Institution,
    Qualification,
    Site,
)

INSTITUTIONS = "training"
ENROLMENTS = "training_enrolments"

EMPLOYERS_PER_SCHOOL = 150
EMPLOYERS_PER_BODY = 600
COURSES_PER_SCHOOL = (3, 8)  # at least, at most
ONLINE_SHARE = 0.2
LEVEL_SHARES = {5: 0.5, 4: 0.35, 3: 0.15}
HOURS = (40, 120)
HOURS_PER_SESSION = 4  # a morning: 09:00-12:00 plus a break counts as four class hours
MAX_SESSIONS = 15
FILL = 0.7  # share of all places the synthetic residents take
OWN_DISTRICT = 0.7  # a resident picks a course in their own district this often
WORKING_AGE = (18.0, 59.0)
ATTEND = 0.93  # chance a trainee signs in to a session of their course
SIGN_IN_METHODS = (("card", 0.5), ("ecard", 0.3), ("face", 0.2))
SYNTH_ACTOR = "synth"

INSTITUTION_COLUMNS = (
    "id", "created_at", "updated_at", "employer_id", "kind", "name", "licence_number",
    "licence_valid_until", "capacity", "rating", "rating_detail", "rated_on",
)  # fmt: skip
SITE_COLUMNS = (
    "id",
    "created_at",
    "updated_at",
    "institution_id",
    "name",
    "district_id",
    "address",
    "room",
    "capacity",
)
SCOPE_COLUMNS = ("institution_id", "qualification_id")
APPROVAL_COLUMNS = (
    "id",
    "created_at",
    "updated_at",
    "body_id",
    "qualification_id",
    "levels",
    "approved_on",
    "document",
)
COURSE_COLUMNS = (
    "id", "created_at", "updated_at", "institution_id", "title", "qualification_id", "level", "mode", "site_id",
    "hours", "capacity", "starts_on", "ends_on", "subsidy_eligible", "status", "published_by", "idempotency_key",
)  # fmt: skip
SESSION_COLUMNS = ("id", "created_at", "updated_at", "course_id", "starts_at", "ends_at", "site_id")
ENROLMENT_COLUMNS = (
    "id", "created_at", "updated_at", "course_id", "person_id", "status", "progress_percent", "completed_on",
    "survey_score", "survey_comment",
)  # fmt: skip
ATTENDANCE_COLUMNS = (
    "id", "created_at", "updated_at", "session_id", "enrolment_id", "person_id", "method", "signed_at", "site_id",
    "evidence", "recorded_by",
)  # fmt: skip

LEVEL_NAMES = {5: "五级", 4: "四级", 3: "三级", 2: "二级", 1: "一级"}


def _employer_names(ids: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for start in range(0, len(ids), 500):
        for pk, name in Employer.objects.filter(pk__in=ids[start : start + 500]).values_list("pk", "name"):
            found[pk.hex] = name
    return found


def _district_names() -> dict[str, str]:
    from hrss.codes.models import District

    return dict(District.objects.values_list("code", "name"))


def _weekdays(first: dt.date, count: int) -> list[dt.date]:
    days: list[dt.date] = []
    day = first
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))


@register
class TrainingStep(Step):
    name = INSTITUTIONS
    label = "Training institutions and courses"
    requires = ("employers",)

    def total(self, ctx: SynthContext) -> int:
        return max(1, ctx.params.employers // EMPLOYERS_PER_SCHOOL)

    def run(self, ctx: SynthContext, advance: Advance) -> dict[str, int]:
        params = ctx.params
        qualifications = list(Qualification.objects.order_by("code").values_list("id", "code", "name", "levels"))
        if not params.employers or not qualifications:
            return {}
        table = employer_table(ctx)
        rng = ctx.rng(INSTITUTIONS, 0, 0)
        schools = max(1, params.employers // EMPLOYERS_PER_SCHOOL)
        bodies = max(1, params.employers // EMPLOYERS_PER_BODY)
        chosen = rng.choice(table.size, size=min(table.size, schools + bodies), replace=False)
        school_rows, body_rows = chosen[:schools], chosen[schools:] if chosen.size > schools else chosen[:1]
        names = _employer_names([table.uuid_hex[i] for i in chosen.tolist()])
        district_codes = districts().codes
        district_names = _district_names()
        stamp = ctx.loader.timestamp(ctx.now)
        as_of = params.as_of

        institutions: list[tuple[Any, ...]] = []
        sites: list[tuple[Any, ...]] = []
        scopes: list[tuple[Any, ...]] = []
        approvals: list[tuple[Any, ...]] = []
        courses: list[tuple[Any, ...]] = []
        sessions: list[tuple[Any, ...]] = []
        course_table: list[tuple[str, str | None, str, dt.date, dt.date, int, int, list[tuple[str, dt.datetime]]]] = []
        for serial, (kind, rows) in enumerate(
            [("training", i) for i in school_rows.tolist()] + [("appraisal", i) for i in body_rows.tolist()], start=1
        ):
            employer = table.uuid_hex[rows]
            institution_id = uuid4_hex(rng, 1)[0]
            district = district_codes[int(table.district[rows])]
            place = district_names.get(district, "")
            name = names.get(employer, f"职业培训机构{serial}")
            licence = f"津人社{'培' if kind == 'training' else '鉴'}字第{serial:05d}号"
            capacity = int(rng.integers(60, 300))
            institutions.append(
                (
                    institution_id, stamp, stamp, employer, kind, name, licence,
                    (as_of + dt.timedelta(days=int(rng.integers(180, 1800)))).isoformat(), capacity,
                    None, json.dumps({}), None,
                )
            )  # fmt: skip
            own_sites = []
            for room in range(int(rng.integers(1, 3))):
                new_site = uuid4_hex(rng, 1)[0]
                room_size = int(rng.integers(3, 7)) * 10
                sites.append(
                    (new_site, stamp, stamp, institution_id, f"{place}校区", district,
                     f"{place}示范路{int(rng.integers(1, 300))}号", f"{room + 1}0{int(rng.integers(1, 9))}", room_size)
                )  # fmt: skip
                own_sites.append((new_site, room_size, district))
            if kind == "appraisal":
                for qualification_id, _code, _name, levels in qualifications:
                    approvals.append(
                        (uuid4_hex(rng, 1)[0], stamp, stamp, institution_id, qualification_id.hex,
                         json.dumps(sorted((lv for lv in levels if lv >= 3), reverse=True)),
                         (as_of - dt.timedelta(days=int(rng.integers(90, 1500)))).isoformat(), f"津人社鉴备〔{as_of.year - 1}〕{serial}号")
                    )  # fmt: skip
                continue
            in_scope = rng.choice(
                len(qualifications), size=min(len(qualifications), int(rng.integers(2, 5))), replace=False
            )
            for q in in_scope.tolist():
                scopes.append((institution_id, qualifications[q][0].hex))
            for _ in range(int(rng.integers(COURSES_PER_SCHOOL[0], COURSES_PER_SCHOOL[1] + 1))):
                q = int(rng.choice(in_scope))
                qualification_id, _code, q_name, levels = qualifications[q]
                offered = [lv for lv in LEVEL_SHARES if lv in levels]
                shares = np.array([LEVEL_SHARES[lv] for lv in offered])
                level = int(rng.choice(offered, p=shares / shares.sum()))
                hours = int(rng.integers(HOURS[0] // 4, HOURS[1] // 4 + 1)) * 4
                starts_on = as_of + dt.timedelta(days=int(rng.integers(-365, 90)))
                course_id = uuid4_hex(rng, 1)[0]
                online = rng.random() < ONLINE_SHARE
                site_id: str | None
                if online:
                    site_id, seats, district = None, int(rng.integers(5, 11)) * 10, ""
                    days: list[dt.date] = []
                    ends_on = starts_on + dt.timedelta(days=int(rng.integers(30, 90)))
                else:
                    site_id, room_seats, district = own_sites[int(rng.integers(len(own_sites)))]
                    seats = int(rng.integers(room_seats // 2, room_seats + 1))
                    days = _weekdays(starts_on, min(MAX_SESSIONS, hours // HOURS_PER_SESSION))
                    ends_on = days[-1]
                title = f"{q_name}（{LEVEL_NAMES[level]}）{'线上' if online else '实名制'}培训班"
                courses.append(
                    (course_id, stamp, stamp, institution_id, title, qualification_id.hex, level,
                     "online" if online else "site", site_id, hours, seats, starts_on.isoformat(),
                     ends_on.isoformat(), True, "published", SYNTH_ACTOR, "")
                )  # fmt: skip
                own_sessions = []
                for day in days:
                    session_id = uuid4_hex(rng, 1)[0]
                    starts_at, ends_at = _local(day, 9), _local(day, 12)
                    sessions.append(
                        (session_id, stamp, stamp, course_id, ctx.loader.timestamp(starts_at),
                         ctx.loader.timestamp(ends_at), site_id)
                    )  # fmt: skip
                    own_sessions.append((session_id, starts_at))
                course_table.append((course_id, site_id, district, starts_on, ends_on, seats, level, own_sessions))
            advance(1)

        written: dict[str, int] = {}
        for model, columns, rows_ in (
            (Institution, INSTITUTION_COLUMNS, institutions),
            (Site, SITE_COLUMNS, sites),
            (Institution.scope.through, SCOPE_COLUMNS, scopes),
            (AppraisalApproval, APPROVAL_COLUMNS, approvals),
            (Course, COURSE_COLUMNS, courses),
            (CourseSession, SESSION_COLUMNS, sessions),
        ):
            with ctx.loader.copy(model, columns) as write:
                write(rows_)
            written[model._meta.db_table] = len(rows_)
        ctx.shared["training.courses"] = course_table
        return written


@register
class TrainingEnrolmentsStep(Step):
    name = ENROLMENTS
    label = "Training enrolments and attendance"
    requires = (INSTITUTIONS, "persons")

    def total(self, ctx: SynthContext) -> int:
        return ctx.params.persons

    def run(self, ctx: SynthContext, advance: Advance) -> dict[str, int]:
        from hrss.codes.selectors import parameter_value

        params = ctx.params
        courses = ctx.shared.get("training.courses") or []
        if not courses or not params.persons:
            return {}
        ratio = Decimal(str(parameter_value("training.subsidy.min_attendance_ratio", on=params.as_of)))
        district_codes = districts().codes
        seats = np.array([c[5] for c in courses], dtype=np.int64)
        by_district: dict[str, np.ndarray] = {}
        for code in district_codes:
            by_district[code] = np.array([i for i, c in enumerate(courses) if c[2] == code], dtype=np.int64)
        # Everyone of working age may enrol: the chance that fills FILL of all places.
        share = min(0.2, FILL * float(seats.sum()) / max(1, params.persons))
        state = _Enrolling(
            ctx=ctx,
            courses=courses,
            seats=seats,
            by_district=by_district,
            everywhere=np.arange(len(courses)),
            weights=seats / seats.sum(),
            share=share,
            ratio=ratio,
            stamp=ctx.loader.timestamp(ctx.now),
            now=dt.datetime.combine(params.as_of, dt.time(23, 59), tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE)),
        )
        # Two passes over the same draws (one COPY at a time): enrolments, then their sign-ins.
        enrolled = attended = 0
        with ctx.loader.copy(Enrolment, ENROLMENT_COLUMNS) as write:
            taken = np.zeros(len(courses), dtype=np.int64)
            for block in ctx.blocks(params.persons):
                enrolments, _ = state.block(block, taken)
                write(enrolments)
                enrolled += len(enrolments)
                advance(block.size // 2)
        with ctx.loader.copy(Attendance, ATTENDANCE_COLUMNS) as write:
            taken = np.zeros(len(courses), dtype=np.int64)
            for block in ctx.blocks(params.persons):
                _, attendances = state.block(block, taken)
                write(attendances)
                attended += len(attendances)
                advance(block.size - block.size // 2)
        return {Enrolment._meta.db_table: enrolled, Attendance._meta.db_table: attended}


@dataclass
class _Enrolling:
    """Who enrols where, and their sign-ins: a pure function of the seed and the block (and
    the places already taken in earlier blocks), so both passes draw the same."""

    ctx: SynthContext
    courses: list[Any]
    seats: np.ndarray
    by_district: dict[str, np.ndarray]
    everywhere: np.ndarray
    weights: np.ndarray
    share: float
    ratio: Decimal
    stamp: str
    now: dt.datetime

    def block(self, block: Block, taken: np.ndarray) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        ctx, as_of = self.ctx, self.ctx.params.as_of
        core = person_core(ctx, block)
        rng = ctx.rng(ENROLMENTS, block.index, 0)
        codes = districts().codes
        methods = [m for m, _p in SIGN_IN_METHODS]
        method_p = np.array([p for _m, p in SIGN_IN_METHODS])
        alive = np.isnat(core.death)
        working = (core.age >= WORKING_AGE[0]) & (core.age <= WORKING_AGE[1]) & alive
        who = np.flatnonzero(working & (rng.random(core.age.size) < self.share))
        enrolments: list[tuple[Any, ...]] = []
        attendances: list[tuple[Any, ...]] = []
        for i in who.tolist():
            own = self.by_district.get(codes[int(core.residence[i])], self.everywhere)
            pool = own if own.size and rng.random() < OWN_DISTRICT else self.everywhere
            pick = int(rng.choice(pool, p=self.weights[pool] / self.weights[pool].sum()))
            if taken[pick] >= self.seats[pick]:
                continue  # full: this resident does not enrol
            taken[pick] += 1
            course_id, site_id, _district, _starts_on, ends_on, _seats, _level, own_sessions = self.courses[pick]
            enrolment_id = uuid4_hex(rng, 1)[0]
            person = core.uuid_hex[i]
            signed = 0
            for session_id, starts_at in own_sessions:
                if starts_at > self.now or rng.random() >= ATTEND:
                    continue
                at = starts_at + dt.timedelta(minutes=int(rng.integers(-25, 40)))
                method = methods[int(rng.choice(len(methods), p=method_p))]
                attendances.append(
                    (uuid4_hex(rng, 1)[0], self.stamp, self.stamp, session_id, enrolment_id, person, method,
                     ctx.loader.timestamp(at), site_id, f"synth-{method}" if method == "face" else "", SYNTH_ACTOR)
                )  # fmt: skip
                signed += 1
            over = ends_on < as_of
            if site_id is None:  # online: progress instead of sign-ins
                progress = 100 if over and rng.random() < 0.85 else int(rng.integers(0, 100))
                done = progress == 100
            else:
                progress = 0
                done = over and rules.attended_enough(attended=signed, sessions=len(own_sessions), ratio=self.ratio)
            status = "completed" if done else ("withdrawn" if over else "enrolled")
            survey = int(rng.choice([3, 4, 4, 5, 5])) if done and rng.random() < 0.6 else None
            enrolments.append(
                (enrolment_id, self.stamp, self.stamp, course_id, person, status, progress,
                 ends_on.isoformat() if done else None, survey, "")
            )  # fmt: skip
        return enrolments, attendances
