"""Who is included, given differently: "A, B and C were charged" vs "A and B were charged" (C left out), or a
list naming someone the other leaves out.

A list is two or more names of one kind (people, organisations, places) inside one claim; the claim is the
same event when its predicate, negation and the head outside the list (the object of a listed subject, the
subject of a listed object) are the same. Each source's list is a value; an article that gives two lists
for one event is left out of it (ambiguous).
"""

from __future__ import annotations

from collections.abc import Iterator

from storyweave.model import Disagreement, ValueSources
from storyweave.reconcile.disagreements.story import Stated, StoryView, contest_each_key

LIST_LABELS = ("PERSON", "ORG", "GPE", "NORP")


def _keyed(view: StoryView) -> Iterator[tuple[tuple[str, ...], Stated]]:
    for doc in view.docs.values():
        for claim in doc.claims:
            if claim.modality or claim.attribution == "citation":
                continue
            inside = [
                m
                for m in view.mentions(claim.article_id, claim.sentence_index)
                if claim.start <= m.start and m.end <= claim.end and m.label in LIST_LABELS
            ]
            for label in LIST_LABELS:
                named = {view.entity_key(m.article_id, m.name): m.name for m in inside if m.label == label}
                if len(named) < 2 or not any(c in claim.text for c in (" and ", ", ")):
                    continue
                subject = view.head_key(claim.article_id, claim.subject)
                obj = view.head_key(claim.article_id, claim.object)
                if subject in named and obj is not None and obj not in named:
                    key = ("subject-list", claim.predicate.casefold(), obj, label, str(claim.negated))
                elif obj in named and subject is not None and subject not in named:
                    key = ("object-list", subject, claim.predicate.casefold(), label, str(claim.negated))
                else:
                    continue
                value = "|".join(sorted(named))
                shown = ", ".join(sorted(named.values()))
                yield key, Stated(value, shown, claim.article_id, claim.sentence_index)


def note(values: list[ValueSources]) -> str:
    return "Sources name different people or parties: " + " vs ".join(f"[{v.value}]" for v in values) + "."


def find(view: StoryView) -> list[Disagreement]:
    return contest_each_key(view, "inclusion", _keyed(view), note)
