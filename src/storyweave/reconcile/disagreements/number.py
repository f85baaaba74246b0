"""Counts of the same thing given differently: "12 people were killed" vs "15 killed".

Two quantities are one slot when they count the same noun in the same role (the verb they belong to) and
are of one kind and unit. A quantity without a counted noun, or counting a noun too general to pair on its
own ("people", "years") without a role, is never compared; nor is one whose verb reports a change ("the
toll rose to 15" is an update, not a contradiction). Approximate values ("about", "more than") agree with
anything within :data:`~storyweave.thresholds.NUMBER_APPROXIMATE_TOLERANCE`.

Outlets rarely give one count with one verb ("two cables suffered damage" / "three cables were damaged"), so
a second pass pairs quantities of the same counted noun, kind and unit whatever their verb, but only between
claims that alignment joined into one fact (its calibrated "same claim": sentences that merely share words
count different things far too often) and whose sentences also share
:data:`~storyweave.thresholds.NUMBER_LOOSE_MIN_SHARED` content lemmas making
:data:`~storyweave.thresholds.NUMBER_LOOSE_OVERLAP` of the shorter one's
(:func:`~storyweave.reconcile.disagreements.story.similar_conflicts`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import combinations

from storyweave.model import Disagreement, Quantity, ValueSources
from storyweave.reconcile.disagreements.story import (
    Stated,
    StoryView,
    contest,
    index_by,
    similar_conflicts,
)
from storyweave.text.contest_words import CHANGE_VERBS
from storyweave.text.lexicon import word_set
from storyweave.thresholds import (
    NUMBER_APPROXIMATE_TOLERANCE,
    NUMBER_LOOSE_MAX_POSTINGS,
    NUMBER_LOOSE_MIN_SHARED,
    NUMBER_LOOSE_OVERLAP,
    NUMBER_STORY_LEAD_SENTENCES,
    NUMBER_STORY_MIN_SHARED,
)

# Counted nouns that all count people ("left 50 others missing", "50 people missing").
PEOPLE = word_set("person people other individual")
# People counted by their state: the adjective the parser makes the counted word ("more than 50 missing",
# "12 dead"), and the verb whose people a plain count counts ("70 others missing", "killed 12 people"); both
# become the state, so "50 missing" and "70 others missing" are one slot while the dead and the injured stay
# two ("left 50 dead" / "left 200 injured").
STATE_WORDS = {
    "missing": "missing", "dead": "dead", "killed": "dead", "injured": "injured", "wounded": "injured",
    "hurt": "injured",
}  # fmt: skip
STATE_VERBS = {
    "miss": "missing", "die": "dead", "kill": "dead", "injure": "injured", "wound": "injured",
    "hurt": "injured",
}  # fmt: skip
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
    return head if len(head) >= 2 and head.isalpha() else None


Note = Callable[[list[ValueSources]], str]


@dataclass(frozen=True)
class _Counted:
    """One comparable quantity: its strict key (kind, unit, counted noun, verb, owner) and stated value."""

    key: tuple[str, str, str, str, str]
    stated: Stated


def _counted(view: StoryView) -> Iterator[_Counted]:
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
            if (
                q.kind == "count" and q.value == 1
            ):  # "one of the cables", "just one cable down": rarely a tally
                continue
            counted = "person" if q.counts.casefold() in PEOPLE else q.counts.casefold()
            head = _role_head(q)
            if counted in STATE_WORDS:
                counted = STATE_WORDS[counted]
            elif counted == "person" and head in STATE_VERBS:
                counted = STATE_VERBS[head]
            if head is None or head in CHANGE_VERBS or (counted in GENERAL_NOUNS and not head):
                continue
            # whose count it is, when a name is the subject of its verb ("Carter scored 14 points")
            owners = named_subjects.get((q.sentence_index, head), set())
            owner = next(iter(owners)) if len(owners) == 1 else ""
            value = f"{q.value:g}{'~' if q.approximate else ''}"
            key = (q.kind, q.unit or "", counted, head, owner)
            yield _Counted(key, Stated(value, q.text, q.article_id, q.sentence_index))


def _loose(view: StoryView, items: list[_Counted], note: Callable[[str, str], Note]) -> list[Disagreement]:
    """Counts of one noun stated with different verbs in two sentences that otherwise say the same thing."""
    figures_of: dict[str, set[str]] = defaultdict(set)
    for doc in view.docs.values():
        for q in doc.quantities:
            figures_of[f"{doc.id}#{q.sentence_index}"].add(f"{q.value:g}")
    by_noun: dict[tuple[str, str, str], list[_Counted]] = defaultdict(list)
    for item in items:
        if item.key[2] not in GENERAL_NOUNS:  # without its verb, "people" or "percent" says nothing
            by_noun[item.key[:3]].append(item)
    found = []
    for (_, _, counted), group in by_noun.items():
        if len({i.stated.key for i in group}) < 2:
            continue
        if len({view.story.group_of(i.stated.article_id) for i in group}) < 2:
            continue
        values_of: dict[str, set[str]] = defaultdict(set)
        for i in group:
            values_of[i.stated.article_id].add(i.stated.key)
            # every figure of its sentence too: "23 pirates (12 Somali...)" vs "23 Somali pirates" agree
            values_of[i.stated.article_id].update(figures_of.get(i.stated.sentence_id, ()))

        keys = [i.key for i in group]

        def skip(a: int, b: int, keys: list[tuple[str, str, str, str, str]] = keys) -> bool:
            # the strict pass compares one key; two named owners are two people's counts
            return keys[a] == keys[b] or bool(keys[a][4] and keys[b][4] and keys[a][4] != keys[b][4])

        conflicts = similar_conflicts(
            view,
            [i.stated for i in group],
            compatible,
            values_of,
            skip,
            NUMBER_LOOSE_MIN_SHARED,
            NUMBER_LOOSE_OVERLAP,
            NUMBER_LOOSE_MAX_POSTINGS,
        )
        for component in conflicts:
            verbs = sorted({keys[i][3] for i in component if keys[i][3]})
            note_ = note(counted, "/".join(verbs))
            d = contest(view, "number", [group[i].stated for i in component], note_, compatible)
            if d is not None:
                found.append(d)
    return found


def _story_counts(
    view: StoryView, items: list[_Counted], note: Callable[[str, str], Note]
) -> list[Disagreement]:
    """The count of one specific thing across the story ("two undersea cables suffered damage" / "the four
    submarine cables"), whatever verb states it and whether or not alignment joined the sentences.

    Only a counted noun specific enough to name one set of things is read this way (not a general noun
    such as "people" or "percent", not people counted by their state, whose tolls move as a story unfolds),
    and only in articles that give that noun one count throughout: an article counting it twice (two
    players' points, two quakes' tolls) makes it ambiguous there and drops out (:func:`contest`). Two named
    owners ("Carter scored 14 points" / "VanDeest 13 points") are two counts, so a noun counted for more
    than one named owner in the story is left out.
    """
    by_noun: dict[tuple[str, str, str], list[_Counted]] = defaultdict(list)
    for item in items:
        kind, unit, counted, _, _ = item.key
        if kind == "count" and counted not in GENERAL_NOUNS and counted not in STATE_WORDS.values():
            by_noun[(kind, unit, counted)].append(item)
    found = []
    for (_, _, counted), group in by_noun.items():
        if len({i.key[4] for i in group if i.key[4]}) > 1 or len({i.stated.key for i in group}) < 2:
            continue
        if any(_written_as_name(view.sentence_text(i.stated.article_id, i.stated.sentence_index), counted)
               for i in group) or _parts_of_whole(view, group):  # fmt: skip
            continue
        verbs = "/".join(sorted({i.key[3] for i in group if i.key[3]}))
        d = contest(view, "number", [i.stated for i in group], note(counted, verbs), compatible)
        if d is not None and _about_one_thing(view, d, counted) and _in_every_lead(view, d, counted):
            found.append(d)
    return found


def _in_every_lead(view: StoryView, d: Disagreement, counted: str) -> bool:
    """Whether every article holding a value names the counted noun in its first
    :data:`NUMBER_STORY_LEAD_SENTENCES` sentences: what the story is about ("cables" in a story of damaged
    cables), not a figure of its background (a player's season statistics, another ship's passengers)."""
    word = re.compile(rf"\b{re.escape(counted)}", re.IGNORECASE)
    for article_id in {a for v in d.values for a in v.sources}:
        lead = " ".join(view.sentence_text(article_id, i) for i in range(NUMBER_STORY_LEAD_SENTENCES))
        if not word.search(lead):
            return False
    return True


def _about_one_thing(view: StoryView, d: Disagreement, counted: str) -> bool:
    """Whether two sentences holding different values share :data:`NUMBER_STORY_MIN_SHARED` content lemmas
    besides the counted noun ("two undersea cables in the Mediterranean suffered damage" / "three undersea
    cables were damaged in the Mediterranean"): a count of new cables laid next month shares only "cable"."""
    lemmas = [{sid: view.sentence_lemmas(sid) - {counted} for sid in v.sentence_ids} for v in d.values]
    return any(
        len(x & y) >= NUMBER_STORY_MIN_SHARED
        for a, b in combinations(lemmas, 2)
        for x in a.values()
        for y in b.values()
    )


def _written_as_name(sentence: str, counted: str) -> bool:
    """Whether the counted word is capitalised inside its sentence ("12 Somali and 11 Yemeni"): a people's
    or a place's name that the parser took for the counted noun, which counts no one thing."""
    return any(
        m.start() > 0 and m.group(0)[:1].isupper()
        for m in re.finditer(rf"\b{re.escape(counted)}\w*", sentence, flags=re.IGNORECASE)
    )


def _parts_of_whole(view: StoryView, group: list[_Counted]) -> bool:
    """Whether one article's count is the sum of two figures of a sentence of another ("23 pirates" / "12
    Somali and 11 Yemeni"): parts adding up to a whole agree."""
    sums: dict[str, set[float]] = defaultdict(set)
    for item in group:
        doc = view.docs[item.stated.article_id]
        figures = [q.value for q in doc.quantities if q.sentence_index == item.stated.sentence_index]
        sums[item.stated.article_id].update(a + b for a, b in combinations(figures, 2))
    return any(
        float(item.stated.key.rstrip("~")) in sums[other]
        for item in group
        for other in sums
        if other != item.stated.article_id
    )


def compatible(a: str, b: str) -> bool:
    """Two figures can describe one true value: equal, or within the tolerance when either is approximate."""
    va, vb = float(a.rstrip("~")), float(b.rstrip("~"))
    if a.endswith("~") or b.endswith("~"):
        return abs(va - vb) <= NUMBER_APPROXIMATE_TOLERANCE * max(abs(va), abs(vb))
    return abs(va - vb) <= 1e-9 * max(1.0, abs(va), abs(vb))


def _note(counted: str, head: str) -> Note:
    noun = f"the {counted}" if counted in STATE_WORDS.values() else counted  # "the dead", "the missing"
    what = f"{noun} ({head})" if head else noun
    return lambda values: f"Sources count {what} differently: " + " vs ".join(v.value for v in values) + "."


def find(view: StoryView) -> list[Disagreement]:
    items = list(_counted(view))
    found = []
    for (_, _, counted, head, _), stated in index_by((i.key, i.stated) for i in items).items():
        d = contest(view, "number", stated, _note(counted, head), compatible, first_only=True)
        if d is not None:
            found.append(d)
    return found + _loose(view, items, _note) + _story_counts(view, items, _note)
