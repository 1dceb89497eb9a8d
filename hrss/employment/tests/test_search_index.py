"""The vacancy search index at scale (E4, issue #18): an on-disk base written atomically and
loaded memory-mapped, an in-memory delta of what changed since, tombstones and expiry at
search time, the rebuild command and the nightly job."""

from __future__ import annotations

import datetime as dt
import json

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
    assert meta["documents"] == 1 and meta["watermark"] and meta["arrays"] == ["valid_until"]
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
