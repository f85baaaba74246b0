"""What the Markdown and HTML renderers share: citation numbers, fact numbers, safe URLs and clean text.

Both renderers show the same brief the same way (sources numbered in the order of ``brief.articles``,
facts numbered in the order of ``brief.facts``), so the numbering and the small text helpers live here.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from storyweave.model import REMOVAL_REASONS, ArticleInfo, Brief, Fact, QuoteGroup, Removal, Variant

# Display limits (presentation choices, not tuned thresholds): how much of a removed piece of text to show,
# and how many removed pieces to list per source before summarising the rest as a count.
REMOVED_PREVIEW_CHARS = 100
REMOVED_LISTED_MAX = 12

# Readable names for spaCy's entity labels; unknown labels are shown as they are.
ENTITY_TYPE_LABELS: dict[str, str] = {
    "PERSON": "person",
    "ORG": "organisation",
    "GPE": "place",
    "LOC": "place",
    "FAC": "facility",
    "NORP": "group",
    "EVENT": "event",
    "PRODUCT": "product",
    "WORK_OF_ART": "work",
    "LAW": "law",
}

# Bidirectional-override and isolate characters can make text display in another order than it is stored
# (the "trojan source" trick); scraped text has no business using them in a report.
_BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# Control characters (Unicode category Cc is exactly U+0000-001F and U+007F-009F) that are not whitespace,
# plus the bidi controls: one compiled class, since this runs on every piece of text a brief page shows.
_UNSAFE = re.compile(
    "["
    + re.escape(
        "".join(chr(c) for c in range(0xA0) if unicodedata.category(chr(c)) == "Cc" and not chr(c).isspace())
        + _BIDI_CONTROLS
    )
    + "]"
)
_URL_FORBIDDEN = re.compile(r"[\s<>\"'`\\{}|^]")


def clean_text(text: str | None) -> str:
    """Article text made safe to display inline: control and bidi-override characters dropped, whitespace
    (newlines included) collapsed to single spaces. Escaping for the output format is a separate step."""
    if not text:
        return ""
    return " ".join(_UNSAFE.sub("", text).split())


def truncate(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a word boundary, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip() + "…"


def safe_url(url: str | None) -> str | None:
    """``url`` when it may become a link: an absolute http(s) URL with a host and no character that could
    break out of an attribute or a Markdown autolink; ``None`` otherwise (javascript:, data:, relative...)."""
    if not url:
        return None
    url = url.strip()
    if _URL_FORBIDDEN.search(url) or any(unicodedata.category(ch) == "Cc" for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``"1 source"``, ``"3 sources"``."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count} {word}"


def date_span(first: str | None, last: str | None) -> str:
    """The story's date span for a header line: one date, a range, or that it is unknown."""
    if first and last and first != last:
        return f"{first} – {last}"
    if first or last:
        return str(first or last)
    return "date unknown"


def entity_type_label(label: str) -> str:
    """Readable name of an entity type (``GPE`` -> ``place``)."""
    return ENTITY_TYPE_LABELS.get(label, label)


def wording_key(text: str) -> str:
    """A wording reduced to its words, so that quote marks, punctuation and case do not count as a
    difference when deciding whether a source words something differently."""
    return " ".join(re.findall(r"\w+", text.casefold()))


def distinct_wordings(main_text: str, variants: Iterable[Variant]) -> list[tuple[str, list[str]]]:
    """The variants whose wording differs from ``main_text``, identical wordings merged:
    ``[(text, [source ids...])]`` in order of first appearance."""
    main_key = wording_key(main_text)
    merged: dict[str, tuple[str, list[str]]] = {}
    for variant in variants:
        key = wording_key(variant.text)
        if key == main_key or not key:
            continue
        _, sources = merged.setdefault(key, (variant.text, []))
        if variant.source not in sources:
            sources.append(variant.source)
    return list(merged.values())


def removal_counts(removed: Sequence[Removal]) -> list[tuple[str, int]]:
    """``[(reason, count)]`` in the contract's order of reasons (unknown reasons last)."""
    counts = Counter(r.reason for r in removed)
    order = [r for r in REMOVAL_REASONS if r in counts] + sorted(set(counts) - set(REMOVAL_REASONS))
    return [(reason, counts[reason]) for reason in order]


def removal_summary(removed: Sequence[Removal]) -> str:
    """``"removed: 2 navigation, 1 advertising"`` or ``"removed: nothing"``."""
    if not removed:
        return "removed: nothing"
    return "removed: " + ", ".join(f"{n} {reason}" for reason, n in removal_counts(removed))


def group_quotes(quotes: Iterable[QuoteGroup]) -> list[tuple[str | None, list[QuoteGroup]]]:
    """Quotes grouped by speaker in order of first appearance; unattributed quotes come last."""
    groups: dict[str | None, list[QuoteGroup]] = {}
    for quote in quotes:
        speaker = clean_text(quote.speaker) or None
        groups.setdefault(speaker, []).append(quote)
    named: list[tuple[str | None, list[QuoteGroup]]] = [(s, q) for s, q in groups.items() if s is not None]
    if None in groups:
        named.append((None, groups[None]))
    return named


def _anchor_slug(value: str) -> str:
    """An id made safe as a URL fragment and HTML id: characters other than ``A-Za-z0-9_.:-`` become ``-``."""
    return re.sub(r"[^A-Za-z0-9_.:-]", "-", value) or "-"


@dataclass(frozen=True)
class Cite:
    """One citation of a source: its number in the sources list (``None`` for an id not in the brief)."""

    number: int | None
    source_id: str
    label: str  # outlet, else article id
    sentence_anchor: str | None = None  # the supporting sentence in the source's text, when the brief has it
    # a page that shows sources elsewhere (the web UI's article pages) sets where the citation leads
    page_href: str | None = None

    @property
    def anchor(self) -> str:
        """Where the citation leads: the supporting sentence when known, else the source's entry."""
        if self.sentence_anchor:
            return self.sentence_anchor
        return f"src-{self.number}" if self.number is not None else ""

    @property
    def href(self) -> str:
        """The citation's link: ``page_href`` when set, else the in-page anchor."""
        return self.page_href or f"#{self.anchor}"


class Numbering:
    """Source numbers (order of ``brief.articles``) and fact numbers/anchors (order of ``brief.facts``)."""

    def __init__(self, brief: Brief) -> None:
        self.articles: dict[str, ArticleInfo] = {}
        self.source_numbers: dict[str, int] = {}
        for article in brief.articles:
            if article.id not in self.source_numbers:
                self.source_numbers[article.id] = len(self.source_numbers) + 1
                self.articles[article.id] = article
        # sentence id ("<article id>#<index>") -> anchor of that sentence in the page's source texts
        self.sentence_anchors: dict[str, str] = {}
        for article_id, article in self.articles.items():
            for sentence in article.sentences:
                anchor = f"src-{self.source_numbers[article_id]}-s{sentence.index}"
                self.sentence_anchors.setdefault(sentence.id, anchor)
        self.facts: dict[str, Fact] = {}
        self.fact_numbers: dict[str, int] = {}
        self.fact_anchors: dict[str, str] = {}
        used: set[str] = set()
        for fact in brief.facts:
            if fact.id in self.fact_numbers:
                continue
            self.fact_numbers[fact.id] = len(self.fact_numbers) + 1
            self.facts[fact.id] = fact
            anchor = base = "fact-" + _anchor_slug(fact.id)
            suffix = 2
            while anchor in used:  # two ids that slug alike must still get distinct anchors
                anchor = f"{base}-{suffix}"
                suffix += 1
            used.add(anchor)
            self.fact_anchors[fact.id] = anchor

    def source_label(self, source_id: str) -> str:
        """Outlet of a source, else its article id."""
        article = self.articles.get(source_id)
        return clean_text(article.outlet if article and article.outlet else source_id)

    def sentences_of(self, variants: Iterable[Variant]) -> dict[str, str]:
        """Source id -> the sentence id of its (first) variant, for variants that name their sentence."""
        found: dict[str, str] = {}
        for variant in variants:
            if variant.sentence_id and variant.source not in found:
                found[variant.source] = variant.sentence_id
        return found

    def cites(self, source_ids: Iterable[str], sentences: Mapping[str, str] | None = None) -> list[Cite]:
        """Citations for ``source_ids``: de-duplicated, in source-number order, unknown ids last.

        ``sentences`` maps a source id to the id of its supporting sentence; a citation then leads to that
        sentence in the source's text (when the brief carries the text), not just to the source's entry."""
        seen: dict[str, Cite] = {}
        for source_id in source_ids:
            if source_id not in seen:
                sentence = (sentences or {}).get(source_id)
                seen[source_id] = Cite(
                    self.source_numbers.get(source_id),
                    source_id,
                    self.source_label(source_id),
                    self.sentence_anchors.get(sentence) if sentence else None,
                )
        known = sorted((c for c in seen.values() if c.number is not None), key=lambda c: c.number or 0)
        unknown = [c for c in seen.values() if c.number is None]
        return known + unknown

    def peers(self, article: ArticleInfo, articles: Sequence[ArticleInfo]) -> list[Cite]:
        """Other sources in the same syndication group as ``article``."""
        return self.cites(
            a.id for a in articles if a.syndication_group == article.syndication_group and a.id != article.id
        )
