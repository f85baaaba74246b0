"""Candidate pairs for alignment: each unit's top-k neighbours by sparse word TF-IDF, never all pairs.

The product of the sparse matrix with its transpose is taken a block of rows at a time, and only the k
best cross-article neighbours of each row are kept, so memory stays O(n * k) and time grows with the
number of shared terms. Terms that occur in a large share of a big story's units ("said", the main
protagonist) are dropped from this index (they are still scored): their postings would make the product
quadratic while telling claims apart least.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from storyweave import thresholds

BLOCK = 512


def _index_matrix(x: sp.csr_matrix, drop: np.ndarray | None) -> sp.csr_matrix:
    """``x`` without the columns of terms that are too common to index, nor those ``drop`` marks."""
    n = x.shape[0]
    df = np.bincount(x.indices, minlength=x.shape[1])
    cap = max(thresholds.ALIGN_INDEX_MIN_DF_CAP, int(thresholds.ALIGN_INDEX_MAX_DF_SHARE * n))
    wanted = df <= cap
    if drop is not None and len(drop) == len(wanted):
        wanted &= ~drop
    keep = np.nonzero(wanted)[0]
    return sp.csr_matrix(x[:, keep])


def candidate_pairs(
    x: sp.csr_matrix,
    groups: Sequence[str],
    k: int = thresholds.ALIGN_NEIGHBOURS,
    drop: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (i < j) of units of different ``groups`` (articles) where one is among the other's top-k.

    ``x``: row-normalised sparse term vectors, one row per unit; ``drop``: columns left out of the index
    (stop words)."""
    n = x.shape[0]
    if n < 2:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    index = _index_matrix(x, drop)
    codes = np.unique(np.asarray(groups), return_inverse=True)[1]
    transposed = sp.csc_matrix(index.T)
    found_i: list[np.ndarray] = []
    found_j: list[np.ndarray] = []
    for start in range(0, n, BLOCK):
        block = (index[start : start + BLOCK] @ transposed).tocsr()
        block.eliminate_zeros()
        for r in range(block.shape[0]):
            lo, hi = block.indptr[r], block.indptr[r + 1]
            cols = block.indices[lo:hi]
            vals = block.data[lo:hi]
            row = start + r
            other = codes[cols] != codes[row]
            cols, vals = cols[other], vals[other]
            if len(cols) > k:
                top = np.argpartition(-vals, k)[:k]
                cols = cols[top]
            found_i.append(np.full(len(cols), row, dtype=np.int64))
            found_j.append(cols.astype(np.int64))
    i = np.concatenate(found_i)
    j = np.concatenate(found_j)
    lo, hi = np.minimum(i, j), np.maximum(i, j)
    pairs = np.unique(lo * n + hi)
    return pairs // n, pairs % n
