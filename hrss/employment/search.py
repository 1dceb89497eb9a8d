"""Vacancy text search (E4): BM25 over jieba-segmented titles, descriptions and skills
(``hrss.core.textsearch``, shared with the hotline's knowledge base).

A vacancy's tokens are segmented once, when it is posted (``Vacancy.search_tokens``), so an
index build only counts them. The index has two segments:

- **the base**, on disk: every open vacancy at the time of its build, written by
  ``rebuild()`` (``hrss jobindex rebuild``, and the nightly job ``employment.index_rebuild``)
  into a new versioned directory under ``<var dir>/jobindex/<database>/`` with the
  vacancies' ids, their last day (``valid_until``) and the *watermark* it covers (the build's
  start less a margin, so a change committed while the build read the rows is never
  missed); a pointer file then names the new version (``textsearch.DiskIndex``: written
  atomically, loaded memory-mapped, so the worker processes of a server share its pages).
  Each process reads the pointer before a search (one small file) and maps a new version
  when it changed.
- **the delta**, in memory: the vacancies changed since the base's watermark (posted,
  edited, closed; before any base exists, every open vacancy). Before a search the process
  asks the database one cheap question (how many vacancies changed since the watermark and
  the latest change, over the index on ``updated_at``); when the answer differs, it rebuilds
  the delta (small: the nightly rebuild folds it into the base). So a vacancy posted or
  closed is found (or no longer found) by the next search in every process, without a
  rebuild of the base.

A search ranks both segments and merges their hits by score: the base's hits lose any
vacancy the delta holds (its newer version, or its close: a *tombstone*) and any whose last
day has passed (``valid_until``, an array of the base: expiry needs no write). The base also
keeps each vacancy's required education and highest wage (arrays beside the ids), so a
seeker's hard filters (``Filters``: education at least the vacancy's, a wage range that
reaches the seeker's lowest wage) drop the base's misses *before* the best are chosen: the
hits a search returns are then nearly all shown, and the selector reads the rows of about
as many vacancies as it shows instead of windows of misses. The selector then re-reads the
hits' rows, keeps the open ones and applies the same filters to every hit (the delta's
included: ``selectors.search_ranked``, ``rules.search_match``), so a vacancy deleted
outright, or edited since the base, is never shown wrongly either.

**How scores of the two segments compare.** Each segment is its own BM25 index: its IDF
comes from its own documents and its length normalisation from its own average document
length. A word that is common among a million vacancies has a low IDF in the base, while in
a delta of a few vacancies the same word may be rare (higher IDF) or in every document
(``bm25s``' Lucene IDF, ``log(1 + (N - df + 0.5) / (df + 0.5))``, is then low: about 0.3
for a word in the only delta vacancy against about 2.8 for a word in 6% of the base). So
the merged order is exact within a segment and approximate between them: a vacancy posted
since the last rebuild tends to rank below an equally relevant one of the base until the
nightly rebuild puts both in one index. The scores are not made comparable by hand (that
would re-implement BM25 outside the library); what is guaranteed is that a posted vacancy
is found by the words it contains and a closed one is not.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import uuid
from array import array
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.db import connection
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from hrss.core.textsearch import Bm25Index, DiskIndex, FlatCorpus, FreshIndex, Hit, Segmenter
from hrss.employment import rules
from hrss.employment.models import Vacancy

# A title says what a job is; its words count this many times.
TITLE_WEIGHT = 3
MAX_QUERY_CHARS = 100
# A base covers the changes before its build's start less this margin: a transaction that
# wrote a vacancy just before the build and committed after the build read it is in the delta.
WATERMARK_MARGIN = dt.timedelta(minutes=10)
# The rows of a rebuild are read this many at a time.
REBUILD_CHUNK = 20000
# The base's education array: a vacancy that asks for no (ranked) education.
ANY_EDUCATION = -1


@dataclass(frozen=True)
class Filters:
    """A seeker's hard filters, as ``rules.search_match`` applies them: the seeker's
    education (``rules.education_rank``: lower is higher; None: none recorded) and lowest
    wage wanted (None: any)."""

    education: str | None = None
    wage_min: Decimal | None = None


def _fen(amount: Decimal) -> int:
    return int(amount * 100)


@cache
def segmenter() -> Segmenter:
    return Segmenter()


def tokens(text: str) -> list[str]:
    return segmenter().tokens(text)


def _open_q(today: dt.date) -> Q:
    return Q(status=Vacancy.Status.OPEN, valid_until__gte=today)


def open_vacancies(today: dt.date) -> QuerySet[Vacancy]:
    return Vacancy.objects.filter(_open_q(today))


def document_text(title: str, description: str, skills: list[str]) -> str:
    return " ".join([title] * TITLE_WEIGHT + [description, " ".join(skills)])


def vacancy_tokens(search_tokens: str, title: str, description: str, skills: list[str]) -> list[str]:
    """A vacancy's tokens: as segmented when it was posted, else (rows written before) now."""
    return search_tokens.split() if search_tokens else tokens(document_text(title, description, skills))


def index_root() -> Path:
    """Where this database's base index lives: ``settings.HRSS_JOBINDEX_DIR`` or
    ``<var dir>/jobindex``, then a directory named after the database (two databases served
    from one machine, a benchmark's and the site's, never share a base)."""
    configured = getattr(settings, "HRSS_JOBINDEX_DIR", "")
    root = Path(configured) if configured else Path(settings.VAR_DIR) / "jobindex"
    name = Path(str(connection.settings_dict.get("NAME") or "default")).name
    return root / (re.sub(r"[^A-Za-z0-9_.-]", "_", name)[:80] or "default")


# --- the base ----------------------------------------------------------------------------


def rebuild(*, force: bool = True, margin: dt.timedelta = WATERMARK_MARGIN) -> dict[str, int]:
    """Write a new base of every open vacancy and point at it; ``{"indexed": n}``.

    ``margin``: the base's watermark is its build's start less this; a zero margin is for
    when no write can be under way (a bulk import just committed, a benchmark), so the rows
    just written are not all in the first delta.

    Without ``force`` (the nightly job) nothing is written when the current base was built
    today: the job enqueued twice writes once, and what changed since is the delta's.
    """
    root = index_root()
    started = timezone.now()
    today = timezone.localdate()
    if not force and (current := DiskIndex.open(root)) is not None and current.meta["today"] == today.isoformat():
        return {"indexed": 0}
    vocabulary: dict[str, int] = {"": 0}
    keys: list[bytes] = []
    last_days = array("i")
    education = array("b")  # each vacancy's required education rank (ANY_EDUCATION: none)
    wage_max = array("q")  # each vacancy's highest wage, in fen
    flat, lengths = array("q"), array("q")  # every document's token ids, end to end; each one's length
    rows = (
        open_vacancies(today)
        .order_by()
        .values_list("id", "valid_until", "education_id", "wage_max", "search_tokens", "title", "description", "skills")
        .iterator(chunk_size=REBUILD_CHUNK)
    )
    for pk, valid_until, required, highest, *text in rows:
        keys.append(pk.bytes)
        last_days.append(valid_until.toordinal())
        rank = rules.education_rank(required)
        education.append(ANY_EDUCATION if rank is None else rank)
        wage_max.append(_fen(highest))
        ids = [vocabulary.setdefault(w, len(vocabulary)) for w in vacancy_tokens(*text)] or [0]
        flat.extend(ids)
        lengths.append(len(ids))
    DiskIndex.write(
        root,
        np.frombuffer(b"".join(keys), dtype=np.uint8).reshape(len(keys), 16),
        FlatCorpus(np.frombuffer(flat, dtype=np.int64), np.frombuffer(lengths, dtype=np.int64), vocabulary),
        meta={
            "watermark": (started - margin).isoformat(),
            "built_at": started.isoformat(),
            "today": today.isoformat(),
        },
        arrays={
            "valid_until": np.frombuffer(last_days, dtype=np.int32),
            "education": np.frombuffer(education, dtype=np.int8),
            "wage_max_fen": np.frombuffer(wage_max, dtype=np.int64),
        },
    )
    return {"indexed": len(keys)}


# --- the delta and the search ------------------------------------------------------------


class Delta(Bm25Index):
    """The vacancies changed since the base's watermark: the open ones indexed, all of them
    hiding their older version in the base (tombstones)."""

    def __init__(self, key: Any, ids: list[Any], corpus: list[list[str]], tombstones: frozenset[uuid.UUID]) -> None:
        super().__init__(key, ids, corpus)
        self.tombstones = tombstones


def _delta_key(today: dt.date, base: DiskIndex | None) -> tuple[Any, ...]:
    if base is None:  # no base yet: every open vacancy is the delta
        answer = Vacancy.objects.aggregate(n=Count("id", filter=_open_q(today)), latest=Max("updated_at"))
        return (today, None, None, answer["n"], answer["latest"])
    watermark = dt.datetime.fromisoformat(base.meta["watermark"])
    answer = Vacancy.objects.filter(updated_at__gt=watermark).aggregate(n=Count("id"), latest=Max("updated_at"))
    return (today, base.version, watermark, answer["n"], answer["latest"])


def _build_delta(key: tuple[Any, ...]) -> Delta:
    today, _version, watermark = key[:3]
    fields = ("id", "status", "valid_until", "search_tokens", "title", "description", "skills")
    if watermark is None:
        rows = list(open_vacancies(today).order_by("id").values_list(*fields))
    else:
        rows = list(Vacancy.objects.filter(updated_at__gt=watermark).order_by("id").values_list(*fields))
    live = [row for row in rows if row[1] == Vacancy.Status.OPEN and row[2] >= today]
    tombstones = frozenset(row[0] for row in rows) if watermark is not None else frozenset()
    return Delta(key, [row[0] for row in live], [vacancy_tokens(*row[3:]) for row in live], tombstones)


class JobIndex:
    """This process's view of the index: the mapped base (reloaded when the pointer file
    names a new version) and the delta (rebuilt when the database's answer changes)."""

    def __init__(self) -> None:
        self._base: DiskIndex | None = None
        self._lock = threading.Lock()
        self.delta = FreshIndex(_build_delta)

    def base(self) -> DiskIndex | None:
        root = index_root()
        version = DiskIndex.current(root)
        base = self._base
        if version is None:
            self._base = None
            return None
        if base is None or base.version != version or base.root != root:
            with self._lock:
                base = self._base
                if base is None or base.version != version or base.root != root:
                    try:
                        base = self._base = DiskIndex(root, version)
                    except FileNotFoundError:  # replaced twice since the pointer was read
                        return self._base
        return base

    @staticmethod
    def _kept(base: DiskIndex, positions: np.ndarray, today: dt.date, filters: Filters | None) -> np.ndarray:
        """Which of the base's positions to keep: not past their last day and, with a
        seeker's filters, passing them as ``rules.search_match`` decides (a base written
        before the filters' arrays leaves them to the selector). Read at the positions only:
        the documents holding a query word, not every document."""
        kept = base.arrays["valid_until"][positions] >= today.toordinal()
        if filters is None or "education" not in base.arrays or "wage_max_fen" not in base.arrays:
            return kept
        required = base.arrays["education"][positions]
        rank = rules.education_rank(filters.education)
        if rank is None:  # no education recorded: only the vacancies that ask for none
            kept &= required == ANY_EDUCATION
        else:  # a lower rank is a higher education
            kept &= (required == ANY_EDUCATION) | (required >= rank)
        if filters.wage_min is not None:
            kept &= base.arrays["wage_max_fen"][positions] >= _fen(filters.wage_min)
        return kept

    def search(self, words: list[str], limit: int, today: dt.date, filters: Filters | None = None) -> list[Hit]:
        base = self.base()
        delta = self.delta.get(_delta_key(today, base))
        assert isinstance(delta, Delta)
        hits = delta.search(words, limit)
        if base is not None:
            tombstones = delta.tombstones
            positions, scores = base.best(
                words, limit + len(tombstones), keep=lambda positions: self._kept(base, positions, today, filters)
            )
            raw = np.asarray(base.ids[positions]).tobytes()  # one read of the mapped ids
            for n, score in enumerate(scores.tolist()):
                key = uuid.UUID(bytes=raw[16 * n : 16 * n + 16])
                if key not in tombstones:
                    hits.append(Hit(key, score))
        hits.sort(key=lambda hit: -hit.score)  # stable: ties keep the delta's first
        return hits[:limit]

    def clear(self) -> None:
        self._base = None
        self.delta.clear()


# This process's index of the open vacancies.
_index = JobIndex()


def search(query: str, *, limit: int, filters: Filters | None = None) -> list[Hit]:
    """Open vacancies for the words, most relevant first (``Hit.key`` is the vacancy id);
    with a seeker's ``filters``, the base's vacancies that fail them are not returned (the
    delta's are: the caller filters every hit)."""
    words = list(dict.fromkeys(tokens(query[:MAX_QUERY_CHARS])))
    if not words:
        return []
    return _index.search(words, limit, timezone.localdate(), filters)


def rebuild_due() -> dict[str, int]:
    """The nightly job ``employment.index_rebuild``: a new base unless one was built today
    (so the job enqueued twice writes once)."""
    return rebuild(force=False)
