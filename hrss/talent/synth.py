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


# --- Talent programmes and their expert review (人才计划, R1) ---------------------------------

PROGRAMMES_STEP = "talent_programmes"
PROGRAMMES = (  # code suffix, name, speciality, awards
    ("01", "海河英才青年科技人才项目", "工程技术", 10),
    ("02", "海河英才卫生健康人才项目", "医药卫生", 5),
    ("03", "海河英才高技能人才项目", "工程技术", 8),
)
SYNTH_CRITERIA = (rules.Criterion("创新性", 40), rules.Criterion("可行性", 30), rules.Criterion("预期效益", 30))
EXPERTS_PER_SPECIALITY = 12
DECLARATIONS_SHARE = 0.01  # of the employed, per programme (at most DECLARATIONS_MAX)
DECLARATIONS_MAX = 300
REFUSED_SHARE = 0.1  # refused at the formal check
PROGRAMME_COLUMNS = (
    "id", "created_at", "updated_at", "code", "name", "level", "district_id", "speciality", "description",
    "opens_on", "closes_on", "funding_per_project", "awards", "criteria", "experts_per_declaration", "notice_days",
    "published_at", "notice_ends_on", "finalised_at", "created_by",
)  # fmt: skip
EXPERT_COLUMNS = ("id", "created_at", "updated_at", "person_id", "specialities", "title", "active", "added_by")
DECLARATION_COLUMNS = (
    "id", "created_at", "updated_at", "programme_id", "person_id", "employer_id", "title", "summary",
    "requested_amount", "status", "refusal_reason", "checked_by", "review_round", "score", "rank", "funded",
)  # fmt: skip
ASSIGNMENT_COLUMNS = (
    "id", "created_at", "updated_at", "declaration_id", "expert_id", "review_round", "seed", "status",
    "recusal_reason", "assigned_by",
)  # fmt: skip
SHEET_COLUMNS = ("id", "created_at", "updated_at", "assignment_id", "scores", "total", "comment", "submitted_at")


@register
class TalentProgrammesStep(Step):
    """Past talent programmes, reviewed and final: an expert pool drawn from employed people,
    declarations of other employed people (a tenth refused at the formal check), each reviewed
    by the programme's number of experts drawn with a recorded seed excluding the applicant and
    colleagues of the applicant's employer, scored in half points, aggregated without one
    highest and one lowest total and ranked — written set-based, through the loader."""

    name = PROGRAMMES_STEP
    label = "Talent programmes and expert review"
    requires = ("employments",)

    def total(self, ctx: SynthContext) -> int:
        return 1

    def run(self, ctx: SynthContext, advance: Advance) -> dict[str, int]:
        import json
        from decimal import Decimal

        from hrss.talent.programme_models import Declaration, Expert, Programme, ReviewAssignment, ScoreSheet
        from hrss.talent.programme_policy import EXPERTS_PER_DECLARATION, NOTICE_DAYS, programme_figure

        rng = ctx.rng(PROGRAMMES_STEP, 0, 0)
        as_of = ctx.params.as_of
        stamp = ctx.loader.timestamp(ctx.now)
        per_declaration = programme_figure(EXPERTS_PER_DECLARATION, on=as_of)
        notice = programme_figure(NOTICE_DAYS, on=as_of)
        employed = list(
            Employment.objects.filter(start_date__lte=as_of, end_date__isnull=True)
            .order_by("person_id", "start_date")
            .values_list("person_id", "employer_id")
        )
        employer_of = dict(employed)  # the latest started spell of each person
        people = sorted(employer_of)
        if len(people) < 2 * EXPERTS_PER_SPECIALITY + per_declaration:
            advance(1)
            return {}
        order = rng.permutation(len(people))
        specialities = sorted({speciality for _s, _n, speciality, _a in PROGRAMMES})
        experts: dict[str, list[tuple[str, Any]]] = {}  # speciality -> (expert id, person id)
        expert_rows: list[tuple[Any, ...]] = []
        cursor = 0
        for speciality in specialities:
            for _ in range(EXPERTS_PER_SPECIALITY):
                person = people[int(order[cursor])]
                cursor += 1
                expert_id = uuid4_hex(rng, 1)[0]
                experts.setdefault(speciality, []).append((expert_id, person))
                expert_rows.append(
                    (expert_id, stamp, stamp, person.hex, json.dumps([speciality], ensure_ascii=False), "正高级",
                     True, SYNTH_ACTOR)
                )  # fmt: skip
        applicants = [people[int(i)] for i in order[cursor:]]
        count = min(DECLARATIONS_MAX, max(1, int(len(people) * DECLARATIONS_SHARE)))
        closes = as_of - dt.timedelta(days=90)
        published = as_of - dt.timedelta(days=60)
        programmes: list[tuple[Any, ...]] = []
        declarations: list[list[Any]] = []
        criteria = [{"name": c.name, "max_points": c.max_points} for c in SYNTH_CRITERIA]
        assignments: list[tuple[Any, ...]] = []
        sheets: list[tuple[Any, ...]] = []
        for suffix, name, speciality, awards in PROGRAMMES:
            programme_id = uuid4_hex(rng, 1)[0]
            programmes.append(
                (programme_id, stamp, stamp, f"SYN-{as_of.year}-{suffix}", name, "municipal", None, speciality,
                 "", (closes - dt.timedelta(days=30)).isoformat(), closes.isoformat(), "200000.00", awards,
                 json.dumps(criteria, ensure_ascii=False), per_declaration, notice,
                 ctx.loader.timestamp(dt.datetime.combine(published, dt.time(9), tzinfo=dt.UTC)),
                 (published + dt.timedelta(days=notice)).isoformat(), stamp, SYNTH_ACTOR)
            )  # fmt: skip
            chosen = rng.choice(len(applicants), size=min(count, len(applicants)), replace=False)
            scored: list[tuple[str, Decimal]] = []
            rows: dict[str, list[Any]] = {}
            pool = experts[speciality]
            for index in sorted(int(i) for i in chosen):
                person = applicants[index]
                declaration_id = uuid4_hex(rng, 1)[0]
                employer = employer_of[person]
                row = [declaration_id, stamp, stamp, programme_id, person.hex, employer.hex, "合成申报项目",
                       "合成数据", "150000.00", "final", "", SYNTH_ACTOR, 1, None, None, False]  # fmt: skip
                rows[declaration_id] = row
                declarations.append(row)  # score, rank and funded filled in below
                if rng.random() < REFUSED_SHARE:
                    row[9], row[10] = "refused", "材料不全"
                    continue
                eligible = [e for e, p in pool if p != person and employer_of.get(p) != employer]
                seed = int(rng.integers(0, 2**62))
                totals = []
                for expert_id in rules.draw_experts(seed=seed, eligible=eligible, count=per_declaration):
                    assignment_id = uuid4_hex(rng, 1)[0]
                    assignments.append(
                        (assignment_id, stamp, stamp, declaration_id, expert_id, 1, seed, "submitted", "", SYNTH_ACTOR)
                    )
                    points: dict[str, object] = {  # the upper half of each criterion, in half points
                        c.name: str(Decimal(int(rng.integers(c.max_points, 2 * c.max_points + 1))) / 2)
                        for c in SYNTH_CRITERIA
                    }
                    kept, total = rules.sheet_total(SYNTH_CRITERIA, points)
                    totals.append(total)
                    sheets.append(
                        (uuid4_hex(rng, 1)[0], stamp, stamp, assignment_id, json.dumps(kept, ensure_ascii=False),
                         str(total), "合成评审意见", stamp)
                    )  # fmt: skip
                score = rules.aggregate_score(totals)
                row[13] = str(score)
                scored.append((declaration_id, score))
            for ranked in rules.ranking(scored, awards=awards):
                rows[ranked.key][14], rows[ranked.key][15] = ranked.rank, ranked.funded
        written: dict[str, int] = {}
        for model, columns, table in (
            (Programme, PROGRAMME_COLUMNS, programmes),
            (Expert, EXPERT_COLUMNS, expert_rows),
            (Declaration, DECLARATION_COLUMNS, [tuple(row) for row in declarations]),
            (ReviewAssignment, ASSIGNMENT_COLUMNS, assignments),
            (ScoreSheet, SHEET_COLUMNS, sheets),
        ):
            with ctx.loader.copy(model, columns) as write:
                write(table)
            written[model._meta.db_table] = len(table)
        advance(1)
        return written
