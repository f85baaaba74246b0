"""Train the alignment scorer on development halves only and write src/storyweave/align/scorer.json.

Usage: .venv/bin/python bench/train_alignment.py [--data DIR] [--out FILE]

Data (bench/alignment_data.py), dev halves only: the hand-labelled claim pairs (dev half), NAnCo answers of
Q2/Q3/Q5/Q6 and ECB+ odd topics. The claim pairs and NAnCo (gold "same claim") weigh twice what ECB+
(gold "same happening", looser) weighs in the fit, each dataset summing to its weight whatever its size.
Model: standardised features, logistic regression. Chosen by 5-fold out-of-fold figures on dev (folds by
pool: a NAnCo question or an ECB+ event is never split), ROC-AUC per set plus NAnCo balanced accuracy with
the threshold that is best on two dev questions applied to the other two (mean of the six splits), printed
below as "2v2". Round 3 (December 2026): the claim pairs are now pooled per cluster with every
sentence of its articles (bench/alignment_data.py), so TF-IDF statistics are a story's. On dev, C = 0.03:
claim pairs 0.896, NAnCo AUC 0.876 / 2v2 0.825, ECB+ 0.713 (C = 0.1: 0.891, 0.875 / 0.822, 0.712). Tried
and not kept (dev): story-relative cosines ((cosine - the story's mean over random pairs) / spread; 0.898,
0.875 / 0.820, 0.711), dropping the length features (NAnCo AUC 0.90 but 2v2 0.77-0.78: thresholds stop
transferring between questions), a length bucket with bucket x cosine terms (2v2 0.80-0.82 on the earlier
pools), NAnCo weighted 4 instead of 2 (within 0.01), gradient boosting (scikit-learn
HistGradientBoosting, depth 3 or default: NAnCo AUC 0.81-0.83, ECB+ 0.66-0.68). Earlier rounds: C in
{0.1, 1} and weights 1 or 2 for each "same claim" set; interaction terms did no better.
The 64 harder dev claim pairs added in round 3 (see the claim pairs' README) helped a little, out-of-fold on
the 237 earlier dev pairs: ROC-AUC 0.896 -> 0.900, their hard strata 0.741 -> 0.755, ECB+ 0.713 -> 0.716,
NAnCo 0.876 -> 0.875. On dev no weighting beats word TF-IDF alone on the claim pairs (0.901 over all 301 dev
pairs; the model 0.874-0.881 with NAnCo weighted 2, 0.5 or 0): the embedding and character cosines that
NAnCo rewards over-rate same-topic pairs that share names.
Round 4 (December 2026), why the scorer fell below its own strongest feature, and the change (dev only):
- One linear weighting serves sets whose best evidence differs: on news sentences (claim pairs) word TF-IDF
  is best (out-of-fold dev ROC-AUC 0.901, embedding 0.829), on NAnCo's answer fragments the embedding is
  (0.906, word 0.851). The round-3 model sat below both on dev (claim pairs 0.874, NAnCo 0.875).
- The length features ("short" = 1 / words of the shorter unit, "length_ratio") move every pair of a
  question by the same amount: a question whose answers are one or two words (NAnCo's Q3 on dev, Q9 on
  test; "short" averages 0.42 on the dev questions and 0.63 on the test ones) is pushed below a threshold
  chosen on longer answers. Units in use have at least FACT_MIN_WORDS words, so these features only ever
  separated fragments that units.py already leaves out. entity_clash also shifts by question (bare-name
  answers "Russia" / "Kremlin" clash), and the entity and number Jaccards took negative or tiny weights.
- Added the claims' slots from analyse (features.py: slots, predicate, subject_known, subject). For training
  sentences the main claim is the longest claim of >= FACT_MIN_WORDS words (bench/alignment_data.py).
Out-of-fold on dev (claim pairs / NAnCo AUC / ECB+ / NAnCo 2v2 / NAnCo 3v1 = threshold of three questions
on the fourth): round-3 model 0.874 / 0.875 / 0.716 / 0.823 / 0.813; without the length features 0.873 /
0.902 / 0.718 / 0.795 / 0.762; + slots 0.906 / 0.904 / 0.699 / 0.794 / 0.811; fewer features (word, char,
embed, embed_x_word, the three clash flags, slots) with C = 0.003: 0.918 / 0.899 / 0.709 / 0.821 / 0.821
(shipped; C 0.01: 0.916 / 0.900 / 0.704 / 0.817 / 0.807; the same with the entity, number and quote
Jaccards back in, C 0.003: 0.914 / 0.900 / 0.709 / 0.824 / 0.822). Tried and not kept: interaction terms
with "short" (NAnCo 0.889, 2v2 0.796), a length-capped "short" (0.872 / 0.875), NAnCo weighted 1 or 4,
ECB+ weighted 0.5 or 0.25 (within 0.01, ECB+ lower), monotone HistGradientBoosting (0.905 / 0.907 /
0.672 / 0.814 / 0.792), wordllama truncated to 128 or 64 dimensions (cosine alone on NAnCo dev 0.905 /
0.879 vs 0.906 at 256; claim pairs 0.831 / 0.827 vs 0.829).
Calibration: Platt scaling fitted on the out-of-fold margins of the claim-pair and NAnCo dev pairs (the
two sets whose gold is "same claim"; ECB+ gold is "same happening", looser), and the join threshold is the
lowest calibrated probability at which those out-of-fold pairs reach ALIGN_TARGET_PRECISION.
Deterministic: folds by a CRC of the pool name; re-running on the same data writes the same file.
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import json
import sys
import time
import zlib
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score, roc_auc_score
from sklearn.preprocessing import StandardScaler

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from alignment_data import DEFAULT_DATA, PairRows, feature_rows, load_claim_pairs, load_ecb, load_nanco  # noqa: E402
from storyweave import thresholds  # noqa: E402
from storyweave.align.embed import load_embedder  # noqa: E402
from storyweave.align.features import FEATURES, without_embedding  # noqa: E402

OUT = ROOT / "src" / "storyweave" / "align" / "scorer.json"
C = 0.003
# the model's columns of FEATURES (round 4, chosen on dev, see the docstring)
MODEL_FEATURES = (
    "word",
    "char",
    "embed",
    "embed_x_word",
    "entity_clash",
    "number_clash",
    "quote_clash",
    "slots",
    "predicate",
    "subject_known",
    "subject",
)
FOLDS = 5
SAME_CLAIM_WEIGHT = 2.0
CALIBRATION_SETS = ("claim_pairs", "nanco")


def weights(rows: PairRows) -> np.ndarray:
    """Every dataset sums to the same weight, the "same claim" sets (claim pairs, NAnCo) to twice that."""
    w = np.zeros(len(rows.gold))
    for name in np.unique(rows.dataset):
        m = rows.dataset == name
        w[m] = (SAME_CLAIM_WEIGHT if name in CALIBRATION_SETS else 1.0) * 1000.0 / m.sum()
    return w


def fit(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[StandardScaler, LogisticRegression]:
    scaler = StandardScaler().fit(x)
    model = LogisticRegression(C=C, max_iter=5000).fit(scaler.transform(x), y, sample_weight=w)
    return scaler, model


def folds(rows: PairRows) -> np.ndarray:
    """Fold of each pair: by pool (a question, an event, a claim-pair cluster), never splitting one."""
    return np.array([zlib.crc32(p.encode()) % FOLDS for p in rows.pool])


def threshold_at(p: np.ndarray, gold: np.ndarray, w: np.ndarray, target: float) -> float:
    """Lowest probability whose (weighted) precision among pairs scoring at least it reaches ``target``."""
    order = np.argsort(-p, kind="stable")
    hits = np.cumsum((w * gold)[order])
    precision = hits / np.cumsum(w[order])
    reaching = np.nonzero(precision >= target)[0]
    return float(p[order][reaching[-1]]) if len(reaching) else 1.0


def nanco_two_by_two(margin: np.ndarray, rows: PairRows) -> float:
    """NAnCo dev balanced accuracy as in the paper's protocol, within dev: the threshold that is best on two
    questions, applied to the other two; the mean over the six splits."""
    nanco = (rows.dataset == "nanco") & (rows.half == "dev")
    questions = sorted(set(rows.pool[nanco].tolist()))
    accuracies = []
    for tuned in itertools.combinations(questions, 2):
        on = nanco & np.isin(rows.pool, tuned)
        off = nanco & ~np.isin(rows.pool, tuned)
        candidates = np.unique(margin[on])
        best = max(candidates, key=lambda t: balanced_accuracy_score(rows.gold[on], margin[on] >= t))
        accuracies.append(balanced_accuracy_score(rows.gold[off], margin[off] >= best))
    return float(np.mean(accuracies)) if accuracies else float("nan")


def train(rows: PairRows, lexical: bool) -> dict[str, Any]:
    """Fit, calibrate and pick the threshold of one variant; ``lexical``: the rows as computed without the
    embedder (features.without_embedding)."""
    print("lexical variant (no embedder):" if lexical else "full variant:")
    full = without_embedding(rows.x) if lexical else rows.x
    x = full[:, [FEATURES.index(f) for f in MODEL_FEATURES]]
    w = weights(rows)
    fold = folds(rows)
    margin = np.zeros(len(rows.gold))
    for f in range(FOLDS):
        scaler, model = fit(x[fold != f], rows.gold[fold != f], w[fold != f])
        margin[fold == f] = model.decision_function(scaler.transform(x[fold == f]))
    for name in np.unique(rows.dataset):
        m = rows.dataset == name
        print(
            f"  out-of-fold ROC-AUC on {name} dev: {roc_auc_score(rows.gold[m], margin[m]):.3f}",
            f"({m.sum()} pairs)",
        )
    print(
        f"  NAnCo dev balanced accuracy, threshold of two questions on the other two (2v2): "
        f"{nanco_two_by_two(margin, rows):.3f}"
    )
    cal = np.isin(rows.dataset, CALIBRATION_SETS)
    platt = LogisticRegression(C=1e6, max_iter=5000).fit(
        margin[cal, None], rows.gold[cal], sample_weight=w[cal]
    )
    a, b = float(platt.coef_[0, 0]), float(platt.intercept_[0])
    p = 1.0 / (1.0 + np.exp(-(a * margin + b)))
    threshold = threshold_at(p[cal], rows.gold[cal], w[cal], thresholds.ALIGN_TARGET_PRECISION)
    joined = cal & (p >= threshold)
    print(
        f"  Platt a={a:.3f} b={b:.3f}; threshold {threshold:.3f}: out-of-fold precision "
        f"{rows.gold[joined].mean():.3f}, recall {(rows.gold & joined).sum() / (rows.gold & cal).sum():.3f}"
        " on the calibration pairs"
    )
    scaler, model = fit(x, rows.gold, w)
    for name, coef in zip(MODEL_FEATURES, model.coef_[0], strict=True):
        print(f"    {name:14s} {coef:+.3f}")
    return {
        "mean": [round(float(v), 6) for v in scaler.mean_],
        "scale": [round(float(v), 6) for v in scaler.scale_],
        "coef": [round(float(v), 6) for v in model.coef_[0]],
        "intercept": round(float(model.intercept_[0]), 6),
        "platt": {"a": round(a, 6), "b": round(b, 6)},
        "threshold": round(threshold, 4),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    started, cpu = time.perf_counter(), time.process_time()
    pools = (
        load_claim_pairs(halves=("dev",), data=args.data)
        + load_nanco(args.data, ("dev",))
        + load_ecb(args.data, None, ("dev",))
    )
    rows = feature_rows(pools, load_embedder())
    result = {
        "about": "storyweave alignment scorer: logistic regression over named align/features.py features, "
        "Platt-calibrated; written by bench/train_alignment.py (see its docstring). 'lexical' is the same "
        "model without the embedding features, used when wordllama is unavailable",
        "trained": datetime.date.today().isoformat(),
        "data": {name: int((rows.dataset == name).sum()) for name in np.unique(rows.dataset)},
        "halves": "dev only: claim_pairs dev, NAnCo Q2/Q3/Q5/Q6, ECB+ odd topics",
        "target_precision": thresholds.ALIGN_TARGET_PRECISION,
        "features": list(MODEL_FEATURES),
        "C": C,
        "full": train(rows, False),
        "lexical": train(rows, True),
    }
    args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(
        f"-> {args.out} ({time.perf_counter() - started:.0f} s wall, {time.process_time() - cpu:.0f} CPU-s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
