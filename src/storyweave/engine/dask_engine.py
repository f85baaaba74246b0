"""The Dask engine: the pipeline's stages as map steps over partitions, on a local or remote cluster.

``brief``: the client lists the inputs; workers read partitions of them; the client drops repeats and
renames clashing ids exactly as the local pipeline does; workers clean and analyse partitions of the
articles; the client groups the analysed articles into stories with the same grouper (its cost per article
is flat, so this is no all-pairs step); workers brief partitions of the stories; the client writes.
``add``: workers analyse, the client groups and stores each article in input order, so the store is the
one ``storyweave add`` would have made. Models load once per worker process (a worker plugin warms the
analysis up when the worker starts; each task then finds the cached model).
"""

from __future__ import annotations

import logging
import math
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from storyweave import thresholds
from storyweave.ingest import expand_inputs, read_inputs
from storyweave.model import AnalysedArticle, Article, InputError
from storyweave.pipeline import Progress, WeaveResult, load_articles, no_progress, stories_of

if TYPE_CHECKING:
    from distributed import Client, Future

log = logging.getLogger("storyweave")

# Tasks per worker in a pass: enough that a slow partition does not leave the other workers idle at the
# end of a pass, few enough that each task's overhead (a few ms) stays far below its work.
PARTITIONS_PER_WORKER = 4
MAX_PARTITION = 64  # articles (or inputs, or stories) per task at most
ADD_BATCH = 4  # articles per analysis task in `add`
ADD_WINDOW_PER_WORKER = 4  # analysis tasks in flight per worker in `add`

T = TypeVar("T")
R = TypeVar("R")


def _partitions(items: Sequence[T], workers: int) -> list[list[T]]:
    """``items`` cut into consecutive partitions, about PARTITIONS_PER_WORKER per worker."""
    if not items:
        return []
    size = min(MAX_PARTITION, max(1, math.ceil(len(items) / (max(1, workers) * PARTITIONS_PER_WORKER))))
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def _worker_count(client: Client) -> int:
    return max(1, len(client.scheduler_info().get("workers", {})))


def _map_partitions(
    client: Client,
    func: Callable[..., R],
    parts: Sequence[Sequence[Any]],
    tick: Callable[[], None],
    *args: Any,
) -> list[R]:
    """``func(part, *args)`` for every partition on the cluster, results in partition order; ``tick`` is
    called once per item of each partition as it finishes."""
    from distributed import as_completed

    futures = client.map(func, parts, *[[a] * len(parts) for a in args], pure=False)
    index = {f.key: i for i, f in enumerate(futures)}
    results: list[Any] = [None] * len(futures)
    for future in as_completed(futures):
        i = index[future.key]
        results[i] = future.result()
        for _ in parts[i]:
            tick()
    return results


# --------------------------------------------------------------------------------------------------
# The two commands


def run_distributed(
    inputs: Iterable[str | Path | Article],
    client: Client,
    *,
    length: int = thresholds.SUMMARY_SENTENCES,
    progress: Progress = no_progress,
    include: Sequence[str] | None = None,
    allow_private: bool = False,
    strict: bool = False,
) -> WeaveResult:
    """:func:`storyweave.pipeline.run` on a Dask cluster: the same stories and briefs for the same inputs.

    With ``strict``, an unexpected exception in a task is raised here, as the local engine raises it."""
    from storyweave.engine import worker

    result = WeaveResult()
    workers = _worker_count(client)
    items = list(inputs)
    objects = [i for i in items if isinstance(i, Article)]
    names = expand_inputs([i for i in items if not isinstance(i, Article)], include)
    # standard input can only be read here; every other input is read on the workers
    remote = [n for n in names if n != "-"]
    per_part = _map_partitions(
        client,
        worker.read_partition,
        _partitions(remote, workers),
        progress("read", len(remote)),
        allow_private,
    )
    per_name = iter([one for part in per_part for one in part])
    read: list[Article | InputError] = []
    for name in names:  # the inputs' order, as the local pipeline reads them
        read.extend(read_inputs(["-"], allow_private=allow_private) if name == "-" else next(per_name))
    result.errors = [r for r in read if isinstance(r, InputError)]
    raw = load_articles([*objects, *(r for r in read if isinstance(r, Article))], result)
    prepared = _map_partitions(
        client,
        worker.prepare_partition,
        _partitions(raw, workers),
        progress("analyse", len(raw)),
        strict,
    )
    docs = [d for part_docs, _ in prepared for d in part_docs]
    result.errors.extend(e for _, part_errors in prepared for e in part_errors)
    by_id = {d.article.id: d for d in docs}
    stories = stories_of(docs)
    jobs = [(story, [by_id[a] for a in story.article_ids]) for story in stories]
    briefed = _map_partitions(
        client,
        worker.brief_partition,
        _partitions(jobs, workers),
        progress("brief", len(jobs)),
        length,
        strict,
    )
    for made in (b for part in briefed for b in part):
        if isinstance(made, InputError):
            result.errors.append(made)
        else:
            result.briefs.append(made)
    return result


def cluster_analyser(
    client: Client, strict: bool = False
) -> Callable[[Iterable[Article]], Iterator[AnalysedArticle | InputError]]:
    """An analyser for :func:`storyweave.service.add_to_store` that runs on the cluster: small batches
    of articles in flight on every worker, results handed back in input order."""
    from storyweave.engine.worker import analyse_batch

    window = _worker_count(client) * ADD_WINDOW_PER_WORKER

    def analyse(articles: Iterable[Article]) -> Iterator[AnalysedArticle | InputError]:
        pending: deque[Future[list[AnalysedArticle | InputError]]] = deque()
        batch: list[Article] = []
        for article in articles:
            batch.append(article)
            if len(batch) >= ADD_BATCH:
                pending.append(client.submit(analyse_batch, batch, strict, pure=False))
                batch = []
            while len(pending) >= window:
                yield from pending.popleft().result()
        if batch:
            pending.append(client.submit(analyse_batch, batch, strict, pure=False))
        while pending:
            yield from pending.popleft().result()

    return analyse
