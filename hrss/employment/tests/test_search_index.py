"""The vacancy search index at scale (E4, issue #18): an on-disk base written atomically and
loaded memory-mapped, an in-memory delta of what changed since, tombstones and expiry at
search time, the rebuild command and the nightly job."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import numpy as np
import pytest
from django.core.management import call_command
from django.utils import timezone

from hrss.core.textsearch import POINTER, DiskIndex
from hrss.employment import search, services
from hrss.employment.tests import builders

pytestmark = pytest.mark.django_db
NOW = dt.timedelta(0)  # a base covering every change before its build (no write under way in a test)


@pytest.fixture(autouse=True)
def index_dir(settings, tmp_path):
    settings.HRSS_JOBINDEX_DIR = str(tmp_path / "jobindex")
    search._index.clear()
    yield tmp_path / "jobindex"
    search._index.clear()


def keys(query: str) -> list:
    return [hit.key for hit in search.search(query, limit=10)]


def test_a_rebuild_writes_a_versioned_base_behind_a_pointer_and_a_search_maps_it():
    agent = builders.agent()
    clerk = builders.vacancy(agent, title="行政文员", description="文件收发和来访接待", skills=["办公软件"])
    assert keys("来访接待") == [clerk.pk]  # no base yet: the delta holds every open vacancy
    assert search.rebuild(margin=NOW) == {"indexed": 1}
    root = search.index_root()
    version = (root / POINTER).read_text()
    meta = json.loads((root / version / "meta.json").read_text())
    assert (
        meta["documents"] == 1 and meta["watermark"] and meta["arrays"] == ["education", "valid_until", "wage_max_fen"]
    )
    assert keys("来访接待") == [clerk.pk]
    base = search._index.base()
    assert base is not None and base.version == version and len(base) == 1
    # memory-mapped: the pages are the page cache's, shared by every process mapping them
    assert isinstance(base.ids, np.memmap) and isinstance(base.arrays["valid_until"], np.memmap)
    assert base.retriever is not None and isinstance(base.retriever.scores["data"], np.memmap)
    assert base.mapped_bytes() > 0
    assert len(search._index.delta.get(search._delta_key(timezone.localdate(), base)).ids) == 0


def test_a_vacancy_posted_after_the_base_is_found_by_the_next_search_without_a_rebuild():
    agent = builders.agent()
    old = builders.vacancy(agent, title="Python开发工程师", description="负责后端开发")
    search.rebuild(margin=NOW)
    version = DiskIndex.current(search.index_root())
    new = builders.vacancy(agent, title="前端开发", description="负责网页开发", skills=["JavaScript"])
    found = keys("开发")
    assert set(found) == {old.pk, new.pk} and len(found) == 2
    assert keys("网页") == [new.pk]
    assert DiskIndex.current(search.index_root()) == version  # the base was not rebuilt


def test_closing_a_vacancy_drops_it_from_the_base_and_from_the_delta():
    agent = builders.agent()
    in_base = builders.vacancy(agent, title="焊工", description="钢结构焊接作业")
    search.rebuild(margin=NOW)
    in_delta = builders.vacancy(agent, title="电焊工", description="管道焊接作业")
    assert set(keys("焊接")) == {in_base.pk, in_delta.pk}
    services.vacancy_close(scope=builders.scope(agent), vacancy_id=in_base.pk)
    assert keys("焊接") == [in_delta.pk]  # the close is a tombstone over the base's copy
    services.vacancy_close(scope=builders.scope(agent), vacancy_id=in_delta.pk)
    assert keys("焊接") == []


def test_an_edit_after_the_base_replaces_its_copy_and_no_vacancy_is_found_twice():
    agent = builders.agent()
    vacancy = builders.vacancy(agent, title="仓库管理员", description="货物出入库和盘点")
    search.rebuild()  # the default margin: the vacancy is in the base and in the delta
    assert keys("盘点") == [vacancy.pk]
    vacancy.search_tokens = " ".join(search.tokens("冷库 叉车 装卸"))
    vacancy.save(update_fields=["search_tokens", "updated_at"])
    assert keys("盘点") == []  # the base's copy is hidden by the newer one
    assert keys("叉车") == [vacancy.pk]


def test_a_vacancy_past_its_last_day_is_not_found_from_the_base():
    agent = builders.agent()
    today = timezone.localdate()
    vacancy = builders.vacancy(agent, title="快递员", description="片区快件揽收和派送", valid_until=today)
    search.rebuild(margin=NOW)
    words = search.tokens("快件派送")
    assert [hit.key for hit in search._index.search(words, 5, today)] == [vacancy.pk]
    assert search._index.search(words, 5, today + dt.timedelta(days=1)) == []


def test_a_rebuild_by_the_command_is_picked_up_by_a_running_index_and_by_a_new_process(capsys):
    agent = builders.agent()
    first = builders.vacancy(agent, title="厨师", description="中式菜品制作")
    call_command("jobindex", "rebuild", "--margin-seconds", "0")
    assert "1 open vacancies" in capsys.readouterr().out
    running = search._index
    assert keys("菜品") == [first.pk]
    old_version = running.base().version  # type: ignore[union-attr]
    second = builders.vacancy(agent, title="面点师", description="中式面点和菜品制作")
    call_command("jobindex", "rebuild", "--margin-seconds", "0")
    other_process = search.JobIndex()  # a fresh process's view: nothing in memory
    for index in (running, other_process):
        base = index.base()
        assert base is not None and base.version != old_version and len(base) == 2
        assert {hit.key for hit in index.search(search.tokens("菜品"), 5, timezone.localdate())} == {
            first.pk,
            second.pk,
        }
    call_command("jobindex", "status")
    assert "2 vacancies" in capsys.readouterr().out


def test_the_nightly_job_rebuilds_once_and_old_versions_are_removed(index_dir):
    agent = builders.agent()
    builders.vacancy(agent, title="保洁员")
    assert search.rebuild_due() == {"indexed": 1}
    builders.vacancy(agent, title="护理员")
    assert search.rebuild_due() == {"indexed": 0}  # today's base is there: the delta has the rest
    assert len(search._index.base()) == 1  # type: ignore[arg-type]
    assert {hit.key for hit in search.search("护理员", limit=5)}  # found through the delta
    assert search.rebuild() == {"indexed": 2}  # the command forces a new base
    for _ in range(3):
        search.rebuild()
    versions = [p for p in search.index_root().iterdir() if p.is_dir()]
    assert len(versions) == 2  # the current one and the one before (a process may still map it)


def test_the_base_merges_with_the_delta_by_score_best_first():
    agent = builders.agent()
    for n in range(3):
        builders.vacancy(agent, title=f"数据分析员{n}", description="编制统计报表")
    search.rebuild(margin=NOW)
    builders.vacancy(agent, title="数据分析师", description="数据分析 统计报表 数据分析")
    hits = search.search("数据分析 报表", limit=10)
    assert len(hits) == 4 and len({hit.key for hit in hits}) == 4
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)
    assert all(hit.score > 0 for hit in hits)
    assert len(search.search("数据分析 报表", limit=2)) == 2


def test_the_counted_build_makes_the_matrix_bm25s_itself_makes():
    import bm25s

    from hrss.core.textsearch import CountedBM25, FlatCorpus

    segmenter = search.segmenter()
    texts = ["Python开发工程师 负责后端开发", "数据分析员 编制统计报表 数据分析", "行政文员 来访接待", "开发 开发 开发"]
    documents = [segmenter.tokens(text) for text in texts]
    vocabulary: dict[str, int] = {"": 0}
    ids = [[vocabulary.setdefault(w, len(vocabulary)) for w in doc] for doc in documents]
    theirs = bm25s.BM25()
    theirs.index(documents, show_progress=False)
    ours = CountedBM25()
    ours.index_flat(FlatCorpus(np.concatenate(ids), np.array([len(doc) for doc in ids]), vocabulary))
    for query in (["开发"], ["数据分析", "报表"], ["接待", "python"]):
        assert np.allclose(theirs.get_scores(query), ours.get_scores(query), rtol=1e-6)
    with pytest.raises(ValueError):
        FlatCorpus(np.array([1, 2]), np.array([1, 0, 1]), vocabulary)


def test_the_counted_scores_equal_the_librarys_on_a_larger_corpus():
    """The indexed add (each document once per column) sums what ``np.add.at`` sums,
    repeated query words included, on the memory-mapped base too."""
    import random

    import bm25s

    from hrss.core.textsearch import CountedBM25, FlatCorpus

    rng = random.Random(5)
    words = [f"w{n}" for n in range(60)]
    documents = [[rng.choice(words[: rng.randint(3, 60)]) for _ in range(rng.randint(1, 30))] for _ in range(400)]
    vocabulary: dict[str, int] = {"": 0}
    ids = [[vocabulary.setdefault(w, len(vocabulary)) for w in doc] for doc in documents]
    theirs = bm25s.BM25()
    theirs.index(documents, show_progress=False)
    flat = FlatCorpus(np.concatenate(ids), np.array([len(doc) for doc in ids]), vocabulary)
    ours = CountedBM25()
    ours.index_flat(flat)
    keys = np.zeros((len(documents), 16), dtype=np.uint8)
    DiskIndex.write(search.index_root(), keys, flat, meta={})
    mapped = DiskIndex.open(search.index_root())
    assert mapped is not None and isinstance(mapped.retriever, CountedBM25)
    for _ in range(30):
        query = [rng.choice(words) for _ in range(rng.randint(1, 6))]
        expected = theirs.get_scores(query)
        assert np.allclose(expected, ours.get_scores(query), rtol=1e-6)
        scores = mapped.scores(query)
        assert scores is not None and np.allclose(expected, scores, rtol=1e-6)


@pytest.mark.parametrize(
    ("education", "wage_min"),
    [(None, None), ("21", None), ("11", Decimal("9000")), ("31", Decimal("13000")), (None, Decimal("7000"))],
)
def test_a_seekers_filters_drop_the_bases_misses_before_the_best_are_chosen(education, wage_min):
    """With a seeker's filters the base returns exactly the vacancies ``rules.search_match``
    keeps (education at least the vacancy's, a wage range reaching the seeker's lowest), best
    first; the delta's vacancies come back unfiltered, for the selector to filter."""
    from hrss.employment import rules

    agent = builders.agent()
    offers = {}
    for n, (required, highest) in enumerate(
        [(None, 8000), ("11", 20000), ("21", 12000), ("21", 8500), ("31", 9000), ("41", 15000), (None, 13000)]
    ):
        vacancy = builders.vacancy(
            agent,
            title=f"数据分析员{n}",
            description="编制统计报表",
            education=required,
            wage_min=Decimal(highest - 1000),
            wage_max=Decimal(highest),
        )
        offers[vacancy.pk] = rules.Offer(
            key=str(vacancy.pk),
            occupation="2-02",
            district="120101",
            wage_min=vacancy.wage_min,
            wage_max=vacancy.wage_max,
            education=required,
            skills=frozenset(),
        )
    search.rebuild(margin=NOW)
    seeker = rules.Seeker(frozenset(), frozenset(), wage_min, education, frozenset())
    kept = {pk for pk, offer in offers.items() if rules.search_match(seeker, offer) is not None}
    filters = search.Filters(education, wage_min)
    hits = search.search("数据分析 报表", limit=10, filters=filters)
    assert {hit.key for hit in hits} == kept
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)
    if kept:  # fewer asked than kept: the best of those kept, none of the misses
        assert {hit.key for hit in search.search("数据分析 报表", limit=1, filters=filters)} <= kept
    posted = builders.vacancy(agent, title="数据分析员8", description="编制统计报表", education="11")
    assert posted.pk in {hit.key for hit in search.search("数据分析 报表", limit=10, filters=filters)}


def test_the_best_with_common_words_scored_last_are_the_best_of_a_full_scoring():
    """``DiskIndex.best`` scores words found in most documents only where a rarer word matched,
    and falls back to scoring every document when that could change the best: either way
    the best and their scores are those of a full scoring (and of ``keep``)."""
    import random

    from hrss.core import textsearch
    from hrss.core.textsearch import FlatCorpus, top_among

    rng = random.Random(11)
    common, rare = ["负责", "和", "工作"], [f"r{n}" for n in range(40)]
    documents = []
    for _ in range(600):
        doc = [w for w in common if rng.random() < 0.8] + [rng.choice(rare) for _ in range(rng.randint(0, 6))]
        documents.append(doc or ["负责"])
    vocabulary: dict[str, int] = {"": 0}
    ids = [[vocabulary.setdefault(w, len(vocabulary)) for w in doc] for doc in documents]
    flat = FlatCorpus(np.concatenate(ids), np.array([len(doc) for doc in ids]), vocabulary)
    DiskIndex.write(search.index_root(), np.zeros((len(documents), 16), dtype=np.uint8), flat, meta={})
    index = DiskIndex.open(search.index_root())
    assert index is not None
    column = index.retriever.scores["indices"]
    indptr = index.retriever.scores["indptr"]
    assert all(np.all(np.diff(column[indptr[t] : indptr[t + 1]]) > 0) for t in range(len(indptr) - 1))

    def keep(positions: np.ndarray) -> np.ndarray:
        return positions % 3 != 0

    full_scorings: list[int] = []
    scores_of = index.scores

    def counted(words: list[str]) -> np.ndarray | None:
        full_scorings.append(1)
        return scores_of(words)

    shortcuts = 0
    for _ in range(60):
        words = list(dict.fromkeys(rng.sample(common, rng.randint(0, 3)) + rng.sample(rare, rng.randint(0, 3))))
        limit = rng.choice([1, 5, 20, 400])
        for kept in (None, keep):
            full = index.scores(words)
            if full is None:
                assert len(index.best(words, limit, kept)[0]) == 0
                continue
            positive = np.flatnonzero(full > 0)
            expected = top_among(full, positive if kept is None else positive[kept(positive)], limit)
            index.scores = counted  # type: ignore[method-assign]
            before = len(full_scorings)
            positions, scores = index.best(words, limit, kept)
            index.scores = scores_of  # type: ignore[method-assign]
            shortcuts += len(full_scorings) == before
            assert np.allclose(scores, full[expected], rtol=1e-5)  # the same best scores, best first
            assert np.allclose(full[positions], scores, rtol=1e-5)
            if kept is not None:
                assert not np.any(positions % 3 == 0)
    assert shortcuts > 10  # the common words were added last, without a full scoring
    assert textsearch.COMMON_SHARE < 0.8  # the common words above are in ~80% of the documents
