"""Polling one watched source for what is new: a feed or page by URL (conditional requests through the
guarded fetcher), a folder (files not seen before), a JSON-lines file (lines appended since the last poll).

A poll never adds anything itself: it returns the new articles with the keys that mark them as seen and the
source's new validators or offset, and the runner stores all of it together.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from storyweave.ingest import read_inputs
from storyweave.ingest.detect import expand_inputs, is_url, with_url_outlet
from storyweave.ingest.feed import entry_key
from storyweave.ingest.jsonl import read_json_records
from storyweave.ingest.url import articles_from_body, content_kind, fetch_conditional
from storyweave.model import Article, InputError

JSONL_SUFFIXES = (".jsonl", ".ndjson")
# A file changed less than this many seconds ago may still be being written: it waits for the next poll.
SETTLE_SECONDS = 1.0
# At most this many bytes of a JSON-lines file are read per poll (the rest waits for the next one).
JSONL_CHUNK = 8 * 1024 * 1024


class SourceError(ValueError):
    """A source that cannot be watched (a name that is neither a URL, a folder nor a JSON-lines file)."""


def source_kind(target: str) -> str:
    """ "url", "folder" or "jsonl" for a watch argument; raises SourceError for anything else."""
    if is_url(target):
        return "url"
    path = Path(target)
    if path.is_dir():
        return "folder"
    if path.suffix.lower() in JSONL_SUFFIXES:
        return "jsonl"  # it may not exist yet: lines are read once it does
    raise SourceError(f"{target}: not an http(s) URL, a folder, or a .jsonl/.ndjson file")


def normalise_target(target: str) -> str:
    """A URL as given; a path made absolute, so that the watch list names it the same from any folder."""
    return target.strip() if is_url(target.strip()) else str(Path(target).expanduser().resolve())


@dataclass
class Polled:
    """What one poll found: new articles with the key marking each as seen, keys seen with nothing to add
    (entries that failed to read, which are not retried forever), the source's next validators/offset."""

    articles: list[tuple[Article, str]] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    unchanged: bool = False
    etag: str | None = None
    last_modified: str | None = None
    position: int | None = None


def poll(
    kind: str,
    target: str,
    *,
    seen: Callable[[str], bool],
    etag: str | None = None,
    last_modified: str | None = None,
    position: int = 0,
    allow_private: bool = False,
    timeout: float = 15.0,
) -> Polled:
    """Poll one source; raises InputError when the source itself fails (unreachable, HTTP error, gone)."""
    if kind == "url":
        return _poll_url(target, seen, etag, last_modified, allow_private, timeout)
    if kind == "folder":
        return _poll_folder(target, seen)
    if kind == "jsonl":
        return _poll_jsonl(target, position)
    raise InputError(target, f"unknown source kind {kind!r}")


def _poll_url(
    url: str,
    seen: Callable[[str], bool],
    etag: str | None,
    last_modified: str | None,
    allow_private: bool,
    timeout: float,
) -> Polled:
    got = fetch_conditional(
        url, etag=etag, last_modified=last_modified, allow_private=allow_private, timeout=timeout
    )
    result = Polled(etag=got.etag, last_modified=got.last_modified)
    if got.status == 304:
        result.unchanged = True
        return result
    feed = content_kind(got.body, got.content_type) == "feed"
    items = list(
        articles_from_body(
            got.body, url, got.url, got.content_type, allow_private=allow_private, timeout=timeout, skip=seen
        )
    )
    for item in items:
        if isinstance(item, InputError):
            if not feed:
                raise item  # the page itself could not be read
            result.errors.append(str(item))
            continue
        # a feed entry is known by its id or link; a page by its address and content (new text is news)
        key = entry_key(item) if feed else f"{got.url}#{item.content_hash[:16]}"
        if not seen(key):
            result.articles.append((with_url_outlet(item), key))
    return result


def _poll_folder(folder: str, seen: Callable[[str], bool]) -> Polled:
    root = Path(folder)
    if not root.is_dir():
        raise InputError(folder, "folder not found")
    result = Polled()
    now = time.time()
    for name in expand_inputs([root]):
        path = Path(name)
        key = path.relative_to(root).as_posix()
        if seen(key):
            continue
        try:
            if now - path.stat().st_mtime < SETTLE_SECONDS:
                continue  # may still be being written
        except OSError:
            continue
        got = list(read_inputs([name]))
        articles = [a for a in got if isinstance(a, Article)]
        result.errors.extend(str(e) for e in got if isinstance(e, InputError))
        if articles:
            result.articles.extend((a, key) for a in articles)
        else:
            result.seen.append(key)  # unreadable: reported once, not retried every poll
    return result


def _poll_jsonl(file: str, position: int) -> Polled:
    path = Path(file)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return Polled(unchanged=True, position=position)  # not written yet
    except OSError as err:
        raise InputError(file, f"cannot read ({err.strerror or err})") from None
    if size < position:
        position = 0  # truncated or replaced: read it again from the start (stored articles are skipped)
    if size == position:
        return Polled(unchanged=True, position=position)
    try:
        with path.open("rb") as handle:
            handle.seek(position)
            chunk = handle.read(min(size - position, JSONL_CHUNK))
    except OSError as err:
        raise InputError(file, f"cannot read ({err.strerror or err})") from None
    end = chunk.rfind(b"\n")
    if end < 0:
        return Polled(unchanged=True, position=position)  # a line still being written
    result = Polled(position=position + end + 1)
    stem = PurePath(file).stem
    offset = position
    for raw in chunk[: end + 1].split(b"\n"):
        line_start, offset = offset, offset + len(raw) + 1
        text = raw.decode("utf-8", "replace").strip()
        if not text:
            continue
        for item in read_json_records(text, file):
            if isinstance(item, InputError):
                result.errors.append(f"{file}: byte {line_start}: {item.reason}")
                continue
            if not _has_id(text):
                item.id = f"{stem}@{line_start}"  # the line's place in the file: stable across polls
            result.articles.append((item, f"@{line_start}"))
    return result


def _has_id(line: str) -> bool:
    try:
        record = json.loads(line)
    except json.JSONDecodeError:
        return False
    return isinstance(record, dict) and bool(record.get("id"))
