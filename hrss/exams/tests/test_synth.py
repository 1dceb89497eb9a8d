"""The synthetic examination keeps the app's rules: the registered are in the posts' age range,
each seated once with posts apart, scored from the sealed key and ranked in their post."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Count

from hrss.exams import rules, services
from hrss.exams import synth as exams_synth
from hrss.exams.models import AnswerSheet, Exam, ExamStatus, Paper, Registration, Score, Seat
from hrss.synth.runner import synth_run
from hrss.synth.steps import SynthParams, step_order

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 6, 30)
PARAMS = SynthParams(persons=3000, employers=100, months=12, seed=5, as_of=AS_OF)


def test_the_step_runs_after_the_persons():
    order = [step.name for step in step_order([exams_synth.EXAMS])]
    assert order.index("persons") < order.index("exams")


def test_the_synthetic_exam_is_held_seated_scored_and_published_by_the_rules():
    city = synth_run(params=PARAMS, steps=[exams_synth.EXAMS], progress=False)
    rows = {s.name: s.rows for s in city.steps}["exams"]
    exam = Exam.objects.get(code="EX2025SY")
    assert exam.status == ExamStatus.PUBLISHED and rows["exams.score"] > 20
    registrations = Registration.objects.filter(exam=exam).select_related("person")
    assert all(
        exams_synth.AGES[0] - 1 <= rules.age_on(r.person.birth_date, AS_OF) <= exams_synth.AGES[1] + 1
        for r in registrations
    )
    assert Seat.objects.filter(exam=exam).count() == registrations.count() == Score.objects.filter(exam=exam).count()
    assert not Seat.objects.filter(exam=exam).values("room", "number").annotate(n=Count("pk")).filter(n__gt=1)
    key, points, _written = services.paper_layout(Paper.objects.get(exam=exam))
    sheet = AnswerSheet.objects.filter(registration__exam=exam).first()
    expected = rules.objective_scores(key=key, points=points, sheets=[sheet.answers])[0]
    score = Score.objects.get(registration_id=sheet.registration_id)
    assert int(score.total * 10) == int(expected)
    best = Score.objects.filter(exam=exam, post=score.post).order_by("-total").first()
    assert best.rank == 1
