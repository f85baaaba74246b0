"""CLEAN stage: from an article's raw text to its body, title, date and outlet, with a log of removals.

Steps, in order (each only looks at what the previous ones kept):
  1. boilerplate lines (navigation, ads, bylines, dates, credits, syndication notes), split into pieces
     when a line mixes kinds; dates and outlets named there fill ``published`` and ``outlet``;
  2. the title: the first remaining line when it reads as a headline;
  2b. in a whole page saved as text, the menus and footers around the article (clean/body.py), unless
     an HTML extractor already chose the body (``extra["extractor"]``);
  3. repeated title lines; 4. marker-led tail sections (comments, related/popular posts);
  5. trailing blocks that drift to another topic; 6. a wire dateline ("MOSCOW (Reuters) - ") opening
  the first paragraph; 7. repeated paragraphs, sentences and pull quotes.
Every removal is logged with the raw line it came from. When in doubt a line is kept: a leftover costs
less than a lost paragraph.
"""

from __future__ import annotations

import re
from dataclasses import replace

from storyweave import thresholds
from storyweave.clean.body import body_span
from storyweave.clean.duplicates import repeated_text, title_duplicates
from storyweave.clean.lines import Para, normalise, sentence_spans, split_paragraphs, word_set, words
from storyweave.clean.offtopic import drift_tail, marker_reason, marker_tails
from storyweave.clean.patterns import classify_line, dateline_prefix, parse_date
from storyweave.model import Article, Removal

__all__ = ["clean_article", "is_title"]

# Words headlines leave out and ledes are full of (see thresholds.TITLE_LEDE_FUNCTION_WORDS).
_FUNCTION_WORDS = word_set("the a an has have had was were is are been will would")


def clean_article(article: Article) -> Article:
    """A new Article with ``text``, ``removed`` and any missing ``title``/``published``/``outlet`` filled.

    Never raises on any raw text; fields the reader already set are kept as they are.
    """
    paras = split_paragraphs(article.raw_text or "")
    removed: list[Removal] = []
    dates: list[tuple[int, int, str]] = []  # (priority, order, ISO date)
    outlets: list[tuple[int, int, str]] = []  # (priority, order, name)

    for para in paras:
        pieces = classify_line(para.text)
        if not pieces:
            continue
        para.kept = False
        for piece in pieces:
            removed.append(Removal(para.text[piece.start : piece.end], piece.reason, para.line))
            if piece.date and not article.published:
                iso = parse_date(piece.date)
                if iso:
                    dates.append((piece.date_priority, len(dates), iso))
            if piece.outlet:
                outlets.append((piece.outlet_priority, len(outlets), piece.outlet))

    title = article.title
    if title:
        _drop_title_line(paras, title)
    else:
        title = _take_title(paras)
    if not article.extra.get("extractor"):
        # a whole page saved as text; a body an HTML extractor chose keeps its edge lists (tour dates...)
        removed.extend(body_span(paras, title))
    if title:
        removed.extend(title_duplicates(paras, title))
    removed.extend(marker_tails(paras, title))
    removed.extend(drift_tail(paras, title))
    date_from_dateline = _strip_dateline(paras, removed)
    if date_from_dateline and not article.published:
        dates.append((3, len(dates), date_from_dateline))
    removed.extend(repeated_text(paras))

    removed.sort(key=lambda r: -1 if r.line is None else r.line)
    return replace(
        article,
        text="\n\n".join(p.text for p in paras if p.kept),
        title=title,
        published=article.published or (min(dates)[2] if dates else None),
        outlet=article.outlet or (min(outlets)[2] if outlets else None),
        removed=removed,
    )


def is_title(text: str) -> bool:
    """True when a line reads as a headline: short, one sentence, not a lede ending in a period.

    Hand-written: there is no library test for "headline"; the rule follows how headlines are written
    (no closing period, or a period but few articles and auxiliaries).
    """
    tokens = words(text)
    if not 2 <= len(tokens) <= thresholds.TITLE_MAX_WORDS:
        return False
    if len(sentence_spans(text)) != 1 or marker_reason(text) is not None:
        return False
    if text.rstrip("\"'”’)").endswith("."):
        function_words = sum(1 for t in tokens if t.lower().strip("\"'“‘(") in _FUNCTION_WORDS)
        if function_words >= thresholds.TITLE_LEDE_FUNCTION_WORDS:
            return False
    return True


def _take_title(paras: list[Para]) -> str | None:
    """Take the first kept line as the title when it reads as one (it then leaves the body)."""
    for para in paras:
        if para.kept:
            if is_title(para.text):
                para.kept = False
                return para.text
            return None
    return None


def _drop_title_line(paras: list[Para], title: str) -> None:
    """Readers that know the title (HTML, JSON, feeds) open the raw text with it: that first line leaves the
    body as the title it is, not as a logged removal (a title repeated further down is a duplicate)."""
    first = paras[0] if paras else None
    if (
        first is not None
        and first.line == 0
        and first.kept
        and normalise(first.text).casefold() == normalise(title).casefold()
    ):
        first.kept = False


def _strip_dateline(paras: list[Para], removed: list[Removal]) -> str | None:
    """Cut a wire dateline from the first body paragraph; returns its ISO date when it gives a year."""
    first = next((p for p in paras if p.kept), None)
    if first is None:
        return None
    found = dateline_prefix(first.text)
    if found is None:
        return None
    end, date_text = found
    removed.append(Removal(first.text[:end].rstrip(), "metadata", first.line))
    first.text = first.text[end:]
    if date_text and re.search(r"\d{4}", date_text):
        return parse_date(date_text)
    return None
