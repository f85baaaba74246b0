"""Article-body extraction benchmark: our HTML path and our plain-text cleaner, each beside a baseline.

Data: ``article-extraction/`` under ``--data`` (default ``../shared/data`` from the repo root): the
article-extraction-benchmark pages (``html/HASH.html.gz``) and their hand-checked bodies
(``ground-truth.json``, ``{hash: {articleBody, url}}``).

Systems, all measured in the same run:
  HTML path  BASELINE ``trafilatura.extract(html, include_comments=False)``, as the benchmark runs it;
             OURS ``read_html`` (trafilatura with metadata, our decoding) then ``clean_article``: what
             ``storyweave brief page.html`` keeps as the body.
  text path  every page turned into plain text WITHOUT extraction by html-text (``guess_layout``: one
             line per block, all navigation, menus, footers and related links kept), as a scrape saved
             as .txt looks; then (a) no cleaning, (b) BASELINE jusText (each line one paragraph, English
             stop list, default settings), (c) OURS ``clean_article``. The share of the gap between (a)
             and trafilatura-on-HTML that (c) closes is printed. jusText on the original HTML is shown for
             reference.

Scoring (the benchmark's published figures, re-implemented here): a text is split into tokens by the
regex ``\\w+`` (Unicode, case kept); its shingles are the runs of 4 consecutive tokens (a text of 1-3
tokens is one shingle, an empty text has none), counted as a multiset. For each page, TP/FP/FN are the
multiset overlap of predicted and true shingles, the predicted excess and the true excess, divided by
their sum (so every page weighs the same). Precision is the mean over pages with TP+FP > 0 of
TP/(TP+FP) (1 when FP = FN = 0), recall the mean over pages with TP+FN > 0 of TP/(TP+FN); F1 is the
harmonic mean of those two means. The benchmark's bootstrap confidence intervals are not computed.

Throughput: pages/s of the HTML path (read_html + clean_article on the gzipped bytes) and articles/s
of the text cleaner (clean_article on the html-text output), one process, wall clock.

    .venv/bin/python bench/extraction.py [--data DIR] [--json FILE] [--limit N] [--worst N]
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import html_text
import justext
import trafilatura

from bench_data import require_data
from storyweave.clean import clean_article
from storyweave.ingest.html import read_html
from storyweave.model import Article, InputError

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data"
SHINGLE = 4
_TOKEN = re.compile(r"\w+")


@dataclass
class Page:
    """One benchmark page: its id, gzipped HTML, decoded HTML, plain text and true body."""

    id: str
    gz: bytes
    html: str
    plain: str
    gold: str


def load_pages(data: Path, limit: int | None) -> list[Page]:
    """The benchmark pages in id order (the first ``limit`` when given), with their html-text rendering."""
    root = data / "article-extraction"
    truth: dict[str, dict[str, Any]] = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    pages: list[Page] = []
    for key in sorted(truth)[:limit]:
        gz = (root / "html" / f"{key}.html.gz").read_bytes()
        page_html = gzip.decompress(gz).decode("utf-8", "replace")
        plain = html_text.extract_text(page_html, guess_layout=True)
        pages.append(Page(key, gz, page_html, plain, truth[key].get("articleBody") or ""))
    return pages


# --------------------------------------------------------------------------------------------------
# scoring


def shingles(text: str) -> Counter[tuple[str, ...]]:
    """4-token shingles of ``text`` as a multiset (see module docstring)."""
    tokens = _TOKEN.findall(text or "")
    if not tokens:
        return Counter()
    if len(tokens) < SHINGLE:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1))


def page_counts(gold: str, predicted: str) -> tuple[float, float, float]:
    """Normalised (TP, FP, FN) of one page."""
    true, pred = shingles(gold), shingles(predicted)
    tp = sum((true & pred).values())
    fp = sum((pred - true).values())
    fn = sum((true - pred).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fp == 0 else tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fn == 0 else tp / (tp + fn)


def scores(counts: Sequence[tuple[float, float, float]]) -> dict[str, float]:
    """Precision, recall and F1 over pages (macro means, see module docstring)."""
    p = [_precision(*c) for c in counts if c[0] + c[1] > 0]
    r = [_recall(*c) for c in counts if c[0] + c[2] > 0]
    precision = statistics.fmean(p) if p else 0.0
    recall = statistics.fmean(r) if r else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


# --------------------------------------------------------------------------------------------------
# systems


def ours_html(page: Page) -> str:
    """Our HTML path: the body ``storyweave brief`` keeps for the page."""
    try:
        article = read_html(page.gz, page.id, page.id)
    except InputError:
        return ""
    return clean_article(article).text


def trafilatura_html(page: Page) -> str:
    """Plain trafilatura, as the benchmark runs it."""
    return trafilatura.extract(page.html, include_comments=False) or ""


def no_cleaning(page: Page) -> str:
    return page.plain


def ours_text(page: Page) -> str:
    """Our text cleaner on the page's plain text, as on a scraped .txt file."""
    return clean_article(Article(id=page.id, raw_text=page.plain)).text


_STOPLIST = frozenset(justext.get_stoplist("English"))


def justext_text(page: Page) -> str:
    """jusText on the plain text, each non-empty line one paragraph."""
    lines = [line.strip() for line in page.plain.splitlines() if line.strip()]
    if not lines:
        return ""
    markup = "<html><body>" + "".join(f"<p>{html.escape(line)}</p>" for line in lines) + "</body></html>"
    paragraphs = justext.justext(markup, _STOPLIST)
    return "\n\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def justext_html(page: Page) -> str:
    """jusText on the original page (reference: a boilerplate remover that sees the markup)."""
    paragraphs = justext.justext(page.html.encode("utf-8"), _STOPLIST)
    return "\n\n".join(p.text for p in paragraphs if not p.is_boilerplate)


SYSTEMS: tuple[tuple[str, str, Callable[[Page], str]], ...] = (
    ("html", "BASELINE trafilatura.extract", trafilatura_html),
    ("html", "OURS read_html + clean_article", ours_html),
    ("html", "reference: jusText on the HTML", justext_html),
    ("text", "no cleaning (html-text, all boilerplate)", no_cleaning),
    ("text", "BASELINE jusText on the lines", justext_text),
    ("text", "OURS clean_article", ours_text),
)


# --------------------------------------------------------------------------------------------------
# run


def evaluate(pages: Sequence[Page]) -> tuple[dict[str, Any], dict[str, list[tuple[float, float, float]]]]:
    """Scores and timings of every system; also the per-page counts (for --worst)."""
    result: dict[str, Any] = {"pages": len(pages), "systems": {}}
    per_page: dict[str, list[tuple[float, float, float]]] = {}
    for path, name, system in SYSTEMS:
        started = time.perf_counter()
        outputs = [system(page) for page in pages]
        seconds = time.perf_counter() - started
        counts = [page_counts(page.gold, out) for page, out in zip(pages, outputs, strict=True)]
        per_page[name] = counts
        result["systems"][name] = {
            "path": path,
            **scores(counts),
            "seconds": seconds,
            "per_second": len(pages) / seconds if seconds else 0.0,
        }
    systems = result["systems"]
    top = systems["BASELINE trafilatura.extract"]["f1"]
    none = systems["no cleaning (html-text, all boilerplate)"]["f1"]
    ours = systems["OURS clean_article"]["f1"]
    result["text_gap_closed"] = (ours - none) / (top - none) if top > none else 0.0
    result["justext_gap_closed"] = (systems["BASELINE jusText on the lines"]["f1"] - none) / (top - none)
    result["html_pages_per_second"] = systems["OURS read_html + clean_article"]["per_second"]
    result["text_articles_per_second"] = systems["OURS clean_article"]["per_second"]
    return result, per_page


def table(result: dict[str, Any]) -> str:
    lines = [
        f"Article extraction: {result['pages']} pages of article-extraction "
        f"(4-token shingle P/R/F1, per-page normalised, as the benchmark publishes)",
        f"{'path':<5} {'system':<42} {'P':>6} {'R':>6} {'F1':>6} {'per s':>8}",
    ]
    lines.append("-" * len(lines[-1]))
    for name, row in result["systems"].items():
        speed = "-" if name.startswith("no cleaning") else f"{row['per_second']:.1f}"  # nothing to time
        lines.append(
            f"{row['path']:<5} {name:<42} {row['precision']:6.3f} {row['recall']:6.3f} {row['f1']:6.3f} "
            f"{speed:>8}"
        )
    lines.append(
        f"text path: share of the gap between no cleaning and trafilatura-on-HTML closed: "
        f"OURS {result['text_gap_closed']:.0%}, jusText {result['justext_gap_closed']:.0%}"
    )
    lines.append(
        f"throughput (1 process): HTML path {result['html_pages_per_second']:.1f} pages/s, "
        f"text cleaner {result['text_articles_per_second']:.1f} articles/s"
    )
    return "\n".join(lines)


def worst(
    pages: Sequence[Page],
    per_page: dict[str, list[tuple[float, float, float]]],
    ours: str,
    other: str,
    n: int,
) -> str:
    """The ``n`` pages where ``ours`` trails ``other`` most in per-page F1 (for error analysis)."""

    def f1(c: tuple[float, float, float]) -> float:
        p, r = _precision(*c), _recall(*c)
        return 2 * p * r / (p + r) if p + r else 0.0

    rows = sorted(
        (
            (f1(a) - f1(b), page.id, f1(a), f1(b))
            for page, a, b in zip(pages, per_page[ours], per_page[other], strict=True)
        )
    )[:n]
    return "\n".join(f"{d:+.3f} {pid[:16]} ours={fa:.3f} other={fb:.3f}" for d, pid, fa, fb in rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help="data folder (default ../shared/data)"
    )
    parser.add_argument("--json", type=Path, help="also write the figures as JSON to this file")
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages (default: all 181)")
    parser.add_argument("--worst", type=int, default=0, help="list the N pages where ours trails most")
    args = parser.parse_args(argv)
    require_data(args.data, "article-extraction/ground-truth.json")
    pages = load_pages(args.data, args.limit)
    result, per_page = evaluate(pages)
    print(table(result))
    if args.worst:
        print("\nHTML path, ours vs trafilatura:")
        print(
            worst(
                pages, per_page, "OURS read_html + clean_article", "BASELINE trafilatura.extract", args.worst
            )
        )
        print("\ntext path, ours vs trafilatura on HTML:")
        print(worst(pages, per_page, "OURS clean_article", "BASELINE trafilatura.extract", args.worst))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
