"""Analyse once: attribution/citation of claims on hand-labelled sentences, spaCy stream throughput, and the
language-detection sample size.

Usage: .venv/bin/python bench/slots.py [--data DIR] [--limit N] [--attribution] [--throughput] [--language]
(no flag: all three). CPU seconds include child processes (spaCy's n_process workers).

- Attribution (tests/fixtures/bench/attribution_gold.jsonl, rules in tests/fixtures/bench/README.md): for each
  sentence, the attribution of the claim that holds the labelled span: kind ("none", "speaker", "citation")
  and who ("Dmitry Peskov", "The Times"). Accuracy of the kind, citation precision/recall, and agreement of
  the named source, on the "dev" half (read while writing the rules) and the "test" half (labelled, not read
  until the end). Baseline in the same run: a sentence with a verb of saying or "according to" is
  "speaker", and its source is the nearest PERSON/ORG entity (spaCy NER) in the sentence; else "none".
- Throughput: N Multi-News articles (cleaned), parsed (a) the old way, one ``nlp.pipe`` call per article;
  (b) one stream across articles; then the whole analysis (slots included) with one and with two processes.
- Language: langdetect on the first 1,000 vs 5,000 characters of N articles: agreement and CPU seconds.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import storyweave.analyse as analyse_module
from storyweave.analyse import analyse_articles
from storyweave.analyse.language import detect_language
from storyweave.analyse.nlp import load_nlp
from storyweave.analyse.sentences import paragraph_spans
from storyweave.clean import clean_article
from storyweave.model import AnalysedArticle, Article, Claim
from storyweave.text.lexicon import SPEECH_LEMMAS

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data"
GOLD = REPO / "tests" / "fixtures" / "bench" / "attribution_gold.jsonl"


def cpu() -> float:
    """CPU seconds of this process and its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def timed(run: Callable[[], Any]) -> tuple[Any, float, float]:
    """(result, CPU seconds, wall seconds) of one call."""
    c0, w0 = cpu(), time.perf_counter()
    result = run()
    return result, cpu() - c0, time.perf_counter() - w0


def multinews_articles(data: Path, limit: int) -> list[Article]:
    """The first ``limit`` Multi-News source articles, cleaned."""
    out: list[Article] = []
    with (data / "multinews" / "clusters.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            for n, text in enumerate(json.loads(line)["articles"]):
                cid = json.loads(line)["id"]
                article = clean_article(Article(id=f"{cid}-{n}", raw_text=text, text=""))
                if article.text.strip():
                    out.append(article)
                if len(out) >= limit:
                    return out
    return out


# --------------------------------------------------------------------------------------------------
# Attribution


def _norm(name: str | None) -> str:
    words = re.findall(r"[a-z0-9]+", (name or "").lower())
    return " ".join(w for w in words if w != "the")


def same_source(found: str | None, gold: str | None) -> bool:
    """Equal after case/"the"/punctuation folding, or one's words all inside the other's."""
    a, b = _norm(found), _norm(gold)
    if not a or not b:
        return a == b
    return a == b or set(a.split()) <= set(b.split()) or set(b.split()) <= set(a.split())


def baseline_attribution(doc: AnalysedArticle, span: tuple[int, int]) -> tuple[str, str | None]:
    """A verb of saying (or "according to") in the sentence -> "speaker", the nearest named entity."""
    text = doc.article.text
    words = {w.lower() for w in re.findall(r"[A-Za-z]+", text)}
    said = bool(words & {"said", "says", "told", "reported", "according", "added", "stated", "announced"})
    said = said or bool(words & SPEECH_LEMMAS)
    if not said:
        return "none", None
    names = [m for m in doc.mentions if m.label in ("PERSON", "ORG")]
    if not names:
        return "speaker", None
    nearest = min(names, key=lambda m: min(abs(m.start - span[0]), abs(m.end - span[1])))
    return "speaker", nearest.name


def claim_for(doc: AnalysedArticle, span: tuple[int, int]) -> Claim | None:
    """The claim that holds most of the labelled span."""
    best, overlap = None, 0
    for c in doc.claims:
        inside = min(c.end, span[1]) - max(c.start, span[0])
        if inside > overlap:
            best, overlap = c, inside
    return best


def bench_attribution() -> None:
    rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    articles = [Article(id=f"g{n}", raw_text=r["sentence"], text=r["sentence"]) for n, r in enumerate(rows)]
    docs, cpu_s, wall = timed(lambda: analyse_articles(articles))
    print(f"attribution: {len(rows)} labelled sentences ({cpu_s:.1f} CPU-s, {wall:.1f} s wall to analyse)")
    print(f"  {'split':6} {'system':9} {'kind acc':>8} {'cit P':>6} {'cit R':>6} {'source acc':>10}")
    for split in ("dev", "test"):
        for system in ("slots", "baseline"):
            kinds = cit_tp = cit_found = cit_gold = sources = n = 0
            for row, doc in zip(rows, docs, strict=True):
                if row["split"] != split:
                    continue
                n += 1
                start = row["sentence"].index(row["claim"])
                span = (start, start + len(row["claim"]))
                if system == "slots":
                    c = claim_for(doc, span)
                    kind, source = (c.attribution, c.attributed_to) if c else ("none", None)
                else:
                    kind, source = baseline_attribution(doc, span)
                kinds += kind == row["kind"]
                cit_found += kind == "citation"
                cit_gold += row["kind"] == "citation"
                cit_tp += kind == row["kind"] == "citation"
                sources += kind == row["kind"] and (
                    row["kind"] == "none" or same_source(source, row["source"])
                )
            p = cit_tp / cit_found if cit_found else 0.0
            r = cit_tp / cit_gold if cit_gold else 0.0
            print(f"  {split:6} {system:9} {kinds / n:8.2f} {p:6.2f} {r:6.2f} {sources / n:10.2f}   (n={n})")


# --------------------------------------------------------------------------------------------------
# Throughput


def _paragraph_stream(articles: list[Article]) -> Iterator[str]:
    for article in articles:
        for _, s, e in paragraph_spans(article.text):
            yield article.text[s:e]


def bench_throughput(data: Path, limit: int) -> None:
    articles = multinews_articles(data, limit)
    chars = sum(len(a.text) for a in articles)
    nlp = load_nlp()
    nlp("warm up")
    print(f"throughput: {len(articles)} Multi-News articles, {chars:,} characters")

    def per_article() -> int:
        n = 0
        for article in articles:
            paras = [article.text[s:e] for _, s, e in paragraph_spans(article.text)]
            n += sum(1 for _ in nlp.pipe(paras, batch_size=64))
        return n

    def stream() -> int:
        return sum(1 for _ in nlp.pipe(_paragraph_stream(articles), batch_size=64))

    def analysis(processes: int) -> Callable[[], list[AnalysedArticle]]:
        def run() -> list[AnalysedArticle]:
            original = analyse_module.process_count
            analyse_module.process_count = lambda _chars, _asked=None: processes  # type: ignore[assignment]
            try:
                return analyse_articles(articles)
            finally:
                analyse_module.process_count = original  # type: ignore[assignment]

        return run

    rows = [
        ("parse, one nlp.pipe per article (before)", per_article),
        ("parse, one stream across articles", stream),
        ("analyse with slots, 1 process", analysis(1)),
        ("analyse with slots, 2 processes", analysis(2)),
    ]
    print(f"  {'run':44} {'CPU-s':>7} {'wall s':>7} {'art/CPU-s':>9} {'art/wall-s':>10}")
    for label, run in rows:
        _, cpu_s, wall = timed(run)
        print(
            f"  {label:44} {cpu_s:7.2f} {wall:7.2f} {len(articles) / cpu_s:9.1f} {len(articles) / wall:10.1f}"
        )


def bench_language(data: Path, limit: int) -> None:
    articles = multinews_articles(data, limit)
    detect_language("warm up the profiles with a sentence that is long enough to detect")
    long, cpu_long, _ = timed(lambda: [detect_language(a.text, 5000) for a in articles])
    short, cpu_short, _ = timed(lambda: [detect_language(a.text, 1000) for a in articles])
    agree = sum(a == b for a, b in zip(long, short, strict=True))
    print(
        f"language: {len(articles)} articles; 1,000 vs 5,000 characters agree on {agree}/{len(articles)};"
        f" CPU-s {cpu_short:.2f} vs {cpu_long:.2f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=200, help="articles for throughput and language")
    parser.add_argument("--attribution", action="store_true")
    parser.add_argument("--throughput", action="store_true")
    parser.add_argument("--language", action="store_true")
    args = parser.parse_args(argv)
    every = not (args.attribution or args.throughput or args.language)
    if args.attribution or every:
        bench_attribution()
    if args.language or every:
        bench_language(args.data, args.limit)
    if args.throughput or every:
        bench_throughput(args.data, args.limit)
    return 0


if __name__ == "__main__":
    sys.exit(main())
