"""job-match: a seeker's top-20 jobs for their words, against the database's own full-text search.

For each database: a fresh migrated database, ``hrss synth --steps persons,employers`` (as
many persons as there are seekers: a fifth of the scale), then (inside Django) open
vacancies written in bulk, one per person of the scale (1,000,000 at ``large``), from job
templates (titles, descriptions and skills in Chinese, occupations of the 2022
classification, districts, wage ranges, education; each template's texts varied by a prefix
and two sentences, the jieba tokens of each variant segmented once) and job-seeker profiles
for the persons, each seeker with words to search for taken from their intentions.

Figure: p50 and p95 of one seeker's top 20 jobs for their words through the selector the
API's ``/me/matches?q=`` calls (``selectors.vacancies_search``: the BM25 index over jieba
tokens, ``bm25s``: the on-disk base memory-mapped plus the in-memory delta of what changed
since, ``hrss.employment.search``; 2,000 candidates asked of it, then the seeker's filters
and the explained fit of each hit, set-based: one query per window of 200 hits' rows, one
for the vacancies shown).

Baseline, in the same run, on the same data and the same jieba tokens: the database's
full-text search finds and ranks the candidates (SQLite: an FTS5 table ranked by its
``bm25()``; PostgreSQL: a ``tsvector`` with the ``simple`` configuration, a GIN index and
``ts_rank``), then the same filters and the same explanation. Ratio: figure / baseline
(below 1: faster than the database's search).

Extra figures: the base's build time (``search.rebuild()``, what ``hrss jobindex rebuild``
runs: reading the open vacancies' stored tokens, BM25 over them, written to a new versioned
directory and switched to), its memory (the bytes of the memory-mapped arrays: the BM25
matrix, the ids, the last days), the update rate (a vacancy posted with its tokens, then
found by the next search through the delta, without a rebuild of the base), and the
structured ranking without words (``matches_mine``).

Inside Django: ``python -m bench.job_match measure --vacancies N --seekers M --queries Q``.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from bench.common import PYTHON, Database, Scale, hrss, median, run, run_json

NAME = "job-match"
TARGET_P95_MS = 50.0
TARGET_BUILD_S = 120.0
QUERIES = 200
UPDATES = 20
TOP = 20
FTS_INSERT = {
    False: "INSERT INTO bench_vacancy_fts (vacancy_id, body) VALUES (%s, %s)",
    True: "INSERT INTO bench_vacancy_fts VALUES (%s, to_tsvector('simple', %s))",
}

# (title, occupation, skills, description) of the synthetic vacancies; titles and
# descriptions vary by a prefix and a sentence so that no two documents are the same.
TEMPLATES = [
    ("Python开发工程师", "2-02", ["Python", "SQL", "Linux"], "负责后端服务开发与维护，参与接口设计和代码评审。"),
    ("前端开发工程师", "2-02", ["JavaScript", "CSS"], "负责网页和移动端页面开发，优化用户体验。"),
    ("数据分析员", "2-02", ["SQL", "数据分析"], "整理和分析业务数据，编制统计报表，支持管理决策。"),
    ("行政文员", "3-01", ["办公软件"], "负责文件收发、会议安排和来访接待等日常行政事务。"),
    ("客户服务专员", "4-01", ["沟通"], "通过电话和线上渠道解答客户咨询，记录并跟进客户反馈。"),
    ("会计", "2-06", ["财务软件", "会计证"], "负责日常账务处理、纳税申报和财务报表编制。"),
    ("电工", "6-31", ["电工证"], "负责厂区供配电设备的安装、巡检和维修。"),
    ("焊工", "6-18", ["焊工证"], "从事钢结构焊接作业，按图纸完成焊接任务。"),
    ("仓库管理员", "4-02", ["叉车证", "办公软件"], "负责货物出入库、盘点和库存台账管理。"),
    ("厨师", "4-03", ["健康证", "烹饪"], "负责中式菜品制作，保证出品质量和食品安全。"),
    ("保洁员", "4-10", [], "负责办公区域和公共区域的清洁卫生。"),
    ("销售代表", "4-01", ["沟通", "驾驶证"], "开发和维护客户，完成区域销售目标。"),
    ("护理员", "4-14", ["养老护理员证"], "为养老机构老人提供生活照料和基础护理。"),
    ("快递员", "4-02", ["驾驶证"], "负责片区快件揽收和派送，服务客户。"),
    ("机械维修工", "6-31", ["钳工"], "负责生产设备的日常保养、故障排查和维修。"),
    ("培训讲师", "2-08", ["授课", "沟通"], "负责职业技能培训课程的设计和讲授。"),
]
PREFIXES = ["", "高级", "初级", "资深", "实习", "驻场", "储备"]
SENTENCES = [
    "五险一金，双休。",
    "提供食宿，交通补贴。",
    "有相关经验者优先。",
    "工作地点交通便利。",
    "绩效奖金，年终奖。",
    "定期培训，晋升空间大。",
]


def measure(db: Database, scale: Scale, say: Callable[[str], None]) -> dict[str, Any]:
    vacancies = scale.persons
    seekers = max(QUERIES, scale.persons // 5)
    say(f"{NAME} {db.kind}: hrss synth --steps persons,employers --persons {seekers:,}")
    db.reset()
    args = hrss("synth", "--persons", str(seekers), "--employers", str(scale.employers))
    args += ["--months", str(scale.months), "--seed", str(scale.seed), "--steps", "persons,employers", "--no-progress"]
    run(args, env=db.env(), timeout=7200)
    runs = []
    for attempt in range(scale.repeat):
        say(f"{NAME} {db.kind}: {vacancies:,} vacancies, {seekers:,} seekers ({attempt + 1}/{scale.repeat})")
        inside = [PYTHON, "-m", "bench.job_match", "measure", "--vacancies", str(vacancies)]
        inside += ["--seekers", str(seekers), "--queries", str(QUERIES), "--seed", str(scale.seed + attempt)]
        runs.append(run_json(inside, env=db.env(), timeout=7200))
    figure = median([r["search_p95_ms"] for r in runs])
    baseline = median([r["fts_p95_ms"] for r in runs])
    last = runs[-1]
    return {
        "name": NAME,
        "database": db.kind,
        "figure": {
            "label": f"p95 of a seeker's top {TOP} jobs by words (BM25: mapped base + delta)",
            "value": figure,
            "unit": "ms",
        },
        "baseline": {
            "label": f"the same through {last['fts']} over the same jieba tokens",
            "value": baseline,
            "unit": "ms",
        },
        "ratio": figure / baseline,
        "extra": {
            "vacancies": last["vacancies"],
            "seekers": last["seekers"],
            "queries per run": last["queries"],
            "p50 by words, BM25 index, ms": median([r["search_p50_ms"] for r in runs]),
            "p50 by words, database full-text search, ms": median([r["fts_p50_ms"] for r in runs]),
            "p95 target, ms": TARGET_P95_MS,
            "index build (on-disk base), seconds": median([r["index_build_s"] for r in runs]),
            "index build target, seconds": TARGET_BUILD_S,
            "index memory (memory-mapped arrays), MB": last["index_mb"],
            "vacancies written, seconds": last["populate_s"],
            "full-text table build, seconds": median([r["fts_build_s"] for r in runs]),
            "updates per second (post a vacancy, next search finds it: the delta)": median(
                [r["updates_per_s"] for r in runs]
            ),
            "updates per second, database full-text search": median([r["fts_updates_per_s"] for r in runs]),
            "p95 of the structured ranking without words, ms": median([r["structured_p95_ms"] for r in runs]),
            "results per query, mean (BM25 / full-text)": f"{last['hits_mean']:.1f} / {last['fts_hits_mean']:.1f}",
        },
        "runs": runs,
    }


# --- inside Django -------------------------------------------------------------------------


def _populate(vacancies: int, seekers: int, rng: random.Random) -> list[tuple[Any, str]]:
    """Open vacancies and seeker profiles in bulk; the (person id, words) of each seeker."""
    import datetime as dt
    from decimal import Decimal

    from django.db import transaction
    from django.utils import timezone

    from hrss.codes.models import District, Occupation
    from hrss.employment.models import JobApplication, JobSeekerProfile, Vacancy
    from hrss.registry.models import Employer, Person

    JobApplication.objects.all().delete()
    Vacancy.objects.all().delete()
    JobSeekerProfile.objects.all().delete()
    employers = list(Employer.objects.values_list("id", flat=True)[:5000])
    districts = list(District.objects.filter(code__startswith="1201", level=3).values_list("code", flat=True)) or [
        "120101"
    ]
    occupations = set(Occupation.objects.filter(level="middle").values_list("code", flat=True))
    until = timezone.localdate() + dt.timedelta(days=90)
    batch = []
    segmented: dict[tuple[str, str, int], str] = {}  # each variant's tokens, segmented once
    with transaction.atomic():
        for n in range(vacancies):
            title, occupation, skills, description = TEMPLATES[n % len(TEMPLATES)]
            low = rng.randrange(3000, 15000, 500)
            full_title = rng.choice(PREFIXES) + title
            full_description = description + rng.choice(SENTENCES) + rng.choice(SENTENCES)
            variant = (full_title, full_description, n % len(TEMPLATES))
            if variant not in segmented:
                segmented[variant] = _tokens_text(full_title, full_description, skills)
            batch.append(
                Vacancy(
                    employer_id=employers[n % len(employers)],
                    title=full_title,
                    description=full_description,
                    search_tokens=segmented[variant],
                    occupation_id=occupation if occupation in occupations else "2-02",
                    district_id=rng.choice(districts),
                    wage_min=Decimal(low),
                    wage_max=Decimal(low + rng.randrange(1000, 6000, 500)),
                    skills=skills,
                    headcount=rng.randint(1, 5),
                    valid_until=until,
                    posted_by="bench",
                )
            )
            if len(batch) == 5000:
                Vacancy.objects.bulk_create(batch)
                batch = []
        Vacancy.objects.bulk_create(batch)
        persons = list(Person.objects.values_list("id", flat=True)[:seekers])
        profiles, words = [], []
        for person_id in persons:
            title, occupation, skills, description = rng.choice(TEMPLATES)
            profiles.append(
                JobSeekerProfile(
                    person_id=person_id,
                    occupations=[occupation],
                    districts=rng.sample(districts, min(2, len(districts))),
                    wage_min=Decimal(rng.randrange(3000, 12000, 500)),
                    skills=skills[:1],
                )
            )
            words.append((person_id, rng.choice([title, title + " " + description[:6], " ".join(skills) or title])))
        JobSeekerProfile.objects.bulk_create(profiles, batch_size=5000)
    return words


def _reused(vacancies: int, seekers: int, rng: random.Random) -> list[tuple[Any, str]] | None:
    """The data of an earlier run when it has exactly these counts (``--reuse``: to measure
    again without writing a million rows again); each seeker's words drawn anew."""
    from hrss.employment.models import JobSeekerProfile, Vacancy

    if Vacancy.objects.count() != vacancies or JobSeekerProfile.objects.count() != seekers:
        return None
    words = []
    for person_id in JobSeekerProfile.objects.order_by("person_id").values_list("person_id", flat=True):
        title, _occupation, skills, description = rng.choice(TEMPLATES)
        words.append((person_id, rng.choice([title, title + " " + description[:6], " ".join(skills) or title])))
    return words


def _tokens_text(title: str, description: str, skills: list[str]) -> str:
    from hrss.employment import search

    return " ".join(search.tokens(search.document_text(title, description, skills)))


def _fts_build() -> tuple[float, str]:
    """The database's full-text table over the same jieba tokens; (seconds, its name)."""
    from django.db import connection

    from hrss.employment.search import open_vacancies

    started = time.perf_counter()
    # the vacancy's id as the database stores it (SQLite: 32 hex digits), for the filters' join
    as_stored = str if connection.vendor == "postgresql" else (lambda pk: pk.hex)
    rows = [(as_stored(pk), words) for pk, words in open_vacancies(_today()).values_list("id", "search_tokens")]
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_vacancy_fts")
        if connection.vendor == "postgresql":
            cursor.execute("CREATE TABLE bench_vacancy_fts (vacancy_id uuid PRIMARY KEY, body tsvector)")
            cursor.executemany("INSERT INTO bench_vacancy_fts VALUES (%s, to_tsvector('simple', %s))", rows)
            cursor.execute("CREATE INDEX bench_vacancy_fts_gin ON bench_vacancy_fts USING gin (body)")
            cursor.execute("ANALYZE bench_vacancy_fts")
            name = "PostgreSQL tsvector ('simple'), GIN, ts_rank"
        else:
            cursor.execute("CREATE VIRTUAL TABLE bench_vacancy_fts USING fts5(vacancy_id UNINDEXED, body)")
            cursor.executemany("INSERT INTO bench_vacancy_fts (vacancy_id, body) VALUES (%s, %s)", rows)
            name = "SQLite FTS5, bm25()"
    return time.perf_counter() - started, name


def _fts_filters(seeker: Any) -> tuple[str, list[Any]]:
    """The seeker's hard filters as SQL over the vacancy's row (what ``rules.search_match``
    and the index's own filter arrays apply), so the database ranks only what may be shown,
    as the index does: education at least the vacancy's (a GB/T 4658 code's first digit,
    lower is higher), a highest wage that reaches the seeker's lowest."""
    if seeker is None:
        return "", []
    from hrss.employment import rules

    rank = rules.education_rank(seeker.education)
    no_rank = "(v.education_id IS NULL OR substr(v.education_id, 1, 1) NOT BETWEEN '0' AND '9')"
    sql = f" AND ({no_rank} OR substr(v.education_id, 1, 1) >= %s)" if rank is not None else f" AND {no_rank}"
    params: list[Any] = [str(rank)] if rank is not None else []
    if seeker.wage_min is not None:
        sql += " AND v.wage_max >= %s"
        params.append(seeker.wage_min)
    return sql, params


def _fts_hits(words: list[str], limit: int, seeker: Any = None) -> list[tuple[Any, float]]:
    import uuid

    from django.db import connection

    if not words:
        return []
    filters, params = _fts_filters(seeker)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            query = " | ".join(w.replace("'", "") for w in words if w.replace("'", ""))
            cursor.execute(
                "SELECT f.vacancy_id, ts_rank(f.body, q) AS s FROM bench_vacancy_fts f "  # noqa: S608 - fixed fragments, values bound
                "JOIN employment_vacancy v ON v.id = f.vacancy_id, to_tsquery('simple', %s) q "
                f"WHERE f.body @@ q{filters} ORDER BY s DESC LIMIT %s",
                [query, *params, limit],
            )
            return [(row[0], float(row[1])) for row in cursor.fetchall()]
        query = " OR ".join('"' + w.replace('"', "") + '"' for w in words)
        cursor.execute(
            "SELECT bench_vacancy_fts.vacancy_id, -bm25(bench_vacancy_fts) AS s FROM bench_vacancy_fts "  # noqa: S608 - fixed fragments, values bound
            "JOIN employment_vacancy v ON v.id = bench_vacancy_fts.vacancy_id "
            f"WHERE bench_vacancy_fts MATCH %s{filters} ORDER BY bm25(bench_vacancy_fts) LIMIT %s",
            [query, *params, limit],
        )
        return [(uuid.UUID(row[0]), float(row[1])) for row in cursor.fetchall()]


def _fts_search(scope: Any, q: str) -> list[Any]:
    """The baseline: the database ranks the candidates that meet the seeker's filters, then
    the selector's own filters and explanation (as for the index's hits)."""
    from hrss.employment import search, selectors

    profile = selectors.profile_mine(scope=scope)
    seeker = selectors.seeker_of(profile) if profile is not None else None
    words = list(dict.fromkeys(search.tokens(q[: search.MAX_QUERY_CHARS])))
    asked = TOP + selectors.SEARCH_SLACK  # as ``selectors.vacancies_search`` asks the index
    hits = _fts_hits(words, asked, seeker)
    ranked = selectors.search_ranked(seeker, hits, limit=TOP)
    if len(ranked) < TOP and len(hits) == asked:
        ranked = selectors.search_ranked(seeker, _fts_hits(words, selectors.CANDIDATES, seeker), limit=TOP)
    return ranked


def _today() -> Any:
    from django.utils import timezone

    return timezone.localdate()


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _index_mb() -> float:
    from hrss.employment import search

    base = search._index.base()
    return base.mapped_bytes() / 1e6 if base is not None else 0.0


def measure_inside(vacancies: int, seekers: int, queries: int, seed: int, reuse: bool = False) -> dict[str, Any]:
    import datetime as dt
    import uuid

    from django.db import connection

    from hrss.core import scope as roles
    from hrss.core.scope import Scope
    from hrss.employment import search, selectors
    from hrss.employment.models import Vacancy

    rng = random.Random(seed)
    started = time.perf_counter()
    reused = _reused(vacancies, seekers, rng) if reuse else None
    words = reused if reused is not None else _populate(vacancies, seekers, rng)
    populate = time.perf_counter() - started
    with connection.cursor() as cursor:  # fresh statistics after a bulk load, as after any import
        cursor.execute("ANALYZE employment_vacancy" if connection.vendor == "postgresql" else "ANALYZE")
    sample = rng.sample(words, min(queries, len(words)))

    def scope(person_id: Any) -> Scope:
        return Scope(actor=f"bench-{person_id}", roles=frozenset({roles.CITIZEN}), person_id=person_id)

    search._index.clear()
    started = time.perf_counter()
    search.rebuild(margin=dt.timedelta(0))  # every row is committed: no write under way
    index_build = time.perf_counter() - started
    search.search("开发", limit=1)  # map the new base, build the (empty) delta
    fts_build, fts_name = _fts_build()

    ours, theirs, structured, hits, fts_hits = [], [], [], [], []
    for person_id, q in sample:  # interleaved: both sides share the machine's noise
        started = time.perf_counter()
        found = selectors.matches_mine(scope=scope(person_id), limit=TOP, q=q)
        ours.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        baseline = _fts_search(scope(person_id), q)
        theirs.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        selectors.matches_mine(scope=scope(person_id), limit=TOP)
        structured.append((time.perf_counter() - started) * 1000)
        hits.append(len(found))
        fts_hits.append(len(baseline))

    base = search._index.base()
    if base is None or len(base) != vacancies:
        raise RuntimeError("the on-disk base does not hold every vacancy")
    # Updates: a vacancy posted (a row as the service writes it), then found by the next search
    # through the delta: the base is not rebuilt (its version does not change).
    template = Vacancy.objects.order_by("created_at").first()
    if template is None:
        raise RuntimeError("no vacancy to copy")
    posted = []
    started = time.perf_counter()
    for n in range(UPDATES):
        template.pk = uuid.uuid4()
        posted.append(template.pk)
        template._state.adding = True
        template.title = f"新岗位{n}号 园艺师"
        template.search_tokens = _tokens_text(template.title, template.description, template.skills)
        template.save()
        if not any(h.key == template.pk for h in search.search(f"新岗位{n}号 园艺师", limit=5)):
            raise RuntimeError("a posted vacancy was not found by the next search")
    updates = UPDATES / (time.perf_counter() - started)
    if search._index.base() is not base:
        raise RuntimeError("the base was rebuilt during the updates")
    Vacancy.objects.filter(pk__in=posted).delete()  # the data stays as written, for --reuse
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for n in range(UPDATES):
            cursor.execute(
                FTS_INSERT[connection.vendor == "postgresql"],
                [f"00000000-0000-0000-0000-{n:012d}", f"新岗位 {n} 园艺师"],
            )
            _fts_hits(["园艺师", str(n)], 5)
    fts_updates = UPDATES / (time.perf_counter() - started)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_vacancy_fts")
    return {
        "vacancies": vacancies,
        "seekers": seekers,
        "queries": len(sample),
        "fts": fts_name,
        "search_p50_ms": statistics.median(ours),
        "search_p95_ms": _percentile(ours, 0.95),
        "fts_p50_ms": statistics.median(theirs),
        "fts_p95_ms": _percentile(theirs, 0.95),
        "structured_p95_ms": _percentile(structured, 0.95),
        "index_build_s": index_build,
        "populate_s": round(populate, 1),
        "index_mb": round(_index_mb(), 2),
        "fts_build_s": fts_build,
        "updates_per_s": updates,
        "fts_updates_per_s": fts_updates,
        "hits_mean": statistics.mean(hits),
        "fts_hits_mean": statistics.mean(fts_hits),
    }


def main(argv: list[str]) -> None:
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrss.settings")
    import django

    django.setup()
    parser = argparse.ArgumentParser(prog="python -m bench.job_match")
    parser.add_argument("action", choices=["measure"])
    parser.add_argument("--vacancies", type=int, required=True)
    parser.add_argument("--seekers", type=int, required=True)
    parser.add_argument("--queries", type=int, default=QUERIES)
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--reuse", action="store_true", help="measure over an earlier run's rows of the same counts")
    options = parser.parse_args(argv)
    figures = measure_inside(options.vacancies, options.seekers, options.queries, options.seed, options.reuse)
    print(json.dumps(figures))


if __name__ == "__main__":
    main(sys.argv[1:])
