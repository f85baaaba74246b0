"""Contested points across a whole story: where the sources state one thing differently.

One module per kind (DESIGN.md ``disagreements.kind``): ``number``, ``ranking``, ``status``, ``title``,
``name``, ``quote-wording``, ``date``, ``inclusion``, ``attribution``, ``negation``. Each reads the typed
slots the analysis stage produced (claims, quantities, roles, dated verbs, quotations), finds comparable
items by a key (same counted noun and verb, same person, same speaker, same subject and predicate) rather
than comparing sentences all against all, and reports values only when they conflict. No model is loaded
here: analysis is the only stage that parses text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from storyweave.model import AnalysedArticle, Disagreement, Fact, Story
from storyweave.reconcile.disagreements import (
    attribution,
    date,
    inclusion,
    name,
    negation,
    number,
    quote_wording,
    ranking,
    status,
    title,
)
from storyweave.reconcile.disagreements.story import EntityLookup, StoryView

__all__ = ["DETECTORS", "EntityLookup", "find_disagreements"]

# Kind -> detector, in the order a reader meets them in the brief.
DETECTORS: dict[str, Callable[[StoryView], list[Disagreement]]] = {
    "number": number.find,
    "date": date.find,
    "status": status.find,
    "ranking": ranking.find,
    "title": title.find,
    "inclusion": inclusion.find,
    "negation": negation.find,
    "name": name.find,
    "quote-wording": quote_wording.find,
    "attribution": attribution.find,
}


def find_disagreements(
    facts: Sequence[Fact],
    docs: dict[str, AnalysedArticle],
    story: Story,
    entities: EntityLookup | None = None,
    kinds: Sequence[str] | None = None,
) -> list[Disagreement]:
    """Every contested point of the story (``kinds`` restricts the detectors run), those inside one fact in
    fact order first, then those spanning facts, each kind in :data:`DETECTORS` order."""
    view = StoryView(facts, docs, story, entities)
    found: list[Disagreement] = []
    seen: set[tuple[str, frozenset[tuple[str, frozenset[str]]]]] = set()
    for kind, detect in DETECTORS.items():
        if kinds is not None and kind not in kinds:
            continue
        for d in detect(view):
            signature = (d.kind, frozenset((v.value, frozenset(v.sentence_ids)) for v in d.values))
            if signature not in seen:
                seen.add(signature)
                found.append(d)
    fact_order = {f.id: i for i, f in enumerate(facts)}
    kind_order = {k: i for i, k in enumerate(DETECTORS)}
    return sorted(
        found,
        key=lambda d: (
            fact_order.get(d.fact_id, len(fact_order)) if d.fact_id else len(fact_order),
            kind_order[d.kind],
        ),
    )
