"""Watch benchmark: 100 polls of loopback feeds that publish new entries and change their ETag, with 3
restarts of the watcher and one source that always fails; no duplicate may be stored.

Feeds: two RSS feeds on a loopback http.server, each publishing one new entry every 10 polls (entries are
development articles: one source article of each of the first --limit Multi-News clusters, or the invented
stories of tests/fixtures/mixed when the data is missing), plus a URL that always answers 500.

OURS: storyweave's watcher (conditional requests with ETag/If-None-Match, entries already seen skipped
before any work, state in the store across restarts, backoff on the failing source).
BASELINE, same run, same feeds: a naive poller that GETs every feed unconditionally each poll and hands
every entry to the store, relying on the store's duplicate check alone.
Reported for each: articles stored, duplicates (articles stored twice), bytes downloaded, feed requests
answered 304, polls of the failing source, CPU seconds and wall seconds.

    .venv/bin/python bench/watch.py [--data DIR] [--polls N] [--limit N] [--json FILE]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from storyweave.ingest.url import articles_from_body, fetch_conditional  # noqa: E402
from storyweave.model import Article  # noqa: E402
from storyweave.service import add_to_store  # noqa: E402
from storyweave.store import Store  # noqa: E402
from storyweave.watch.runner import Watcher, WatchOptions  # noqa: E402

FAR = 4_000_000_000.0  # a clock far ahead: every source is due at every poll


def entries_from_data(data: Path, limit: int) -> list[tuple[str, str]]:
    """``(title, text)`` of development articles: the first source article (150 words or more) of each of
    the first Multi-News clusters (title: its first ten words), else the invented fixture stories."""
    found: list[tuple[str, str]] = []
    clusters = data / "multinews" / "clusters.jsonl"
    if clusters.is_file():
        for line in clusters.read_text(encoding="utf-8").splitlines():
            for text in json.loads(line).get("articles", []):
                words = str(text).split()
                if len(words) >= 150:
                    found.append((" ".join(words[:10]), str(text).strip()))
                    break
            if len(found) >= limit:
                return found
    for path in sorted((ROOT / "tests" / "fixtures" / "mixed").glob("*.txt"))[: max(0, limit - len(found))]:
        title, _, body = path.read_text(encoding="utf-8").partition("\n")
        found.append((title.strip(), body.strip()))
    return found


class Feeds:
    def __init__(self, entries: list[tuple[str, str]]) -> None:
        self.pool = entries
        self.published: dict[str, list[int]] = {"a": [], "b": []}
        self.bytes = 0
        self.not_modified = 0
        self.failing_polls = 0
        self.lock = threading.Lock()

    def publish(self, feed: str) -> None:
        with self.lock:
            taken = sum(len(v) for v in self.published.values())
            if taken < len(self.pool):
                self.published[feed].append(taken)

    def etag(self, feed: str) -> str:
        return '"' + hashlib.sha1(repr(self.published[feed]).encode()).hexdigest()[:16] + '"'

    def rss(self, feed: str) -> bytes:
        items = []
        for n in self.published[feed]:
            title, text = self.pool[n]
            items.append(
                f"<item><title>{escape(title)}</title><link>http://feeds.invalid/{feed}/{n}</link>"
                f"<guid>entry-{n}</guid><description>{escape(text)}</description>"
                f"<pubDate>{formatdate(1_600_000_000 + n * 3600)}</pubDate></item>"
            )
        return (
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>Bench feed {feed}</title>'
            f"<link>http://feeds.invalid/</link><description>bench</description>{''.join(items)}</channel></rss>"
        ).encode()


@contextmanager
def serve(feeds: Feeds) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            return

        def do_GET(self) -> None:
            if not self.path.startswith("/feed-"):
                with feeds.lock:
                    feeds.failing_polls += 1
                self.send_response(500)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            feed = self.path.removeprefix("/feed-")
            with feeds.lock:
                tag = feeds.etag(feed)
                if self.headers.get("If-None-Match") == tag:
                    feeds.not_modified += 1
                    self.send_response(304)
                    self.send_header("ETag", tag)
                    self.end_headers()
                    return
                body = feeds.rss(feed)
                feeds.bytes += len(body)
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("ETag", tag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def duplicates(db: Path) -> tuple[int, int]:
    """Articles stored, and articles whose feed entry (guid) is stored more than once."""
    with Store.open(db) as store:
        rows = store.connection.execute(
            "SELECT json_extract(article, '$.extra.feed_entry_id') FROM articles"
        ).fetchall()
    keys = [r[0] for r in rows]
    return len(keys), len(keys) - len(set(keys))


def run_ours(base: str, feeds: Feeds, db: Path, polls: int, restarts: set[int]) -> None:
    targets: list[tuple[str, int | None]] = [
        (f"{base}/feed-a", 60),
        (f"{base}/feed-b", 60),
        (f"{base}/down", 60),
    ]
    options = WatchOptions(allow_private=True, max_backoff=120)
    watcher = Watcher(db, options)
    watcher.add_sources(targets, 60)
    for poll in range(polls):
        if poll in restarts:
            watcher = Watcher(db, options)
        if poll % 10 == 0:
            feeds.publish("a" if poll % 20 == 0 else "b")
        watcher.poll_due(now=FAR + poll * 1000.0)


def run_baseline(base: str, feeds: Feeds, db: Path, polls: int) -> None:
    for poll in range(polls):
        if poll % 10 == 0:
            feeds.publish("a" if poll % 20 == 0 else "b")
        articles: list[Article] = []
        for url in (f"{base}/feed-a", f"{base}/feed-b", f"{base}/down"):
            try:
                got = fetch_conditional(url, allow_private=True)
            except Exception:  # the failing source: the naive poller just tries again next time
                continue
            items = articles_from_body(got.body, url, got.url, got.content_type, allow_private=True)
            articles.extend(i for i in items if isinstance(i, Article))
        add_to_store(articles, db)


def measure(
    name: str, polls: int, entries: list[tuple[str, str]], work: Path, restarts: set[int]
) -> dict[str, Any]:
    feeds = Feeds(entries)
    db = work / f"{name}.db"
    with serve(feeds) as base:
        c0, w0 = cpu(), time.perf_counter()
        if name == "ours":
            run_ours(base, feeds, db, polls, restarts)
        else:
            run_baseline(base, feeds, db, polls)
        c1, w1 = cpu(), time.perf_counter()
    stored, dupes = duplicates(db)
    return {
        "poller": name,
        "polls": polls,
        "restarts": len(restarts) if name == "ours" else 0,
        "published": sum(len(v) for v in feeds.published.values()),
        "stored": stored,
        "duplicates": dupes,
        "bytes_downloaded": feeds.bytes,
        "answered_304": feeds.not_modified,
        "failing_source_polls": feeds.failing_polls,
        "cpu_s": round(c1 - c0, 2),
        "wall_s": round(w1 - w0, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--polls", type=int, default=100)
    parser.add_argument("--limit", type=int, default=10, help="entries the feeds publish at most")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    entries = entries_from_data(args.data, args.limit)
    restarts = {args.polls // 4, args.polls // 2, 3 * args.polls // 4}
    with tempfile.TemporaryDirectory(prefix="storyweave-bench-watch-") as tmp:
        rows = [measure(n, args.polls, entries, Path(tmp), restarts) for n in ("ours", "baseline")]
    print(
        f"Watch: {args.polls} polls of 2 loopback RSS feeds (one new entry per 10 polls, ETag changes with "
        "it) "
        f"and 1 always-failing URL; {len(entries)} development articles available as entries"
    )
    head = (
        "poller",
        "restarts",
        "published",
        "stored",
        "duplicates",
        "bytes_downloaded",
        "answered_304",
        "failing_source_polls",
        "cpu_s",
        "wall_s",
    )
    print("  ".join(f"{h:>12}" for h in head))
    for r in rows:
        print("  ".join(f"{r[h]!s:>12}" for h in head))
    print(
        "(OURS = storyweave watch: conditional requests, seen entries skipped, state in the store, backoff; "
        "BASELINE = unconditional GET of every feed each poll, every entry handed to the store)"
    )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
