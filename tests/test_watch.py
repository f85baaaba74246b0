"""`storyweave watch` against loopback servers: feeds that publish entries and change their ETag, a source
that always fails, folders, JSON-lines files, restarts, and a clean stop on SIGTERM.

Entries are built from the invented fixture stories in tests/fixtures/mixed (a Peru earthquake and a Dutch
pension vote); the short ones are teasers, so the watcher fetches their pages too.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest

from helpers import loopback_server
from storyweave.store import Store
from storyweave.watch import state
from storyweave.watch.runner import Watcher, WatchOptions, parse_every, read_sources_file
from storyweave.watch.sources import SourceError, source_kind

MIXED = Path(__file__).resolve().parent / "fixtures" / "mixed"
ROOT = Path(__file__).resolve().parent.parent
FAR = 4_000_000_000.0  # a "now" after every source's next due time: each poll_due polls every source


def _story(name: str) -> tuple[str, str]:
    title, _, body = (MIXED / f"{name}.txt").read_text(encoding="utf-8").partition("\n")
    return title.strip(), body.strip()


class FeedSite:
    """Two RSS feeds (two outlets) and article pages; entries are published by the test."""

    def __init__(self) -> None:
        self.entries: dict[str, list[str]] = {"a": [], "b": []}
        self.requests = {"a": 0, "b": 0, "broken": 0}
        self.not_modified = 0
        self.lock = threading.Lock()

    def publish(self, feed: str, name: str) -> None:
        with self.lock:
            self.entries[feed].append(name)

    def etag(self, feed: str) -> str:
        return '"' + hashlib.sha1("|".join(self.entries[feed]).encode()).hexdigest()[:16] + '"'

    def rss(self, feed: str, base: str) -> bytes:
        items = []
        for name in self.entries[feed]:
            title, body = _story(name)
            teaser = " ".join(body.split()[:20]) if name.startswith("pension") else body
            items.append(
                f"<item><title>{escape(title)}</title><link>{base}/pages/{name}</link>"
                f"<guid>{base}/pages/{name}</guid><description>{escape(teaser)}</description>"
                f"<pubDate>{formatdate(1709856000)}</pubDate></item>"
            )
        outlet = {"a": "The Valley Courier", "b": "Harbour Evening Post"}[feed]
        return (
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>{outlet}</title>'
            f"<link>{base}/</link><description>news</description>{''.join(items)}</channel></rss>"
        ).encode()


@pytest.fixture()
def feeds() -> Iterator[tuple[str, FeedSite]]:
    site = FeedSite()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            return

        def do_GET(self) -> None:
            base = f"http://{self.headers['Host']}"
            if self.path.startswith("/feed-"):
                feed = self.path.removeprefix("/feed-")
                with site.lock:
                    site.requests[feed] += 1
                    tag = site.etag(feed)
                    if self.headers.get("If-None-Match") == tag:
                        site.not_modified += 1
                        self.send_response(304)
                        self.send_header("ETag", tag)
                        self.end_headers()
                        return
                    body = site.rss(feed, base)
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("ETag", tag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            elif self.path.startswith("/pages/"):
                title, body = _story(self.path.removeprefix("/pages/"))
                paras = "".join(f"<p>{escape(p)}</p>" for p in body.split("\n\n"))
                page = f"<html><head><title>{escape(title)}</title></head><body><article><h1>{escape(title)}"
                page += f"</h1>{paras}</article></body></html>"
                data = page.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            else:
                with site.lock:
                    site.requests["broken"] += 1
                self.send_response(500)
                self.send_header("Content-Length", "0")
                self.end_headers()

    with loopback_server(Handler) as base:
        yield base, site


def _article_ids(db: Path) -> list[str]:
    with Store.open(db) as store:
        return store.article_ids()


def test_feeds_polled_many_times_and_restarted_add_each_entry_once(
    tmp_path: Path, feeds: tuple[str, FeedSite]
) -> None:
    base, site = feeds
    db = tmp_path / "news.db"
    targets: list[tuple[str, int | None]] = [
        (f"{base}/feed-a", 60),
        (f"{base}/feed-b", 60),
        (f"{base}/down", 60),
    ]
    plan = {0: ("a", "quake_wire"), 5: ("b", "quake_local"), 12: ("a", "pension_a"), 20: ("b", "pension_b")}
    options = WatchOptions(allow_private=True, max_backoff=120)
    watcher = Watcher(db, options)
    watcher.add_sources(targets, 60)
    for poll_number in range(30):
        if poll_number in (10, 18, 25):  # a restart: a new watcher, the same store
            watcher = Watcher(db, options)
        if poll_number in plan:
            site.publish(*plan[poll_number])
        report = watcher.poll_due(now=FAR + poll_number * 1000)
        assert report.polled == 3 and report.failed == [f"{base}/down"]
    ids = _article_ids(db)
    assert len(ids) == len(set(ids)) == 4, ids
    assert site.requests["a"] == site.requests["b"] == 30
    assert site.not_modified >= 50  # unchanged feeds answered 304 to the conditional request
    with Store.open(db) as store:
        listed = {s.target: s for s in state.list_sources(store)}
        down = listed[f"{base}/down"]
        assert down.failures == 30 and "HTTP 500" in (down.last_error or "")
        assert listed[f"{base}/feed-a"].failures == 0 and listed[f"{base}/feed-a"].added == 2
        outlets = {store.article(i).article.outlet for i in ids}  # type: ignore[union-attr]
    assert {"The Valley Courier", "Harbour Evening Post"} <= outlets, outlets


def test_failing_source_backs_off_and_is_not_polled_before_due(
    tmp_path: Path, feeds: tuple[str, FeedSite]
) -> None:
    base, site = feeds
    db = tmp_path / "news.db"
    watcher = Watcher(db, WatchOptions(allow_private=True))
    watcher.add_sources([(f"{base}/down", 10)], 10)
    start = time.time()
    watcher.poll_due(now=start)
    watcher.poll_due(now=start + 15)  # due again after 2 x 10 s, not after 10 s
    assert site.requests["broken"] == 1
    watcher.poll_due(now=start + 25)
    assert site.requests["broken"] == 2
    with Store.open(db) as store:
        (down,) = state.list_sources(store)
    assert down.failures == 2 and down.next_due >= start + 25 + 40 - 1


def test_private_addresses_are_refused_unless_allowed(tmp_path: Path, feeds: tuple[str, FeedSite]) -> None:
    base, site = feeds
    site.publish("a", "quake_wire")
    watcher = Watcher(tmp_path / "news.db")
    watcher.add_sources([(f"{base}/feed-a", 60)], 60)
    report = watcher.poll_due(now=FAR)
    assert report.failed and site.requests["a"] == 0
    with Store.open(tmp_path / "news.db") as store:
        (source,) = state.list_sources(store)
    assert "private addresses" in (source.last_error or "") or "loopback" in (source.last_error or "")


def test_folder_new_files_added_once(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    db = tmp_path / "news.db"
    (inbox / "wire.txt").write_text((MIXED / "quake_wire.txt").read_text(encoding="utf-8"), encoding="utf-8")
    old = time.time() - 60
    os.utime(inbox / "wire.txt", (old, old))
    watcher = Watcher(db)
    watcher.add_sources([(str(inbox), 60)], 60)
    assert watcher.poll_due(now=FAR).added == 1
    (inbox / "local.txt").write_text(
        (MIXED / "quake_local.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    os.utime(inbox / "local.txt", (old, old))
    assert watcher.poll_due(now=FAR + 100).added == 1
    assert Watcher(db).poll_due(now=FAR + 200).added == 0  # restarted: nothing read again
    assert sorted(_article_ids(db)) == ["local", "wire"]


def test_jsonl_appended_lines_are_read_from_where_it_stopped(tmp_path: Path) -> None:
    feed = tmp_path / "crawl.jsonl"
    db = tmp_path / "news.db"
    records = [
        {"title": _story(n)[0], "text": _story(n)[1], "outlet": o}
        for n, o in (("pension_a", "Polder Daily"), ("pension_b", "Dike Times"))
    ]
    watcher = Watcher(db)
    watcher.add_sources([(str(feed), 60)], 60)
    assert watcher.poll_due(now=FAR).added == 0  # the file does not exist yet: not a failure
    feed.write_text(json.dumps(records[0]) + "\n" + json.dumps(records[1])[:40], encoding="utf-8")
    assert watcher.poll_due(now=FAR + 100).added == 1  # the half-written second line waits
    with feed.open("w", encoding="utf-8") as handle:
        handle.write(json.dumps(records[0]) + "\n" + json.dumps(records[1]) + "\n")
    assert Watcher(db).poll_due(now=FAR + 200).added == 1
    ids = _article_ids(db)
    assert len(ids) == 2 and all(i.startswith("crawl@") for i in ids)


def test_source_kinds_durations_and_sources_file(tmp_path: Path) -> None:
    assert source_kind("https://example.org/feed") == "url"
    assert source_kind(str(tmp_path)) == "folder"
    assert source_kind(str(tmp_path / "new.jsonl")) == "jsonl"
    with pytest.raises(SourceError):
        source_kind(str(tmp_path / "notes.txt"))
    assert parse_every("15m") == 900 and parse_every("30s") == 30 and parse_every("2h") == 7200
    with pytest.raises(ValueError):
        parse_every("soon")
    listing = tmp_path / "sources.txt"
    listing.write_text("# my feeds\nhttps://example.org/rss#top 5m\n\n/data/inbox  # the drop folder\n")
    assert read_sources_file(listing) == [("https://example.org/rss#top", 300), ("/data/inbox", None)]


def test_watch_command_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "storyweave.cli",
            "watch",
            str(inbox),
            "--db",
            str(tmp_path / "w.db"),
            "--every",
            "1s",
        ],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (tmp_path / "w.db").exists():
            time.sleep(0.2)
        time.sleep(1.0)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "SIGTERM" in err and "stopped" in err


def test_watch_command_once_list_rules_and_alerts_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from storyweave.cli import main

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    old = time.time() - 60
    for name in ("quake_wire", "quake_local"):
        target = inbox / f"{name}.txt"
        target.write_text((MIXED / f"{name}.txt").read_text(encoding="utf-8"), encoding="utf-8")
        os.utime(target, (old, old))
    db, alerts_file = tmp_path / "w.db", tmp_path / "alerts.jsonl"
    args = [
        "watch",
        str(inbox),
        "--db",
        str(db),
        "--once",
        "--rule",
        "search:Arequipa",
        "--alerts",
        str(alerts_file),
    ]
    assert main(args) == 0
    records = [json.loads(line) for line in alerts_file.read_text(encoding="utf-8").splitlines()]
    assert [r["alert"] for r in records] == ["search"] and records[0]["article_count"] == 2
    assert main(["watch", "--db", str(db), "--once", "--alerts", str(alerts_file)]) == 0  # nothing new
    assert len(alerts_file.read_text(encoding="utf-8").splitlines()) == 1
    capsys.readouterr()
    assert main(["watch", "--db", str(db), "--list"]) == 0
    listed = capsys.readouterr().out
    assert "folder" in listed and "added 2" in listed and "rule 1\tsearch:Arequipa" in listed
    assert main(["watch", "--db", str(db), "--remove", "1", "--list"]) == 0
    assert "folder" not in capsys.readouterr().out
    assert main(["watch", "--db", str(db), "--rule", "sometimes", "--list"]) == 2
    assert main(["watch", str(tmp_path / "notes.txt"), "--db", str(db)]) == 2
