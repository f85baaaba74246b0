"""Timeline: facts with a resolved date, with the expressions the sources used and who used them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from storyweave.model import AnalysedArticle, Fact, TimelineEntry, TimeRef


def period_start(value: str) -> str:
    """The first day of an ISO day, week, month, year or interval, as "YYYY-MM-DD", for ordering."""
    first = value.split("/", 1)[0]
    if "-W" in first:
        year, week = first.split("-W")
        return dt.date.fromisocalendar(int(year), int(week), 1).isoformat()
    parts = first.split("-")
    return "-".join([*parts, *["01"] * (3 - len(parts))])


def _dated_by(fact: Fact, ref: TimeRef, dates_of: Mapping[str, set[str]]) -> bool:
    """Whether the wording the fact shows states ``ref``'s date: the sentence it shows as it stands, or,
    when it shows a claim cut from a sentence, the expression itself within that claim."""
    shown = [v.sentence_id for v in fact.variants if v.sentence_id and v.text == fact.text]
    if shown:
        return any(ref.value in dates_of.get(sid, ()) for sid in shown)
    return ref.text.casefold() in fact.text.casefold()


def build_timeline(docs: Sequence[AnalysedArticle], facts: Sequence[Fact]) -> list[TimelineEntry]:
    """One entry per (date, fact) in date order; the event is the fact's wording. A year that only
    qualifies a noun ("the 2016 election", marked ``attributive`` by analysis) dates nothing."""
    fact_of: Mapping[str, Fact] = {v.sentence_id: f for f in facts for v in f.variants if v.sentence_id}
    sentence_text = {s.id: s.text for d in docs for s in d.sentences}
    dates_of: dict[str, set[str]] = {}
    for doc in docs:
        for ref in doc.times:
            dates_of.setdefault(f"{doc.article.id}#{ref.sentence_index}", set()).add(ref.value)
    entries: dict[tuple[str, str], TimelineEntry] = {}
    for doc in docs:
        for ref in doc.times:
            if ref.attributive:
                continue
            sid = f"{doc.article.id}#{ref.sentence_index}"
            fact = fact_of.get(sid)
            if fact is not None and not _dated_by(fact, ref, dates_of):
                # the fact's own wording gives no such date: show the sentence that does ("in 2000"
                # belongs to its sentence, not to a fact that one of the sentence's claims joined)
                fact = None
            key = (ref.value, fact.id if fact else sid)
            entry = entries.get(key)
            if entry is None:
                entry = entries[key] = TimelineEntry(
                    date=ref.value,
                    event=fact.text if fact else sentence_text.get(sid, ""),
                    sources=[],
                    expressions=[],
                    fact_id=fact.id if fact else None,
                )
            if doc.article.id not in entry.sources:
                entry.sources.append(doc.article.id)
            if ref.text not in entry.expressions:
                entry.expressions.append(ref.text)
    for entry in entries.values():
        entry.sources.sort()
    return sorted(
        entries.values(), key=lambda e: (period_start(e.date), len(e.date), -len(e.sources), e.event)
    )
