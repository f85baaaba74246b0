"""The same quotation across sources (translations, trimmed versions) grouped as one quote."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from functools import lru_cache

from rapidfuzz import fuzz

from storyweave.model import Quote, QuoteGroup, Variant

# A quote that one source trimmed is found inside the fuller one: rapidfuzz partial_ratio (best-aligned
# substring) at least this. Hand-set: trimmed copies of one quote score 95-100 (a dropped comma or a word
# changed at the seam), a fragment of the same speaker's other words 50-75.
TRIMMED_MATCH = 90.0
# Two renderings of one quote (different translations, a word changed) share most content words:
# rapidfuzz token_set_ratio at least this, with at least MIN_SHARED_WORDS content words in common so that a
# two-word fragment does not join any longer quote that happens to hold both words. Hand-set on the
# fixtures and the bundled sample's translated quotes (same quote 72-100, the speaker's other quotes 30-60).
QUOTE_MATCH = 70.0
MIN_SHARED_WORDS = 3

_STOP = {
    "the", "a", "an", "and", "or", "but", "of", "to", "in", "on", "at", "for", "with", "by", "from", "is",
    "are", "was", "were", "be", "been", "has", "have", "had", "it", "its", "that", "this", "we", "i", "he",
    "she", "they", "you", "our", "his", "her", "their", "not", "will", "would", "as", "so", "do", "does",
}  # fmt: skip


@lru_cache(maxsize=65536)
def _words(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"[^\W_]+", text.casefold()))


@lru_cache(maxsize=262144)
def similarity(a: str, b: str) -> float:
    """How much two quotations read as one (0-100): a trimmed version inside the fuller one scores its
    partial_ratio; two renderings sharing enough content words score their token_set_ratio; else 0."""
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return 0.0
    short, full = sorted((wa, wb), key=len)
    trimmed = fuzz.partial_ratio(" ".join(short), " ".join(full)) if len(short) >= 2 else 0.0
    if trimmed >= TRIMMED_MATCH:
        return trimmed
    shared = ({w for w in wa if w not in _STOP}) & ({w for w in wb if w not in _STOP})
    if len(shared) < MIN_SHARED_WORDS:
        return 0.0
    ratio = fuzz.token_set_ratio(" ".join(wa), " ".join(wb))
    return ratio if ratio >= QUOTE_MATCH else 0.0


def group_quotes(quotes: Sequence[Quote], canonical: Callable[[Quote], str | None]) -> list[QuoteGroup]:
    """Quote groups ordered by how many sources carry them; ``canonical`` maps a quote to its speaker's
    canonical name (None when unknown). Each quote joins the group it reads most like (same speaker, or
    a speaker unknown on one side); a quote like none starts a group."""
    groups: list[tuple[str | None, list[Quote]]] = []
    # each group's distinct wordings (copies of one quote score alike) and the groups by speaker, so that
    # a quote is compared with its own speaker's groups (and those of unknown speakers) only
    texts: list[dict[str, None]] = []
    by_speaker: dict[str | None, list[int]] = defaultdict(list)
    for quote in quotes:
        speaker = canonical(quote)
        if speaker is None:
            candidates: Sequence[int] = range(len(groups))
        else:
            candidates = sorted({*by_speaker[speaker], *by_speaker[None]})
        best, best_score = None, 0.0
        for index in candidates:
            score = 0.0
            for text in texts[index]:
                score = max(score, similarity(quote.text, text))
                if score >= 100.0:
                    break
            if score > best_score:
                best, best_score = index, score
        if best is None:
            groups.append((speaker, [quote]))
            texts.append({quote.text: None})
            by_speaker[speaker].append(len(groups) - 1)
        else:
            g_speaker, members = groups[best]
            members.append(quote)
            texts[best][quote.text] = None
            if g_speaker is None and speaker is not None:
                groups[best] = (speaker, members)
                by_speaker[None].remove(best)
                by_speaker[speaker].append(best)
    result: list[QuoteGroup] = []
    for speaker, members in groups:
        # representative: the longest wording without editorial insertions ("[M. Poutine]")
        best_quote = max(members, key=lambda q: ("[" not in q.raw_text, len(q.text)))
        result.append(
            QuoteGroup(
                speaker=speaker,
                text=best_quote.text,
                sources=sorted({q.article_id for q in members}),
                variants=[
                    Variant(q.article_id, q.raw_text, f"{q.article_id}#{q.sentence_index}") for q in members
                ],
            )
        )
    result.sort(key=lambda g: (-len(g.sources), g.speaker or "~", g.text))
    return result
