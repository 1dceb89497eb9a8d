"""Synthetic-city steps of the employment app (``hrss synth``): ``vacancies`` and ``seekers``.

Both read the city the earlier steps wrote, set-based, so what they write is consistent with it:

- ``vacancies``: each employer with current employees posts open vacancies (about
  ``VACANCY_RATE`` of its headcount, drawn per employer) in the occupations its employees hold
  (drawn by their share), in its own district, with a wage range around what those employees
  earn and a last day within ``VALID_DAYS`` of when they are posted (the run's day). The title is the occupation's
  name with a prefix, the description two sentences; the jieba tokens of each distinct text are
  segmented once and stored with the vacancy, as ``services.vacancy_post`` does, so the search
  index is built from them.
- ``seekers``: a share (``SEEKER_SHARE``) of the persons of working age without a current job
  keep a job-seeker profile: the occupation of their last job (if any) as their intention,
  their residence district, a lowest wage a little under their last wage, and whether
  employers may see it. Read and written a page of persons at a time.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Exists, OuterRef, Subquery
from django.utils import timezone

from hrss.codes.models import Occupation
from hrss.employment import search
from hrss.employment.models import JobSeekerProfile, Vacancy
from hrss.registry.models import Employment, Person
from hrss.synth.public import Advance, Step, SynthContext, register, uuid4_hex

VACANCIES_STEP = "vacancies"
SEEKERS_STEP = "seekers"
SYNTH_ACTOR = "synth"
VACANCY_RATE = 0.05  # open vacancies per current employee, on average
VALID_DAYS = (20, 90)  # a vacancy's last day, this many days after the city's date
WAGE_SPREAD = (0.85, 1.25)  # the range around the employees' average wage
DEFAULT_WAGE = Decimal("5000")  # where no wage is recorded
PREFIXES = ("", "", "高级", "初级", "资深", "储备")
SENTENCES = (
    "五险一金，双休。",
    "提供食宿，交通补贴。",
    "有相关经验者优先。",
    "工作地点交通便利。",
    "绩效奖金，年终奖。",
    "定期培训，晋升空间大。",
)
SEEKER_SHARE = 0.3  # of the persons of working age without a current job
WORKING_AGE = (16, 60)
SEEKER_WAGE = 0.9  # the lowest wage wanted, of the last wage
VISIBLE_SHARE = 0.6  # let employers see their profile
CHUNK = 5000

VACANCY_COLUMNS = (
    "id", "created_at", "updated_at", "employer_id", "title", "description", "occupation_id", "district_id",
    "address", "wage_min", "wage_max", "education_id", "skills", "headcount", "valid_until", "status",
    "posted_by", "search_tokens", "idempotency_key", "agency_client", "licence_id",
)  # fmt: skip
PROFILE_COLUMNS = (
    "id", "created_at", "updated_at", "person_id", "occupations", "districts", "wage_min", "education_id",
    "skills", "available_from", "visible_to_employers",
)  # fmt: skip


def _yuan(value: float) -> Decimal:
    return (Decimal(str(value)) / 100).quantize(Decimal(1)) * 100  # whole hundreds of yuan


@register
class VacanciesStep(Step):
    name = VACANCIES_STEP
    label = "Open vacancies"
    requires = ("employments",)

    def total(self, ctx: SynthContext) -> int:
        return 1

    def run(self, ctx: SynthContext, advance: Advance) -> dict[str, int]:
        as_of = ctx.params.as_of
        names = dict(Occupation.objects.values_list("code", "name"))
        # each employer's current employees by occupation, with their average wage: one grouped query
        groups = (
            Employment.objects.filter(start_date__lte=as_of, end_date__isnull=True, employer__district__isnull=False)
            .values("employer_id", "employer__district_id", "occupation_id")
            .annotate(n=Count("id"), wage=Avg("monthly_wage"))
            .order_by("employer_id", "occupation_id")
        )
        by_employer: dict[Any, list[tuple[str, str, int, float | None]]] = {}
        for row in groups:
            if row["occupation_id"] in names:
                by_employer.setdefault(row["employer_id"], []).append(
                    (row["employer__district_id"], row["occupation_id"], row["n"], row["wage"])
                )
        rng = ctx.rng(VACANCIES_STEP, 0)
        stamp = ctx.loader.timestamp(ctx.now)
        # posted when the step runs (their created_at), so open from then: a city generated
        # as of a past day still has vacancies a seeker can apply for, and none expires at once
        posted_on = max(as_of, timezone.localdate(ctx.now))
        tokens: dict[tuple[str, str], str] = {}  # each distinct text segmented once
        rows: list[tuple[Any, ...]] = []
        for employer_id in sorted(by_employer):
            held = by_employer[employer_id]
            headcount = sum(n for _d, _o, n, _w in held)
            count = int(rng.poisson(VACANCY_RATE * headcount))
            if not count:
                continue
            shares = [n / headcount for _d, _o, n, _w in held]
            for index in rng.choice(len(held), size=count, p=shares).tolist():
                district, occupation, _n, wage = held[index]
                title = (PREFIXES[int(rng.integers(len(PREFIXES)))] + names[occupation])[:100]
                first, second = rng.choice(len(SENTENCES), size=2, replace=False).tolist()
                description = SENTENCES[first] + SENTENCES[second]
                key = (title, description)
                if key not in tokens:
                    tokens[key] = " ".join(search.tokens(search.document_text(title, description, [])))
                average = float(wage) if wage else float(DEFAULT_WAGE)
                low = _yuan(average * WAGE_SPREAD[0])
                high = max(low + 500, _yuan(average * WAGE_SPREAD[1]))
                valid_until = posted_on + dt.timedelta(days=int(rng.integers(*VALID_DAYS)))
                rows.append(
                    (uuid4_hex(rng, 1)[0], stamp, stamp, employer_id.hex, title, description, occupation, district,
                     "", str(low), str(high), None, "[]", int(rng.integers(1, 4)), valid_until.isoformat(),
                     Vacancy.Status.OPEN.value, SYNTH_ACTOR, tokens[key], "", "", None)
                )  # fmt: skip
        with ctx.loader.copy(Vacancy, VACANCY_COLUMNS) as write:
            for start in range(0, len(rows), CHUNK):
                write(rows[start : start + CHUNK])
        advance(1)
        return {Vacancy._meta.db_table: len(rows)}


@register
class SeekersStep(Step):
    name = SEEKERS_STEP
    label = "Job seekers"
    requires = ("employments",)

    def total(self, ctx: SynthContext) -> int:
        return ctx.params.persons

    def run(self, ctx: SynthContext, advance: Advance) -> dict[str, int]:
        as_of = ctx.params.as_of
        youngest = as_of.replace(year=as_of.year - WORKING_AGE[0])
        oldest = as_of.replace(year=as_of.year - WORKING_AGE[1])
        current = Employment.objects.filter(person_id=OuterRef("pk"), start_date__lte=as_of, end_date__isnull=True)
        last = Employment.objects.filter(person_id=OuterRef("pk"), end_date__lte=as_of).order_by("-end_date", "-pk")
        persons = (
            Person.objects.filter(birth_date__lte=youngest, birth_date__gt=oldest)
            .exclude(Exists(current))
            .annotate(
                last_occupation=Subquery(last.values("occupation_id")[:1]),
                last_wage=Subquery(last.values("monthly_wage")[:1]),
            )
            .order_by("pk")
            .values_list("pk", "residence_district_id", "last_occupation", "last_wage")
        )
        stamp = ctx.loader.timestamp(ctx.now)
        written, after, block = 0, None, 0
        while True:
            # a page of persons by id (keyset), read whole before it is written: the bulk writer
            # holds the connection while it writes (PostgreSQL's COPY)
            page = list((persons.filter(pk__gt=after) if after is not None else persons)[:CHUNK])
            if not page:
                break
            after = page[-1][0]
            rng = ctx.rng(SEEKERS_STEP, block)  # one random stream per page
            block += 1
            batch: list[tuple[Any, ...]] = []
            for person_id, district, occupation, wage in page:
                if rng.random() >= SEEKER_SHARE:
                    continue
                wage_min = _yuan(float(wage) * SEEKER_WAGE) if wage else None
                batch.append(
                    (uuid4_hex(rng, 1)[0], stamp, stamp, person_id.hex, json.dumps([occupation] if occupation else []),
                     json.dumps([district] if district else []), str(wage_min) if wage_min else None, None, "[]",
                     None, bool(rng.random() < VISIBLE_SHARE))
                )  # fmt: skip
            with ctx.loader.copy(JobSeekerProfile, PROFILE_COLUMNS) as write:
                write(batch)
            written += len(batch)
        advance(ctx.params.persons)
        return {JobSeekerProfile._meta.db_table: written}
