"""The synthetic talent programmes keep the review's rules: every scored declaration has the
programme's number of sheets by experts of its speciality, none the applicant or a colleague
of the applicant's employer; its score is the aggregate of the sheets; ranks follow scores."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest

from hrss.registry.models import Employment
from hrss.synth.runner import synth_run
from hrss.synth.steps import SynthParams
from hrss.talent import rules
from hrss.talent import synth as talent_synth
from hrss.talent.programme_models import Declaration, Programme, ReviewAssignment, ScoreSheet

pytestmark = pytest.mark.django_db

PARAMS = SynthParams(persons=3000, employers=300, months=12, seed=11, as_of=dt.date(2026, 6, 30))


def test_programmes_keep_the_rules():
    synth_run(params=PARAMS, steps=[talent_synth.PROGRAMMES_STEP], progress=False)
    programmes = list(Programme.objects.all())
    assert len(programmes) == len(talent_synth.PROGRAMMES)
    employer_of = dict(
        Employment.objects.filter(start_date__lte=PARAMS.as_of, end_date__isnull=True)
        .order_by("person_id", "start_date")
        .values_list("person_id", "employer_id")
    )
    totals = defaultdict(list)
    for sheet in ScoreSheet.objects.select_related("assignment__expert", "assignment__declaration"):
        declaration = sheet.assignment.declaration
        expert = sheet.assignment.expert
        assert expert.person_id != declaration.person_id
        assert employer_of.get(expert.person_id) != declaration.employer_id
        totals[declaration.pk].append(sheet.total)
    checked = 0
    for programme in programmes:
        ranked = []
        for declaration in Declaration.objects.filter(programme=programme):
            if declaration.status == "refused":
                assert declaration.score is None and not ReviewAssignment.objects.filter(declaration=declaration)
                continue
            assert len(totals[declaration.pk]) == programme.experts_per_declaration == 5
            assert declaration.score == rules.aggregate_score(totals[declaration.pk])
            ranked.append((str(declaration.pk), declaration.score, declaration.rank, declaration.funded))
            checked += 1
        expected = {
            r.key: (r.rank, r.funded)
            for r in rules.ranking([(k, s) for k, s, _r, _f in ranked], awards=programme.awards)
        }
        assert all(expected[key] == (rank, funded) for key, _s, rank, funded in ranked)
    assert checked > 10
