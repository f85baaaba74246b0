"""Time expressions resolved to absolute dates: exact-match accuracy on hand-resolved Multi-News expressions.

Usage: .venv/bin/python bench/times.py [--data DIR] [--json FILE] [--limit N] [--errors]

Gold: tests/fixtures/bench/times_gold.jsonl, time expressions of Multi-News articles whose publication date is
stated in the text or fixed by their story (each row says which date was used and why), resolved by hand to
an ISO day, ISO week (2015-W31), month, year or range ("2016-08-27/2016-08-28"). Rows of the "dev" split were
read while the resolver was being fixed; the "held-out" rows (four other articles) were labelled after those
fixes and not used to change the code. The article texts ship in time_articles.jsonl; when ``--data`` holds
multinews/clusters.jsonl the texts are checked against it (sha1).

Ours: each article goes through ``clean_article`` and ``analyse_articles``, gets the gold publication date,
and is resolved by ``resolve_times`` (the pipeline's path). A gold expression is detected when one of our time
references overlaps it (located through its context snippet in the cleaned text); it is resolved correctly
when that reference's value equals the gold value. An expression whose context the cleaner removed counts as
missed.

Baseline, same run: dateparser.parse on the gold expression as written (a leading "on"/"in" and a possessive
dropped, as dateparser reads neither), with RELATIVE_BASE = the publication date; its answer is cut to the
gold granularity (day, ISO week, month or year; it has no ranges), so it is only asked to get the date right.
The baseline is handed every expression, so it has no detection figure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import dateparser

from storyweave.analyse import analyse_articles, resolve_times
from storyweave.clean import clean_article
from storyweave.model import AnalysedArticle, Article, TimeRef

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data"
FIXTURES = REPO / "tests" / "fixtures" / "bench"


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _key(row: dict[str, Any]) -> str:
    return f"{row['cluster_id']}-{row['article_index']}"


def load(data: Path, limit: int | None) -> tuple[list[Article], list[dict[str, Any]]]:
    """Fixture articles (of the first ``limit`` articles with gold) and their gold expressions."""
    rows = _read_jsonl(FIXTURES / "time_articles.jsonl")
    for row in rows:
        if hashlib.sha1(row["text"].encode("utf-8")).hexdigest() != row["text_sha1"]:
            sys.exit(f"fixture text of {_key(row)} does not match its sha1")
    source = data / "multinews" / "clusters.jsonl"
    if source.exists():
        texts = {c["id"]: c["articles"] for c in _read_jsonl(source)}
        for row in rows:
            original = texts.get(row["cluster_id"])
            digest = (
                hashlib.sha1(original[row["article_index"]].encode("utf-8")).hexdigest() if original else ""
            )
            if digest != row["text_sha1"]:
                sys.exit(f"{_key(row)}: not the text in {source}")
    gold = _read_jsonl(FIXTURES / "times_gold.jsonl")
    keys = list(dict.fromkeys(_key(g) for g in gold))
    keep = set(keys[:limit] if limit else keys)
    published = {_key(g): g["published"] for g in gold}
    articles = [
        Article(id=_key(r), raw_text=r["text"], published=published[_key(r)]) for r in rows if _key(r) in keep
    ]
    return articles, [g for g in gold if _key(g) in keep]


def _locate(text: str, context: str, expression: str) -> tuple[int, int] | None:
    """Offsets of ``expression`` inside the first occurrence of ``context`` in ``text`` (any spacing)."""
    pattern = r"\s+".join(re.escape(w) for w in context.split())
    m = re.search(pattern, text)
    if m is None:
        return None
    inner = re.search(r"\s+".join(re.escape(w) for w in expression.split()), m.group(0))
    if inner is None:
        return None
    return m.start() + inner.start(), m.start() + inner.end()


def ours(docs: dict[str, AnalysedArticle], gold: Sequence[dict[str, Any]]) -> list[tuple[str, str | None]]:
    """For each gold row: 'missed' / 'lost' (context removed by cleaning) / 'found', and our value."""
    out: list[tuple[str, str | None]] = []
    for g in gold:
        doc = docs[_key(g)]
        span = _locate(doc.article.text, g["context"], g["expression"])
        if span is None:
            out.append(("lost", None))
            continue
        overlapping: list[tuple[int, TimeRef]] = [
            (min(span[1], t.end) - max(span[0], t.start), t)
            for t in doc.times
            if t.start < span[1] and t.end > span[0]
        ]
        if not overlapping:
            out.append(("missed", None))
            continue
        best = max(overlapping, key=lambda x: x[0])[1]
        out.append(("found", best.value))
    return out


def _baseline_text(expression: str) -> str:
    text = re.sub(r"^(?:on|in)\s+", "", expression, flags=re.IGNORECASE)
    return re.sub(r"[’']s$", "", text)


def baseline_value(expression: str, published: str, granularity: str) -> str | None:
    """dateparser's reading of the expression, cut to the gold granularity."""
    base = dt.datetime.fromisoformat(published)
    parsed = dateparser.parse(_baseline_text(expression), languages=["en"], settings={"RELATIVE_BASE": base})
    if parsed is None:
        return None
    day = parsed.date()
    if granularity == "day":
        return day.isoformat()
    if granularity == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    if granularity == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if granularity == "year":
        return str(day.year)
    return None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help="shared data folder (for the sha1 check)"
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--limit", type=int, help="only the first N articles of the gold file")
    parser.add_argument("--errors", action="store_true", help="list our misses and wrong values")
    args = parser.parse_args(argv)

    articles, gold = load(args.data, args.limit)
    started = time.perf_counter()
    cleaned = [replace(clean_article(a), published=a.published, published_estimated=False) for a in articles]
    docs = {d.id: resolve_times(d) for d in analyse_articles(cleaned)}
    elapsed = time.perf_counter() - started

    our = ours(docs, gold)
    base = [baseline_value(g["expression"], g["published"], g["granularity"]) for g in gold]
    n = len(gold)
    detected = sum(1 for status, _ in our if status == "found")
    lost = sum(1 for status, _ in our if status == "lost")
    our_ok = [status == "found" and value == g["value"] for (status, value), g in zip(our, gold, strict=True)]
    base_ok = [value == g["value"] for value, g in zip(base, gold, strict=True)]

    held = sum(1 for g in gold if g["split"] == "held-out")
    print(
        f"times: {n} hand-resolved expressions ({held} held out) in {len(articles)} Multi-News articles "
        f"({lost} inside text the cleaner removed); clean + analyse + resolve took {elapsed:.1f} s"
    )
    header = f"{'system':<34} {'split':<9} {'n':>4} {'accuracy':>8} {'detected':>8}"
    print(header)
    print("-" * len(header))
    by_split: dict[str, dict[str, float]] = {}
    for part in ("all", "dev", "held-out"):
        idx = [i for i, g in enumerate(gold) if part in ("all", g["split"])]
        if not idx:
            continue
        ours_acc = sum(our_ok[i] for i in idx) / len(idx)
        found = sum(1 for i in idx if our[i][0] == "found") / len(idx)
        base_acc = sum(base_ok[i] for i in idx) / len(idx)
        by_split[part] = {"n": len(idx), "ours": ours_acc, "detected": found, "dateparser": base_acc}
        print(f"{'storyweave':<34} {part:<9} {len(idx):>4} {ours_acc:8.3f} {found:8.3f}")
        print(f"{'baseline: dateparser (given span)':<34} {part:<9} {len(idx):>4} {base_acc:8.3f} {'-':>8}")
    print()
    by_gran = Counter(g["granularity"] for g in gold)
    print(f"{'accuracy by granularity':<24} {'n':>4} {'ours':>6} {'dateparser':>10}")
    per_gran: dict[str, dict[str, float]] = {}
    for gran in ("day", "week", "month", "year", "range"):
        if gran not in by_gran:
            continue
        idx = [i for i, g in enumerate(gold) if g["granularity"] == gran]
        ours_acc = sum(our_ok[i] for i in idx) / len(idx)
        base_acc = sum(base_ok[i] for i in idx) / len(idx)
        per_gran[gran] = {"n": len(idx), "ours": ours_acc, "dateparser": base_acc}
        print(f"{gran:<24} {len(idx):>4} {ours_acc:6.3f} {base_acc:10.3f}")
    if args.errors:
        print()
        for (status, value), g, ok in zip(our, gold, our_ok, strict=True):
            if not ok:
                print(
                    f"{_key(g)} pub {g['published']}: {g['expression']!r} gold {g['value']} "
                    f"-> {status} {value}   [{g['context']}]"
                )
    if args.json:
        result = {
            "expressions": n,
            "articles": len(articles),
            "lost_in_cleaning": lost,
            "storyweave": {"accuracy": sum(our_ok) / n, "detection_recall": detected / n},
            "baseline_dateparser": {"accuracy": sum(base_ok) / n},
            "by_split": by_split,
            "by_granularity": per_gran,
        }
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
