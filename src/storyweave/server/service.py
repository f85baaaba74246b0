"""What the API and the UI do with the store: read stories, briefs and articles; take in new articles.

Reads open the store per request (a couple of milliseconds; SQLite's WAL lets them run beside a writer).
Everything that runs the pipeline (analysing new articles, grouping them, re-briefing a story whose
articles changed) goes to one worker thread that owns its own store connection and the online grouper:
spaCy and the grouper are used from one thread only, and writes never race each other in this process
(other processes, such as a ``storyweave add`` running beside the server, queue on SQLite's write lock).

Uploads are all or nothing: every file is read and every article analysed before the first is stored, so a
bad upload (empty, binary, oversized, a malformed JSON line, nothing left after cleaning) changes nothing.
"""

from __future__ import annotations

import codecs
import hashlib
import logging
import re
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Literal, TypeVar

from storyweave.ingest import read_inputs
from storyweave.ingest.detect import KIND_BY_SUFFIX, Kind, is_url, read_bytes
from storyweave.ingest.encoding import GZIP_MAGIC, MAX_INPUT_BYTES, looks_binary, maybe_gunzip
from storyweave.model import AnalysedArticle, Article, Brief, InputError
from storyweave.pipeline import WeaveResult, analyse_one, load_articles
from storyweave.server.config import ServerConfig
from storyweave.server.rebrief import Rebriefer
from storyweave.service import Added, StoryAssigner, brief_from_store
from storyweave.store import Store, StoreError, StoryRow
from storyweave.store.search import Filters, Hit, StoryFacets, matching_story_ids, story_facets
from storyweave.store.search import search as search_store
from storyweave.watch import alerts, state
from storyweave.watch.alerts import RuleError, parse_rule
from storyweave.watch.runner import parse_every
from storyweave.watch.sources import normalise_target, source_kind

log = logging.getLogger("storyweave")

T = TypeVar("T")

SortKey = Literal["recent", "size", "updated"]
SORT_KEYS: tuple[SortKey, ...] = ("recent", "size", "updated")
UploadKind = Literal["auto", "text", "html", "json", "feed"]

# What a file part's declared media type says about its content, when its name has no known suffix.
KIND_BY_MEDIA_TYPE: dict[str, Kind] = {
    "text/plain": "text",
    "text/markdown": "text",
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/json": "json",
    "application/x-ndjson": "json",
    "application/jsonl": "json",
    "application/jsonlines": "json",
    "application/rss+xml": "feed",
    "application/atom+xml": "feed",
}
# How long the list of every story may be reused when no article was added meanwhile. Listing stories
# reads each current brief's headline from its stored JSON (Store.stories()): ~0.3 s at 1,000 stories, too
# slow for every request. New articles (from any process) and this server's own writes refresh it at once;
# a headline changed by another process's `storyweave brief --db` shows within this many seconds.
STORY_LIST_TTL = 2.0
SEEN_CURSOR = "ui:seen"  # alerts up to this id were marked seen in the web UI
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f]")


class RequestFailed(Exception):
    """A request that cannot be served as asked: an HTTP status, a one-line message, per-input details."""

    def __init__(self, status: int, message: str, errors: list[str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = errors or []


@dataclass
class IngestReport:
    """What taking in a batch of articles did."""

    added: list[Added] = field(default_factory=list)
    already_stored: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class StoryPage:
    """One page of the story list."""

    total: int
    rows: list[StoryRow]


def upload_name(filename: str | None, index: int) -> str:
    """A safe display name for an uploaded file: its base name without control characters."""
    base = PurePath((filename or "").replace("\\", "/")).name
    base = _UNSAFE_NAME.sub("", base).strip()[:200]
    return base or f"upload-{index}"


def _upload_kind(name: str, media_type: str | None, declared: UploadKind) -> Kind | None:
    """The reader for an upload: as declared, else by file suffix, else by media type, else sniffed."""
    if declared != "auto":
        return declared
    pure = PurePath(name)
    stem = pure.with_suffix("") if pure.suffix.lower() == ".gz" else pure
    by_suffix = KIND_BY_SUFFIX.get(stem.suffix.lower())
    if by_suffix is not None:
        return by_suffix
    media = (media_type or "").split(";", 1)[0].strip().lower()
    return KIND_BY_MEDIA_TYPE.get(media)


def parse_upload(
    data: bytes,
    filename: str,
    media_type: str | None = None,
    kind: UploadKind = "auto",
    max_articles: int | None = None,
) -> list[Article]:
    """The articles in one uploaded file; raises :class:`RequestFailed` (400 empty, 413 too large or more
    than ``max_articles`` entries, 415 binary, 422 unreadable or any malformed record) so that the caller
    stores nothing. The entry cap stops reading at the first entry over it, before any more work."""
    if not data.strip():
        raise RequestFailed(400, f"{filename}: empty upload")
    if len(data) > MAX_INPUT_BYTES:
        raise RequestFailed(413, f"{filename}: too large ({len(data):,} bytes; limit {MAX_INPUT_BYTES:,})")
    try:
        if data.startswith(GZIP_MAGIC):
            data = maybe_gunzip(data, filename, MAX_INPUT_BYTES)
            if not data.strip():
                raise RequestFailed(400, f"{filename}: empty upload (after gunzip)")
    except InputError as err:
        raise RequestFailed(413 if "too large" in err.reason else 422, str(err)) from None
    if not data.startswith(_BOMS) and looks_binary(data):
        raise RequestFailed(
            415, f"{filename}: binary data, not text (upload text, HTML, JSON lines or a feed)"
        )
    stem = PurePath(filename).name.split(".", 1)[0] or filename
    articles: list[Article] = []
    errors: list[str] = []
    try:
        for item in read_bytes(data, filename, stem, _upload_kind(filename, media_type, kind)):
            if max_articles is not None and len(articles) + len(errors) >= max_articles:
                raise RequestFailed(
                    413, f"{filename}: too many articles in one request (limit {max(max_articles, 0)})"
                )
            if isinstance(item, InputError):
                errors.append(str(item))
            else:
                articles.append(item)
    except InputError as err:
        raise RequestFailed(422, str(err)) from None
    if errors:
        shown = "; ".join(errors[:3]) + (f"; and {len(errors) - 3} more" if len(errors) > 3 else "")
        raise RequestFailed(
            422, f"{filename}: {len(errors)} record(s) could not be read, nothing stored: {shown}", errors
        )
    if not articles:
        raise RequestFailed(422, f"{filename}: no articles found")
    return articles


def pasted_article(text: str, outlet: str = "", url: str = "") -> Article:
    """The article in text pasted into the add form (its first line read as the title, like a text file),
    with the outlet and address the user typed beside it; raises :class:`RequestFailed` when unreadable."""
    data = text.replace("\r\n", "\n").encode("utf-8")
    article = parse_upload(data, "pasted.txt", "text/plain", "text")[0]
    digest = hashlib.sha256(data).hexdigest()[:12]
    article.id = f"pasted-{digest}"
    article.source = "pasted text"
    if outlet.strip():
        article.outlet = " ".join(outlet.split())[:200]
    if url.strip():
        if not is_url(url.strip()):
            raise RequestFailed(422, f"{url.strip()!r}: not an http(s) address")
        article.url = url.strip()
    return article


class StoreService:
    """The server's access to one store (see the module docstring for who does what in which thread)."""

    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        Store.open(config.db_path, create=True).close()  # StoreError: the server cannot start
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="storyweave-pipeline")
        self._worker_store: Store | None = None  # touched only in the worker thread
        self._assigner: StoryAssigner | None = None
        self._generation = 0  # bumped whenever the worker has written to the store
        # the last story listing: when it was read, the newest article then, the generation, the rows
        self._listing: tuple[float, int, int, list[StoryRow]] | None = None
        self._listing_lock = threading.Lock()
        self.rebriefer = Rebriefer(self)

    # -- reads (any thread) ------------------------------------------------------------------------

    @contextmanager
    def reader(self) -> Iterator[Store]:
        """A store connection for this request, closed after it."""
        try:
            store = Store.open(self.config.db_path, create=False)
        except StoreError as err:
            raise RequestFailed(503, str(err)) from None
        try:
            yield store
        finally:
            store.close()

    def stories(
        self,
        query: str = "",
        sort: SortKey = "recent",
        offset: int = 0,
        limit: int = 50,
        filters: Filters | None = None,
    ) -> StoryPage:
        """Stories whose headline, articles, quotes or facts hold every word of ``query`` (full-text),
        kept by ``filters``, in the order asked, one page."""
        rows = self._all_stories()  # the most recent news first
        filters = filters or Filters()
        if query.strip() or filters.active:
            with self.reader() as store:
                wanted = matching_story_ids(store, query, filters)
            terms = query.casefold().split()
            if terms and not filters.active:  # headline or id words, as before full-text search
                wanted |= {r.id for r in rows if all(t in f"{r.headline} {r.id}".casefold() for t in terms)}
            rows = [r for r in rows if r.id in wanted]
        if sort == "size":  # stable: equal sizes stay most recent first
            rows = sorted(rows, key=lambda r: (-r.article_count, -r.independent_count))
        elif sort == "updated":
            rows = sorted(rows, key=lambda r: r.updated_at, reverse=True)
        return StoryPage(len(rows), rows[offset : offset + limit])

    def _all_stories(self) -> list[StoryRow]:
        """Every story, reused for up to STORY_LIST_TTL seconds while no article arrives."""
        with self.reader() as store:
            seq = store.last_seq()
            rows = self._fresh_listing(seq)
            if rows is not None:
                return rows
            with self._listing_lock:  # one request lists, those arriving meanwhile reuse its answer
                rows = self._fresh_listing(seq)
                if rows is None:
                    generation, now = self._generation, time.monotonic()
                    rows = store.stories()
                    self._listing = (now, seq, generation, rows)
                return rows

    def _fresh_listing(self, seq: int) -> list[StoryRow] | None:
        listing = self._listing
        if listing is None or listing[1] != seq or listing[2] != self._generation:
            return None
        return listing[3] if time.monotonic() - listing[0] < STORY_LIST_TTL else None

    def story(self, story_id: str) -> StoryRow:
        with self.reader() as store:
            row = store.story(story_id)
        if row is None:
            raise RequestFailed(404, f"no story {story_id!r}")
        return row

    def story_articles(self, story_id: str) -> list[Article]:
        """The articles of a story (without their analysis), oldest first."""
        with self.reader() as store:
            if store.story(story_id) is None:
                raise RequestFailed(404, f"no story {story_id!r}")
            return [d.article for d in store.story_docs(story_id)]

    def article(self, article_id: str) -> AnalysedArticle:
        with self.reader() as store:
            doc = store.article(article_id)
        if doc is None:
            raise RequestFailed(404, f"no article {article_id!r}")
        return doc

    def brief(self, story_id: str) -> Brief:
        """The story's stored brief, current or not (:meth:`brief_state` says which); never waits for one
        to be made: when none is stored yet, :class:`RequestFailed` 202 (the background worker makes it)."""
        brief, _updating = self.brief_state(story_id)
        return brief

    def brief_state(self, story_id: str) -> tuple[Brief, bool]:
        """The stored brief and whether it is being made again (articles joined the story since, or it was
        made at another length). A stale brief is queued for the background worker, never made here."""
        length = self.config.brief_length
        with self.reader() as store, store.read():
            row = store.story(story_id)
            if row is None:
                raise RequestFailed(404, f"no story {story_id!r}")
            stored = store.brief(story_id) if row.briefed_version is not None else None
        current = stored is not None and row.brief_current and stored.length == length
        if not current:
            self.rebriefer.wake(story_id)
        if stored is None:
            raise RequestFailed(
                202, "the brief of this story is being made: try again in a few seconds", ["updating"]
            )
        return stored.brief, not current

    def make_brief_now(self, story_id: str) -> Brief:
        """Make (or fetch) the story's current brief in the pipeline worker and wait for it: for callers
        that ask to wait (``?wait=1`` in the API), never for page views."""
        length = self.config.brief_length
        result = self._run(lambda store: brief_from_store(store, [story_id], length=length))
        if not result.briefs:
            raise RequestFailed(404, f"no story {story_id!r}")
        return result.briefs[0]

    # -- search, filters, the watch list and alerts (reads and small writes, any thread) ----------------

    def search(self, text: str, filters: Filters, limit: int, offset: int) -> tuple[int, list[Hit]]:
        with self.reader() as store:
            return search_store(store, text, filters, limit=limit, offset=offset)

    def headlines(self, story_ids: list[str]) -> dict[str, str]:
        """The headlines of the given stories (those that exist), read in one go."""
        with self.reader() as store:
            rows = (store.story(story_id) for story_id in story_ids)
            return {row.id: row.headline for row in rows if row is not None}

    def facets(self, story_ids: list[str]) -> dict[str, StoryFacets]:
        with self.reader() as store:
            return story_facets(store, story_ids)

    def watch_list(self) -> tuple[list[state.WatchSource], list[state.RuleRow]]:
        with self.reader() as store:
            return state.list_sources(store), state.list_rules(store)

    def watch_source(self, target: str, every: str) -> state.WatchSource:
        """Put a source on the watch list (a `storyweave watch --db` process polls it)."""
        target = target.strip()
        try:
            seconds = parse_every(every or "15m")
            kind = source_kind(target)
        except ValueError as err:  # SourceError too
            raise RequestFailed(422, str(err)) from None
        if kind != "url":
            raise RequestFailed(422, "from the web UI only http(s) addresses can be watched")
        with self.reader() as store:
            return state.add_source(store, kind, normalise_target(target), seconds)

    def unwatch_source(self, source_id: int) -> None:
        with self.reader() as store:
            if not state.remove_source(store, source_id):
                raise RequestFailed(404, f"no watched source {source_id}")

    def add_rule(self, text: str) -> state.RuleRow:
        try:
            rule = parse_rule(text)
        except RuleError as err:
            raise RequestFailed(422, str(err)) from None
        with self.reader() as store:
            row = state.add_rule(store, rule.kind, rule.value, rule.threshold)
        self.rebriefer.wake(None)  # check the new rule against the stories at the next pass
        return row

    def remove_rule(self, rule_id: int) -> None:
        with self.reader() as store:
            if not state.remove_rule(store, rule_id):
                raise RequestFailed(404, f"no alert rule {rule_id}")

    def alerts(self, after: int | None = None, limit: int = 50) -> tuple[list[state.AlertRow], int]:
        """Alerts after ``after`` (default: since the UI last marked them seen), newest first, and the
        cursor they were read against."""
        with self.reader() as store:
            seen = state.cursor(store, SEEN_CURSOR) if after is None else after
            rows = state.alerts_after(store, seen, limit=limit)
        return list(reversed(rows)), seen

    def recent_alerts(self, limit: int = 50) -> list[state.AlertRow]:
        """The newest alerts, newest first."""
        with self.reader() as store:
            return state.recent_alerts(store, limit)

    def mark_alerts_seen(self, upto: int) -> None:
        with self.reader() as store:
            state.set_cursor(store, SEEN_CURSOR, upto)

    # -- the pipeline worker -----------------------------------------------------------------------

    def stories_changed(self) -> None:
        """Another process wrote briefs: read the story list again (headlines come from the briefs)."""
        self._generation += 1

    def _run(self, job: Callable[[Store], T]) -> T:
        """Run ``job`` with the worker's store in the worker thread and wait for its result."""

        def in_worker() -> T:
            if self._worker_store is None:
                self._worker_store = Store.open(self.config.db_path, create=True)
            return job(self._worker_store)

        try:
            return self._worker.submit(in_worker).result()
        except StoreError as err:
            raise RequestFailed(503, str(err)) from None
        finally:
            self._generation += 1  # whatever the job wrote, the story list must be read again

    def close(self) -> None:
        """Stop the background re-briefing, save the grouper's state, close the worker's store and stop
        the worker."""
        self.rebriefer.stop()

        def shut() -> None:
            try:
                if self._assigner is not None:
                    self._assigner.close()
            finally:
                if self._worker_store is not None:
                    self._worker_store.close()
                self._worker_store = self._assigner = None

        try:
            self._worker.submit(shut).result()
        except (StoreError, RuntimeError) as err:  # RuntimeError: already shut down
            log.debug("closing the store service: %s", err)
        self._worker.shutdown(wait=True)

    def add_articles(self, articles: list[Article], *, all_or_nothing: bool) -> IngestReport:
        """Analyse, group and store ``articles``. With ``all_or_nothing``, an article that cannot be
        analysed fails the whole batch (:class:`RequestFailed` 422) before anything is stored; without
        it, such articles are reported in ``errors`` and the rest are stored."""
        if len(articles) > self.config.max_upload_articles:
            raise RequestFailed(
                413,
                f"too many articles in one request ({len(articles)}; "
                f"limit {self.config.max_upload_articles})",
            )
        return self._run(lambda store: self._add(store, articles, all_or_nothing))

    def _add(self, store: Store, articles: list[Article], all_or_nothing: bool) -> IngestReport:
        report = IngestReport()
        batch = WeaveResult()
        unique = load_articles(articles, batch)  # repeats and id clashes within the batch
        report.notices.extend(batch.notices)
        docs: list[AnalysedArticle] = []
        for article in unique:
            stored_as = _free_id(store, article, report)
            if stored_as is None:
                continue
            article.id = stored_as
            if self.config.outlets is not None:
                article = self.config.outlets.annotate(article)
            doc = analyse_one(article)
            if isinstance(doc, InputError):
                report.errors.append(str(doc))
            else:
                docs.append(doc)
        if report.errors and all_or_nothing:
            raise RequestFailed(422, "some articles could not be analysed, nothing stored", report.errors)
        if self._assigner is None or self._assigner.store is not store:
            self._assigner = StoryAssigner(store)
        for doc in docs:
            outcome = self._assigner.add(doc)
            if isinstance(outcome, Added):
                report.added.append(outcome)
            else:
                report.already_stored.append(outcome)
        changed = list(dict.fromkeys(a.story_id for a in report.added))
        if changed:
            alerts.check_rules(store, changed)
            for story_id in changed:
                self.rebriefer.wake(story_id)
        return report

    def add_url(self, url: str) -> IngestReport:
        """Fetch a page or a feed (under the private-address guard unless the config allows private
        addresses) and store what could be read; entries that fail are reported, the rest stored."""
        url = url.strip()
        if not is_url(url):
            raise RequestFailed(422, f"{url!r}: not an http(s) URL")
        articles: list[Article] = []
        errors: list[str] = []
        for item in read_inputs([url], allow_private=self.config.allow_private):
            if isinstance(item, InputError):
                errors.append(str(item))
            else:
                articles.append(item)
        if not articles:
            raise RequestFailed(422, errors[0] if errors else f"{url}: no articles found", errors)
        report = self.add_articles(articles, all_or_nothing=False)
        report.errors[:0] = errors
        return report


def _free_id(store: Store, article: Article, report: IngestReport) -> str | None:
    """The id to store ``article`` under: its own, or with ``-2``, ``-3``... when another article holds it
    (uploads named alike, e.g. a daily ``export.jsonl``); None when the same content is already stored."""
    candidate, n = article.id, 1
    while True:
        duplicate = store.duplicate_of(candidate, article.content_hash)
        if duplicate is None:
            break
        if duplicate[1] == "content":
            name = article.source or article.id
            report.already_stored.append(f"{name}: already stored as {duplicate[0]}, nothing changed")
            return None
        n += 1
        candidate = f"{article.id}-{n}"
    if candidate != article.id:
        report.notices.append(
            f"{article.source or article.id}: id {article.id!r} taken, stored as {candidate!r}"
        )
    return candidate
