"""One claim affirmed by one source and negated by another: "the minister attended the summit" vs "the
minister did not attend the summit".

Claims are one slot only when subject, predicate and object (when either has one) and tense are the same;
hedged claims ("may not attend") and citations of another outlet are left out: a hedge is not a denial.
"""

from __future__ import annotations

from collections.abc import Iterator

from storyweave.model import Disagreement, ValueSources
from storyweave.reconcile.disagreements.story import Stated, StoryView, contest, index_by

# A claim's words are shown up to this many characters.
SHOWN_CHARS = 120


def _keyed(view: StoryView) -> Iterator[tuple[tuple[str, ...], Stated]]:
    for doc in view.docs.values():
        for claim in doc.claims:
            if claim.modality or claim.attribution == "citation":
                continue
            subject = view.head_key(claim.article_id, claim.subject)
            if subject is None:
                continue
            obj = view.head_key(claim.article_id, claim.object) or ""
            if claim.object and not obj:
                continue  # a pronoun object ("denied it") says nothing comparable
            text = " ".join(claim.text.split())
            shown = text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"
            value = "negated" if claim.negated else "affirmed"
            key = (subject, claim.predicate.casefold(), obj, claim.tense)
            yield key, Stated(value, shown, claim.article_id, claim.sentence_index)


def note(values: list[ValueSources]) -> str:
    return "One source states what another denies."


def find(view: StoryView) -> list[Disagreement]:
    found = []
    for stated in index_by(_keyed(view)).values():
        d = contest(view, "negation", stated, note)
        if d is not None:
            found.append(d)
    return found
