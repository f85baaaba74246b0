"""Fit the learned "do these two sources disagree" combination on the dev halves and ship its coefficients.

Usage:
    python bench/disagreements.py --data DIR --features features.jsonl   # one feature row per pair
    python bench/train_contest_combination.py features.jsonl [--out FILE]

Fits a scikit-learn logistic regression (standardised features, balanced class weights) on the dev rows of
both sets (SummEdits dev half + hand-labelled pairs dev half) only; picks the decision threshold on those
dev rows as the lowest one whose false-alarm rate is at most 5% on each set's dev half; writes features,
standardisation, weights, intercept and threshold to src/storyweave/reconcile/disagreements/
combination.json. Prints the dev figures of the detectors and of the combination cross-validated on dev
(5 folds grouped by document or cluster: what decides whether it beats the detectors), then dev and test
figures of the detectors (OURS), the baseline and the combination (LEARNED) from the same feature rows, so
the test halves are read once, after fitting.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from storyweave.reconcile.disagreements import combination  # noqa: E402

MAX_FALSE_ALARMS = 0.05


def _rates(pred: Sequence[bool], gold: Sequence[bool]) -> dict[str, float]:
    tp = sum(p and g for p, g in zip(pred, gold, strict=True))
    fp = sum(p and not g for p, g in zip(pred, gold, strict=True))
    pos, neg = sum(gold), len(gold) - sum(gold)
    recall, fa = (tp / pos if pos else 0.0), (fp / neg if neg else 0.0)
    return {"n": len(gold), "balanced_accuracy": (recall + 1 - fa) / 2, "recall": recall, "false_alarms": fa}


def threshold_for(scores: Sequence[float], gold: Sequence[bool], max_fa: float) -> float:
    """The lowest score threshold whose false-alarm rate on these rows is at most ``max_fa``."""
    negatives = sorted((s for s, g in zip(scores, gold, strict=True) if not g), reverse=True)
    allowed = int(max_fa * len(negatives))  # this many negatives may score at or above the threshold
    if allowed >= len(negatives):
        return 0.0
    # just above the (allowed+1)-th highest negative score
    return float(np.nextafter(negatives[allowed], 1.0))


def fit(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    names = list(combination.FEATURES)
    x = np.array([[r["features"][n] for n in names] for r in rows], dtype=float)
    y = np.array([r["gold"] for r in rows], dtype=bool)
    scaler = StandardScaler().fit(x)
    scale = np.where(scaler.scale_ > 0, scaler.scale_, 1.0)
    model = LogisticRegression(class_weight="balanced", C=1.0, max_iter=1000)
    model.fit((x - scaler.mean_) / scale, y)
    fitted: dict[str, Any] = {
        "features": names,
        "mean": [round(float(v), 6) for v in scaler.mean_],
        "scale": [round(float(v), 6) for v in scale],
        "coef": [round(float(v), 6) for v in model.coef_[0]],
        "intercept": round(float(model.intercept_[0]), 6),
    }
    # at most 5% false alarms on each set's dev rows, not only on their union
    thresholds = []
    for name in sorted({r["set"] for r in rows}):
        sub = [r for r in rows if r["set"] == name]
        scores = [combination.score(r["features"], fitted) for r in sub]
        thresholds.append(threshold_for(scores, [r["gold"] for r in sub], MAX_FALSE_ALARMS))
    fitted["threshold"] = round(max(thresholds) + 5e-7, 6)
    return fitted


def cross_validated(rows: Sequence[dict[str, Any]], folds: int = 5) -> list[bool]:
    """Each dev row's decision by a combination fitted (weights and threshold) on the other folds, folds
    grouped by document or cluster (rows of one story never sit on both sides): the dev-only estimate that
    decides whether the combination beats the detectors."""
    from sklearn.model_selection import GroupKFold

    groups = [f"{r['set']}:{r.get('group', r.get('id', i))}" for i, r in enumerate(rows)]
    decided = [False] * len(rows)
    for train, held in GroupKFold(n_splits=folds).split(rows, groups=groups):
        fitted = fit([rows[i] for i in train])
        for i in held:
            decided[i] = combination.confident(rows[i]["features"], fitted)
    return decided


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("features", type=Path)
    parser.add_argument("--out", type=Path, default=combination.COEFFICIENTS)
    args = parser.parse_args(argv)
    with args.features.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    dev = [r for r in rows if r["half"] == "dev"]
    fitted = fit(dev)
    fitted["trained_on"] = (
        f"dev halves: {sum(r['set'] == 'summedits' for r in dev)} SummEdits pairs, "
        f"{sum(r['set'] == 'pairs' for r in dev)} hand-labelled cross-outlet pairs; threshold: lowest with "
        f"at most {MAX_FALSE_ALARMS:.0%} false alarms on each set's dev rows"
    )
    args.out.write_text(json.dumps(fitted, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    weights = zip(fitted["features"], fitted["coef"], strict=True)
    print("weights: " + ", ".join(f"{n} {w:+.2f}" for n, w in weights))
    cv = cross_validated(dev)
    for name in ("summedits", "pairs"):
        sub = [(r, c) for r, c in zip(dev, cv, strict=True) if r["set"] == name]
        gold = [r["gold"] for r, _ in sub]
        systems = (("OURS", [r["ours"] for r, _ in sub]), ("LEARNED (5-fold CV)", [c for _, c in sub]))
        for system, pred in systems:
            r = _rates(pred, gold)
            print(f"{name} dev, {system:20s} bal.acc {r['balanced_accuracy']:.3f}  recall {r['recall']:.3f}  "
                  f"false alarms {r['false_alarms']:.3f}")  # fmt: skip
    for name in ("summedits", "pairs"):
        for half in ("dev", "test"):
            sub = [r for r in rows if r["set"] == name and r["half"] == half]
            if not sub:
                continue
            gold = [r["gold"] for r in sub]
            print(f"{name} {half} (n={len(sub)}, {sum(gold)} positive)")
            learned = [combination.confident(r["features"], fitted) for r in sub]
            systems = {"OURS": [r["ours"] for r in sub], "BASELINE": [r["baseline"] for r in sub]}
            for system, pred in (*systems.items(), ("LEARNED", learned)):
                r = _rates(pred, gold)
                print(f"  {system:9s} bal.acc {r['balanced_accuracy']:.3f}  recall {r['recall']:.3f}  "
                      f"false alarms {r['false_alarms']:.3f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
