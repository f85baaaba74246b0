"""Story grouping benchmark: online grouper vs batch TF-IDF agglomerative clustering, on ECB+ events.

Quality: ECB+ (../shared/data/ecbplus/docs.jsonl) holds 36 topics of two different events of one kind;
the gold story is `event`. Topics are split in two halves (odd / even topic numbers): every tuned value
(our join threshold and entity weight, the baseline's distance threshold) is chosen on the dev half by
B-cubed F1 and reported on the test half. Articles arrive in a fixed seeded shuffle (stories interleave,
as in a real feed). Mentions come from spaCy NER only (``nlp.pipe`` with the parser disabled); the
publication date is the explicit date of the `date_text` field when it has one (about half do), else None.

Scale: ms per added article when the grouper already holds 1k, 10k and 100k articles, built from the real
texts of ECB+ and Multi-News repeated with new ids and dates 20 days apart per round; 1,000 timed
additions after each preload. Memory: RSS growth of the process while the grouper fills, the peak RSS,
and the size of the grouper's JSON state. The baseline's cost per new article is a full re-clustering of
the stored articles (it cannot add one), timed at 1k (and 10k with --baseline-10k).

    .venv/bin/python bench/grouping.py [--data DIR] [--json FILE] [--limit N]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import random
import re
import resource
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from bench_data import require_data  # noqa: E402  (bench/bench_data.py; bench/ is on the path)
from storyweave import thresholds  # noqa: E402
from storyweave.analyse.entities import mentions_in  # noqa: E402
from storyweave.analyse.nlp import load_nlp  # noqa: E402
from storyweave.analyse.times import find_times  # noqa: E402
from storyweave.group.online import OnlineGrouper  # noqa: E402
from storyweave.group.stories import group_stories  # noqa: E402
from storyweave.model import AnalysedArticle, Article, Sentence  # noqa: E402

SEED = 7
JOIN_GRID = [round(0.15 + 0.025 * i, 3) for i in range(19)]  # 0.15 .. 0.60
ENTITY_GRID = [0.0, 0.25, 0.5, 1.0, 1.5]
BASELINE_GRID = [round(0.05 + 0.025 * i, 3) for i in range(25)]  # similarity 0.05 .. 0.65
_STOP = frozenset(ENGLISH_STOP_WORDS)
SCALE_POINTS = (1_000, 10_000, 100_000)
TIMED_ADDS = 1_000

# --------------------------------------------------------------------------------------------------
# Data


def explicit_date(text: str | None) -> str | None:
    """The first day-level absolute date in a free-text dateline, via the pipeline's own time finder."""
    if not text:
        return None
    article = Article(id="d", raw_text=text, text=text)
    sentence = Sentence(id="d#0", article_id="d", index=0, text=text, start=0, end=len(text))
    for ref in find_times(article, [sentence], None):
        if ref.granularity == "day":
            return ref.value
    return None


def analyse_ner(articles: list[Article]) -> list[AnalysedArticle]:
    """Articles with mentions from spaCy NER alone (parser off: sentences are not needed to group)."""
    nlp = load_nlp(disable=("parser", "lemmatizer"))
    docs: list[AnalysedArticle] = []
    texts = (f"{a.title or ''}\n\n{a.text}" for a in articles)
    for article, sdoc in zip(articles, nlp.pipe(texts, batch_size=32), strict=True):
        docs.append(AnalysedArticle(article=article, mentions=mentions_in(article.id, 0, sdoc, 0)))
    return docs


def load_ecb(data: Path) -> tuple[list[AnalysedArticle], dict[str, str], dict[str, int]]:
    """ECB+ documents as analysed articles, their gold event and their topic."""
    rows = [json.loads(line) for line in (data / "ecbplus" / "docs.jsonl").open(encoding="utf-8")]
    articles = [
        Article(
            id=r["id"],
            raw_text=r["text"],
            text=r["text"],
            title=r["title"],
            published=explicit_date(r.get("date_text")),
        )
        for r in rows
    ]
    gold = {r["id"]: r["event"] for r in rows}
    topic = {r["id"]: int(r["topic"]) for r in rows}
    return analyse_ner(articles), gold, topic


def load_multinews(data: Path) -> list[Article]:
    """Multi-News source articles (first line as title) for the scale test's text pool."""
    out: list[Article] = []
    path = data / "multinews" / "clusters.jsonl"
    for line in path.open(encoding="utf-8"):
        row = json.loads(line)
        for i, text in enumerate(row["articles"]):
            lines = [s.strip() for s in text.split("\n") if s.strip()]
            if len(lines) < 2:
                continue
            body = "\n\n".join(lines[1:])
            out.append(Article(id=f"{row['id']}-{i}", raw_text=text, text=body, title=lines[0]))
    return out


# --------------------------------------------------------------------------------------------------
# Metrics


def bcubed(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of a clustering against gold labels (same keys)."""
    pred_sizes = Counter(pred.values())
    gold_sizes = Counter(gold.values())
    both = Counter((pred[k], gold[k]) for k in pred)
    p = sum(both[(pred[k], gold[k])] / pred_sizes[pred[k]] for k in pred) / len(pred)
    r = sum(both[(pred[k], gold[k])] / gold_sizes[gold[k]] for k in pred) / len(pred)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def pairwise(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    """Pairwise precision, recall and F1 over same-cluster article pairs."""

    def pairs(counts: Counter[Any]) -> int:
        return sum(n * (n - 1) // 2 for n in counts.values())

    both = pairs(Counter((pred[k], gold[k]) for k in pred))
    pp = pairs(Counter(pred.values()))
    gp = pairs(Counter(gold.values()))
    p = both / pp if pp else 1.0
    r = both / gp if gp else 1.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


# --------------------------------------------------------------------------------------------------
# Systems


@contextlib.contextmanager
def patched(**values: float) -> Iterator[None]:
    """Temporarily override threshold constants (the grouper reads them at call time)."""
    old = {k: getattr(thresholds, k) for k in values}
    for k, v in values.items():
        setattr(thresholds, k, v)
    try:
        yield
    finally:
        for k, v in old.items():
            setattr(thresholds, k, v)


def run_online(docs: Sequence[AnalysedArticle], publication_order: bool = False) -> dict[str, str]:
    grouper = OnlineGrouper()
    if publication_order:
        return grouper.add_many(docs)
    return {d.id: grouper.add(d) for d in docs}


def run_baseline(docs: Sequence[AnalysedArticle], similarity: float) -> dict[str, str]:
    """Batch baseline: TF-IDF (title + body) cosine, average-linkage agglomerative clustering."""
    vectors = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(
        [f"{d.article.title or ''}\n{d.article.text}" for d in docs]
    )
    distance = np.clip(1.0 - (vectors @ vectors.T).toarray(), 0.0, None)
    labels = AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="average", distance_threshold=1.0 - similarity
    ).fit_predict(distance)
    return {d.id: str(label) for d, label in zip(docs, labels, strict=True)}


def run_batch_path(docs: Sequence[AnalysedArticle]) -> dict[str, str]:
    return {a: s.id for s in group_stories(list(docs)) for a in s.article_ids}


def scores(pred: dict[str, str], gold: dict[str, str]) -> dict[str, float]:
    g = {k: gold[k] for k in pred}
    bp, br, bf = bcubed(pred, g)
    pp, pr, pf = pairwise(pred, g)
    return {
        "bcubed_p": bp,
        "bcubed_r": br,
        "bcubed_f1": bf,
        "pair_p": pp,
        "pair_r": pr,
        "pair_f1": pf,
        "stories": len(set(pred.values())),
    }


def undated(docs: Sequence[AnalysedArticle]) -> list[AnalysedArticle]:
    return [
        AnalysedArticle(article=Article(**{**d.article.to_dict(), "published": None}), mentions=d.mentions)
        for d in docs
    ]


def quality(docs: list[AnalysedArticle], gold: dict[str, str], topic: dict[str, int]) -> dict[str, Any]:
    order = list(docs)
    random.Random(SEED).shuffle(order)
    halves = {
        "dev": [d for d in order if topic[d.id] % 2 == 1],
        "test": [d for d in order if topic[d.id] % 2 == 0],
    }
    dev = halves["dev"]

    best_online: tuple[float, float, float] = (-1.0, 0.0, 0.0)
    for weight in ENTITY_GRID:
        for join in JOIN_GRID:
            with patched(ONLINE_JOIN_SIMILARITY=join, ONLINE_ENTITY_WEIGHT=weight):
                f1 = scores(run_online(dev), gold)["bcubed_f1"]
            if f1 > best_online[0]:
                best_online = (f1, join, weight)
    best_base = max((scores(run_baseline(dev, s), gold)["bcubed_f1"], s) for s in BASELINE_GRID)
    _, join, weight = best_online
    tuned = {"ONLINE_JOIN_SIMILARITY": join, "ONLINE_ENTITY_WEIGHT": weight}

    rows: dict[str, dict[str, dict[str, float]]] = {}
    for half, part in halves.items():
        with patched(**tuned):
            rows.setdefault("online grouper (shuffled stream)", {})[half] = scores(run_online(part), gold)
            rows.setdefault("online, publication order (add_many)", {})[half] = scores(
                run_online(part, publication_order=True), gold
            )
            rows.setdefault("online, no dates", {})[half] = scores(run_online(undated(part)), gold)
            with patched(ONLINE_MAX_GAP_DAYS=10**6):
                rows.setdefault("online, no 1-year time gate", {})[half] = scores(run_online(part), gold)
        rows.setdefault("online, shipped thresholds", {})[half] = scores(run_online(part), gold)
        rows.setdefault("batch group_stories (shipped)", {})[half] = scores(run_batch_path(part), gold)
        rows.setdefault("BASELINE tf-idf agglomerative", {})[half] = scores(
            run_baseline(part, best_base[1]), gold
        )
    return {
        "split": "dev = odd topics, test = even topics",
        "dev_docs": len(dev),
        "test_docs": len(halves["test"]),
        "test_events": len({gold[d.id] for d in halves["test"]}),
        "chosen": {
            "online_join": join,
            "online_entity_weight": weight,
            "online_dev_bcubed_f1": best_online[0],
            "baseline_similarity": best_base[1],
            "baseline_dev_bcubed_f1": best_base[0],
            "shipped_join": thresholds.ONLINE_JOIN_SIMILARITY,
            "shipped_entity_weight": thresholds.ONLINE_ENTITY_WEIGHT,
        },
        "rows": rows,
    }


# --------------------------------------------------------------------------------------------------
# Scale


def rss_mb() -> float:
    """Current resident set size of this process in MB (Linux /proc; 0 elsewhere)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except OSError:
        return 0.0
    return pages * resource.getpagesize() / 1e6


_NAME = re.compile(r"\b[A-Z][a-z]{2,}\b")


def _perturb(text: str, code: str) -> str:
    """Capitalised words (names, mostly) get a round-specific suffix, so each round's copies report
    "the same kind of event" with other names: they share common words but are new stories."""
    return _NAME.sub(lambda m: m.group() if m.group().lower() in _STOP else m.group() + code, text)


def copies(pool: list[AnalysedArticle]) -> Iterator[AnalysedArticle]:
    """Endless stream of the pool's texts: round r has new ids, names suffixed with a round code and
    dates 20 days after round r - 1 (round 0 is the real text)."""
    start = dt.date(2001, 1, 1)
    round_no = 0
    while True:
        code = "" if round_no == 0 else "q" + "".join(chr(97 + int(c)) for c in str(round_no))
        for i, doc in enumerate(pool):
            day = start + dt.timedelta(days=20 * round_no + i % 10)
            article = Article(
                id=f"{doc.id}~r{round_no}",
                raw_text="",
                text=_perturb(doc.article.text, code),
                title=_perturb(doc.article.title or "", code),
                published=day.isoformat(),
            )
            mentions = [replace(m, name=_perturb(m.name, code)) for m in doc.mentions]
            yield AnalysedArticle(article=article, mentions=mentions)
        round_no += 1


def scale(pool: list[AnalysedArticle], limit: int, baseline_10k: bool) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    stream = copies(pool)
    grouper = OnlineGrouper()
    base_rss = rss_mb()
    for point in [p for p in SCALE_POINTS if p <= limit]:
        t0 = time.perf_counter()
        while grouper.n_docs < point:
            grouper.add(next(stream))
        preload = time.perf_counter() - t0
        batch = [next(stream) for _ in range(TIMED_ADDS)]
        t0 = time.perf_counter()
        for doc in batch:
            grouper.add(doc)
        ms = (time.perf_counter() - t0) * 1000 / TIMED_ADDS
        state_mb = len(json.dumps(grouper.to_state())) / 1e6
        row: dict[str, Any] = {
            "stored": point,
            "online_ms_per_article": ms,
            "preload_s": preload,
            "stories": len(grouper.stories),
            "rss_growth_mb": rss_mb() - base_rss,
            "state_json_mb": state_mb,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3,
            "baseline_ms_per_article": None,
        }
        if point == 1_000 or (point == 10_000 and baseline_10k):
            docs = [d for _, d in zip(range(point + 1), copies(pool), strict=False)]
            t0 = time.perf_counter()
            run_baseline(docs, 0.2)
            row["baseline_ms_per_article"] = (time.perf_counter() - t0) * 1000
        rows.append(row)
        print(f"  scale: {point} stored done", file=sys.stderr)
    return rows


# --------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--limit", type=int, default=100_000, help="largest store size for the scale test")
    parser.add_argument("--baseline-10k", action="store_true", help="also time baseline re-clustering at 10k")
    args = parser.parse_args()
    require_data(args.data, "ecbplus/docs.jsonl", "multinews/clusters.jsonl")

    t0 = time.perf_counter()
    docs, gold, topic = load_ecb(args.data)
    print(f"  loaded {len(docs)} ECB+ docs with NER in {time.perf_counter() - t0:.0f}s", file=sys.stderr)
    result: dict[str, Any] = {"quality": quality(docs, gold, topic)}
    pool = docs + analyse_ner(load_multinews(args.data))
    result["scale"] = scale(pool, args.limit, args.baseline_10k)

    q = result["quality"]
    print(f"\nStory grouping on ECB+ ({q['dev_docs']} dev / {q['test_docs']} test docs; {q['split']})")
    print(f"chosen on dev: {q['chosen']}")
    head = f"{'B3 P':>6} {'B3 R':>6} {'B3 F1':>6} {'pair P':>6} {'pair R':>6} {'pair F1':>7} {'#':>4}"
    print(f"{'system':38} {'dev B3 F1':>9} | test: {head}")
    for name, halves in q["rows"].items():
        d, t = halves["dev"], halves["test"]
        print(
            f"{name:38} {d['bcubed_f1']:9.3f} |       {t['bcubed_p']:6.3f} {t['bcubed_r']:6.3f} "
            f"{t['bcubed_f1']:6.3f} {t['pair_p']:6.3f} {t['pair_r']:6.3f} {t['pair_f1']:7.3f} "
            f"{t['stories']:4d}"
        )
    print(f"\nCost per added article ({TIMED_ADDS} timed additions after preloading; {len(pool)} real texts)")
    print(
        f"{'stored':>8} {'online ms':>10} {'BASELINE ms':>12} {'stories':>8} {'RSS+ MB':>8} "
        f"{'state MB':>9} {'peak RSS MB':>12}"
    )
    for r in result["scale"]:
        base = "n/a" if r["baseline_ms_per_article"] is None else f"{r['baseline_ms_per_article']:.0f}"
        print(
            f"{r['stored']:>8} {r['online_ms_per_article']:10.2f} {base:>12} {r['stories']:>8} "
            f"{r['rss_growth_mb']:8.0f} {r['state_json_mb']:9.1f} {r['peak_rss_mb']:12.0f}"
        )
    print("(BASELINE ms = re-clustering all stored articles plus the new one; n/a = not run, O(N^2) memory)")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
