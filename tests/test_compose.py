"""Composition: headline, cited summary, quote grouping, timeline, coverage."""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.helpers import make_doc

from storyweave.compose import build_timeline, choose_headline, choose_summary, compose_brief, group_quotes
from storyweave.model import Entity, Fact, Quote, Story, TimeRef, Variant


def _fact(
    fid: str, text: str, sources: list[str], position: float = 0.5, independent: int | None = None
) -> Fact:
    return Fact(
        id=fid,
        text=text,
        sources=sources,
        independent_sources=independent if independent is not None else len(sources),
        variants=[Variant(source=s, text=text, sentence_id=f"{s}#0") for s in sources],
        position=position,
    )


def test_summary_prefers_corroborated_facts_skips_repeats_and_keeps_story_order() -> None:
    facts = [
        _fact(
            "F1",
            "The council approved the new stadium budget of 40 million euros on Monday.",
            ["a", "b", "c"],
            0.0,
        ),
        _fact(
            "F2",
            "Council approved the new stadium budget of 40 million euros on Monday evening.",
            ["d", "e"],
            0.1,
        ),
        _fact(
            "F3",
            "Opposition members walked out of the chamber before the final vote was taken.",
            ["a", "b"],
            0.6,
        ),
        _fact("F4", "A local baker said he had never seen such a crowd outside the town hall.", ["c"], 0.9),
        _fact("F5", "Construction work is due to begin in the spring and last two years.", ["b", "c"], 0.3),
    ]
    summary = choose_summary(facts, length=3)
    assert [s.fact_id for s in summary] == ["F1", "F5", "F3"]
    assert summary[0].sources == ["a", "b", "c"]
    assert all(s.sources for s in summary)


def test_summary_variant_avoids_brackets_and_suspect_spellings() -> None:
    fact = Fact(
        id="F1",
        text="[Mr. Orban] told parliament the measure would pass before the summer recess began.",
        sources=["a", "b", "c"],
        independent_sources=3,
        variants=[
            Variant(
                "a", "[Mr. Orban] told parliament the measure would pass before the summer recess began."
            ),
            Variant(
                "b", "Viktor Orbn told parliament the measure would pass before the summer recess began."
            ),
            Variant(
                "c", "Viktor Orban told parliament the measure would pass before the summer recess began."
            ),
        ],
        position=0.0,
    )
    (sentence,) = choose_summary([fact], length=5, avoid=["Viktor Orbn"])
    assert sentence.text.startswith("Viktor Orban told")
    assert sentence.sources == ["a", "b", "c"]


def test_headline_picks_the_consensus_title_not_a_lowercase_copy() -> None:
    titles = [
        "Storm Ciarán batters Brittany, leaving 1.2 million homes without power",
        "storm ciarán batters brittany, leaving 1.2 million homes without power",
        "Ciarán: power cuts for 1.2 million homes in Brittany after storm",
        "Football: Rennes beat Nantes 2-1",
    ]
    facts = [_fact("F1", "Storm Ciarán left 1.2 million homes in Brittany without power.", ["a", "b"])]
    headline = choose_headline(titles, facts)
    assert headline.startswith("Storm Ciarán batters Brittany")


def test_quotes_group_across_sources_by_speaker() -> None:
    quotes = [
        Quote("We will rebuild every school", "We will rebuild every school", "Ana Lopez", "a", 1, 0, 10),
        Quote(
            "We will rebuild every single school",
            "We will rebuild every single school",
            "Lopez",
            "b",
            2,
            0,
            10,
        ),
        Quote(
            "The budget is a disgrace to this city",
            "The budget is a disgrace to this city",
            "Tom Berg",
            "b",
            3,
            0,
            10,
        ),
    ]
    canonical = {"Ana Lopez": "Ana Lopez", "Lopez": "Ana Lopez", "Tom Berg": "Tom Berg"}
    groups = group_quotes(quotes, lambda q: canonical[q.speaker or ""])
    assert [(g.speaker, g.sources) for g in groups] == [("Ana Lopez", ["a", "b"]), ("Tom Berg", ["b"])]
    assert groups[0].text == "We will rebuild every single school"


def test_timeline_joins_expressions_of_one_fact_and_date() -> None:
    a = make_doc("a", "The ministers met in Geneva on Tuesday to sign the accord.")
    b = make_doc("b", "Ministers met on March 5 in Geneva to sign the accord.")
    a.times = [TimeRef("on Tuesday", "2024-03-05", "a", 0, 40, 50)]
    b.times = [TimeRef("March 5", "2024-03-05", "b", 0, 17, 24)]
    fact = Fact(
        id="F1",
        text="The ministers met in Geneva on Tuesday to sign the accord.",
        sources=["a", "b"],
        independent_sources=2,
        variants=[Variant("a", a.sentences[0].text, "a#0"), Variant("b", b.sentences[0].text, "b#0")],
    )
    (entry,) = build_timeline([a, b], [fact])
    assert entry.date == "2024-03-05"
    assert entry.sources == ["a", "b"]
    assert entry.expressions == ["on Tuesday", "March 5"]
    assert entry.fact_id == "F1"


@dataclass
class _Entities:
    entities: list[Entity] = field(default_factory=list)

    def lookup(self, article_id: str, name: str) -> Entity | None:
        return None


def test_coverage_counts_unique_facts_per_syndication_group() -> None:
    docs = [
        make_doc(i, "Some sentence about the harbour fire in the old port.", title="Harbour fire")
        for i in "abc"
    ]
    story = Story(id="s1", article_ids=["a", "b", "c"], syndication={"a": "a", "b": "a", "c": "c"})
    facts = [
        _fact("F1", "The fire destroyed six warehouses in the old port.", ["a", "b"], independent=1),
        _fact("F2", "Firefighters fought the blaze for nine hours overnight.", ["a", "c"]),
    ]
    brief = compose_brief(story, docs, facts, _Entities())
    assert brief.coverage["a"].unique_facts == ["F1"]
    assert brief.coverage["b"].unique_facts == ["F1"]
    assert brief.coverage["c"].unique_facts == []
    assert brief.coverage["c"].facts == 1
    assert brief.story.independent_count == 2
    assert [a.syndication_group for a in brief.articles] == ["a", "a", "c"]
