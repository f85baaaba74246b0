"""Syndication: articles that are copies of one dispatch (wire copy, lightly edited reprints)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from datasketch import MinHash, MinHashLSH

from storyweave import thresholds
from storyweave.model import AnalysedArticle

_WORD = re.compile(r"\w+")


def _minhash(text: str) -> MinHash:
    words = _WORD.findall(text.casefold())
    k = thresholds.SHINGLE_SIZE
    shingles = {" ".join(words[i : i + k]) for i in range(max(1, len(words) - k + 1))}
    mh = MinHash(num_perm=thresholds.MINHASH_PERMUTATIONS, seed=1)
    for shingle in shingles:
        mh.update(shingle.encode("utf-8"))
    return mh


def syndication_groups(docs: Sequence[AnalysedArticle]) -> dict[str, str]:
    """Map each article id to its syndication group id (the group's smallest article id).

    Candidates come from MinHash LSH over word shingles, so this is not quadratic in the article count;
    a candidate pair joins one group when its estimated Jaccard reaches ``thresholds.SYNDICATION_JACCARD``.
    """
    hashes = {d.article.id: _minhash(d.article.text) for d in docs}
    lsh = MinHashLSH(threshold=thresholds.SYNDICATION_JACCARD, num_perm=thresholds.MINHASH_PERMUTATIONS)
    parent = {a: a for a in hashes}

    def find(a: str) -> str:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for article_id, mh in sorted(hashes.items()):
        for other in lsh.query(mh):
            if mh.jaccard(hashes[other]) >= thresholds.SYNDICATION_JACCARD:
                ra, rb = find(article_id), find(other)
                parent[max(ra, rb)] = min(ra, rb)
        lsh.insert(article_id, mh)
    return {a: find(a) for a in hashes}
