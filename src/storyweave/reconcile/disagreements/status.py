"""Status and modality given differently: a deal "final" in one outlet and "agreed in principle" in another,
a ban "temporary" vs "permanent", a death "confirmed" vs "unconfirmed".

A claim's status is its modality slot or a status word among its words, mapped to a class
(:data:`~storyweave.text.contest_words.STATUS_CLASSES`); only pairs of classes that cannot both hold
(:data:`~storyweave.text.contest_words.INCOMPATIBLE_STATUS`) conflict, so "may" vs a flat statement (a
hedge, ubiquitous in news) is never flagged. Claims are comparable under the keys of
:func:`~storyweave.reconcile.disagreements.story.claim_keys`, or the same subject with a shared content
word ("Iran reached a final deal" / "Iran agreed to the deal in principle").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from storyweave.model import Claim, Disagreement, ValueSources
from storyweave.reconcile.disagreements.story import (
    Stated,
    StoryView,
    claim_keys,
    contest_each_key,
)
from storyweave.text.contest_words import INCOMPATIBLE_STATUS, STATUS_CLASSES
from storyweave.text.lexicon import stop_words

_STATUS_RE = re.compile(
    r"\b(" + "|".join(sorted((re.escape(w) for w in STATUS_CLASSES), key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)


def status_of(claim: Claim) -> tuple[str, str] | None:
    """(class, word as written) of the claim's status, None when it states none or two different ones."""
    found: dict[str, str] = {}
    if claim.modality and claim.modality.casefold() in STATUS_CLASSES:
        found[STATUS_CLASSES[claim.modality.casefold()]] = claim.modality
    for match in _STATUS_RE.finditer(claim.text):
        found.setdefault(STATUS_CLASSES[match.group(1).casefold()], match.group(1))
    if len(found) != 1:
        return None
    return next(iter(found.items()))


def _keyed(view: StoryView) -> Iterator[tuple[tuple[str, ...], Stated]]:
    stops = stop_words()
    for doc in view.docs.values():
        for claim in doc.claims:
            status = status_of(claim)
            if status is None or claim.attribution == "citation":
                continue
            stated = Stated(status[0], status[1].casefold(), claim.article_id, claim.sentence_index)
            keys = claim_keys(view, claim)
            subject = view.head_key(claim.article_id, claim.subject)
            if subject is not None:
                for lemma in claim.lemmas:
                    word = lemma.casefold()
                    if word not in stops and word not in STATUS_CLASSES and word != subject:
                        keys.append(("sl", subject, word))
            for key in sorted(set(keys)):  # a fixed order: the first disagreement found is kept
                yield key, stated


def compatible(a: str, b: str) -> bool:
    return frozenset({a, b}) not in INCOMPATIBLE_STATUS


def note(values: list[ValueSources]) -> str:
    return "Sources give a different status: " + " vs ".join(f'"{v.value}"' for v in values) + "."


def find(view: StoryView) -> list[Disagreement]:
    return contest_each_key(view, "status", _keyed(view), note, compatible)
