"""The same words given to different speakers: one outlet quotes a sentence as the minister's, another as the
spokesman's.

Quotations are paired through an index of their words (never all against all), and are the same words
when at least :data:`~storyweave.thresholds.ATTRIBUTION_MIN_WORDS` long and
:data:`~storyweave.thresholds.ATTRIBUTION_SIMILARITY` alike. Both speakers must be people: a channel or
newspaper as "speaker" is where the words were published (an interviewee vs the channel that interviewed
her), not a rival attribution. Nor do two speakers conflict when one is named in the other's sentence
("Ruiz told Peskov", "Ruiz, speaking for Peskov"), or when one is written as a description of a person
("the Florida Republican said"), which refers to someone named elsewhere.
"""

from __future__ import annotations

import re
from collections import defaultdict

from rapidfuzz import fuzz

from storyweave.analyse.names import name_key
from storyweave.model import Disagreement, ValueSources
from storyweave.reconcile.disagreements.quotations import Said, said_in_story
from storyweave.reconcile.disagreements.story import Stated, StoryView, contest, shared_word_pairs
from storyweave.text.graph import components
from storyweave.text.lexicon import MEDIA_WORDS, stop_words
from storyweave.thresholds import (
    ATTRIBUTION_MIN_SHARED,
    ATTRIBUTION_MIN_WORDS,
    ATTRIBUTION_SIMILARITY,
    QUOTE_MAX_POSTINGS,
)


def _person(view: StoryView, said: Said) -> bool:
    speaker = said.quote.speaker or ""
    if set(name_key(speaker)) & MEDIA_WORDS:
        return False
    return view.label_of(said.quote.article_id, speaker) in ("PERSON", None)


def _described(said: Said) -> bool:
    """Whether the speaker is written as a description ("the Florida Republican said"): it refers to a
    person named elsewhere, so it is no rival to that name."""
    speaker, cue = said.quote.speaker, said.quote.cue
    if not speaker or not cue:
        return False
    return re.search(rf"\b(?:the|a|an)\s+{re.escape(speaker)}\b", cue, re.IGNORECASE) is not None


def find(view: StoryView) -> list[Disagreement]:
    quotes = [
        s for s in said_in_story(view) if len(s.words.split()) >= ATTRIBUTION_MIN_WORDS and _person(view, s)
    ]
    candidates = shared_word_pairs(  # the same words share runs of words, not just words
        [q.words for q in quotes], stop_words(), QUOTE_MAX_POSTINGS, ATTRIBUTION_MIN_SHARED, size=2
    )
    pairs = [
        (a, b)
        for a, b in sorted(candidates)
        if quotes[a].quote.article_id != quotes[b].quote.article_id
        and quotes[a].speaker != quotes[b].speaker
        and fuzz.ratio(quotes[a].words, quotes[b].words) >= ATTRIBUTION_SIMILARITY
    ]
    found = []
    for component in components(list(range(len(quotes))), pairs):
        group = [quotes[i] for i in component]
        if len({s.speaker for s in group}) < 2:
            continue
        named_with: dict[str, set[str]] = defaultdict(set)
        for s in group:
            for m in view.mentions(s.quote.article_id, s.quote.sentence_index):
                named_with[s.speaker].add(view.entity_key(s.quote.article_id, m.name))

        described = {s.speaker for s in group if _described(s)}

        def compatible(
            a: str, b: str, named_with: dict[str, set[str]] = named_with, described: set[str] = described
        ) -> bool:
            return a == b or b in named_with[a] or a in named_with[b] or bool({a, b} & described)

        stated = [
            Stated(s.speaker, s.quote.speaker or s.speaker, s.quote.article_id, s.quote.sentence_index)
            for s in group
        ]

        def note(values: list[ValueSources]) -> str:
            return (
                "The same words are given to different speakers: "
                + " vs ".join(v.value for v in values)
                + "."
            )

        d = contest(view, "attribution", stated, note, compatible)
        if d is not None:
            found.append(d)
    return found
