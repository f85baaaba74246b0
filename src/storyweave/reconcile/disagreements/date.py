"""When something happened, given differently: "met on Tuesday" (the 12th) vs "met on Wednesday" (the 13th).

A date is compared only with dates of the same event: a time reference dating a verb (``TimeRef.verb``)
whose claim in that sentence has that verb as predicate and a known subject; the event is (subject, verb,
object). Outlets rarely date one event with one verb and one subject ("the Navy thwarted an attack on
Thursday" / "a warship foiled the attack on Friday"), so a second pass compares days stated in two claims
that alignment joined into one fact (:func:`~storyweave.reconcile.disagreements.story.similar_conflicts`),
unless they name different objects. Verbs of saying and posting are left out (two statements on two dates
are two statements, not one event with two dates), as are bounds ("since 2019", "until May") and ranges. A
month agrees with any day inside it.

Dates resolved against an estimated publication date are compared only when they name a weekday, and then
by the weekday alone: without the article's own date "yesterday" says nothing, but "on Friday" still
contradicts "on Thursday" whichever week the estimate falls in. When no article of the story has a date
at all (nothing to estimate from), the weekdays an article names are read the same way: resolved against
a nominal anchor (:data:`NOMINAL_ANCHOR`, never shown) and compared by weekday alone.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import replace

from storyweave.analyse import resolve_times
from storyweave.model import AnalysedArticle, Disagreement, TimeRef, ValueSources
from storyweave.reconcile.disagreements.story import (
    Stated,
    StoryView,
    contest,
    index_by,
    similar_conflicts,
)
from storyweave.text.contest_words import TIME_BOUNDS
from storyweave.text.lexicon import CITATION_LEMMAS, SPEECH_LEMMAS, word_set
from storyweave.thresholds import DATE_LOOSE_MAX_POSTINGS, DATE_LOOSE_MIN_SHARED, DATE_LOOSE_OVERLAP

WEEKDAYS = word_set("monday tuesday wednesday thursday friday saturday sunday")
# A weekday that moves with the anchor ("last Friday", "next Monday") is left out when the anchor is guessed.
SHIFTING = word_set("last next this past coming previous following")
# Marks a value whose week is a guess: only its weekday is compared.
WEEKDAY_ONLY = "~"
# The date an undated article's weekdays are resolved against when the story has no date to estimate from;
# only the weekday of the result is ever compared or shown.
NOMINAL_ANCHOR = "2000-01-05"


def _comparable(ref: TimeRef) -> bool:
    """A date that can be an event's: no verb of saying or posting, no bound or range; against a guessed
    anchor only a plainly named weekday. A date dating no verb is comparable (the second pass reads it)."""
    verb = (ref.verb or "").casefold()
    words = ref.text.casefold().replace(",", " ").split()
    if (
        verb in SPEECH_LEMMAS
        or verb in CITATION_LEMMAS
        or ref.granularity == "range"
        or "/" in ref.value
        or (words and words[0] in TIME_BOUNDS)
    ):
        return False
    if ref.estimated:  # only a plainly named weekday survives a guessed anchor
        return ref.granularity == "day" and bool(WEEKDAYS & set(words)) and not SHIFTING & set(words)
    return True


def _stated(ref: TimeRef) -> Stated:
    if ref.estimated:  # its week is a guess: the weekday as written is the value shown
        return Stated(ref.value + WEEKDAY_ONLY, ref.text, ref.article_id, ref.sentence_index)
    return Stated(ref.value, f"{ref.value} ({ref.text})", ref.article_id, ref.sentence_index)


def _times(doc: AnalysedArticle) -> list[TimeRef]:
    """The article's dated expressions; for an article without any publication date (not even an estimate),
    those it would have against :data:`NOMINAL_ANCHOR`, marked estimated (so only named weekdays count)."""
    if doc.article.published:
        return doc.times
    # only sentences naming a weekday can yield a comparable date here: the others are not resolved again
    named = [s for s in doc.sentences if WEEKDAYS & set(re.findall(r"[a-z]+", s.text.casefold()))]
    if not named:
        return doc.times
    anchored = replace(doc.article, published=NOMINAL_ANCHOR, published_estimated=True)
    again = {s.index for s in named}
    kept = [t for t in doc.times if t.sentence_index not in again]  # absolute dates of the other sentences
    return kept + resolve_times(replace(doc, article=anchored, sentences=named)).times


def _refs(view: StoryView) -> Iterator[tuple[tuple[str, ...] | None, str, Stated, bool]]:
    """Each comparable date with its event key ((subject, verb, object), None when no claim of its verb
    names a subject), the object of its verb's claim ("" when none or several), and whether that object
    is a named person."""
    for doc in view.docs.values():
        claims_of: dict[int, list[tuple[str, str | None, str | None]]] = {}
        for claim in doc.claims:
            claims_of.setdefault(claim.sentence_index, []).append(
                (claim.predicate.casefold(), claim.subject, claim.object)
            )
        # a date that no claim holds in a sentence of attributed claims dates the saying ("X gave Y a rifle,
        # the Kremlin said on Thursday"): the attribution is stripped from the claim, its date is left over
        attributed = {c.sentence_index for c in doc.claims if c.attribution != "none"}
        for ref in _times(doc):
            if not _comparable(ref) or (ref.verb is None and ref.sentence_index in attributed):
                continue
            verb = (ref.verb or "").casefold()
            objects = {o for p, _, o in claims_of.get(ref.sentence_index, []) if p == verb and o}
            events = {
                (view.head_key(ref.article_id, s), view.head_key(ref.article_id, o) or "")
                for p, s, o in claims_of.get(ref.sentence_index, [])
                if p == verb
            }
            event: tuple[str, ...] | None = None
            obj = ""
            if verb and len(events) == 1:
                subject, obj = next(iter(events))
                if subject is not None:
                    event = (subject, verb, obj)
            person = (
                bool(obj) and len(objects) == 1 and view.label_of(ref.article_id, objects.pop()) == "PERSON"
            )
            yield event, obj, _stated(ref), person


def _day(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.rstrip(WEEKDAY_ONLY))
    except ValueError:
        return None


def compatible(a: str, b: str) -> bool:
    """A month or year agrees with any date inside it; a date whose week is a guess agrees with any date of
    its weekday."""
    if a.endswith(WEEKDAY_ONLY) or b.endswith(WEEKDAY_ONLY):
        da, db = _day(a), _day(b)
        return da is None or db is None or da.weekday() == db.weekday()
    return a.startswith(b) or b.startswith(a)


def _note(verb: str) -> Callable[[list[ValueSources]], str]:
    what = f" ({verb})" if verb else ""
    return lambda values: f"Sources date it{what} differently: " + " vs ".join(v.value for v in values) + "."


def find(view: StoryView) -> list[Disagreement]:
    refs = list(_refs(view))
    found = []
    for (_, verb, _), stated in index_by((e, s) for e, _, s, _ in refs if e is not None).items():
        d = contest(view, "date", stated, _note(verb), compatible)
        if d is not None:
            found.append(d)
    # second pass: days of one event told with other words (two years or months in similar sentences are
    # usually two periods: "sales in 2021" / "sales in 2023")
    days = [(e, o, s) for e, o, s, _ in refs if _day(s.key) is not None]
    events = [e for e, _, _ in days]
    objects = [o for _, o, _ in days]
    stated = [s for _, _, s in days]
    values_of: dict[str, set[str]] = defaultdict(set)  # every date of a sentence
    for s in stated:
        values_of[s.sentence_id].add(s.key)

    def skip(a: int, b: int) -> bool:
        # one event key is the first pass's; two named objects are two events ("signed Wynn on Tuesday" /
        # "signed Bell on Wednesday"); a sentence stating the other's date too holds two dates
        return (
            (events[a] is not None and events[a] == events[b])
            or bool(objects[a] and objects[b] and objects[a] != objects[b])
            or any(compatible(v, stated[b].key) for v in values_of[stated[a].sentence_id])
            or any(compatible(v, stated[a].key) for v in values_of[stated[b].sentence_id])
        )

    for component in similar_conflicts(
        view, stated, compatible, {}, skip, DATE_LOOSE_MIN_SHARED, DATE_LOOSE_OVERLAP, DATE_LOOSE_MAX_POSTINGS
    ):
        d = contest(view, "date", [stated[i] for i in component], _note(""), compatible)
        if d is not None:
            found.append(d)
    # third pass: the day something was done to one named person, whatever the verb and the doer ("New
    # Orleans picked up Wynn on Monday" / "the Saints signed Wynn on Tuesday"); an article dating two
    # things done to that person on two days drops out (contest's ambiguity rule)
    to_person = index_by(((o,), s) for _, o, s, person in refs if person and _day(s.key) is not None)
    for dated in to_person.values():
        d = contest(view, "date", dated, _note(""), compatible)
        if d is not None:
            found.append(d)
    return found
