"""Disagreement detection: does source B contradict source A? On the news part of SummEdits.

Usage: .venv/bin/python bench/disagreements.py [--data DIR] [--json FILE] [--limit N]

Each row of ../shared/data/summedits/news.jsonl is a news document and a short text that either is
consistent with it or was edited to contradict it (entity swaps, antonyms, negations, invented facts).
The document is source A (cleaned like any input article), the short text source B (taken as it is:
the cleaner would read a one-line text as a headline). Both are analysed once; each pair then runs the
real per-story stages (:func:`storyweave.pipeline.brief_story`: syndication, times, entities, fact
alignment, disagreements) as a two-article story, and "B disagrees with A" is "the brief lists a
disagreement". Reported: balanced accuracy, recall on the edited pairs, and the false-alarm rate on the
consistent pairs (a brief that cries wolf loses its readers).

Baseline, in the same run on the same analysis: "unsupported numbers or names": B disagrees when it
states a figure that no figure of A is consistent with (:func:`storyweave.analyse.numbers.consistent`), or
names an entity (spaCy NER, normalised) whose name does not occur in A.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from bench_data import require_data  # noqa: E402  (bench/bench_data.py; bench/ is on the path)
from storyweave.analyse import analyse_articles  # noqa: E402
from storyweave.analyse.names import name_key  # noqa: E402
from storyweave.analyse.numbers import consistent, find_numbers  # noqa: E402
from storyweave.clean import clean_article  # noqa: E402
from storyweave.model import AnalysedArticle, Article, Story  # noqa: E402
from storyweave.pipeline import brief_story  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data"
NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT", "WORK_OF_ART", "LAW", "PRODUCT"}


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def unsupported(a: AnalysedArticle, b: AnalysedArticle) -> bool:
    """The baseline: B states a figure or a name that A does not support."""
    figures_a = find_numbers(a.article.text)
    for quantity in find_numbers(b.article.text):
        if not any(consistent(quantity, other) for other in figures_a):
            return True
    words_a = set(re.findall(r"\w+", a.article.text.casefold()))
    for mention in b.mentions:
        if mention.label in NAME_LABELS and not set(name_key(mention.name)) <= words_a:
            return True
    return False


def run(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    doc_ids: dict[str, str] = {}
    articles: list[Article] = []
    for row in rows:
        if row["doc"] not in doc_ids:
            doc_ids[row["doc"]] = f"a{len(doc_ids):03d}"
            articles.append(clean_article(Article(id=doc_ids[row["doc"]], raw_text=row["doc"])))
    for i, row in enumerate(rows):
        text = " ".join(row["summary"].split())
        articles.append(Article(id=f"b{i:04d}", raw_text=text, text=text))
    analysed = {d.article.id: d for d in analyse_articles(articles)}
    systems = ("OURS brief disagreements", "BASELINE unsupported numbers/names")
    predictions: dict[str, list[bool]] = {s: [] for s in systems}
    kinds: Counter[str] = Counter()
    kinds_on_consistent: Counter[str] = Counter()
    for i, row in enumerate(rows):
        a, b = analysed[doc_ids[row["doc"]]], analysed[f"b{i:04d}"]
        story = Story(id=f"s{i}", article_ids=[a.article.id, b.article.id])
        brief = brief_story(story, [a, b])
        predictions[systems[0]].append(bool(brief.disagreements))
        predictions[systems[1]].append(unsupported(a, b))
        for d in brief.disagreements:
            (kinds_on_consistent if row["consistent"] else kinds)[d.kind] += 1
    gold = [not row["consistent"] for row in rows]
    edit_types = [row.get("edit_types") or ["unlabelled"] for row in rows]
    table = []
    for system in systems:
        pred = predictions[system]
        tp = sum(p and g for p, g in zip(pred, gold, strict=True))
        fp = sum(p and not g for p, g in zip(pred, gold, strict=True))
        positives, negatives = sum(gold), len(gold) - sum(gold)
        recall = tp / positives if positives else 0.0
        false_alarms = fp / negatives if negatives else 0.0
        by_type: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for p, g, types in zip(pred, gold, edit_types, strict=True):
            if g:
                for t in types:
                    by_type[t][0] += int(p)
                    by_type[t][1] += 1
        table.append({
            "system": system,
            "balanced_accuracy": (recall + (1 - false_alarms)) / 2,
            "recall_inconsistent": recall,
            "false_alarm_rate": false_alarms,
            "precision": tp / (tp + fp) if tp + fp else 0.0,
            "flagged": sum(pred),
            "recall_by_edit_type": {t: hit / n for t, (hit, n) in sorted(by_type.items())},
        })  # fmt: skip
    return {
        "pairs": len(rows),
        "inconsistent": sum(gold),
        "consistent": len(gold) - sum(gold),
        "documents": len(doc_ids),
        "rows": table,
        "our_kinds_on_inconsistent": dict(kinds),
        "our_kinds_on_consistent": dict(kinds_on_consistent),
    }


def print_table(result: dict[str, Any]) -> None:
    print(
        f"\nDisagreements on SummEdits news ({result['pairs']} pairs over {result['documents']} documents: "
        f"{result['inconsistent']} edited to contradict, {result['consistent']} consistent)"
    )
    columns = ("bal.acc", "recall", "false alarms", "precision", "flagged")
    head = f"{'system':38s} " + " ".join(f"{c:>{max(7, len(c))}s}" for c in columns)
    print(head)
    print("-" * len(head))
    for r in result["rows"]:
        print(
            f"{r['system']:38s} {r['balanced_accuracy']:7.3f} {r['recall_inconsistent']:7.3f} "
            f"{r['false_alarm_rate']:12.3f} {r['precision']:9.3f} {r['flagged']:7d}"
        )
    print("recall by edit type:")
    for r in result["rows"]:
        shown = ", ".join(f"{t} {v:.2f}" for t, v in r["recall_by_edit_type"].items())
        print(f"  {r['system']:36s} {shown}")
    print(f"our kinds on edited pairs: {result['our_kinds_on_inconsistent']}; "
          f"on consistent pairs: {result['our_kinds_on_consistent']}")  # fmt: skip
    print(f"({result['seconds']:.0f} s)")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument("--limit", type=int, default=None, help="only the first N pairs")
    args = parser.parse_args(argv)
    require_data(args.data, "summedits/news.jsonl")
    started = time.perf_counter()
    rows = _read_jsonl(args.data / "summedits" / "news.jsonl")
    if args.limit:
        rows = rows[: args.limit]
    result = run(rows)
    result["seconds"] = time.perf_counter() - started
    print_table(result)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
