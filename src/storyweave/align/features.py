"""Pair features for the alignment scorer, computed only for the pairs asked for (never n x n).

:class:`PairSpace` is fitted once on all units of a story (the TF-IDF and BM25 statistics are the
story's, so words every report repeats weigh little) and then gives a feature row for any list of pairs.
The same class builds the training rows in ``bench/train_alignment.py``, so training and use agree.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer, TfidfVectorizer
from sklearn.preprocessing import normalize

from storyweave.align.embed import DIMENSIONS, Embedder

FEATURES: tuple[str, ...] = (
    "word",  # word TF-IDF cosine (stop words out)
    "char",  # character 3-5-gram TF-IDF cosine: inflection, spelling and transliteration variants
    "bm25",  # cosine of BM25-weighted term vectors: saturates repeated words, favours short units
    "embed",  # wordllama static-embedding cosine: paraphrases with different words
    "entities",  # Jaccard of the entity ids both units' sentences name (0 when either names none)
    "entity_clash",  # both name entities, none in common
    "numbers",  # Jaccard of the numbers written in both units
    "number_clash",  # both hold numbers, none in common
    "quote",  # Jaccard of the content words both sentences quote
    "quote_clash",  # both quote someone, with (almost) no quoted words in common
    "short",  # 1 / words of the shorter unit: a fragment says too little to join on
    "length_ratio",  # shorter / longer unit, in words
    "embed_x_word",  # embedding agreement backed by shared words
)

TOKEN = r"(?u)\b\w[\w'-]*\b"
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_WORD = re.compile(TOKEN)
_STOP = frozenset(ENGLISH_STOP_WORDS)
BM25_K1 = 1.2  # the usual Okapi constants (Robertson & Zaragoza 2009)
BM25_B = 0.75
QUOTE_CLASH_OVERLAP = 0.2


def numbers_in(text: str) -> frozenset[str]:
    """Numbers as written, without thousands separators ("10,000" -> "10000")."""
    return frozenset(m.replace(",", "") for m in _NUMBER.findall(text))


def content_words(text: str) -> frozenset[str]:
    """Lower-case words of a text without stop words."""
    return frozenset(w for w in _WORD.findall(text.casefold()) if w not in _STOP)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> tuple[float, float]:
    """(Jaccard, clash): (0, 0) when either set is empty; clash 1 when both are set and disjoint."""
    if not a or not b:
        return 0.0, 0.0
    shared = len(a & b)
    return shared / len(a | b), float(shared == 0)


def _row_dots(x: sp.csr_matrix, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Dot products of rows i[k] and j[k] of a row-normalised sparse matrix (cosines)."""
    if len(i) == 0:
        return np.zeros(0)
    return np.asarray(x[i].multiply(x[j]).sum(axis=1)).ravel()


def bm25_matrix(texts: Sequence[str]) -> sp.csr_matrix:
    """Rows of BM25 term weights (L2-normalised) for the texts, statistics from the texts themselves."""
    counts = CountVectorizer(token_pattern=TOKEN, stop_words="english").fit_transform(texts)
    counts = sp.csr_matrix(counts, dtype=np.float64)
    n = counts.shape[0]
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    idf = np.log1p((n - df + 0.5) / (df + 0.5))
    lengths = np.asarray(counts.sum(axis=1)).ravel()
    norm = BM25_K1 * (1 - BM25_B + BM25_B * lengths / max(float(lengths.mean()), 1.0))
    rows = np.repeat(np.arange(n), np.diff(counts.indptr))
    tf = counts.data
    counts.data = idf[counts.indices] * tf * (BM25_K1 + 1) / (tf + norm[rows])
    return normalize(counts)


class PairSpace:
    """Everything the scorer compares, fitted on one pool of units (a story)."""

    def __init__(
        self,
        texts: Sequence[str],
        entities: Sequence[frozenset[str]] | None = None,
        quotes: Sequence[str | None] | None = None,
        embedder: Embedder | None = None,
    ) -> None:
        n = len(texts)
        folded = [t.casefold() for t in texts]
        self.word = self._fit(
            TfidfVectorizer(token_pattern=TOKEN, stop_words="english", sublinear_tf=True), folded
        )
        self.char = self._fit(
            TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True), folded
        )
        try:
            self.bm25 = bm25_matrix(folded)
        except ValueError:  # nothing but stop words and punctuation
            self.bm25 = sp.csr_matrix((n, 1))
        self.embeddings = (
            embedder.encode(texts) if embedder is not None else np.zeros((n, DIMENSIONS), np.float32)
        )
        self.entities = list(entities) if entities is not None else [frozenset()] * n
        self.numbers = [numbers_in(t) for t in texts]
        self.quotes = [content_words(q) if q else frozenset() for q in (quotes or [None] * n)]
        self.words = np.array([max(1, len(t.split())) for t in texts], dtype=np.float64)

    @staticmethod
    def _fit(vectorizer: TfidfVectorizer, texts: list[str]) -> sp.csr_matrix:
        try:
            return sp.csr_matrix(vectorizer.fit_transform(texts))
        except ValueError:  # an empty vocabulary: no pair shares anything
            return sp.csr_matrix((len(texts), 1))

    def features(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """One row of FEATURES per pair (i[k], j[k])."""
        i = np.asarray(i, dtype=np.int64)
        j = np.asarray(j, dtype=np.int64)
        out = np.zeros((len(i), len(FEATURES)))
        out[:, 0] = _row_dots(self.word, i, j)
        out[:, 1] = _row_dots(self.char, i, j)
        out[:, 2] = _row_dots(self.bm25, i, j)
        out[:, 3] = np.clip(np.einsum("ij,ij->i", self.embeddings[i], self.embeddings[j]), 0.0, 1.0)
        for k, (a, b) in enumerate(zip(i.tolist(), j.tolist(), strict=True)):
            out[k, 4:6] = _jaccard(self.entities[a], self.entities[b])
            out[k, 6:8] = _jaccard(self.numbers[a], self.numbers[b])
            qa, qb = self.quotes[a], self.quotes[b]
            if qa and qb:
                overlap = len(qa & qb) / len(qa | qb)
                out[k, 8] = overlap
                out[k, 9] = float(overlap < QUOTE_CLASH_OVERLAP)
        shorter = np.minimum(self.words[i], self.words[j])
        out[:, 10] = 1.0 / shorter
        out[:, 11] = shorter / np.maximum(self.words[i], self.words[j])
        out[:, 12] = out[:, 3] * out[:, 0]
        return out
