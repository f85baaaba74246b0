"""The one place that knows the order of the stages: inputs in, briefs out."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from storyweave import thresholds
from storyweave.align import align_facts
from storyweave.analyse import analyse_articles, resolve_times
from storyweave.clean import clean_article
from storyweave.compose import compose_brief
from storyweave.group import group_stories, syndication_groups
from storyweave.ingest import read_inputs
from storyweave.model import AnalysedArticle, Article, Brief, InputError, Story
from storyweave.reconcile.disagreements import find_disagreements
from storyweave.reconcile.entities import reconcile_entities
from storyweave.reconcile.publication import estimate_publication

log = logging.getLogger("storyweave")

Progress = Callable[[str, int], Callable[[], None]]
"""A progress factory: called with a stage name and a total, returns the per-item tick."""


@dataclass
class WeaveResult:
    """Briefs made from the inputs that could be read, and an error for each input that could not."""

    briefs: list[Brief] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def _no_progress(stage: str, total: int) -> Callable[[], None]:
    return lambda: None


def load_articles(inputs: Iterable[str | Path | Article], result: WeaveResult) -> list[Article]:
    """Raw articles from paths, folders, "-" or ready-made Article objects; unreadable inputs go to
    ``result.errors``, exact repeats (same content) and clashing ids to ``result.notices``."""
    articles: list[Article] = []
    paths: list[str | Path] = []
    for item in inputs:
        if isinstance(item, Article):
            articles.append(item)
        else:
            paths.append(item)
    for read in read_inputs(paths):
        if isinstance(read, InputError):
            result.errors.append(read)
        else:
            articles.append(read)
    seen_hash: dict[str, str] = {}
    seen_id: set[str] = set()
    unique: list[Article] = []
    for article in articles:
        digest = article.content_hash
        if digest in seen_hash:
            result.notices.append(
                f"{article.source or article.id}: same content as {seen_hash[digest]}, skipped"
            )
            continue
        seen_hash[digest] = article.source or article.id
        if article.id in seen_id:
            n = 2
            while f"{article.id}-{n}" in seen_id:
                n += 1
            result.notices.append(
                f"{article.source or article.id}: id {article.id!r} taken, using {article.id}-{n}"
            )
            article.id = f"{article.id}-{n}"
        seen_id.add(article.id)
        unique.append(article)
    return unique


def brief_story(
    story: Story, docs: Sequence[AnalysedArticle], length: int = thresholds.SUMMARY_SENTENCES
) -> Brief:
    """Run the per-story stages (syndication, dates, times, entities, facts, disagreements, compose)."""
    story.syndication = syndication_groups(docs)
    docs = [resolve_times(d) for d in estimate_publication(docs)]
    entity_index = reconcile_entities(list(docs), story)
    entities_of: dict[str, set[str]] = {}
    for doc in docs:
        for mention in doc.mentions:
            entity = entity_index.lookup(doc.article.id, mention.name)
            if entity is not None:
                entities_of.setdefault(f"{doc.article.id}#{mention.sentence_index}", set()).add(entity.id)
    dates_of: dict[str, set[str]] = {}
    for doc in docs:
        for ref in doc.times:
            dates_of.setdefault(f"{doc.article.id}#{ref.sentence_index}", set()).add(ref.value)
    facts = align_facts(
        docs,
        story,
        {k: frozenset(v) for k, v in entities_of.items()},
        {k: frozenset(v) for k, v in dates_of.items()},
    )
    by_id = {d.article.id: d for d in docs}
    disagreements = find_disagreements(facts, by_id, story)
    return compose_brief(story, docs, facts, entity_index, disagreements, length=length)


def run(
    inputs: Iterable[str | Path | Article],
    *,
    length: int = thresholds.SUMMARY_SENTENCES,
    progress: Progress = _no_progress,
) -> WeaveResult:
    """Read, clean, analyse and group the inputs, and brief every story found.

    Inputs are file or folder paths, "-" for standard input, or :class:`Article` objects. Bad inputs never
    stop the batch: each becomes an :class:`InputError` in the result.
    """
    result = WeaveResult()
    raw = load_articles(inputs, result)
    cleaned = [clean_article(a) for a in raw]
    kept: list[Article] = []
    for article in cleaned:
        if article.text.strip():
            kept.append(article)
        else:
            result.errors.append(
                InputError(article.source or article.id, "no article text left after cleaning")
            )
    docs = analyse_articles(kept, on_article=progress("analyse", len(kept)))
    by_id = {d.article.id: d for d in docs}
    stories = group_stories(docs)
    tick = progress("brief", len(stories))
    for story in stories:
        result.briefs.append(brief_story(story, [by_id[a] for a in story.article_ids], length))
        tick()
    return result


def weave(
    inputs: Iterable[str | Path | Article], *, length: int = thresholds.SUMMARY_SENTENCES
) -> list[Brief]:
    """One brief per story found in the inputs (unreadable inputs are logged as warnings and skipped)."""
    result = run(inputs, length=length)
    for problem in [*map(str, result.errors), *result.notices]:
        log.warning("%s", problem)
    return result.briefs
