"""The one place that knows the order of the stages: inputs in, briefs out."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from storyweave import thresholds
from storyweave.align import align_facts
from storyweave.analyse import analyse_articles, resolve_times
from storyweave.clean import clean_article
from storyweave.compose import compose_brief
from storyweave.group import group_stories, syndication_groups
from storyweave.ingest import read_inputs, with_url_outlet
from storyweave.ingest.safety import safe_article
from storyweave.model import AnalysedArticle, Article, Brief, Fact, InputError, Story
from storyweave.reconcile.disagreements import find_disagreements
from storyweave.reconcile.entities import EntityIndex, reconcile_entities
from storyweave.reconcile.publication import estimate_publication

log = logging.getLogger("storyweave")

# Logged with every unexpected exception of a stage: such a failure is a bug met on one input, not bad input.
STRICT_HINT = "this looks like a bug in storyweave, not bad input: rerun with --strict for the traceback"

Progress = Callable[[str, int], Callable[[], None]]
"""A progress factory: called with a stage name and a total, returns the per-item tick."""


@dataclass
class WeaveResult:
    """Briefs made from the inputs that could be read, and an error for each input that could not."""

    briefs: list[Brief] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def no_progress(stage: str, total: int) -> Callable[[], None]:
    return lambda: None


def load_articles(
    inputs: Iterable[str | Path | Article],
    result: WeaveResult,
    *,
    include: Sequence[str] | None = None,
    allow_private: bool = False,
) -> list[Article]:
    """Raw articles from paths, folders, "-", URLs or ready-made Article objects; unreadable inputs go to
    ``result.errors``, exact repeats (same content) and clashing ids to ``result.notices``.

    ``include``: glob patterns for the files taken from folders (default: every known suffix);
    ``allow_private``: let URLs reach loopback and private addresses."""
    articles: list[Article] = []
    paths: list[str | Path] = []
    for item in inputs:
        if isinstance(item, Article):
            try:
                articles.append(safe_article(with_url_outlet(item)))
            except InputError as err:
                result.errors.append(err)
        else:
            paths.append(item)
    for read in read_inputs(paths, include=include, allow_private=allow_private):
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
            article = replace(article, id=f"{article.id}-{n}")  # a copy: never alter the caller's object
        seen_id.add(article.id)
        unique.append(article)
    return unique


def align_story(docs: Sequence[AnalysedArticle], story: Story, entity_index: EntityIndex) -> list[Fact]:
    """The story's facts: its claims aligned with the entity ids and dates of each sentence as slots (the
    entities reconciled across the story, the times resolved)."""
    entities_of: dict[str, set[str]] = {}
    dates_of: dict[str, set[str]] = {}
    for doc in docs:
        for mention in doc.mentions:
            entity = entity_index.lookup(doc.article.id, mention.name)
            if entity is not None:
                entities_of.setdefault(f"{doc.article.id}#{mention.sentence_index}", set()).add(entity.id)
        for ref in doc.times:
            dates_of.setdefault(f"{doc.article.id}#{ref.sentence_index}", set()).add(ref.value)
    return align_facts(
        docs,
        story,
        {k: frozenset(v) for k, v in entities_of.items()},
        {k: frozenset(v) for k, v in dates_of.items()},
    )


def brief_story(
    story: Story,
    docs: Sequence[AnalysedArticle],
    length: int = thresholds.SUMMARY_SENTENCES,
    max_words: int | None = None,
) -> Brief:
    """Run the per-story stages (syndication, dates, times, entities, facts, disagreements, compose).

    ``max_words`` also caps the summary by words (benchmarks compare summaries at one word budget)."""
    story.syndication = syndication_groups(docs)
    docs = [resolve_times(d) for d in estimate_publication(docs)]
    entity_index = reconcile_entities(list(docs), story)
    facts = align_story(docs, story, entity_index)
    by_id = {d.article.id: d for d in docs}
    disagreements = find_disagreements(facts, by_id, story, entity_index)
    return compose_brief(story, docs, facts, entity_index, disagreements, length=length, max_words=max_words)


def run(
    inputs: Iterable[str | Path | Article],
    *,
    length: int = thresholds.SUMMARY_SENTENCES,
    progress: Progress = no_progress,
    include: Sequence[str] | None = None,
    allow_private: bool = False,
    strict: bool = False,
    processes: int | None = None,
) -> WeaveResult:
    """Read, clean, analyse and group the inputs, and brief every story found.

    Inputs are file or folder paths, "-" for standard input, http(s) URLs (pages or feeds), or
    :class:`Article` objects. Bad inputs never stop the batch: each becomes an :class:`InputError` in the
    result. An unexpected exception while cleaning or analysing one article, or briefing one story, also
    costs that item only (an error naming it, and a warning); ``strict`` re-raises it instead.
    ``include`` and ``allow_private`` are as for :func:`load_articles`; ``processes`` forces the spaCy
    process count of a large batch (:func:`storyweave.analyse.process_count`).
    """
    result = WeaveResult()
    raw = load_articles(inputs, result, include=include, allow_private=allow_private)
    docs = prepare_articles(raw, result, progress("analyse", len(raw)), strict=strict, processes=processes)
    by_id = {d.article.id: d for d in docs}
    stories = stories_of(docs)
    tick = progress("brief", len(stories))
    for story in stories:
        made = guarded_brief(story, [by_id[a] for a in story.article_ids], length, strict)
        if isinstance(made, InputError):
            result.errors.append(made)
        else:
            result.briefs.append(made)
        tick()
    return result


def stories_of(docs: Sequence[AnalysedArticle]) -> list[Story]:
    """The stories of a batch of analysed articles (every engine groups through this one call). Times
    are resolved as `add` resolves them, so that the grouper reads the same dates (its "when")."""
    return group_stories([resolve_times(d) for d in docs])


def prepare_articles(
    raw: Sequence[Article],
    result: WeaveResult,
    on_article: Callable[[], None] | None = None,
    *,
    strict: bool = False,
    processes: int | None = None,
) -> list[AnalysedArticle]:
    """The per-article stages of a batch: clean, then analyse what is left (an article with no text left,
    or one a stage fails on, goes to ``result.errors``). The Dask engine maps this over partitions."""
    tick = on_article or (lambda: None)
    kept: list[Article] = []
    for article in raw:
        try:
            cleaned = clean_article(article)
        except Exception as err:
            result.errors.append(unexpected(err, article_name(article), "cleaned", strict))
            tick()
            continue
        if cleaned.text.strip():
            kept.append(cleaned)
        else:
            reason = cleaned.refused or "no article text left after cleaning"
            result.errors.append(InputError(article_name(article), reason))
            tick()
    return _analyse_guarded(kept, result, tick, strict, processes)


def guarded_brief(
    story: Story, docs: Sequence[AnalysedArticle], length: int, strict: bool = False
) -> Brief | InputError:
    """The story's brief, or one error naming its first articles when a per-story stage fails on it."""
    try:
        return brief_story(story, docs, length)
    except Exception as err:
        names = ", ".join(article_name(d.article) for d in docs[:3])
        more = f" and {len(docs) - 3} more" if len(docs) > 3 else ""
        return unexpected(err, f"story of {names}{more}", "briefed", strict)


def article_name(article: Article) -> str:
    """How an error names an article: its source, with its id when the source holds several articles
    (a feed, a JSON export)."""
    if article.source and article.id not in article.source:
        return f"{article.source} [{article.id}]"
    return article.source or article.id


def unexpected(err: Exception, name: str, stage: str, strict: bool) -> InputError:
    """The one-line error for an unexpected exception of a stage on one input, logged as a warning with
    a hint (the traceback at DEBUG); re-raised instead when ``strict``."""
    if strict:
        raise err
    log.warning("%s: unexpected %s; %s", name, type(err).__name__, STRICT_HINT)
    log.debug("%s could not be %s", name, stage, exc_info=err)
    detail = " ".join(str(err).split())[:200]
    return InputError(name, f"could not be {stage} ({type(err).__name__}: {detail})")


def _analyse_guarded(
    articles: list[Article],
    result: WeaveResult,
    tick: Callable[[], None],
    strict: bool,
    processes: int | None = None,
) -> list[AnalysedArticle]:
    """All articles analysed in one batch; when the batch fails, each article alone, so that the one that
    fails costs itself only."""
    try:
        return analyse_articles(articles, on_article=tick, processes=processes)
    except Exception:
        if strict:
            raise
    docs: list[AnalysedArticle] = []
    for article in articles:
        try:
            docs.extend(analyse_articles([article]))
        except Exception as err:
            result.errors.append(unexpected(err, article_name(article), "analysed", strict))
    return docs


def weave(
    inputs: Iterable[str | Path | Article],
    *,
    length: int = thresholds.SUMMARY_SENTENCES,
    include: Sequence[str] | None = None,
    allow_private: bool = False,
    strict: bool = False,
) -> list[Brief]:
    """One brief per story found in the inputs (unreadable inputs are logged as warnings and skipped)."""
    result = run(inputs, length=length, include=include, allow_private=allow_private, strict=strict)
    for problem in [*map(str, result.errors), *result.notices]:
        log.warning("%s", problem)
    return result.briefs


def analyse_one(article: Article, *, strict: bool = False) -> AnalysedArticle | InputError:
    """Clean and analyse one raw article (times resolved against its own date), or say why it cannot be.

    A failure inside a stage costs this article only: a batch of thousands must not stop on one bad input.
    Unexpected exceptions are logged as warnings with a hint; ``strict`` re-raises them.
    """
    return analyse_many([article], strict=strict)[0]


def analyse_many(articles: Sequence[Article], *, strict: bool = False) -> list[AnalysedArticle | InputError]:
    """What :func:`analyse_one` gives each article, in input order, with the spaCy work of all of them in
    one stream (`add` analyses a few articles at a time through this: one parse call per article left
    spaCy's batches a paragraph or two long). When the batch fails, each article is analysed alone, so
    the one that fails costs itself only."""
    out: list[AnalysedArticle | InputError | None] = [None] * len(articles)
    kept: list[tuple[int, Article]] = []
    for k, raw in enumerate(articles):
        name = raw.source or raw.id
        try:
            article = safe_article(with_url_outlet(raw))
        except InputError as err:
            out[k] = err
            continue
        try:
            cleaned = clean_article(article)
        except Exception as err:
            out[k] = unexpected(err, article_name(article), "analysed", strict)
            continue
        if cleaned.text.strip():
            kept.append((k, cleaned))
        else:
            out[k] = InputError(name, cleaned.refused or "no article text left after cleaning")
    docs: list[AnalysedArticle] | None = None
    try:
        docs = analyse_articles([cleaned for _, cleaned in kept]) if len(kept) > 1 else None
    except Exception:
        if strict:
            raise
    for n, (k, cleaned) in enumerate(kept):
        try:
            doc = docs[n] if docs is not None else analyse_articles([cleaned])[0]
            out[k] = resolve_times(doc)
        except Exception as err:
            out[k] = unexpected(err, article_name(cleaned), "analysed", strict)
    return [item for item in out if item is not None]
