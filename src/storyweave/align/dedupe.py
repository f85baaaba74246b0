"""Collapse repeated claims before alignment: one unit per distinct wording, every copy kept for citations.

Syndicated copies and lightly edited reprints carry the same claim word for word, so a story of 1,000
articles may hold 13,000 claim units but only a few hundred distinct ones. Every copy of a wording scores
the same against any other unit (the scorer reads the wording, the entity ids of its sentence and its
quoted words, all part of the key here), and two copies always join. So candidate search, scoring and
linkage run on one representative per key, and the clusters are expanded back to every copy afterwards:
the cost grows with the distinct wordings, not with the number of outlets that carried them.

The aligner's rule "at most one unit per article in a fact" is kept: the k-th copy of a wording within
one article goes to the k-th representative, and a representative carries the set of articles of its
copies (two representatives sharing an article never join).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from storyweave.align.units import Unit


@dataclass(frozen=True)
class Collapsed:
    """Representative units, and for each the indices of the original units it stands for."""

    representatives: list[Unit]
    copies: list[list[int]]  # per representative: indices into the original units, in order
    sources: list[frozenset[str]]  # per representative: the articles of its copies
    representative_of: list[int]  # per original unit: the index of its representative


def _key(unit: Unit) -> tuple[str, frozenset[str], str | None]:
    """What the scorer reads of a unit: its words (whitespace-normalised), entity ids and quoted words."""
    return " ".join(unit.text.split()), unit.entities, unit.quote


def collapse(units: Sequence[Unit]) -> Collapsed:
    """One representative per distinct key (per occurrence rank within an article); the representative is
    the first copy met, so units met in article order keep their order."""
    slot: dict[tuple[tuple[str, frozenset[str], str | None], int], int] = {}
    seen: dict[tuple[tuple[str, frozenset[str], str | None], str], int] = {}
    representatives: list[Unit] = []
    copies: list[list[int]] = []
    sources: list[set[str]] = []
    representative_of: list[int] = []
    for index, unit in enumerate(units):
        key = _key(unit)
        rank = seen.get((key, unit.article_id), 0)
        seen[(key, unit.article_id)] = rank + 1
        at = slot.get((key, rank))
        if at is None:
            at = slot[(key, rank)] = len(representatives)
            representatives.append(unit)
            copies.append([])
            sources.append(set())
        copies[at].append(index)
        sources[at].add(unit.article_id)
        representative_of.append(at)
    return Collapsed(representatives, copies, [frozenset(s) for s in sources], representative_of)


def expand(collapsed: Collapsed, clusters: Sequence[Sequence[int]]) -> list[list[int]]:
    """Clusters of representatives as clusters of the original units (sorted indices)."""
    return [sorted(u for r in cluster for u in collapsed.copies[r]) for cluster in clusters]


def centrality(
    collapsed: Collapsed, group: Sequence[int], known: Mapping[tuple[int, int], float]
) -> list[float]:
    """For each unit of ``group`` (original indices), its mean pair probability with the group's other
    units (1.0 with its own copies, 0.0 for a pair never scored; 1.0 for a unit alone), computed per
    representative so that a group of many copies costs its distinct wordings squared."""
    if len(group) < 2:
        return [1.0] * len(group)
    count: dict[int, int] = {}
    for m in group:
        r = collapsed.representative_of[m]
        count[r] = count.get(r, 0) + 1
    mean: dict[int, float] = {}
    for r, c in count.items():
        total = float(c - 1)
        for s, d in count.items():
            if s != r:
                total += d * known.get((min(r, s), max(r, s)), 0.0)
        mean[r] = total / (len(group) - 1)
    return [mean[collapsed.representative_of[m]] for m in group]
