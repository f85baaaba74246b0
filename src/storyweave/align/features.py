"""Pair features for the alignment scorer, computed only for the pairs asked for (never n x n).

:class:`PairSpace` is fitted once on all units of a story (the TF-IDF statistics are the
story's, so words every report repeats weigh little) and then gives a feature row for any list of pairs.
The same class builds the training rows in ``bench/train_alignment.py``, so training and use agree.
Every feature is computed; ``scorer.json`` names the ones its model uses (a subset, see scorer.py).
A BM25-weighted cosine was tried and dropped: it added nothing to the out-of-fold ROC-AUC on the dev pairs
(claim pairs 0.902 with and without it, ECB+ 0.706 without vs 0.703 with) and cost a third vectoriser.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

from storyweave.align.embed import DIMENSIONS, Embedder
from storyweave.text.lexicon import word_set

FEATURES: tuple[str, ...] = (
    "word",  # word TF-IDF cosine
    "char",  # character 3-5-gram TF-IDF cosine: inflection, spelling and transliteration variants
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
    # the claims' slots from analyse (predicate lemma, subject head): two claims sharing names and words
    # but saying different things ("He was received by Putin" / "Putin was the first Russian head of state
    # to visit") differ in their predicates
    "slots",  # both units are parsed claims with a predicate
    "predicate",  # 1 for one predicate lemma, else the wordllama cosine of the two lemmas (0 without slots)
    "subject_known",  # both subjects are named (not a pronoun or missing)
    "subject",  # 1 for one subject head (or a shared word of two names), else their wordllama cosine
)

TOKEN = r"(?u)\b\w[\w'-]*\b"
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_WORD = re.compile(TOKEN)
_STOP = frozenset(ENGLISH_STOP_WORDS)
QUOTE_CLASH_OVERLAP = 0.2
# a pronoun subject says nothing about who the claim is about (its antecedent is not resolved)
_PRONOUNS = word_set(
    "i you he she it we they me him her us them this that these those who which what there one"
)
ROW_CHUNK = 4096


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
    """Dot products of rows i[k] and j[k] of a row-normalised sparse matrix (cosines), a chunk of pairs at a
    time so the gathered rows never hold more than ROW_CHUNK pairs."""
    out = np.zeros(len(i))
    for start in range(0, len(i), ROW_CHUNK):
        a, b = i[start : start + ROW_CHUNK], j[start : start + ROW_CHUNK]
        out[start : start + len(a)] = np.asarray(x[a].multiply(x[b]).sum(axis=1)).ravel()
    return out


class PairSpace:
    """Everything the scorer compares, fitted on one pool of units (a story)."""

    def __init__(
        self,
        texts: Sequence[str],
        entities: Sequence[frozenset[str]] | None = None,
        quotes: Sequence[str | None] | None = None,
        embedder: Embedder | None = None,
        slots: Sequence[tuple[str, str | None] | None] | None = None,
    ) -> None:
        """``slots``: each unit's (predicate lemma, subject head) when it is a parsed claim, else None."""
        n = len(texts)
        folded = [t.casefold() for t in texts]
        # stop words stay in: "largest exporter of steel to" and "largest steel exporter to" share them, and
        # keeping them scored better on both "same claim" dev sets (claim pairs 0.891 vs 0.883 out-of-fold,
        # NAnCo 0.890 vs 0.886); the candidate index leaves them out (``stop_columns``)
        words = TfidfVectorizer(sublinear_tf=True)
        self.word = self._fit(words, folded)
        vocabulary = words.get_feature_names_out() if hasattr(words, "vocabulary_") else []
        self.stop_columns = np.array([t in _STOP for t in vocabulary], dtype=bool)
        self.char = self._fit(
            TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True), folded
        )
        self.embeddings = (
            embedder.encode(texts) if embedder is not None else np.zeros((n, DIMENSIONS), np.float32)
        )
        self.entities = list(entities) if entities is not None else [frozenset()] * n
        self.numbers = [numbers_in(t) for t in texts]
        self.quotes = [content_words(q) if q else frozenset() for q in (quotes or [None] * n)]
        self.words = np.array([max(1, len(t.split())) for t in texts], dtype=np.float64)
        self.slots = list(slots) if slots is not None else [None] * n
        self._heads = self._head_vectors(embedder)

    def _head_vectors(self, embedder: Embedder | None) -> dict[str, np.ndarray]:
        """wordllama vectors of every predicate lemma and subject head (few distinct words per story)."""
        heads = sorted({w for s in self.slots if s is not None for w in (s[0], _subject(s[1])) if w})
        if embedder is None or not heads:
            return {}
        return dict(zip(heads, embedder.encode(heads), strict=True))

    def _similar(self, a: str, b: str) -> float:
        """1 for one word, else the cosine of their vectors (0 without the embedder)."""
        if a == b:
            return 1.0
        va, vb = self._heads.get(a), self._heads.get(b)
        return float(max(0.0, va @ vb)) if va is not None and vb is not None else 0.0

    def _slot_features(self, a: int, b: int) -> tuple[float, float, float, float]:
        sa, sb = self.slots[a], self.slots[b]
        if sa is None or sb is None:
            return 0.0, 0.0, 0.0, 0.0
        predicate = self._similar(sa[0], sb[0])
        subject_a, subject_b = _subject(sa[1]), _subject(sb[1])
        if not subject_a or not subject_b:
            return 1.0, predicate, 0.0, 0.0
        shared = bool(set(subject_a.split()) & set(subject_b.split()))
        return 1.0, predicate, 1.0, 1.0 if shared else self._similar(subject_a, subject_b)

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
        out[:, 2] = np.clip(np.einsum("ij,ij->i", self.embeddings[i], self.embeddings[j]), 0.0, 1.0)
        for k, (a, b) in enumerate(zip(i.tolist(), j.tolist(), strict=True)):
            out[k, 3:5] = _jaccard(self.entities[a], self.entities[b])
            out[k, 5:7] = _jaccard(self.numbers[a], self.numbers[b])
            qa, qb = self.quotes[a], self.quotes[b]
            if qa and qb:
                overlap = len(qa & qb) / len(qa | qb)
                out[k, 7] = overlap
                out[k, 8] = float(overlap < QUOTE_CLASH_OVERLAP)
        shorter = np.minimum(self.words[i], self.words[j])
        out[:, 9] = 1.0 / shorter
        out[:, 10] = shorter / np.maximum(self.words[i], self.words[j])
        out[:, 11] = out[:, 2] * out[:, 0]
        for k, (a, b) in enumerate(zip(i.tolist(), j.tolist(), strict=True)):
            out[k, 12:16] = self._slot_features(a, b)
        return out


EMBEDDING_FEATURES = ("embed", "embed_x_word")


def without_embedding(x: np.ndarray) -> np.ndarray:
    """Feature rows as :class:`PairSpace` computes them without an embedder: the embedding features 0 and
    the slot similarities exact matches only (for the lexical variant of the scorer)."""
    out = x.copy()
    out[:, [FEATURES.index(f) for f in EMBEDDING_FEATURES]] = 0.0
    for name in ("predicate", "subject"):
        k = FEATURES.index(name)
        out[:, k] = (out[:, k] >= 1.0).astype(np.float64)
    return out


def _subject(head: str | None) -> str | None:
    """A subject head, case-folded, or None for a pronoun or no subject."""
    if not head:
        return None
    folded = head.casefold()
    return None if folded in _PRONOUNS else folded
