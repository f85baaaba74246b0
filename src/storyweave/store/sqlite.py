"""The SQLite store: every stage's output for every article and story, kept across runs.

I/O only: the store reads and writes the model's dataclasses and knows nothing of the stages; the pipeline
decides what to put in it. Opened in WAL mode (readers never block the writer), with a busy timeout so that
concurrent ``storyweave add`` processes queue for the write lock instead of failing, and synchronous=FULL so
that a committed article survives a crash of the process or of the machine.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from storyweave.model import (
    AnalysedArticle,
    Article,
    Brief,
    Claim,
    Mention,
    Quantity,
    Quote,
    RoleMention,
    Sentence,
    TimeRef,
)
from storyweave.store.schema import SCHEMA_VERSION, SchemaError, current_version, migrate

# Seconds a writer waits for another process's transaction before giving up. An `add` holds the lock for
# one article at a time (milliseconds), so a minute only runs out when something is badly wrong.
BUSY_TIMEOUT = 60.0

EXPORT_FORMAT = "storyweave.store/1"


class StoreError(Exception):
    """The store cannot be opened or used; the message says why in one line."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class StoryRow:
    """A story as listed by ``storyweave stories``."""

    id: str
    headline: str
    article_count: int
    independent_count: int
    first_seen: str | None
    last_seen: str | None
    version: int
    briefed_version: int | None  # story version the stored brief was made from; None when never briefed
    created_at: str
    updated_at: str

    @property
    def brief_current(self) -> bool:
        """True when the stored brief was made from the story's current articles."""
        return self.briefed_version == self.version

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "headline": self.headline,
            "article_count": self.article_count,
            "independent_count": self.independent_count,
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
            "version": self.version,
            "brief_current": self.brief_current,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }


@dataclass(frozen=True)
class Member:
    """The few fields of a story's article that story bookkeeping needs (no analysis)."""

    id: str
    title: str | None
    text: str
    published: str | None
    published_estimated: bool


@dataclass(frozen=True)
class StoryEvent:
    """One entry of the merge/split log: ``merge``: ``other_id`` was folded into ``story_id`` (and is now
    its alias); ``split``: ``article_ids`` left ``story_id`` for the new story ``other_id``."""

    id: int
    kind: str
    story_id: str
    other_id: str
    article_ids: list[str]
    at: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "story_id": self.story_id,
            "other_id": self.other_id,
            "article_ids": self.article_ids,
            "at": self.at,
        }


_EVENT_COLUMNS = "id, kind, story_id, other_id, article_ids, at"


@dataclass(frozen=True)
class StoredBrief:
    """A brief as stored, with the story version and summary length it was made for."""

    story_version: int
    length: int
    brief: Brief


_STORY_COLUMNS = (
    "s.id, coalesce(CASE WHEN b.story_version = s.version AND b.headline != '' THEN b.headline END,"
    " s.headline), s.article_count, s.independent_count, s.first_seen, s.last_seen, s.version,"
    " b.story_version, s.created_at, s.updated_at"
)


def _doc_from_row(row: sqlite3.Row | tuple[Any, ...]) -> AnalysedArticle:
    """Rebuild an analysed article from its JSON columns (``_DOC_COLUMNS``, in that order)."""
    article, sentences, mentions, quotes, times, claims, quantities, roles = row
    return AnalysedArticle(
        article=Article.from_dict(json.loads(article)),
        sentences=[Sentence.from_dict(s) for s in json.loads(sentences)],
        mentions=[Mention.from_dict(m) for m in json.loads(mentions)],
        quotes=[Quote.from_dict(q) for q in json.loads(quotes)],
        times=[TimeRef.from_dict(t) for t in json.loads(times)],
        claims=[Claim.from_dict(c) for c in json.loads(claims)],
        quantities=[Quantity.from_dict(q) for q in json.loads(quantities)],
        roles=[RoleMention.from_dict(r) for r in json.loads(roles)],
    )


_DOC_COLUMNS = "article, sentences, mentions, quotes, times, claims, quantities, roles"
# The same columns with only what story grouping reads: the article, its mentions, times and claims (the
# rest as empty JSON lists).
_GROUPING_COLUMNS = "article, '[]', mentions, '[]', times, claims, '[]', '[]'"


class Store:
    """A storyweave store in one SQLite file. Use :meth:`open`; close it (or use it as a context manager)."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path
        self._in_transaction = False

    # -- opening ------------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, create: bool = True, timeout: float = BUSY_TIMEOUT) -> Store:
        """Open (and with ``create``, make) the store at ``path``, migrating it to the current schema.

        Raises :class:`StoreError` when the file is missing (without ``create``), is not a SQLite database,
        belongs to another application, or was written by a newer storyweave.
        """
        path = Path(path)
        if not create and not path.is_file():
            raise StoreError(f"{path}: no store there (run `storyweave add PATH... --db {path}` first)")
        try:
            conn = sqlite3.connect(path, timeout=timeout, isolation_level=None)
        except sqlite3.Error as err:
            raise StoreError(f"{path}: cannot open ({err})") from None
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise StoreError(f"{path}: cannot use write-ahead logging here (journal mode {mode})")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            migrate(conn)
        except StoreError:
            conn.close()
            raise
        except SchemaError as err:
            conn.close()
            raise StoreError(f"{path}: {err}") from None
        except sqlite3.DatabaseError as err:
            conn.close()
            raise StoreError(f"{path}: not a storyweave store ({err})") from None
        return cls(conn, path)

    @property
    def connection(self) -> sqlite3.Connection:
        """The SQLite connection, for the store's own query modules (search, watch state, alerts)."""
        return self._conn

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return current_version(self._conn)

    def integrity_check(self) -> str:
        """SQLite's own consistency check: "ok" for a healthy file."""
        return str(self._conn.execute("PRAGMA integrity_check").fetchone()[0])

    # -- transactions -------------------------------------------------------------------------------

    @contextmanager
    def write(self) -> Iterator[None]:
        """One write transaction, taken with the write lock up front (BEGIN IMMEDIATE) so that what is read
        inside it cannot be changed by another process before it commits."""
        with self._transaction("BEGIN IMMEDIATE"):
            yield

    @contextmanager
    def read(self) -> Iterator[None]:
        """One consistent snapshot for several reads (writers carry on meanwhile, thanks to WAL)."""
        with self._transaction("BEGIN"):
            yield

    @contextmanager
    def _transaction(self, begin: str) -> Iterator[None]:
        if self._in_transaction:
            raise StoreError("nested store transactions are not supported")
        try:
            self._conn.execute(begin)
        except sqlite3.OperationalError as err:
            raise StoreError(f"{self.path}: {err}") from None
        self._in_transaction = True
        try:
            yield
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        else:
            self._conn.execute("COMMIT")
        finally:
            self._in_transaction = False

    # -- articles -----------------------------------------------------------------------------------

    def duplicate_of(self, article_id: str, content_hash: str) -> tuple[str, str] | None:
        """``(stored id, "content" | "id")`` when an article with this content or this id is stored."""
        row = self._conn.execute("SELECT id FROM articles WHERE content_hash = ?", (content_hash,)).fetchone()
        if row is not None:
            return str(row[0]), "content"
        row = self._conn.execute("SELECT id FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is not None:
            return str(row[0]), "id"
        return None

    def insert_article(
        self, doc: AnalysedArticle, story_id: str, *, seq: int | None = None, added_at: str | None = None
    ) -> int:
        """Store an analysed article as a member of ``story_id``; returns its sequence number."""
        art = doc.article
        cursor = self._conn.execute(
            f"INSERT INTO articles (seq, id, content_hash, story_id, source, title, outlet, url, published,"
            f" language, word_count, added_at, {_DOC_COLUMNS})"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                seq,
                art.id,
                art.content_hash,
                story_id,
                art.source,
                art.title,
                art.outlet,
                art.url,
                art.published,
                art.language,
                art.word_count,
                added_at or _now(),
                _dump(art.to_dict()),
                _dump([s.to_dict() for s in doc.sentences]),
                _dump([m.to_dict() for m in doc.mentions]),
                _dump([q.to_dict() for q in doc.quotes]),
                _dump([t.to_dict() for t in doc.times]),
                _dump([c.to_dict() for c in doc.claims]),
                _dump([q.to_dict() for q in doc.quantities]),
                _dump([r.to_dict() for r in doc.roles]),
            ),
        )
        return int(cursor.lastrowid or 0)

    def last_seq(self) -> int:
        """Sequence number of the newest article (0 in an empty store)."""
        return int(self._conn.execute("SELECT coalesce(max(seq), 0) FROM articles").fetchone()[0])

    def article_count(self) -> int:
        return int(self._conn.execute("SELECT count(*) FROM articles").fetchone()[0])

    def article_ids(self) -> list[str]:
        """Every stored article id, in the order they were added."""
        return [str(r[0]) for r in self._conn.execute("SELECT id FROM articles ORDER BY seq")]

    def article(self, article_id: str) -> AnalysedArticle | None:
        row = self._conn.execute(
            f"SELECT {_DOC_COLUMNS} FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return _doc_from_row(row) if row is not None else None

    def article_story(self, article_id: str) -> str | None:
        """The story an article is stored in (None when it is not stored)."""
        row = self._conn.execute("SELECT story_id FROM articles WHERE id = ?", (article_id,)).fetchone()
        return str(row[0]) if row is not None else None

    def articles_after(
        self, seq: int, *, analysis: bool = True
    ) -> Iterator[tuple[int, str, AnalysedArticle]]:
        """``(seq, story id, article)`` of every article committed after ``seq``, oldest first.

        With ``analysis=False`` only what story grouping reads (the article, its mentions, times and
        claims) is read, at a fraction of the cost; sentences, quotes, quantities and roles stay empty.
        """
        columns = _DOC_COLUMNS if analysis else _GROUPING_COLUMNS
        rows = self._conn.execute(
            f"SELECT seq, story_id, {columns} FROM articles WHERE seq > ? ORDER BY seq", (seq,)
        )
        for row in rows:
            yield int(row[0]), str(row[1]), _doc_from_row(row[2:])

    def story_docs(self, story_id: str) -> list[AnalysedArticle]:
        """The analysed articles of a story (by id or alias), in the order they were added."""
        story_id = self.resolve_story(story_id)
        rows = self._conn.execute(
            f"SELECT {_DOC_COLUMNS} FROM articles WHERE story_id = ? ORDER BY seq", (story_id,)
        )
        return [_doc_from_row(r) for r in rows]

    def story_grouping_docs(self, story_id: str) -> list[AnalysedArticle]:
        """A story's articles with what grouping reads (article, mentions, times), oldest first."""
        rows = self._conn.execute(
            f"SELECT {_GROUPING_COLUMNS} FROM articles WHERE story_id = ? ORDER BY seq",
            (self.resolve_story(story_id),),
        )
        return [_doc_from_row(r) for r in rows]

    def story_titles(self, story_id: str, limit: int) -> list[str | None]:
        """Titles of a story's first ``limit`` articles, oldest first."""
        rows = self._conn.execute(
            "SELECT title FROM articles WHERE story_id = ? ORDER BY seq LIMIT ?", (story_id, limit)
        )
        return [r[0] for r in rows]

    def story_article_ids(self, story_id: str, limit: int) -> list[str]:
        """Ids of a story's first ``limit`` articles, oldest first."""
        rows = self._conn.execute(
            "SELECT id FROM articles WHERE story_id = ? ORDER BY seq LIMIT ?", (story_id, limit)
        )
        return [str(r[0]) for r in rows]

    def story_dates(self, story_id: str) -> tuple[int, str | None, str | None]:
        """Article count and first and last publication dates of a story, stated dates preferred to
        estimated ones."""
        row = self._conn.execute(
            "SELECT count(*),"
            " coalesce(min(CASE WHEN NOT coalesce(json_extract(article, '$.published_estimated'), 0)"
            " THEN published END), min(published)),"
            " coalesce(max(CASE WHEN NOT coalesce(json_extract(article, '$.published_estimated'), 0)"
            " THEN published END), max(published))"
            " FROM articles WHERE story_id = ?",
            (story_id,),
        ).fetchone()
        return int(row[0]), row[1], row[2]

    def article_texts(self, article_ids: Iterable[str]) -> dict[str, str]:
        """Cleaned text of the given articles (those stored)."""
        out: dict[str, str] = {}
        for article_id in article_ids:
            row = self._conn.execute(
                "SELECT json_extract(article, '$.text') FROM articles WHERE id = ?", (article_id,)
            ).fetchone()
            if row is not None:
                out[article_id] = str(row[0] or "")
        return out

    def story_members(self, story_id: str) -> list[Member]:
        """Id, title, cleaned text and date of a story's articles (without the analysis), oldest first."""
        story_id = self.resolve_story(story_id)
        rows = self._conn.execute(
            "SELECT id, title, json_extract(article, '$.text'), published,"
            " json_extract(article, '$.published_estimated') FROM articles WHERE story_id = ? ORDER BY seq",
            (story_id,),
        )
        return [Member(str(r[0]), r[1], str(r[2] or ""), r[3], bool(r[4])) for r in rows]

    # -- stories ------------------------------------------------------------------------------------

    def save_story(
        self,
        story_id: str,
        *,
        headline: str,
        article_count: int,
        independent_count: int,
        first_seen: str | None,
        last_seen: str | None,
        syndication: dict[str, str],
    ) -> int:
        """Create or update a story after its articles changed; returns its new version."""
        now = _now()
        self._conn.execute(
            "INSERT INTO stories (id, headline, article_count, independent_count, first_seen, last_seen,"
            " syndication, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET headline = excluded.headline,"
            " article_count = excluded.article_count, independent_count = excluded.independent_count,"
            " first_seen = excluded.first_seen, last_seen = excluded.last_seen,"
            " syndication = excluded.syndication, version = stories.version + 1,"
            " updated_at = excluded.updated_at",
            (
                story_id,
                headline,
                article_count,
                independent_count,
                first_seen,
                last_seen,
                _dump(syndication),
                now,
                now,
            ),
        )
        return int(self._conn.execute("SELECT version FROM stories WHERE id = ?", (story_id,)).fetchone()[0])

    def resolve_story(self, story_id: str) -> str:
        """The id a story goes by now: itself, or the story it was merged into (its ids stay aliases)."""
        row = self._conn.execute(
            "SELECT story_id FROM story_aliases WHERE alias = ?", (story_id,)
        ).fetchone()
        return str(row[0]) if row is not None else story_id

    def story(self, story_id: str) -> StoryRow | None:
        """A story by its id or by the id of a story merged into it (the row carries the current id)."""
        story_id = self.resolve_story(story_id)
        row = self._conn.execute(
            f"SELECT {_STORY_COLUMNS} FROM stories s LEFT JOIN briefs b ON b.story_id = s.id WHERE s.id = ?",
            (story_id,),
        ).fetchone()
        return StoryRow(*row) if row is not None else None

    def stories(self) -> list[StoryRow]:
        """Every story, the most recent news first (then the biggest)."""
        rows = self._conn.execute(
            f"SELECT {_STORY_COLUMNS} FROM stories s LEFT JOIN briefs b ON b.story_id = s.id"
            " ORDER BY s.last_seen IS NULL, s.last_seen DESC, s.article_count DESC, s.id"
        )
        return [StoryRow(*r) for r in rows]

    def unrecorded_story_ids(self) -> list[str]:
        """Story ids that articles name but that have no story row (e.g. after importing a cut export)."""
        rows = self._conn.execute(
            "SELECT DISTINCT a.story_id FROM articles a LEFT JOIN stories s ON s.id = a.story_id"
            " WHERE s.id IS NULL ORDER BY a.story_id"
        )
        return [str(r[0]) for r in rows]

    def syndication(self, story_id: str) -> dict[str, str]:
        """Article id -> syndication group id within a story, as last computed."""
        story_id = self.resolve_story(story_id)
        row = self._conn.execute("SELECT syndication FROM stories WHERE id = ?", (story_id,)).fetchone()
        return dict(json.loads(row[0])) if row is not None else {}

    # -- briefs -------------------------------------------------------------------------------------

    def brief(self, story_id: str) -> StoredBrief | None:
        story_id = self.resolve_story(story_id)
        row = self._conn.execute(
            "SELECT story_version, length, brief FROM briefs WHERE story_id = ?", (story_id,)
        ).fetchone()
        if row is None:
            return None
        return StoredBrief(int(row[0]), int(row[1]), Brief.from_dict(json.loads(row[2])))

    def save_brief(self, story_id: str, story_version: int, length: int, brief: Brief) -> bool:
        """Store a story's brief and its facts and entities as rows, replacing the stored ones unless those
        were made from a newer version of the story (another process got there first): then returns False.
        """
        newer = self._conn.execute(
            "SELECT 1 FROM briefs WHERE story_id = ? AND story_version > ?", (story_id, story_version)
        ).fetchone()
        if newer is not None:
            return False
        self._conn.execute(
            "INSERT OR REPLACE INTO briefs (story_id, story_version, length, brief, created_at, headline)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (story_id, story_version, length, _dump(brief.to_dict()), _now(), brief.story.headline),
        )
        self._conn.execute("DELETE FROM facts WHERE story_id = ?", (story_id,))
        self._conn.executemany(
            "INSERT INTO facts (story_id, id, text, independent_sources, fact) VALUES (?, ?, ?, ?, ?)",
            [(story_id, f.id, f.text, f.independent_sources, _dump(f.to_dict())) for f in brief.facts],
        )
        self._conn.execute("DELETE FROM entities WHERE story_id = ?", (story_id,))
        self._conn.executemany(
            "INSERT INTO entities (story_id, id, name, type, entity) VALUES (?, ?, ?, ?, ?)",
            [(story_id, e.id, e.name, e.type, _dump(e.to_dict())) for e in brief.entities],
        )
        return True

    # -- story changes: merges, splits, aliases ------------------------------------------------------

    def merge_stories(self, story_id: str, other_id: str, syndication: dict[str, str]) -> None:
        """Fold story ``other_id`` into ``story_id``: its articles move, its row and brief go, its id (and
        its own aliases) become aliases of ``story_id``; logged. ``syndication`` is the merged story's map
        (written when the story is next saved)."""
        self._conn.execute("UPDATE articles SET story_id = ? WHERE story_id = ?", (story_id, other_id))
        for table in ("syndication_signatures", "syndication_keys"):
            self._conn.execute(f"UPDATE {table} SET story_id = ? WHERE story_id = ?", (story_id, other_id))
        self._conn.execute("DELETE FROM stories WHERE id = ?", (other_id,))
        self._conn.execute("UPDATE story_aliases SET story_id = ? WHERE story_id = ?", (story_id, other_id))
        self._conn.execute("DELETE FROM story_aliases WHERE alias = ?", (story_id,))
        self._conn.execute(
            "INSERT OR REPLACE INTO story_aliases (alias, story_id, created_at) VALUES (?, ?, ?)",
            (other_id, story_id, _now()),
        )
        self._conn.execute(
            "UPDATE stories SET syndication = ? WHERE id = ?", (_dump(syndication), story_id)
        )
        self._log_event("merge", story_id, other_id, [])

    def split_story(self, story_id: str, other_id: str, article_ids: list[str]) -> None:
        """Move ``article_ids`` out of ``story_id`` into the new story ``other_id`` (saved by the caller
        with :meth:`save_story`); logged."""
        self._conn.execute("DELETE FROM story_aliases WHERE alias = ?", (other_id,))
        for article_id in article_ids:
            for table, column in (
                ("articles", "id"),
                ("syndication_signatures", "article_id"),
                ("syndication_keys", "article_id"),
            ):
                self._conn.execute(
                    f"UPDATE {table} SET story_id = ? WHERE {column} = ?", (other_id, article_id)
                )
        self._log_event("split", story_id, other_id, article_ids)

    def _log_event(self, kind: str, story_id: str, other_id: str, article_ids: list[str]) -> None:
        self._conn.execute(
            "INSERT INTO story_events (kind, story_id, other_id, article_ids, at) VALUES (?, ?, ?, ?, ?)",
            (kind, story_id, other_id, _dump(sorted(article_ids)), _now()),
        )

    def last_event(self) -> int:
        """Id of the newest merge or split (0 when none): a process holding grouper state reloads it when
        another process changed the stories."""
        return int(self._conn.execute("SELECT coalesce(max(id), 0) FROM story_events").fetchone()[0])

    def story_events(self, story_id: str | None = None) -> list[StoryEvent]:
        """The merge and split log, oldest first; with ``story_id`` (or an alias of it), only the events
        that involve it or a story merged into it."""
        if story_id is None:
            rows = self._conn.execute(f"SELECT {_EVENT_COLUMNS} FROM story_events ORDER BY id")
        else:
            live = self.resolve_story(story_id)
            rows = self._conn.execute(
                f"SELECT {_EVENT_COLUMNS} FROM story_events WHERE story_id = ? OR other_id = ?"
                " OR story_id IN (SELECT alias FROM story_aliases WHERE story_id = ?)"
                " OR other_id IN (SELECT alias FROM story_aliases WHERE story_id = ?) ORDER BY id",
                (live, live, live, live),
            )
        return [StoryEvent(int(r[0]), r[1], r[2], r[3], list(json.loads(r[4])), r[5]) for r in rows]

    def story_aliases(self, story_id: str) -> list[str]:
        """The ids of the stories merged into this one."""
        rows = self._conn.execute(
            "SELECT alias FROM story_aliases WHERE story_id = ? ORDER BY alias", (story_id,)
        )
        return [str(r[0]) for r in rows]

    # -- syndication signatures ---------------------------------------------------------------------

    def save_syndication_signature(
        self, article_id: str, story_id: str, words: bytes, chars: bytes, sentences: bytes, keys: list[int]
    ) -> None:
        """Keep an article's syndication signature and its lookup keys (LSH bands, sentence hashes)."""
        self._conn.execute(
            "INSERT OR REPLACE INTO syndication_signatures (article_id, story_id, words, chars, sentences)"
            " VALUES (?, ?, ?, ?, ?)",
            (article_id, story_id, words, chars, sentences),
        )
        self._conn.execute("DELETE FROM syndication_keys WHERE article_id = ?", (article_id,))
        self._conn.executemany(
            "INSERT INTO syndication_keys (story_id, key, article_id) VALUES (?, ?, ?)",
            [(story_id, k, article_id) for k in dict.fromkeys(keys)],
        )

    def syndication_key_matches(self, story_id: str, keys: list[int]) -> dict[str, int]:
        """Articles of a story sharing lookup keys with the given ones: article id -> keys shared."""
        out: dict[str, int] = {}
        for key in dict.fromkeys(keys):
            rows = self._conn.execute(
                "SELECT article_id FROM syndication_keys WHERE story_id = ? AND key = ?", (story_id, key)
            )
            for (article_id,) in rows:
                out[str(article_id)] = out.get(str(article_id), 0) + 1
        return out

    def syndication_signatures(self, story_id: str) -> dict[str, tuple[bytes, bytes]]:
        """Article id -> (word MinHash, character MinHash) bytes of a story's articles."""
        rows = self._conn.execute(
            "SELECT article_id, words, chars FROM syndication_signatures WHERE story_id = ?", (story_id,)
        )
        return {str(r[0]): (bytes(r[1]), bytes(r[2])) for r in rows}

    def unsigned_articles(self, story_id: str) -> list[tuple[str, str]]:
        """(id, text) of a story's articles without a syndication signature (stored by an older version)."""
        rows = self._conn.execute(
            "SELECT a.id, json_extract(a.article, '$.text') FROM articles a LEFT JOIN"
            " syndication_signatures g ON g.article_id = a.id WHERE a.story_id = ? AND g.article_id IS NULL"
            " ORDER BY a.seq",
            (story_id,),
        )
        return [(str(r[0]), str(r[1] or "")) for r in rows]

    # -- grouper snapshot ---------------------------------------------------------------------------

    def grouper_snapshot(self) -> tuple[int, dict[str, Any]] | None:
        """``(upto_seq, state)`` of the newest saved grouper state, or None."""
        row = self._conn.execute("SELECT upto_seq, state FROM grouper WHERE id = 1").fetchone()
        return (int(row[0]), dict(json.loads(row[1]))) if row is not None else None

    def save_grouper_snapshot(self, upto_seq: int, state: dict[str, Any]) -> bool:
        """Keep ``state`` as the grouper's state after article ``upto_seq`` unless a newer one is stored."""
        cursor = self._conn.execute(
            "INSERT INTO grouper (id, upto_seq, state, saved_at) VALUES (1, ?, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET upto_seq = excluded.upto_seq, state = excluded.state,"
            " saved_at = excluded.saved_at WHERE excluded.upto_seq > grouper.upto_seq",
            (upto_seq, _dump(state), _now()),
        )
        return cursor.rowcount > 0

    # -- export and import --------------------------------------------------------------------------

    def export_records(self) -> Iterator[dict[str, Any]]:
        """The whole store as JSON-ready records: a header, then articles (in order), stories, briefs and
        the grouper snapshot. :meth:`restore` reads them back into an empty store."""
        yield {"kind": "header", "format": EXPORT_FORMAT, "schema_version": SCHEMA_VERSION}
        rows = self._conn.execute(
            f"SELECT seq, story_id, added_at, {_DOC_COLUMNS} FROM articles ORDER BY seq"
        )
        for row in rows:
            yield {
                "kind": "article",
                "seq": row[0],
                "story_id": row[1],
                "added_at": row[2],
                "doc": _doc_from_row(row[3:]).to_dict(),
            }
        rows = self._conn.execute(
            "SELECT id, headline, article_count, independent_count, first_seen, last_seen, syndication,"
            " version, created_at, updated_at FROM stories ORDER BY id"
        )
        for row in rows:
            yield {
                "kind": "story",
                "id": row[0],
                "headline": row[1],
                "article_count": row[2],
                "independent_count": row[3],
                "first_seen": row[4],
                "last_seen": row[5],
                "syndication": json.loads(row[6]),
                "version": row[7],
                "created_at": row[8],
                "updated_at": row[9],
            }
        rows = self._conn.execute(
            "SELECT story_id, story_version, length, brief, created_at FROM briefs ORDER BY story_id"
        )
        for row in rows:
            yield {
                "kind": "brief",
                "story_id": row[0],
                "story_version": row[1],
                "length": row[2],
                "brief": json.loads(row[3]),
                "created_at": row[4],
            }
        for alias, story_id, created_at in self._conn.execute(
            "SELECT alias, story_id, created_at FROM story_aliases ORDER BY alias"
        ):
            yield {"kind": "alias", "alias": alias, "story_id": story_id, "created_at": created_at}
        for event in self._conn.execute(f"SELECT {_EVENT_COLUMNS} FROM story_events ORDER BY id"):
            yield {
                "kind": "event",
                "id": event[0],
                "event": event[1],
                "story_id": event[2],
                "other_id": event[3],
                "article_ids": json.loads(event[4]),
                "at": event[5],
            }
        snapshot = self._conn.execute("SELECT upto_seq, state, saved_at FROM grouper").fetchone()
        if snapshot is not None:
            yield {
                "kind": "grouper",
                "upto_seq": snapshot[0],
                "state": json.loads(snapshot[1]),
                "saved_at": snapshot[2],
            }

    def restore(self, record: dict[str, Any]) -> None:
        """Write one exported record back as it was (ids, sequence numbers, versions and times kept).

        Meant for an empty store inside one :meth:`write` transaction; raises KeyError/ValueError/TypeError
        on a malformed record and sqlite3.IntegrityError on a clash with what is stored.
        """
        kind = record["kind"]
        if kind == "article":
            doc = AnalysedArticle.from_dict(record["doc"])
            self.insert_article(
                doc, str(record["story_id"]), seq=int(record["seq"]), added_at=record["added_at"]
            )
        elif kind == "story":
            self._conn.execute(
                "INSERT INTO stories (id, headline, article_count, independent_count, first_seen, last_seen,"
                " syndication, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    str(record["id"]),
                    str(record["headline"]),
                    int(record["article_count"]),
                    int(record["independent_count"]),
                    record["first_seen"],
                    record["last_seen"],
                    _dump(dict(record["syndication"])),
                    int(record["version"]),
                    str(record["created_at"]),
                    str(record["updated_at"]),
                ),
            )
        elif kind == "brief":
            brief = Brief.from_dict(record["brief"])
            self.save_brief(
                str(record["story_id"]), int(record["story_version"]), int(record["length"]), brief
            )
            self._conn.execute(
                "UPDATE briefs SET created_at = ? WHERE story_id = ?",
                (str(record["created_at"]), str(record["story_id"])),
            )
        elif kind == "grouper":
            self._conn.execute(
                "INSERT OR REPLACE INTO grouper (id, upto_seq, state, saved_at) VALUES (1, ?, ?, ?)",
                (int(record["upto_seq"]), _dump(dict(record["state"])), str(record["saved_at"])),
            )
        elif kind == "alias":
            self._conn.execute(
                "INSERT INTO story_aliases (alias, story_id, created_at) VALUES (?, ?, ?)",
                (str(record["alias"]), str(record["story_id"]), str(record["created_at"])),
            )
        elif kind == "event":
            self._conn.execute(
                f"INSERT INTO story_events ({_EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    int(record["id"]),
                    str(record["event"]),
                    str(record["story_id"]),
                    str(record["other_id"]),
                    _dump([str(a) for a in record["article_ids"]]),
                    str(record["at"]),
                ),
            )
        elif kind != "header":
            raise ValueError(f"unknown record kind {kind!r}")

    def is_empty(self) -> bool:
        return self.article_count() == 0 and not self._conn.execute("SELECT 1 FROM stories").fetchone()


def write_jsonl(records: Iterable[dict[str, Any]], out: TextIO) -> int:
    """Write records one JSON object per line to a text stream; returns how many."""
    n = 0
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
        n += 1
    return n
