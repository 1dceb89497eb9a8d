"""Synthetic-city step of the talent app (``hrss synth``): ``talent``.

Every synthetic employer registered as a public institution (credit code starting 12:
authority 1 机构编制, category 2 事业单位, as the employers step draws them for education,
health and public administration) gets a personnel profile: a fully funded staffing quota a
little above its current employees (``SPARE`` more), post settings of the professional and
management grades its staff hold (each with a free position or two), and its current
employees on the staff at a post and a salary scale step. Every row keeps the app's rules: staff
within the quota and their post's positions, one current staff row per person.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from hrss.registry.models import Employer, Employment
from hrss.synth.public import Advance, Step, SynthContext, register, uuid4_hex
from hrss.talent import rules
from hrss.talent.models import Institution, Post, Quota, Staff

STEP = "talent"
SPARE = (0.1, 0.3)  # the quota's room above the current staff, as a share of it
# (category, grade, share of staff): most staff hold middle professional posts.
POST_MIX = (("professional", 12, 0.25), ("professional", 10, 0.35), ("professional", 8, 0.2), ("management", 8, 0.2))
SYNTH_ACTOR = "synth"

INSTITUTION_COLUMNS = (
    "id",
    "created_at",
    "updated_at",
    "employer_id",
    "name",
    "district_id",
    "supervisor",
    "registered_by",
)
QUOTA_COLUMNS = ("id", "created_at", "updated_at", "institution_id", "kind", "count", "document")
POST_COLUMNS = ("id", "created_at", "updated_at", "institution_id", "category", "grade", "count")
STAFF_COLUMNS = (
    "id", "created_at", "updated_at", "institution_id", "person_id", "post_id", "kind", "scale_step",
    "entered_on", "left_on", "plan_id", "monthly_wage_fen",
)  # fmt: skip


@register
class TalentStep(Step):
    name = STEP
    label = "Public institutions' personnel"
    requires = ("employments",)

    def total(self, ctx: SynthContext) -> int:
        return 1

    def run(self, ctx: SynthContext, advance: Advance) -> dict[str, int]:
        employers = list(
            Employer.objects.filter(credit_code__startswith=rules.PUBLIC_INSTITUTION_PREFIX, district__isnull=False)
            .order_by("credit_code")
            .values_list("pk", "name", "district_id")
        )
        rng = ctx.rng(STEP, 0, 0)
        stamp = ctx.loader.timestamp(ctx.now)
        as_of = ctx.params.as_of
        institutions: list[tuple[Any, ...]] = []
        quotas: list[tuple[Any, ...]] = []
        posts: list[tuple[Any, ...]] = []
        staff: list[tuple[Any, ...]] = []
        for employer_id, name, district in employers:
            current = list(
                Employment.objects.filter(employer_id=employer_id, start_date__lte=as_of, end_date__isnull=True)
                .order_by("person_id", "start_date")
                .values_list("person_id", "start_date")
            )
            people: dict[Any, dt.date] = {}
            for person_id, start in current:
                people.setdefault(person_id, start)  # one staff row per person
            institution_id = uuid4_hex(rng, 1)[0]
            institutions.append((institution_id, stamp, stamp, employer_id.hex, name, district, "", SYNTH_ACTOR))
            spare = max(1, round(len(people) * float(rng.uniform(*SPARE))))
            quotas.append(
                (
                    uuid4_hex(rng, 1)[0],
                    stamp,
                    stamp,
                    institution_id,
                    "full",
                    len(people) + spare,
                    f"津编〔{as_of.year}〕synth",
                )
            )
            shares = [share for _c, _g, share in POST_MIX]
            choice: np.ndarray = rng.choice(len(POST_MIX), size=len(people), p=[s / sum(shares) for s in shares])
            post_ids = []
            for index, (category, grade, _share) in enumerate(POST_MIX):
                holders = int((choice == index).sum())
                post_id = uuid4_hex(rng, 1)[0]
                post_ids.append(post_id)
                posts.append(
                    (post_id, stamp, stamp, institution_id, category, grade, holders + int(rng.integers(1, 3)))
                )
            for (person_id, start), index in zip(sorted(people.items()), list(choice), strict=True):
                step = int(rng.integers(rules.SCALE_STEPS.start, 40))
                staff.append(
                    (uuid4_hex(rng, 1)[0], stamp, stamp, institution_id, person_id.hex, post_ids[int(index)], "full",
                     step, start.isoformat(), None, None, None)
                )  # fmt: skip
        written: dict[str, int] = {}
        for model, columns, rows in (
            (Institution, INSTITUTION_COLUMNS, institutions),
            (Quota, QUOTA_COLUMNS, quotas),
            (Post, POST_COLUMNS, posts),
            (Staff, STAFF_COLUMNS, staff),
        ):
            with ctx.loader.copy(model, columns) as write:
                write(rows)
            written[model._meta.db_table] = len(rows)
        advance(1)
        return written
