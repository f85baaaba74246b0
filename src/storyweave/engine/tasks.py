"""The partition tasks every multi-process engine runs (Dask workers, the local process pool): module-level
functions over one partition, so they pickle by reference (workers import storyweave, they are not sent
its code). Nothing here imports Dask."""

from __future__ import annotations

from storyweave.ingest import read_inputs
from storyweave.model import AnalysedArticle, Article, Brief, InputError, Story
from storyweave.pipeline import WeaveResult, analyse_many, guarded_brief, prepare_articles


def warm_up() -> None:
    """Load the analysis models into this process once (a worker's start-up), not in a task."""
    from storyweave.analyse import analyse_articles

    analyse_articles([Article(id="warm-up", raw_text="Warm-up.", text="The model is loaded once.")])


def read_partition(names: list[str], allow_private: bool) -> list[list[Article | InputError]]:
    """Each input's articles (or errors), one list per input name."""
    return [list(read_inputs([name], allow_private=allow_private)) for name in names]


def prepare_partition(raw: list[Article], strict: bool) -> tuple[list[AnalysedArticle], list[InputError]]:
    """Cleaned and analysed articles of a partition, and the errors of the others."""
    part = WeaveResult()
    docs = prepare_articles(raw, part, strict=strict)
    return docs, part.errors


def brief_partition(
    items: list[tuple[Story, list[AnalysedArticle]]], length: int, strict: bool
) -> list[Brief | InputError]:
    """A brief (or the error of a story a stage failed on) for each (story, its analysed articles)."""
    return [guarded_brief(story, docs, length, strict) for story, docs in items]


def analyse_batch(articles: list[Article], strict: bool) -> list[AnalysedArticle | InputError]:
    """``storyweave add``'s per-article work (clean, analyse, resolve times) for a few articles, parsed in
    one spaCy stream."""
    return analyse_many(articles, strict=strict)
