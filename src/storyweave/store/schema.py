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

# The monitoring workspace: full-text search, the watch list and its state, alert rules and alerts.
# Search: one FTS5 table per kind of text, each row keyed by its source row so that triggers keep it in step
# with every write path (add, import, restore, re-brief) without the writers knowing of it. Quotes live in
# the articles' JSON; their rowid is the article's seq * QUOTE_SLOTS + the quote's index.
QUOTE_SLOTS = 4096
_FTS = "tokenize = 'unicode61 remove_diacritics 2'"
_WORKSPACE = (
    f"CREATE VIRTUAL TABLE articles_fts USING fts5 (title, body, {_FTS})",
    f"CREATE VIRTUAL TABLE facts_fts USING fts5 (body, {_FTS})",
    f"CREATE VIRTUAL TABLE quotes_fts USING fts5 (speaker, body, {_FTS})",
    f"""
    CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts (rowid, title, body)
            VALUES (new.seq, coalesce(new.title, ''), coalesce(json_extract(new.article, '$.text'), ''));
        INSERT INTO quotes_fts (rowid, speaker, body)
            SELECT new.seq * {QUOTE_SLOTS} + CAST(q.key AS INTEGER),
                   coalesce(json_extract(q.value, '$.speaker'), ''),
                   coalesce(json_extract(q.value, '$.text'), '')
            FROM json_each(new.quotes) q WHERE CAST(q.key AS INTEGER) < {QUOTE_SLOTS};
    END
    """,
    f"""
    CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        DELETE FROM articles_fts WHERE rowid = old.seq;
        DELETE FROM quotes_fts
            WHERE rowid >= old.seq * {QUOTE_SLOTS} AND rowid < (old.seq + 1) * {QUOTE_SLOTS};
    END
    """,
    """
    CREATE TRIGGER facts_fts_insert AFTER INSERT ON facts BEGIN
        INSERT INTO facts_fts (rowid, body) VALUES (new.rowid, new.text);
    END
    """,
    """
    CREATE TRIGGER facts_fts_delete AFTER DELETE ON facts BEGIN
        DELETE FROM facts_fts WHERE rowid = old.rowid;
    END
    """,
    # What the story list shows and filters on, kept beside the JSON by triggers: an article's lean (from
    # the user's outlet table, on article.extra) and a brief's number of contested points. Reading them out
    # of the JSON cost ~60 ms per page of 50 stories (bench/serve.py).
    "ALTER TABLE articles ADD COLUMN lean TEXT",
    """
    CREATE TRIGGER articles_lean AFTER INSERT ON articles BEGIN
        UPDATE articles SET lean = json_extract(new.article, '$.extra.lean') WHERE seq = new.seq;
    END
    """,
    "CREATE TABLE brief_stats (story_id TEXT PRIMARY KEY, contested INTEGER NOT NULL)",
    """
    CREATE TRIGGER brief_stats_insert AFTER INSERT ON briefs BEGIN
        INSERT OR REPLACE INTO brief_stats (story_id, contested)
            VALUES (new.story_id, coalesce(json_array_length(new.brief, '$.disagreements'), 0));
    END
    """,
    """
    CREATE TRIGGER brief_stats_update AFTER UPDATE OF brief ON briefs BEGIN
        INSERT OR REPLACE INTO brief_stats (story_id, contested)
            VALUES (new.story_id, coalesce(json_array_length(new.brief, '$.disagreements'), 0));
    END
    """,
    """
    CREATE TRIGGER brief_stats_delete AFTER DELETE ON briefs BEGIN
        DELETE FROM brief_stats WHERE story_id = old.story_id;
    END
    """,
    # Sources `storyweave watch` polls: what it last saw (validators, file offsets) and how it is faring.
    """
    CREATE TABLE watch_sources (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        target TEXT NOT NULL UNIQUE,
        every_seconds INTEGER NOT NULL,
        etag TEXT,
        last_modified TEXT,
        position INTEGER NOT NULL DEFAULT 0,
        failures INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        last_checked TEXT,
        last_ok TEXT,
        next_due REAL NOT NULL DEFAULT 0,
        added INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
    )
    """,
    # What each source has already given (a feed entry's link or id, a file's name): never read twice.
    """
    CREATE TABLE watch_seen (
        source_id INTEGER NOT NULL REFERENCES watch_sources (id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        seen_at TEXT NOT NULL,
        PRIMARY KEY (source_id, key)
    )
    """,
    """
    CREATE TABLE alert_rules (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        value TEXT NOT NULL,
        threshold INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (kind, value, threshold)
    )
    """,
    # Per rule and story, the figure the rule last fired at (so a rule fires once per change, not per poll).
    """
    CREATE TABLE alert_marks (
        rule_id INTEGER NOT NULL REFERENCES alert_rules (id) ON DELETE CASCADE,
        story_id TEXT NOT NULL,
        value INTEGER NOT NULL,
        PRIMARY KEY (rule_id, story_id)
    )
    """,
    """
    CREATE TABLE alerts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        rule_id INTEGER,
        story_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        message TEXT NOT NULL,
        payload TEXT NOT NULL,
        created_at TEXT NOT NULL
    )
    """,
    # Named cursors over the alerts: what the UI was last shown, what a watcher last delivered.
    "CREATE TABLE cursors (name TEXT PRIMARY KEY, value INTEGER NOT NULL)",
)


def _fill_search(conn: sqlite3.Connection) -> None:
    conn.execute(
        "INSERT INTO articles_fts (rowid, title, body) SELECT seq, coalesce(title, ''),"
        " coalesce(json_extract(article, '$.text'), '') FROM articles"
    )
    conn.execute(
        "INSERT INTO quotes_fts (rowid, speaker, body)"
        f" SELECT a.seq * {QUOTE_SLOTS} + CAST(q.key AS INTEGER),"
        " coalesce(json_extract(q.value, '$.speaker'), ''), coalesce(json_extract(q.value, '$.text'), '')"
        f" FROM articles a, json_each(a.quotes) q WHERE CAST(q.key AS INTEGER) < {QUOTE_SLOTS}"
    )
    conn.execute("INSERT INTO facts_fts (rowid, body) SELECT rowid, text FROM facts")
    conn.execute("UPDATE articles SET lean = json_extract(article, '$.extra.lean')")
    conn.execute(
        "INSERT INTO brief_stats (story_id, contested)"
        " SELECT story_id, coalesce(json_array_length(brief, '$.disagreements'), 0) FROM briefs"
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
    Migration(4, "workspace: full-text search, watch list, alerts", _WORKSPACE, _fill_search),
    Migration(5, "story aliases, merge/split log, syndication signatures", _STORY_CHANGES),
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
