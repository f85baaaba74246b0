"""Assemble the ``storyweave.brief/1`` object of one story from the outputs of the earlier stages."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Protocol

from storyweave import thresholds
from storyweave.compose.framing import outlet_framing
from storyweave.compose.quotes import group_quotes
from storyweave.compose.summary import (
    choose_headline,
    choose_summary,
    choose_variant,
    clean_headline,
    present,
    rank_facts,
    story_furniture,
)
from storyweave.compose.timeline import build_timeline
from storyweave.model import (
    AnalysedArticle,
    ArticleInfo,
    Brief,
    Coverage,
    Disagreement,
    Entity,
    Fact,
    Quote,
    Story,
    StoryInfo,
)


def respell(text: str, spellings: Sequence[tuple[str, str]]) -> str:
    """``text`` with every suspect spelling (``(suspect, canonical)`` pairs) replaced by the canonical name,
    whole words only: a flagged misspelling is never the form a brief displays."""
    for suspect, canonical in spellings:
        if suspect and suspect != canonical:
            text = re.sub(rf"(?<!\w){re.escape(suspect)}(?!\w)", canonical, text)
    return text


class EntityLookup(Protocol):
    """What composition needs from entity reconciliation."""

    entities: list[Entity]

    def lookup(self, article_id: str, name: str) -> Entity | None: ...


def coverage_of(story: Story, facts: Sequence[Fact]) -> dict[str, Coverage]:
    """Per article: how many facts it supports and which facts only its syndication group reports."""
    result: dict[str, Coverage] = {a: Coverage(facts=0, unique_facts=[]) for a in story.article_ids}
    for fact in facts:
        groups = {story.group_of(s) for s in fact.sources}
        for source in fact.sources:
            result[source].facts += 1
            if len(groups) == 1:
                result[source].unique_facts.append(fact.id)
    return result


def _seen(docs: Sequence[AnalysedArticle]) -> tuple[str | None, str | None]:
    dates = [d.article.published for d in docs if d.article.published and not d.article.published_estimated]
    if not dates:
        dates = [d.article.published for d in docs if d.article.published]
    return (min(dates), max(dates)) if dates else (None, None)


def shown_facts(
    facts: Sequence[Fact], entities: EntityLookup, docs: Sequence[AnalysedArticle]
) -> tuple[list[Fact], list[str], list[tuple[str, str]]]:
    """The facts as a brief shows them, the story's suspect spellings, and (suspect, name) respellings.

    A fact reads in its cleanest wording: no suspect spelling when another source avoids it (and, when
    none does, the suspect spelling replaced by the entity's name), no headline or caption glued to it.
    """
    suspect_spellings = [s.text for e in entities.entities for s in e.suspect_aliases]
    # longest first, so that "Kim Jung Un" is replaced before a shorter suspect inside it
    respellings = sorted(
        ((s.text, e.name) for e in entities.entities for s in e.suspect_aliases),
        key=lambda pair: -len(pair[0]),
    )
    furniture = story_furniture(docs)
    shown = [
        replace(f, text=respell(choose_variant(f, suspect_spellings, furniture), respellings)) for f in facts
    ]
    return shown, suspect_spellings, respellings


def compose_brief(
    story: Story,
    docs: Sequence[AnalysedArticle],
    facts: Sequence[Fact],
    entities: EntityLookup,
    disagreements: Sequence[Disagreement] = (),
    length: int = thresholds.SUMMARY_SENTENCES,
    max_words: int | None = None,
) -> Brief:
    """The brief of one story. ``docs`` are the story's analysed articles, ``facts`` its aligned facts.

    Facts come out ranked (independent support, centrality, lead position, recency: see
    :func:`~storyweave.compose.summary.rank_facts`), each in its cleanest wording; the summary holds up to
    ``length`` sentences and, when ``max_words`` is given, about that many words."""
    facts, suspect_spellings, respellings = shown_facts(facts, entities, docs)

    def speaker(quote: Quote) -> str | None:
        if not quote.speaker:
            return None
        entity = entities.lookup(quote.article_id, quote.speaker)
        return entity.name if entity else quote.speaker

    facts = [r.fact for r in rank_facts(facts, docs, story)]
    first_seen, last_seen = _seen(docs)
    ordered = sorted(docs, key=lambda d: d.article.id)
    outlets = [d.article.outlet for d in ordered if d.article.outlet]
    summary = choose_summary(
        facts, length=length, avoid=suspect_spellings, docs=docs, story=story, max_words=max_words
    )
    summary = [replace(s, text=respell(s.text, respellings)) for s in summary]
    headlines = {d.article.id: clean_headline(d.article.title or "", outlets) for d in ordered}
    return Brief(
        story=StoryInfo(
            id=story.id,
            headline=choose_headline([d.article.title or "" for d in ordered], facts, outlets),
            first_seen=first_seen,
            last_seen=last_seen,
            article_count=len(story.article_ids),
            independent_count=story.independent(story.article_ids),
        ),
        articles=[
            ArticleInfo(
                id=d.article.id,
                outlet=d.article.outlet,
                url=d.article.url,
                title=d.article.title,
                published=d.article.published,
                language=d.article.language,
                syndication_group=story.group_of(d.article.id),
                word_count=d.article.word_count,
                removed=list(d.article.removed),
                published_estimated=d.article.published_estimated,
                sentences=list(d.sentences),
                lean=_lean(d),
                analysis="reduced" if d.article.extra.get("analysis") == "reduced" else "full",
            )
            for d in ordered
        ],
        summary=summary,
        facts=list(facts),
        disagreements=list(disagreements),
        quotes=group_quotes([q for d in ordered for q in d.quotes], speaker),
        # an event that is no fact's sentence reads cleaned like the facts (no dateline or kicker)
        timeline=[
            e if e.fact_id else replace(e, event=respell(present(e.event), respellings))
            for e in build_timeline(ordered, facts)
        ],
        entities=list(entities.entities),
        coverage=coverage_of(story, facts),
        framing=outlet_framing(story, ordered, facts, headlines),
    )


def _lean(doc: AnalysedArticle) -> str | None:
    """The outlet's lean as the user's outlet table set it on the article; never guessed."""
    lean = doc.article.extra.get("lean")
    return str(lean).strip() or None if lean is not None else None
