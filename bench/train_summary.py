"""Fit the summary's sentence weights (thresholds.SUMMARY_SENTENCE_WEIGHTS) on the Multi-News dev half.

For every development cluster of bench/summary.py (even positions of clusters.jsonl; the test half is not
read), the pipeline's own stages build the story's facts and compose/summary.summary_candidates gives each
candidate sentence its features (SENTENCE_FEATURES). The target is the sentence's ROUGE-2 precision against
the editor's summary (the share of its word pairs the summary holds, rouge-score with Porter stemming): at a
word budget the best sentences are the densest in the summary's word pairs. A ridge regression
(scikit-learn) over the features; the shipped selection standardises its scores within each story.

Prints, at each --mmr value, the dev ROUGE-2 of the hand-weighted ranking (the fact rank score's weights plus
HAND_COVERAGE x coverage, as round 3 shipped it) beside the learned weights' grouped 5-fold cross-validated
dev ROUGE-2 (folds by cluster: each fold's weights fitted on the other dev clusters), both through the
shipped selection; then the weights fitted on the whole dev half, in the form src/storyweave/thresholds.py
takes.

    .venv/bin/python bench/train_summary.py [--data DIR] [--limit N] [--mmr 0.25,0.5,1]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
from rouge_score import rouge_scorer
from sklearn.linear_model import Ridge

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from bench_data import require_data  # noqa: E402  (bench/ is on the path)
from storyweave import thresholds  # noqa: E402
from storyweave.analyse import resolve_times  # noqa: E402
from storyweave.compose.brief import shown_facts  # noqa: E402
from storyweave.compose.summary import (  # noqa: E402
    SENTENCE_FEATURES,
    Candidates,
    choose_summary,
    rank_facts,
    summary_candidates,
)
from storyweave.group import syndication_groups  # noqa: E402
from storyweave.model import AnalysedArticle, Fact, Story  # noqa: E402
from storyweave.pipeline import align_story  # noqa: E402
from storyweave.reconcile.entities import reconcile_entities  # noqa: E402
from storyweave.reconcile.publication import estimate_publication  # noqa: E402
from summary import half_of, load_clusters, prepare, within_budget  # noqa: E402

# Ridge strength: in an exploratory grouped CV on dev, alpha 0.1 .. 10 moved ROUGE-2 by 0.4 (noise).
ALPHA = 10.0
# The hand-weighted ranking this replaced: the rank score plus 3 x coverage (round 3's choice).
HAND_COVERAGE = 3.0


class Cluster:
    """One dev cluster's reference, story, articles and shown facts, with its candidates' features."""

    def __init__(self, cluster: dict[str, Any]) -> None:
        self.reference: str = cluster["summary"]
        self.budget = len(self.reference.split())
        story, docs = prepare(cluster)
        # the per-story stages in pipeline.brief_story's order, up to the facts compose receives
        story.syndication = syndication_groups(docs)
        docs = [resolve_times(d) for d in estimate_publication(docs)]
        entities = reconcile_entities(list(docs), story)
        facts, self.avoid, _ = shown_facts(align_story(docs, story, entities), entities, docs)
        self.story: Story = story
        self.docs: list[AnalysedArticle] = docs
        self.facts: list[Fact] = [r.fact for r in rank_facts(facts, docs, story)]
        self.candidates: Candidates = summary_candidates(self.facts, self.avoid, docs, story)

    def summary(self) -> str:
        """The shipped selection's summary at the reference's word budget (as bench/summary.py cuts it)."""
        chosen = choose_summary(
            self.facts, length=60, avoid=self.avoid, docs=self.docs, story=self.story, max_words=self.budget
        )
        return within_budget([s.text for s in chosen], self.budget)


@contextmanager
def setting(**values: Any) -> Iterator[None]:
    """thresholds.* temporarily set to ``values``."""
    old = {name: getattr(thresholds, name) for name in values}
    try:
        for name, value in values.items():
            setattr(thresholds, name, value)
        yield
    finally:
        for name, value in old.items():
            setattr(thresholds, name, value)


def fit(clusters: Sequence[Cluster], scorer: rouge_scorer.RougeScorer) -> dict[str, float]:
    """Ridge weights over SENTENCE_FEATURES predicting each candidate's ROUGE-2 precision."""
    rows = [c.candidates.features for c in clusters if len(c.candidates.texts)]
    targets = [
        scorer.score(c.reference, text)["rouge2"].precision for c in clusters for text in c.candidates.texts
    ]
    model = Ridge(alpha=ALPHA).fit(np.vstack(rows), np.array(targets))
    return {name: round(float(w), 4) for name, w in zip(SENTENCE_FEATURES, model.coef_, strict=True)}


def hand_weights() -> dict[str, float]:
    """The hand-weighted ranking as sentence weights: the rank score's weights plus coverage."""
    weights = dict.fromkeys(SENTENCE_FEATURES, 0.0)
    weights.update(
        support=thresholds.SUMMARY_SUPPORT_WEIGHT,
        centrality=thresholds.SUMMARY_CENTRALITY_WEIGHT,
        lead=thresholds.SUMMARY_LEAD_WEIGHT,
        recency=thresholds.SUMMARY_RECENCY_WEIGHT,
        number=thresholds.SUMMARY_NUMBER_WEIGHT,
        coverage=HAND_COVERAGE,
    )
    return weights


def rouge2(clusters: Sequence[Cluster], scorer: rouge_scorer.RougeScorer) -> list[float]:
    return [100 * scorer.score(c.reference, c.summary())["rouge2"].fmeasure for c in clusters]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data", help="data folder")
    parser.add_argument("--limit", type=int, default=None, help="first N clusters of the file only")
    parser.add_argument("--mmr", default="0.25,0.5,1", help="MMR weights to cross-validate (comma list)")
    args = parser.parse_args(argv)
    require_data(args.data, "multinews/clusters.jsonl")
    wall, cpu = time.perf_counter(), time.process_time()
    raw = load_clusters(args.data / "multinews" / "clusters.jsonl", args.limit)
    dev = [Cluster(c) for i, c in enumerate(raw) if half_of(i) == "dev"]
    scorer = rouge_scorer.RougeScorer(["rouge2"], use_stemmer=True)
    print(f"dev clusters: {len(dev)}; ROUGE-2 F1 at the editor summary's length")
    print(f"{'MMR':>6} {'hand weights':>13} {'learned (5-fold CV)':>20}")
    folds = 5
    for mmr in (float(x) for x in args.mmr.split(",")):
        with setting(SUMMARY_SENTENCE_WEIGHTS=hand_weights(), SUMMARY_MMR=mmr):
            hand = statistics.fmean(rouge2(dev, scorer))
        scores = []
        for k in range(folds):
            held = dev[k::folds]
            weights = fit([c for c in dev if c not in held], scorer)
            with setting(SUMMARY_SENTENCE_WEIGHTS=weights, SUMMARY_MMR=mmr):
                scores.extend(rouge2(held, scorer))
        print(f"{mmr:>6} {hand:>13.2f} {statistics.fmean(scores):>20.2f}")
    weights = fit(dev, scorer)
    print("SUMMARY_SENTENCE_WEIGHTS = {")
    for name, w in weights.items():
        print(f'    "{name}": {w},')
    print("}")
    print(f"{time.perf_counter() - wall:.1f} s wall, {time.process_time() - cpu:.1f} CPU-s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
