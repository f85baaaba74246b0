"""Train the grouper's pair scorer (thresholds.GROUP_SCORER_WEIGHTS / _BIAS) on the ECB+ dev half only.

Pairs: the dev articles in bench/grouping.py's seeded stream order; each article is scored against every
candidate story the grouper's index proposes, where the stories are the gold stories of the articles seen so
far (StoryGrouper.teach: the pairs do not depend on the grouper's own earlier mistakes). Label: the
candidate is the article's event. Pairs that time rules out (scored 0 whatever the weights) are left out.
A logistic regression (scikit-learn, L2) over StoryGrouper.features; the test half is not read. Prints the
out-of-fold ROC-AUC (folds by topic) beside the shipped weights and cos(what) alone on the same pairs, and
the weights in the form src/storyweave/thresholds.py takes. bench/grouping.py refits it and chooses its
join threshold on the dev stream: it ranks pairs as well as the hand weights but groups the stream worse,
so the shipped weights stay hand-set (thresholds.py says how they were chosen).

    .venv/bin/python bench/train_grouping.py [--data DIR] [--cache DIR]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GroupKFold, cross_val_predict

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from bench_data import require_data  # noqa: E402  (bench/ is on the path)
from grouping import load_all, split_halves, unique_texts  # noqa: E402
from storyweave import thresholds  # noqa: E402
from storyweave.group.online import FEATURES, StoryGrouper  # noqa: E402
from storyweave.model import AnalysedArticle  # noqa: E402

C = 1.0  # L2 inverse strength; out-of-fold dev AUC within 0.002 for C 0.3 .. 10


def teacher_forced_pairs(
    docs: Sequence[AnalysedArticle], gold: dict[str, str], topic: dict[str, int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features, labels and topics of (article, candidate gold story) pairs, stories grown from gold."""
    grouper = StoryGrouper()
    rows: list[list[float]] = []
    labels: list[int] = []
    groups: list[int] = []
    for doc in docs:
        for same, features in grouper.teach(doc, gold[doc.id]):
            rows.append(features)
            labels.append(int(same))
            groups.append(topic[doc.id])
    return np.asarray(rows), np.asarray(labels), np.asarray(groups)


def learned_weights(
    docs: Sequence[AnalysedArticle], gold: dict[str, str], topic: dict[str, int]
) -> tuple[tuple[float, ...], float]:
    """The scorer's weights and bias fitted on the teacher-forced pairs of ``docs`` (dev only)."""
    x, y, _ = teacher_forced_pairs(docs, gold, topic)
    model = LogisticRegression(C=C, max_iter=5000).fit(x, y)
    return tuple(float(w) for w in model.coef_[0]), float(model.intercept_[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--cache", type=Path, default=None, help="analysed articles (bench/grouping.py's)")
    args = parser.parse_args()
    require_data(args.data, "ecbplus/docs.jsonl", "multinews/clusters.jsonl")
    data = load_all(args.data, args.cache)
    dev = split_halves(unique_texts(data["ecb"]), data["topic"])["dev"]
    x, y, groups = teacher_forced_pairs(dev, data["gold"], data["topic"])
    model = LogisticRegression(C=C, max_iter=5000)
    oof = cross_val_predict(model, x, y, groups=groups, cv=GroupKFold(5), method="decision_function")
    shipped = thresholds.GROUP_SCORER_BIAS + x @ np.asarray(thresholds.GROUP_SCORER_WEIGHTS)
    print(f"{len(y)} dev pairs ({int(y.sum())} same event), {len(set(groups))} topics")
    print(f"out-of-fold ROC-AUC (5 folds by topic): {roc_auc_score(y, oof):.4f}")
    print(f"shipped weights ROC-AUC on these pairs: {roc_auc_score(y, shipped):.4f}")
    print(f"BASELINE cos(what) alone ROC-AUC: {roc_auc_score(y, x[:, 0]):.4f}")
    model.fit(x, y)
    for name, w in zip(FEATURES, model.coef_[0], strict=True):
        print(f"  {name:16} {w:+.3f}")
    weights = ", ".join(f"{w:.3f}" for w in model.coef_[0])
    print(f"GROUP_SCORER_WEIGHTS = ({weights})\nGROUP_SCORER_BIAS = {model.intercept_[0]:.3f}")


if __name__ == "__main__":
    main()
