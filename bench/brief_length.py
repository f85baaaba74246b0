"""One-page brief benchmark: how long the Markdown brief is against the articles it replaces.

Stories: every Multi-News cluster with five articles or more, and the first five documents of every ECB+
story (gold ``event``) that has five (ECB+ titles, addresses and outlets from the address's host). Each runs
through the real pipeline (clean, analyse, brief_story) and is rendered as Markdown.

Targets (issue 12): a five-outlet story's Markdown at most 900 words and at most 0.5 x the words of its
articles. Printed per corpus: median and maximum Markdown words, median and maximum ratio to the articles'
words, and how many stories meet both targets; beside it the baseline, a full listing of the same brief
(every fact, quote and timeline entry once, the layout the one-pager replaced). Also counted over every
summary sentence: headline/caption glue (target 0), dangling openings or pronoun speakers, suspect spellings
shown, and summaries over eight sentences.

    .venv/bin/python bench/brief_length.py [--data DIR] [--limit N] [--show DIR]

``--show DIR`` writes each story's Markdown and HTML there, to read them as an editor would.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from storyweave.analyse import analyse_articles  # noqa: E402
from storyweave.clean import clean_article  # noqa: E402
from storyweave.compose.summary import is_dangling, is_glued, story_furniture  # noqa: E402
from storyweave.model import AnalysedArticle, Article, Brief, Story  # noqa: E402
from storyweave.pipeline import brief_story  # noqa: E402
from storyweave.render import brief_to_html, brief_to_markdown  # noqa: E402

OUTLETS = 5
MAX_WORDS = 900
MAX_SHARE = 0.5


def multinews_stories(data: Path) -> list[tuple[str, list[Article]]]:
    """Multi-News clusters of five articles or more (articles have no outlet: each is its own)."""
    stories = []
    with (data / "multinews" / "clusters.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            cluster = json.loads(line)
            if len(cluster["articles"]) >= OUTLETS:
                texts = enumerate(cluster["articles"])
                arts = [Article(id=f"mn{cluster['id']}-{i}", raw_text=t) for i, t in texts]
                stories.append((f"multinews-{cluster['id']}", arts))
    return stories


def ecb_stories(data: Path) -> list[tuple[str, list[Article]]]:
    """The first five documents of each ECB+ story with five or more, outlet from the address's host."""
    by_event: dict[str, list[dict[str, Any]]] = {}
    with (data / "ecbplus" / "docs.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            doc = json.loads(line)
            by_event.setdefault(doc["event"], []).append(doc)
    stories = []
    for event, docs in sorted(by_event.items()):
        if len(docs) < OUTLETS:
            continue
        arts = []
        for doc in docs[:OUTLETS]:
            host = urlsplit(doc.get("url") or "").hostname or ""
            arts.append(
                Article(
                    id=doc["id"],
                    raw_text=doc["text"],
                    title=doc.get("title") or None,
                    url=doc.get("url") or None,
                    outlet=host.removeprefix("www.") or None,
                )
            )
        stories.append((f"ecb-{event}", arts))
    return stories


def brief_of(articles: Sequence[Article]) -> tuple[Brief, list[AnalysedArticle]] | None:
    cleaned = [a for a in map(clean_article, articles) if a.text.strip()]
    if not cleaned:
        return None
    docs = analyse_articles(cleaned)
    story = Story(id="story", article_ids=[d.article.id for d in docs])
    return brief_story(story, docs), docs


def full_listing_words(brief: Brief) -> int:
    """Baseline: every fact, quote and timeline entry of the brief listed once, with its citations."""
    texts = [f.text for f in brief.facts] + [q.text for q in brief.quotes] + [t.event for t in brief.timeline]
    cites = len(brief.facts) + len(brief.quotes) + len(brief.timeline)
    return sum(len(t.split()) for t in texts) + cites


def evaluate(stories: Sequence[tuple[str, list[Article]]], show: Path | None) -> dict[str, Any]:
    rows = []
    checks = {"summary_sentences": 0, "glued": 0, "dangling": 0, "suspect_shown": 0, "over_8": 0}
    for name, articles in stories:
        made = brief_of(articles)
        if made is None:
            continue
        brief, docs = made
        markdown = brief_to_markdown(brief)
        source_words = sum(a.word_count for a in brief.articles)
        words = len(markdown.split())
        furniture = story_furniture(docs)
        suspects = [s.text for e in brief.entities for s in e.suspect_aliases]
        checks["summary_sentences"] += len(brief.summary)
        checks["over_8"] += len(brief.summary) > 8
        for s in brief.summary:
            checks["glued"] += is_glued(s.text, furniture)
            checks["dangling"] += is_dangling(s.text)
            shown = (re.search(rf"(?<!\w){re.escape(x)}(?!\w)", s.text) for x in suspects)
            checks["suspect_shown"] += any(shown)
        rows.append(
            {
                "story": name,
                "articles": len(brief.articles),
                "source_words": source_words,
                "words": words,
                "ratio": words / max(1, source_words),
                "baseline_words": full_listing_words(brief),
                "ok": words <= MAX_WORDS and words <= MAX_SHARE * source_words,
            }
        )
        if show is not None:
            show.mkdir(parents=True, exist_ok=True)
            (show / f"{name}.md").write_text(markdown, encoding="utf-8")
            (show / f"{name}.html").write_text(brief_to_html(brief), encoding="utf-8")
    return {"rows": rows, "checks": checks}


def _line(label: str, rows: Sequence[dict[str, Any]]) -> str:
    if not rows:
        return f"{label:<22} (no stories)"
    words = [r["words"] for r in rows]
    ratio = [r["ratio"] for r in rows]
    base = [r["baseline_words"] for r in rows]
    base_ratio = [r["baseline_words"] / max(1, r["source_words"]) for r in rows]
    ok = sum(r["ok"] for r in rows)
    return (
        f"{label:<22} {len(rows):>4} {statistics.median(words):>8.0f} {max(words):>6} "
        f"{statistics.median(ratio):>7.2f} {max(ratio):>6.2f} {ok:>4}/{len(rows):<4}"
        f" | {statistics.median(base):>8.0f} {max(base):>6} {statistics.median(base_ratio):>7.2f}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data", help="data folder")
    parser.add_argument("--limit", type=int, default=None, help="first N stories of each corpus")
    parser.add_argument("--show", type=Path, default=None, help="write each story's Markdown and HTML here")
    args = parser.parse_args(argv)
    start, cpu = time.perf_counter(), time.process_time()
    corpora = {
        "Multi-News (>=5 art.)": multinews_stories(args.data)[: args.limit],
        "ECB+ (5 docs/story)": ecb_stories(args.data)[: args.limit],
    }
    header = (
        f"{'corpus':<22} {'n':>4} {'med.words':>8} {'max':>6} {'med.x':>7} {'max.x':>6} {'ok':>9}"
        f" | {'baseline':>8} {'max':>6} {'med.x':>7}"
    )
    print(header)
    print("-" * len(header))
    totals = {"summary_sentences": 0, "glued": 0, "dangling": 0, "suspect_shown": 0, "over_8": 0}
    for label, stories in corpora.items():
        result = evaluate(stories, args.show)
        print(_line(label, result["rows"]))
        missed = [r for r in result["rows"] if not r["ok"]]
        for r in missed:
            print(
                f"    over target: {r['story']} ({r['words']} words for {r['source_words']} words"
                " of articles)"
            )
        for key, value in result["checks"].items():
            totals[key] += value
    print(
        f"ok = Markdown <= {MAX_WORDS} words and <= {MAX_SHARE} x its articles' words; "
        "baseline = every fact, quote and timeline entry listed once"
    )
    print(
        f"summary sentences {totals['summary_sentences']}: glued headline/caption {totals['glued']}, "
        f"dangling {totals['dangling']}, suspect spelling shown {totals['suspect_shown']}; "
        f"summaries over 8 sentences {totals['over_8']}"
    )
    print(f"{time.perf_counter() - start:.1f} s wall, {time.process_time() - cpu:.1f} CPU-s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
