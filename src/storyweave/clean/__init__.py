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

Article structure (clean/structure.py) runs through these steps: literal ``\\n`` escapes become line
breaks first; a headline run into the lede is split off when no title line stands alone; the byline,
the dateline, photo captions and the standfirst move to their own fields (logged as "metadata": moved,
not lost). When no metadata dates the article, a date in its text does (``published_from = "text"``).
Last, a page that is a notice rather than an article (clean/notarticle.py) is refused with its reason.
"""

from __future__ import annotations

import re
from dataclasses import replace

from storyweave import thresholds
from storyweave.clean.body import body_span
from storyweave.clean.duplicates import repeated_text, title_duplicates
from storyweave.clean.lines import Para, normalise, sentence_spans, split_paragraphs, wire_dashes, words
from storyweave.clean.notarticle import EMBED_LINE, refusal_reason
from storyweave.clean.offtopic import drift_tail, marker_reason, marker_tails
from storyweave.clean.patterns import DATE_CORE, classify_line, dateline_prefix, parse_date
from storyweave.clean.structure import (
    bare_name,
    caption_kind,
    highlights_label,
    is_byline,
    reads_as_prose,
    short_caption,
    split_caption,
    split_glued_title,
    split_lead_caption,
    unescape_newlines,
)
from storyweave.model import Article, Removal
from storyweave.text.lexicon import word_set

__all__ = ["clean_article", "is_title"]

# Words headlines leave out and ledes are full of (see thresholds.TITLE_LEDE_FUNCTION_WORDS).
_FUNCTION_WORDS = word_set("the a an has have had was were is are been will would")


def clean_article(article: Article) -> Article:
    """A new Article with ``text``, ``removed``, the structure fields (``standfirst``, ``captions``,
    ``byline``, ``dateline``) and any missing ``title``/``published``/``outlet`` filled.

    Never raises on any raw text; fields the reader already set are kept as they are. A page that is not
    an article comes back with empty ``text`` and ``refused`` saying why.
    """
    raw = unescape_newlines(article.raw_text or "")
    paras = split_paragraphs(raw)
    for para in paras:
        para.text = wire_dashes(para.text)
    removed: list[Removal] = []
    dates: list[tuple[int, int, str]] = []  # (priority, order, ISO date)
    outlets: list[tuple[int, int, str]] = []  # (priority, order, name)
    byline = article.byline
    captions = list(article.captions)

    for para in paras:
        pieces = classify_line(para.text)
        if not pieces:
            continue
        para.kept = False
        if all(p.reason == "metadata" for p in pieces) and caption_kind(para.text):
            captions.append(para.text)  # "Image copyright AFP Image caption ...": a caption with its credit
        for piece in pieces:
            text = para.text[piece.start : piece.end]
            removed.append(Removal(text, piece.reason, para.line))
            if byline is None and piece.reason == "metadata" and is_byline(text):
                byline = text.strip().lstrip(" /|•·-–—")
            if piece.date and not article.published:
                iso = parse_date(piece.date)
                if iso:
                    dates.append((piece.date_priority, len(dates), iso))
            if piece.outlet:
                outlets.append((piece.outlet_priority, len(outlets), piece.outlet))

    title, standfirst = _split_title(article.title)
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
    removed.extend(_take_captions(paras, captions))
    if byline is None and title:
        byline = _take_bare_byline(paras, removed)
    standfirst = article.standfirst or standfirst or _take_standfirst(paras, removed)
    dateline, date_from_dateline = _strip_dateline(paras, removed)
    removed.extend(_take_lead_caption(paras, captions))
    removed.extend(repeated_text(paras))
    removed.extend(_drop_embed_lines(paras))

    published, published_from = article.published, article.published_from
    if published:
        published_from = published_from or "metadata"
    else:
        if date_from_dateline and len(date_from_dateline) == 10:
            dates.append((3, len(dates), date_from_dateline))
        elif date_from_dateline:  # month and day only: the year comes from a full date near the top
            year = _year_near_top(paras, captions)
            iso = parse_date(f"{date_from_dateline} {year}") if year else None
            if iso:
                dates.append((3, len(dates), iso))
        head_date = _date_near_top(paras, captions)
        if head_date:
            dates.append((4, len(dates), head_date))
        if dates:
            published, published_from = min(dates)[2], "text"

    removed.sort(key=lambda r: -1 if r.line is None else r.line)
    body = [p.text for p in paras if p.kept]
    refused = refusal_reason([p.text for p in split_paragraphs(raw)], body)
    return replace(
        article,
        text="" if refused else "\n\n".join(body),
        title=title,
        published=published,
        published_from=published_from,
        outlet=article.outlet or (min(outlets)[2] if outlets else None),
        removed=removed,
        standfirst=standfirst,
        captions=captions,
        byline=byline,
        dateline=article.dateline or dateline,
        refused=refused,
    )


def is_title(text: str) -> bool:
    """True when a line reads as a headline: short, one sentence, not a lede ending in a period.

    Hand-written: there is no library test for "headline"; the rule follows how headlines are written
    (no closing period, or a period but few articles and auxiliaries).
    """
    tokens = words(text)
    if not 2 <= len(tokens) <= thresholds.TITLE_MAX_WORDS:
        return False
    # an ellipsis inside a headline is a pause, not a sentence end ("The Future of Banking Is … You're Broke")
    one_sentence = len(sentence_spans(text.replace("…", ","))) == 1
    if not one_sentence or marker_reason(text) is not None or reads_as_prose(text):
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
            if caption_kind(para.text) or highlights_label(para.text) is not None:
                return None  # a caption or the "Story highlights" above the article: not its headline
            if is_title(para.text):
                para.kept = False
                return para.text
            glued = split_glued_title(para.text)
            if glued is not None:
                para.text = glued[1]
                return glued[0]
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


def _strip_dateline(paras: list[Para], removed: list[Removal]) -> tuple[str | None, str | None]:
    """Cut a wire dateline from the first body paragraph: (the dateline, its date as ISO when it gives a
    year, or as written when it gives only month and day); (None, None) when there is none."""
    first = _first_prose(paras)
    if first is None:
        return None, None
    found = dateline_prefix(first.text) or _agency_stamp(first.text)
    if found is None:
        return None, None
    end, date_text = found
    dateline = first.text[:end].rstrip()
    removed.append(Removal(dateline, "metadata", first.line))
    first.text = first.text[end:]
    if not date_text:
        return dateline, None
    if re.search(r"\d{4}", date_text):
        return dateline, parse_date(date_text)
    return dateline, date_text


def _take_bare_byline(paras: list[Para], removed: list[Removal]) -> str | None:
    """A writer's name printed alone among the lines between the headline and the lede (a page saved as
    text): it leaves the body as the byline. Only short lines without closing punctuation are looked at,
    and never past the first prose paragraph."""
    for para in [p for p in paras if p.kept][: thresholds.HEADER_LINES_MAX]:
        text = para.text.strip()
        if bare_name(text):
            para.kept = False
            removed.append(Removal(text, "metadata", para.line))
            return text
        if len(words(text)) >= thresholds.HEADER_LINE_MAX_WORDS or text.endswith((".", "!", "?", "…")):
            return None
    return None


def _first_prose(paras: list[Para]) -> Para | None:
    """The first body paragraph, past page furniture a page saved as text leaves above it (a gallery count,
    "Updated", a section name: at most three kept lines of a few words without closing punctuation)."""
    kept = [p for p in paras if p.kept]
    for para in kept[: thresholds.HEADER_LINES_MAX + 1]:
        text = para.text.rstrip()
        short = len(words(text)) < thresholds.HEADER_LINE_MAX_WORDS
        if not short or text.endswith((".", "!", "?", "…", '"', "”")) or dateline_prefix(text) is not None:
            return para
    return kept[0] if kept else None


_AGENCY_STAMP = re.compile(
    r"\((?:CNN|AP|Reuters|AFP|CNN Business|CNNMoney|Bloomberg)\)\s*(?:[-–—]\s*)?(?=[A-Z\"“])"
)


def _agency_stamp(text: str) -> tuple[int, str | None] | None:
    """An agency stamp without a place opening the first paragraph: "(CNN) Sen. John McCain said..."."""
    m = _AGENCY_STAMP.match(text)
    return (m.end(), None) if m else None


def _split_title(title: str | None) -> tuple[str | None, str | None]:
    """A reader's title with literal ``\\n`` escapes undone: its first line, and the rest as a standfirst."""
    if not title:
        return title, None
    lines = [" ".join(line.split()) for line in unescape_newlines(title).splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        return None, None
    return lines[0], (" ".join(lines[1:]) or None)


def _take_captions(paras: list[Para], captions: list[str]) -> list[Removal]:
    """Move photo captions (a credit, "FILE -", the AP caption date form) out of the body; the context
    sentences after an AP caption's description stay (see structure.split_caption)."""
    removed: list[Removal] = []
    for para in paras:
        if para.kept and caption_kind(para.text):
            caption, rest = split_caption(para.text)
            captions.append(caption)
            removed.append(Removal(caption, "metadata", para.line))
            if rest is None:
                para.kept = False
            else:
                para.text = rest
    return removed


def _take_standfirst(paras: list[Para], removed: list[Removal]) -> str | None:
    """The summary line under the headline: the first kept line when it has no closing punctuation, is
    longer than a crosshead and shorter than a paragraph, and prose follows it; or the bullets under a
    "Story highlights" label (each short and without closing punctuation), joined."""
    kept = [p for p in paras if p.kept]
    if len(kept) < 2 or kept[0].line > kept[1].line:
        return None
    first = kept[0]
    label = highlights_label(first.text)
    if label is not None:
        bullets = [first]
        for para in kept[1:]:
            text = para.text.rstrip()
            if len(words(text)) > thresholds.STANDFIRST_MAX_WORDS or text.endswith((".", "!", "?", "…")):
                break
            bullets.append(para)
        for para in bullets:
            para.kept = False
            removed.append(Removal(para.text, "metadata", para.line))
        return " / ".join([first.text[label:], *(p.text for p in bullets[1:])])
    n = len(words(first.text))
    if not thresholds.HEADLINE_MIN_WORDS + 1 <= n <= thresholds.STANDFIRST_MAX_WORDS:
        return None
    if first.text.rstrip("\"'”’)").endswith((".", "!", "?", ":", "…")) or dateline_prefix(first.text):
        return None
    if not kept[1].text.rstrip("\"'”’)").endswith((".", "!", "?", "…")):
        return None  # a list or a run of headings, not a standfirst above a lede
    first.kept = False
    removed.append(Removal(first.text, "metadata", first.line))
    return first.text


def _take_lead_caption(paras: list[Para], captions: list[str]) -> list[Removal]:
    """A verbless caption sentence opening the first paragraph ("Protesters at the fence on Sunday. The
    ...") or standing alone before it: it leaves the body for the captions."""
    kept = [p for p in paras if p.kept]
    if not kept:
        return []
    first = kept[0]
    if len(kept) > 1 and short_caption(first.text) and len(sentence_spans(first.text)) == 1:
        first.kept = False
        captions.append(first.text)
        return [Removal(first.text, "metadata", first.line)]
    split = split_lead_caption(first.text)
    if split is None:
        return []
    caption, rest = split
    first.text = rest
    captions.append(caption)
    return [Removal(caption, "metadata", first.line)]


def _drop_embed_lines(paras: list[Para]) -> list[Removal]:
    """Social-media embed boilerplate inside an article ("View this post on Instagram", "— Name (@handle)
    June 5, 2017"): the lines go, the article stays."""
    removed: list[Removal] = []
    for para in paras:
        if para.kept and EMBED_LINE.match(para.text):
            para.kept = False
            removed.append(Removal(para.text, "other", para.line))
    return removed


_FULL_DATE = re.compile(DATE_CORE, re.IGNORECASE)


def _head_texts(paras: list[Para], captions: list[str]) -> list[str]:
    head = [p.text for p in paras if p.kept][: thresholds.TEXT_DATE_HEAD_PARAGRAPHS]
    return captions + head


# "the Sept. 11, 2001, attacks", "the Nov. 8 election": a date after "the" names another event
_NAMING_ANOTHER_EVENT = re.compile(r"\bthe\s*$", re.IGNORECASE)


def _date_near_top(paras: list[Para], captions: list[str]) -> str | None:
    """The latest full date written in the captions or the opening paragraphs (ISO), or None; a date that
    names another event ("the Sept. 11, 2001, attacks") does not date the article."""
    found = [
        iso
        for text in _head_texts(paras, captions)
        for m in _FULL_DATE.finditer(text)
        if not _NAMING_ANOTHER_EVENT.search(text, max(0, m.start() - 5), m.start())
        and (iso := parse_date(m.group()))
    ]
    return max(found) if found else None


def _year_near_top(paras: list[Para], captions: list[str]) -> str | None:
    """The year of the latest full date near the top, for a dateline that gives only month and day."""
    iso = _date_near_top(paras, captions)
    return iso[:4] if iso else None
