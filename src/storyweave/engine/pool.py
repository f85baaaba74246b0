"""The local multi-process engine: ``storyweave brief --processes N`` (N >= 2) runs the map passes of
:mod:`storyweave.engine.partitioned` on a pool of N worker processes of this machine, with no Dask.

Each worker parses with one spaCy process: the whole per-article and per-story work is split, not only the
parse (spaCy's own ``n_process`` leaves the analysis after the parse, the grouping and every brief in the
parent process, so two of them cannot halve the wall time). On Linux the pool forks after this process
has loaded the models, so workers start with them (copy-on-write) and load nothing per task.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from storyweave import thresholds
from storyweave.engine import tasks
from storyweave.engine.partitioned import in_partition_order, run_partitioned
from storyweave.model import Article
from storyweave.pipeline import Progress, WeaveResult, no_progress


def _start_worker() -> None:
    """A pool worker's start: its spaCy runs in this one process (never a nested pool), models loaded."""
    from storyweave.analyse import PROCESSES_ENV

    os.environ[PROCESSES_ENV] = "1"
    tasks.warm_up()


def _mapper(executor: Executor) -> Callable[..., list[Any]]:
    def map_partitions(
        func: Callable[..., Any], parts: Sequence[Sequence[Any]], tick: Callable[[], None], *args: Any
    ) -> list[Any]:
        futures: dict[Future[Any], int] = {
            executor.submit(func, part, *args): i for i, part in enumerate(parts)
        }
        return in_partition_order(((futures[f], f.result()) for f in as_completed(futures)), parts, tick)

    return map_partitions


def run_processes(
    inputs: Iterable[str | Path | Article],
    processes: int,
    *,
    length: int = thresholds.SUMMARY_SENTENCES,
    progress: Progress = no_progress,
    include: Sequence[str] | None = None,
    allow_private: bool = False,
    strict: bool = False,
) -> WeaveResult:
    """:func:`storyweave.pipeline.run` on ``processes`` local worker processes: the same stories and
    briefs for the same inputs."""
    fork = sys.platform == "linux"  # fork is the safe default there; elsewhere workers start afresh
    if fork:
        tasks.warm_up()  # loaded once here, shared by the forked workers
    context = multiprocessing.get_context("fork" if fork else "spawn")
    with ProcessPoolExecutor(max_workers=processes, mp_context=context, initializer=_start_worker) as pool:
        return run_partitioned(
            inputs,
            _mapper(pool),
            processes,
            length=length,
            progress=progress,
            include=include,
            allow_private=allow_private,
            strict=strict,
        )
