"""Direct quotes and their speakers: detection P/R/F1 and attribution P/R/F1 on hand-labelled Multi-News text.

Usage: .venv/bin/python bench/quotes.py [--data DIR] [--json FILE] [--limit N] [--errors]

Gold: tests/fixtures/bench/quotes_gold.jsonl, every direct quotation in the articles of the first 17
Multi-News clusters, labelled by hand (the rules are in tests/fixtures/bench/README.md). Clusters 1-12 are the
"dev" split, read while the quote finder was being fixed; clusters 13-17 are "held-out", labelled after those
fixes and not used to change the code. The article texts ship in quote_articles.jsonl; when ``--data`` holds
multinews/clusters.jsonl the texts are checked against it (sha1).

Each article goes through the real path, ``clean_article`` then ``analyse_articles``, and its quotes are
compared with the gold quotes of the article.

- Detection: a found quote matches a gold quote when their normalised texts (case, quotation marks and
  punctuation ignored, whitespace collapsed) reach a rapidfuzz ratio of 90: trailing commas, a word lost at a
  seam or a differently joined interruption pass, a quote cut in two or run into the next one does not.
  Matching is one-to-one, best pairs first. P = matched / found, R = matched / gold.
- Attribution: a matched quote is attributed correctly when its speaker and the gold speaker are the same
  person: equal after normalisation (titles, possessives and punctuation dropped, case folded), or the words
  of one are all among the words of the other ("Kluck" / "Paul Kluck", "Greenpeace" / "Greenpeace UK").
  P = correct / matched quotes given a speaker (a speaker given for a gold quote whose speaker is unnamed
  counts as wrong), R = correct / gold quotes with a named speaker (so missed quotes count against recall).

Baseline, in the same run on the same cleaned text: every span between double quotation marks (straight or
curly) is a quote, and its speaker is the nearest PERSON mention (the analysis' spaCy NER) ending before it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from storyweave.analyse import analyse_articles
from storyweave.clean import clean_article
from storyweave.model import AnalysedArticle, Article

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data"
FIXTURES = REPO / "tests" / "fixtures" / "bench"
MATCH_RATIO = 90.0

_TITLES = {
    "mr", "mrs", "ms", "dr", "prof", "rev", "sen", "rep", "gov", "gen", "col", "cpl", "lt", "sgt", "capt",
    "president", "bishop", "sheikh", "sheik", "sir", "the", "premier", "judge", "justice", "professor",
}  # fmt: skip


@dataclass
class Found:
    """One quote as a system reports it."""

    text: str
    speaker: str | None


@dataclass
class Gold:
    quote: str
    speaker: str | None
    split: str
    note: str | None = None


@dataclass
class Scores:
    """Counts behind the detection and attribution figures of one system."""

    found: int = 0
    gold: int = 0
    matched: int = 0
    gold_named: int = 0
    given: int = 0  # matched quotes the system gave a speaker
    correct: int = 0
    errors: list[str] = field(default_factory=list)

    def figures(self) -> dict[str, float]:
        det_p = self.matched / self.found if self.found else 0.0
        det_r = self.matched / self.gold if self.gold else 0.0
        att_p = self.correct / self.given if self.given else 0.0
        att_r = self.correct / self.gold_named if self.gold_named else 0.0
        return {
            "detection_p": det_p,
            "detection_r": det_r,
            "detection_f1": _f1(det_p, det_r),
            "attribution_p": att_p,
            "attribution_r": att_r,
            "attribution_f1": _f1(att_p, att_r),
        }


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def load(data: Path, limit: int | None) -> tuple[list[Article], dict[str, list[Gold]], dict[str, str]]:
    """The fixture articles (first ``limit`` clusters) as raw Articles, the gold quotes per article id, and
    the split of each article."""
    rows = _read_jsonl(FIXTURES / "quote_articles.jsonl")
    clusters = list(dict.fromkeys(r["cluster_id"] for r in rows))
    keep = set(clusters[:limit] if limit else clusters)
    _check_sources(rows, data)
    articles = [
        Article(id=f"{r['cluster_id']}-{r['article_index']}", raw_text=r["text"])
        for r in rows
        if r["cluster_id"] in keep
    ]
    gold: dict[str, list[Gold]] = {a.id: [] for a in articles}
    gold_rows = _read_jsonl(FIXTURES / "quotes_gold.jsonl")
    split_of_cluster = {g["cluster_id"]: g["split"] for g in gold_rows}
    for g in gold_rows:
        key = f"{g['cluster_id']}-{g['article_index']}"
        if key in gold:
            gold[key].append(Gold(g["quote"], g["speaker"], g["split"], g.get("note")))
    splits = {a.id: split_of_cluster.get(a.id.rsplit("-", 1)[0], "dev") for a in articles}
    return articles, gold, splits


def _check_sources(rows: Sequence[dict[str, Any]], data: Path) -> None:
    """Stop when a fixture text differs from the article it claims to copy (sha1 of the source text)."""
    for row in rows:
        if hashlib.sha1(row["text"].encode("utf-8")).hexdigest() != row["text_sha1"]:
            sys.exit(f"fixture text of {row['cluster_id']}/{row['article_index']} does not match its sha1")
    source = data / "multinews" / "clusters.jsonl"
    if not source.exists():
        return
    texts = {c["id"]: c["articles"] for c in _read_jsonl(source)}
    for row in rows:
        original = texts.get(row["cluster_id"])
        if (
            original is None
            or hashlib.sha1(original[row["article_index"]].encode("utf-8")).hexdigest() != row["text_sha1"]
        ):
            sys.exit(f"{row['cluster_id']}/{row['article_index']}: not the text in {source}")


# --------------------------------------------------------------------------------------------------
# Normalisation and matching


def norm_text(text: str) -> str:
    """Quote text for comparison: case folded, quotation marks, apostrophes and punctuation dropped."""
    text = re.sub(r"[’‘`´]", "'", text.casefold())
    text = re.sub(r"[^\w\s']", " ", text)
    return " ".join(text.replace("'", "").split())


def name_words(name: str) -> list[str]:
    """Words of a speaker name without titles, possessives and punctuation ("Rep. Lesser's" -> [lesser])."""
    words = re.sub(r"[’']s\b", "", name.casefold())
    words = re.sub(r"[.’']", "", words)
    return [w for w in re.split(r"[^\w]+", words) if w and w not in _TITLES]


def same_speaker(found: str | None, gold: str | None) -> bool:
    """Same person: equal word lists, or every word of one among the words of the other."""
    if not found or not gold:
        return False
    a, b = name_words(found), name_words(gold)
    if not a or not b:
        return False
    return a == b or set(a) <= set(b) or set(b) <= set(a)


def score_article(found: Sequence[Found], gold: Sequence[Gold], scores: Scores, article_id: str) -> None:
    """Add one article's detection and attribution counts to ``scores``."""
    scores.found += len(found)
    scores.gold += len(gold)
    scores.gold_named += sum(1 for g in gold if g.speaker)
    pairs = []
    for i, f in enumerate(found):
        nf = norm_text(f.text)
        for j, g in enumerate(gold):
            ratio = fuzz.ratio(nf, norm_text(g.quote))
            if ratio >= MATCH_RATIO:
                pairs.append((ratio, i, j))
    pairs.sort(reverse=True)
    used_f: set[int] = set()
    used_g: set[int] = set()
    for _, i, j in pairs:
        if i in used_f or j in used_g:
            continue
        used_f.add(i)
        used_g.add(j)
        scores.matched += 1
        f, g = found[i], gold[j]
        if f.speaker:
            scores.given += 1
            if same_speaker(f.speaker, g.speaker):
                scores.correct += 1
            else:
                scores.errors.append(
                    f"{article_id}: speaker {f.speaker!r}, gold {g.speaker!r}: {_short(g.quote)}"
                )
        elif g.speaker:
            scores.errors.append(f"{article_id}: no speaker, gold {g.speaker!r}: {_short(g.quote)}")
    for j, g in enumerate(gold):
        if j not in used_g:
            scores.errors.append(f"{article_id}: missed ({g.speaker!r}): {_short(g.quote)}")
    for i, f in enumerate(found):
        if i not in used_f:
            scores.errors.append(f"{article_id}: spurious ({f.speaker!r}): {_short(f.text)}")


def _short(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3] + "..."


# --------------------------------------------------------------------------------------------------
# Systems


def ours(doc: AnalysedArticle) -> list[Found]:
    return [Found(q.raw_text, q.speaker) for q in doc.quotes]


_BASELINE_QUOTE = re.compile(r'"([^"\n]+)"|“([^”\n]+)”')


def baseline(doc: AnalysedArticle) -> list[Found]:
    """Regex quotes, each given the nearest PERSON mention ending before it."""
    text = doc.article.text
    persons = sorted((m for m in doc.mentions if m.label == "PERSON"), key=lambda m: m.end)
    found = []
    for match in _BASELINE_QUOTE.finditer(text):
        before = [m for m in persons if m.end <= match.start()]
        found.append(Found(match.group(1) or match.group(2), before[-1].name if before else None))
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help="shared data folder (for the sha1 check)"
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--limit", type=int, help="only the first N clusters of the fixture")
    parser.add_argument("--errors", action="store_true", help="list our misses and wrong speakers")
    args = parser.parse_args(argv)

    articles, gold, splits = load(args.data, args.limit)
    started = time.perf_counter()
    docs = analyse_articles([clean_article(a) for a in articles])
    elapsed = time.perf_counter() - started
    names = {"storyweave": ours, "baseline: regex + preceding PERSON": baseline}
    parts = ("all", "dev", "held-out")
    systems = {(name, part): Scores() for name in names for part in parts}
    for doc in docs:
        for name, system in names.items():
            found = system(doc)
            for part in ("all", splits[doc.id]):
                score_article(found, gold[doc.id], systems[(name, part)], doc.id)

    n_gold = sum(len(g) for g in gold.values())
    n_named = sum(1 for gs in gold.values() for g in gs if g.speaker)
    n_held = sum(len(g) for key, g in gold.items() if splits[key] == "held-out")
    print(
        f"quotes: {n_gold} gold quotes ({n_named} with a named speaker; {n_held} held out) in "
        f"{len(articles)} Multi-News articles; clean + analyse took {elapsed:.1f} s"
    )
    header = (
        f"{'system':<36} {'split':<9} {'det P':>6} {'det R':>6} {'det F1':>6}   "
        f"{'att P':>6} {'att R':>6} {'att F1':>6}"
    )
    print(header)
    print("-" * len(header))
    results: dict[str, Any] = {"gold_quotes": n_gold, "gold_named": n_named, "articles": len(articles)}
    for (name, part), scores in systems.items():
        if scores.gold == 0 and scores.found == 0:
            continue
        fig = scores.figures()
        results.setdefault(name, {})[part] = {
            **fig,
            "gold": scores.gold,
            "found": scores.found,
            "matched": scores.matched,
            "correct": scores.correct,
        }
        print(
            f"{name:<36} {part:<9} {fig['detection_p']:6.3f} {fig['detection_r']:6.3f} "
            f"{fig['detection_f1']:6.3f}   {fig['attribution_p']:6.3f} {fig['attribution_r']:6.3f} "
            f"{fig['attribution_f1']:6.3f}"
        )
    if args.errors:
        print()
        for line in systems[("storyweave", "all")].errors:
            print(line)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
