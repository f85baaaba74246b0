"""Where the stages run: in this process (``storyweave.pipeline``) or on a Dask distributed cluster.

The Dask engine (:mod:`storyweave.engine.dask_engine`) maps the same per-article and per-story functions the
local pipeline calls over partitions of the inputs, and does the order-sensitive steps (de-duplication,
story grouping, storing) on the client, so the same inputs give the same stories and briefs either way.
Dask is an optional dependency (``pip install 'storyweave[dask]'``); this module imports it only when a
cluster is asked for, and imports no stage, so the command line can read its options cheaply.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from distributed import Client

__all__ = ["SCHEDULER_ENV", "EngineUnavailable", "connect", "wanted"]

SCHEDULER_ENV = "STORYWEAVE_SCHEDULER"
"""Environment variable naming the scheduler address, as ``--scheduler`` does."""

CONNECT_TIMEOUT = "20s"
"""How long to keep trying to reach a remote scheduler before giving up with one clear error."""


class EngineUnavailable(RuntimeError):
    """Dask is not installed, or the cluster cannot be reached."""


def wanted(scheduler: str | None, workers: int | None) -> bool:
    """Whether a command should run on Dask: an address, a worker count, or STORYWEAVE_SCHEDULER set."""
    return bool(scheduler or workers or os.environ.get(SCHEDULER_ENV))


@contextmanager
def connect(
    scheduler: str | None = None, workers: int | None = None, timeout: str | None = None
) -> Iterator[Client]:
    """A Dask client: to ``scheduler`` (or ``$STORYWEAVE_SCHEDULER``) when given, else to a new local
    cluster of ``workers`` single-threaded processes on loopback (one per core by default)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as err:  # the optional extra is missing
        raise EngineUnavailable(
            "the Dask engine needs the optional dependencies: pip install 'storyweave[dask]'"
        ) from err
    address = scheduler or os.environ.get(SCHEDULER_ENV)
    if address:
        try:
            client = Client(address, timeout=timeout or CONNECT_TIMEOUT)
        except (OSError, TimeoutError) as err:
            raise EngineUnavailable(f"cannot reach the Dask scheduler at {address}: {err}") from err
        try:
            _register_warm_up(client)
            yield client
        finally:
            client.close()
        return
    count = workers or os.cpu_count() or 1
    with (
        LocalCluster(
            n_workers=count,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=":0",  # any free loopback port: never clash with another cluster
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,
    ):
        _register_warm_up(client)
        yield client


def _register_warm_up(client: Client) -> None:
    from storyweave.engine.worker import WarmUp

    client.register_plugin(WarmUp(), name=WarmUp.name)
