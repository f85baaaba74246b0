"""Syndication: articles that are copies of one dispatch (wire copy, lightly edited reprints, translations).

Two tests, either of which puts two articles in one group:

1. near-identical text: MinHash LSH over word shingles finds exact and lightly edited copies (a new
   headline, a trimmed ending, a changed dateline) without comparing every pair;
2. the same dispatch sentence by sentence: a translated or re-edited wire copy shares few exact word
   shingles, but most of its sentences still match a sentence of the other copy (character n-gram TF-IDF
   cosine) *in the same order*. Independent reports of one event state many of the same facts, but they
   neither cover most of each other's sentences nor keep one order throughout, so the share of sentences
   on one in-order chain (a longest increasing subsequence of the matches) tells them apart.

Only the article text is read (not the spaCy analysis), so the store's story list and a brief group the
same articles alike. Grouping is transitive: a translation of a reprint joins the wire copy's group.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import scipy.sparse as sp
from datasketch import MinHash, MinHashLSH
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.preprocessing import normalize

from storyweave import thresholds
from storyweave.analyse.numbers import find_numbers
from storyweave.model import AnalysedArticle

_WORD = re.compile(r"\w+")
# Sentence ends for alignment units: end punctuation (and closing quotes) before a capital or a quote.
# Hand-written rather than spaCy's parser so that grouping needs no analysis; an abbreviation split
# ("Mr. Putin") is harmless, as both copies of a dispatch split the same way.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’»)\]]*\s+(?=[\"“‘«(\[]?[A-Z0-9])")


@lru_cache(maxsize=4)
def _template(seed: int) -> MinHash:
    """An empty MinHash of a seed: its permutations are drawn once per process (not once per article)."""
    return MinHash(num_perm=thresholds.MINHASH_PERMUTATIONS, seed=seed)


def _empty_minhash(seed: int) -> MinHash:
    template = _template(seed)
    return MinHash(
        num_perm=template.num_perm, seed=seed, permutations=template.permutations, scheme=template.scheme
    )


def _minhash(text: str) -> MinHash:
    words = _WORD.findall(text.casefold())
    k = thresholds.SHINGLE_SIZE
    shingles = {" ".join(words[i : i + k]) for i in range(max(1, len(words) - k + 1))}
    mh = _empty_minhash(1)
    # one vectorised update (the minimum over all shingles, so the same values as one update per shingle)
    mh.update_batch([shingle.encode("utf-8") for shingle in shingles])
    return mh


def sentence_units(text: str) -> list[str]:
    """The sentences of an article's text long enough to be matched (``SYNDICATION_MIN_UNIT_WORDS``)."""
    units: list[str] = []
    for paragraph in re.split(r"\n\s*\n|\n", text):
        for piece in _SENTENCE_END.split(paragraph.strip()):
            if len(piece.split()) >= thresholds.SYNDICATION_MIN_UNIT_WORDS:
                units.append(piece.strip())
    return units


def ordered_matches(similarity: np.ndarray, threshold: float) -> list[tuple[int, int]]:
    """The longest chain of sentence matches (score >= ``threshold``) in the same order on both sides, as
    (row, column) pairs: a longest strictly increasing subsequence over the matches sorted by row."""
    rows, cols = np.nonzero(similarity >= threshold)
    # within a row, columns in decreasing order so that one row contributes at most one match
    order = np.lexsort((-cols, rows))
    points = list(zip(rows[order].tolist(), cols[order].tolist(), strict=True))
    tails: list[int] = []  # smallest column ending a chain of each length
    ends: list[int] = []  # index in ``points`` of that chain's last match
    previous: list[int] = []
    for k, (_, col) in enumerate(points):
        at = bisect.bisect_left(tails, col)
        previous.append(ends[at - 1] if at else -1)
        if at == len(tails):
            tails.append(col)
            ends.append(k)
        else:
            tails[at] = col
            ends[at] = k
    chain: list[tuple[int, int]] = []
    k = ends[-1] if ends else -1
    while k >= 0:
        chain.append(points[k])
        k = previous[k]
    return chain[::-1]


@lru_cache(maxsize=8192)
def _figures(text: str) -> dict[str, frozenset[float]]:
    """Values of the counted figures of a sentence, by unit ("killed 15 people": {"person": {15.0}}).
    Cached: an article's text is tested against each of its candidates (treat the result as read-only)."""
    out: dict[str, set[float]] = {}
    for quantity in find_numbers(text):
        if quantity.unit is not None:
            out.setdefault(quantity.unit, set()).add(quantity.value)
    return {unit: frozenset(values) for unit, values in out.items()}


def same_dispatch(
    similarity: np.ndarray, left: Sequence[str] | None = None, right: Sequence[str] | None = None
) -> bool:
    """Whether a sentence-similarity block (rows: one article's sentences ``left``, columns: the other's
    ``right``) shows one dispatch: enough matches in one order, covering most of the shorter article, and
    no different figure of the same thing, in a matched pair or in the articles as a whole (a copy or a
    translation keeps the dispatch's figures; an independent report along the same story line has its
    own)."""
    shorter = min(similarity.shape) if similarity.size else 0
    if shorter == 0:
        return False
    chain = ordered_matches(similarity, thresholds.SYNDICATION_SENTENCE_SIMILARITY)
    if len(chain) < thresholds.SYNDICATION_MIN_SENTENCES:
        return False
    if len(chain) / shorter < thresholds.SYNDICATION_ORDERED_SHARE:
        return False
    if left is None or right is None:
        return True
    # the articles' figures: a kind of figure both state must share a value ("3,000 jobs" vs "300 jobs")
    whole_left, whole_right = _figures(" ".join(left)), _figures(" ".join(right))
    if any(not whole_left[unit] & whole_right[unit] for unit in whole_left.keys() & whole_right.keys()):
        return False
    for i, j in chain:
        ours, theirs = _figures(left[i]), _figures(right[j])
        if any(ours[unit] != theirs[unit] for unit in ours.keys() & theirs.keys()):
            return False
    return True


@lru_cache(maxsize=4)
def _lsh_bands(threshold: float, permutations: int) -> tuple[int, int]:
    """LSH (bands, rows) for a Jaccard threshold: datasketch derives them by numeric integration on every
    index it builds (about 9-37 ms), and `storyweave add` rebuilds a story's index for each article."""
    probe = MinHashLSH(threshold=threshold, num_perm=permutations)
    return probe.b, probe.r


def syndication_groups(docs: Sequence[AnalysedArticle]) -> dict[str, str]:
    """Map each article id to its syndication group id (the group's smallest article id).

    Near copies come from MinHash LSH over word shingles (estimated Jaccard at least
    ``thresholds.SYNDICATION_JACCARD``); the sentence-order test then runs on each article's
    ``SYNDICATION_CANDIDATES`` most similar articles only, so neither step compares every pair.
    """
    ids = sorted(d.article.id for d in docs)
    text_of = {d.article.id: d.article.text for d in docs}
    parent = {a: a for a in ids}

    def find(a: str) -> str:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    def join(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        parent[max(ra, rb)] = min(ra, rb)

    hashes = {a: _minhash(text_of[a]) for a in ids}
    lsh = MinHashLSH(
        threshold=thresholds.SYNDICATION_JACCARD,
        num_perm=thresholds.MINHASH_PERMUTATIONS,
        params=_lsh_bands(thresholds.SYNDICATION_JACCARD, thresholds.MINHASH_PERMUTATIONS),
    )
    for article_id in ids:
        mh = hashes[article_id]
        for other in lsh.query(mh):
            if (
                find(other) != find(article_id)
                and mh.jaccard(hashes[other]) >= thresholds.SYNDICATION_JACCARD
            ):
                join(article_id, other)
        lsh.insert(article_id, mh)

    index = _SentenceIndex({a: sentence_units(text_of[a]) for a in ids})
    for a, b in index.candidates():
        if find(a) != find(b) and same_dispatch(index.block(a, b), index.units[a], index.units[b]):
            join(a, b)
    return {a: find(a) for a in ids}


def _char_tfidf(texts: Sequence[str]) -> tuple[sp.csr_matrix, np.ndarray] | None:
    """The rows ``TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)`` gives the
    texts, kept once per distinct text: (one row per distinct text, the row of each text); None when the
    texts hold no n-gram. The copies of a dispatch repeat most sentences, and counting n-grams is the
    cost. Document frequencies are weighted by how often each distinct text occurs, so the statistics
    (smooth idf, sublinear tf, l2 rows) are those of the fit on every text; sklearn has no sample weights
    for this, hence the few lines by hand."""
    distinct, inverse, repeats = np.unique(
        np.asarray(texts, dtype=object), return_inverse=True, return_counts=True
    )
    try:
        counts = CountVectorizer(analyzer="char_wb", ngram_range=(3, 5)).fit_transform(distinct.tolist())
    except ValueError:  # nothing but punctuation
        return None
    counts = sp.csr_matrix(counts, dtype=np.float64)
    present = counts.copy()
    present.data[:] = 1.0
    df = np.asarray(present.T @ repeats.astype(np.float64)).ravel()
    idf = np.log((1.0 + len(texts)) / (1.0 + df)) + 1.0
    counts.data = np.log(counts.data) + 1.0
    weighted = normalize(sp.csr_matrix(counts.multiply(idf[np.newaxis, :])))
    return sp.csr_matrix(weighted), inverse.ravel()


# A story with at most this many distinct sentences, and no more than it has articles (copies repeat
# sentences), compares sentences through their dense cosine matrix (at most 2,000^2 float64 = 32 MB):
# article closeness and every pair's block are then read off it instead of multiplied per pair.
GRAM_MAX_SENTENCES = 2_000


class _SentenceIndex:
    """Character n-gram TF-IDF vectors of every article's sentences, fitted on the articles together."""

    def __init__(self, units: dict[str, list[str]]) -> None:
        self.units = units
        self.ids = [a for a in sorted(units) if len(units[a]) >= thresholds.SYNDICATION_MIN_SENTENCES]
        self.spans: dict[str, tuple[int, int]] = {}
        start = 0
        for a in self.ids:
            self.spans[a] = (start, start + len(units[a]))
            start += len(units[a])
        flat = [u.casefold() for a in self.ids for u in units[a]]
        self.vectors: Any = None  # one row per distinct sentence
        self.row_of = np.zeros(0, dtype=np.int64)  # the row of each sentence, in ``spans`` order
        self.gram: np.ndarray | None = None  # cosine of every two distinct sentences, when few
        if len(self.ids) >= 2:
            fitted = _char_tfidf(flat)
            if fitted is not None:
                self.vectors, self.row_of = fitted
                distinct = self.vectors.shape[0]
                # with many copies the articles share most sentences: one small sentence x sentence
                # product replaces the article x article product over n-grams and the per-pair blocks
                if distinct <= min(GRAM_MAX_SENTENCES, len(self.ids)):
                    self.gram = np.asarray((self.vectors @ self.vectors.T).todense())

    def candidates(self) -> list[tuple[str, str]]:
        """Pairs (a < b) where b is among a's ``SYNDICATION_CANDIDATES`` closest articles or vice versa;
        an article's vector is the normalised sum of its sentence vectors."""
        if self.vectors is None:
            return []
        # article x distinct-sentence counts, so the sums stay sparse (a dense article x n-gram matrix
        # was most of a large story's memory)
        lengths = [e - s for s, e in self.spans.values()]
        membership = sp.csr_matrix(
            (np.ones(len(self.row_of)), (np.repeat(np.arange(len(self.ids)), lengths), self.row_of)),
            shape=(len(self.ids), self.vectors.shape[0]),
        )
        if self.gram is not None:
            # the same cosines, summed through the sentences: |sum of rows|^2 = m G m^T
            through = membership @ self.gram  # article x distinct sentence
            raw = np.asarray(membership @ through.T).T
            norms = np.sqrt(np.clip(np.diag(raw), 0.0, None))
            norms[norms == 0.0] = 1.0  # an article with no n-gram stays at 0, as normalize leaves it
            closeness = raw / norms[:, np.newaxis] / norms[np.newaxis, :]
        else:
            articles = normalize(membership @ self.vectors)
            closeness = np.asarray((articles @ articles.T).todense())
        np.fill_diagonal(closeness, -1.0)
        pairs: set[tuple[str, str]] = set()
        for i, a in enumerate(self.ids):
            nearest = np.argsort(-closeness[i], kind="stable")[: thresholds.SYNDICATION_CANDIDATES]
            for j in nearest.tolist():
                if closeness[i, j] > 0:
                    b = self.ids[j]
                    pairs.add((a, b) if a < b else (b, a))
        return sorted(pairs)

    def block(self, a: str, b: str) -> np.ndarray:
        """Cosine of every sentence of ``a`` (rows) with every sentence of ``b`` (columns)."""
        (sa, ea), (sb, eb) = self.spans[a], self.spans[b]
        if self.gram is not None:
            return self.gram[np.ix_(self.row_of[sa:ea], self.row_of[sb:eb])]
        left, right = self.vectors[self.row_of[sa:ea]], self.vectors[self.row_of[sb:eb]]
        return np.asarray((left @ right.T).todense())


# -- incremental syndication (the store's `add`) ----------------------------------------------------------


@dataclass
class SyndicationSignature:
    """What incremental syndication keeps of an article, computed once: MinHash values over its word
    shingles (copies) and over its words and word pairs (a cheap closeness for translations), and hashes
    of its normalised sentences."""

    words: np.ndarray  # uint64, MINHASH_PERMUTATIONS values
    chars: np.ndarray  # uint64, MINHASH_PERMUTATIONS values
    sentences: list[int]  # signed 64-bit hashes

    def lookup_keys(self) -> list[int]:
        """Lookup keys: one per LSH band of the word MinHash (two copies share a band with high
        probability once their Jaccard passes SYNDICATION_JACCARD) and one per sentence."""
        bands, rows = _lsh_bands(thresholds.SYNDICATION_JACCARD, thresholds.MINHASH_PERMUTATIONS)
        out = [_hash64(b"b%d:" % i + self.words[i * rows : (i + 1) * rows].tobytes()) for i in range(bands)]
        return out + self.sentences

    def sentence_bytes(self) -> bytes:
        return np.asarray(self.sentences, dtype="<i8").tobytes()


def _hash64(data: bytes) -> int:
    """A signed 64-bit hash (fits an SQLite INTEGER)."""
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little", signed=True)


def _normal_sentence(text: str) -> bytes:
    return b"s:" + " ".join(_WORD.findall(text.casefold())).encode("utf-8")


def syndication_signature(text: str) -> SyndicationSignature:
    """An article's syndication signature (see :class:`SyndicationSignature`)."""
    words = _WORD.findall(text.casefold())
    pairs = {f"{a} {b}" for a, b in itertools.pairwise(words)} | set(words)
    loose = _empty_minhash(2)
    loose.update_batch([p.encode("utf-8") for p in sorted(pairs)] or [b""])
    return SyndicationSignature(
        words=np.asarray(_minhash(text).hashvalues, dtype="<u8"),
        chars=np.asarray(loose.hashvalues, dtype="<u8"),
        sentences=[_hash64(_normal_sentence(u)) for u in sentence_units(text)],
    )


def minhash_from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<u8")


def texts_same_dispatch(left_text: str, right_text: str) -> bool:
    """The sentence-order test of :func:`same_dispatch` on two texts (character n-gram TF-IDF fitted on
    their sentences)."""
    left, right = sentence_units(left_text), sentence_units(right_text)
    if min(len(left), len(right)) < thresholds.SYNDICATION_MIN_SENTENCES:
        return False
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
    try:
        vectors = vectorizer.fit_transform([u.casefold() for u in [*left, *right]])
    except ValueError:
        return False
    block = np.asarray((vectors[: len(left)] @ vectors[len(left) :].T).todense())
    return same_dispatch(block, left, right)


def add_to_syndication(
    article_id: str,
    text: str,
    signature: SyndicationSignature,
    groups: dict[str, str],
    key_matches: dict[str, int],
    signatures: dict[str, tuple[np.ndarray, np.ndarray]],
    texts_of: Callable[[list[str]], dict[str, str]],
) -> dict[str, str]:
    """A story's syndication groups (article id -> group id, the group's smallest article id) after
    adding one article, comparing it with its candidates only: the members sharing an LSH band or a
    sentence with it (``key_matches``, from an index) are copies when their word MinHashes agree on
    SYNDICATION_JACCARD of the values; the SYNDICATION_CANDIDATES members closest by the looser MinHash,
    and those sharing a sentence, take the sentence-order test. ``signatures`` holds the members'
    (word, loose) MinHashes; ``texts_of`` reads the texts of the few members the test needs."""
    joined: set[str] = set()
    for other in sorted(key_matches):
        stored = signatures.get(other)
        agree = 0.0 if stored is None else float(np.mean(stored[0] == signature.words))
        if agree >= thresholds.SYNDICATION_JACCARD:
            joined.add(groups.get(other, other))
    ids = sorted(signatures)
    nearest: list[str] = []
    if ids:
        loose = np.vstack([signatures[a][1] for a in ids])
        closeness = (loose == signature.chars).mean(axis=1)
        order = np.argsort(-closeness, kind="stable")[: thresholds.SYNDICATION_CANDIDATES]
        nearest = [ids[i] for i in order.tolist() if closeness[i] > 0]
    # members sharing the most keys first (sentences of the same dispatch), then the loosely closest; one
    # member per syndication group, at most SYNDICATION_CANDIDATES in all
    by_shared = sorted(key_matches, key=lambda a: (-key_matches[a], a))
    to_test: list[str] = []
    tested_groups = set(joined)
    for other in [*by_shared, *nearest]:
        group = groups.get(other, other)
        if group in tested_groups:
            continue
        tested_groups.add(group)
        to_test.append(other)
        if len(to_test) >= thresholds.SYNDICATION_CANDIDATES:
            break
    if to_test:
        texts = texts_of(to_test)
        for other in to_test:
            if other in texts and texts_same_dispatch(text, texts[other]):
                joined.add(groups.get(other, other))
    out = dict(groups)
    target = min([article_id, *joined])
    if joined:
        for member, group in groups.items():
            if group in joined:
                out[member] = target
    out[article_id] = target
    return out
