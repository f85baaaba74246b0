"""Fact alignment across sources: paraphrases join, different statements stay apart."""

from __future__ import annotations

from tests.helpers import make_doc

from storyweave.align import align_facts
from storyweave.model import Story

A = (
    "The central bank raised its key interest rate by half a point to 5.25 percent on Wednesday.\n"
    "Governor Maria Lindqvist said inflation was still far above the target.\n"
    "The krona strengthened against the euro after the announcement."
)
B = (
    "On Wednesday the central bank lifted its key interest rate by half a point, to 5.25 percent.\n"
    "Analysts had expected a smaller increase of a quarter point.\n"
    "Inflation remains far above the bank's target, Governor Maria Lindqvist said."
)
C = (
    "The central bank increased its key rate by half a percentage point to 5.25 percent.\n"
    "The krona rose against the euro after the decision."
)


def _facts(story: Story):  # type: ignore[no-untyped-def]
    docs = [make_doc("a", A), make_doc("b", B), make_doc("c", C)]
    return align_facts(docs, story)


def test_paraphrases_align_into_one_fact_with_all_sources() -> None:
    facts = _facts(Story(id="s", article_ids=["a", "b", "c"]))
    top = facts[0]
    assert top.sources == ["a", "b", "c"]
    assert top.independent_sources == 3
    assert {v.sentence_id for v in top.variants} == {"a#0", "b#0", "c#0"}
    assert "5.25" in top.text
    governor = next(f for f in facts if "Lindqvist" in f.text)
    assert governor.sources == ["a", "b"]
    krona = next(f for f in facts if "krona" in f.text)
    assert krona.sources == ["a", "c"]


def test_unrelated_sentence_stays_single_source_and_ids_follow_rank() -> None:
    facts = _facts(Story(id="s", article_ids=["a", "b", "c"]))
    analysts = next(f for f in facts if "Analysts" in f.text)
    assert analysts.sources == ["b"]
    assert [f.id for f in facts] == [f"F{i}" for i in range(1, len(facts) + 1)]
    supports = [f.independent_sources for f in facts]
    assert supports == sorted(supports, reverse=True)


def test_syndicated_sources_count_once() -> None:
    story = Story(id="s", article_ids=["a", "b", "c"], syndication={"a": "a", "c": "a"})
    top = _facts(story)[0]
    assert top.sources == ["a", "b", "c"]
    assert top.independent_sources == 2


def test_at_most_one_sentence_per_article_in_a_fact() -> None:
    doubled = make_doc("d", A + "\n" + A.splitlines()[0].replace("Wednesday", "Wednesday morning"))
    facts = align_facts([doubled, make_doc("b", B)], Story(id="s", article_ids=["d", "b"]))
    for fact in facts:
        assert len({v.source for v in fact.variants}) == len(fact.variants)
