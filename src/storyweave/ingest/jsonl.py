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

from pydantic import BaseModel, ConfigDict, ValidationError

from storyweave.ingest.encoding import MAX_INPUT_BYTES
from storyweave.ingest.html import read_html
from storyweave.ingest.safety import checked, http_url
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

# Untrusted date strings longer than this are not dates (the longest RFC 822 date with a zone name is
# about 40 characters); free-form ones (for dateparser) are capped shorter.
MAX_DATE_CHARS = 64
MAX_FREE_DATE_CHARS = 40
# dateparser is told these languages instead of detecting one per string (which costs 10-100 ms a try).
DATE_LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "nl")

_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")
_PLAUSIBLE_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_MONTH_NAMES = "january february march april may june july august september october november december"
_MONTHS = {
    **{m: n for n, m in enumerate(_MONTH_NAMES.split(), 1)},
    **{m[:3]: n for n, m in enumerate(_MONTH_NAMES.split(), 1)},
    "sept": 9,
}
_MONTH_NAME = r"(?P<month>[A-Za-z]{3,9})\.?"
_WEEKDAY = r"(?:[A-Za-z]{3,9}\.?,?\s+)?"
_MONTH_FIRST = re.compile(
    rf"{_WEEKDAY}{_MONTH_NAME}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})\b", re.I
)
_DAY_FIRST = re.compile(
    rf"{_WEEKDAY}(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH_NAME},?\s+(?P<year>\d{{4}})\b", re.I
)
_NUMERIC_YMD = re.compile(r"(?P<year>\d{4})[/.](?P<month>\d{1,2})[/.](?P<day>\d{1,2})\b")


class _OutletObject(BaseModel):
    """NewsAPI-style ``"source": {"id": ..., "name": ...}``: the name is the outlet."""

    model_config = ConfigDict(strict=True, extra="ignore")
    name: str | None = None


class RecordFields(BaseModel):
    """The types a JSON record's known fields must have (after aliases are mapped to these names).

    Strict: nothing is coerced, so ``"title": 5`` or ``"text": {"a": 1}`` is an error naming the field
    rather than a stored "5". Ids may be numbers (exporters number their rows); dates may be epoch numbers.
    """

    model_config = ConfigDict(strict=True, extra="forbid")
    id: str | int | None = None
    title: str | None = None
    text: str | list[str] | None = None
    html: str | None = None
    url: str | None = None
    published: str | int | float | None = None
    outlet: str | _OutletObject | None = None
    language: str | None = None


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
    """A date from an untrusted date string: strict formats first (ISO 8601, RFC 822, written English
    dates), then dateparser with fixed languages for short strings holding a plausible year.

    dateparser alone, detecting the language of every string, costs up to 0.1 CPU-s per malformed date (a
    feed of 100 malformed dates took 6-16 CPU-s); with the strict formats and fixed languages it is a
    few milliseconds."""
    if len(text) > MAX_DATE_CHARS:
        return None
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError, OverflowError):
        pass
    written = _written_date(text)
    if written is not None or len(text) > MAX_FREE_DATE_CHARS or not _PLAUSIBLE_YEAR.search(text):
        return written
    import dateparser  # slow to import; only exports with free-form dates need it

    try:
        parsed = dateparser.parse(
            text,
            languages=list(DATE_LANGUAGES),
            settings={"REQUIRE_PARTS": ["day", "month", "year"], "RETURN_AS_TIMEZONE_AWARE": False},
        )
    except (ValueError, TypeError, OverflowError, LookupError, AttributeError):
        return None
    return parsed.date() if isinstance(parsed, datetime) else None


def _written_date(text: str) -> date | None:
    """``March 5, 2024``, ``Tuesday, 5 Mar. 2024 10:00``, ``2024/03/05``: the date, or None."""
    match = _MONTH_FIRST.match(text) or _DAY_FIRST.match(text) or _NUMERIC_YMD.match(text)
    if match is None:
        return None
    parts = match.groupdict()
    month = parts["month"]
    number = int(month) if month.isdigit() else _MONTHS.get(month.lower())
    if number is None:
        return None
    try:
        return date(int(parts["year"]), number, int(parts["day"]))
    except ValueError:
        return None


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
        return checked(_record_article(record, default_id, where, source))
    except InputError as err:
        return err
    except Exception as err:
        # Every expected failure is an InputError; anything else is a bug met on this record's contents,
        # and must cost this record only (the batch's caller logs it).
        return InputError(where, f"could not be read ({type(err).__name__}: {_one_line(str(err))[:200]})")


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

    try:
        typed = RecordFields.model_validate(fields)
    except ValidationError as err:
        raise InputError(where, _validation_reason(err, record)) from None
    article_id = (str(typed.id).strip() if typed.id is not None else "") or default_id
    title = _one_line(typed.title or "")
    url = http_url(typed.url)
    if typed.url and url is None:
        extra["url_raw"] = typed.url  # kept as written, but not used as a link
    outlet_name = typed.outlet.name if isinstance(typed.outlet, _OutletObject) else typed.outlet
    outlet = _one_line(outlet_name or "") or None
    language = _language(typed.language)
    published = None
    if typed.published is not None:
        published = iso_date(typed.published)
        if published is None:
            extra["published_raw"] = typed.published
    body = _body_text(typed.text)
    html = (typed.html or "").strip()

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


def _validation_reason(err: ValidationError, record: dict[str, Any]) -> str:
    """One line for the first type error of a record: which field, what it must be, what it holds."""
    first = err.errors()[0]
    field = str(first["loc"][0]) if first["loc"] else "record"
    expected = {
        "text": "a string or a list of strings",
        "id": "a string or a number",
        "published": "a string or an epoch number",
        "outlet": "a string or an object with a name",
    }.get(field, "a string")
    value = first.get("input")
    if field in FIELD_NAMES:  # say the name the record used ("headline", not "title")
        field = next((k for k in FIELD_NAMES[field] if k in record), field)
    return f"field {field!r} must be {expected}, got {_json_type(value)}"


def _body_text(value: str | list[str] | None) -> str:
    """The text field, which may also be a list of paragraphs."""
    if isinstance(value, list):
        return "\n\n".join(p.strip() for p in value if p.strip())
    return value or ""


def _language(value: str | None) -> str | None:
    code = re.split(r"[-_]", (value or "").strip().lower(), maxsplit=1)[0]
    return code if _LANGUAGE_CODE.match(code) else None


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _json_type(value: Any) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", int: "number", float: "number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)
