"""Counts of the same thing given differently: "12 people were killed" vs "15 killed".

Two quantities are one slot when they count the same noun in the same role (the verb they belong to) and
are of one kind and unit. A quantity without a counted noun, or counting a noun too general to pair on its
own ("people", "years") without a role, is never compared; nor is one whose verb reports a change ("the
toll rose to 15" is an update, not a contradiction). Approximate values ("about", "more than") agree with
anything within :data:`~storyweave.thresholds.NUMBER_APPROXIMATE_TOLERANCE`.
"""

from __future__ import annotations

from collections.abc import Iterator

from storyweave.model import Disagreement, Quantity, ValueSources
from storyweave.reconcile.disagreements.story import Stated, StoryView, contest, index_by
from storyweave.text.contest_words import CHANGE_VERBS
from storyweave.text.lexicon import word_set
from storyweave.thresholds import NUMBER_APPROXIMATE_TOLERANCE

# Counted nouns that all count people ("left 50 others missing", "50 people missing").
PEOPLE = word_set("person people other individual")
# Counted nouns that say too little to pair two figures unless their verb is known too.
GENERAL_NOUNS = word_set("person people time percent")
# Durations are never compared: "4 minutes 48 seconds" vs "just under five minutes" is one span written two
# ways, and "spent 11 seasons" vs "spent four seasons" are usually two spans.
DURATIONS = word_set("second minute hour day week month year season decade century")


def _role_head(quantity: Quantity) -> str | None:
    """Lemma of the word the number's clause hangs on: "" when it has none, None when the head is not a
    word (a parse of "’ s" or of a split figure), and the quantity is then not compared."""
    if not quantity.role:
        return ""
    head = quantity.role.rsplit(":", 1)[-1].casefold()
    return head if len(head) >= 3 and head.isalpha() else None


def _keyed(view: StoryView) -> Iterator[tuple[tuple[str, ...], Stated]]:
    for doc in view.docs.values():
        named_subjects: dict[tuple[int, str], set[str]] = {}
        for claim in doc.claims:
            if claim.subject and claim.subject[:1].isupper():
                subject = view.head_key(claim.article_id, claim.subject)
                if subject is not None:
                    named_subjects.setdefault((claim.sentence_index, claim.predicate.casefold()), set()).add(
                        subject
                    )
        for q in doc.quantities:
            if q.kind == "rank" or not q.counts or q.counts.casefold() in DURATIONS:
                continue
            counted = "person" if q.counts.casefold() in PEOPLE else q.counts.casefold()
            head = _role_head(q)
            if head is None or head in CHANGE_VERBS or (counted in GENERAL_NOUNS and not head):
                continue
            # whose count it is, when a name is the subject of its verb ("Carter scored 14 points")
            owners = named_subjects.get((q.sentence_index, head), set())
            owner = next(iter(owners)) if len(owners) == 1 else ""
            value = f"{q.value:g}{'~' if q.approximate else ''}"
            key = (q.kind, q.unit or "", counted, head, owner)
            yield key, Stated(value, q.text, q.article_id, q.sentence_index)


def compatible(a: str, b: str) -> bool:
    """Two figures can describe one true value: equal, or within the tolerance when either is approximate."""
    va, vb = float(a.rstrip("~")), float(b.rstrip("~"))
    if a.endswith("~") or b.endswith("~"):
        return abs(va - vb) <= NUMBER_APPROXIMATE_TOLERANCE * max(abs(va), abs(vb))
    return abs(va - vb) <= 1e-9 * max(1.0, abs(va), abs(vb))


def find(view: StoryView) -> list[Disagreement]:
    found = []
    for (_, _, counted, head, _), stated in index_by(_keyed(view)).items():

        def note(values: list[ValueSources], counted: str = counted, head: str = head) -> str:
            what = f"{counted} ({head})" if head else counted
            return f"Sources count {what} differently: " + " vs ".join(v.value for v in values) + "."

        d = contest(view, "number", stated, note, compatible, first_only=True)
        if d is not None:
            found.append(d)
    return found
