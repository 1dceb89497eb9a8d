"""The exams step of ``hrss synth``: last year's open recruitment examination of the city.

- ``exams``: a bank of objective questions in three difficulties; a site with enough rooms;
  an exam held a month before ``as_of`` with four posts whose paper draws fifty questions
  (``services.paper_assemble``, the seed from the step's stream); ``SHARE`` of the residents
  aged 22 to 35 registered for one post, reviewed and paid (loaded in bulk); then the office's
  own set-based services seat them, score the answer sheets (each candidate answers right with
  a chance from an ability of their own and the question's difficulty) and publish.

The rows keep the app's rules because the office's steps are the app's services.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import numpy as np

from hrss.core.scope import Scope
from hrss.exams import services
from hrss.exams.models import AnswerSheet, Exam, ExamStatus, FeeOrder, Item, Paper, Registration, Room, Site
from hrss.registry.models import Person
from hrss.synth.public import Advance, Step, SynthContext, register, uuid4_hex

EXAMS = "exams"
SHARE = 0.05
AGES = (22, 35)
ROOM = 30
DIFFICULTIES = {1: 15, 2: 20, 3: 15}  # questions on the paper by difficulty
BANK_PER_DIFFICULTY = 40
TAG = "公共基础知识"
FEE = Decimal("60.00")
REGISTRATION_COLUMNS = (
    "id", "created_at", "updated_at", "exam_id", "post_id", "person_id", "status", "certificate_number",
    "eligibility", "reviewed_by", "reviewed_at", "review_note",
)  # fmt: skip
FEE_COLUMNS = (
    "id", "created_at", "updated_at", "registration_id", "reference", "amount", "gateway", "gateway_reference",
    "redirect_url", "status", "paid_at",
)  # fmt: skip
SHEET_COLUMNS = ("id", "created_at", "updated_at", "registration_id", "answers")
ACTOR = "synth"


def _bank(rng: np.random.Generator) -> None:
    if Item.objects.filter(tag=TAG, created_by=ACTOR).exists():
        return
    Item.objects.bulk_create(
        Item(
            code=f"QS{difficulty}{n:04d}",
            kind="single",
            tag=TAG,
            difficulty=difficulty,
            points=Decimal(2),
            stem=f"公共基础知识（难度{difficulty}）第{n + 1}题",
            options=json.dumps(["甲", "乙", "丙", "丁"], ensure_ascii=False),
            key="1248"[int(rng.integers(4))],
            created_by=ACTOR,
        )
        for difficulty in DIFFICULTIES
        for n in range(BANK_PER_DIFFICULTY)
    )


@register
class ExamsStep(Step):
    name = EXAMS
    label = "Personnel examinations"
    requires = ("persons",)

    def total(self, ctx: SynthContext) -> int:
        return 1

    def run(self, ctx: SynthContext, advance: Advance) -> dict[str, int]:
        params = ctx.params
        code = f"EX{params.as_of.year - 1}SY"
        if not params.persons or Exam.objects.filter(code=code).exists():
            return {}
        rng = ctx.rng(EXAMS, 0, 0)
        office = Scope.system(ACTOR)
        _bank(rng)
        as_of = params.as_of
        oldest, youngest = as_of.replace(year=as_of.year - AGES[1] - 1), as_of.replace(year=as_of.year - AGES[0])
        people = np.array(
            list(
                Person.objects.filter(status=Person.Status.ACTIVE, birth_date__range=(oldest, youngest))
                .order_by("pk")
                .values_list("pk", flat=True)
            )
        )
        count = int(people.size * SHARE)
        if count == 0:
            return {}
        site, _created = Site.objects.get_or_create(
            code="SYNTH", defaults={"name": "市人事考试中心考点", "district": "120101", "address": "和平区南京路1号"}
        )
        rooms = -(-count // ROOM) - site.rooms.count()
        Room.objects.bulk_create(
            Room(site=site, code=f"S{site.rooms.count() + n + 1:04d}", capacity=ROOM) for n in range(rooms)
        )
        held = as_of - dt.timedelta(days=30)
        exam = services.exam_create(
            scope=office,
            data={
                "code": code,
                "name": f"{as_of.year - 1}年事业单位公开招聘笔试",
                "district": "120101",
                "fee": FEE,
                "registration_opens": held - dt.timedelta(days=45),
                "registration_closes": held - dt.timedelta(days=20),
                "held_on": held,
                "start_time": dt.time(9, 0),
                "end_time": dt.time(11, 30),
                "blueprint": [
                    {"kind": "single", "tag": TAG, "difficulty": d, "count": n} for d, n in DIFFICULTIES.items()
                ],
                "marking_threshold": Decimal(6),
                "sites": [site.code],
                "posts": [
                    {"code": f"{p + 1:02d}", "name": name, "hires": hires, "min_age": 18, "max_age": 35}
                    for p, (name, hires) in enumerate(
                        (("综合管理", 20), ("财务会计", 8), ("信息技术", 6), ("社会工作", 10))
                    )
                ],
            },
        )
        services.paper_assemble(scope=office, exam_code=code, seed=int(rng.integers(2**62)))
        posts = list(exam.posts.order_by("code").values_list("pk", flat=True))
        chosen = people[np.sort(rng.choice(people.size, size=count, replace=False))]
        ids, fees = uuid4_hex(rng, count), uuid4_hex(rng, count)
        post_of = rng.choice(len(posts), size=count, p=[0.45, 0.2, 0.15, 0.2])
        stamp = ctx.loader.timestamp(ctx.now)
        reviewed = ctx.loader.timestamp(dt.datetime.combine(held - dt.timedelta(days=18), dt.time(10), tzinfo=dt.UTC))
        eligibility = json.dumps([["registry", True, ""], ["age", True, f"{AGES[0]}-{AGES[1]}"]])
        with ctx.loader.copy(Registration, REGISTRATION_COLUMNS) as write:
            write(
                [
                    (ids[i], stamp, stamp, exam.pk.hex, posts[int(post_of[i])].hex, chosen[i].hex,
                     Registration.Status.CONFIRMED.value, "", eligibility, ACTOR, reviewed, "")
                    for i in range(count)
                ]
            )  # fmt: skip
        with ctx.loader.copy(FeeOrder, FEE_COLUMNS) as write:
            write(
                [
                    (fees[i], stamp, stamp, ids[i], f"EXSY{i:010d}", str(FEE), "thirdparty", "", "",
                     FeeOrder.Status.PAID.value, reviewed)
                    for i in range(count)
                ]
            )  # fmt: skip
        Exam.objects.filter(pk=exam.pk).update(status=ExamStatus.CLOSED)
        services.seats_allocate(scope=office, exam_code=code)
        key, _points, _written = services.paper_layout(Paper.objects.get(exam=exam))
        difficulty = np.array(
            [d for d, n in DIFFICULTIES.items() for _ in range(n)], dtype=np.float64
        )  # the paper's lines are in blueprint order
        ability = rng.normal(0.0, 1.0, count)
        chance = 1.0 / (1.0 + np.exp(-(1.2 + ability[:, None] - 0.6 * (difficulty[None, :] - 1))))
        right = rng.random((count, len(key))) < chance
        wrong = np.array(list("01248"))[rng.integers(0, 5, (count, len(key)))]
        marks = np.where(right, np.array(list(key))[None, :], wrong)
        wrong_right = marks == np.array(list(key))[None, :]
        marks = np.where(~right & wrong_right, "0", marks)  # a wrong guess that happens to be the key is left blank
        with ctx.loader.copy(AnswerSheet, SHEET_COLUMNS) as write:
            sheet_ids = uuid4_hex(rng, count)
            write([(sheet_ids[i], stamp, stamp, ids[i], "".join(marks[i])) for i in range(count)])
        scored = services.exam_score(scope=office, exam_code=code)
        services.results_publish(scope=office, exam_code=code)
        advance(1)
        return {
            "exams.registration": count,
            "exams.feeorder": count,
            "exams.answersheet": count,
            "exams.seat": count,
            "exams.score": scored,
        }
