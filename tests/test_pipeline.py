"""End to end through the Python API: the invented fixture stories and the bundled sample."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import storyweave
from storyweave.model import Brief
from storyweave.render import brief_to_json, validate_brief


@pytest.fixture(scope="module")
def mixed_result(mixed_dir: Path) -> storyweave.WeaveResult:
    return storyweave.run([mixed_dir])


@pytest.fixture(scope="module")
def sample_brief(sample_dir: Path) -> Brief:
    briefs = storyweave.weave(sorted(sample_dir.glob("*.txt")))
    assert len(briefs) == 1
    return briefs[0]


def test_mixed_inputs_make_two_stories_with_syndication(mixed_result: storyweave.WeaveResult) -> None:
    assert not mixed_result.errors
    by_size = {b.story.article_count: b for b in mixed_result.briefs}
    assert sorted(by_size) == [2, 3]
    quake = by_size[3]
    assert quake.story.independent_count == 2  # the reprint is the wire copy
    groups = {a.id: a.syndication_group for a in quake.articles}
    assert groups["quake_reprint"] == groups["quake_wire"] != groups["quake_local"]
    assert {a.id for a in by_size[2].articles} == {"pension_a", "pension_b"}


def test_facts_count_independent_sources_and_summary_cites(mixed_result: storyweave.WeaveResult) -> None:
    quake = next(b for b in mixed_result.briefs if b.story.article_count == 3)
    emergency = next(f for f in quake.facts if "state of emergency" in f.text)
    assert set(emergency.sources) == {"quake_wire", "quake_reprint", "quake_local"}
    assert emergency.independent_sources == 2
    assert quake.summary and all(s.sources for s in quake.summary)
    fact_ids = {f.id for f in quake.facts}
    assert all(s.fact_id in fact_ids for s in quake.summary)


def test_dates_move_to_metadata_and_relative_days_resolve(mixed_result: storyweave.WeaveResult) -> None:
    quake = next(b for b in mixed_result.briefs if b.story.article_count == 3)
    published = {a.id: (a.published, a.published_estimated) for a in quake.articles}
    assert published["quake_wire"] == ("2024-03-08", False)
    assert published["quake_local"] == ("2024-03-08", False)
    assert published["quake_reprint"] == ("2024-03-08", True)  # estimated from its story
    dates = {e.date for e in quake.timeline}
    assert "2024-03-07" in dates  # "on Thursday" in articles of Friday 8 March 2024
    assert "2024-03-09" in dates  # "on Saturday" (future)


def test_json_matches_schema_and_round_trips(mixed_result: storyweave.WeaveResult) -> None:
    for brief in mixed_result.briefs:
        data = json.loads(brief_to_json(brief))
        validate_brief(data)
        assert Brief.from_dict(data).to_dict() == data


def test_sample_brief_contract(sample_brief: Brief) -> None:
    data = json.loads(brief_to_json(sample_brief))
    validate_brief(data)
    assert data["schema"] == "storyweave.brief/1"
    assert data["story"]["article_count"] == 5
    ids = [a["id"] for a in data["articles"]]
    assert ids == sorted(
        p.stem for p in (Path(__file__).parent.parent / "examples/putin-kim-summit").glob("*.txt")
    )
    assert set(data["coverage"]) == set(ids)


def test_sample_cleaning_is_logged(sample_brief: Brief) -> None:
    articles = {a.id: a for a in sample_brief.articles}
    ndtv = articles["001_7243b470c837dd15"]
    reasons = {r.reason for r in ndtv.removed}
    assert {"navigation", "syndication-note", "off-topic"} <= reasons
    assert ndtv.outlet == "NDTV"
    assert not any("Kamala Harris" in s.text for s in sample_brief.summary)
    dated = articles["004_ed2969d5a148226a"]
    assert dated.published == "2023-09-14" and not dated.published_estimated
    assert {"metadata", "advertising"} <= {r.reason for r in dated.removed}


def test_sample_entities_merge_aliases_and_keep_relatives_apart(sample_brief: Brief) -> None:
    def holding(alias: str) -> list[str]:
        return [e.id for e in sample_brief.entities if any(a.text == alias for a in e.aliases)]

    assert holding("Kim Jong Un") == holding("Kim Jong-un") != []
    assert holding("Kim Jong-il") != holding("Kim Jong Un")
    kim = next(e for e in sample_brief.entities if e.id == holding("Kim Jong Un")[0])
    assert kim.type == "PERSON"
    assert any(s.text == "Kim Jung Un" for s in kim.suspect_aliases)
    assert not any(a.text == "putin" for e in sample_brief.entities for a in e.aliases)


def test_sample_quote_and_timeline(sample_brief: Brief) -> None:
    rifle = [q for q in sample_brief.quotes if "rifle" in q.text]
    assert rifle and rifle[0].speaker == "Dmitry Peskov"
    assert len(rifle[0].sources) >= 3
    assert all("[" not in q.text for q in sample_brief.quotes)
    dates = {e.date for e in sample_brief.timeline}
    assert "2023-09-13" in dates  # the summit, "on Wednesday"
    assert "2000-07" in dates  # Putin's first visit, "in July 2000"


def test_clashing_ids_are_renamed_on_a_copy(mixed_dir: Path) -> None:
    from storyweave.model import Article

    text = (mixed_dir / "pension_a.txt").read_text(encoding="utf-8")
    mine = Article(id="pension_a", raw_text=text.replace("Tuesday", "Tuesday evening"))
    result = storyweave.run([mixed_dir / "pension_a.txt", mine])
    assert mine.id == "pension_a"  # the caller's object is untouched
    ids = {a.id for b in result.briefs for a in b.articles}
    assert {"pension_a", "pension_a-2"} <= ids
    assert any("taken, using pension_a-2" in n for n in result.notices)


def test_an_article_not_in_english_is_marked_as_analysed_in_part() -> None:
    """The reduced path for other languages says so in the brief, in the JSON and in the Markdown."""
    english = (
        "The city council of Lunel voted on Tuesday to close the old harbour bridge to cars. "
        "Mayor Anne Roux said repairs would take two years and cost 4 million euros."
    )
    french = (
        "Le conseil municipal de Lunel a voté mardi la fermeture du vieux pont du port aux voitures. "
        "La maire Anne Roux a déclaré que les travaux dureraient deux ans et coûteraient 4 millions d'euros."
    )
    articles = [
        storyweave.Article(id="en", raw_text=english, outlet="Harbour News"),
        storyweave.Article(id="fr", raw_text=french, outlet="Le Courrier"),
    ]
    briefs = storyweave.weave(articles)
    infos = {a.id: a for b in briefs for a in b.articles}
    assert (infos["en"].analysis, infos["fr"].analysis) == ("full", "reduced")
    assert infos["fr"].language == "fr"
    french_brief = next(b for b in briefs if any(a.id == "fr" for a in b.articles))
    validate_brief(json.loads(brief_to_json(french_brief)))
    from storyweave.render import brief_to_markdown

    assert "not in English (fr): names, numbers and dates only" in brief_to_markdown(french_brief)
