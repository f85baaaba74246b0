"""The SQLite schema of a storyweave store, its version, and the migrations that bring old stores up to it.

A store records its schema version in SQLite's ``user_version`` and marks itself as a storyweave file with
``application_id``. Migrations are ordered steps; each runs inside one write transaction together with the
version bump, so a store is always at exactly one version even if a process dies half-way.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass

# "SWv1" as a 32-bit integer: lets `open` tell a storyweave store from some other SQLite file.
APPLICATION_ID = 0x53577631


@dataclass(frozen=True)
class Migration:
    """One step from ``version - 1`` to ``version``: SQL statements, then an optional data fix-up."""

    version: int
    description: str
    statements: Sequence[str]
    fixup: Callable[[sqlite3.Connection], None] | None = None


# Version 1. JSON columns hold the model's dataclasses (``to_dict``); the scalar columns beside them are the
# fields commands filter and sort on.
_V1 = (
    # Every article with each per-article stage's output. `seq` only grows (AUTOINCREMENT never reuses a
    # value): it is the order articles were committed, which the online grouper replays.
    """
    CREATE TABLE articles (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        content_hash TEXT NOT NULL UNIQUE,
        story_id TEXT NOT NULL,
        source TEXT,
        title TEXT,
        outlet TEXT,
        url TEXT,
        published TEXT,
        language TEXT,
        word_count INTEGER NOT NULL,
        added_at TEXT NOT NULL,
        article TEXT NOT NULL,
        sentences TEXT NOT NULL,
        mentions TEXT NOT NULL,
        quotes TEXT NOT NULL,
        times TEXT NOT NULL
    )
    """,
    "CREATE INDEX articles_by_story ON articles (story_id, seq)",
    # One row per story. `version` is bumped whenever the story's articles change; a brief remembers the
    # version it was made from, so a stale brief is one whose version is behind.
    """
    CREATE TABLE stories (
        id TEXT PRIMARY KEY,
        headline TEXT NOT NULL,
        article_count INTEGER NOT NULL,
        independent_count INTEGER NOT NULL,
        first_seen TEXT,
        last_seen TEXT,
        syndication TEXT NOT NULL,
        version INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE briefs (
        story_id TEXT PRIMARY KEY REFERENCES stories (id) ON DELETE CASCADE,
        story_version INTEGER NOT NULL,
        length INTEGER NOT NULL,
        brief TEXT NOT NULL,
        created_at TEXT NOT NULL
    )
    """,
    # The per-story stages' output, unpacked from the brief so it can be queried with SQL.
    """
    CREATE TABLE facts (
        story_id TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        text TEXT NOT NULL,
        independent_sources INTEGER NOT NULL,
        fact TEXT NOT NULL,
        PRIMARY KEY (story_id, id)
    )
    """,
    """
    CREATE TABLE entities (
        story_id TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        type TEXT NOT NULL,
        entity TEXT NOT NULL,
        PRIMARY KEY (story_id, id)
    )
    """,
    "CREATE INDEX entities_by_name ON entities (name)",
    # A snapshot of the online grouper, valid for the articles with seq <= upto_seq; later ones are replayed.
    """
    CREATE TABLE grouper (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        upto_seq INTEGER NOT NULL,
        state TEXT NOT NULL,
        saved_at TEXT NOT NULL
    )
    """,
)

# Version 2. A brief's headline as a column: listing stories read it out of every brief's JSON before
# (about 280 ms at 1,000 stories, measured by bench/serve.py).
_V2 = ("ALTER TABLE briefs ADD COLUMN headline TEXT NOT NULL DEFAULT ''",)


def _fill_brief_headlines(conn: sqlite3.Connection) -> None:
    conn.execute("UPDATE briefs SET headline = coalesce(json_extract(brief, '$.story.headline'), '')")


# Next version. The typed slots analysis produces (model.Claim, Quantity, RoleMention), one JSON list per
# article like the other analysis columns. Articles stored before have none ('[]') until re-added.
_SLOTS = (
    "ALTER TABLE articles ADD COLUMN claims TEXT NOT NULL DEFAULT '[]'",
    "ALTER TABLE articles ADD COLUMN quantities TEXT NOT NULL DEFAULT '[]'",
    "ALTER TABLE articles ADD COLUMN roles TEXT NOT NULL DEFAULT '[]'",
)

# Story changes and incremental syndication (group/online.py, group/syndication.py). "IF NOT EXISTS": the
# step is self-contained and safe to run again on a store whose version was set back.
_STORY_CHANGES = (
    # A story merged into another keeps answering to its id: alias -> the story it now belongs to.
    """
    CREATE TABLE IF NOT EXISTS story_aliases (
        alias TEXT PRIMARY KEY,
        story_id TEXT NOT NULL,
        created_at TEXT NOT NULL
    )
    """,
    "CREATE INDEX IF NOT EXISTS story_aliases_by_story ON story_aliases (story_id)",
    # The log of merges (other_id folded into story_id) and splits (article_ids left story_id for other_id).
    """
    CREATE TABLE IF NOT EXISTS story_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL CHECK (kind IN ('merge', 'split')),
        story_id TEXT NOT NULL,
        other_id TEXT NOT NULL,
        article_ids TEXT NOT NULL,
        at TEXT NOT NULL
    )
    """,
    "CREATE INDEX IF NOT EXISTS story_events_by_story ON story_events (story_id)",
    "CREATE INDEX IF NOT EXISTS story_events_by_other ON story_events (other_id)",
    # Each article's syndication signature, computed once: word-shingle and character-gram MinHashes
    # (little-endian uint64 arrays) and its sentences' hashes; the LSH band keys and the sentence hashes
    # are also rows, so a new article finds its candidate copies by index lookups.
    """
    CREATE TABLE IF NOT EXISTS syndication_signatures (
        article_id TEXT PRIMARY KEY,
        story_id TEXT NOT NULL,
        words BLOB NOT NULL,
        chars BLOB NOT NULL,
        sentences BLOB NOT NULL
    )
    """,
    "CREATE INDEX IF NOT EXISTS syndication_signatures_by_story ON syndication_signatures (story_id)",
    """
    CREATE TABLE IF NOT EXISTS syndication_keys (
        story_id TEXT NOT NULL,
        key INTEGER NOT NULL,
        article_id TEXT NOT NULL
    )
    """,
    "CREATE INDEX IF NOT EXISTS syndication_keys_lookup ON syndication_keys (story_id, key)",
    "CREATE INDEX IF NOT EXISTS syndication_keys_by_article ON syndication_keys (article_id)",
)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "articles, stories, briefs, facts, entities, grouper", _V1),
    Migration(2, "briefs.headline", _V2, _fill_brief_headlines),
    Migration(3, "articles.claims, quantities, roles (typed slots)", _SLOTS),
    Migration(4, "story aliases, merge/split log, syndication signatures", _STORY_CHANGES),
)

SCHEMA_VERSION = MIGRATIONS[-1].version


class SchemaError(Exception):
    """The file is not a storyweave store, or one this version cannot read."""


def current_version(conn: sqlite3.Connection) -> int:
    """The schema version recorded in the store (0 for a new, empty file)."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def check_application(conn: sqlite3.Connection) -> None:
    """Raise SchemaError unless the file is empty or marked as a storyweave store."""
    app = int(conn.execute("PRAGMA application_id").fetchone()[0])
    if app == APPLICATION_ID:
        return
    tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    if app != 0 or tables:
        raise SchemaError("not a storyweave store (another application's SQLite database)")


def migrate(conn: sqlite3.Connection, migrations: Sequence[Migration] = MIGRATIONS) -> int:
    """Bring the store up to the newest version in ``migrations``; returns the version it ends at.

    The connection must be in autocommit mode (``isolation_level=None``). All pending steps run in one
    ``BEGIN IMMEDIATE`` transaction, so two processes opening a new store at once cannot both migrate it.
    """
    target = migrations[-1].version if migrations else 0
    if current_version(conn) == target:
        check_application(conn)
        return target
    conn.execute("BEGIN IMMEDIATE")
    try:
        check_application(conn)
        version = current_version(conn)  # re-read under the write lock: another process may have migrated
        if version > target:
            raise SchemaError(
                f"store has schema version {version}, newer than this storyweave supports ({target})"
            )
        for step in migrations:
            if step.version <= version:
                continue
            for statement in step.statements:
                conn.execute(statement)
            if step.fixup is not None:
                step.fixup(conn)
            version = step.version
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {version}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return version
