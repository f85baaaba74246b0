"""Superlatives and rankings given differently: "A is the largest supplier" vs "B is the largest supplier",
or "A is the largest" vs "A is the second-largest".

A ranking claim holds a superlative (:data:`~storyweave.text.contest_words.SUPERLATIVES`), optionally an
ordinal ("second-largest"), and the noun ranked: the claim's predicate (a copula's complement), its object,
or the word after the superlative, with its "of" complement when written ("supplier of oil"). Two slots:
who holds first place in one ranking, and what place one subject holds in it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from storyweave.model import Claim, Disagreement, ValueSources
from storyweave.reconcile.disagreements.story import Stated, StoryView, contest_each_key
from storyweave.text.contest_words import ORDINALS, SUPERLATIVES

_RANK_RE = re.compile(
    r"\b(?:(" + "|".join(ORDINALS) + r")[- ])?(" + "|".join(sorted(SUPERLATIVES)) + r")\b"
    r"((?:\s+(?!(?:of|to|in|for|on|at|by|with|and|or|than|since|ever|the|a|is|was|in)\b)[a-z][\w-]*){0,3})"
    r"(?:\s+of\s+(?:the\s+)?([\w-]+))?",
    re.IGNORECASE,
)


def ranking_of(claim: Claim) -> tuple[int, str, str, str] | None:
    """(place, superlative, ranked noun, written phrase) of a ranking claim, None if it holds none or two."""
    matches = list(_RANK_RE.finditer(claim.text))
    if len(matches) != 1:
        return None
    m = matches[0]
    place = ORDINALS[m.group(1).casefold()] if m.group(1) else 1
    following = m.group(3).casefold().split()
    noun = next(
        (h.casefold() for h in (claim.predicate, claim.object) if h and h.casefold() in following),
        following[-1] if following else "",
    )
    if not noun:
        return None
    if m.group(4):
        noun = f"{noun} of {m.group(4).casefold()}"
    return place, m.group(2).casefold(), noun, " ".join(m.group(0).split())


def _keyed(view: StoryView) -> Iterator[tuple[tuple[str, ...], Stated]]:
    for doc in view.docs.values():
        for claim in doc.claims:
            ranking = ranking_of(claim)
            subject = view.head_key(claim.article_id, claim.subject)
            if ranking is None or subject is None or claim.negated or claim.attribution == "citation":
                continue
            place, superlative, noun, phrase = ranking
            where = (claim.article_id, claim.sentence_index)
            if place == 1:
                who = claim.subject or subject
                yield ("first", superlative, noun), Stated(subject, f"{who}: {phrase}", *where)
            yield ("place", subject, superlative, noun), Stated(str(place), phrase, *where)


def note(values: list[ValueSources]) -> str:
    return "Sources rank differently: " + " vs ".join(f'"{v.value}"' for v in values) + "."


def find(view: StoryView) -> list[Disagreement]:
    return contest_each_key(view, "ranking", _keyed(view), note)
