"""Vacancy text search (E4): BM25 over jieba-segmented titles, descriptions and skills
(``hrss.core.textsearch``, shared with the hotline's knowledge base).

A vacancy's tokens are segmented once, when it is posted (``Vacancy.search_tokens``), so an
index build only counts them. Each process keeps one index of the open vacancies. Before a search it asks the database
one cheap question (today, how many open vacancies, the latest change to any vacancy):
when the answer differs from the index's, the index is rebuilt, so a vacancy posted or
closed is found (or no longer found) by the next search in every process.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from django.db.models import Count, Max, QuerySet
from django.utils import timezone

from hrss.core.textsearch import Bm25Index, FreshIndex, Hit, Segmenter
from hrss.employment.models import Vacancy

# A title says what a job is; its words count this many times.
TITLE_WEIGHT = 3
MAX_QUERY_CHARS = 100


@cache
def segmenter() -> Segmenter:
    return Segmenter()


def tokens(text: str) -> list[str]:
    return segmenter().tokens(text)


def open_vacancies(today: dt.date) -> QuerySet[Vacancy]:
    return Vacancy.objects.filter(status=Vacancy.Status.OPEN, valid_until__gte=today)


def document_text(title: str, description: str, skills: list[str]) -> str:
    return " ".join([title] * TITLE_WEIGHT + [description, " ".join(skills)])


def _freshness(today: dt.date) -> tuple[Any, ...]:
    opened = open_vacancies(today).aggregate(n=Count("id"))
    changed = Vacancy.objects.aggregate(latest=Max("updated_at"))  # a close changes the set too
    return (today, opened["n"], changed["latest"])


def vacancy_tokens(search_tokens: str, title: str, description: str, skills: list[str]) -> list[str]:
    """A vacancy's tokens: as segmented when it was posted, else (rows written before) now."""
    return search_tokens.split() if search_tokens else tokens(document_text(title, description, skills))


def _build(key: tuple[Any, ...]) -> Bm25Index:
    rows = list(
        open_vacancies(key[0]).order_by("id").values_list("id", "search_tokens", "title", "description", "skills")
    )
    return Bm25Index(key, [row[0] for row in rows], [vacancy_tokens(*row[1:]) for row in rows])


# This process's index of the open vacancies (rebuilt when the freshness key changes).
_index = FreshIndex(_build)


def search(query: str, *, limit: int) -> list[Hit]:
    """Open vacancies for the words, most relevant first (``Hit.key`` is the vacancy id)."""
    words = list(dict.fromkeys(tokens(query[:MAX_QUERY_CHARS])))
    if not words:
        return []
    return _index.get(_freshness(timezone.localdate())).search(words, limit)
