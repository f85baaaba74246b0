"""Contested points: does source B state something differently from source A? Two development sets.

Usage: python bench/disagreements.py [--data DIR] [--json FILE] [--limit N] [--only summedits|pairs]

1. SummEdits news (../shared/data/summedits/news.jsonl): a news document (source A, cleaned like any input)
   and a short text (source B, taken as it is) that is consistent with it or was edited to contradict it.
   "B disagrees with A" is "the contested-point stage reports a disagreement". Split by a fixed rule:
   documents whose sha256 is odd are the test half, the rest dev (tune on dev only).
2. Cross-outlet pairs labelled by hand from Multi-News and ECB+ clusters
   (tests/fixtures/bench/discrepancies/pairs.jsonl, rules in its README.md): both whole articles are
   analysed as a two-article story; a pair is flagged when one disagreement holds a value citing the
   pair's sentence in A and another value citing its sentence in B. Recall on discrepancies and the
   false-alarm rate on consistent pairs, per kind, dev and test halves.

Both sets run the real per-story stages a disagreement needs (syndication, publication dates, times,
entities, alignment into facts, contested points) on one analysis, and print each stage's time.
Baseline, in the same run on the same analysis: "unsupported numbers or names": B disagrees when it
states a figure that no figure of A is consistent with (:func:`storyweave.analyse.numbers.consistent`), or
names an entity whose name does not occur in A; on the pairs, only the two sentences are compared.

LEARNED: the logistic regression of :mod:`storyweave.reconcile.disagreements.combination` (coefficients
in its ``combination.json``, fitted on the dev halves by ``bench/train_contest_combination.py`` from the
feature rows this bench writes with ``--features FILE``), at its shipped threshold, in the same run.

A fair comparison: besides each method's shipped decision, each method's score (ours: how many contested
points; baseline: how many unsupported figures and names; learned: its probability) is cut at the lowest
threshold with at most 5% false alarms on that set's dev half, and the rates at that threshold are printed
for both halves with the score's ROC-AUC, overall and per kind (per kind at the same thresholds).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from bench_data import require_data  # noqa: E402  (bench/bench_data.py; bench/ is on the path)
from storyweave.analyse import analyse_articles, resolve_times  # noqa: E402
from storyweave.analyse.names import name_key  # noqa: E402
from storyweave.analyse.numbers import consistent, find_numbers  # noqa: E402
from storyweave.clean import clean_article  # noqa: E402
from storyweave.group import syndication_groups  # noqa: E402
from storyweave.model import AnalysedArticle, Article, Disagreement, Mention, Story  # noqa: E402
from storyweave.pipeline import align_story  # noqa: E402
from storyweave.reconcile.disagreements import combination, find_disagreements  # noqa: E402
from storyweave.reconcile.entities import reconcile_entities  # noqa: E402
from storyweave.reconcile.publication import estimate_publication  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data"
PAIRS = ROOT / "tests" / "fixtures" / "bench" / "discrepancies" / "pairs.jsonl"
NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT", "WORK_OF_ART", "LAW", "PRODUCT"}
T = TypeVar("T")


class Stages:
    """Wall and CPU seconds per stage, summed over the run."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = defaultdict(float)
        self.cpu: dict[str, float] = defaultdict(float)

    @contextmanager
    def timed(self, name: str) -> Iterator[None]:
        wall, cpu = time.perf_counter(), time.process_time()
        yield
        self.wall[name] += time.perf_counter() - wall
        self.cpu[name] += time.process_time() - cpu

    def run(self, name: str, fn: Callable[[], T]) -> T:
        with self.timed(name):
            return fn()

    def table(self) -> str:
        return ", ".join(f"{k} {self.wall[k]:.1f} s (CPU {self.cpu[k]:.1f} s)" for k in self.wall)


def contested(docs: list[AnalysedArticle], stages: Stages) -> list[Disagreement]:
    """The per-story stages a disagreement needs, on a story of ``docs``, as ``pipeline.brief_story`` runs
    them (alignment included: the similar-sentence passes compare only claims of one aligned fact)."""
    story = Story(id="s", article_ids=[d.article.id for d in docs])
    story.syndication = stages.run("syndication", lambda: syndication_groups(docs))
    docs = stages.run("times", lambda: [resolve_times(d) for d in estimate_publication(docs)])
    index = stages.run("entities", lambda: reconcile_entities(docs, story))
    facts = stages.run("alignment", lambda: align_story(docs, story, index))
    by_id = {d.article.id: d for d in docs}
    return stages.run("disagreements", lambda: find_disagreements(facts, by_id, story, index))


def unsupported_count(text_a: str, text_b: str, mentions_b: Sequence[Mention]) -> int:
    """The baseline's score: how many figures and names of B that A does not support."""
    figures_a = find_numbers(text_a)
    figures = sum(not any(consistent(q, other) for other in figures_a) for q in find_numbers(text_b))
    words_a = set(re.findall(r"\w+", text_a.casefold()))
    names = sum(m.label in NAME_LABELS and not set(name_key(m.name)) <= words_a for m in mentions_b)
    return figures + names


def _rates(pred: Sequence[bool], gold: Sequence[bool]) -> dict[str, float]:
    tp = sum(p and g for p, g in zip(pred, gold, strict=True))
    fp = sum(p and not g for p, g in zip(pred, gold, strict=True))
    pos, neg = sum(gold), len(gold) - sum(gold)
    recall = tp / pos if pos else 0.0
    false_alarms = fp / neg if neg else 0.0
    return {
        "n": len(gold),
        "positives": pos,
        "balanced_accuracy": (recall + 1 - false_alarms) / 2,
        "recall": recall,
        "false_alarm_rate": false_alarms,
        "flagged": sum(pred),
    }


def _half(text: str) -> str:
    return "test" if int(hashlib.sha256(text.encode("utf-8")).hexdigest(), 16) % 2 else "dev"


# --------------------------------------------------------------------------------------------------
# SummEdits


def _learned_score(row: dict[str, float]) -> float:
    """The shipped learned combination's score; 0 when no coefficients were fitted yet."""
    return combination.score(row) if combination.COEFFICIENTS.exists() else 0.0


def _learned(row: dict[str, float]) -> bool:
    """The shipped learned combination's decision; False when no coefficients were fitted yet."""
    return combination.COEFFICIENTS.exists() and combination.confident(row)


def _texts(doc: AnalysedArticle, ids: set[str] | None = None) -> list[str]:
    return [s.text for s in doc.sentences if ids is None or s.id in ids]


def _row(
    half: str, gold: bool, found: Sequence[Disagreement], baseline: int, feats: dict[str, float], **extra: Any
) -> dict[str, Any]:
    """One judged pair: each system's shipped decision ("flag") and its score (for the threshold set on dev
    and ROC-AUC): ours = how many contested points, baseline = how many unsupported figures and names,
    learned = the combination's probability."""
    return {
        "half": half, "gold": gold,
        "flag": {"ours": bool(found), "baseline": baseline > 0, "learned": _learned(feats)},
        "score": {"ours": float(len(found)), "baseline": float(baseline), "learned": _learned_score(feats)},
        "ours_kinds": sorted({d.kind for d in found}),
        **extra,
    }  # fmt: skip


def run_summedits(
    rows: Sequence[dict[str, Any]], stages: Stages, feature_rows: list[dict[str, Any]]
) -> dict[str, Any]:
    doc_ids: dict[str, str] = {}
    articles: list[Article] = []
    for row in rows:
        if row["doc"] not in doc_ids:
            doc_ids[row["doc"]] = f"a{len(doc_ids):03d}"
            articles.append(clean_article(Article(id=doc_ids[row["doc"]], raw_text=row["doc"])))
    for i, row in enumerate(rows):
        text = " ".join(row["summary"].split())
        articles.append(Article(id=f"b{i:04d}", raw_text=text, text=text))
    analysed = {d.article.id: d for d in stages.run("analyse", lambda: analyse_articles(articles))}
    judged: list[dict[str, Any]] = []
    kinds: dict[str, dict[str, int]] = {"edited": defaultdict(int), "consistent": defaultdict(int)}
    for i, row in enumerate(rows):
        a, b = analysed[doc_ids[row["doc"]]], analysed[f"b{i:04d}"]
        found = contested([a, b], stages)
        base = unsupported_count(a.article.text, b.article.text, b.mentions)
        with stages.timed("features"):
            feats = combination.features(found, _texts(a), _texts(b), b.mentions)
        half = _half(row["doc"])
        judged.append(_row(half, not row["consistent"], found, base, feats, edits=row["edit_types"] or []))
        feature_rows.append({
            "set": "summedits", "half": half, "group": doc_ids[row["doc"]], "gold": not row["consistent"],
            "ours": bool(found), "baseline": base > 0, "features": feats,
        })  # fmt: skip
        for d in found:
            kinds["consistent" if row["consistent"] else "edited"][d.kind] += 1
    result = evaluate(judged, per_kind=False)
    result.update({"pairs": len(rows), "documents": len(doc_ids), "kinds": kinds})
    return result


# --------------------------------------------------------------------------------------------------
# Hand-labelled cross-outlet pairs


def _article_texts(data: Path, wanted: set[str]) -> dict[str, str]:
    """Article id -> text, normalised as the pairs were mined (whitespace collapsed)."""
    texts: dict[str, str] = {}
    with (data / "multinews" / "clusters.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            for i, text in enumerate(row["articles"]):
                if f"{row['id']}-{i}" in wanted:
                    texts[f"{row['id']}-{i}"] = " ".join(text.split())
    with (data / "ecbplus" / "docs.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if row["id"] in wanted:
                texts[row["id"]] = " ".join(f"{row['title'] or ''}\n{row['text']}".split())
    return texts


def _sentence_ids(doc: AnalysedArticle, sentence: str) -> set[str]:
    start = doc.article.text.find(sentence)
    if start < 0:
        return set()
    end = start + len(sentence)
    return {s.id for s in doc.sentences if s.start < end and start < s.end}


def run_pairs(
    data: Path, pairs: Sequence[dict[str, Any]], stages: Stages, feature_rows: list[dict[str, Any]]
) -> dict[str, Any]:
    texts = _article_texts(data, {p["a_id"] for p in pairs} | {p["b_id"] for p in pairs})
    articles = [Article(id=aid, raw_text=text, text=text) for aid, text in sorted(texts.items())]
    analysed = {d.article.id: d for d in stages.run("analyse", lambda: analyse_articles(articles))}
    by_story: dict[tuple[str, str], list[Disagreement]] = {}
    judged: list[dict[str, Any]] = []
    unlocated = []
    for p in pairs:
        key = (p["a_id"], p["b_id"])
        if key not in by_story:
            by_story[key] = contested([analysed[p["a_id"]], analysed[p["b_id"]]], stages)
        in_a = _sentence_ids(analysed[p["a_id"]], p["a"])
        in_b = _sentence_ids(analysed[p["b_id"]], p["b"])
        if not (in_a and in_b):
            unlocated.append(p["id"])
        hits = [
            d
            for d in by_story[key]
            if any(set(v.sentence_ids) & in_a for v in d.values)
            and any(set(v.sentence_ids) & in_b for v in d.values)
        ]
        b_mentions = [m for m in analysed[p["b_id"]].mentions if f"{m.article_id}#{m.sentence_index}" in in_b]
        a_texts = _texts(analysed[p["a_id"]], in_a) or [p["a"]]
        b_texts = _texts(analysed[p["b_id"]], in_b) or [p["b"]]
        with stages.timed("features"):
            feats = combination.features(hits, a_texts, b_texts, b_mentions)
        gold = p["label"] == "discrepancy"
        base = unsupported_count(p["a"], p["b"], b_mentions)
        judged.append(_row(p["half"], gold, hits, base, feats, id=p["id"], kind=p["kind"]))
        feature_rows.append({
            "set": "pairs", "id": p["id"], "half": p["half"], "group": p["cluster"], "kind": p["kind"],
            "gold": gold, "ours": bool(hits), "baseline": base > 0, "features": feats,
        })  # fmt: skip
    result = evaluate(judged, per_kind=True)
    result.update({"pairs": len(judged), "unlocated": unlocated})
    for half in ("dev", "test"):
        result[half]["flagged"] = [
            (r["id"], r["gold"], r["ours_kinds"]) for r in judged if r["half"] == half and r["flag"]["ours"]
        ]
        result[half]["missed"] = [
            r["id"] for r in judged if r["half"] == half and r["gold"] and not r["flag"]["ours"]
        ]
    return result


# --------------------------------------------------------------------------------------------------
# Figures: each system's shipped decision, and its score at a threshold set on the dev half


SYSTEMS = ("ours", "baseline", "learned")
NAMES = {
    "ours": "OURS contested points",
    "baseline": "BASELINE unsupported numbers/names",
    "learned": "LEARNED combination",
}
MAX_DEV_FALSE_ALARMS = 0.05


def dev_threshold(
    scores: Sequence[float], gold: Sequence[bool], max_fa: float = MAX_DEV_FALSE_ALARMS
) -> float:
    """The lowest score threshold (flag when score >= it) whose false-alarm rate on these dev rows is at
    most ``max_fa``; infinity (flag nothing) when even the highest score breaks it. A score of 0 is never
    a flag (ours and the baseline score 0 when they find nothing)."""
    negatives = [s for s, g in zip(scores, gold, strict=True) if not g]
    for t in sorted({s for s in scores if s > 0}):
        if sum(n >= t for n in negatives) <= max_fa * len(negatives):
            return t
    return math.inf


def roc_auc(scores: Sequence[float], gold: Sequence[bool]) -> float:
    """ROC-AUC of a score (scikit-learn); NaN when one class is absent."""
    from sklearn.metrics import roc_auc_score

    if len(set(gold)) < 2:
        return math.nan
    return float(roc_auc_score(list(gold), list(scores)))


def evaluate(rows: Sequence[dict[str, Any]], per_kind: bool) -> dict[str, Any]:
    """Per half and system: the shipped decision's rates ("shipped"), the score's ROC-AUC, and the rates at
    the threshold set on the dev half for at most 5% false alarms ("at_dev_5pct"); per kind with
    ``per_kind``, at the same thresholds."""
    dev = [r for r in rows if r["half"] == "dev"]
    thresholds = {s: dev_threshold([r["score"][s] for r in dev], [r["gold"] for r in dev]) for s in SYSTEMS}
    result: dict[str, Any] = {"thresholds": thresholds}

    def figures(sub: Sequence[dict[str, Any]]) -> dict[str, Any]:
        gold = [r["gold"] for r in sub]
        return {
            s: {
                "shipped": _rates([r["flag"][s] for r in sub], gold),
                "at_dev_5pct": _rates([r["score"][s] >= thresholds[s] for r in sub], gold),
                "roc_auc": roc_auc([r["score"][s] for r in sub], gold),
            }
            for s in SYSTEMS
        }

    for half in ("dev", "test"):
        sub = [r for r in rows if r["half"] == half]
        result[half] = {"all": figures(sub)}
        if per_kind:
            result[half]["per_kind"] = {
                kind: figures([r for r in sub if r["kind"] == kind])
                for kind in sorted({r["kind"] for r in sub})
            }
    return result


HEAD = (
    f"  {'':40s} {'n':>4s} {'pos':>4s} | {'shipped: bal.acc':>16s} {'recall':>6s} {'FA':>6s} |"
    f" {'ROC-AUC':>7s} | {'at dev<=5% FA: bal.acc':>22s} {'recall':>6s} {'FA':>6s}"
)


def _line(name: str, f: dict[str, Any]) -> str:
    shipped, at5 = f["shipped"], f["at_dev_5pct"]
    return (
        f"  {name:40s} {shipped['n']:4.0f} {shipped['positives']:4.0f} | "
        f"{shipped['balanced_accuracy']:16.3f} {shipped['recall']:6.3f} {shipped['false_alarm_rate']:6.3f} | "
        f"{f['roc_auc']:7.3f} | "
        f"{at5['balanced_accuracy']:22.3f} {at5['recall']:6.3f} {at5['false_alarm_rate']:6.3f}"
    )


def _print_halves(result: dict[str, Any]) -> None:
    shown = ", ".join(f"{s} {t:g}" for s, t in result["thresholds"].items())
    print(f" score thresholds set on the dev half for at most 5% false alarms: {shown}")
    print(" (learned: fitted on the dev halves, so its dev figures are in-sample; see")
    print("  bench/train_contest_combination.py for its cross-validated dev figures)")
    for half in ("dev", "test"):
        print(f" {half} half\n{HEAD}")
        for system in SYSTEMS:
            print(_line(NAMES[system], result[half]["all"][system]))
        for kind, figs in result[half].get("per_kind", {}).items():
            for system in SYSTEMS:
                print(_line(f"  {kind}: {system}", figs[system]))


def print_summedits(result: dict[str, Any]) -> None:
    print(f"\nSummEdits news: {result['pairs']} pairs over {result['documents']} documents")
    _print_halves(result)
    kinds = result["kinds"]
    print(f" our kinds on edited pairs: {dict(kinds['edited'])}; on consistent: {dict(kinds['consistent'])}")


def print_pairs(result: dict[str, Any]) -> None:
    print(f"\nCross-outlet pairs (hand-labelled): {result['pairs']} pairs")
    if result["unlocated"]:
        print(f" sentences not found in their analysed article: {result['unlocated']}")
    _print_halves(result)
    print(f" dev discrepancies missed by ours: {result['dev']['missed']}")
    print(f" dev false alarms of ours: {[f[0] for f in result['dev']['flagged'] if not f[1]]}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument("--limit", type=int, default=None, help="only the first N rows of each set")
    parser.add_argument("--only", choices=("summedits", "pairs"), default=None)
    parser.add_argument(
        "--features", type=Path, default=None, help="write one feature row per pair here (for training)"
    )
    args = parser.parse_args(argv)
    require_data(args.data, "summedits/news.jsonl", "multinews/clusters.jsonl", "ecbplus/docs.jsonl")
    started, cpu = time.perf_counter(), time.process_time()
    results: dict[str, Any] = {}
    feature_rows: list[dict[str, Any]] = []
    for name in ("summedits", "pairs"):
        if args.only not in (None, name):
            continue
        stages = Stages()
        if name == "summedits":
            with (args.data / "summedits" / "news.jsonl").open(encoding="utf-8") as handle:
                rows = [json.loads(line) for line in handle if line.strip()][: args.limit]
            results[name] = run_summedits(rows, stages, feature_rows)
            print_summedits(results[name])
        else:
            with PAIRS.open(encoding="utf-8") as handle:
                pairs = [json.loads(line) for line in handle if line.strip()][: args.limit]
            results[name] = run_pairs(args.data, pairs, stages, feature_rows)
            print_pairs(results[name])
        print(f" per stage: {stages.table()}")
    if args.features:
        with args.features.open("w", encoding="utf-8") as handle:
            handle.writelines(json.dumps(r) + "\n" for r in feature_rows)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    print(f"({seconds:.0f} s wall, {cpu_seconds:.0f} s CPU)")
    if args.json:
        results["seconds"] = seconds
        args.json.write_text(json.dumps(results, indent=2, default=list) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
