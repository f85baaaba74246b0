"""Static sentence embeddings from ``wordllama`` (l2_supercat, 256 dimensions), loaded lazily and offline.

The wheel of ``wordllama`` 0.4.0.post1 (MIT) ships its weights and tokenizer, so the model is loaded from
the package folder with downloads disabled: nothing is fetched at run time. A static embedding is an
average of learned token vectors: about 40,000 short texts per CPU-second here, cheap enough for every
claim of a 1,000-article story. When the package is missing or fails to load, :func:`load_embedder` logs
one warning and returns None, and the aligner scores with its lexical features only (the embedding
feature is then 0 for every pair, which the scorer reads as "no evidence").
"""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger("storyweave")

DIMENSIONS = 256


class Embedder:
    """Unit-length wordllama vectors for texts."""

    def __init__(self, model: Any) -> None:
        self._model = model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One L2-normalised float32 row per text (a zero row for an empty text)."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        vectors = np.asarray(self._model.embed(list(texts), norm=False), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        unit: np.ndarray = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
        return unit


def package_folder() -> Path | None:
    """The installed ``wordllama`` package folder, found without importing the package."""
    spec = importlib.util.find_spec("wordllama")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


@lru_cache(maxsize=1)
def load_embedder() -> Embedder | None:
    """The wordllama embedder from the weights inside its wheel, or None (after one warning line)."""
    folder = package_folder()
    if folder is None:
        log.warning("wordllama is not installed: aligning facts with lexical features only")
        return None
    try:
        from wordllama import WordLlama

        model = WordLlama.load(cache_dir=folder, disable_download=True, dim=DIMENSIONS)
    except Exception as error:  # an absent or broken model means "lexical only", never a crash
        log.warning("wordllama did not load (%s): aligning facts with lexical features only", error)
        return None
    return Embedder(model)
