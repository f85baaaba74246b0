"""A name spelled differently inside the same quotation: one quoted tweet naming "Kim Jong Un" in one outlet
and "Kim Jung Un" in another.

Only names inside one quotation (grouped by
:func:`~storyweave.reconcile.disagreements.quotations.same_quotations`) are compared, so an outlet citing
another newspaper, or two outlets naming different people in their own words, is never a name
disagreement. Two names are one name spelled differently when they are alike
(:data:`~storyweave.thresholds.NAME_SPELLING_SIMILARITY`) but their comparison keys differ.
"""

from __future__ import annotations

from itertools import combinations

from rapidfuzz import fuzz

from storyweave.analyse.names import name_key
from storyweave.model import Disagreement, Mention, ValueSources
from storyweave.reconcile.disagreements.quotations import same_quotations
from storyweave.reconcile.disagreements.story import Stated, StoryView, contest
from storyweave.text.graph import components
from storyweave.thresholds import NAME_SPELLING_SIMILARITY


def _key(mention: Mention) -> str:
    return " ".join(name_key(mention.name))


def find(view: StoryView) -> list[Disagreement]:
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
