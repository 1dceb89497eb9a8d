"""Chinese full-text search over the knowledge base: jieba segmentation, BM25 ranking
(``bm25s``, through ``hrss.core.textsearch``), synonyms and stop words as data
(``data/synonyms.csv``, ``data/stopwords.txt``).

Each process keeps one index of the answerable articles. Before a search it asks the
database one cheap question (how many answerable articles, the latest change): when the
answer differs from the index's, the index is rebuilt. So every process serves what the
database holds, with no shared cache to keep in step and no stale answer after an edit.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from hrss.core.textsearch import Bm25Index, FreshIndex, Segmenter
from hrss.hotline.models import Article

# A title says what an article is about; its words count this many times.
TITLE_WEIGHT = 3
MAX_QUERY_CHARS = 100


@cache
def _data_lines(name: str) -> list[str]:
    text = resources.files("hrss.hotline").joinpath("data", name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@cache
def synonym_groups() -> dict[str, tuple[str, ...]]:
    """Each word of a group → the whole group."""
    groups: dict[str, tuple[str, ...]] = {}
    for row in csv.reader(_data_lines("synonyms.csv")):
        group = tuple(word.strip() for word in row if word.strip())
        for word in group:
            groups[word] = tuple(dict.fromkeys(groups.get(word, ()) + group))
    return groups


@cache
def stopwords() -> frozenset[str]:
    return frozenset(_data_lines("stopwords.txt"))


@cache
def _segmenter() -> Segmenter:
    """A segmenter of our own that knows the bureau's words (hrss.core.textsearch)."""
    return Segmenter(words=synonym_groups(), stopwords=stopwords())


def tokens(text: str) -> list[str]:
    """Search-mode segmentation (a long word and its parts), stop words and punctuation dropped."""
    return _segmenter().tokens(text)


def query_tokens(query: str) -> list[str]:
    """The query's tokens and, for each, the other words of its synonym group (and their parts)."""
    found = tokens(query[:MAX_QUERY_CHARS])
    groups = synonym_groups()
    expanded = list(found)
    for token in found:
        for word in groups.get(token, ()):
            if word != token:
                expanded.extend(tokens(word))
    return list(dict.fromkeys(expanded))


def answerable(today: dt.date | None = None) -> QuerySet[Article]:
    """Articles a channel may answer with: published (or published and flagged for review)
    and valid today."""
    today = today or timezone.localdate()
    return Article.objects.filter(
        status__in=(Article.Status.PUBLISHED, Article.Status.REVIEW),
    ).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=today),
        Q(valid_to__isnull=True) | Q(valid_to__gte=today),
    )


def document_text(article: Article) -> str:
    heading = " ".join([article.title, article.question, article.keywords])
    return " ".join([heading] * TITLE_WEIGHT + [article.body])


@dataclass(frozen=True)
class Hit:
    article_id: Any
    score: float


def _freshness(today: dt.date) -> tuple[Any, ...]:
    summary = answerable(today).aggregate(n=Count("id"), latest=Max("updated_at"))
    return (today, summary["n"], summary["latest"])


def _build(key: tuple[Any, ...]) -> Bm25Index:
    articles = list(answerable(key[0]).order_by("code"))
    return Bm25Index(key, [a.pk for a in articles], [tokens(document_text(a)) for a in articles])


# This process's index of the answerable articles (rebuilt when the freshness key changes).
_index = FreshIndex(_build)


def search(query: str, *, limit: int = 10) -> list[Hit]:
    """The best answerable articles for a caller's words, best first (at most ``limit``)."""
    words = query_tokens(query)
    if not words:
        return []
    index = _index.get(_freshness(timezone.localdate()))
    return [Hit(hit.key, hit.score) for hit in index.search(words, limit)]
