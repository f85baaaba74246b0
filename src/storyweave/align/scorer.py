"""The learned pair scorer: a logistic regression over named columns of :data:`features.FEATURES`,
Platt-calibrated.

Its coefficients live in ``scorer.json`` beside this module, written by ``bench/train_alignment.py``
(development data only; the file says when and on what it was trained). The score of a pair is the
calibrated probability that the two units state the same claim; ``threshold`` in the file is the lowest
probability whose pairs reached the target precision on the calibration half, so "at or above threshold"
means "joined with about that precision". A second variant, trained without the embedding features, is
used when wordllama is not installed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from storyweave.align.features import FEATURES


@dataclass(frozen=True)
class Scorer:
    """Standardise, weigh, calibrate: ``p = sigmoid(a * (((x - mean) / scale) @ coef + intercept) + b)``,
    where ``x`` holds the columns of the feature rows that the model was trained on."""

    columns: np.ndarray  # positions in FEATURES of the model's features
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    platt_a: float
    platt_b: float
    threshold: float  # calibrated probability at which pairs join

    @classmethod
    def from_dict(cls, data: dict[str, Any], variant: str = "full") -> Scorer:
        """Read one variant ("full" or "lexical") of the JSON written by the training script."""
        unknown = set(data["features"]) - set(FEATURES)
        if unknown:
            raise ValueError(
                f"scorer.json uses features that features.py does not compute ({sorted(unknown)}): "
                "re-run bench/train_alignment.py"
            )
        columns = np.array([FEATURES.index(f) for f in data["features"]], dtype=np.int64)
        data = data[variant]
        return cls(
            columns=columns,
            mean=np.array(data["mean"], dtype=np.float64),
            scale=np.array(data["scale"], dtype=np.float64),
            coef=np.array(data["coef"], dtype=np.float64),
            intercept=float(data["intercept"]),
            platt_a=float(data["platt"]["a"]),
            platt_b=float(data["platt"]["b"]),
            threshold=float(data["threshold"]),
        )

    def margin(self, x: np.ndarray) -> np.ndarray:
        """The uncalibrated linear score of feature rows (for ranking)."""
        z = (x[:, self.columns] - self.mean) / self.scale
        return np.asarray(z @ self.coef + self.intercept, dtype=np.float64)

    def probability(self, x: np.ndarray) -> np.ndarray:
        """Calibrated probability that each pair states the same claim."""
        z = self.platt_a * self.margin(x) + self.platt_b
        return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=np.float64)


@lru_cache(maxsize=2)
def load_scorer(lexical: bool = False) -> Scorer:
    """The shipped scorer (``storyweave/align/scorer.json``); ``lexical``: the variant trained without the
    embedding features, for when wordllama is not available."""
    text = resources.files("storyweave.align").joinpath("scorer.json").read_text(encoding="utf-8")
    return Scorer.from_dict(json.loads(text), "lexical" if lexical else "full")
