"""Re-briefing off the request path: a background thread that finds stories whose brief is missing or stale
(articles joined since, from this server or from any other process such as ``storyweave watch``) and has a
worker process make them again, the stories asked for first, then the most recently changed.

A request never waits for this: pages serve the stored brief marked as updating (or say that the first
brief is being made). The briefs are made in a separate process at a lower CPU priority, because a brief is
seconds of pure-Python work that, in a thread of the server, would hold the interpreter lock against the
requests (measured with bench/serve.py: story list p50 ~500 ms while briefs were made in-process). After
each brief the alert rules are checked on its story (a new contested point).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING

from storyweave.service import brief_from_store
from storyweave.store import Store
from storyweave.watch import alerts

if TYPE_CHECKING:
    from storyweave.server.service import StoreService

log = logging.getLogger("storyweave")

# Seconds between two looks for stale briefs when nobody asked: how soon a story changed by another
# process (a watcher beside the server) is briefed again. One indexed query each time.
SCAN_SECONDS = 2.0
# Stale stories taken per look; the next look takes the next ones.
SCAN_BATCH = 20
# How much lower than the server the re-briefing process runs (os.nice increment).
NICENESS = 10


def _lower_priority() -> None:
    with suppress(OSError):  # not permitted here: run at the same priority
        os.nice(NICENESS)


def rebrief_story(db_path: str, story_id: str, length: int) -> int:
    """Make the story's brief if it is not current, check the alert rules on it; 1 when a brief was made.
    Runs in the worker process: it opens the store itself."""
    with Store.open(Path(db_path), create=False) as store:
        result = brief_from_store(store, [story_id], length=length)
        if result.recomputed:
            alerts.check_rules(store, [story_id])
        return len(result.recomputed)


def stale_story_ids(store: Store, length: int, limit: int = SCAN_BATCH) -> list[str]:
    """Stories without a current brief of ``length`` sentences, the most recently changed first."""
    rows = store.connection.execute(
        "SELECT s.id FROM stories s LEFT JOIN briefs b ON b.story_id = s.id"
        " WHERE b.story_id IS NULL OR b.story_version != s.version OR b.length != ?"
        " ORDER BY s.updated_at DESC, s.id LIMIT ?",
        (length, limit),
    )
    return [str(r[0]) for r in rows]


class Rebriefer:
    """The background thread (started on first use, stopped by :meth:`stop`)."""

    def __init__(self, service: StoreService) -> None:
        self.service = service
        self._asked: dict[str, None] = {}  # stories a request found stale, in order
        self._lock = threading.Condition()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._idle = False  # the last pass found nothing to do
        self._passes = 0
        self._held = threading.Lock()  # held: no brief is made (see hold)
        self._pool: ProcessPoolExecutor | None = None

    def wake(self, story_id: str | None) -> None:
        """Ask for a pass soon (first for ``story_id`` when given)."""
        if self._stopping.is_set():
            return
        with self._lock:
            if story_id is not None:
                self._asked[story_id] = None
            self._idle = False
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="storyweave-rebrief", daemon=True)
                self._thread.start()
        self._wake.set()

    def wait_idle(self, timeout: float) -> bool:
        """Block until a pass finds no stale brief (for tests and benchmarks); False on timeout."""
        self.wake(None)
        with self._lock:
            start = self._passes
            return self._lock.wait_for(lambda: self._idle and self._passes > start, timeout)

    @contextmanager
    def hold(self) -> Iterator[None]:
        """No brief is made while this is held (the one in progress finishes first): for maintenance,
        and for tests that look at what requests get while briefs are stale."""
        with self._held:
            yield

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()
        thread = self._thread
        if thread is not None:
            thread.join(timeout=60)
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def _worker(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("spawn"), initializer=_lower_priority
            )
        return self._pool

    def _loop(self) -> None:
        while not self._stopping.is_set():
            self._wake.wait(SCAN_SECONDS)
            self._wake.clear()
            if self._stopping.is_set():
                break
            try:
                did = self._pass()
            except Exception as err:  # a bad story must not end re-briefing for all of them
                log.warning("background re-briefing failed: %s", err)
                did = 0
            with self._lock:
                self._passes += 1
                self._idle = did == 0 and not self._asked
                self._lock.notify_all()
            if did:
                self._wake.set()  # there may be more: look again at once

    def _pass(self) -> int:
        """Re-brief the asked-for stories and a batch of stale ones; returns how many were made."""
        length = self.service.config.brief_length
        with self._lock:
            asked = list(self._asked)
            self._asked.clear()
        with self.service.reader() as store:
            stale = stale_story_ids(store, length)
            stale_set = set(stale)
        todo = [s for s in asked if s in stale_set] + [s for s in stale if s not in asked]
        made = 0
        db_path = str(self.service.config.db_path)
        for story_id in todo:
            if self._stopping.is_set():
                break
            with self._held:
                made += self._worker().submit(rebrief_story, db_path, story_id, length).result()
        if made:
            self.service.stories_changed()
        return made
