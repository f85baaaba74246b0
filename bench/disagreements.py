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
"""

from __future__ import annotations

import argparse
import hashlib
import json
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


def unsupported(text_a: str, text_b: str, mentions_b: Sequence[Mention]) -> bool:
    """The baseline: B states a figure or a name that A does not support."""
    figures_a = find_numbers(text_a)
    if any(not any(consistent(q, other) for other in figures_a) for q in find_numbers(text_b)):
        return True
    words_a = set(re.findall(r"\w+", text_a.casefold()))
    return any(m.label in NAME_LABELS and not set(name_key(m.name)) <= words_a for m in mentions_b)


def _rates(pred: Sequence[bool], gold: Sequence[bool]) -> dict[str, float]:
    tp = sum(p and g for p, g in zip(pred, gold, strict=True))
    fp = sum(p and not g for p, g in zip(pred, gold, strict=True))
    pos, neg = sum(gold), len(gold) - sum(gold)
    recall = tp / pos if pos else 0.0
    false_alarms = fp / neg if neg else 0.0
    return {
        "n": len(gold),
        "balanced_accuracy": (recall + 1 - false_alarms) / 2,
        "recall": recall,
        "false_alarm_rate": false_alarms,
        "flagged": sum(pred),
    }


def _half(text: str) -> str:
    return "test" if int(hashlib.sha256(text.encode("utf-8")).hexdigest(), 16) % 2 else "dev"


# --------------------------------------------------------------------------------------------------
# SummEdits


def _learned(row: dict[str, float]) -> bool:
    """The shipped learned combination's decision; False when no coefficients were fitted yet."""
    return combination.COEFFICIENTS.exists() and combination.confident(row)


def _texts(doc: AnalysedArticle, ids: set[str] | None = None) -> list[str]:
    return [s.text for s in doc.sentences if ids is None or s.id in ids]


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
    ours: list[bool] = []
    base: list[bool] = []
    learned: list[bool] = []
    kinds: dict[str, dict[str, int]] = {"edited": defaultdict(int), "consistent": defaultdict(int)}
    for i, row in enumerate(rows):
        a, b = analysed[doc_ids[row["doc"]]], analysed[f"b{i:04d}"]
        found = contested([a, b], stages)
        ours.append(bool(found))
        base.append(unsupported(a.article.text, b.article.text, b.mentions))
        with stages.timed("features"):
            feats = combination.features(found, _texts(a), _texts(b), b.mentions)
        learned.append(_learned(feats))
        feature_rows.append({
            "set": "summedits", "half": _half(row["doc"]), "group": doc_ids[row["doc"]],
            "gold": not row["consistent"],
            "ours": bool(found), "baseline": base[-1], "features": feats,
        })  # fmt: skip
        for d in found:
            kinds["consistent" if row["consistent"] else "edited"][d.kind] += 1
    gold = [not row["consistent"] for row in rows]
    halves = [_half(row["doc"]) for row in rows]
    result: dict[str, Any] = {"pairs": len(rows), "documents": len(doc_ids), "kinds": kinds}
    for half in ("dev", "test"):
        keep = [h == half for h in halves]
        g = [x for x, k in zip(gold, keep, strict=True) if k]
        result[half] = {
            "ours": _rates([x for x, k in zip(ours, keep, strict=True) if k], g),
            "baseline": _rates([x for x, k in zip(base, keep, strict=True) if k], g),
            "learned": _rates([x for x, k in zip(learned, keep, strict=True) if k], g),
        }
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
    rows = []
    for p in pairs:
        key = (p["a_id"], p["b_id"])
        if key not in by_story:
            by_story[key] = contested([analysed[p["a_id"]], analysed[p["b_id"]]], stages)
        in_a = _sentence_ids(analysed[p["a_id"]], p["a"])
        in_b = _sentence_ids(analysed[p["b_id"]], p["b"])
        hits = [
            d
            for d in by_story[key]
            if any(set(v.sentence_ids) & in_a for v in d.values)
            and any(set(v.sentence_ids) & in_b for v in d.values)
        ]
        b_mentions = [
            m for m in analysed[p["b_id"]].mentions if f"{m.article_id}#{m.sentence_index}" in in_b
        ]
        a_texts = _texts(analysed[p["a_id"]], in_a) or [p["a"]]
        b_texts = _texts(analysed[p["b_id"]], in_b) or [p["b"]]
        with stages.timed("features"):
            feats = combination.features(hits, a_texts, b_texts, b_mentions)
        rows.append({
            "id": p["id"], "half": p["half"], "kind": p["kind"], "gold": p["label"] == "discrepancy",
            "ours": bool(hits), "ours_kinds": sorted({d.kind for d in hits}),
            "baseline": unsupported(p["a"], p["b"], b_mentions), "located": bool(in_a and in_b),
            "learned": _learned(feats),
        })  # fmt: skip
        feature_rows.append({
            "set": "pairs", "id": p["id"], "half": p["half"], "group": p["cluster"], "kind": p["kind"],
            "gold": rows[-1]["gold"],
            "ours": rows[-1]["ours"], "baseline": rows[-1]["baseline"], "features": feats,
        })  # fmt: skip
    result: dict[str, Any] = {"pairs": len(rows), "unlocated": [r["id"] for r in rows if not r["located"]]}
    for half in ("dev", "test"):
        sub = [r for r in rows if r["half"] == half]
        per_kind: dict[str, Any] = {}
        for kind in sorted({r["kind"] for r in sub}):
            k = [r for r in sub if r["kind"] == kind]
            per_kind[kind] = {
                system: _rates([r[system] for r in k], [r["gold"] for r in k])
                for system in SYSTEMS
            }
        result[half] = {
            "all": {
                s: _rates([r[s] for r in sub], [r["gold"] for r in sub]) for s in SYSTEMS
            },
            "per_kind": per_kind,
            "flagged": [(r["id"], r["gold"], r["ours_kinds"]) for r in sub if r["ours"]],
        }
    return result


# --------------------------------------------------------------------------------------------------


def _row(name: str, r: dict[str, float]) -> str:
    return (
        f"  {name:34s} {r['n']:5.0f} {r['balanced_accuracy']:8.3f} {r['recall']:7.3f} "
        f"{r['false_alarm_rate']:13.3f} {r['flagged']:8.0f}"
    )


SYSTEMS = ("ours", "baseline", "learned")
NAMES = {
    "ours": "OURS contested points",
    "baseline": "BASELINE unsupported numbers/names",
    "learned": "LEARNED combination",
}
HEAD = f"  {'':34s} {'n':>5s} {'bal.acc':>8s} {'recall':>7s} {'false alarms':>13s} {'flagged':>8s}"


def print_summedits(result: dict[str, Any]) -> None:
    print(f"\nSummEdits news: {result['pairs']} pairs over {result['documents']} documents")
    for half in ("dev", "test"):
        print(f" {half} half\n{HEAD}")
        for system in SYSTEMS:
            print(_row(NAMES[system], result[half][system]))
    kinds = result["kinds"]
    print(f" our kinds on edited pairs: {dict(kinds['edited'])}; on consistent: {dict(kinds['consistent'])}")


def print_pairs(result: dict[str, Any]) -> None:
    print(f"\nCross-outlet pairs (hand-labelled): {result['pairs']} pairs")
    if result["unlocated"]:
        print(f" sentences not found in their analysed article: {result['unlocated']}")
    for half in ("dev", "test"):
        print(f" {half} half\n{HEAD}")
        for system in SYSTEMS:
            print(_row(NAMES[system], result[half]["all"][system]))
        for kind, rows in result[half]["per_kind"].items():
            for system in SYSTEMS:
                print(_row(f"  {kind}: {system}", rows[system]))


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
