"""Repeated wordings are aligned once: the facts are those of aligning every copy, at the cost of the
distinct wordings."""

from __future__ import annotations

import pytest
from tests.helpers import make_doc

from storyweave.align import align_facts, dedupe
from storyweave.align.units import Unit, build_units
from storyweave.model import AnalysedArticle, Fact, Story

WIRE = (
    "Flood water cut the only road into the valley town of Merrow on Tuesday night.\n"
    "Rescue crews used boats to reach forty families stranded on the upper floors.\n"
    "The regional council said the bridge would stay closed until engineers inspect it."
)
OWN = (
    "Forty families in Merrow were stranded by flood water and reached by rescuers in boats.\n"
    "The valley's only road was cut on Tuesday night as the river burst its banks.\n"
    "A farmer said he had never seen the river this high in fifty years."
)
OTHER = (
    "On Tuesday night the river burst its banks and flood water cut the only road into Merrow.\n"
    "Engineers must inspect the bridge before it opens again, the regional council said."
)


def _story_docs() -> list[AnalysedArticle]:
    docs = [make_doc("wire", WIRE)]
    docs += [make_doc(f"copy{n}", WIRE) for n in range(5)]  # the dispatch carried word for word
    docs += [make_doc("own", OWN), make_doc("other", OTHER)]
    return docs


def _identity(units: list[Unit]) -> dedupe.Collapsed:
    """No collapsing: every unit its own representative (what alignment did before dedupe)."""
    return dedupe.Collapsed(
        list(units),
        [[k] for k in range(len(units))],
        [frozenset({u.article_id}) for u in units],
        list(range(len(units))),
    )


def test_copies_collapse_to_one_unit_and_a_repeat_within_an_article_to_a_second() -> None:
    twice = make_doc(
        "twice", "Flood water cut the only road into the valley town of Merrow on Tuesday night.\n" * 2
    )
    units = build_units([make_doc("a", WIRE), make_doc("b", WIRE), twice])
    collapsed = dedupe.collapse(units)
    first = "Flood water cut the only road into the valley town of Merrow on Tuesday night."
    slots = [k for k, u in enumerate(collapsed.representatives) if u.text == first]
    assert len(slots) == 2  # the second copy inside "twice" cannot share a unit with its first
    assert collapsed.sources[slots[0]] == frozenset({"a", "b", "twice"})
    assert collapsed.sources[slots[1]] == frozenset({"twice"})
    assert len(collapsed.representatives) == 4
    assert sorted(k for c in collapsed.copies for k in c) == list(range(len(units)))
    assert all(collapsed.representative_of[k] == r for r, c in enumerate(collapsed.copies) for k in c)
    assert dedupe.expand(collapsed, [[slots[0]]]) == [sorted(collapsed.copies[slots[0]])]


def test_centrality_counts_copies_as_agreeing() -> None:
    units = build_units([make_doc("a", WIRE), make_doc("b", WIRE), make_doc("c", OTHER)])
    collapsed = dedupe.collapse(units)
    a0 = next(k for k, u in enumerate(units) if u.article_id == "a")
    b0 = next(k for k, u in enumerate(units) if u.article_id == "b" and u.text == units[a0].text)
    c0 = next(k for k, u in enumerate(units) if u.article_id == "c")
    r, s = collapsed.representative_of[a0], collapsed.representative_of[c0]
    known = {(min(r, s), max(r, s)): 0.5}
    assert dedupe.centrality(collapsed, [a0, b0, c0], known) == [0.75, 0.75, 0.5]
    assert dedupe.centrality(collapsed, [a0], known) == [1.0]


def test_aligning_collapsed_copies_gives_the_facts_of_aligning_every_copy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    story = Story(id="s", article_ids=[d.article.id for d in _story_docs()])
    collapsed = align_facts(_story_docs(), story)
    monkeypatch.setattr("storyweave.align.facts.collapse", _identity)
    every = align_facts(_story_docs(), story)

    def shape(facts: list[Fact]) -> list[tuple[str, list[str], list[str | None], str]]:
        return [(f.text, f.sources, [v.sentence_id for v in f.variants], f.corroboration) for f in facts]

    assert shape(collapsed) == shape(every)
    top = collapsed[0]
    assert {"wire", "copy0", "copy4", "own"} <= set(top.sources)
    for fact in collapsed:  # still at most one sentence per article in a fact
        assert len(fact.sources) == len(fact.variants)
