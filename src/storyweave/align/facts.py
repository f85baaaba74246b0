"""Align the claims of a story's articles into facts.

Units are claims (whole sentences where analysis found none, see ``units.py``); candidate pairs are each
unit's top-k neighbours by sparse word TF-IDF (``candidates.py``); a learned, calibrated scorer gives each
pair the probability that both state the same claim (``features.py``, ``scorer.py``); greedy average
linkage joins them, at most one unit per article (``cluster.py``); each fact says how it is corroborated
(``corroboration.py``). No step builds an n x n matrix.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np

from storyweave.align.candidates import candidate_pairs
from storyweave.align.cluster import cluster_units
from storyweave.align.corroboration import corroboration
from storyweave.align.dedupe import centrality, collapse, expand
from storyweave.align.embed import load_embedder
from storyweave.align.features import FEATURES, PairSpace
from storyweave.align.scorer import Scorer, load_scorer
from storyweave.align.units import Unit, alignable, build_units, is_heading, unit_slots
from storyweave.model import AnalysedArticle, Fact, Story, Variant

__all__ = ["align_facts", "alignable", "clean_score", "is_heading", "pair_scorer"]

_BRACKETS = re.compile(r"\[[^\]]*\]")
_PRONOUN_START = re.compile(r"^[“\"']?(he|she|they|it|his|her|their|this|that|these|those)\b", re.I)
_QUOTE_CLASH = FEATURES.index("quote_clash")


def clean_score(text: str) -> int:
    """How presentable a sentence is as a fact's wording (higher is better)."""
    score = 0
    if _BRACKETS.search(text):
        score -= 2  # translator/editor insertions like "[M. Poutine]"
    if _PRONOUN_START.match(text):
        score -= 1  # "He said..." reads badly without its antecedent
    return score


def pair_scorer(space: PairSpace, scorer: Scorer):  # type: ignore[no-untyped-def]
    """Calibrated probabilities for pairs of ``space``; two sentences quoting different words never join
    (a shared speaker is not a shared claim)."""

    def score(i: np.ndarray, j: np.ndarray) -> np.ndarray:
        x = space.features(i, j)
        p = scorer.probability(x)
        p[x[:, _QUOTE_CLASH] > 0] = 0.0
        return p

    return score


def _fact(units: list[Unit], centrality: list[float], story: Story, sizes: Mapping[str, int]) -> Fact:
    sentences = {u.sentence.id: u.sentence for u in units}.values()
    best = max(
        range(len(units)),
        key=lambda k: (clean_score(units[k].sentence.text), centrality[k], -units[k].sentence.index),
    )
    sources = sorted({u.article_id for u in units})
    return Fact(
        id="",
        text=units[best].sentence.text,
        sources=sources,
        independent_sources=story.independent(sources),
        variants=[
            Variant(source=s.article_id, text=s.text, sentence_id=s.id)
            for s in sorted(sentences, key=lambda s: (s.article_id, s.index))
        ],
        entities=sorted({e for u in units for e in u.entities}),
        dates=sorted({d for u in units for d in u.dates}),
        position=min(u.sentence.index / sizes[u.article_id] for u in units),
        corroboration=corroboration(units, story),
        claim_ids=sorted(u.id for u in units if u.claim is not None),
    )


def align_facts(
    docs: Sequence[AnalysedArticle],
    story: Story,
    entities_of: Mapping[str, frozenset[str]] | None = None,
    dates_of: Mapping[str, frozenset[str]] | None = None,
) -> list[Fact]:
    """Facts of a story, most independently corroborated first.

    ``entities_of`` and ``dates_of`` map a sentence id to the entity ids and resolved ISO dates it holds.
    """
    units = build_units(docs, entities_of, dates_of)
    if not units:
        return []
    embedder = load_embedder()
    scorer = load_scorer(lexical=embedder is None)
    # repeated wordings (syndicated copies) are scored and linked once (dedupe.py)
    collapsed = collapse(units)
    distinct = collapsed.representatives
    space = PairSpace(
        [u.text for u in distinct],
        [u.entities for u in distinct],
        [u.quote for u in distinct],
        embedder,
        [unit_slots(u) for u in distinct],
    )
    score = pair_scorer(space, scorer)
    articles = [u.article_id for u in distinct]
    i, j = candidate_pairs(space.word, articles, drop=space.stop_columns)
    linked, known = cluster_units(
        articles, i, j, score(i, j), score, scorer.threshold, sources_of=collapsed.sources
    )
    clusters = expand(collapsed, linked)

    # a sentence with several claims: its claims that joined nothing become one fact, and none at all
    # when another of its claims already cites the sentence in a fact of several sources
    # and two claims of one sentence that joined the claims of one same other sentence are one fact
    joined = {units[m].sentence.id for c in clusters if len(c) > 1 for m in c}
    by_sentences: dict[frozenset[str], list[int]] = {}
    for c in clusters:
        if len(c) == 1 and units[c[0]].sentence.id in joined:
            continue
        by_sentences.setdefault(frozenset(units[m].sentence.id for m in c), []).extend(c)
    groups = list(by_sentences.values())

    sizes = {d.article.id: max(1, len(d.sentences)) for d in docs}
    facts: list[Fact] = []
    for group in groups:
        members = [units[m] for m in group]
        facts.append(_fact(members, centrality(collapsed, group, known), story, sizes))
    facts.sort(key=lambda f: (-f.independent_sources, -len(f.sources), f.position, f.text))
    for number, fact in enumerate(facts, start=1):
        fact.id = f"F{number}"
    return facts
