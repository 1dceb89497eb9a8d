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
    positive = int(np.count_nonzero(scores > 0))
    if positive == 0 or limit <= 0:
        return np.empty(0, dtype=np.int64)
    limit = min(limit, positive)
    whole = limit == len(scores)
    chosen = np.arange(len(scores)) if whole else np.argpartition(-scores, limit - 1)[:limit]
    return chosen[np.lexsort((chosen, -scores[chosen]))]


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
    the matrix is the one ``index()`` would build (a test compares them)."""

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
        self.retriever: bm25s.BM25 | None = None
        if len(self.ids):
            self.retriever = bm25s.BM25.load(str(path), mmap=True, show_progress=False, verbosity=0)

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
