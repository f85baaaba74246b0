"""Headline and extractive summary: the best-corroborated facts, without redundancy, in story order."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from storyweave import thresholds
from storyweave.align.facts import clean_score
from storyweave.model import Fact, SummarySentence

_WS = re.compile(r"\s+")
_QUOTE_CHARS = '"“”«»„'


def tidy(text: str) -> str:
    """Whitespace collapsed, trailing sentence punctuation of a headline dropped."""
    return _WS.sub(" ", text).strip().rstrip(".").strip()


def _tfidf_cosine(texts: Sequence[str]) -> np.ndarray:
    try:
        vectors = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)
    except ValueError:  # only stop words
        return np.eye(len(texts))
    return np.asarray((vectors @ vectors.T).todense())


def choose_headline(titles: Sequence[str], facts: Sequence[Fact]) -> str:
    """The title closest to the consensus of all titles and the top facts; else the top fact's wording.

    Every title votes (a lowercased copy still supports its original), but only properly cased titles can
    win: a headline must not read "vladimir putin and kim jong un...".
    """
    voters = [tidy(t) for t in titles if t and t.strip()]
    candidates = [t for t in voters if not t.islower()] or voters
    if not candidates:
        return tidy(facts[0].text) if facts else "Untitled story"
    if len(candidates) == 1:
        return candidates[0]
    context = " ".join(f.text for f in facts[:5])
    sim = _tfidf_cosine([t.casefold() for t in (*candidates, *voters, context)])
    n, m = len(candidates), len(voters)
    # mean similarity to the other voters (a candidate is also a voter: subtract its self-similarity)
    support = (sim[:n, n : n + m].sum(axis=1) - 1.0) / max(1, m - 1)
    consensus = support + sim[:n, n + m]
    best = max(range(n), key=lambda i: (float(consensus[i]), -len(candidates[i])))
    return candidates[best]


def fact_weight(fact: Fact) -> float:
    """Ranking weight of a fact for the summary: independent support first, then the lead position."""
    return fact.independent_sources + 0.25 * len(fact.sources) + 0.75 * (1.0 - fact.position)


def _summarisable(fact: Fact) -> bool:
    """A full declarative sentence: not a question, and not a heading or fragment without an ending."""
    words = fact.text.split()
    if len(words) < 6 or fact.text.rstrip().endswith("?"):
        return False
    return fact.text[-1:] in ".!\"”'’»)" or len(words) >= 12


def choose_variant(fact: Fact, avoid: Sequence[str] = ()) -> str:
    """The fact's most presentable wording: no translator brackets, no suspect spellings, no dangling
    pronoun at the start; ties keep the fact's representative text."""

    def rank(text: str) -> tuple[int, int, int]:
        suspect = sum(1 for a in avoid if a and a in text)
        return (clean_score(text) - 2 * suspect, text == fact.text, -abs(len(text) - 160))

    return max((v.text for v in fact.variants), key=rank, default=fact.text)


def choose_summary(
    facts: Sequence[Fact], length: int = thresholds.SUMMARY_SENTENCES, avoid: Sequence[str] = ()
) -> list[SummarySentence]:
    """Up to ``length`` cited sentences: greedy by fact weight, skipping near-repeats, then story order.

    ``avoid`` holds spellings (suspect aliases) whose sentences are chosen only when no cleaner
    variant exists.
    """
    pool = sorted((f for f in facts if _summarisable(f)), key=fact_weight, reverse=True)
    if not pool:
        return []
    texts = [choose_variant(f, avoid) for f in pool]
    sim = _tfidf_cosine(texts)
    chosen: list[int] = []
    for i in range(len(pool)):
        if len(chosen) >= length:
            break
        if any(sim[i, j] >= thresholds.SUMMARY_REDUNDANCY for j in chosen):
            continue
        chosen.append(i)
    chosen.sort(key=lambda i: (pool[i].position, -fact_weight(pool[i])))
    return [SummarySentence(text=texts[i], sources=list(pool[i].sources), fact_id=pool[i].id) for i in chosen]
