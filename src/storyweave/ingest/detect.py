"""Find the inputs a user named and dispatch each to its reader; a bad input never stops the batch.

An input is a file, a folder (searched recursively for the files its include patterns match), ``-`` for
standard input, or an http(s) URL (a page or a feed). Files go to a reader by suffix (``.gz`` is undone
first); unknown suffixes, gzip without an inner suffix and standard input are sniffed: an RSS/Atom root
means a feed, HTML markup a page, a JSON object or array an export, anything else plain text in any
common encoding. Every reader yields Articles or InputErrors, so one bad input (or one bad record of
an export) costs that input only.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path, PurePath
from typing import Literal
from urllib.parse import urlsplit

from tld import get_fld

from storyweave.ingest.encoding import GZIP_MAGIC, MAX_INPUT_BYTES, decode_bytes, maybe_gunzip, read_limited
from storyweave.ingest.feed import looks_like_feed, read_feed
from storyweave.ingest.html import looks_like_html, read_html
from storyweave.ingest.jsonl import read_json_records
from storyweave.ingest.safety import checked
from storyweave.ingest.text import read_text
from storyweave.ingest.url import iter_url
from storyweave.model import Article, InputError

Kind = Literal["text", "html", "json", "feed"]

KIND_BY_SUFFIX: dict[str, Kind] = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".json": "json",
    ".jsonl": "json",
    ".ndjson": "json",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
}
# What a folder contributes when no --include is given: every suffix a reader knows, gzipped or not.
DEFAULT_INCLUDE: tuple[str, ...] = tuple(f"*{s}" for s in KIND_BY_SUFFIX) + tuple(
    f"*{s}.gz" for s in KIND_BY_SUFFIX
)
STDIN_ID = "stdin"

# A whole HTML document or feed saved under a text suffix (".txt" pages are common in scrape dumps):
# plain prose never opens with a doctype or an <html> tag, so these go to the HTML or feed reader.
_HTML_DOCUMENT = re.compile(
    r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S
)
_URL = re.compile(r"^https?://", re.I)


def is_url(name: str) -> bool:
    """True for an http or https URL argument."""
    return _URL.match(name) is not None


def expand_inputs(inputs: Iterable[str | Path], include: Sequence[str] | None = None) -> list[str]:
    """Files named directly, plus the files found recursively in named folders, in a stable order.

    In folders, hidden files and folders are skipped and a file is taken when one of the ``include``
    glob patterns matches its name (or, for a pattern holding ``/``, its path below the folder), case
    aside; the default takes every suffix a reader knows (DEFAULT_INCLUDE). Files named directly, URLs
    and ``-`` are always kept; a name that does not exist is kept too, so that reading it reports a
    clear error for that input.
    """
    patterns = [p.lower() for p in (include or DEFAULT_INCLUDE)]
    found: list[str] = []
    for item in inputs:
        name = str(item)
        if name == "-" or is_url(name):
            found.append(name)
            continue
        path = Path(item)
        if not path.is_dir():
            found.append(name)
            continue
        for directory, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            base = Path(directory)
            for file_name in sorted(files):
                if file_name.startswith("."):
                    continue
                relative = (base / file_name).relative_to(path).as_posix().lower()
                if any(_matches(relative, pattern) for pattern in patterns):
                    found.append(str(base / file_name))
    return found


def _matches(relative: str, pattern: str) -> bool:
    target = relative if "/" in pattern else relative.rsplit("/", 1)[-1]
    return fnmatch.fnmatchcase(target, pattern)


def read_inputs(
    inputs: Iterable[str | Path], *, include: Sequence[str] | None = None, allow_private: bool = False
) -> Iterator[Article | InputError]:
    """Each article of each input in turn, or the InputError that explains why something could not be read.

    Never raises: whatever goes wrong with one input (or one record or feed entry) is an InputError item
    naming it. ``allow_private`` lets URLs reach loopback and private addresses (off by default).
    Articles without an outlet but with a URL get the URL's site name as outlet (see outlet_from_url).
    """
    for name in expand_inputs(inputs, include):
        try:
            for item in iter_input(name, allow_private=allow_private):
                yield checked(with_url_outlet(item)) if isinstance(item, Article) else item
        except InputError as err:
            yield err
        except Exception as err:
            # The readers turn every expected failure into an InputError; anything else is a bug met on
            # this input's bytes, and must cost this input only, with a one-line reason.
            yield InputError(name, f"could not be read ({type(err).__name__}: {_one_line(str(err))})")


def iter_input(name: str, *, allow_private: bool = False) -> Iterator[Article | InputError]:
    """The articles of one input: a URL, ``-`` (standard input) or a file path; may raise InputError."""
    if is_url(name):
        yield from iter_url(name, allow_private=allow_private)
        return
    if name == "-":
        data = read_limited(sys.stdin.buffer, name, MAX_INPUT_BYTES)
        for item in read_bytes(data, name, STDIN_ID, None):
            if isinstance(item, Article) and item.id.startswith(f"{name}:"):
                item.id = STDIN_ID + item.id[len(name) :]  # records of an export read from stdin
            yield item
        return
    data = read_file(name)
    pure = PurePath(name)
    stem_path = pure.with_suffix("") if pure.suffix.lower() == ".gz" else pure
    kind = KIND_BY_SUFFIX.get(stem_path.suffix.lower())
    yield from read_bytes(data, name, stem_path.stem or pure.name, kind)


def read_file(name: str) -> bytes:
    """The bytes of a file, refused above MAX_INPUT_BYTES without reading it whole; raises InputError."""
    path = Path(name)
    try:
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise InputError(name, f"too large ({size:,} bytes; limit {MAX_INPUT_BYTES:,})")
        with path.open("rb") as stream:
            return read_limited(stream, name, MAX_INPUT_BYTES)
    except FileNotFoundError:
        raise InputError(name, "no such file") from None
    except IsADirectoryError:
        raise InputError(name, "is a directory") from None
    except PermissionError:
        raise InputError(name, "permission denied") from None
    except OSError as err:
        raise InputError(name, f"cannot read ({err.strerror or err})") from None


def read_bytes(
    data: bytes, source: str, article_id: str, kind: Kind | None
) -> Iterator[Article | InputError]:
    """The articles in ``data``, read as ``kind`` (None: sniffed); may raise InputError for the whole input.

    gzip is undone first whatever the suffix says. Under a text suffix, a whole HTML document or feed is
    still read as one, since plain prose never opens like that.
    """
    for item in _read_bytes(data, source, article_id, kind):
        yield checked(item) if isinstance(item, Article) else item


def _read_bytes(
    data: bytes, source: str, article_id: str, kind: Kind | None
) -> Iterator[Article | InputError]:
    if data.startswith(GZIP_MAGIC):
        data = maybe_gunzip(data, source, MAX_INPUT_BYTES)
    if kind is None:
        kind = sniff(data, source)
    elif kind == "text" and looks_like_feed(data):
        kind = "feed"
    elif kind == "text" and _HTML_DOCUMENT.match(data[:4096].decode("utf-8", "replace")):
        kind = "html"
    if kind == "feed":
        if not looks_like_feed(data) and looks_like_html(data[:4096].decode("utf-8", "replace")):
            kind = "html"  # an XHTML page saved as .xml
        else:
            yield from read_feed(data, source)
            return
    if kind == "html":
        yield read_html(data, article_id, source)
    elif kind == "json":
        yield from read_json_records(decode_bytes(data, source), source)
    else:
        yield read_text(data, article_id, source)


def sniff(data: bytes, source: str) -> Kind:
    """What undeclared bytes hold: a feed, an HTML page, a JSON export or plain text (the default).

    Text that cannot be decoded is left to the text reader, which explains why.
    """
    if looks_like_feed(data):
        return "feed"
    try:
        text = decode_bytes(data, source)
    except InputError:
        return "text"
    if looks_like_html(text):
        return "html"
    if _looks_like_json(text):
        return "json"
    return "text"


def _looks_like_json(text: str) -> bool:
    """True when ``text`` is a JSON object or array, or JSON lines (judged on its first line)."""
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped.startswith(("{", "[")):
        return False
    first = stripped.split("\n", 1)[0]
    for candidate in (first, stripped) if len(stripped) > len(first) else (stripped,):
        try:
            value = json.loads(candidate)
        except (json.JSONDecodeError, RecursionError):
            continue
        if isinstance(value, dict | list):
            return True
    return False


def outlet_from_url(url: str | None) -> str | None:
    """A short readable site name for an article URL: its registered domain ("reuters.com" for
    ``https://www.reuters.com/world/...``), else its host without ``www.``; None without a host.

    The registered domain comes from the public suffix list bundled with ``tld``, so ``news.bbc.co.uk``
    gives ``bbc.co.uk``.
    """
    if not url or not is_url(url):
        return None
    try:
        host = (urlsplit(url).hostname or "").rstrip(".")
    except ValueError:
        return None
    if not host:
        return None
    domain = get_fld(host, fix_protocol=True, fail_silently=True)
    return str(domain) if isinstance(domain, str) and domain else host.removeprefix("www.")


def with_url_outlet(article: Article) -> Article:
    """``article``, or a copy with its outlet taken from its URL when no metadata named one."""
    if article.outlet:
        return article
    outlet = outlet_from_url(article.url)
    return replace(article, outlet=outlet) if outlet else article


def _one_line(text: str) -> str:
    return " ".join(text.split())[:200] or "no detail"
