"""exam-score: score an exam of 100,000 candidates with 100 objective questions each, and seat
them, against the same scoring as one SQL statement.

For each database: a fresh migrated database and ``hrss synth --steps persons`` for the
candidates. Then, inside Django: a bank of objective questions, an exam of four posts whose
paper draws 100 of them (``services.paper_assemble``), one confirmed registration per
person and enough rooms of 30 (bulk writes: the set-up is not timed).

Figures, ``repeat`` times on the same data:

- ``services.seats_allocate``: every candidate seated with posts taking turns, tickets numbered
  (one read, the allocation in memory, one bulk insert);
- answer sheets are written (one 100-character string a candidate, as the reader gives them;
  not timed), then ``services.exam_score``: the key against every sheet at once (numpy), the
  totals ranked within each post, one bulk insert of the scores.

Baseline, in the same run: the same scores as one ``INSERT ... SELECT`` whose SELECT compares
each of the 100 characters with the key in SQL (``substr``) and ranks with ``RANK() OVER
(PARTITION BY post ...)`` into a bare table. The totals and ranks of both are compared: a
difference fails the run. Ratio: ``exam_score`` / the statement. Target: both figures together
under 30 s at 100,000 candidates.

Inside Django: ``python -m bench.exam_score measure --candidates N --seed S``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from bench.common import PYTHON, Database, Scale, hrss, median, run, run_json

NAME = "exam-score"
ITEMS = 100
TARGET_SECONDS = 30.0
ROOM = 30


def measure(db: Database, scale: Scale, say: Callable[[str], None]) -> dict[str, Any]:
    say(f"{NAME} {db.kind}: hrss synth --steps persons --persons {scale.persons:,}")
    db.reset()
    args = hrss("synth", "--persons", str(scale.persons), "--employers", str(scale.employers))
    args += ["--months", str(scale.months), "--seed", str(scale.seed), "--steps", "persons", "--no-progress"]
    run(args, env=db.env(), timeout=7200)
    runs = []
    for attempt in range(scale.repeat):
        say(f"{NAME} {db.kind}: {scale.persons:,} candidates x {ITEMS} questions ({attempt + 1}/{scale.repeat})")
        inside = [PYTHON, "-m", "bench.exam_score", "measure", "--candidates", str(scale.persons)]
        inside += ["--seed", str(scale.seed + attempt), "--exam", f"BENCH{attempt:02d}"]
        runs.append(run_json(inside, env=db.env(), timeout=7200))
    score = median([r["score_s"] for r in runs])
    seats = median([r["seats_s"] for r in runs])
    baseline = median([r["sql_s"] for r in runs])
    last = runs[-1]
    return {
        "name": NAME,
        "database": db.kind,
        "figure": {
            "label": f"score {last['candidates']:,} candidates x {ITEMS} questions",
            "value": score,
            "unit": "s",
        },
        "baseline": {"label": "the same scores and ranks as one INSERT ... SELECT", "value": baseline, "unit": "s"},
        "ratio": score / baseline,
        "extra": {
            "candidates": last["candidates"],
            "seat allocation, seconds": seats,
            "scoring and seats together, seconds": score + seats,
            "target for both, seconds": TARGET_SECONDS,
            "rooms": last["rooms"],
        },
    }


def _populate(candidates: int, code: str, rng: random.Random) -> Any:
    from django.db import transaction
    from django.utils import timezone

    from hrss.core import scope as roles
    from hrss.core.scope import Scope
    from hrss.exams import services
    from hrss.exams.models import Exam, ExamStatus, Item, Registration, Room, Site
    from hrss.registry.models import Person

    office = Scope(actor="bench", roles=frozenset({roles.ADMINISTRATOR}), districts=None)
    # PostgreSQL's reset empties the registry and what refers to it (the registrations and
    # their seats, sheets and scores); an earlier run's exam and site stay: removed here.
    Exam.objects.filter(code=code).delete()
    Site.objects.filter(code=f"BS{code}").delete()
    if not Item.objects.filter(tag="bench").exists():
        Item.objects.bulk_create(
            Item(
                code=f"QB{n:05d}",
                kind="single",
                tag="bench",
                difficulty=2,
                points=Decimal(rng.choice(["1", "1.5", "2"])),
                stem=f"基准题{n}",
                options=json.dumps(["甲", "乙", "丙", "丁"], ensure_ascii=False),
                key=rng.choice("1248"),
                created_by="bench",
            )
            for n in range(ITEMS * 2)
        )
    rooms = -(-candidates // ROOM)
    site, _created = Site.objects.get_or_create(
        code=f"BS{code}", defaults={"name": "基准考点", "district": "120101", "address": "基准路1号"}
    )
    Room.objects.bulk_create(Room(site=site, code=f"{n:05d}", capacity=ROOM) for n in range(rooms))
    today = timezone.localdate()
    exam = services.exam_create(
        scope=office,
        data={
            "code": code,
            "name": "基准考试",
            "district": "120101",
            "fee": Decimal(0),
            "registration_opens": today,
            "registration_closes": today + dt.timedelta(days=1),
            "held_on": today + dt.timedelta(days=2),
            "blueprint": [{"kind": "single", "tag": "bench", "difficulty": 2, "count": ITEMS}],
            "marking_threshold": Decimal(5),
            "sites": [site.code],
            "posts": [
                {"code": f"P{p}", "name": f"岗位{p}", "hires": 10, "min_age": 18, "max_age": 60} for p in range(4)
            ],
        },
    )
    services.paper_assemble(scope=office, exam_code=code, seed=rng.randrange(2**31))
    posts = list(exam.posts.values_list("pk", flat=True))
    persons = list(Person.objects.values_list("pk", flat=True).order_by("pk")[:candidates])
    with transaction.atomic():
        Registration.objects.bulk_create(
            (
                Registration(exam=exam, post_id=rng.choice(posts), person_id=pk, status=Registration.Status.CONFIRMED)
                for pk in persons
            ),
            batch_size=5000,
        )
    Exam.objects.filter(pk=exam.pk).update(status=ExamStatus.CLOSED)
    return office, exam, rooms, len(persons)


def _sql(exam: Any, key: str, points: list[Decimal]) -> float:
    """The baseline: one INSERT ... SELECT scoring every sheet in SQL and ranking in each post."""
    from django.db import connection

    terms = " + ".join(f"CASE WHEN substr(s.answers, {i + 1}, 1) = %s THEN %s ELSE 0 END" for i in range(len(key)))
    params: list[Any] = []
    for char, point in zip(key, points, strict=True):
        params += [char, int(point * 10)]
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_exam_score")
        cursor.execute("CREATE TABLE bench_exam_score (registration_id varchar(40), total integer, rank integer)")
        started = time.perf_counter()
        cursor.execute(  # the statement holds placeholders only
            "INSERT INTO bench_exam_score SELECT t.registration_id, t.total,"  # noqa: S608
            " RANK() OVER (PARTITION BY t.post_id ORDER BY t.total DESC) FROM"
            f" (SELECT s.registration_id, r.post_id, ({terms}) AS total FROM exams_answersheet s"
            " JOIN exams_registration r ON r.id = s.registration_id WHERE r.exam_id = %s) t",
            [*params, exam.pk.hex if connection.vendor == "sqlite" else exam.pk],
        )
        elapsed = time.perf_counter() - started
    return elapsed


def _compare() -> None:
    """The statement's totals and ranks are the service's, candidate by candidate."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*), SUM(total), SUM(rank) FROM bench_exam_score")
        theirs = cursor.fetchone()
        cursor.execute("SELECT COUNT(*), SUM(CAST(total * 10 AS integer)), SUM(rank) FROM exams_score")
        ours = cursor.fetchone()
        cursor.execute("DROP TABLE bench_exam_score")
    if tuple(int(v) for v in theirs) != tuple(int(v) for v in ours):
        raise RuntimeError(f"scores differ: statement {theirs}, service {ours}")


def measure_inside(candidates: int, seed: int, code: str) -> dict[str, Any]:
    from hrss.exams import services
    from hrss.exams.models import AnswerSheet, Paper, Registration, Score

    rng = random.Random(seed)
    office, exam, rooms, candidates = _populate(candidates, code, rng)
    started = time.perf_counter()
    seated = services.seats_allocate(scope=office, exam_code=code)
    seats_s = time.perf_counter() - started
    key, points, _written = services.paper_layout(Paper.objects.get(exam=exam))
    registrations = Registration.objects.filter(exam=exam).values_list("pk", flat=True)
    AnswerSheet.objects.bulk_create(
        (
            AnswerSheet(
                registration_id=pk, answers="".join(c if rng.random() < 0.7 else rng.choice("01248") for c in key)
            )
            for pk in registrations.iterator()
        ),
        batch_size=5000,
    )
    Score.objects.all().delete()
    started = time.perf_counter()
    scored = services.exam_score(scope=office, exam_code=code)
    score_s = time.perf_counter() - started
    sql_s = _sql(exam, key, points)
    _compare()
    if not seated == scored == candidates:
        raise RuntimeError(f"{candidates} candidates, {seated} seated, {scored} scored")
    return {"candidates": candidates, "rooms": rooms, "seats_s": seats_s, "score_s": score_s, "sql_s": sql_s}


def main(argv: list[str]) -> None:
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrss.settings")
    import django

    django.setup()
    parser = argparse.ArgumentParser(prog="python -m bench.exam_score")
    parser.add_argument("action", choices=["measure"])
    parser.add_argument("--candidates", type=int, required=True)
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--exam", default="BENCH00")
    options = parser.parse_args(argv)
    print(json.dumps(measure_inside(options.candidates, options.seed, options.exam)))


if __name__ == "__main__":
    main(sys.argv[1:])
