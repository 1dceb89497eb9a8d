"""The synthetic public institutions keep the talent app's rules: staff within the quota
and within their posts' positions, one current row per person, real 事业单位 employers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Count, Q

from hrss.registry.models import Employment
from hrss.synth.runner import synth_run
from hrss.synth.steps import SynthParams, step_order
from hrss.talent import rules
from hrss.talent import synth as talent_synth
from hrss.talent.models import Institution, Post, Staff
from hrss.talent.quota import quota_figures

pytestmark = pytest.mark.django_db

PARAMS = SynthParams(persons=3000, employers=400, months=12, seed=7, as_of=dt.date(2026, 6, 30))


def test_the_step_runs_after_the_employments():
    order = [step.name for step in step_order([talent_synth.STEP])]
    assert order.index("employments") < order.index("talent")


def test_institutions_keep_the_rules():
    synth_run(params=PARAMS, steps=[talent_synth.STEP], progress=False)
    institutions = list(Institution.objects.select_related("employer"))
    assert institutions, "the synthetic city has public institutions"
    assert all(rules.is_public_institution(i.employer.credit_code) for i in institutions)
    # Every current employee of the institutions is on their staff, once.
    current = (
        Employment.objects.filter(
            employer_id__in=[i.employer_id for i in institutions], start_date__lte=PARAMS.as_of, end_date__isnull=True
        )
        .values("employer_id", "person_id")
        .distinct()
        .count()
    )
    assert Staff.objects.count() == current
    for institution in institutions:
        figures = quota_figures(institution_id=institution.pk, kind="full")
        assert figures.staff <= figures.quota and figures.free >= 1
    over = Post.objects.annotate(taken=Count("staff", filter=Q(staff__left_on__isnull=True))).filter(
        taken__gt=models_count()
    )
    assert not over.exists()
    assert all(rules.grade_valid(p.category, p.grade) for p in Post.objects.all())


def models_count():  # a post's positions
    from django.db.models import F

    return F("count")
