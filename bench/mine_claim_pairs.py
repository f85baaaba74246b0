"""Mine candidate cross-outlet sentence pairs for hand labelling (tests/fixtures/bench/claim_pairs/).

Usage: .venv/bin/python bench/mine_claim_pairs.py [--data DIR] [--out FILE] [--seed N] [--paraphrases]
       [--dev-only --strata shared-name --exclude tests/fixtures/bench/claim_pairs/pairs.jsonl]

From every Multi-News cluster and every ECB+ event (development data), sentences of different articles are
paired and scored with a character TF-IDF cosine; per cluster a few pairs are drawn from three strata so the
set mixes likely paraphrases (high cosine), hard cases (middle cosine, a shared capitalised name) and easy
negatives (low cosine). With --paraphrases a fourth stratum follows (ids after the first three): per
cluster, the pair the wordllama cosine finds most alike among those sharing few character n-grams. The
output has no labels: a person reads each pair and adds ``same`` (see the README next to the data).
Halves: Multi-News by a hash of the cluster id, ECB+ by topic parity (odd = dev, as in the ECB+ benchmark).
--dev-only, --strata and --exclude draw further pairs for the development half alone (round 3: the hard
``shared-name`` stratum again with seed 23, leaving out every pair already labelled), so the test half is
never touched.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
from pathlib import Path

from sklearn.feature_extraction.text import TfidfVectorizer

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data"
OUT = ROOT / "tests" / "fixtures" / "bench" / "claim_pairs" / "candidates.jsonl"
_SPLIT = re.compile(r"(?<=[.!?])[\"”']?\s+(?=[\"“A-Z])|(?<=[a-z]\.)(?=[A-Z][a-z])")
_CAPS = re.compile(r"\b[A-Z][a-z]{2,}\b")


def sentences(text: str) -> list[str]:
    out = []
    for para in re.split(r"\n\s*\n|\n", text):
        for piece in _SPLIT.split(para.strip()):
            words = piece.split()
            if 8 <= len(words) <= 45 and not piece.isupper():
                out.append(" ".join(words))
    return out


def mine_paraphrases(groups: list[tuple[str, str, list[str]]]) -> list[dict]:
    """Per cluster, the cross-article pair that the wordllama cosine finds most alike among pairs that share
    few character n-grams (cosine < 0.4): paraphrases in other words, and the look-alikes that are not."""
    sys.path.insert(0, str(ROOT / "src"))
    from storyweave.align.embed import load_embedder

    embedder = load_embedder()
    assert embedder is not None, "wordllama is needed to mine this stratum"
    rows = []
    for group_id, half, articles in groups:
        sents = [(a, s) for a, text in enumerate(articles) for s in sentences(text)]
        if len({a for a, _ in sents}) < 2:
            continue
        vectors = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True).fit_transform(
            [s for _, s in sents]
        )
        sim = (vectors @ vectors.T).toarray()
        emb = embedder.encode([s for _, s in sents])
        dense = emb @ emb.T
        best, pair = -1.0, None
        for i in range(len(sents)):
            for j in range(i + 1, len(sents)):
                if sents[i][0] != sents[j][0] and sim[i, j] < 0.4 and dense[i, j] > best:
                    best, pair = float(dense[i, j]), (i, j)
        if pair is not None:
            i, j = pair
            rows.append(
                {
                    "group": group_id,
                    "half": half,
                    "a": sents[i][1],
                    "b": sents[j][1],
                    "cosine": round(float(sim[i, j]), 3),
                    "stratum": "paraphrase",
                }
            )
    return rows


def mine(
    groups: list[tuple[str, str, list[str]]],
    rng: random.Random,
    per_stratum: int,
    strata: tuple[str, ...] = ("similar", "shared-name", "low"),
    exclude: frozenset[tuple[str, str]] = frozenset(),
) -> list[dict]:
    rows = []
    for group_id, half, articles in groups:
        sents = [(a, s) for a, text in enumerate(articles) for s in sentences(text)]
        if len({a for a, _ in sents}) < 2:
            continue
        vectors = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True).fit_transform(
            [s for _, s in sents]
        )
        sim = (vectors @ vectors.T).toarray()
        high, mid, low = [], [], []
        for i in range(len(sents)):
            for j in range(i + 1, len(sents)):
                if sents[i][0] == sents[j][0] or (sents[i][1], sents[j][1]) in exclude:
                    continue
                c = sim[i, j]
                if c >= 0.9:
                    continue  # verbatim copies teach nothing
                if c >= 0.4:
                    high.append((i, j))
                elif c >= 0.18 and set(_CAPS.findall(sents[i][1])) & set(_CAPS.findall(sents[j][1])):
                    mid.append((i, j))
                elif c < 0.12:
                    low.append((i, j))
        picked: list[tuple[str, tuple[int, int]]] = []
        for name, stratum, n in (
            ("similar", high, per_stratum),
            ("shared-name", mid, per_stratum),
            ("low", low, 1),
        ):
            if name in strata:
                picked += [(name, p) for p in rng.sample(stratum, min(n, len(stratum)))]
        for name, (i, j) in picked:
            rows.append(
                {
                    "group": group_id,
                    "half": half,
                    "a": sents[i][1],
                    "b": sents[j][1],
                    "cosine": round(float(sim[i, j]), 3),
                    "stratum": name,
                }
            )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--paraphrases", action="store_true", help="add the wordllama-mined stratum")
    parser.add_argument("--dev-only", action="store_true", help="only clusters of the development half")
    parser.add_argument("--strata", default="similar,shared-name,low", help="comma-separated strata to draw")
    parser.add_argument("--exclude", type=Path, default=None, help="leave out the pairs of this JSONL file")
    args = parser.parse_args()
    strata = tuple(args.strata.split(","))
    exclude: frozenset[tuple[str, str]] = frozenset()
    if args.exclude is not None:
        seen = [json.loads(line) for line in args.exclude.open(encoding="utf-8") if line.strip()]
        exclude = frozenset((r["a"], r["b"]) for r in seen) | frozenset((r["b"], r["a"]) for r in seen)
    rng = random.Random(args.seed)
    groups = []
    for line in (args.data / "multinews" / "clusters.jsonl").open(encoding="utf-8"):
        c = json.loads(line)
        half = "dev" if int(hashlib.sha1(c["id"].encode()).hexdigest(), 16) % 2 == 0 else "test"
        groups.append((c["id"], half, c["articles"]))
    if args.dev_only:
        groups = [g for g in groups if g[1] == "dev"]
    rows = mine(groups, rng, per_stratum=2, strata=strata, exclude=exclude)
    docs: dict[str, list[str]] = {}
    topic: dict[str, int] = {}
    for line in (args.data / "ecbplus" / "docs.jsonl").open(encoding="utf-8"):
        d = json.loads(line)
        docs.setdefault(d["event"], []).append(d["text"])
        topic[d["event"]] = int(d["topic"])
    events = sorted(docs)
    rng.shuffle(events)
    ecb = [(e, "dev" if topic[e] % 2 == 1 else "test", docs[e][:6]) for e in events[:60]]
    if args.dev_only:
        ecb = [g for g in ecb if g[1] == "dev"]
    rows += mine(ecb, rng, per_stratum=1, strata=strata, exclude=exclude)
    if args.paraphrases:
        rows += mine_paraphrases(groups) + mine_paraphrases(ecb)
    for n, row in enumerate(rows):
        row["id"] = n
    with args.out.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} candidate pairs -> {args.out}")


if __name__ == "__main__":
    main()
