"""``brief`` as map passes over partitions, for any engine that can run a function on partitions in other
processes (a Dask cluster, the local process pool): workers read partitions of the inputs; this process
drops repeats and renames clashing ids exactly as the local pipeline does; workers clean and analyse
partitions of the articles; this process groups them into stories with the one grouper (its cost per
article is flat, so this is no all-pairs step); workers brief partitions of the stories. The same inputs
give the same stories and briefs as :func:`storyweave.pipeline.run`."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol, TypeVar

from storyweave import thresholds
from storyweave.engine import tasks
from storyweave.ingest import expand_inputs, read_inputs
from storyweave.model import Article, InputError
from storyweave.pipeline import Progress, WeaveResult, load_articles, no_progress, stories_of

# Tasks per worker in a pass: enough that a slow partition does not leave the other workers idle at the
# end of a pass, few enough that each task's overhead (a few ms) stays far below its work.
PARTITIONS_PER_WORKER = 4
MAX_PARTITION = 64  # articles (or inputs, or stories) per task at most

T = TypeVar("T")


class PartitionMapper(Protocol):
    """Runs ``func(part, *args)`` for every partition in worker processes and returns the results in
    partition order, calling ``tick`` once per item of each partition as it finishes."""

    def __call__(
        self, func: Callable[..., Any], parts: Sequence[Sequence[Any]], tick: Callable[[], None], *args: Any
    ) -> list[Any]: ...


def in_partition_order(
    finished: Iterable[tuple[int, Any]], parts: Sequence[Sequence[Any]], tick: Callable[[], None]
) -> list[Any]:
    """The results of ``finished`` (partition index, result), as tasks complete, put in partition order;
    ``tick`` once per item of each partition as its result arrives. Shared by the engines' mappers."""
    results: list[Any] = [None] * len(parts)
    for i, result in finished:
        results[i] = result
        for _ in parts[i]:
            tick()
    return results


def partitions(items: Sequence[T], workers: int) -> list[list[T]]:
    """``items`` cut into consecutive partitions, about PARTITIONS_PER_WORKER per worker."""
    if not items:
        return []
    size = min(MAX_PARTITION, max(1, math.ceil(len(items) / (max(1, workers) * PARTITIONS_PER_WORKER))))
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def run_partitioned(
    inputs: Iterable[str | Path | Article],
    map_partitions: PartitionMapper,
    workers: int,
    *,
    length: int = thresholds.SUMMARY_SENTENCES,
    progress: Progress = no_progress,
    include: Sequence[str] | None = None,
    allow_private: bool = False,
    strict: bool = False,
) -> WeaveResult:
    """:func:`storyweave.pipeline.run` with its per-input, per-article and per-story work mapped over
    partitions by ``map_partitions`` on ``workers`` processes."""
    result = WeaveResult()
    items = list(inputs)
    objects = [i for i in items if isinstance(i, Article)]
    names = expand_inputs([i for i in items if not isinstance(i, Article)], include)
    # standard input can only be read here; every other input is read on the workers
    remote = [n for n in names if n != "-"]
    per_part = map_partitions(
        tasks.read_partition, partitions(remote, workers), progress("read", len(remote)), allow_private
    )
    per_name = iter([one for part in per_part for one in part])
    read: list[Article | InputError] = []
    for name in names:  # the inputs' order, as the local pipeline reads them
        read.extend(read_inputs(["-"], allow_private=allow_private) if name == "-" else next(per_name))
    result.errors = [r for r in read if isinstance(r, InputError)]
    raw = load_articles([*objects, *(r for r in read if isinstance(r, Article))], result)
    prepared = map_partitions(
        tasks.prepare_partition, partitions(raw, workers), progress("analyse", len(raw)), strict
    )
    docs = [d for part_docs, _ in prepared for d in part_docs]
    result.errors.extend(e for _, part_errors in prepared for e in part_errors)
    by_id = {d.article.id: d for d in docs}
    stories = stories_of(docs)
    jobs = [(story, [by_id[a] for a in story.article_ids]) for story in stories]
    briefed = map_partitions(
        tasks.brief_partition, partitions(jobs, workers), progress("brief", len(jobs)), length, strict
    )
    for made in (b for part in briefed for b in part):
        if isinstance(made, InputError):
            result.errors.append(made)
        else:
            result.briefs.append(made)
    return result
