"""Vacancy text search: BM25 over jieba tokens (shared with the hotline through
hrss.core.textsearch), a per-process index kept fresh by the database, wired into the
seeker's jobs page and ``/me/matches?q=``."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hrss.core.textsearch import Bm25Index, Segmenter
from hrss.employment import search, services
from hrss.employment.tests import builders
from hrss.identity.auth import token_create
from hrss.testing import sign_in

pytestmark = pytest.mark.django_db


def test_the_shared_index_ranks_by_bm25_and_knows_no_unknown_word():
    segmenter = Segmenter(words=["数据分析"])
    docs = {"a": "软件开发工程师 Python", "b": "数据分析员 报表 数据分析", "c": "行政文员 接待"}
    index = Bm25Index("k", list(docs), [segmenter.tokens(text) for text in docs.values()])
    assert [hit.key for hit in index.search(segmenter.tokens("数据分析"), 5)] == ["b"]
    assert index.search(["从未出现"], 5) == []
    assert Bm25Index("empty", [], []).search(["数据"], 5) == []


def test_a_search_finds_by_words_and_follows_a_close_without_a_restart():
    agent = builders.agent()
    software = builders.vacancy(agent, title="Python开发工程师", description="负责后端开发", skills=["Python"])
    clerk = builders.vacancy(
        agent, title="行政文员", occupation="3-01", description="文件收发和来访接待", skills=["办公软件"]
    )
    assert [hit.key for hit in search.search("开发", limit=5)] == [software.pk]
    assert [hit.key for hit in search.search("来访接待", limit=5)] == [clerk.pk]
    services.vacancy_close(scope=builders.scope(agent), vacancy_id=software.pk)
    assert search.search("开发", limit=5) == []  # the index saw the close (freshness key)
    newer = builders.vacancy(agent, title="前端开发", skills=["JavaScript"])
    assert [hit.key for hit in search.search("开发", limit=5)] == [newer.pk]
    assert search.search("   ", limit=5) == []


def test_the_seekers_filters_apply_to_a_search_and_each_result_says_why():
    agent = builders.agent()
    builders.vacancy(agent, title="高薪开发", wage_min=20000, wage_max=30000)
    low = builders.vacancy(agent, title="初级开发", wage_min=3000, wage_max=4000)
    user = builders.seeker()
    builders.profile(user, wage_min=8000)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=user)}")
    found = client.get("/api/v1/employment/me/matches", {"q": "开发"}).json()
    assert [row["vacancy"]["title"] for row in found] == ["高薪开发"]  # below the wage wanted: filtered
    assert found[0]["relevance"] > 0 and found[0]["reasons"][0] == "与您搜索的关键词相符"
    assert "意向职业相同" in found[0]["reasons"]
    assert str(low.pk) not in {row["vacancy"]["id"] for row in found}
    assert client.get("/api/v1/employment/me/matches", {"q": "x" * 101}).status_code == 422
    plain = client.get("/api/v1/employment/me/matches").json()
    assert all(row["relevance"] is None for row in plain)


def test_a_search_costs_the_same_queries_for_one_vacancy_and_for_many():
    agent = builders.agent()
    user = builders.seeker()
    builders.profile(user)
    builders.vacancy(agent, title="软件开发")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=user)}")
    path = "/api/v1/employment/me/matches?q=开发"

    def count() -> int:
        client.get(path)  # warm: the token, the caches, the index built for this data
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    one = count()
    for n in range(4):
        builders.vacancy(agent, title=f"开发岗位{n}")
    many = count()
    assert many == one and many <= 12


def test_the_jobs_page_searches_in_chinese():
    agent = builders.agent()
    builders.vacancy(agent, title="数据分析员", description="编制统计报表", skills=["SQL"])
    user = builders.seeker()
    client = sign_in(Client(), user)
    page = client.get("/employment/", {"q": "统计报表"}, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "数据分析员" in page and "按关键词搜索岗位" in page and "与您搜索的关键词相符" in page
    none = client.get("/employment/", {"q": "潜水教练"}, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "没有与这些关键词相符的在招岗位" in none
