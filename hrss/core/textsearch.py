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
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
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
        order = np.argsort(-scores, kind="stable")[:limit]
        return [Hit(self.ids[i], float(scores[i])) for i in order if scores[i] > 0]


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
