"""Names given differently: a name spelled differently inside the same quotation (one quoted tweet naming
"Kim Jong Un" in one outlet and "Kim Jung Un" in another), and one claim naming a different place, person or
organisation ("fell from a Sydney clifftop" vs "fell from a Melbourne clifftop").

Spellings: only names inside one quotation (grouped by
:func:`~storyweave.reconcile.disagreements.quotations.same_quotations`) are compared; two names are one
name spelled differently when alike (:data:`~storyweave.thresholds.NAME_SPELLING_SIMILARITY`) but their
comparison keys differ. Swapped names: two claims under one key (same subject and predicate, or predicate
and object), or sharing :data:`~storyweave.thresholds.NAME_SWAP_MIN_SHARED` content lemmas, whose other
words agree (:data:`~storyweave.thresholds.NAME_SWAP_SIMILARITY`) but for one name
of one kind each, where neither article names the other's choice anywhere. Outlets and citations are never
compared, so an outlet citing another newspaper is not a name disagreement.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

from rapidfuzz import fuzz

from storyweave.analyse.names import name_key
from storyweave.model import Claim, Disagreement, Mention, ValueSources
from storyweave.reconcile.disagreements.quotations import same_quotations
from storyweave.reconcile.disagreements.story import (
    Stated,
    StoryView,
    claim_keys,
    contest,
    shared_word_pairs,
)
from storyweave.text.graph import components
from storyweave.text.lexicon import MEDIA_WORDS
from storyweave.thresholds import (
    NAME_SPELLING_SIMILARITY,
    NAME_SWAP_MAX_CLAIMS,
    NAME_SWAP_MIN_SHARED,
    NAME_SWAP_SIMILARITY,
)

SWAP_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"})


def _key(mention: Mention) -> str:
    return " ".join(name_key(mention.name))


def find(view: StoryView) -> list[Disagreement]:
    return _spellings(view) + _swaps(view)


def _names_in(view: StoryView, claim: Claim) -> list[Mention]:
    return [
        m
        for m in view.mentions(claim.article_id, claim.sentence_index)
        if claim.start <= m.start
        and m.end <= claim.end
        and m.label in SWAP_LABELS
        and not set(name_key(m.name)) & MEDIA_WORDS
    ]


def _swaps(view: StoryView) -> list[Disagreement]:
    words_of = {aid: " " + " ".join(name_key(doc.article.text)) + " " for aid, doc in view.docs.items()}
    buckets: dict[tuple[str, ...], list[Claim]] = defaultdict(list)
    for doc in view.docs.values():
        for claim in doc.claims:
            if claim.attribution != "citation" and not claim.negated:
                for key in claim_keys(view, claim):
                    buckets[key].append(claim)
    candidates: list[tuple[Claim, Claim]] = []
    for claims in buckets.values():
        if len(claims) > NAME_SWAP_MAX_CLAIMS or len({c.article_id for c in claims}) < 2:
            continue  # a key this common names no one claim
        candidates.extend(combinations(claims, 2))
    # claims told with other heads ("Russia's invasion of Ukraine" / "the U.S.'s invasion of Ukraine" as
    # parts of two differently built sentences): any two naming claims sharing content lemmas, from an
    # inverted index; _swap then asks their other words to agree
    naming = [
        c
        for doc in view.docs.values()
        for c in doc.claims
        if c.attribution != "citation" and not c.negated and _names_in(view, c)
    ]
    texts = [" ".join(sorted({w.casefold() for w in c.lemmas if " " not in w})) for c in naming]
    for i, j in sorted(shared_word_pairs(texts, frozenset(), NAME_SWAP_MAX_CLAIMS, NAME_SWAP_MIN_SHARED)):
        candidates.append((naming[i], naming[j]))
    found = []
    seen: set[tuple[str, str]] = set()
    for a, b in candidates:
        if a.article_id == b.article_id or (a.id, b.id) in seen or (b.id, a.id) in seen:
            continue
        seen.add((a.id, b.id))
        d = _swap(view, a, b, words_of)
        if d is not None:
            found.append(d)
    return found


def _swap(view: StoryView, a: Claim, b: Claim, words_of: dict[str, str]) -> Disagreement | None:
    """The name one claim gives where the other gives another, None unless exactly one such pair."""
    only_a = [
        m for m in _names_in(view, a) if f" {' '.join(name_key(m.name))} " not in words_of[b.article_id]
    ]
    only_b = [
        m for m in _names_in(view, b) if f" {' '.join(name_key(m.name))} " not in words_of[a.article_id]
    ]
    if len(only_a) != 1 or len(only_b) != 1 or only_a[0].label != only_b[0].label:
        return None
    x, y = only_a[0], only_b[0]
    lemmas_a = {w.casefold() for w in a.lemmas} - set(name_key(x.name))
    lemmas_b = {w.casefold() for w in b.lemmas} - set(name_key(y.name))
    union = lemmas_a | lemmas_b
    if not union or len(lemmas_a & lemmas_b) / len(union) < NAME_SWAP_SIMILARITY:
        return None
    stated = [
        Stated(_key(x), x.name, x.article_id, x.sentence_index),
        Stated(_key(y), y.name, y.article_id, y.sentence_index),
    ]

    def note(values: list[ValueSources]) -> str:
        return "The same claim names someone or somewhere else: " + " vs ".join(v.value for v in values) + "."

    return contest(view, "name", stated, note)


def _spellings(view: StoryView) -> list[Disagreement]:
    found = []
    for group in same_quotations(view):
        names = [m for said in group for m in said.names if _key(m)]
        pairs = [
            (a, b)
            for a, b in combinations(range(len(names)), 2)
            if names[a].article_id != names[b].article_id
            and fuzz.ratio(_key(names[a]), _key(names[b])) >= NAME_SPELLING_SIMILARITY
        ]
        for component in components(list(range(len(names))), pairs):
            stated = [
                Stated(_key(names[i]), names[i].text, names[i].article_id, names[i].sentence_index)
                for i in component
            ]

            def note(values: list[ValueSources]) -> str:
                return (
                    "The same quotation spells a name differently: "
                    + " vs ".join(v.value for v in values)
                    + "."
                )

            d = contest(view, "name", stated, note)
            if d is not None:
                found.append(d)
    return found
