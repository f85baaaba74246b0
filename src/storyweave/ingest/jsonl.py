"""JSON exports of articles: JSON lines (one object per line), a JSON array, or a single object.

Each record becomes one raw Article. A record that cannot be read yields an InputError naming its line
and the rest of the file goes on, so one bad line in a day's export costs one article, not the day.
"""

from __future__ import annotations

import email.utils
import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import PurePath
from typing import Any

from storyweave.ingest.encoding import MAX_INPUT_BYTES
from storyweave.ingest.html import read_html
from storyweave.model import Article, InputError

# Field names other exporters use for our fields (NewsAPI, scrapers, CMS dumps), first match wins; the
# names not used stay in `extra` with every other unknown field.
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "id": ("id",),
    "title": ("title", "headline"),
    "text": ("text", "body", "content"),
    "html": ("html",),
    "url": ("url", "link"),
    "published": ("published", "date", "published_at", "publishedAt", "pubDate", "datePublished"),
    "outlet": ("outlet", "site_name", "sitename", "publisher", "source"),
    "language": ("language", "lang"),
}
# Keys of a wrapper object that holds the records, as in {"articles": [...]}.
WRAPPER_KEYS = ("articles", "items", "records", "data")
# Dates outside these years are typos or epoch mistakes, not publication dates.
MIN_YEAR, MAX_YEAR = 1900, 2100

_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")


def read_json_records(data: str, source: str) -> Iterator[Article | InputError]:
    """Each record of a JSON export in order: an Article, or the InputError saying why that record failed.

    A record needs ``text`` or ``html`` (HTML goes through :func:`read_html`); ``id`` defaults to
    ``<source stem>:<line>`` (``:<n>`` for the n-th element of an array); ``published`` becomes an ISO date.
    Never raises: a wholly unreadable input is a single InputError item.
    """
    if len(data) > MAX_INPUT_BYTES:
        yield InputError(source, f"too large ({len(data):,} characters; limit {MAX_INPUT_BYTES:,})")
        return
    text = data.lstrip("\ufeff")
    stripped = text.strip()
    if not stripped:
        yield InputError(source, "empty input")
        return
    stem = PurePath(source).stem or source
    if stripped[0] in "[{":
        try:
            whole = json.loads(stripped)
        except json.JSONDecodeError as err:
            whole = None
            if stripped[0] == "[":
                yield InputError(source, f"not valid JSON: {err.msg} (line {err.lineno}, column {err.colno})")
                return
        except RecursionError:
            yield InputError(source, "not valid JSON: nested too deeply")
            return
        if whole is not None:
            records = _unwrap(whole)
            if records is not None:
                for number, record in enumerate(records, 1):
                    yield _article_or_error(record, f"{stem}:{number}", f"{source}:record {number}", source)
                return
            yield _article_or_error(whole, stem, source, source)
            return
    for number, line in enumerate(text.split("\n"), 1):
        # split on "\n" only: str.splitlines() would also cut at U+2028, which JSON strings may hold raw
        if not line.strip():
            continue
        where = f"{source}:line {number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            yield InputError(where, f"not valid JSON: {err.msg} (column {err.colno})")
            continue
        except RecursionError:
            yield InputError(where, "not valid JSON: nested too deeply")
            continue
        yield _article_or_error(record, f"{stem}:{number}", where, source)


def iso_date(value: object) -> str | None:
    """An ISO date (YYYY-MM-DD) for a date as exporters write it, or None when it is not a full date.

    Accepts ISO 8601 (with time and offset), RFC 822 (``Tue, 05 Mar 2024 10:00:00 GMT``), Unix epoch
    seconds or milliseconds, and written dates (``March 5, 2024``) through dateparser. The date is the one
    on the writer's clock: an offset is kept, not converted to UTC.
    """
    day: date | None = None
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        seconds = value / 1000 if abs(value) > 1e11 else value
        try:
            day = datetime.fromtimestamp(seconds, tz=UTC).date()
        except (OverflowError, OSError, ValueError):
            return None
    elif isinstance(value, str) and value.strip():
        day = _parse_date_text(value.strip())
    if day is None or not MIN_YEAR <= day.year <= MAX_YEAR:
        return None
    return day.isoformat()


def _parse_date_text(text: str) -> date | None:
    if len(text) > 100:
        return None
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError, OverflowError):
        pass
    if not re.search(r"\d", text):
        return None
    import dateparser  # slow to import; only exports with free-form dates need it

    try:
        parsed = dateparser.parse(
            text, settings={"REQUIRE_PARTS": ["day", "month", "year"], "RETURN_AS_TIMEZONE_AWARE": False}
        )
    except (ValueError, TypeError, OverflowError, LookupError, AttributeError):
        return None
    return parsed.date() if isinstance(parsed, datetime) else None


def _unwrap(whole: Any) -> list[Any] | None:
    """The records of an array or of a wrapper object, or None when ``whole`` is a single record."""
    if isinstance(whole, list):
        return whole
    if isinstance(whole, dict) and not any(k in whole for k in FIELD_NAMES["text"] + FIELD_NAMES["html"]):
        for key in WRAPPER_KEYS:
            if isinstance(whole.get(key), list):
                return list(whole[key])
    return None


def _article_or_error(record: Any, default_id: str, where: str, source: str) -> Article | InputError:
    try:
        return _record_article(record, default_id, where, source)
    except InputError as err:
        return err


def _record_article(record: Any, default_id: str, where: str, source: str) -> Article:
    """The Article of one JSON record; raises InputError naming ``where`` when the record is unusable."""
    if not isinstance(record, dict):
        raise InputError(where, f"expected a JSON object, got {_json_type(record)}")
    extra = dict(record)
    fields: dict[str, Any] = {}
    for name, keys in FIELD_NAMES.items():
        for key in keys:
            if key in extra and extra[key] is not None:
                fields[name] = extra.pop(key)
                break

    article_id = _scalar_text(fields.get("id"), "id", where) or default_id
    title = _one_line(_scalar_text(fields.get("title"), "title", where))
    url = _scalar_text(fields.get("url"), "url", where) or None
    outlet = _outlet(fields.get("outlet"), where)
    language = _language(fields.get("language"), where)
    published = None
    if "published" in fields:
        published = iso_date(fields["published"])
        if published is None:
            extra["published_raw"] = fields["published"]
    body = _body_text(fields.get("text"), where)
    html = _scalar_text(fields.get("html"), "html", where)

    if body.strip():
        lines = [line.strip() for line in body.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
        raw_text = "\n".join(lines).strip("\n") + "\n"
        if title and raw_text.split("\n", 1)[0].strip() != title:
            raw_text = f"{title}\n\n{raw_text}"
        return Article(
            id=article_id,
            raw_text=raw_text,
            title=title or None,
            outlet=outlet,
            url=url,
            published=published,
            language=language,
            source=source,
            extra=extra,
        )
    if html.strip():
        article = read_html(html, article_id, where, url=url)
        if title:
            if article.title and article.raw_text.startswith(article.title):
                article.raw_text = title + article.raw_text[len(article.title) :]
            elif not article.title:
                article.raw_text = f"{title}\n\n{article.raw_text}"
            article.title = title
        article.outlet = outlet or article.outlet
        article.published = published or article.published
        article.language = language or article.language
        article.source = source
        article.extra = {**article.extra, **extra}
        return article
    raise InputError(where, "record has neither text nor html")


def _scalar_text(value: Any, name: str, where: str) -> str:
    """A string field's value ("" when absent); numbers are accepted as their text, containers refused."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise InputError(where, f"field {name!r} must be a string, got {_json_type(value)}")


def _body_text(value: Any, where: str) -> str:
    """The text field, which may also be a list of paragraphs."""
    if isinstance(value, list):
        if not all(isinstance(p, str) for p in value):
            raise InputError(where, "field 'text' must be a string or a list of strings")
        return "\n\n".join(p.strip() for p in value if p.strip())
    if value is None or isinstance(value, str):
        return value or ""
    raise InputError(where, f"field 'text' must be a string, got {_json_type(value)}")


def _outlet(value: Any, where: str) -> str | None:
    """The outlet name; NewsAPI-style ``{"id": ..., "name": ...}`` objects give their name."""
    if isinstance(value, dict):
        value = value.get("name")
        if not isinstance(value, str):
            return None
    return _one_line(_scalar_text(value, "outlet", where)) or None


def _language(value: Any, where: str) -> str | None:
    code = re.split(r"[-_]", _scalar_text(value, "language", where).lower(), maxsplit=1)[0]
    return code if _LANGUAGE_CODE.match(code) else None


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _json_type(value: Any) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", int: "number", float: "number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)
