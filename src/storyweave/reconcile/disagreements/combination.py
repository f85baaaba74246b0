"""Do two sources disagree? A learned combination of the contested-point detectors and simple signals.

A logistic regression (scikit-learn, fitted by ``bench/train_contest_combination.py`` on the dev halves of
SummEdits and the hand-labelled cross-outlet pairs; its coefficients ship in ``combination.json`` beside
this file) scores a pair of sources from: how many disagreements of each kind the detectors found, the
"unsupported numbers or names" signals of the baseline, the words of B that A never writes, and how close
B's least supported sentence comes to any sentence of A (WordLlama embeddings, loaded from the installed
package, never downloaded).

The score only ranks and filters: it never creates a disagreement. A caller that shows contested points may
use :func:`confident` to decide whether the detectors' disagreements between two sources are shown.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from storyweave.analyse.names import name_key
from storyweave.analyse.numbers import consistent, find_numbers
from storyweave.model import Disagreement, Mention

COEFFICIENTS = Path(__file__).with_name("combination.json")
# Labels of mentions that name someone or something (the baseline's "names").
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT", "WORK_OF_ART", "LAW", "PRODUCT"})
# Kinds with their own feature; the rarer kinds are summed into "other".
OWN_KINDS = ("number", "date", "name", "negation", "quote-wording", "title")
FEATURES = (
    *(f"kind_{k}" for k in OWN_KINDS),
    "kind_other",
    "unsupported_numbers",
    "unsupported_names",
    "unsupported_words",
    "unsupported_word_share",
    "least_similarity",
    "mean_similarity",
)


def unsupported_numbers(text_a: str, text_b: str) -> int:
    """How many figures of B no figure of A is consistent with."""
    figures_a = find_numbers(text_a)
    return sum(not any(consistent(q, other) for other in figures_a) for q in find_numbers(text_b))


def unsupported_names(text_a: str, mentions_b: Sequence[Mention]) -> int:
    """How many named mentions of B have a name whose words do not all occur in A."""
    words_a = set(re.findall(r"\w+", text_a.casefold()))
    return sum(m.label in NAME_LABELS and not set(name_key(m.name)) <= words_a for m in mentions_b)


def unsupported_words(text_a: str, text_b: str) -> tuple[int, float]:
    """(count, share) of B's distinct content words that A never writes: an edit swapping one common noun
    ("mine" -> "pit") leaves no unsupported figure or name, but leaves a word of its own."""
    # scikit-learn's English stop-word list (the trusted one), imported only where this is computed
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    words_a = set(re.findall(r"[a-z]+", text_a.casefold()))
    words_b = {w for w in re.findall(r"[a-z]+", text_b.casefold()) if len(w) > 2} - ENGLISH_STOP_WORDS
    missing = len(words_b - words_a)
    return missing, (missing / len(words_b) if words_b else 0.0)


@cache
def _model() -> Any:
    # Imported here: only this scorer needs it, and the weights ship inside the package (no download).
    import wordllama  # type: ignore[import-untyped]

    return wordllama.WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)


def similarities(sentences_a: Sequence[str], sentences_b: Sequence[str]) -> tuple[float, float]:
    """(lowest, mean) over B's sentences of the cosine to the closest sentence of A; (1, 1) when either
    side is empty (nothing stated, nothing unsupported)."""
    if not sentences_a or not sentences_b:
        return 1.0, 1.0
    model = _model()
    ea, eb = model.embed(list(sentences_a), norm=True), model.embed(list(sentences_b), norm=True)
    best = (eb @ ea.T).max(axis=1)
    return float(best.min()), float(best.mean())


def features(
    found: Sequence[Disagreement],
    sentences_a: Sequence[str],
    sentences_b: Sequence[str],
    mentions_b: Sequence[Mention],
) -> dict[str, float]:
    """The combination's inputs for sources A and B: ``found`` are the detectors' disagreements between
    them, ``sentences_*`` the text compared, ``mentions_b`` B's named mentions in that text."""
    text_a, text_b = " ".join(sentences_a), " ".join(sentences_b)
    row: dict[str, float] = {f"kind_{k}": 0.0 for k in (*OWN_KINDS, "other")}
    for d in found:
        row[f"kind_{d.kind}" if d.kind in OWN_KINDS else "kind_other"] += 1.0
    for key in list(row):
        row[key] = math.log1p(row[key])  # a few disagreements say as much as many
    row["unsupported_numbers"] = math.log1p(unsupported_numbers(text_a, text_b))
    row["unsupported_names"] = math.log1p(unsupported_names(text_a, mentions_b))
    missing, share = unsupported_words(text_a, text_b)
    row["unsupported_words"], row["unsupported_word_share"] = math.log1p(missing), share
    row["least_similarity"], row["mean_similarity"] = similarities(sentences_a, sentences_b)
    return row


@cache
def coefficients(path: Path = COEFFICIENTS) -> dict[str, Any]:
    """The fitted combination (feature names, standardisation, weights, intercept, decision threshold)."""
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def score(row: dict[str, float], fitted: dict[str, Any] | None = None) -> float:
    """Probability, per the fitted logistic regression, that B disagrees with A."""
    fit = fitted if fitted is not None else coefficients()
    z = float(fit["intercept"])
    for name, mean, scale, weight in zip(
        fit["features"], fit["mean"], fit["scale"], fit["coef"], strict=True
    ):
        z += weight * (row[name] - mean) / scale
    return 1.0 / (1.0 + math.exp(-z))


def confident(row: dict[str, float], fitted: dict[str, Any] | None = None) -> bool:
    """Whether the score reaches the threshold chosen on the dev halves for at most 5% false alarms."""
    fit = fitted if fitted is not None else coefficients()
    return score(row, fit) >= float(fit["threshold"])
