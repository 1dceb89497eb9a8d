"""The synthetic training institutions, courses, enrolments and sign-ins keep the training
app's own rules."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest
from django.db.models import Count
from django.utils import timezone

from hrss.codes.selectors import parameter_value
from hrss.core.scope import Scope
from hrss.synth.runner import synth_run
from hrss.synth.steps import SynthParams, step_order
from hrss.training import rules, selectors
from hrss.training import synth as training_synth
from hrss.training.models import Attendance, Course, Enrolment, Institution

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 6, 30)
PARAMS = SynthParams(persons=3000, employers=300, months=12, seed=5, as_of=AS_OF)


@pytest.fixture
def city():
    return synth_run(params=PARAMS, steps=[training_synth.ENROLMENTS], progress=False)


def test_the_steps_are_registered_after_what_they_need():
    order = [step.name for step in step_order([training_synth.ENROLMENTS])]
    assert order.index("employers") < order.index("training") < order.index("training_enrolments")
    assert order.index("persons") < order.index("training_enrolments")


def test_institutions_and_courses_keep_the_rules(city):
    rows = {s.name: s.rows for s in city.steps}
    schools = Institution.objects.filter(kind="training")
    assert schools.count() == PARAMS.employers // training_synth.EMPLOYERS_PER_SCHOOL
    assert Institution.objects.filter(kind="appraisal").exists()
    assert rows["training"]["training_course"] == Course.objects.count() > 0
    for course in Course.objects.select_related("institution", "site", "qualification"):
        assert course.institution.kind == "training"
        assert course.institution.scope.filter(pk=course.qualification_id).exists()  # within the licence
        assert course.level in course.qualification.levels and course.starts_on <= course.ends_on
        if course.mode == "site":
            assert course.site.institution_id == course.institution_id
            assert course.capacity <= course.site.capacity  # within the room
            sessions = list(course.sessions.all())
            assert 1 <= len(sessions) <= training_synth.MAX_SESSIONS
            for session in sessions:
                local = timezone.localtime(session.starts_at)
                assert local.weekday() < 5 and local.hour == 9 and session.ends_at > session.starts_at
                assert course.starts_on <= local.date() <= course.ends_on
        else:
            assert course.site is None and not course.sessions.exists()


def test_enrolments_and_sign_ins_keep_the_rules(city):
    ratio = Decimal(str(parameter_value("training.subsidy.min_attendance_ratio", on=AS_OF)))
    enrolments = Enrolment.objects.select_related("course").annotate(
        signed=Count("attendances"), sessions=Count("course__sessions", distinct=True)
    )
    statuses = Counter(e.status for e in enrolments)
    assert statuses["completed"] and statuses["enrolled"]
    for enrolment in enrolments:
        course = enrolment.course
        if enrolment.status == "completed":
            assert course.ends_on < AS_OF
            if course.mode == "site":
                assert rules.attended_enough(attended=enrolment.signed, sessions=enrolment.sessions, ratio=ratio)
            else:
                assert enrolment.progress_percent == 100
    per_course = Counter(e.course_id for e in enrolments)
    capacity = dict(Course.objects.values_list("id", "capacity"))
    assert all(count <= capacity[course] for course, count in per_course.items())
    assert len({e.person_id for e in enrolments}) == len(enrolments)  # one course a person
    for attendance in Attendance.objects.select_related("session", "enrolment"):
        assert attendance.enrolment.course_id == attendance.session.course_id
        assert attendance.person_id == attendance.enrolment.person_id
        assert rules.within_session(
            at=attendance.signed_at, starts_at=attendance.session.starts_at, ends_at=attendance.session.ends_at
        )
        assert attendance.signed_at <= timezone.make_aware(dt.datetime.combine(AS_OF, dt.time(23, 59, 59)))
    # The supervisors' checks find nothing wrong in the synthetic sign-ins.
    assert not selectors.cases(scope=Scope.system(), limit=10)
