"""Entity merging across documents: B-cubed P/R/F1 on the named mentions of ECB+ entity chains.

Usage: .venv/bin/python bench/entities.py [--data DIR] [--json FILE] [--limit N]

Each ECB+ topic (two real-world events of one kind, 20-40 reports) is reconciled on its own, the way the
pipeline reconciles one story. The mentions are the gold spans whose spaCy label (`ner`) names an entity
(PERSON, ORG, GPE, LOC, FAC, EVENT, WORK_OF_ART, LAW, PRODUCT): dates, numbers and NORP are not entities the
brief lists. Every mention is fed, with its label and the sentence it sits in, to
:func:`storyweave.reconcile.reconcile_entities` as an :class:`AnalysedArticle`, so the real code path is
measured; mentions it drops (no plausible name left after normalisation) count as singletons. Gold clusters
are the ECB+ `chain`s (which also join "the team" to "the Angels": names alone cannot reach them all).

ECB+ annotates cross-document chains only for entities taking part in its annotated events; every other
mention is a singleton chain of its own, even when it names the same thing as another (each "FBI" of
topic 28 is a separate chain), so merging those counts against a system. The second set of figures
leaves the singleton mentions out of both the gold and the system clusters (clusters are still built
from all mentions).

Baselines, measured in the same run on the same mentions:
- exact string: mentions with the same text are one entity;
- head word: mentions with the same last token (casefolded) are one entity.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench_data import require_data
from storyweave.analyse.names import normalise_name
from storyweave.model import AnalysedArticle, Article, Mention, Sentence, Story
from storyweave.reconcile.entities import KEPT_LABELS, reconcile_entities

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data"


@dataclass(frozen=True)
class GoldMention:
    """One ECB+ mention: where it is, what it says, its spaCy label and its gold chain."""

    doc_id: str
    sent_id: int
    text: str
    label: str
    chain: str
    singleton: bool


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def load_topics(
    data: Path, limit: int | None
) -> tuple[dict[str, list[GoldMention]], dict[str, dict[int, str]]]:
    """Named gold mentions grouped by topic, and the sentences of every document that has one."""
    rows = _read_jsonl(data / "ecbplus" / "entity_mentions.jsonl")
    topics: dict[str, list[GoldMention]] = defaultdict(list)
    for row in rows:
        if row["ner"] not in KEPT_LABELS:
            continue
        topic = row["doc_id"].split("_", 1)[0]
        topics[topic].append(
            GoldMention(
                row["doc_id"], int(row["sent_id"]), row["mention"], row["ner"], row["chain"],
                bool(row.get("singleton")),
            )
        )
    chosen = sorted(topics, key=int)[:limit] if limit else sorted(topics, key=int)
    topics = {t: topics[t] for t in chosen}
    wanted = {m.doc_id for ms in topics.values() for m in ms}
    sentences: dict[str, dict[int, str]] = defaultdict(dict)
    for row in _read_jsonl(data / "ecbplus" / "sentences.jsonl"):
        if row["doc_id"] in wanted:
            sentences[row["doc_id"]][int(row["sent_id"])] = row["text"]
    return topics, sentences


def _locate(sentence: str, mention: str, taken: set[int]) -> int | None:
    """Offset of a free occurrence of the mention in its sentence (ECB+ token spacing varies)."""
    pattern = r"\s*".join(re.escape(ch) for ch in mention if not ch.isspace())
    for match in re.finditer(pattern, sentence):
        if match.start() not in taken:
            return match.start()
    return None


def build_docs(
    mentions: Sequence[GoldMention], sentences: dict[str, dict[int, str]]
) -> tuple[list[AnalysedArticle], dict[tuple[str, int], GoldMention]]:
    """Analysed articles carrying the gold spans as Mentions, and which gold mention each one is.

    Article text is the document's sentences joined by blank lines, so Sentence and Mention offsets are
    real; a mention that cannot be found in its sentence text gets a unique offset inside that sentence.
    """
    by_doc: dict[str, list[GoldMention]] = defaultdict(list)
    for m in mentions:
        by_doc[m.doc_id].append(m)
    docs: list[AnalysedArticle] = []
    origin: dict[tuple[str, int], GoldMention] = {}
    for doc_id in sorted(by_doc):
        sent_texts = dict(sentences.get(doc_id, {}))
        for m in by_doc[doc_id]:
            sent_texts.setdefault(m.sent_id, m.text)
        order = sorted(sent_texts)
        text_parts: list[str] = []
        starts: dict[int, int] = {}
        built: list[Sentence] = []
        pos = 0
        for index, sent_id in enumerate(order):
            starts[sent_id] = pos
            body = sent_texts[sent_id]
            built.append(
                Sentence(
                    id=f"{doc_id}#{index}", article_id=doc_id, index=index, text=body, start=pos,
                    end=pos + len(body), paragraph=index,
                )
            )
            text_parts.append(body)
            pos += len(body) + 2
        position = {sent_id: i for i, sent_id in enumerate(order)}
        taken: set[int] = set()
        found: list[Mention] = []
        for m in by_doc[doc_id]:
            sentence = sent_texts[m.sent_id]
            local = _locate(sentence, m.text, {t - starts[m.sent_id] for t in taken})
            start = starts[m.sent_id] + (local if local is not None else 0)
            while start in taken:
                start += 1
            taken.add(start)
            found.append(
                Mention(
                    text=m.text, name=normalise_name(m.text), label=m.label, article_id=doc_id,
                    sentence_index=position[m.sent_id], start=start, end=start + len(m.text),
                )
            )
            origin[(doc_id, start)] = m
        text = "\n\n".join(text_parts)
        article = Article(id=doc_id, raw_text=text, text=text)
        docs.append(AnalysedArticle(article=article, sentences=built, mentions=found))
    return docs, origin


def b_cubed(gold: Sequence[Hashable], predicted: Sequence[Hashable]) -> tuple[float, float, int]:
    """Summed B-cubed precision and recall over the mentions, and their number.

    ``gold[i]`` and ``predicted[i]`` are the cluster labels of mention i; sums let topics be pooled.
    """
    gold_members: dict[Hashable, set[int]] = defaultdict(set)
    pred_members: dict[Hashable, set[int]] = defaultdict(set)
    for i, (g, p) in enumerate(zip(gold, predicted, strict=True)):
        gold_members[g].add(i)
        pred_members[p].add(i)
    precision = recall = 0.0
    for g, p in zip(gold, predicted, strict=True):
        overlap = len(gold_members[g] & pred_members[p])
        precision += overlap / len(pred_members[p])
        recall += overlap / len(gold_members[g])
    return precision, recall, len(gold)


def exact_string(mentions: Sequence[GoldMention]) -> list[Hashable]:
    """Baseline: one entity per distinct mention text."""
    return [m.text for m in mentions]


def head_word(mentions: Sequence[GoldMention]) -> list[Hashable]:
    """Baseline: one entity per last token, casefolded."""
    return [m.text.split()[-1].casefold() if m.text.split() else m.text for m in mentions]


def storyweave_clusters(topic: str, sentences: dict[str, dict[int, str]]) -> Callable[
    [Sequence[GoldMention]], list[Hashable]
]:
    """Our system: reconcile_entities over the topic's documents as one story."""

    def run(mentions: Sequence[GoldMention]) -> list[Hashable]:
        docs, origin = build_docs(mentions, sentences)
        story = Story(id=topic, article_ids=[d.id for d in docs])
        index = reconcile_entities(docs, story)
        assigned: dict[GoldMention, Hashable] = {}
        for doc in docs:
            for mention in doc.mentions:
                gold = origin[(doc.id, mention.start)]
                entity = index.entity_of(mention)
                # a mention reconcile dropped is an entity of its own
                assigned[gold] = entity.id if entity else ("dropped", doc.id, mention.start)
        return [assigned[m] for m in mentions]

    return run


def _prf(p_sum: float, r_sum: float, total: int) -> dict[str, float]:
    precision, recall = (p_sum / total, r_sum / total) if total else (0.0, 0.0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def score(
    topics: dict[str, list[GoldMention]], sentences: dict[str, dict[int, str]]
) -> dict[str, dict[str, dict[str, float]]]:
    """Pooled B-cubed P/R/F1 of each system over all topics: on all mentions and without singletons."""
    systems: dict[str, Callable[[str], Callable[[Sequence[GoldMention]], list[Hashable]]]] = {
        "exact string": lambda _t: exact_string,
        "head word": lambda _t: head_word,
        "storyweave": lambda t: storyweave_clusters(t, sentences),
    }
    results: dict[str, dict[str, dict[str, float]]] = {}
    for name, make in systems.items():
        sums = {"all": [0.0, 0.0, 0], "no_singletons": [0.0, 0.0, 0]}
        for topic, mentions in topics.items():
            # cluster labels are namespaced by topic: nothing is merged across topics
            predicted = [(topic, c) for c in make(topic)(mentions)]
            kept = [i for i, m in enumerate(mentions) if not m.singleton]
            for part, gold, pred in (
                ("all", [m.chain for m in mentions], predicted),
                ("no_singletons", [mentions[i].chain for i in kept], [predicted[i] for i in kept]),
            ):
                p, r, n = b_cubed(gold, pred)
                sums[part] = [sums[part][0] + p, sums[part][1] + r, int(sums[part][2]) + n]
        results[name] = {part: _prf(p, r, int(n)) for part, (p, r, n) in sums.items()}
    return results


def _table(results: dict[str, dict[str, dict[str, float]]]) -> Iterable[str]:
    yield f"{'':<14} {'all named mentions':^20}   {'without singletons':^20}"
    yield f"{'system':<14} {'P':>6} {'R':>6} {'F1':>6}   {'P':>6} {'R':>6} {'F1':>6}"
    for name, parts in results.items():
        cells = "   ".join(
            " ".join(f"{parts[part][k]:>6.3f}" for k in ("precision", "recall", "f1"))
            for part in ("all", "no_singletons")
        )
        yield f"{name:<14} {cells}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help="data folder (default ../shared/data)"
    )
    parser.add_argument("--json", type=Path, help="also write the figures as JSON to this file")
    parser.add_argument("--limit", type=int, default=None, help="only the first N topics (default: all)")
    args = parser.parse_args(argv)
    require_data(args.data, "ecbplus/entity_mentions.jsonl", "ecbplus/sentences.jsonl")
    topics, sentences = load_topics(args.data, args.limit)
    if not topics:
        print(f"no ECB+ entity mentions under {args.data}", file=sys.stderr)
        return 2
    results = score(topics, sentences)
    mentions = sum(len(ms) for ms in topics.values())
    singletons = sum(m.singleton for ms in topics.values() for m in ms)
    docs = len({m.doc_id for ms in topics.values() for m in ms})
    chains = len({(t, m.chain) for t, ms in topics.items() for m in ms})
    print(
        f"ECB+ named entity mentions: {mentions} in {docs} documents, {len(topics)} topics, "
        f"{chains} gold chains ({singletons} singleton mentions)"
    )
    print("B-cubed, pooled over mentions; each topic reconciled as one story")
    for line in _table(results):
        print(line)
    if args.json:
        payload = {
            "benchmark": "entities",
            "mentions": mentions,
            "documents": docs,
            "topics": len(topics),
            "gold_chains": chains,
            "singleton_mentions": singletons,
            "systems": results,
        }
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
