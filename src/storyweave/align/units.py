"""The units the aligner joins: claims (from ``analyse``), or whole sentences where a sentence has none.

A sentence may hold several claims ("X said Y and Z"); each becomes a unit that keeps its sentence, so a
fact can cite the sentence while being built from the claim. Crossheads and fragments are left out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from storyweave import thresholds
from storyweave.model import AnalysedArticle, Claim, Sentence
from storyweave.text.quoting import quoted_spans

# Words between quotation marks (curly or straight), at least one word long.


@dataclass(frozen=True)
class Unit:
    """One claim (or claimless sentence) of one article, with what the scorer compares."""

    id: str  # the claim id, or the sentence id when the unit is a whole sentence
    article_id: str
    sentence: Sentence
    text: str  # the claim's words (attribution removed), or the sentence
    claim: Claim | None = None
    entities: frozenset[str] = frozenset()  # entity ids named in the sentence
    dates: frozenset[str] = frozenset()  # resolved ISO dates of the sentence
    quote: str | None = None  # the quoted words of the sentence, when it quotes someone
    speaker: str | None = None  # who is quoted or who the claim is attributed to, as written

    @property
    def attributed(self) -> bool:
        """A quotation or a statement attributed to a speaker (not the outlet's own words)."""
        if self.claim is not None and (self.claim.attribution == "speaker" or self.claim.speaker):
            return True
        return self.quote is not None


def is_heading(sentence: Sentence, paragraph_sizes: Mapping[tuple[str, int], int]) -> bool:
    """A crosshead such as "- 'Blood alliance' -" or "Leader's whereabouts ‘uncertain’": alone in its
    paragraph, short, and not ending a sentence (a closing quote counts only after . ! ? or ,)."""
    text = sentence.text.rstrip()
    alone = paragraph_sizes.get((sentence.article_id, sentence.paragraph), 1) == 1
    core = text.rstrip("\"”’'»)")
    ends_sentence = core[-1:] in ".!?" or (core != text and core[-1:] == ",")
    return alone and len(text.split()) <= 12 and not ends_sentence


def alignable(docs: Sequence[AnalysedArticle]) -> list[Sentence]:
    """The sentences that may join a fact: long enough, and not crossheads."""
    paragraph_sizes: dict[tuple[str, int], int] = {}
    for d in docs:
        for s in d.sentences:
            key = (s.article_id, s.paragraph)
            paragraph_sizes[key] = paragraph_sizes.get(key, 0) + 1
    return [
        s
        for d in docs
        for s in d.sentences
        if len(s.text.split()) >= thresholds.FACT_MIN_WORDS and not is_heading(s, paragraph_sizes)
    ]


def quoted_words(text: str) -> str | None:
    """The words a sentence puts between quotation marks (joined), None when it quotes nothing."""
    joined = " ".join(p for p in quoted_spans(text) if len(p.split()) >= 2)
    return joined or None


def build_units(
    docs: Sequence[AnalysedArticle],
    entities_of: Mapping[str, frozenset[str]] | None = None,
    dates_of: Mapping[str, frozenset[str]] | None = None,
) -> list[Unit]:
    """Units of a story: each claim of at least FACT_MIN_WORDS words, else the whole sentence."""
    entities_of = entities_of or {}
    dates_of = dates_of or {}
    kept = {s.id for s in alignable(docs)}
    units: list[Unit] = []
    for doc in docs:
        claims: dict[int, list[Claim]] = {}
        for claim in doc.claims:
            if len(claim.text.split()) >= thresholds.FACT_MIN_WORDS:
                claims.setdefault(claim.sentence_index, []).append(claim)
        speakers: dict[int, str] = {}
        quotes: dict[int, list[str]] = {}
        for q in doc.quotes:
            quotes.setdefault(q.sentence_index, []).append(q.text)
            if q.speaker:
                speakers.setdefault(q.sentence_index, q.speaker)
        for s in doc.sentences:
            if s.id not in kept:
                continue
            quote = " ".join(quotes[s.index]) if s.index in quotes else quoted_words(s.text)
            entities = entities_of.get(s.id, frozenset())
            dates = dates_of.get(s.id, frozenset())
            if s.index not in claims:
                units.append(
                    Unit(s.id, s.article_id, s, s.text, None, entities, dates, quote, speakers.get(s.index))
                )
                continue
            for claim in claims[s.index]:
                speaker = claim.speaker or (claim.attributed_to if claim.attribution == "speaker" else None)
                units.append(
                    Unit(
                        claim.id,
                        s.article_id,
                        s,
                        claim.text,
                        claim,
                        entities,
                        dates,
                        quote,
                        speaker or speakers.get(s.index),
                    )
                )
    return units


def unit_slots(unit: Unit) -> tuple[str, str | None] | None:
    """The (predicate lemma, subject head) the scorer compares, None for a whole-sentence unit."""
    if unit.claim is None or not unit.claim.predicate:
        return None
    return unit.claim.predicate, unit.claim.subject
