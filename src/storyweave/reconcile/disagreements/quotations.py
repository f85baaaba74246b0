"""The story's quotations grouped into "one quotation" (one speaker, most words shared): what the
quote-wording and name-in-quotation detectors compare. Candidates are indexed by speaker, so only the
quotations of one person are ever compared with each other."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz

from storyweave.model import Mention, Quote
from storyweave.reconcile.disagreements.story import StoryView, shared_word_pairs
from storyweave.text.graph import components
from storyweave.text.lexicon import stop_words
from storyweave.thresholds import QUOTE_MAX_POSTINGS, QUOTE_MIN_WORDS, QUOTE_SAME_SIMILARITY

_WORD_RE = re.compile(r"[\w'’-]+")


def normalise(text: str) -> str:
    """Casefolded words only: punctuation, quote marks and spacing never make two wordings."""
    return " ".join(w.replace("’", "'") for w in _WORD_RE.findall(text.casefold()))


@dataclass(frozen=True)
class Said:
    """One quotation in one article, with its speaker's entity key and the names written inside it."""

    quote: Quote
    speaker: str
    words: str  # normalised quoted words
    names: tuple[Mention, ...]


def said_in_story(view: StoryView) -> list[Said]:
    """Every quotation with a known speaker and enough words to compare (computed once per view)."""
    memo = view.memo.get("said")
    if isinstance(memo, list):
        return memo
    out: list[Said] = []
    for doc in view.docs.values():
        for quote in doc.quotes:
            words = normalise(quote.text)
            if quote.speaker is None or len(words.split()) < QUOTE_MIN_WORDS:
                continue
            inside = tuple(
                m
                for m in view.mentions(quote.article_id, quote.sentence_index)
                if quote.start <= m.start and m.end <= quote.end
            )
            out.append(Said(quote, view.entity_key(quote.article_id, quote.speaker), words, inside))
    view.memo["said"] = out
    return out


def same_quotations(view: StoryView) -> list[list[Said]]:
    """Groups of one speaker's quotations, from two or more articles, that are one quotation (computed once
    per view)."""
    memo = view.memo.get("same")
    if isinstance(memo, list):
        return memo
    by_speaker: dict[str, list[Said]] = defaultdict(list)
    for said in said_in_story(view):
        by_speaker[said.speaker].append(said)
    groups: list[list[Said]] = []
    stops = stop_words()
    for quotes in by_speaker.values():
        candidates = shared_word_pairs([q.words for q in quotes], stops, QUOTE_MAX_POSTINGS, 2)
        pairs = [
            (a, b)
            for a, b in sorted(candidates)
            if quotes[a].quote.article_id != quotes[b].quote.article_id
            and fuzz.token_sort_ratio(quotes[a].words, quotes[b].words) >= QUOTE_SAME_SIMILARITY
        ]
        for component in components(list(range(len(quotes))), pairs):
            members = [quotes[i] for i in component]
            if len({m.quote.article_id for m in members}) >= 2:
                groups.append(members)
    view.memo["same"] = groups
    return groups
