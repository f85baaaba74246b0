"""The model: dict round trips, and the shipped JSON Schema speaking the same vocabulary."""

from __future__ import annotations

from storyweave.model import (
    CORROBORATIONS,
    DISAGREEMENT_KINDS,
    REMOVAL_REASONS,
    AnalysedArticle,
    Article,
    Mention,
    Removal,
    Sentence,
    Story,
)
from storyweave.render import load_schema


def test_schema_enums_match_the_model() -> None:
    defs = load_schema()["$defs"]
    found = {
        tuple(prop["enum"])
        for definition in defs.values()
        for prop in definition.get("properties", {}).values()
        if isinstance(prop, dict) and "enum" in prop
    }
    assert tuple(REMOVAL_REASONS) in found
    assert tuple(DISAGREEMENT_KINDS) in found
    assert tuple(CORROBORATIONS) in found


def test_analysed_article_round_trips_through_dicts() -> None:
    article = Article(
        id="x1",
        raw_text="Title\n\nBody text.",
        text="Body text.",
        title="Title",
        removed=[Removal(text="Advertisement", reason="advertising", line=3)],
        extra={"author": "A. Writer"},
    )
    doc = AnalysedArticle(
        article=article,
        sentences=[Sentence(id="x1#0", article_id="x1", index=0, text="Body text.", start=0, end=10)],
        mentions=[Mention("Oslo's", "Oslo", "GPE", "x1", 0, 0, 6)],
    )
    again = AnalysedArticle.from_dict(doc.to_dict())
    assert again == doc
    assert isinstance(again.article.removed[0], Removal)
    assert again.article.word_count == 2


def test_unknown_keys_are_ignored_and_independence_counts_groups() -> None:
    story = Story.from_dict({"id": "s", "article_ids": ["a", "b", "c"], "future_field": 1})
    story.syndication = {"a": "a", "b": "a"}
    assert story.independent(["a", "b", "c"]) == 2
    assert story.group_of("c") == "c"
