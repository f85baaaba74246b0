"""When something happened, given differently: "met on Tuesday" (the 12th) vs "met on Wednesday" (the 13th).

A date is compared only with dates of the same event: a time reference dating a verb (``TimeRef.verb``)
whose claim in that sentence has that verb as predicate and a known subject; the event is (subject, verb,
object). Verbs of saying and posting are left out (two statements on two dates are two statements, not one
event with two dates), as are bounds ("since 2019", "until May"), ranges, and dates resolved against an
estimated publication date. A month agrees with any day inside it.
"""

from __future__ import annotations

from collections.abc import Iterator

from storyweave.model import Disagreement, ValueSources
from storyweave.reconcile.disagreements.story import Stated, StoryView, contest, index_by
from storyweave.text.contest_words import TIME_BOUNDS
from storyweave.text.lexicon import CITATION_LEMMAS, SPEECH_LEMMAS


def _keyed(view: StoryView) -> Iterator[tuple[tuple[str, ...], Stated]]:
    for doc in view.docs.values():
        claims_of: dict[int, list[tuple[str, str | None, str | None]]] = {}
        for claim in doc.claims:
            claims_of.setdefault(claim.sentence_index, []).append(
                (claim.predicate.casefold(), claim.subject, claim.object)
            )
        for ref in doc.times:
            verb = (ref.verb or "").casefold()
            words = ref.text.casefold().split()
            if (
                not verb
                or verb in SPEECH_LEMMAS
                or verb in CITATION_LEMMAS
                or ref.estimated
                or ref.granularity == "range"
                or "/" in ref.value
                or (words and words[0] in TIME_BOUNDS)
            ):
                continue
            events = {
                (view.head_key(ref.article_id, s), view.head_key(ref.article_id, o) or "")
                for p, s, o in claims_of.get(ref.sentence_index, [])
                if p == verb
            }
            if len(events) != 1:
                continue
            subject, obj = next(iter(events))
            if subject is None:
                continue
            stated = Stated(ref.value, f"{ref.value} ({ref.text})", ref.article_id, ref.sentence_index)
            yield (subject, verb, obj), stated


def compatible(a: str, b: str) -> bool:
    """A month or year agrees with any date inside it."""
    return a.startswith(b) or b.startswith(a)


def find(view: StoryView) -> list[Disagreement]:
    found = []
    for (_, verb, _), stated in index_by(_keyed(view)).items():

        def note(values: list[ValueSources], verb: str = verb) -> str:
            return f"Sources date it ({verb}) differently: " + " vs ".join(v.value for v in values) + "."

        d = contest(view, "date", stated, note, compatible)
        if d is not None:
            found.append(d)
    return found
