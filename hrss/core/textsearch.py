"""Chinese full-text relevance shared by the apps that search their own texts (the hotline's
knowledge base, employment's vacancies): jieba segmentation and BM25 ranking (``bm25s``).

- ``Segmenter``: a jieba tokenizer of its own (jieba's default one is global state) that
  knows the app's words, cuts in search mode (a long word and its parts) and drops stop
  words and punctuation; thread-safe.
- ``Bm25Index``: one BM25 index over a list of documents' tokens and their ids.
- ``FreshIndex``: the per-process index of one app: before a search the app asks the
  database one cheap question (the *freshness key*: how many rows, the latest change); when
  the answer differs from the index's, the index is rebuilt. So every process serves what
  the database holds, with no shared cache to keep in step and no stale answer after an edit.
- ``DiskIndex``: a BM25 index saved on disk (``bm25s``' own ``save``) in a versioned
  directory with its documents' ids and a metadata file, switched to atomically through a
  pointer file, and loaded memory-mapped (``bm25s.BM25.load(mmap=True)`` and numpy
  memmaps), so every worker process of a server shares the same pages of the page cache.
  An app keeps a small in-memory ``Bm25Index`` beside it for what changed since (see
  ``hrss.employment.search``).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bm25s
import jieba
import numpy as np

logging.getLogger("bm25s").setLevel(logging.WARNING)


class Segmenter:
    """jieba search-mode segmentation with the caller's words and stop words."""

    def __init__(self, words: Iterable[str] = (), stopwords: Iterable[str] = (), word_freq: int = 20000) -> None:
        self._words = tuple(words)
        self._stopwords = frozenset(stopwords)
        self._freq = word_freq
        self._tokenizer: jieba.Tokenizer | None = None
        self._lock = threading.Lock()  # jieba's lazy initialisation is not thread-safe

    def _ready(self) -> jieba.Tokenizer:
        if self._tokenizer is None:
            jieba.setLogLevel(logging.WARNING)
            tokenizer = jieba.Tokenizer()
            for word in self._words:
                tokenizer.add_word(word, freq=self._freq)
            self._tokenizer = tokenizer
        return self._tokenizer

    def tokens(self, text: str) -> list[str]:
        with self._lock:
            words = list(self._ready().cut_for_search(text))
        stop = self._stopwords
        return [w.lower() for w in (w.strip() for w in words) if w and w not in stop and any(c.isalnum() for c in w)]


@dataclass(frozen=True)
class Hit:
    key: Any
    score: float


class Bm25Index:
    """BM25 over documents given as token lists; ``search`` answers the best ``limit`` ids."""

    def __init__(self, key: Hashable, ids: Sequence[Any], corpus: Sequence[list[str]]) -> None:
        self.key = key
        self.ids = list(ids)
        self.retriever: bm25s.BM25 | None = None
        if self.ids:
            self.retriever = bm25s.BM25()
            self.retriever.index([tokens or [""] for tokens in corpus], show_progress=False)

    def scores(self, words: Sequence[str]) -> np.ndarray | None:
        """Every document's score for the words (None when no word is in the vocabulary)."""
        if self.retriever is None:
            return None
        vocabulary = self.retriever.vocab_dict
        known = [w for w in words if w in vocabulary]
        if not known:
            return None
        return np.asarray(self.retriever.get_scores(known))

    def search(self, words: Sequence[str], limit: int) -> list[Hit]:
        scores = self.scores(words)
        if scores is None:
            return []
        order = top(scores, limit)
        return [Hit(self.ids[i], float(scores[i])) for i in order]


def top(scores: np.ndarray, limit: int) -> np.ndarray:
    """The positions of the best ``limit`` positive scores, best first (equal scores among
    them: lower position first); a partial selection, so a million scores cost milliseconds,
    not a full sort."""
    return top_among(scores, np.flatnonzero(scores > 0), limit)


def top_among(scores: np.ndarray, positions: np.ndarray, limit: int) -> np.ndarray:
    """The best ``limit`` of the given positions by score, best first (equal scores: lower
    position first). The caller passes only the positions worth choosing among (the
    documents that hold a query word and pass its filters), so the selection works on those
    rather than on every document."""
    if len(positions) == 0 or limit <= 0:
        return np.empty(0, dtype=np.int64)
    values = scores[positions]
    if limit < len(positions):
        chosen = np.argpartition(values, len(values) - limit)[len(values) - limit :]
        positions, values = positions[chosen], values[chosen]
    return positions[np.lexsort((positions, -values))]


class FlatCorpus:
    """Documents as one array of token ids and each document's length (a million documents'
    tokens as Python lists would take gigabytes), with the vocabulary (token -> id)."""

    def __init__(self, tokens: np.ndarray, lengths: np.ndarray, vocabulary: dict[str, int]) -> None:
        self.tokens = np.asarray(tokens, dtype=np.int64)
        self.lengths = np.asarray(lengths, dtype=np.int64)
        self.vocabulary = vocabulary
        if len(self.tokens) != int(self.lengths.sum()) or (len(self.lengths) and int(self.lengths.min()) < 1):
            raise ValueError("every document needs at least one token, and the lengths must add up")


class CountedBM25(bm25s.BM25):
    """``bm25s.BM25`` whose counting is done by numpy over a ``FlatCorpus``.

    ``bm25s`` counts each document's tokens with a ``Counter`` and a set intersection in a
    Python loop (minutes for a million documents); this override of its
    ``build_index_from_ids`` (the hook its docstring offers) counts document and term
    frequencies with ``np.unique``/``np.bincount`` and then uses the library's own BM25
    functions (its IDF and term-frequency scorers, ``_build_idf_array``, its CSC builder), so
    the matrix is the one ``index()`` would build (a test compares them).

    Scoring adds each query word's column of the matrix to the documents' scores. The
    library's numpy path does that with ``np.add.at``, which allows a document to repeat
    within a column; a column of this CSC matrix names each document once (one entry per
    document and word), so a plain indexed add gives the same sums several times faster
    (a test compares them with the library's)."""

    @staticmethod
    def _compute_relevance_from_scores(
        data: np.ndarray,
        indptr: np.ndarray,
        indices: np.ndarray,
        num_docs: int,
        query_tokens_ids: np.ndarray,
        dtype: np.dtype,
    ) -> np.ndarray:
        scores = np.zeros(num_docs, dtype=dtype)
        for token in np.asarray(query_tokens_ids).tolist():
            start, end = int(indptr[token]), int(indptr[token + 1])
            scores[indices[start:end]] += data[start:end]
        return scores

    def index_flat(self, corpus: FlatCorpus) -> None:
        if self.method in self.methods_requiring_nonoccurrence:
            raise ValueError(f"{self.method} is not supported by the flat build")
        self.nonoccurrence_array = None
        self.scores = self.build_index_from_ids(list(corpus.vocabulary.values()), corpus)
        self.vocab_dict = corpus.vocabulary
        self.unique_token_ids_set = set(self.vocab_dict.values())

    def build_index_from_ids(  # type: ignore[override]
        self, unique_token_ids: list[int], corpus_token_ids: Any, show_progress: bool = False, **_: Any
    ) -> dict[str, Any]:
        if not isinstance(corpus_token_ids, FlatCorpus):
            return dict(super().build_index_from_ids(unique_token_ids, corpus_token_ids, show_progress=show_progress))
        from bm25s import scoring

        corpus = corpus_token_ids
        n_docs, n_vocab = len(corpus.lengths), len(unique_token_ids)
        doc_of_token = np.repeat(np.arange(n_docs, dtype=np.int64), corpus.lengths)
        pairs, term_frequencies = np.unique(doc_of_token * n_vocab + corpus.tokens, return_counts=True)
        docs, vocab = pairs // n_vocab, pairs % n_vocab
        doc_frequencies = np.bincount(vocab, minlength=n_vocab)
        idf = scoring._build_idf_array(
            doc_frequencies=dict(enumerate(doc_frequencies.tolist())),
            n_docs=n_docs,
            compute_idf_fn=scoring._select_idf_scorer(self.idf_method),
            dtype=self.dtype,
        )
        tfc = scoring._select_tfc_scorer(self.method)(
            tf_array=term_frequencies.astype(self.dtype),
            l_d=corpus.lengths[docs].astype(self.dtype),
            l_avg=float(corpus.lengths.mean()),
            k1=self.k1,
            b=self.b,
            delta=self.delta,
        )
        data, indices, indptr = self._np_csc(
            data=(idf[vocab] * tfc).astype(self.dtype),
            rows=docs.astype(self.int_dtype),
            cols=vocab.astype(self.int_dtype),
            shape=(n_docs, n_vocab),
        )
        return {"data": data.astype(self.dtype), "indices": indices, "indptr": indptr, "num_docs": n_docs}


POINTER = "CURRENT"
# A query word in more than this share of an on-disk index's documents is added only to the
# documents a rarer word found, when that provably leaves the best unchanged (DiskIndex.best).
COMMON_SHARE = 0.25


class DiskIndex:
    """A BM25 index written once to ``root/<version>/`` and read memory-mapped.

    The directory holds bm25s' files, ``ids.npy`` (each document's id as 16 bytes: a UUID),
    any extra per-document arrays the caller gives (e.g. an expiry date), and ``meta.json``
    (what the caller says the index covers: a watermark). ``write`` builds it in a hidden
    directory, renames it into place and then replaces the pointer file ``root/CURRENT``
    (``os.replace``: atomic), so a reader sees the old version or the new one, never half
    of one. ``load`` maps the arrays read-only: the pages are the page cache's, shared by
    every process that maps the same files. A process keeps a version it mapped even after a
    newer one is written (the files of a version replaced two builds ago are removed; an
    unlinked file stays readable for whoever still maps it)."""

    def __init__(self, root: Path, version: str) -> None:
        self.root = Path(root)
        self.version = version
        path = self.root / version
        self.meta: dict[str, Any] = json.loads((path / "meta.json").read_text())
        self.ids: np.ndarray = np.load(path / "ids.npy", mmap_mode="r")
        self.arrays: dict[str, np.ndarray] = {
            name: np.load(path / f"{name}.npy", mmap_mode="r") for name in self.meta.get("arrays", [])
        }
        self._largest_of: dict[tuple[int, int], float] = {}
        self.retriever: CountedBM25 | None = None
        if len(self.ids):
            self.retriever = CountedBM25.load(str(path), mmap=True, show_progress=False, verbosity=0)

    def __len__(self) -> int:
        return len(self.ids)

    @staticmethod
    def current(root: Path) -> str | None:
        """The version the pointer file names (None: no index written yet)."""
        try:
            return (Path(root) / POINTER).read_text().strip() or None
        except FileNotFoundError:
            return None

    @classmethod
    def open(cls, root: Path) -> DiskIndex | None:
        version = cls.current(root)
        return cls(root, version) if version else None

    @staticmethod
    def write(
        root: Path,
        ids: np.ndarray,
        corpus: Any,
        meta: dict[str, Any],
        arrays: dict[str, np.ndarray] | None = None,
        keep: int = 2,
    ) -> str:
        """Build and save a new version, then point at it; its name. ``corpus``: a
        ``FlatCorpus``, or what ``bm25s.BM25.index`` takes (the documents' token lists, or
        ``(token id lists, vocabulary)``); no document may be empty."""
        root = Path(root)
        root.mkdir(parents=True, exist_ok=True)
        version = f"{time.time_ns():020d}-{os.getpid()}"
        building = root / f".building-{version}"
        building.mkdir()
        try:
            if len(ids):
                retriever = CountedBM25()
                if isinstance(corpus, FlatCorpus):
                    retriever.index_flat(corpus)
                else:
                    retriever.index(corpus, show_progress=False)
                retriever.save(str(building), show_progress=False)
            np.save(building / "ids.npy", ids)
            for name, values in (arrays or {}).items():
                np.save(building / f"{name}.npy", values)
            document = {**meta, "version": version, "documents": len(ids), "arrays": sorted(arrays or {})}
            (building / "meta.json").write_text(json.dumps(document, default=str))
            os.rename(building, root / version)
        except BaseException:
            shutil.rmtree(building, ignore_errors=True)
            raise
        pointer = root / f".{POINTER}-{version}"
        pointer.write_text(version)
        os.replace(pointer, root / POINTER)
        versions = sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
        for old in versions[: max(0, len(versions) - keep)]:
            shutil.rmtree(root / old, ignore_errors=True)
        return version

    def scores(self, words: Sequence[str]) -> np.ndarray | None:
        """Every document's score for the words (None when no word is in the vocabulary)."""
        if self.retriever is None:
            return None
        known = [w for w in words if w in self.retriever.vocab_dict]
        if not known:
            return None
        return np.asarray(self.retriever.get_scores(known))

    def best(
        self, words: Sequence[str], limit: int, keep: Callable[[np.ndarray], np.ndarray] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """The positions of the best ``limit`` documents for the words, best first, and their
        scores; ``keep`` (positions -> a mask of those to keep) drops documents before the
        best are chosen (a filter, an expiry).

        A word found in most documents (more than ``COMMON_SHARE``: "负责" in nine job
        descriptions of ten) adds little to any score, yet scoring it touches nearly every
        document. So, as in the *MaxScore* evaluation of search engines, the rarer words are
        scored first, the common words are added only to the documents those found (each
        column's rows are in order: a binary search), and the result is checked: a document
        holding only common words scores at most the sum of their largest contributions, so
        when the ``limit``-th best found scores above that bound, the best are exactly the
        ones a full scoring would give. Otherwise (too few found, or too close), every
        document is scored. The scores are the library's own (the precomputed BM25 matrix);
        only the order of work changes."""
        empty = (np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32))
        if self.retriever is None or limit <= 0:
            return empty
        vocabulary = self.retriever.vocab_dict
        tokens = [vocabulary[w] for w in words if w in vocabulary]
        if not tokens:
            return empty
        matrix = self.retriever.scores
        data, indices, indptr = matrix["data"], matrix["indices"], matrix["indptr"]
        spans = [(int(indptr[t]), int(indptr[t + 1])) for t in tokens]
        crowded = COMMON_SHARE * len(self.ids)
        common = [(start, end) for start, end in spans if end - start > crowded]
        rare = [(start, end) for start, end in spans if end - start <= crowded]

        def kept(positions: np.ndarray) -> np.ndarray:
            return positions if keep is None else positions[keep(positions)]

        if common and rare:
            scores = np.zeros(len(self.ids), dtype=data.dtype)
            for start, end in rare:
                scores[indices[start:end]] += data[start:end]
            positions = kept(np.flatnonzero(scores > 0))
            for start, end in common:
                column = indices[start:end]
                at = np.searchsorted(column, positions)
                at[at == len(column)] = 0
                found = column[at] == positions
                scores[positions[found]] += data[start:end][at[found]]
            chosen = top_among(scores, positions, limit)
            bound = sum(self._largest(start, end) for start, end in common)
            if len(chosen) == limit and float(scores[chosen[-1]]) > bound:
                return chosen, scores[chosen]
        full = self.scores(words)
        if full is None:
            return empty
        chosen = top_among(full, kept(np.flatnonzero(full > 0)), limit)
        return chosen, full[chosen]

    def _largest(self, start: int, end: int) -> float:
        """The largest score a word adds to a document (its column's maximum), kept per column."""
        key = (start, end)
        if key not in self._largest_of:
            assert self.retriever is not None
            self._largest_of[key] = float(self.retriever.scores["data"][start:end].max())
        return self._largest_of[key]

    def mapped_bytes(self) -> int:
        """The bytes of the memory-mapped arrays (the BM25 matrix, the ids, the extra arrays)."""
        arrays = [self.ids, *self.arrays.values()]
        if self.retriever is not None:
            arrays += [v for v in self.retriever.scores.values() if isinstance(v, np.ndarray)]
        return sum(int(a.nbytes) for a in arrays)


class FreshIndex:
    """One process's index, rebuilt when the database's freshness key changes."""

    def __init__(self, build: Callable[[Any], Bm25Index]) -> None:
        self._build = build
        self._index: Bm25Index | None = None
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Bm25Index:
        index = self._index
        if index is None or index.key != key:
            with self._lock:
                index = self._index
                if index is None or index.key != key:
                    index = self._index = self._build(key)
        return index

    def clear(self) -> None:
        self._index = None
