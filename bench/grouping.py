"""Story grouping benchmark: the one grouping model (group/online.py) through `add` and `brief`, beside a
TF-IDF agglomerative baseline, on development data only.

1. ECB+ (docs.jsonl: 36 topics of two different events of one kind; gold story = `event`). Topics are split
   in two halves: dev = odd topics, test = even topics. The grouper's join threshold, name weights and
   story-to-story merge threshold are chosen on dev by the mean B-cubed F1 over ORDERS seeded stream orders
   (one order alone is noisy), the baseline's similarity threshold by dev B-cubed F1; both reported on test
   (the seeded order; the shipped grouper also as the mean over ORDERS orders). Rows: `add`
   (service.StoryAssigner over a temporary store: the code path `storyweave add` runs, shipped thresholds),
   `brief` (group_stories as shipped: the same model over the same stream), `brief` with the refine pass,
   the tuned grouper, the learned scorer (bench/train_grouping.py, trained on dev pairs, its threshold chosen
   on dev), the grouper without story-to-story merges, the grouper without dates, the baseline.
   Articles are analysed as the pipeline does (spaCy via analyse_articles, times resolved); the cleaner is
   skipped because ECB+ texts are bodies rebuilt from tokens (it refuses 52 one-line bodies as non-articles).
   The publication date is the explicit day of `date_text` when it has one (about a third), else none.
   Repeated texts (ECB+ holds 56 documents whose text another document already has) are left out, as
   `brief` and `add` both skip an exact repeat.
2. Multi-News (clusters.jsonl, all 50 clusters are development data): every source page read as a raw
   page (clean + analyse, as `add` does), clusters are stories, junk pages excluded (rule: the cleaner
   refuses the page or leaves fewer than JUNK_WORDS words), the articles interleaved in a seeded shuffle.
3. All development articles (ECB+ and Multi-News) with publication dates removed (times re-resolved
   without a date), one stream: B-cubed F1 against the union of both golds.
4. Cost: ms and CPU ms per added article when the grouper already holds 10^3, 10^4, 10^5 articles (real
   texts repeated with new names and dates per round); and one story grown to 1,000 articles through
   StoryAssigner (texts of one ECB+ event, each repeated with a variant line): CPU seconds to add the
   10th, 100th and 1,000th article, syndication included.

    .venv/bin/python bench/grouping.py [--data DIR] [--json FILE] [--limit N] [--cache DIR] [--scale-only]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import pickle
import random
import re
import resource
import sys
import tempfile
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
from storyweave.analyse import analyse_articles, resolve_times  # noqa: E402
from storyweave.analyse.times import find_times  # noqa: E402
from storyweave.group.online import StoryGrouper  # noqa: E402
from storyweave.group.stories import group_stories  # noqa: E402
from storyweave.model import AnalysedArticle, Article, InputError, Sentence  # noqa: E402
from storyweave.pipeline import analyse_one  # noqa: E402
from storyweave.service import StoryAssigner  # noqa: E402
from storyweave.store import Store  # noqa: E402

SEED = 7
JOIN_GRID = [0.45, 0.5, 0.55, 0.6, 0.7]
ORDERS = 5  # stream orders averaged when tuning (B-cubed F1 moves by up to 0.03 with the order alone)
ENTITY_GRID = [0.5, 1.0, 1.5]
PLACE_GRID = [0.25, 0.5]
STORY_MERGE_GRID = [0.9, 99.0]  # 99: story-to-story merging off
LEARNED_JOIN_GRID = [-2.0, -1.5, -1.0, -0.5, 0.0, 0.5]  # logits of the learned scorer
BASELINE_GRID = [round(0.05 + 0.025 * i, 3) for i in range(25)]  # similarity 0.05 .. 0.65
_STOP = frozenset(ENGLISH_STOP_WORDS)
SCALE_POINTS = (1_000, 10_000, 100_000)
TIMED_ADDS = 1_000
JUNK_WORDS = 60
STORY_SIZES = (10, 100, 1_000)

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


def load_ecb(data: Path) -> tuple[list[AnalysedArticle], dict[str, str], dict[str, int]]:
    """ECB+ documents analysed as the pipeline does, their gold event and their topic."""
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
    docs = [resolve_times(d) for d in analyse_articles(articles)]
    return docs, {r["id"]: r["event"] for r in rows}, {r["id"]: int(r["topic"]) for r in rows}


def unique_texts(docs: list[AnalysedArticle]) -> list[AnalysedArticle]:
    """The first of each set of identical texts (ECB+ repeats some documents under other ids): both `brief`
    and `add` skip an exact repeat of an article they already have, so every system sees each text once."""
    seen: set[str] = set()
    out: list[AnalysedArticle] = []
    for doc in docs:
        if doc.article.content_hash not in seen:
            seen.add(doc.article.content_hash)
            out.append(doc)
    return out


def load_multinews(data: Path) -> tuple[list[AnalysedArticle], dict[str, str], int]:
    """Multi-News source pages read as `add` reads them; junk pages left out (and counted)."""
    docs: list[AnalysedArticle] = []
    gold: dict[str, str] = {}
    junk = 0
    for line in (data / "multinews" / "clusters.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        for i, text in enumerate(row["articles"]):
            doc = analyse_one(Article(id=f"mn{row['id']}-{i}", raw_text=text))
            if isinstance(doc, InputError) or len(doc.article.text.split()) < JUNK_WORDS:
                junk += 1
                continue
            docs.append(doc)
            gold[doc.id] = f"mn{row['id']}"
    return docs, gold, junk


def load_all(data: Path, cache: Path | None) -> dict[str, Any]:
    """Everything the benchmark reads, analysed once (pickled under ``cache`` when given)."""
    if cache is not None and (cache / "grouping-bench.pkl").is_file():
        with (cache / "grouping-bench.pkl").open("rb") as f:
            loaded: dict[str, Any] = pickle.load(f)
        return loaded
    t0 = time.process_time()
    ecb, gold, topic = load_ecb(data)
    mn, mn_gold, junk = load_multinews(data)
    print(
        f"  analysed {len(ecb)} ECB+ and {len(mn)} Multi-News docs in {time.process_time() - t0:.0f} CPU-s",
        file=sys.stderr,
    )
    out = {"ecb": ecb, "gold": gold, "topic": topic, "mn": mn, "mn_gold": mn_gold, "junk": junk}
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
        with (cache / "grouping-bench.pkl").open("wb") as f:
            pickle.dump(out, f)
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
def patched(**values: Any) -> Iterator[None]:
    """Temporarily override threshold constants (the grouper reads them at call time)."""
    old = {k: getattr(thresholds, k) for k in values}
    for k, v in values.items():
        setattr(thresholds, k, v)
    try:
        yield
    finally:
        for k, v in old.items():
            setattr(thresholds, k, v)


def run_grouper(docs: Sequence[AnalysedArticle]) -> dict[str, str]:
    """The grouper fed the articles one at a time in the given order (the decision `add` makes)."""
    grouper = StoryGrouper()
    for d in docs:
        grouper.add(d)
    return {d.id: grouper.story_of_known(d.id) for d in docs}


def run_add(docs: Sequence[AnalysedArticle]) -> dict[str, str]:
    """`storyweave add`'s code path: StoryAssigner over a temporary store, one article at a time, then
    each article's story as the store has it (after merges and splits); an article `add` refused as
    already stored (ECB+ holds a few identical texts) is in the story of the stored copy."""
    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "bench.db") as store:
        assigner = StoryAssigner(store)
        for d in docs:
            assigner.add(d)
        assigner.close()
        out: dict[str, str] = {}
        for d in docs:
            stored = store.duplicate_of(d.id, d.article.content_hash)  # itself, or the copy already stored
            out[d.id] = str(store.article_story(stored[0] if stored else d.id))
        return out


def run_brief(docs: Sequence[AnalysedArticle]) -> dict[str, str]:
    """`storyweave brief`'s grouping: group_stories as shipped."""
    return {a: s.id for s in group_stories(list(docs)) for a in s.article_ids}


def run_baseline(docs: Sequence[AnalysedArticle], similarity: float) -> dict[str, str]:
    """Batch baseline: TF-IDF (title + body) cosine, average-linkage agglomerative clustering (n x n)."""
    vectors = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(
        [f"{d.article.title or ''}\n{d.article.text}" for d in docs]
    )
    distance = np.clip(1.0 - (vectors @ vectors.T).toarray(), 0.0, None)
    labels = AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="average", distance_threshold=1.0 - similarity
    ).fit_predict(distance)
    return {d.id: str(label) for d, label in zip(docs, labels, strict=True)}


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
    """The articles without publication dates, their times resolved again without one."""
    out = []
    for d in docs:
        article = replace(d.article, published=None, published_estimated=False)
        out.append(resolve_times(replace(d, article=article)))
    return out


def split_halves(docs: list[AnalysedArticle], topic: dict[str, int]) -> dict[str, list[AnalysedArticle]]:
    """The articles in a seeded shuffled stream order, split by topic: dev = odd topics, test = even."""
    order = list(docs)
    random.Random(SEED).shuffle(order)
    return {
        "dev": [d for d in order if topic[d.id] % 2 == 1],
        "test": [d for d in order if topic[d.id] % 2 == 0],
    }


def orders(docs: Sequence[AnalysedArticle], n: int = ORDERS) -> list[list[AnalysedArticle]]:
    """The given stream order and ``n - 1`` more seeded shuffles of it."""
    out = [list(docs)]
    for i in range(1, n):
        order = sorted(docs, key=lambda d: d.id)
        random.Random(SEED + i).shuffle(order)
        out.append(order)
    return out


def mean_f1(streams: list[list[AnalysedArticle]], gold: dict[str, str]) -> float:
    """Mean B-cubed F1 of the grouper over several stream orders of the same articles."""
    return float(np.mean([scores(run_grouper(s), gold)["bcubed_f1"] for s in streams]))


def quality(
    docs: list[AnalysedArticle], gold: dict[str, str], topic: dict[str, int], tune_only: bool = False
) -> dict[str, Any]:
    halves = split_halves(docs, topic)
    dev = halves["dev"]
    dev_orders = orders(dev)
    best: tuple[float, dict[str, Any]] = (-1.0, {})
    for join in JOIN_GRID:
        for entity in ENTITY_GRID:
            for place in PLACE_GRID:
                for story_merge in STORY_MERGE_GRID:
                    values = {
                        "ONLINE_JOIN_SIMILARITY": join,
                        "GROUP_SCORER_WEIGHTS": (1.0, entity, place, 0.0, 0.0, 0.0, 0.0),
                        "GROUP_STORY_MERGE_SIMILARITY": story_merge,
                    }
                    with patched(**values):
                        f1 = mean_f1(dev_orders, gold)
                    if f1 > best[0]:
                        best = (f1, values)
    if tune_only:
        return {"chosen": {"grouper": best[1], "grouper_dev_mean_bcubed_f1": best[0]}}
    # the learned scorer (bench/train_grouping.py: a logistic regression trained on dev pairs), its join
    # threshold (a logit) chosen on the dev stream; merges off (their thresholds are in the hand scale)
    from train_grouping import learned_weights  # bench/train_grouping.py (imports this module)

    weights, bias = learned_weights(dev, gold, topic)
    learned: tuple[float, dict[str, Any]] = (-1.0, {})
    for join in LEARNED_JOIN_GRID:
        values = {
            "GROUP_SCORER_WEIGHTS": weights,
            "GROUP_SCORER_BIAS": bias,
            "ONLINE_JOIN_SIMILARITY": join,
            "GROUP_MERGE_SIMILARITY": 99.0,
            "GROUP_STORY_MERGE_SIMILARITY": 99.0,
        }
        with patched(**values):
            f1 = mean_f1(dev_orders, gold)
        if f1 > learned[0]:
            learned = (f1, values)
    best_base = max((scores(run_baseline(dev, s), gold)["bcubed_f1"], s) for s in BASELINE_GRID)
    rows: dict[str, dict[str, dict[str, float]]] = {}
    for half, part in halves.items():
        t0 = time.process_time()
        rows.setdefault("add (StoryAssigner + store, shipped)", {})[half] = scores(run_add(part), gold)
        t1 = time.process_time()
        rows.setdefault("brief (group_stories, shipped)", {})[half] = scores(run_brief(part), gold)
        t2 = time.process_time()
        rows["add (StoryAssigner + store, shipped)"][half]["cpu_s"] = t1 - t0
        rows["brief (group_stories, shipped)"][half]["cpu_s"] = t2 - t1
        rows.setdefault("brief with the refine pass", {})[half] = scores(
            {a: s.id for s in group_stories(list(part), refine=True) for a in s.article_ids}, gold
        )
        rows.setdefault("grouper stream, shipped", {})[half] = scores(run_grouper(part), gold)
        rows.setdefault(f"grouper stream, shipped, mean of {ORDERS} orders", {})[half] = {
            "bcubed_f1": mean_f1(orders(part), gold),
            "bcubed_p": float("nan"),
            "bcubed_r": float("nan"),
            "pair_f1": float("nan"),
            "stories": 0,
        }
        with patched(**best[1]):
            rows.setdefault("grouper stream, tuned on dev", {})[half] = scores(run_grouper(part), gold)
        with patched(**learned[1]):
            rows.setdefault("grouper stream, learned scorer", {})[half] = scores(run_grouper(part), gold)
        with patched(GROUP_STORY_MERGE_SIMILARITY=99.0):
            rows.setdefault("grouper stream, no story merges", {})[half] = scores(run_grouper(part), gold)
        rows.setdefault("grouper stream, no dates", {})[half] = scores(run_grouper(undated(part)), gold)
        rows.setdefault("BASELINE tf-idf agglomerative", {})[half] = scores(
            run_baseline(part, best_base[1]), gold
        )
        print(f"  ECB+ {half} done", file=sys.stderr)
    return {
        "split": "dev = odd topics, test = even topics",
        "dev_docs": len(dev),
        "test_docs": len(halves["test"]),
        "chosen": {
            "grouper": best[1],
            "grouper_dev_mean_bcubed_f1": best[0],
            "learned": learned[1],
            "learned_dev_mean_bcubed_f1": learned[0],
            "baseline_similarity": best_base[1],
            "baseline_dev_bcubed_f1": best_base[0],
            "shipped": {
                "ONLINE_JOIN_SIMILARITY": thresholds.ONLINE_JOIN_SIMILARITY,
                "GROUP_SCORER_WEIGHTS": thresholds.GROUP_SCORER_WEIGHTS,
                "GROUP_SCORER_BIAS": thresholds.GROUP_SCORER_BIAS,
                "GROUP_STORY_MERGE_SIMILARITY": thresholds.GROUP_STORY_MERGE_SIMILARITY,
            },
        },
        "rows": rows,
    }


def streams(data: dict[str, Any], baseline_similarity: float) -> dict[str, dict[str, float]]:
    """Multi-News as an interleaved stream, and every development article undated in one stream."""
    out: dict[str, dict[str, float]] = {}
    mn = list(data["mn"])
    random.Random(SEED).shuffle(mn)
    out["Multi-News: add (StoryAssigner + store)"] = scores(run_add(mn), data["mn_gold"])
    out["Multi-News: brief (group_stories)"] = scores(run_brief(mn), data["mn_gold"])
    out["Multi-News: BASELINE tf-idf agglomerative"] = scores(
        run_baseline(mn, baseline_similarity), data["mn_gold"]
    )
    everything = undated([*data["ecb"], *data["mn"]])
    random.Random(SEED).shuffle(everything)
    gold = {**data["gold"], **data["mn_gold"]}
    out["All dev articles, undated: add (StoryAssigner + store)"] = scores(run_add(everything), gold)
    out["All dev articles, undated: brief (group_stories)"] = scores(run_brief(everything), gold)
    out["All dev articles, undated: BASELINE"] = scores(run_baseline(everything, baseline_similarity), gold)
    return out


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
            times = [
                replace(t, value=str(day.year) + t.value[4:]) for t in doc.times if t.value[:4].isdigit()
            ]
            yield AnalysedArticle(article=article, mentions=mentions, times=times)
        round_no += 1


def scale(pool: list[AnalysedArticle], limit: int, baseline_10k: bool) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    stream = copies(pool)
    grouper = StoryGrouper()
    base_rss = rss_mb()
    for point in [p for p in SCALE_POINTS if p <= limit]:
        t0 = time.perf_counter()
        while grouper.n_docs < point:
            grouper.add(next(stream))
        preload = time.perf_counter() - t0
        batch = [next(stream) for _ in range(TIMED_ADDS)]
        t0, c0 = time.perf_counter(), time.process_time()
        for doc in batch:
            grouper.add(doc)
        ms = (time.perf_counter() - t0) * 1000 / TIMED_ADDS
        cpu_ms = (time.process_time() - c0) * 1000 / TIMED_ADDS
        state_mb = len(json.dumps(grouper.to_state())) / 1e6
        row: dict[str, Any] = {
            "stored": point,
            "online_ms_per_article": ms,
            "online_cpu_ms_per_article": cpu_ms,
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


def one_story(ecb: list[AnalysedArticle], gold: dict[str, str]) -> list[dict[str, Any]]:
    """Grow one story to 1,000 articles through StoryAssigner (what `add` does per article): the texts of
    the largest ECB+ event, each repeated with a variant line (so a new content hash, and copies for the
    syndication index to find). CPU seconds to add the 10th, 100th and 1,000th article."""
    sizes = Counter(gold[d.id] for d in ecb)
    event = max(sizes, key=lambda e: (sizes[e], e))
    pool = [d for d in ecb if gold[d.id] == event]
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "story.db") as store:
        assigner = StoryAssigner(store)
        for n in range(1, max(STORY_SIZES) + 1):
            base = pool[(n - 1) % len(pool)]
            text = f"{base.article.text}\n\nUpdated edition {n}."
            article = replace(base.article, id=f"{base.id}~{n}", raw_text=text, text=text)
            doc = replace(base, article=article)
            t0, w0 = time.process_time(), time.perf_counter()
            added = assigner.add(doc)
            cpu, wall = time.process_time() - t0, time.perf_counter() - w0
            if n in STORY_SIZES:
                row = store.story(added.story_id) if not isinstance(added, str) else None
                rows.append(
                    {
                        "nth": n,
                        "cpu_s": cpu,
                        "wall_s": wall,
                        "story_size": row.article_count if row else None,
                        "independent": row.independent_count if row else None,
                    }
                )
        assigner.close()
    return rows


def print_scale(rows: list[dict[str, Any]]) -> None:
    print(f"\nCost per added article ({TIMED_ADDS} timed additions after preloading)")
    print(
        f"{'stored':>8} {'ms':>7} {'CPU ms':>7} {'BASELINE ms':>12} {'stories':>8} {'RSS+ MB':>8} "
        f"{'state MB':>9} {'peak RSS MB':>12}"
    )
    for r in rows:
        base = "n/a" if r["baseline_ms_per_article"] is None else f"{r['baseline_ms_per_article']:.0f}"
        print(
            f"{r['stored']:>8} {r['online_ms_per_article']:7.2f} {r['online_cpu_ms_per_article']:7.2f} "
            f"{base:>12} {r['stories']:>8} {r['rss_growth_mb']:8.0f} {r['state_json_mb']:9.1f} "
            f"{r['peak_rss_mb']:12.0f}"
        )
    print("(BASELINE ms = re-clustering all stored articles plus the new one; n/a = not run, O(N^2) memory)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--limit", type=int, default=100_000, help="largest store size for the scale test")
    parser.add_argument("--baseline-10k", action="store_true", help="also time baseline re-clustering at 10k")
    parser.add_argument("--cache", type=Path, default=None, help="keep the analysed articles here")
    parser.add_argument("--scale-only", action="store_true", help="only the cost per added article")
    parser.add_argument("--tune-only", action="store_true", help="only choose the grouper's values on dev")
    args = parser.parse_args()
    require_data(args.data, "ecbplus/docs.jsonl", "multinews/clusters.jsonl")

    started = time.process_time()
    data = load_all(args.data, args.cache)
    if args.scale_only:
        print_scale(scale([*data["ecb"], *data["mn"]], args.limit, args.baseline_10k))
        return
    ecb = unique_texts(data["ecb"])
    print(f"  ECB+: {len(data['ecb']) - len(ecb)} repeated texts left out", file=sys.stderr)
    data["ecb"] = ecb
    if args.tune_only:
        print(quality(ecb, data["gold"], data["topic"], tune_only=True)["chosen"])
        return
    result: dict[str, Any] = {"quality": quality(ecb, data["gold"], data["topic"])}
    q = result["quality"]
    result["streams"] = streams(data, q["chosen"]["baseline_similarity"])
    result["one_story"] = one_story(data["ecb"], data["gold"])
    result["scale"] = scale([*data["ecb"], *data["mn"]], args.limit, args.baseline_10k)

    print(f"\nStory grouping on ECB+ ({q['dev_docs']} dev / {q['test_docs']} test docs; {q['split']})")
    print(f"chosen on dev: {q['chosen']}")
    head = f"{'B3 P':>6} {'B3 R':>6} {'B3 F1':>6} {'pair F1':>7} {'#':>4}"
    print(f"{'system':40} {'dev B3 F1':>9} | test: {head}")
    for name, halves in q["rows"].items():
        d, t = halves["dev"], halves["test"]
        print(
            f"{name:40} {d['bcubed_f1']:9.3f} |       {t['bcubed_p']:6.3f} {t['bcubed_r']:6.3f} "
            f"{t['bcubed_f1']:6.3f} {t['pair_f1']:7.3f} {t['stories']:4d}"
        )
    add, brief = (
        q["rows"]["add (StoryAssigner + store, shipped)"],
        q["rows"]["brief (group_stories, shipped)"],
    )
    for half in ("dev", "test"):
        gap = abs(add[half]["bcubed_f1"] - brief[half]["bcubed_f1"])
        print(
            f"|add - brief| B3 F1 on {half}: {gap:.3f}  (CPU-s add {add[half]['cpu_s']:.1f}, "
            f"brief {brief[half]['cpu_s']:.1f})"
        )
    print(
        f"\nStreams ({len(data['mn'])} Multi-News pages in 50 clusters, {data['junk']} junk pages left out)"
    )
    for name, s in result["streams"].items():
        print(
            f"{name:52} B3 P {s['bcubed_p']:.3f} R {s['bcubed_r']:.3f} F1 {s['bcubed_f1']:.3f} "
            f"stories {s['stories']}"
        )
    print("\nOne story grown through StoryAssigner (add), syndication included")
    for r in result["one_story"]:
        print(
            f"  article {r['nth']:>5}: {r['cpu_s']:.3f} CPU-s ({r['wall_s']:.3f} s wall), story now "
            f"{r['story_size']} articles, {r['independent']} independent"
        )
    print_scale(result["scale"])
    print(f"\nbenchmark total: {time.process_time() - started:.0f} CPU-s")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
