"""Development pair sets for the alignment scorer, shared by bench/alignment.py and bench/train_alignment.py.

Each set is a list of :class:`Pool`: units fitted together (as one story's are) and labelled pairs of them.
- ``claim_pairs``: the hand-labelled cross-outlet sentence pairs (tests/fixtures/bench/claim_pairs; dev and
  test halves in the file). One pool per cluster: every sentence of its articles, as a story's units are.
- ``nanco``: NAnCo answers (``nanco/nanco_dataset.json``), one pool per question, every pair of answers,
  gold = same ``cluster_global``; dev = Q2, Q3, Q5, Q6 and test = Q4, Q7, Q8, Q9 (the paper's protocol).
- ``ecb``: ECB+ sentences holding an event mention, one pool per event (its alignable sentences, entity
  ids from spaCy NER reconciled as in the pipeline), pairs from different documents, gold = a shared event
  chain; dev = odd topics, test = even topics.
Each unit also carries the slots the scorer compares (predicate lemma, subject head) of its sentence's main
claim: the longest claim ``analyse`` finds with at least FACT_MIN_WORDS words (None when it has none), as
a sentence's claims are units in use.
"""

from __future__ import annotations

import itertools
import json
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from storyweave import thresholds  # noqa: E402
from storyweave.align.embed import Embedder  # noqa: E402
from storyweave.align.features import PairSpace  # noqa: E402
from storyweave.align.units import build_units, quoted_words  # noqa: E402
from storyweave.analyse.claims import claims_in  # noqa: E402
from storyweave.analyse.entities import mentions_in  # noqa: E402
from storyweave.analyse.nlp import load_nlp  # noqa: E402
from storyweave.model import AnalysedArticle, Article, Claim, Sentence, Story  # noqa: E402
from storyweave.reconcile.entities import reconcile_entities  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data"
CLAIM_PAIRS = ROOT / "tests" / "fixtures" / "bench" / "claim_pairs" / "pairs.jsonl"
NANCO_DEV = ("Q2", "Q3", "Q5", "Q6")
Slots = tuple[str, str | None] | None


@dataclass
class Pool:
    """Units scored together and their labelled pairs."""

    dataset: str
    name: str
    half: str  # "dev" or "test"
    texts: list[str]
    entities: list[frozenset[str]]
    quotes: list[str | None]
    pairs: list[tuple[int, int, bool]] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)  # the article of each unit, where known
    strata: list[str] = field(default_factory=list)  # the mining stratum of each pair (claim pairs only)
    slots: list[Slots] = field(default_factory=list)  # each unit's main claim (predicate, subject)


@dataclass
class PairRows:
    """Feature rows of every labelled pair, with its gold label, half, dataset and pool."""

    x: np.ndarray
    gold: np.ndarray
    half: np.ndarray
    dataset: np.ndarray
    pool: np.ndarray
    texts: list[tuple[str, str]]
    stratum: np.ndarray  # the claim pairs' mining stratum, "" for the other sets


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def main_slots(claims: Sequence[Claim]) -> Slots:
    """(predicate, subject) of the longest claim of at least FACT_MIN_WORDS words, None without one."""
    long = [c for c in claims if len(c.text.split()) >= thresholds.FACT_MIN_WORDS and c.predicate]
    if not long:
        return None
    claim = max(long, key=lambda c: len(c.text))
    return claim.predicate, claim.subject


def _parse(texts: Sequence[str]) -> tuple[list[frozenset[str]], list[Slots]]:
    """Entity keys (spaCy NER names, case-folded: short texts have no story to reconcile in) and the main
    claim's slots of each text, from one spaCy pass."""
    nlp = load_nlp()
    entities, slots = [], []
    for n, doc in enumerate(nlp.pipe(list(texts), batch_size=128)):
        entities.append(frozenset(m.name.casefold() for m in mentions_in("x", n, doc[:], 0)))
        slots.append(main_slots(claims_in("x", n, doc[:], 0, [])))
    return entities, slots


def _cluster_articles(data: Path, wanted: set[str]) -> dict[str, list[str]]:
    """The article texts of the development clusters the claim pairs were mined from (Multi-News cluster
    ids, ECB+ event ids)."""
    out: dict[str, list[str]] = {}
    for row in _read_jsonl(data / "multinews" / "clusters.jsonl"):
        if row["id"] in wanted:
            out[row["id"]] = list(row["articles"])
    for row in _read_jsonl(data / "ecbplus" / "docs.jsonl"):
        if row["event"] in wanted:
            out.setdefault(row["event"], []).append(row["text"])
    return out


def load_claim_pairs(
    path: Path = CLAIM_PAIRS, halves: Sequence[str] = ("dev", "test"), data: Path | None = None
) -> list[Pool]:
    """One pool per cluster: every sentence of the cluster's articles (split as the miner split them), so
    the TF-IDF statistics and the story-relative cosines are those of a story, as in use. Without ``data``
    (or a cluster missing from it) a pool holds only the cluster's labelled sentences."""
    from mine_claim_pairs import sentences

    rows = [r for r in _read_jsonl(path) if r["half"] in halves]
    articles = _cluster_articles(data, {r["group"] for r in rows}) if data is not None else {}
    pools = []
    for group in sorted({r["group"] for r in rows}):
        chosen = [r for r in rows if r["group"] == group]
        texts: list[str] = []
        owners: list[str] = []
        where: dict[str, int] = {}
        for a, text in enumerate(articles.get(group, [])):
            for sentence in sentences(text):
                if sentence not in where:
                    where[sentence] = len(texts)
                    texts.append(sentence)
                    owners.append(f"{group}:{a}")
        for r in chosen:
            for t in (r["a"], r["b"]):
                if t not in where:
                    where[t] = len(texts)
                    texts.append(t)
                    owners.append(f"{group}:pair{r['id']}{'a' if t == r['a'] else 'b'}")
        entities, slots = _parse(texts)
        pool = Pool(
            "claim_pairs",
            group,
            chosen[0]["half"],
            texts,
            entities,
            [quoted_words(t) for t in texts],
            articles=owners,
            slots=slots,
        )
        pool.pairs = [(where[r["a"]], where[r["b"]], bool(r["same"])) for r in chosen]
        pool.strata = [r["stratum"] for r in chosen]
        pools.append(pool)
    return pools


def load_nanco(data: Path, halves: Sequence[str] = ("dev", "test")) -> list[Pool]:
    questions = json.loads((data / "nanco" / "nanco_dataset.json").read_text(encoding="utf-8"))
    pools = []
    for q in questions:
        answers = q["answers"]
        qid = answers[0]["qid"]
        if ("dev" if qid in NANCO_DEV else "test") not in halves:
            continue
        texts = [a["Answer"] for a in answers]
        entities, slots = _parse(texts)
        pool = Pool(
            "nanco",
            qid,
            "dev" if qid in NANCO_DEV else "test",
            texts,
            entities,
            [quoted_words(t) for t in texts],
            slots=slots,
        )
        pool.articles = [str(a.get("Article URL") or f"{qid}:{n}") for n, a in enumerate(answers)]
        for x, y in itertools.combinations(range(len(answers)), 2):
            pool.pairs.append((x, y, answers[x]["cluster_global"] == answers[y]["cluster_global"]))
        pools.append(pool)
    return pools


def load_ecb(data: Path, limit: int | None = None, halves: Sequence[str] = ("dev", "test")) -> list[Pool]:
    """ECB+ events (of the first ``limit`` topics) as pools of their alignable sentences."""
    rows = _read_jsonl(data / "ecbplus" / "docs.jsonl")
    event_of = {r["id"]: r["event"] for r in rows}
    topic_of = {r["id"]: int(r["topic"]) for r in rows}
    topics = sorted(set(topic_of.values()))[:limit] if limit else sorted(set(topic_of.values()))
    topics = [t for t in topics if ("dev" if t % 2 == 1 else "test") in halves]
    chosen = {d for d, t in topic_of.items() if t in topics}
    chains: dict[tuple[str, int], set[str]] = defaultdict(set)
    for m in _read_jsonl(data / "ecbplus" / "event_mentions.jsonl"):
        if m["doc_id"] in chosen:
            chains[(m["doc_id"], int(m["sent_id"]))].add(m["chain"])
    sentences: dict[str, dict[int, str]] = defaultdict(dict)
    for s in _read_jsonl(data / "ecbplus" / "sentences.jsonl"):
        if s["doc_id"] in chosen:
            sentences[s["doc_id"]][int(s["sent_id"])] = s["text"]
    nlp = load_nlp()
    slots_of: dict[tuple[str, int], Slots] = {}
    flat = [(d, i, sentences[d][i]) for d in sorted(sentences) for i in sorted(sentences[d])]
    docs_of: dict[str, list[AnalysedArticle]] = defaultdict(list)
    current: dict[str, tuple[list[str], list[Sentence], list[Any]]] = {}
    for (doc_id, index, text), parse in zip(
        flat, nlp.pipe([t for _, _, t in flat], batch_size=128), strict=True
    ):
        pieces, sents, mentions = current.setdefault(doc_id, ([], [], []))
        start = sum(len(p) + 1 for p in pieces)
        pieces.append(text)
        sents.append(
            Sentence(
                id=f"{doc_id}#{index}",
                article_id=doc_id,
                index=index,
                text=text,
                start=start,
                end=start + len(text),
            )
        )
        mentions.extend(mentions_in(doc_id, index, parse[:], start))
        slots_of[(doc_id, index)] = main_slots(claims_in(doc_id, index, parse[:], start, []))
    for doc_id, (pieces, sents, mentions) in sorted(current.items()):
        text = " ".join(pieces)
        docs_of[event_of[doc_id]].append(
            AnalysedArticle(Article(id=doc_id, raw_text=text, text=text), sents, mentions)
        )
    pools = []
    for event in sorted(docs_of):
        docs = docs_of[event]
        story = Story(id=event, article_ids=[d.article.id for d in docs])
        index = reconcile_entities(docs, story)
        entities: dict[str, set[str]] = defaultdict(set)
        for doc in docs:
            for m in doc.mentions:
                entity = index.lookup(doc.article.id, m.name)
                if entity is not None:
                    entities[f"{doc.article.id}#{m.sentence_index}"].add(entity.id)
        units = build_units(docs, {k: frozenset(v) for k, v in entities.items()})
        position = {(u.article_id, u.sentence.index): n for n, u in enumerate(units)}
        topic = topic_of[docs[0].article.id]
        pool = Pool(
            "ecb",
            event,
            "dev" if topic % 2 == 1 else "test",
            [u.text for u in units],
            [u.entities for u in units],
            [u.quote for u in units],
            articles=[u.article_id for u in units],
            slots=[slots_of.get((u.article_id, u.sentence.index)) for u in units],
        )
        keys = sorted(k for k in chains if event_of[k[0]] == event and k in position)
        for a, b in itertools.combinations(keys, 2):
            if a[0] != b[0]:
                pool.pairs.append((position[a], position[b], bool(chains[a] & chains[b])))
        if pool.pairs:
            pools.append(pool)
    return pools


def feature_rows(pools: Sequence[Pool], embedder: Embedder | None) -> PairRows:
    """Every labelled pair's feature row, each pool fitted on its own units."""
    xs, gold, half, dataset, pool_names, texts, strata = [], [], [], [], [], [], []
    for pool in pools:
        space = PairSpace(pool.texts, pool.entities, pool.quotes, embedder, pool.slots or None)
        i = np.array([p[0] for p in pool.pairs])
        j = np.array([p[1] for p in pool.pairs])
        xs.append(space.features(i, j))
        gold += [p[2] for p in pool.pairs]
        half += [pool.half] * len(pool.pairs)
        dataset += [pool.dataset] * len(pool.pairs)
        pool_names += [f"{pool.dataset}:{pool.name}"] * len(pool.pairs)
        texts += [(pool.texts[a], pool.texts[b]) for a, b, _ in pool.pairs]
        strata += pool.strata or [""] * len(pool.pairs)
    return PairRows(
        np.vstack(xs),
        np.array(gold, dtype=bool),
        np.array(half),
        np.array(dataset),
        np.array(pool_names),
        texts,
        np.array(strata),
    )
