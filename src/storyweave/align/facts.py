"""Align sentences across the articles of a story into facts.

A fact is a cluster of sentences, at most one per article, built greedily from the most similar
cross-article pairs with an average-linkage guard. Similarity mixes a character n-gram TF-IDF cosine
(robust to inflection, spelling variants and close translations) with agreement on named entities, and
optionally a dense sentence-model cosine (off by default: bench/alignment.py measured it not to pay).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from storyweave import thresholds
from storyweave.align.dense import load_encoder
from storyweave.model import AnalysedArticle, Fact, Sentence, Story, Variant

_BRACKETS = re.compile(r"\[[^\]]*\]")
_PRONOUN_START = re.compile(r"^[“\"']?(he|she|they|it|his|her|their|this|that|these|those)\b", re.I)


def is_heading(sentence: Sentence, paragraph_sizes: Mapping[tuple[str, int], int]) -> bool:
    """A crosshead such as "- 'Blood alliance' -" or "Leader's whereabouts ‘uncertain’": alone in its
    paragraph, short, and not ending a sentence (a closing quote counts only after . ! ? or ,)."""
    text = sentence.text.rstrip()
    alone = paragraph_sizes.get((sentence.article_id, sentence.paragraph), 1) == 1
    core = text.rstrip("\"”’'»)")
    ends_sentence = core[-1:] in ".!?" or (core != text and core[-1:] == ",")
    return alone and len(text.split()) <= 12 and not ends_sentence


def alignable(docs: Sequence[AnalysedArticle]) -> list[Sentence]:
    """The sentences that may join a fact: long enough, and not crossheads."""
    paragraph_sizes: dict[tuple[str, int], int] = {}
    for d in docs:
        for s in d.sentences:
            key = (s.article_id, s.paragraph)
            paragraph_sizes[key] = paragraph_sizes.get(key, 0) + 1
    return [
        s
        for d in docs
        for s in d.sentences
        if len(s.text.split()) >= thresholds.FACT_MIN_WORDS and not is_heading(s, paragraph_sizes)
    ]


def sentence_similarity(
    texts: Sequence[str],
    entity_sets: Sequence[frozenset[str]] | None = None,
    embeddings: np.ndarray | None = None,
) -> np.ndarray:
    """Pairwise similarity in [0, 1] of the given sentences (symmetric, diagonal 1).

    The character TF-IDF is fitted on ``texts`` (a story's sentences), so shared rare n-grams weigh most.
    ``embeddings`` (unit rows, one per text) mix in their cosine with ``thresholds.FACT_DENSE_WEIGHT``.
    """
    if not texts:
        return np.zeros((0, 0))
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
    try:
        vectors = vectorizer.fit_transform([t.casefold() for t in texts])
    except ValueError:  # nothing but punctuation/whitespace
        return np.eye(len(texts))
    score = np.asarray((vectors @ vectors.T).todense(), dtype=np.float64)
    if entity_sets is not None:
        w = thresholds.FACT_ENTITY_WEIGHT
        n = len(texts)
        ent = np.zeros((n, n))
        for i in range(n):
            for j in range(i + 1, n):
                a, b = entity_sets[i], entity_sets[j]
                if a and b:
                    ent[i, j] = ent[j, i] = len(a & b) / len(a | b)
        has = np.array([bool(s) for s in entity_sets])
        both = np.outer(has, has)
        score = np.where(both, (1 - w) * score + w * ent, score)
    if embeddings is not None:
        dense = np.clip(embeddings @ embeddings.T, 0.0, 1.0)
        score = (1 - thresholds.FACT_DENSE_WEIGHT) * score + thresholds.FACT_DENSE_WEIGHT * dense
    np.fill_diagonal(score, 1.0)
    return score


def clean_score(text: str) -> int:
    """How presentable a sentence is as a fact's wording (higher is better)."""
    score = 0
    if _BRACKETS.search(text):
        score -= 2  # translator/editor insertions like "[M. Poutine]"
    if _PRONOUN_START.match(text):
        score -= 1  # "He said..." reads badly without its antecedent
    return score


def _cluster(nodes: list[Sentence], score: np.ndarray, threshold: float) -> list[list[int]]:
    """Greedy average-linkage clustering with at most one sentence per article per cluster."""
    n = len(nodes)
    cluster_of = list(range(n))
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    articles: dict[int, set[str]] = {i: {nodes[i].article_id} for i in range(n)}
    iu, ju = np.triu_indices(n, k=1)
    pair_scores = score[iu, ju]
    order = np.argsort(-pair_scores, kind="stable")
    floor = threshold * thresholds.FACT_AVERAGE_FACTOR
    for k in order:
        if pair_scores[k] < threshold:
            break
        a, b = cluster_of[iu[k]], cluster_of[ju[k]]
        if a == b or articles[a] & articles[b]:
            continue
        if score[np.ix_(members[a], members[b])].mean() < floor:
            continue
        for m in members[b]:
            cluster_of[m] = a
        members[a].extend(members.pop(b))
        articles[a] |= articles.pop(b)
    return [sorted(m) for m in members.values()]


def align_facts(
    docs: Sequence[AnalysedArticle],
    story: Story,
    entities_of: Mapping[str, frozenset[str]] | None = None,
    dates_of: Mapping[str, frozenset[str]] | None = None,
) -> list[Fact]:
    """Facts of a story, most independently corroborated first.

    ``entities_of`` and ``dates_of`` map a sentence id to the entity ids and resolved ISO dates it holds.
    """
    entities_of = entities_of or {}
    dates_of = dates_of or {}
    nodes = alignable(docs)
    if not nodes:
        return []
    sizes = {d.article.id: max(1, len(d.sentences)) for d in docs}
    entity_sets = [entities_of.get(s.id, frozenset()) for s in nodes]
    texts = [s.text for s in nodes]
    encoder = load_encoder() if thresholds.FACT_DENSE_WEIGHT > 0 else None
    embeddings = encoder.encode(texts) if encoder is not None else None
    score = sentence_similarity(texts, entity_sets, embeddings)
    clusters = _cluster(nodes, score, thresholds.FACT_SIMILARITY)

    facts: list[Fact] = []
    for cluster in clusters:
        sents = [nodes[i] for i in cluster]
        if len(cluster) > 1:
            sub = score[np.ix_(cluster, cluster)]
            centrality = sub.mean(axis=1)
        else:
            centrality = np.ones(1)
        best = max(
            range(len(sents)),
            key=lambda i: (clean_score(sents[i].text), float(centrality[i]), -sents[i].index),
        )
        sources = sorted({s.article_id for s in sents})
        facts.append(
            Fact(
                id="",
                text=sents[best].text,
                sources=sources,
                independent_sources=story.independent(sources),
                variants=[
                    Variant(source=s.article_id, text=s.text, sentence_id=s.id)
                    for s in sorted(sents, key=lambda s: (s.article_id, s.index))
                ],
                entities=sorted({e for s in sents for e in entities_of.get(s.id, frozenset())}),
                dates=sorted({d for s in sents for d in dates_of.get(s.id, frozenset())}),
                position=min(s.index / sizes[s.article_id] for s in sents),
            )
        )
    facts.sort(key=lambda f: (-f.independent_sources, -len(f.sources), f.position, f.text))
    for number, fact in enumerate(facts, start=1):
        fact.id = f"F{number}"
    return facts
