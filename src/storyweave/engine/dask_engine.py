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
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from storyweave import thresholds
from storyweave.engine.partitioned import in_partition_order, run_partitioned
from storyweave.model import AnalysedArticle, Article, InputError
from storyweave.pipeline import Progress, WeaveResult, no_progress

if TYPE_CHECKING:
    from distributed import Client, Future

log = logging.getLogger("storyweave")

ADD_BATCH = 4  # articles per analysis task in `add`
ADD_WINDOW_PER_WORKER = 4  # analysis tasks in flight per worker in `add`

R = TypeVar("R")


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
    return in_partition_order(((index[f.key], f.result()) for f in as_completed(futures)), parts, tick)


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

    def map_partitions(
        func: Callable[..., Any], parts: Sequence[Sequence[Any]], tick: Callable[[], None], *args: Any
    ) -> list[Any]:
        return _map_partitions(client, func, parts, tick, *args)

    return run_partitioned(
        inputs,
        map_partitions,
        _worker_count(client),
        length=length,
        progress=progress,
        include=include,
        allow_private=allow_private,
        strict=strict,
    )


def cluster_analyser(
    client: Client, strict: bool = False
) -> Callable[[Iterable[Article]], Iterator[AnalysedArticle | InputError]]:
    """An analyser for :func:`storyweave.service.add_to_store` that runs on the cluster: small batches
    of articles in flight on every worker, results handed back in input order."""
    from storyweave.engine.tasks import analyse_batch

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
