"""The employment app's synthetic-city steps (``vacancies``, ``seekers``): rows consistent
with the city the earlier steps wrote, found by the job search as posted vacancies are."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Q
from django.utils import timezone

from hrss.employment import search
from hrss.employment.models import JobSeekerProfile, Vacancy
from hrss.registry.models import Employment, Person
from hrss.synth.runner import synth_run
from hrss.synth.steps import SynthParams

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def index_dir(settings, tmp_path):
    settings.HRSS_JOBINDEX_DIR = str(tmp_path / "jobindex")
    search._index.clear()
    yield
    search._index.clear()


def test_vacancies_and_seekers_follow_the_city():
    as_of = timezone.localdate()
    params = SynthParams(persons=3000, employers=300, months=3, seed=31, as_of=as_of)
    report = synth_run(params=params, steps=["vacancies", "seekers"], progress=False)
    counts = report.as_dict()
    assert Vacancy.objects.exists() and JobSeekerProfile.objects.exists(), counts

    current = Employment.objects.filter(start_date__lte=as_of, end_date__isnull=True)
    for vacancy in Vacancy.objects.select_related("employer")[:200]:
        # posted by an employer for an occupation its current employees hold, in its district
        assert current.filter(employer=vacancy.employer, occupation_id=vacancy.occupation_id).exists()
        assert vacancy.district_id == vacancy.employer.district_id
        assert vacancy.status == Vacancy.Status.OPEN and vacancy.valid_until > as_of
        assert 0 < vacancy.wage_min < vacancy.wage_max and vacancy.search_tokens
    # about VACANCY_RATE of the current employees
    employed = current.values("person_id").distinct().count()
    assert 0.02 * employed < Vacancy.objects.count() < 0.1 * employed

    youngest = as_of.replace(year=as_of.year - 16)
    oldest = as_of.replace(year=as_of.year - 60)
    for profile in JobSeekerProfile.objects.select_related("person")[:300]:
        person = profile.person
        assert not current.filter(person=person).exists()  # no current job
        assert oldest < person.birth_date <= youngest
        assert profile.districts == [person.residence_district_id]
        last = Employment.objects.filter(person=person, end_date__lte=as_of).order_by("-end_date", "-pk").first()
        assert profile.occupations == ([last.occupation_id] if last else [])
    without_job = (
        Person.objects.filter(birth_date__lte=youngest, birth_date__gt=oldest)
        .exclude(pk__in=current.values("person_id"))
        .count()
    )
    assert 0.2 * without_job < JobSeekerProfile.objects.count() < 0.4 * without_job

    # the job search finds them by their words, from the base the rebuild writes
    search.rebuild(margin=dt.timedelta(0))
    vacancy = Vacancy.objects.order_by("pk").first()
    hits = search.search(vacancy.title, limit=2000)
    assert vacancy.pk in {hit.key for hit in hits}
    assert not Vacancy.objects.filter(~Q(posted_by="synth")).exists()
