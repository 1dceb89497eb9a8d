"""The insurance synth steps: valid under the app's own rules, reproducible in size."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict

import pytest
from django.db.models import Sum

from hrss.insurance import policy, rules
from hrss.insurance.models import (
    AccountEntry,
    ContributionBase,
    ContributionLine,
    EmployerPeriodTotal,
    EmployerWorkInjuryRate,
    Enrolment,
    Payment,
)
from hrss.insurance.synth import month_spells
from hrss.synth.runner import synth_run
from hrss.synth.steps import SynthParams

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 6, 30)
PARAMS = SynthParams(persons=600, employers=30, months=12, seed=11, as_of=AS_OF)


@pytest.fixture
def city():
    return synth_run(params=PARAMS, steps=["contributions"], progress=False)


def test_enrolments_never_overlap_and_bases_are_in_the_band(city):
    rows = {s.name: s.rows for s in city.steps}
    assert rows["insurance"]["insurance_enrolment"] == Enrolment.objects.count() > 0
    spells = defaultdict(list)
    for person, code, start, end in Enrolment.objects.values_list(
        "person_id", "insurance_type", "start_month", "end_month"
    ):
        assert start.day == 1 and (end is None or (end.day == 1 and end >= start))
        spells[(person, code)].append((start, end))
    for ranges in spells.values():
        ranges.sort()
        for (_s1, e1), (s2, _e2) in itertools.pairwise(ranges):
            assert e1 is not None and e1 < s2
    for base in ContributionBase.objects.all():
        band = policy.base_band(on=dt.date(base.year, 1, 1))
        assert band.floor <= rules.from_fen(base.base_fen) <= band.ceiling
    assert EmployerWorkInjuryRate.objects.count() == rows["insurance"]["insurance_employerworkinjuryrate"] > 0


def test_the_last_months_are_assessed_paid_and_credited(city):
    periods = sorted(set(ContributionLine.objects.values_list("period", flat=True)))
    assert periods == [dt.date(2026, 4, 1), dt.date(2026, 5, 1), dt.date(2026, 6, 1)]
    for period in periods:
        lines = ContributionLine.objects.filter(period=period, employer__isnull=False)
        by_employer = {
            row["employer_id"]: row["e"] + row["i"]
            for row in lines.values("employer_id").annotate(e=Sum("employer_fen"), i=Sum("individual_fen"))
        }
        totals = {
            row["employer_id"]: row["e"] + row["i"]
            for row in EmployerPeriodTotal.objects.filter(period=period)
            .values("employer_id")
            .annotate(e=Sum("employer_fen"), i=Sum("individual_fen"))
        }
        assert totals == by_employer
        paid = dict(Payment.objects.filter(period=period).values_list("employer_id", "amount_fen"))
        assert set(paid) == set(by_employer)
        assert all(paid[e] <= by_employer[e] for e in paid)
    assert AccountEntry.objects.filter(kind="contribution").exists()


def test_month_spells_start_after_the_previous_spell():
    window = dt.date(2025, 7, 1)
    spells = [
        ("p", "a", dt.date(2020, 1, 5), dt.date(2025, 9, 10), 5000),
        ("p", "b", dt.date(2025, 9, 25), dt.date(2025, 9, 30), 6000),  # inside September: dropped
        ("p", "c", dt.date(2025, 9, 28), None, 7000),
    ]
    ranges = month_spells(spells, window)
    index = rules.month_index
    assert ranges == [
        ("a", index(window), index(dt.date(2025, 9, 1)), 5000),
        ("c", index(dt.date(2025, 10, 1)), None, 7000),
    ]
