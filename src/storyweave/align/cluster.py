"""Join scored candidate pairs into facts: greedy average linkage, at most one unit per article.

Connected components of the "above threshold" graph would chain two different claims through one
bridging unit (the failure seen before: two short quotations of one speaker ending in one fact). Here the
strongest pairs are taken first, and two clusters merge only when the average calibrated probability over
their cross pairs still reaches a floor and no cross pair falls below a lower floor (the weakest link: a
high average can hide one unit that states something else). Missing cross pairs (not among the top-k
candidates) are scored on demand; for large clusters the average is estimated on their first
``ALIGN_LINK_SAMPLE`` members (the earliest, most strongly joined ones), so a merge costs at most a
bounded number of pair scores.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from storyweave import thresholds

PairScorer = Callable[[np.ndarray, np.ndarray], np.ndarray]


def cluster_units(
    articles: Sequence[str],
    i: np.ndarray,
    j: np.ndarray,
    probability: np.ndarray,
    score: PairScorer,
    threshold: float,
    average_factor: float = thresholds.FACT_AVERAGE_FACTOR,
    link_factor: float = thresholds.FACT_WEAKEST_LINK_FACTOR,
    sources_of: Sequence[frozenset[str]] | None = None,
) -> tuple[list[list[int]], dict[tuple[int, int], float]]:
    """Clusters of unit indices (every unit in exactly one), and every pair probability computed.

    ``i, j, probability``: the scored candidate pairs; ``score(a, b)`` scores further pairs on demand; a
    merge needs the mean cross-pair probability >= ``threshold * average_factor`` and the lowest >=
    ``threshold * link_factor``; ``sources_of``: the articles each unit stands for, when a unit stands for
    several copies (default: its own article)."""
    n = len(articles)
    known: dict[tuple[int, int], float] = {
        (int(a), int(b)): float(p) for a, b, p in zip(i, j, probability, strict=True)
    }
    cluster_of = list(range(n))
    members: dict[int, list[int]] = {u: [u] for u in range(n)}
    sources: dict[int, set[str]] = {
        u: set(sources_of[u]) if sources_of is not None else {articles[u]} for u in range(n)
    }
    floor = threshold * average_factor
    weakest = threshold * link_factor
    sample = thresholds.ALIGN_LINK_SAMPLE
    for k in np.argsort(-probability, kind="stable"):
        if probability[k] < threshold:
            break
        a, b = cluster_of[int(i[k])], cluster_of[int(j[k])]
        if a == b or sources[a] & sources[b]:
            continue
        cross = [(min(x, y), max(x, y)) for x in members[a][:sample] for y in members[b][:sample]]
        missing = [p for p in cross if p not in known]
        if missing:
            got = score(np.array([p[0] for p in missing]), np.array([p[1] for p in missing]))
            known.update(zip(missing, (float(v) for v in got), strict=True))
        linked = [known[p] for p in cross]
        if float(np.mean(linked)) < floor or min(linked) < weakest:
            continue
        if len(members[b]) > len(members[a]):
            a, b = b, a
        for m in members[b]:
            cluster_of[m] = a
        members[a].extend(members.pop(b))
        sources[a] |= sources.pop(b)
    return [sorted(m) for m in members.values()], known
