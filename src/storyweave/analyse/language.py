"""Per-article language identification with langdetect (profiles ship inside the package)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from storyweave.thresholds import LANGUAGE_SAMPLE_CHARS


@lru_cache(maxsize=1)
def _factory() -> Any:
    from langdetect import DetectorFactory

    DetectorFactory.seed = 0  # langdetect samples randomly; a fixed seed makes results repeatable
    from langdetect.detector_factory import init_factory

    init_factory()
    return DetectorFactory


def detect_language(text: str, max_chars: int = LANGUAGE_SAMPLE_CHARS) -> str | None:
    """ISO 639-1 code of the text's language, or None when the text has too few letters to tell."""
    sample = text[:max_chars]
    if sum(ch.isalpha() for ch in sample) < 20:
        return None
    from langdetect.lang_detect_exception import LangDetectException

    _factory()
    from langdetect import detect

    try:
        return str(detect(sample))
    except LangDetectException:
        return None
