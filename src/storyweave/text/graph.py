"""Graph helpers: connected components of "same thing" pairs, via ``scipy.sparse.csgraph``.

Replaces the hand-written union-find copies: one sparse adjacency matrix and scipy's C implementation.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


def component_labels(n: int, pairs: Iterable[tuple[int, int]]) -> list[int]:
    """Component label of each of ``n`` nodes joined by index ``pairs``; labels are the smallest member index.

    Labelling by smallest member makes the result independent of scipy's internal numbering and of the
    order of ``pairs``, so callers get the same groups (and group order) on every run.
    """
    if n == 0:
        return []
    edges = [(a, b) for a, b in pairs if a != b]
    if not edges:
        return list(range(n))
    import numpy as np
    from scipy.sparse import coo_matrix  # type: ignore[import-untyped]
    from scipy.sparse.csgraph import connected_components  # type: ignore[import-untyped]

    rows = np.fromiter((a for a, _ in edges), dtype=np.int64, count=len(edges))
    cols = np.fromiter((b for _, b in edges), dtype=np.int64, count=len(edges))
    data = np.ones(len(edges), dtype=np.int8)
    graph = coo_matrix((data, (rows, cols)), shape=(n, n))
    _, raw = connected_components(graph, directed=False)
    first: dict[int, int] = {}
    for index, label in enumerate(raw.tolist()):
        first.setdefault(label, index)
    return [first[label] for label in raw.tolist()]


def components(items: Sequence[K], pairs: Iterable[tuple[K, K]]) -> list[list[K]]:
    """Groups of ``items`` joined (transitively) by ``pairs``, each in input order, groups by first member.

    Items missing from ``items`` but named in ``pairs`` are ignored; every item lands in exactly one group.
    """
    index = {item: i for i, item in enumerate(items)}
    labels = component_labels(
        len(items), ((index[a], index[b]) for a, b in pairs if a in index and b in index)
    )
    groups: dict[int, list[K]] = {}
    for item, label in zip(items, labels, strict=True):
        groups.setdefault(label, []).append(item)
    return [groups[label] for label in sorted(groups)]
