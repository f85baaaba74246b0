"""What runs on the Dask workers: the warm-up plugin, and the partition tasks (:mod:`.tasks`, shared with
the local process pool)."""

from __future__ import annotations

from distributed.diagnostics.plugin import WorkerPlugin

from storyweave.engine.tasks import analyse_batch, brief_partition, prepare_partition, read_partition, warm_up

__all__ = ["WarmUp", "analyse_batch", "brief_partition", "prepare_partition", "read_partition"]


class WarmUp(WorkerPlugin):  # type: ignore[misc]
    """Loads the analysis models once, when each worker process starts, not in a task."""

    name = "storyweave-warm-up"

    def setup(self, worker: object) -> None:
        warm_up()
