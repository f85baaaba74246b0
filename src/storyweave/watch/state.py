"""What the watcher and the alerts keep in the store: the watch list with each source's validators, offsets
and failures, what each source has given already, alert rules, fired alerts and named cursors over them.

Everything a restart needs lives here (tables of the workspace migration), so a watcher that is stopped
and started again neither re-reads nor re-adds anything.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from storyweave.store import Store

SOURCE_COLUMNS = (
    "id, kind, target, every_seconds, etag, last_modified, position, failures, last_error, last_checked,"
    " last_ok, next_due, added, created_at"
)


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class WatchSource:
    """One watched source as stored."""

    id: int
    kind: str  # "url" (a feed or a page), "folder" (new files), "jsonl" (appended lines)
    target: str
    every_seconds: int
    etag: str | None
    last_modified: str | None
    position: int  # bytes of a JSON-lines file already read
    failures: int  # failed polls in a row
    last_error: str | None
    last_checked: str | None
    last_ok: str | None
    next_due: float  # epoch seconds
    added: int  # articles added from it so far
    created_at: str

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def add_source(store: Store, kind: str, target: str, every_seconds: int) -> WatchSource:
    """Put a source on the watch list (or change how often an already listed one is polled)."""
    conn = store.connection
    with store.write():
        conn.execute(
            "INSERT INTO watch_sources (kind, target, every_seconds, created_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (target) DO UPDATE SET every_seconds = excluded.every_seconds",
            (kind, target, every_seconds, now_iso()),
        )
        row = conn.execute(
            f"SELECT {SOURCE_COLUMNS} FROM watch_sources WHERE target = ?", (target,)
        ).fetchone()
    return WatchSource(*row)


def remove_source(store: Store, source_id: int) -> bool:
    with store.write():
        cursor = store.connection.execute("DELETE FROM watch_sources WHERE id = ?", (source_id,))
    return cursor.rowcount > 0


def list_sources(store: Store) -> list[WatchSource]:
    rows = store.connection.execute(f"SELECT {SOURCE_COLUMNS} FROM watch_sources ORDER BY id")
    return [WatchSource(*r) for r in rows]


def get_source(store: Store, source_id: int) -> WatchSource | None:
    row = store.connection.execute(
        f"SELECT {SOURCE_COLUMNS} FROM watch_sources WHERE id = ?", (source_id,)
    ).fetchone()
    return WatchSource(*row) if row is not None else None


def is_seen(store: Store, source_id: int, key: str) -> bool:
    row = store.connection.execute(
        "SELECT 1 FROM watch_seen WHERE source_id = ? AND key = ?", (source_id, key)
    ).fetchone()
    return row is not None


def mark_seen(store: Store, source_id: int, keys: list[str]) -> None:
    """Record keys as given by the source (call inside a write transaction)."""
    stamp = now_iso()
    store.connection.executemany(
        "INSERT OR IGNORE INTO watch_seen (source_id, key, seen_at) VALUES (?, ?, ?)",
        [(source_id, k, stamp) for k in keys],
    )


def record_poll(
    store: Store,
    source: WatchSource,
    *,
    error: str | None,
    next_due: float,
    etag: str | None = None,
    last_modified: str | None = None,
    position: int | None = None,
    added: int = 0,
) -> None:
    """A poll's outcome: on success the validators and offset move on and the failures reset; on failure
    only the failure count, the error and the next due time change (call inside a write transaction)."""
    stamp = now_iso()
    conn = store.connection
    if error is None:
        conn.execute(
            "UPDATE watch_sources SET etag = ?, last_modified = ?, position = ?, failures = 0,"
            " last_error = NULL, last_checked = ?, last_ok = ?, next_due = ?, added = added + ? WHERE id = ?",
            (
                etag,
                last_modified,
                source.position if position is None else position,
                stamp,
                stamp,
                next_due,
                added,
                source.id,
            ),
        )
    else:
        conn.execute(
            "UPDATE watch_sources SET failures = failures + 1, last_error = ?, last_checked = ?, next_due = ?"
            " WHERE id = ?",
            (error[:500], stamp, next_due, source.id),
        )


# -- alerts ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleRow:
    id: int
    kind: str
    value: str
    threshold: int


@dataclass(frozen=True)
class AlertRow:
    """A fired alert as stored: the rule's kind, the story and a one-line message; ``payload`` is what the
    JSON-lines output and the webhook carry."""

    id: int
    rule_id: int | None
    story_id: str
    kind: str
    message: str
    payload: dict[str, Any]
    created_at: str


def add_rule(store: Store, kind: str, value: str, threshold: int) -> RuleRow:
    conn = store.connection
    with store.write():
        conn.execute(
            "INSERT OR IGNORE INTO alert_rules (kind, value, threshold, created_at) VALUES (?, ?, ?, ?)",
            (kind, value, threshold, now_iso()),
        )
        row = conn.execute(
            "SELECT id, kind, value, threshold FROM alert_rules"
            " WHERE kind = ? AND value = ? AND threshold = ?",
            (kind, value, threshold),
        ).fetchone()
    return RuleRow(*row)


def remove_rule(store: Store, rule_id: int) -> bool:
    with store.write():
        cursor = store.connection.execute("DELETE FROM alert_rules WHERE id = ?", (rule_id,))
    return cursor.rowcount > 0


def list_rules(store: Store) -> list[RuleRow]:
    rows = store.connection.execute("SELECT id, kind, value, threshold FROM alert_rules ORDER BY id")
    return [RuleRow(*r) for r in rows]


def mark_of(store: Store, rule_id: int, story_id: str) -> int | None:
    row = store.connection.execute(
        "SELECT value FROM alert_marks WHERE rule_id = ? AND story_id = ?", (rule_id, story_id)
    ).fetchone()
    return int(row[0]) if row is not None else None


def set_mark(store: Store, rule_id: int, story_id: str, value: int) -> None:
    store.connection.execute(
        "INSERT INTO alert_marks (rule_id, story_id, value) VALUES (?, ?, ?)"
        " ON CONFLICT (rule_id, story_id) DO UPDATE SET value = excluded.value",
        (rule_id, story_id, value),
    )


def insert_alert(
    store: Store, rule_id: int | None, story_id: str, kind: str, message: str, payload: dict[str, Any]
) -> int:
    cursor = store.connection.execute(
        "INSERT INTO alerts (rule_id, story_id, kind, message, payload, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (rule_id, story_id, kind, message, json.dumps(payload, ensure_ascii=False), now_iso()),
    )
    return int(cursor.lastrowid or 0)


def alerts_after(store: Store, after: int, limit: int = 200) -> list[AlertRow]:
    """Alerts with an id above ``after``, oldest first."""
    rows = store.connection.execute(
        "SELECT id, rule_id, story_id, kind, message, payload, created_at FROM alerts WHERE id > ?"
        " ORDER BY id LIMIT ?",
        (after, limit),
    )
    return [AlertRow(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]), r[6]) for r in rows]


def recent_alerts(store: Store, limit: int = 50) -> list[AlertRow]:
    rows = store.connection.execute(
        "SELECT id, rule_id, story_id, kind, message, payload, created_at FROM alerts ORDER BY id DESC"
        " LIMIT ?",
        (limit,),
    )
    return [AlertRow(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]), r[6]) for r in rows]


def cursor(store: Store, name: str) -> int:
    row = store.connection.execute("SELECT value FROM cursors WHERE name = ?", (name,)).fetchone()
    return int(row[0]) if row is not None else 0


def set_cursor(store: Store, name: str, value: int) -> None:
    with store.write():
        store.connection.execute(
            "INSERT INTO cursors (name, value) VALUES (?, ?)"
            " ON CONFLICT (name) DO UPDATE SET value = max(cursors.value, excluded.value)",
            (name, value),
        )


def last_alert_id(store: Store) -> int:
    return int(store.connection.execute("SELECT coalesce(max(id), 0) FROM alerts").fetchone()[0])
