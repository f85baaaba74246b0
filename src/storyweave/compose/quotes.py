"""The same quotation across sources (translations, trimmed versions) grouped as one quote."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rapidfuzz import fuzz

from storyweave.model import Quote, QuoteGroup, Variant

# Two quotes by one speaker are one quotation when rapidfuzz's partial token-set similarity reaches this
# (trimmed versions contain each other; translations share most content words). Hand-set on the fixtures.
QUOTE_MATCH = 70.0


def _same(a: Quote, b: Quote) -> bool:
    return fuzz.token_set_ratio(a.text.casefold(), b.text.casefold()) >= QUOTE_MATCH


def group_quotes(quotes: Sequence[Quote], canonical: Callable[[Quote], str | None]) -> list[QuoteGroup]:
    """Quote groups ordered by how many sources carry them; ``canonical`` maps a quote to its speaker's
    canonical name (None when unknown)."""
    groups: list[tuple[str | None, list[Quote]]] = []
    for quote in quotes:
        speaker = canonical(quote)
        for g_speaker, members in groups:
            if (g_speaker == speaker or g_speaker is None or speaker is None) and any(
                _same(quote, m) for m in members
            ):
                members.append(quote)
                break
        else:
            groups.append((speaker, [quote]))
    result: list[QuoteGroup] = []
    for speaker, members in groups:
        if speaker is None:
            speaker = next((s for q in members if (s := canonical(q))), None)
        # representative: the longest wording without editorial insertions ("[M. Poutine]")
        best = max(members, key=lambda q: ("[" not in q.raw_text, len(q.text)))
        result.append(
            QuoteGroup(
                speaker=speaker,
                text=best.text,
                sources=sorted({q.article_id for q in members}),
                variants=[
                    Variant(q.article_id, q.raw_text, f"{q.article_id}#{q.sentence_index}") for q in members
                ],
            )
        )
    result.sort(key=lambda g: (-len(g.sources), g.speaker or "~", g.text))
    return result
