"""Fact alignment: how well our sentence-pair score finds sentences of different reports that tell the
same happening, on ECB+ event chains.

Usage: .venv/bin/python bench/alignment.py [--data DIR] [--json FILE] [--limit N] [--no-dense]

Candidates: every sentence of ECB+ (../shared/data/ecbplus) that holds an annotated event mention; pairs
are two such sentences from different documents of one event (`docs.event`). Gold: the pair shares an
event `chain` (event_mentions.jsonl). Each event is scored as the pipeline scores a story: its documents
become analysed articles (gold sentences, spaCy NER mentions reconciled by
:func:`storyweave.reconcile.reconcile_entities`), and our score is
:func:`storyweave.align.facts.sentence_similarity` over the sentences :func:`alignable` keeps (a pair
holding a sentence the pipeline never aligns scores 0).

Topics are split in two halves (dev = odd topic numbers, test = even). Ranking quality (ROC-AUC, average
precision) and P/R/F1 are reported on the test half; each scorer's operating threshold is chosen on the dev
half as the lowest threshold reaching TARGET_PRECISION there (a wrong merge makes a false corroboration
and can raise a false disagreement, so precision comes first). Most candidate pairs are positive (the
main event recurs in most sentences), so "align everything" has a strong F1 and is printed too.

Baselines in the same run: a word TF-IDF cosine fitted per event on the same sentences, and "align
everything". With the optional dense extra installed, the all-MiniLM-L6-v2 cosine alone and mixed into our
score (weight chosen on dev by average precision) are reported as well.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import average_precision_score, roc_auc_score

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from bench_data import require_data  # noqa: E402  (bench/bench_data.py; bench/ is on the path)
from storyweave import thresholds  # noqa: E402
from storyweave.align.dense import load_encoder  # noqa: E402
from storyweave.align.facts import alignable, sentence_similarity  # noqa: E402
from storyweave.analyse.entities import mentions_in  # noqa: E402
from storyweave.analyse.nlp import load_nlp  # noqa: E402
from storyweave.model import AnalysedArticle, Article, Sentence, Story  # noqa: E402
from storyweave.reconcile.entities import reconcile_entities  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data"
# Fact merges must be precise, and ECB+ gold (same happening) is looser than "same fact": nine in ten.
TARGET_PRECISION = 0.9
DENSE_WEIGHTS = (0.25, 0.5)

Key = tuple[str, int]  # (doc id, sentence id)


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@dataclass
class Event:
    """One ECB+ event: its topic, analysed documents and candidate sentences with their gold chains."""

    name: str
    topic: int
    docs: list[AnalysedArticle] = field(default_factory=list)
    candidates: list[Key] = field(default_factory=list)
    chains: dict[Key, set[str]] = field(default_factory=dict)


def load_events(data: Path, limit: int | None) -> list[Event]:
    """ECB+ events (of the first ``limit`` topics) as analysed articles plus gold event chains."""
    rows = _read_jsonl(data / "ecbplus" / "docs.jsonl")
    event_of = {r["id"]: r["event"] for r in rows}
    topic_of = {r["id"]: int(r["topic"]) for r in rows}
    topics = sorted(set(topic_of.values()))
    if limit:
        topics = topics[:limit]
    chosen = {d for d, t in topic_of.items() if t in topics}
    chains: dict[Key, set[str]] = defaultdict(set)
    for m in _read_jsonl(data / "ecbplus" / "event_mentions.jsonl"):
        if m["doc_id"] in chosen:
            chains[(m["doc_id"], int(m["sent_id"]))].add(m["chain"])
    sentences: dict[str, dict[int, str]] = defaultdict(dict)
    for s in _read_jsonl(data / "ecbplus" / "sentences.jsonl"):
        if s["doc_id"] in chosen:
            sentences[s["doc_id"]][int(s["sent_id"])] = s["text"]
    nlp = load_nlp(disable=("parser", "lemmatizer"))
    flat = [(d, i, sentences[d][i]) for d in sorted(sentences) for i in sorted(sentences[d])]
    parsed = nlp.pipe([t for _, _, t in flat], batch_size=128)
    events: dict[str, Event] = {}
    current: dict[str, tuple[list[str], list[Sentence], list[Any]]] = {}
    for (doc_id, index, text), parse in zip(flat, parsed, strict=True):
        pieces, sents, mentions = current.setdefault(doc_id, ([], [], []))
        start = sum(len(p) + 1 for p in pieces)
        pieces.append(text)
        end = start + len(text)
        sid = f"{doc_id}#{index}"
        sents.append(Sentence(id=sid, article_id=doc_id, index=index, text=text, start=start, end=end))
        mentions.extend(mentions_in(doc_id, index, parse[:], start))
    for doc_id, (pieces, sents, mentions) in sorted(current.items()):
        text = " ".join(pieces)
        doc = AnalysedArticle(Article(id=doc_id, raw_text=text, text=text), sents, mentions)
        event = events.setdefault(event_of[doc_id], Event(event_of[doc_id], topic_of[doc_id]))
        event.docs.append(doc)
    for key, chain in sorted(chains.items()):
        event = events[event_of[key[0]]]
        if key[1] in sentences[key[0]]:
            event.candidates.append(key)
            event.chains[key] = chain
    return [events[name] for name in sorted(events)]


@dataclass
class Pairs:
    """Candidate pairs with their gold label, topic and every scorer's score."""

    gold: list[bool] = field(default_factory=list)
    topic: list[int] = field(default_factory=list)
    scores: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))


def score_pairs(events: Sequence[Event], dense: bool) -> Pairs:
    """Our score, the baselines' and (optionally) the dense model's for every candidate pair."""
    encoder = load_encoder() if dense else None
    out = Pairs()
    for event in events:
        story = Story(id=event.name, article_ids=[d.article.id for d in event.docs])
        index = reconcile_entities(list(event.docs), story)
        entities: dict[str, set[str]] = defaultdict(set)
        for doc in event.docs:
            for m in doc.mentions:
                entity = index.lookup(doc.article.id, m.name)
                if entity is not None:
                    entities[f"{doc.article.id}#{m.sentence_index}"].add(entity.id)
        nodes = alignable(event.docs)
        texts = [s.text for s in nodes]
        position = {(s.article_id, s.index): i for i, s in enumerate(nodes)}
        ours = sentence_similarity(texts, [frozenset(entities[s.id]) for s in nodes])
        words = TfidfVectorizer(sublinear_tf=True).fit_transform(texts)
        baseline = np.asarray((words @ words.T).todense())
        wanted = sorted({position[k] for k in event.candidates if k in position})
        vectors: dict[int, np.ndarray] = {}
        if encoder is not None and wanted:
            vectors = dict(zip(wanted, encoder.encode([texts[i] for i in wanted]), strict=True))
        for a, b in itertools.combinations(event.candidates, 2):
            if a[0] == b[0]:
                continue
            out.gold.append(bool(event.chains[a] & event.chains[b]))
            out.topic.append(event.topic)
            i, j = position.get(a), position.get(b)
            kept = i is not None and j is not None
            out.scores["ours"].append(float(ours[i, j]) if kept else 0.0)
            out.scores["tfidf"].append(float(baseline[i, j]) if kept else 0.0)
            if encoder is not None:
                out.scores["dense"].append(float(vectors[i] @ vectors[j]) if kept else 0.0)
    return out


def threshold_for(scores: np.ndarray, gold: np.ndarray, target: float) -> float:
    """The lowest threshold whose precision reaches ``target`` (the highest score if none does)."""
    order = np.argsort(-scores, kind="stable")
    hits = np.cumsum(gold[order])
    precision = hits / np.arange(1, len(order) + 1)
    reaching = np.nonzero(precision >= target)[0]
    if len(reaching) == 0:
        return float(scores.max()) + 1e-9
    return float(scores[order][reaching[-1]])


def prf(pred: np.ndarray, gold: np.ndarray) -> tuple[float, float, float]:
    tp = float((pred & gold).sum())
    p = tp / pred.sum() if pred.sum() else 0.0
    r = tp / gold.sum() if gold.sum() else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def evaluate(pairs: Pairs) -> dict[str, Any]:
    gold = np.array(pairs.gold, dtype=bool)
    dev = np.array(pairs.topic) % 2 == 1
    test = ~dev
    rows: list[dict[str, Any]] = []

    def row(name: str, scores: np.ndarray, threshold: float | None = None, how: str = "") -> None:
        if threshold is None:
            threshold = threshold_for(scores[dev], gold[dev], TARGET_PRECISION)
            how = f"dev P>={TARGET_PRECISION}"
        p, r, f = prf(scores[test] >= threshold, gold[test])
        rows.append({
            "scorer": name, "roc_auc": roc_auc_score(gold[test], scores[test]),
            "avg_precision": average_precision_score(gold[test], scores[test]),
            "threshold": threshold, "chosen_by": how, "precision": p, "recall": r, "f1": f,
        })  # fmt: skip

    ours = np.array(pairs.scores["ours"])
    row("ours: char TF-IDF + entities", ours)
    row("ours at pipeline FACT_SIMILARITY", ours, thresholds.FACT_SIMILARITY, "thresholds.py")
    row("baseline: word TF-IDF cosine", np.array(pairs.scores["tfidf"]))
    if pairs.scores.get("dense"):
        dense = np.array(pairs.scores["dense"])
        row("all-MiniLM-L6-v2 cosine", dense)
        mixes: dict[float, np.ndarray] = {w: (1 - w) * ours + w * dense for w in DENSE_WEIGHTS}
        best = max(DENSE_WEIGHTS, key=lambda w: average_precision_score(gold[dev], mixes[w][dev]))
        row(f"ours + MiniLM (weight {best} by dev AP)", mixes[best])
    p, r, f = prf(np.ones(int(test.sum()), dtype=bool), gold[test])
    rows.append({
        "scorer": "baseline: align everything", "roc_auc": 0.5, "avg_precision": float(gold[test].mean()),
        "threshold": float("-inf"), "chosen_by": "", "precision": p, "recall": r, "f1": f,
    })  # fmt: skip
    return {
        "pairs_test": int(test.sum()),
        "positive_share_test": float(gold[test].mean()),
        "pairs_dev": int(dev.sum()),
        "split": "dev = odd topics, test = even topics",
        "target_precision": TARGET_PRECISION,
        "rows": rows,
    }


def print_table(result: dict[str, Any]) -> None:
    print(
        f"\nFact alignment on ECB+ event-chain sentence pairs, test half ({result['pairs_test']} pairs, "
        f"{result['positive_share_test']:.0%} positive; {result['split']})"
    )
    head = f"{'scorer':44s} {'ROC-AUC':>7s} {'AP':>6s} {'thresh':>7s} {'P':>6s} {'R':>6s} {'F1':>6s}  chosen"
    print(head)
    print("-" * len(head))
    for r in result["rows"]:
        thr = "-" if r["threshold"] == float("-inf") else f"{r['threshold']:.3f}"
        print(
            f"{r['scorer']:44s} {r['roc_auc']:7.3f} {r['avg_precision']:6.3f} {thr:>7s} "
            f"{r['precision']:6.3f} {r['recall']:6.3f} {r['f1']:6.3f}  {r['chosen_by']}"
        )
    print(f"({result['seconds']:.0f} s)")


def main(argv: Sequence[str] | None = None, out: Callable[[dict[str, Any]], None] = print_table) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument("--limit", type=int, default=None, help="only the first N topics")
    parser.add_argument("--no-dense", action="store_true", help="skip the dense model rows")
    args = parser.parse_args(argv)
    require_data(args.data, "ecbplus/docs.jsonl", "ecbplus/event_mentions.jsonl", "ecbplus/sentences.jsonl")
    started = time.perf_counter()
    events = load_events(args.data, args.limit)
    result = evaluate(score_pairs(events, dense=not args.no_dense))
    result["seconds"] = time.perf_counter() - started
    out(result)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, default=float) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
