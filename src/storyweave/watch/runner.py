"""The watch loop: poll every due source, add what is new through the store service, check the alert rules
on the stories that changed, deliver the alerts, sleep until the next source is due; stop on request.

Each source is polled on its own schedule. A source that fails waits twice as long after each failure in a
row (up to MAX_BACKOFF) and is reported; the others go on. Articles are added first and their keys marked
as seen after, so a crash in between re-reads them on the next start and the store refuses them as already
stored: nothing is ever added twice.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from storyweave.model import Article, InputError
from storyweave.outlets import OutletTable
from storyweave.service import Added, AddOutcome, add_to_store, brief_from_store
from storyweave.store import Store
from storyweave.watch import alerts, state
from storyweave.watch.sources import normalise_target, poll, source_kind

DEFAULT_EVERY = 15 * 60
MIN_EVERY = 1
MAX_BACKOFF = 6 * 3600
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$", re.I)
_COMMENT = re.compile(r"(?:^|\s)#.*$")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_every(text: str) -> int:
    """Seconds in ``90``, ``30s``, ``15m``, ``2h`` or ``1d``; raises ValueError otherwise."""
    found = _DURATION.match(text)
    if not found:
        raise ValueError(f"{text!r}: not a duration (write e.g. 30s, 15m, 2h)")
    seconds = int(float(found.group(1)) * _UNITS[found.group(2).lower()])
    if seconds < MIN_EVERY:
        raise ValueError(f"{text!r}: at least {MIN_EVERY} s")
    return seconds


def read_sources_file(path: str | Path) -> list[tuple[str, int | None]]:
    """``(target, every)`` per line of a sources file: ``TARGET [EVERY]``; ``#`` starts a comment."""
    found: list[tuple[str, int | None]] = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        text = _COMMENT.sub("", line).strip()  # " # ..." ends a line; a URL's "#fragment" stays
        if not text or text.startswith("#"):
            continue
        parts = text.split()
        try:
            every = parse_every(parts[1]) if len(parts) > 1 else None
        except ValueError as err:
            raise ValueError(f"{path}:{number}: {err}") from None
        found.append((parts[0], every))
    return found


@dataclass
class WatchOptions:
    """How the watcher polls, adds and alerts."""

    allow_private: bool = False
    outlets: OutletTable | None = None
    alerts_out: TextIO | None = None
    webhook: str | None = None
    brief: bool = False
    timeout: float = 15.0
    max_backoff: float = MAX_BACKOFF


@dataclass
class RoundReport:
    """What one round of polls did."""

    polled: int = 0
    added: int = 0
    stories: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    alerts: int = 0


class Watcher:
    """Polls the watch list of one store (see the module docstring); ``stop`` ends :meth:`run` cleanly."""

    def __init__(
        self, db: str | Path, options: WatchOptions | None = None, say: Callable[[str], None] | None = None
    ) -> None:
        self.db = Path(db)
        self.options = options or WatchOptions()
        self.say = say or (lambda _line: None)
        self.stop = threading.Event()

    def add_sources(
        self, targets: list[tuple[str, int | None]], default_every: int
    ) -> list[state.WatchSource]:
        """Put sources on the store's watch list; raises SourceError for a name that cannot be watched."""
        checked = [(source_kind(t), normalise_target(t), every or default_every) for t, every in targets]
        with Store.open(self.db) as store:
            return [state.add_source(store, kind, target, every) for kind, target, every in checked]

    def poll_due(self, now: float | None = None) -> RoundReport:
        """Poll every source that is due, one after another, unless asked to stop."""
        report = RoundReport()
        now = time.time() if now is None else now
        with Store.open(self.db) as store:
            for source in state.list_sources(store):
                if self.stop.is_set():
                    break
                if source.next_due > now:
                    continue
                report.polled += 1
                self._poll_one(store, source, report, now)
            changed = list(dict.fromkeys(report.stories))
            if changed and self.options.brief:
                brief_from_store(store, changed)
            report.alerts = len(alerts.check_rules(store, changed))
            _delivered, errors = alerts.deliver(
                store,
                out=self.options.alerts_out,
                webhook=self.options.webhook,
                allow_private=self.options.allow_private,
            )
            for error in errors:
                self.say(f"alert delivery failed: {error} (retried next round)")
        return report

    def _poll_one(self, store: Store, source: state.WatchSource, report: RoundReport, started: float) -> None:
        try:
            polled = poll(
                source.kind,
                source.target,
                seen=lambda key: state.is_seen(store, source.id, key),
                etag=source.etag,
                last_modified=source.last_modified,
                position=source.position,
                allow_private=self.options.allow_private,
                timeout=self.options.timeout,
            )
        except InputError as err:
            wait = min(source.every_seconds * 2 ** min(source.failures + 1, 20), self.options.max_backoff)
            with store.write():
                state.record_poll(store, source, error=err.reason, next_due=started + wait)
            report.failed.append(source.target)
            self.say(f"{source.target}: failed ({err.reason}); next try in {wait:g} s")
            return
        articles = [self._named(a) for a, _key in polled.articles]
        outcomes: list[AddOutcome] = []
        if articles:
            add_to_store(articles, store, on_outcome=outcomes.append)
        added = [o for o in outcomes if isinstance(o, Added)]
        for problem in [*polled.errors, *(str(o) for o in outcomes if isinstance(o, InputError))]:
            self.say(f"{source.target}: {problem}")
        with store.write():
            state.mark_seen(store, source.id, [*polled.seen, *(key for _a, key in polled.articles)])
            state.record_poll(
                store,
                source,
                error=None,
                next_due=started + source.every_seconds,
                etag=polled.etag,
                last_modified=polled.last_modified,
                position=polled.position,
                added=len(added),
            )
        report.added += len(added)
        report.stories.extend(a.story_id for a in added)
        if added:
            stories = sorted({a.story_id for a in added})
            self.say(f"{source.target}: added {len(added)} article(s) to {', '.join(stories)}")

    def _named(self, article: Article) -> Article:
        table = self.options.outlets
        return table.annotate(article) if table is not None else article

    def next_wait(self, now: float | None = None) -> float:
        """Seconds until the next source is due (0 when one is due; 60 with an empty watch list)."""
        now = time.time() if now is None else now
        with Store.open(self.db) as store:
            dues = [s.next_due for s in state.list_sources(store)]
        return max(0.0, min(dues) - now) if dues else 60.0

    def run(self, rounds: int | None = None) -> int:
        """Poll until :attr:`stop` is set (or ``rounds`` rounds have run); returns the articles added."""
        total, done = 0, 0
        while not self.stop.is_set() and (rounds is None or done < rounds):
            report = self.poll_due()
            total += report.added
            done += 1
            if rounds is not None and done >= rounds:
                break
            self.stop.wait(min(self.next_wait(), 60.0))
        return total
