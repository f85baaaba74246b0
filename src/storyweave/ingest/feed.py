"""RSS and Atom feeds: one raw Article per entry, through feedparser.

feedparser reads every RSS and Atom dialect, repairs what it can of broken XML and sanitises entry HTML
(scripts and event handlers are removed there already); the remaining markup is stripped by the HTML
reader. Entries that carry only a short summary can have their linked page fetched instead, through a
``fetch`` callable the caller supplies (and which keeps the caller's private-address guard).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from pathlib import PurePath
from typing import Any

import feedparser  # type: ignore[import-untyped]

from storyweave.ingest.encoding import MAX_INPUT_BYTES, too_large
from storyweave.ingest.html import html_to_text, read_html, url_slug
from storyweave.ingest.jsonl import iso_date
from storyweave.ingest.safety import checked, http_url
from storyweave.model import Article, InputError

# An entry whose text has fewer words than this is a teaser, not the article: with a `fetch`, its linked
# page is read instead. Hand-set: RSS descriptions run 15-80 words, full-text feed items 150 and more.
FEED_SUMMARY_MAX_WORDS = 120

# How much of the head may hold the prolog before the feed's root element (a doctype's internal subset
# included); a prolog longer than this is not a news feed's.
FEED_HEAD_BYTES = 8192

_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:rdf)\b", re.I)
_PROLOG = re.compile(
    rb"\A(?:\s*<\?[^>]*\?>|\s*<!--.*?-->|\s*<!DOCTYPE[^\[>]*(?:\[[^\]]*\]\s*)?>)*", re.S | re.I
)
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")


def looks_like_feed(data: bytes) -> bool:
    """True when the head of ``data`` opens an RSS, RDF or Atom document."""
    head = data[:FEED_HEAD_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"\x1f\x8b"):
        return False
    # Skip the XML declaration, comments, processing instructions (stylesheets) and a doctype, with its
    # internal subset ("<!DOCTYPE rss [ <!ENTITY ...> ]>") if any, before the root.
    head = _PROLOG.sub(b"", head)
    return _FEED_ROOT.match(head.lstrip()) is not None


def entry_key(article: Article) -> str:
    """What identifies a feed entry across polls: its id (guid), else its link, else the article id."""
    guid = article.extra.get("feed_entry_id")
    return str(guid) if guid else article.url or article.id


def read_feed(
    data: bytes,
    source: str,
    *,
    fetch: Callable[[str], bytes] | None = None,
    skip: Callable[[str], bool] | None = None,
) -> Iterator[Article | InputError]:
    """Each entry of an RSS/Atom feed: an Article, or the InputError saying why that entry failed; entries
    whose :func:`entry_key` ``skip`` accepts are left out.

    Title, link (-> url), published date (ISO, as written in the feed's own time zone), the feed's title
    (-> outlet) and language come from feedparser; the text from the entry's content or summary with the
    markup stripped. ``raw_text`` starts with the title line like every reader's. Never raises: a feed that
    cannot be read at all is a single InputError item.
    """
    if len(data) > MAX_INPUT_BYTES:
        yield too_large(source, len(data), MAX_INPUT_BYTES)
        return
    if not data.strip():
        yield InputError(source, "empty input")
        return
    headers = {"content-type": "application/xml"}
    if source.startswith(("http://", "https://")):
        headers["content-location"] = source  # base for relative links
    try:
        # A stream, never bytes or str: given those, feedparser would open them as a path or fetch a URL.
        parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    except Exception as err:
        # feedparser catches parser errors itself (bozo); anything escaping it is a bug in its handling of
        # this input, and must fail this input alone.
        yield InputError(source, f"not a valid RSS/Atom feed: {type(err).__name__}")
        return
    entries: list[Any] = list(parsed.get("entries") or [])
    if not entries:
        if parsed.get("bozo"):
            reason = _one_line(str(parsed.get("bozo_exception") or "unreadable XML"))
            yield InputError(source, f"not a valid RSS/Atom feed: {reason}")
        elif not parsed.get("version"):
            yield InputError(source, "not a valid RSS/Atom feed: no feed element found")
        else:
            yield InputError(source, "feed has no entries")
        return
    channel: Any = parsed.get("feed") or {}
    outlet = _one_line(_text_field(channel, "title")) or None
    feed_language = _language(channel.get("language"))
    stem = PurePath(source).stem or source
    seen: set[str] = set()
    for number, entry in enumerate(entries, 1):
        link = http_url(entry.get("link"))
        article_id = url_slug(link) if link else f"{stem}:{number}"
        if article_id in seen:
            article_id = f"{article_id}-{number}"
        seen.add(article_id)
        if skip is not None:
            guid = entry.get("id")
            if skip(guid if isinstance(guid, str) and guid else link or article_id):
                continue  # the caller has this entry already (see entry_key): no page fetched, no work
        where = f"{source}:entry {number}"
        try:
            yield checked(
                _entry_article(entry, article_id, where, source, outlet, feed_language, link, fetch)
            )
        except InputError as err:
            if parsed.get("bozo"):
                # feedparser salvaged this entry from broken XML: say so, the entry is likely cut short
                broken = _one_line(str(parsed.get("bozo_exception") or "unreadable XML"))
                err = InputError(err.source, f"{err.reason} (broken feed XML: {broken})")
            yield err
        except Exception as err:
            # Every expected failure is an InputError; anything else is a bug met on this entry's contents,
            # and must cost this entry only, not the rest of the feed.
            yield InputError(where, f"could not be read ({type(err).__name__}: {_one_line(str(err))[:200]})")


def _entry_article(
    entry: Any,
    article_id: str,
    where: str,
    source: str,
    outlet: str | None,
    feed_language: str | None,
    link: str | None,
    fetch: Callable[[str], bytes] | None,
) -> Article:
    title = _one_line(_text_field(entry, "title"))
    body = _entry_body(entry)
    published = _entry_date(entry)
    language = _language((entry.get("title_detail") or {}).get("language")) or feed_language
    extra: dict[str, Any] = {}
    guid = entry.get("id")
    if isinstance(guid, str) and guid:
        extra["feed_entry_id"] = guid
    author = entry.get("author")
    if isinstance(author, str) and author.strip():
        extra["author"] = _one_line(author)

    if fetch is not None and link and len(body.split()) < FEED_SUMMARY_MAX_WORDS:
        try:
            page = read_html(fetch(link), article_id, link, url=link)
        except InputError as err:
            extra["full_text_error"] = err.reason
        else:
            if page.title is None and title:
                page.raw_text = f"{title}\n\n{page.raw_text}"
                page.title = title
            page.outlet = page.outlet or outlet
            page.published = published or page.published
            page.language = page.language or language
            page.source = source
            page.extra = {**extra, **page.extra, "feed_summary": body} if body else {**extra, **page.extra}
            return page

    if not body:
        raise InputError(where, "entry has no text")
    paragraphs = [line.strip() for line in body.split("\n") if line.strip()]
    if paragraphs and title and paragraphs[0] == title:
        paragraphs = paragraphs[1:]
    if not paragraphs:
        raise InputError(where, "entry has no text")
    raw_text = "\n\n".join([title, *paragraphs] if title else paragraphs) + "\n"
    return Article(
        id=article_id,
        raw_text=raw_text,
        title=title or None,
        outlet=outlet,
        url=link,
        published=published,
        language=language,
        source=source,
        extra=extra,
    )


def _entry_body(entry: Any) -> str:
    """The longest plain text among the entry's content elements and its summary (one paragraph a line)."""
    candidates: list[str] = []
    for part in [*(entry.get("content") or []), entry.get("summary_detail")]:
        if not part or not isinstance(part.get("value"), str):
            continue
        value: str = part["value"]
        if part.get("type") in _HTML_TYPES or "<" in value:
            candidates.append(html_to_text(value))
        else:
            candidates.append("\n".join(line.strip() for line in value.splitlines() if line.strip()))
    return max(candidates, key=len, default="")


def _text_field(record: Any, name: str) -> str:
    """A title-like field as plain text (Atom titles may be HTML)."""
    value = record.get(name)
    if not isinstance(value, str):
        return ""
    detail = record.get(f"{name}_detail") or {}
    if detail.get("type") in _HTML_TYPES and "<" in value:
        return " ".join(html_to_text(value).split())
    return value


def _entry_date(entry: Any) -> str | None:
    """The entry's publication date as written (its own time zone), falling back to its update date."""
    for key in ("published", "updated", "created"):
        # dict.get: feedparser's own get() maps a missing "updated" to "published", with a warning
        day = iso_date(dict.get(entry, key))
        if day:
            return day
    return None


def _language(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    code = re.split(r"[-_]", value.strip().lower(), maxsplit=1)[0]
    return code if _LANGUAGE_CODE.match(code) else None


def _one_line(text: str) -> str:
    return " ".join(text.split())
