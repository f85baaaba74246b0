"""Re-briefing off the request path: a background thread that finds stories whose brief is missing or stale
(articles joined since, from this server or from any other process such as ``storyweave watch``) and has the
pipeline worker make them again, the stories asked for first, then the most recently changed.

A request never waits for this: pages serve the stored brief marked as updating (or say that the first
brief is being made). After each brief the alert rules are checked on its story (a new contested point).
"""

from __future__ import annotations

import logging
import threading
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

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()
        thread = self._thread
        if thread is not None:
            thread.join(timeout=60)

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
        for story_id in todo:
            if self._stopping.is_set():
                break

            def job(store: Store, story_id: str = story_id) -> int:
                result = brief_from_store(store, [story_id], length=length)
                if result.recomputed:
                    alerts.check_rules(store, [story_id])
                return len(result.recomputed)

            made += self.service.run_job(job)
        return made
