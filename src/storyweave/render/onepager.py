"""The editor's one-page brief: what goes on the page, in which section, and how much of it fits.

Markdown, the standalone HTML page and the web UI's brief page all lay out the same :class:`OnePage`
(plain values: cleaned strings, citations, numbers; no markup), so the three show one brief alike. The
page fits a word budget (``thresholds.ONEPAGE_MAX_WORDS`` and ``ONEPAGE_MAX_SHARE`` of the words it
replaces): sections are filled generously, then items are dropped from the least needed section first
until the Markdown fits. Everything left out stays in the JSON contract and, on HTML pages, in collapsed
sections.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from storyweave import thresholds
from storyweave.compose.summary import is_boilerplate, is_dangling
from storyweave.model import ArticleInfo, Brief, Disagreement, Fact, TimelineEntry
from storyweave.render.common import (
    Cite,
    Numbering,
    clean_text,
    date_span,
    group_quotes,
    safe_url,
    truncate,
)
from storyweave.text.quoting import quoted_spans

# Presentation limits (not tuned): the most a section offers before the word budget trims it.
WHAT_HAPPENED_MAX = 8
CONFIRMED_MAX = 6
SAME_STATEMENT_MAX = 4
SINGLE_SHOWN_PER_OUTLET = 2
QUOTE_SPEAKERS_MAX = 5
QUOTE_CHARS = 220
TIMELINE_MAX = 6
PEOPLE_MAX = 8
FRAMING_WORDS_MAX = 4
FRAMING_OMITS_MAX = 2
OMIT_CHARS = 90
# A quoted phrase longer than this is a quotation, compared by the quote-wording contest, not shown as
# a wording on the same-statement line.
WORDING_MAX_WORDS = 12
_QUOTE_MARKS = "\"“‘'«"
# A line the page lists on its own runs this many words at least and at most (longer: several sentences the
# splitter did not cut, a scrape's run-on); presentation choices, the summary's own limits are in thresholds.
READABLE_MIN_WORDS = 6
READABLE_MAX_WORDS = 45
# What happened keeps at least this many sentences whatever the budget.
WHAT_HAPPENED_MIN = 3


def readable(text: str) -> bool:
    """A line that stands alone on the page: six words or more, not a question, no pronoun or connective
    leaning on a sentence the page does not show, no housekeeping ("This page is not available")."""
    return (
        READABLE_MIN_WORDS <= len(text.split()) <= READABLE_MAX_WORDS
        and not text.rstrip().endswith("?")
        and not is_dangling(text)
        and not is_boilerplate(text)
    )


def corroboration_of(fact: Fact) -> str:
    """How a fact is backed, trusting ``Fact.corroboration`` where it agrees with the counts and deriving
    it from them where it was not set: two or more independent voices, copies of one text, or one source."""
    outlets = len(set(fact.sources))
    if fact.corroboration == "independent" and fact.independent_sources >= 2:
        return "independent"
    if fact.corroboration in ("same-statement", "same-text") and outlets >= 2:
        return fact.corroboration
    if fact.independent_sources >= 2:
        return "independent"
    return "same-text" if outlets >= 2 else "single"


@dataclass
class Item:
    """One cited line of the page; ``fact_id`` links it to the full fact list where there is one."""

    text: str
    cites: list[Cite]
    fact_id: str | None = None
    note: str = ""  # "carried by 3 outlets", "contested: number"...
    # which item a full section gives up first: the highest ``drop`` goes (ties: the last shown)
    drop: int = 0
    # the different words the outlets quote in one statement, each with the outlets using it
    wordings: list[Item] = field(default_factory=list)


@dataclass
class Contested:
    """A disagreement: what it is about and each value with its sources."""

    anchor: str
    kind: str
    about: str
    values: list[Item]
    note: str


@dataclass
class OutletFacts:
    """What one outlet alone reports: the most newsworthy shown, the rest collapsed."""

    cite: Cite
    shown: list[Item]
    rest: list[Item]


@dataclass
class Framing:
    """One outlet's headline, lean, distinctive words and what it leaves out."""

    cite: Cite
    lean: str
    headline: str
    words: list[str]
    omits: list[str]


@dataclass
class SpeakerQuotes:
    speaker: str
    quotes: list[Item]


@dataclass
class Person:
    name: str
    kind: str
    aliases: list[str]
    suspects: list[Item]


@dataclass
class Outlet:
    cite: Cite
    lean: str
    title: str
    published: str
    estimated: bool
    url: str | None
    address: str  # the source's address as given, shown unlinked when it is not a safe http(s) URL
    peers: list[Cite]  # other sources running the same dispatch
    reduced: str  # "" when fully analysed, else why it was not: "not in English (fr)"


@dataclass
class OnePage:
    """The one-page brief as plain values, in page order."""

    headline: str
    date: str
    date_inferred: bool
    counts: str
    outlets: list[Outlet]
    what_happened: list[Item]
    contested: list[Contested]
    confirmed: list[Item]
    same_statement: list[Item]
    single: list[OutletFacts]
    framing: list[Framing]
    quotes: list[SpeakerQuotes]
    timeline: list[Item]  # text = event, note = date
    people: list[Person]
    budget: int
    left_out: dict[str, int] = field(default_factory=dict)  # section -> items dropped to fit the budget
    source_titles: bool = True  # the Markdown's source list repeats each title (dropped last, to fit)


def word_budget(brief: Brief) -> int:
    """The page's word budget: ONEPAGE_MAX_WORDS, or ONEPAGE_MAX_SHARE of its articles' words if less.
    A page that cannot fit (a story of a few dozen words) keeps only what never goes: the header, up to
    three summary sentences, the contested points and the sources."""
    words = sum(a.word_count for a in brief.articles)
    return min(thresholds.ONEPAGE_MAX_WORDS, int(thresholds.ONEPAGE_MAX_SHARE * words))


def _outlet_count(fact_sources: Iterable[str], numbers: Numbering) -> int:
    return len({numbers.source_label(s) for s in fact_sources})


def _fact_item(fact: Fact, numbers: Numbering, note: str = "") -> Item:
    return Item(
        clean_text(fact.text), numbers.cites(fact.sources, numbers.sentences_of(fact.variants)), fact.id, note
    )


def _quoted_spans(text: str) -> tuple[str, ...]:
    """The quoted words of a line, as written, without their marks."""
    return tuple(span.strip(" ,.;:") for span in quoted_spans(text))


def _comparable(spans: Sequence[tuple[str, ...]]) -> bool:
    """Quoted phrases that are one phrase in other words: as many in every variant, each short, and of
    like length (a quoted word against a quoted sentence is another extract, not another wording)."""
    if len({len(s) for s in spans}) != 1:
        return False
    for parts in zip(*spans, strict=True):
        lengths = [len(p.split()) for p in parts]
        if max(lengths) > WORDING_MAX_WORDS or max(lengths) > 2 * min(lengths):
            return False
    return True


def _wordings(fact: Fact, numbers: Numbering) -> list[Item]:
    """The words each outlet quotes in one statement, when they differ ("a devil's deal" in one
    translation, "a diabolical deal" in another); empty when every outlet quotes the same words or none,
    or when the quoted parts are not one phrase in other words (see :func:`_comparable`)."""
    quoted = [(v, _quoted_spans(clean_text(v.text))) for v in fact.variants]
    if not all(spans for _, spans in quoted) or not _comparable([spans for _, spans in quoted]):
        return []
    by_wording: dict[str, list[str]] = {}
    shown: dict[str, str] = {}
    for variant, spans in quoted:
        key = " / ".join(" ".join(re.findall(r"\w+", span.lower())) for span in spans)
        shown.setdefault(key, " … ".join(f"“{span}”" for span in spans))
        by_wording.setdefault(key, []).append(variant.source)
    if len(by_wording) < 2:
        return []
    sentences = numbers.sentences_of(fact.variants)
    return [Item(shown[key], numbers.cites(sources, sentences)) for key, sources in by_wording.items()]


def _same_statement_item(fact: Fact, numbers: Numbering, kind: str) -> Item:
    """A statement carried by several outlets, with the different words they quote in it, if any."""
    carried = _outlet_count(fact.sources, numbers)
    what_kind = "the same text" if kind == "same-text" else "the same statement"
    item = _fact_item(fact, numbers, f"{what_kind}, carried by {carried} outlets")
    item.wordings = _wordings(fact, numbers)
    if item.wordings:
        item.note += f", in {len(item.wordings)} wordings"
    return item


def _contested(brief: Brief, numbers: Numbering) -> list[Contested]:
    result = []
    for i, dis in enumerate(brief.disagreements, start=1):
        fact = numbers.facts.get(dis.fact_id) if dis.fact_id else None
        about = truncate(clean_text(fact.text), 160) if fact else ""
        sentences = numbers.sentences_of(fact.variants) if fact else {}
        values = []
        for value in dis.values:
            own = dict(sentences)
            for sid in value.sentence_ids:
                source = sid.rsplit("#", 1)[0]
                own.setdefault(source, sid)
            values.append(Item(clean_text(value.value) or "(empty)", numbers.cites(value.sources, own)))
        result.append(
            Contested(
                anchor=f"dis-{i}",
                kind=clean_text(dis.kind.replace("-", " ")).capitalize(),
                about=about,
                values=values,
                note=clean_text(dis.note),
            )
        )
    return result


def _single(brief: Brief, numbers: Numbering, skip: set[str]) -> list[OutletFacts]:
    by_outlet: dict[str, list[Item]] = {}
    first_source: dict[str, str] = {}
    for fact in brief.facts:
        if fact.id in skip or corroboration_of(fact) != "single" or not fact.sources:
            continue
        label = numbers.source_label(fact.sources[0])
        first_source.setdefault(label, fact.sources[0])
        by_outlet.setdefault(label, []).append(_fact_item(fact, numbers))
    order = sorted(by_outlet, key=lambda o: numbers.source_numbers.get(first_source[o], 10**6))
    result = []
    for outlet in order:  # only lines that stand alone are shown; the rest is collapsed, rank order kept
        items = by_outlet[outlet]
        shown = [i for i in items if readable(i.text)][:SINGLE_SHOWN_PER_OUTLET]
        rest = [i for i in items if not any(i is j for j in shown)]
        result.append(OutletFacts(numbers.cites([first_source[outlet]])[0], shown, rest))
    return result


def _framing(brief: Brief, numbers: Numbering) -> list[Framing]:
    if len(brief.framing) < 2:
        return []
    result = []
    for frame in brief.framing:
        if not frame.sources:
            continue
        omits = [
            truncate(clean_text(numbers.facts[f].text), OMIT_CHARS)
            for f in sorted(frame.omits, key=lambda f: numbers.facts[f].text[:1] in _QUOTE_MARKS)
            if f in numbers.facts
        ]
        result.append(
            Framing(
                cite=numbers.cites(frame.sources[:1])[0],
                lean=clean_text(frame.lean),
                headline=clean_text(frame.headline),
                words=[clean_text(w.word) for w in frame.loaded_words[:FRAMING_WORDS_MAX]],
                omits=omits[:FRAMING_OMITS_MAX],
            )
        )
    return result


def _quotes(brief: Brief, numbers: Numbering) -> list[SpeakerQuotes]:
    result = []
    for speaker, quotes in group_quotes(brief.quotes):
        if speaker is None:
            continue  # an unattributed quotation tells an editor little on a one-pager
        best = max(quotes, key=lambda q: (len(set(q.sources)), -abs(len(q.text) - 140)))
        item = Item(
            truncate(clean_text(best.text), QUOTE_CHARS),
            numbers.cites(best.sources, numbers.sentences_of(best.variants)),
        )
        result.append((len(set(s for q in quotes for s in q.sources)), SpeakerQuotes(speaker, [item])))
    result.sort(key=lambda pair: -pair[0])
    return [q for _, q in result[:QUOTE_SPEAKERS_MAX]]


def _timeline(brief: Brief, numbers: Numbering, summary_facts: set[str]) -> list[Item]:
    """The best-backed dated events, shown in date order; ``drop`` ranks them for the word budget.

    The story's own event is often dated by every outlet in a sentence of its own ("met on Wednesday"), so
    no one entry has more than one source: a date is ranked by how many outlets date something to it, and
    each date's best entry comes before a second entry for any date.
    """
    outlets_by_date: dict[str, set[str]] = {}
    for entry in brief.timeline:
        outlets_by_date.setdefault(entry.date, set()).update(entry.sources)
    seen: set[str] = set()
    firsts: list[tuple[int, TimelineEntry]] = []
    others: list[tuple[int, TimelineEntry]] = []
    dated: set[str] = set()
    ranked = sorted(
        enumerate(brief.timeline),
        key=lambda p: (
            not readable(p[1].event),
            -len(outlets_by_date[p[1].date]),
            p[1].fact_id not in summary_facts,
            -len(set(p[1].sources)),
            p[0],
        ),
    )
    for position, entry in ranked:
        key = entry.fact_id or clean_text(entry.event)
        if key in seen:
            continue  # one fact dated twice ("on Thursday ... on Friday"): its best-backed date
        seen.add(key)
        (others if entry.date in dated else firsts).append((position, entry))
        dated.add(entry.date)
    entries = firsts + others
    chosen = entries[:TIMELINE_MAX]
    rank = {position: n for n, (position, _) in enumerate(chosen)}
    result = []
    for position, entry in sorted(chosen, key=lambda p: p[0]):
        fact = numbers.facts.get(entry.fact_id) if entry.fact_id else None
        cites = numbers.cites(entry.sources, numbers.sentences_of(fact.variants) if fact else None)
        event = truncate(clean_text(entry.event), 200)
        result.append(Item(event, cites, entry.fact_id, clean_text(entry.date), drop=rank[position]))
    return result


def _people(brief: Brief, numbers: Numbering) -> list[Person]:
    # a one-word PERSON is often a place or a firm the tagger misread ("Verdal", "Lia"); a person the page
    # lists has a full name, or is quoted
    speakers = {clean_text(q.speaker) for q in brief.quotes if q.speaker}
    people = [
        e
        for e in brief.entities
        if e.type == "PERSON" and (len(e.name.split()) >= 2 or clean_text(e.name) in speakers)
    ]
    people.sort(key=lambda e: -e.mention_count)
    result = []
    for entity in people[:PEOPLE_MAX]:
        name = clean_text(entity.name)
        suspects = {clean_text(s.text) for s in entity.suspect_aliases}
        aliases = [
            clean_text(a.text)
            for a in entity.aliases
            if clean_text(a.text) and clean_text(a.text) != name and clean_text(a.text) not in suspects
        ]
        result.append(
            Person(
                name=name,
                kind="person",
                aliases=list(dict.fromkeys(aliases)),
                suspects=[
                    Item(clean_text(s.text), numbers.cites(s.sources), note=clean_text(s.reason))
                    for s in entity.suspect_aliases
                ],
            )
        )
    return result


def _outlets(brief: Brief, numbers: Numbering) -> list[Outlet]:
    result = []
    for article in brief.articles:
        if numbers.articles.get(article.id) is not article:
            continue
        result.append(
            Outlet(
                cite=numbers.cites([article.id])[0],
                lean=clean_text(article.lean),
                title=clean_text(article.title),
                published=clean_text(article.published),
                estimated=article.published_estimated,
                url=safe_url(article.url),
                address=clean_text(article.url),
                peers=numbers.peers(article, brief.articles),
                reduced=_reduced(article),
            )
        )
    return result


def _reduced(article: ArticleInfo) -> str:
    """Why an article was analysed only in part, for the reader ("" when it was not)."""
    if article.analysis != "reduced":
        return ""
    language = clean_text(article.language or "")
    return (
        f"not in English ({language}): names, numbers and dates only"
        if language
        else ("not in English: names, numbers and dates only")
    )


def disputed_facts(brief: Brief) -> dict[str, list[Disagreement]]:
    """Fact id -> the disagreements about it."""
    found: dict[str, list[Disagreement]] = {}
    for dis in brief.disagreements:
        if dis.fact_id is not None:
            found.setdefault(dis.fact_id, []).append(dis)
    return found


def build_page(brief: Brief, numbers: Numbering | None = None) -> OnePage:
    """Every section filled to its presentation limit, before the budget is applied."""
    numbers = numbers or Numbering(brief)
    story = brief.story
    disputed = disputed_facts(brief)
    what = []
    for s in brief.summary[:WHAT_HAPPENED_MAX]:
        fact = numbers.facts.get(s.fact_id)
        kinds = sorted({d.kind for d in disputed.get(s.fact_id, [])})
        what.append(
            Item(
                clean_text(s.text),
                numbers.cites(s.sources, numbers.sentences_of(fact.variants) if fact else None),
                s.fact_id,
                "contested: " + ", ".join(kinds) if kinds else "",
            )
        )
    in_summary = {s.fact_id for s in brief.summary}
    confirmed: list[Item] = []
    same: list[Item] = []
    for fact in brief.facts:
        if fact.id in in_summary or numbers.facts.get(fact.id) is not fact:
            continue
        kind = corroboration_of(fact)
        if kind == "independent":
            confirmed.append(_fact_item(fact, numbers, f"{fact.independent_sources} independent sources"))
        elif kind in ("same-statement", "same-text"):
            same.append(_same_statement_item(fact, numbers, kind))
    # a fact that is a bare quotation reads better among the quotes: claims first, quotations after
    # lines that stand alone only (the rest stays in the full brief); claims before bare quotations
    confirmed = sorted((i for i in confirmed if readable(i.text)), key=lambda i: i.text[:1] in _QUOTE_MARKS)
    confirmed = confirmed[:CONFIRMED_MAX]
    # a statement the outlets quote in different words (translations) first: the editor checks its wording
    same = sorted((i for i in same if readable(i.text)), key=lambda i: not i.wordings)[:SAME_STATEMENT_MAX]
    outlets = _outlets(brief, numbers)
    multi = len({o.cite.label for o in outlets}) >= 2
    published = [o for o in outlets if o.published]
    return OnePage(
        headline=clean_text(story.headline) or clean_text(story.id) or "Untitled story",
        date=date_span(clean_text(story.first_seen) or None, clean_text(story.last_seen) or None),
        date_inferred=bool(published) and all(o.estimated for o in published),
        counts=_counts(brief, outlets),
        outlets=outlets,
        what_happened=what,
        contested=_contested(brief, numbers),
        confirmed=confirmed,
        same_statement=same,
        single=_single(brief, numbers, in_summary) if multi else [],
        framing=_framing(brief, numbers),
        quotes=_quotes(brief, numbers),
        timeline=_timeline(brief, numbers, in_summary),
        people=_people(brief, numbers),
        budget=word_budget(brief),
    )


def _counts(brief: Brief, outlets: Sequence[Outlet]) -> str:
    n = brief.story.article_count
    labels = len({o.cite.label for o in outlets})
    articles = "1 article" if n == 1 else f"{n} articles"
    if n == 1:
        return "1 article"
    outlets_text = "1 outlet" if labels == 1 else f"{labels} outlets"
    return f"{articles} from {outlets_text}, {brief.story.independent_count} independent"


# Which section loses an item first when the page is over budget, and how far it may shrink.
_TRIM_ORDER: tuple[tuple[str, int], ...] = (
    ("single_rest", 0),
    ("people", 2),
    ("timeline", 2),
    ("quotes", 2),
    ("framing_omits_some", 0),
    ("same_statement", 1),
    ("confirmed", 2),
    ("single", 0),
    ("what_happened", 5),
    ("framing_omits", 0),
    ("quotes", 1),
    ("timeline", 1),
    ("people", 1),
    ("confirmed", 1),
    ("same_statement", 0),
    ("what_happened", WHAT_HAPPENED_MIN),
    ("framing_words", 0),
    ("people", 0),
    ("quotes", 0),
    ("timeline", 0),
    ("confirmed", 0),
    ("framing", 0),
    ("source_titles", 0),
    ("what_happened", 1),
)


def _pop(items: list[Any]) -> None:
    """Remove the item a section gives up first: the highest ``drop`` (ties: the last one)."""
    worst = max(range(len(items)), key=lambda i: (getattr(items[i], "drop", 0), i))
    items.pop(worst)


def _trim_one(page: OnePage) -> bool:
    """Drop one item from the first section in trim order that may still shrink; False when none can."""
    for section, floor in _TRIM_ORDER:
        if section == "source_titles":
            if page.source_titles and any(o.title for o in page.outlets):
                page.source_titles = False
                return True
            continue
        if section == "single_rest":
            for outlet in reversed(page.single):
                if len(outlet.shown) > 1:
                    outlet.rest.insert(0, outlet.shown.pop())
                    return True
            continue
        if section == "single":
            # down to one line per outlet, then none at all: one outlet's line beside others' bare counts
            # would read as if only that outlet had something of its own
            showing = [o for o in page.single if o.shown]
            if not showing:
                continue
            for outlet in showing:
                outlet.rest[:0] = outlet.shown
                outlet.shown = []
            return True
        if section.startswith("framing_"):
            attr = "words" if section == "framing_words" else "omits"
            least = 1 if section == "framing_omits_some" else 0
            for frame in reversed(page.framing):
                values: list[str] = getattr(frame, attr)
                if len(values) > least:
                    values.pop()
                    page.left_out[attr] = page.left_out.get(attr, 0) + 1
                    return True
            continue
        items: list[Any] = getattr(page, section)
        if len(items) > floor:
            _pop(items)
            page.left_out[section] = page.left_out.get(section, 0) + 1
            return True
    return False


def fit_page(page: OnePage, words: Callable[[OnePage], int]) -> OnePage:
    """``page`` trimmed, least needed items first, until ``words(page)`` is within its budget (or nothing
    more may go: the header, three summary sentences and the sources always stay)."""
    while words(page) > page.budget and _trim_one(page):
        pass
    return page


def one_page(brief: Brief, words: Callable[[OnePage], int], numbers: Numbering | None = None) -> OnePage:
    """The brief's one-pager, fitted to its word budget as measured by ``words`` (the Markdown's words)."""
    return fit_page(build_page(brief, numbers), words)


def summary_fact_ids(page: OnePage) -> set[str]:
    """Facts the page shows anywhere (so collapsed sections can list the rest)."""
    shown = {i.fact_id for i in page.what_happened + page.confirmed + page.same_statement if i.fact_id}
    shown |= {i.fact_id for o in page.single for i in o.shown if i.fact_id}
    return shown


def facts_not_shown(brief: Brief, page: OnePage) -> list[Fact]:
    """The brief's facts the one-pager does not show, in rank order."""
    shown = summary_fact_ids(page)
    return [f for f in brief.facts if f.id not in shown]


__all__ = [
    "Contested",
    "Framing",
    "Item",
    "OnePage",
    "OutletFacts",
    "Person",
    "SpeakerQuotes",
    "build_page",
    "corroboration_of",
    "facts_not_shown",
    "fit_page",
    "one_page",
    "word_budget",
]
