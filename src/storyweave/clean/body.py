"""The article's span in a whole page saved as text: the menus, footers and link lists around it.

A page saved as text (a browser's "save as text", html-text, a crawler's text field) holds the article
between long runs of short lines. The kept span is the run of lines that maximises the words of its prose
lines minus a cost for each short line inside it: the Body Text Extraction idea (Finn, Kushmerick and
Smyth, 2001: the span of a page with most text tokens and fewest tags) on lines instead of tags. A
heading, a caption or an ad slot between paragraphs costs little and stays; a menu of fifty items costs
more than any teaser beyond it is worth, so the span stops before it.

Only runs of short lines at the edges are trimmed, and only when they are long: a scraped article with a
stray line or two around its body (the sample's scrapes, our fixtures) is left to the line rules, which
can say what those lines are. Hand-written because no installed library segments plain text: jusText and
trafilatura judge HTML blocks (jusText fed lines is the baseline bench/extraction.py compares with).
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

from storyweave import thresholds
from storyweave.clean.lines import Para, is_prose, prose_weight
from storyweave.clean.offtopic import marker_reason
from storyweave.model import Removal


def _best_span(scores: list[float]) -> tuple[int, int] | None:
    """[start, end) of the run with the largest total score (Kadane), or None when no run is positive."""
    best: tuple[float, int, int] | None = None
    total, start = 0.0, 0
    for i, score in enumerate(scores):
        if total <= 0:
            total, start = 0.0, i
        total += score
        if total > 0 and (best is None or total > best[0]):
            best = (total, start, i + 1)
    return None if best is None else (best[1], best[2])


def _best_end(scores: list[float], start: int) -> int | None:
    """End of the run starting at ``start`` with the largest positive total, or None."""
    best: tuple[float, int] | None = None
    total = 0.0
    for i in range(start, len(scores)):
        total += scores[i]
        if total > 0 and (best is None or total > best[0]):
            best = (total, i + 1)
    return None if best is None else best[1]


def _headline_index(body: list[Para], title: str | None) -> int | None:
    """Index of the line repeating the title (the page's headline above the article), if any.

    A page's <title> often adds the site's name ("Quake hits Chile | Daily News"), so the longest part
    of the title between " | " or " - " separators counts too.
    """
    if not title:
        return None
    keys = {default_process(title)}
    parts = re.split(r"\s+[|–—-]\s+|\s*\|\s*", title)
    core = max(parts, key=len)
    if len(core.split()) >= thresholds.HEADLINE_MIN_WORDS:
        keys.add(default_process(core))
    for i, para in enumerate(body):
        if len(para.text) > 2 * len(title) + 10:
            continue
        key = default_process(para.text)
        if key and any(fuzz.ratio(key, k) >= thresholds.TITLE_DUPLICATE_SIMILARITY for k in keys):
            return i
    return None


def body_span(paras: list[Para], title: str | None = None) -> list[Removal]:
    """Remove the long runs of short lines (and whatever they cut off) before and after the article.

    Scores: a prose line counts its words (see prose_weight), any other line costs SHORT_LINE_COST.
    When a line repeats the title, the article starts after it and runs as far as the total grows;
    otherwise the best-scoring span anywhere is taken. Lines outside the span are removed
    ("navigation" for short lines, "other" for prose cut off beyond a menu, the marker's reason after a
    "Comments" or "Related" line) when the run on that side holds at least TRIM_MIN_SHORT_LINES short
    lines and the span holds an article's worth of prose (SPAN_MIN_ANCHORED_WORDS under the headline,
    SPAN_MIN_PROSE_WORDS elsewhere); else nothing is cut. Lines are only marked, never edited.
    """
    body = [p for p in paras if p.kept]
    if len(body) < thresholds.TRIM_MIN_SHORT_LINES:
        return []
    prose = [is_prose(p.text) for p in body]
    weights = [prose_weight(p.text) if ok else 0.0 for p, ok in zip(body, prose, strict=True)]
    scores = [w if ok else -thresholds.SHORT_LINE_COST for w, ok in zip(weights, prose, strict=True)]
    span: tuple[int, int] | None = None
    headline = _headline_index(body, title)
    if headline is not None:
        end = _best_end(scores, headline + 1)
        if end is not None and sum(weights[headline + 1 : end]) >= thresholds.SPAN_MIN_ANCHORED_WORDS:
            span = (headline + 1, end)
    if span is None:
        span = _best_span(scores)
        if span is None or sum(weights[span[0] : span[1]]) < thresholds.SPAN_MIN_PROSE_WORDS:
            return []  # no article-sized body to anchor on (a list, a stub): nothing to trim against
    start, end = span
    cut: list[int] = []
    if sum(1 for ok in prose[:start] if not ok) >= thresholds.TRIM_MIN_SHORT_LINES:
        cut.extend(range(start))
    if sum(1 for ok in prose[end:] if not ok) >= thresholds.TRIM_MIN_SHORT_LINES:
        cut.extend(range(end, len(body)))
    removed: list[Removal] = []
    section: str | None = None  # a marker line ("Comments", "Related") names what follows it
    for i in cut:
        marker = marker_reason(body[i].text)
        if marker is not None or i == end:
            section = marker
        body[i].kept = False
        trailing_section = section if i >= end else None
        if i == headline:
            reason = "duplicate"
        else:
            reason = marker or trailing_section or ("other" if prose[i] else "navigation")
        removed.append(Removal(body[i].text, reason, body[i].line))
    return removed
