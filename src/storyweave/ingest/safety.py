"""The last step of every reader: text that every later stage can take, or an InputError for the input.

Readers hand over text from untrusted sources (JSON escapes, feeds, decoded bytes). Before anything is
analysed, each text field is made valid Unicode without control characters and the body is capped in
characters, so that no input can crash spaCy (lone surrogates cannot be encoded; its limit is 1,000,000
characters) or make the analysis of one article take gigabytes of memory.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

from storyweave.model import Article, InputError

# An article's text is refused above this many characters, before cleaning or analysis. spaCy refuses
# texts over 1,000,000 characters (E088) and its parser needs about 1 GB per 1,000,000; the longest news
# long-reads run to 100,000 characters (15,000 words), so 300,000 refuses no article and keeps one
# analysis under ~300 MB.
MAX_TEXT_CHARS = 300_000
# Short metadata (title, outlet, url, language, published) longer than this is cut: no headline or URL
# is this long, and every later stage copies these fields into briefs and pages.
MAX_FIELD_CHARS = 2_000

# C0 and C1 controls except tab and newline (carriage returns are normalised to newlines by the readers;
# a lone one left here is dropped), DEL, and lone UTF-16 surrogates (from JSON "\udfff" escapes).
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATES = re.compile("[\ud800-\udfff]")


def safe_text(text: str) -> str:
    """``text`` with lone surrogates replaced by U+FFFD and control characters other than tab and
    newline removed (form feeds and vertical tabs become newlines)."""
    text = _SURROGATES.sub("\ufffd", text)
    if "\f" in text or "\v" in text:
        text = text.replace("\f", "\n").replace("\v", "\n")
    return _CONTROLS.sub("", text)


def _safe_field(value: str | None) -> str | None:
    if value is None:
        return None
    return safe_text(value[:MAX_FIELD_CHARS])


def http_url(value: object) -> str | None:
    """``value`` when it is a well-formed http(s) URL with a host (an untrusted link from a feed, a page or
    an export), else None: ``https://[example.com/bad`` or a port out of range would raise later."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    if not url.lower().startswith(("http://", "https://")) or len(url) > MAX_FIELD_CHARS:
        return None
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- raises ValueError for a malformed or out-of-range port
    except ValueError:
        return None
    if not parts.hostname or any(ch.isspace() or ord(ch) < 32 for ch in url):
        return None
    return url


def _safe_value(value: Any, depth: int = 0) -> Any:
    """A JSON-like value (``Article.extra``) with every string in it made safe; nesting below 20
    levels is dropped (exports never nest that deep, and deeper values only feed recursion)."""
    if isinstance(value, str):
        return safe_text(value)
    if depth >= 20:
        return None
    if isinstance(value, dict):
        return {safe_text(str(k)): _safe_value(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_safe_value(v, depth + 1) for v in value]
    return value


def safe_article(article: Article) -> Article:
    """``article`` with every text field made safe (see :func:`safe_text`); raises InputError naming
    the input when its text is longer than MAX_TEXT_CHARS. Returns a copy, never alters the caller's."""
    name = article.source or article.id
    for label, text in (("text", article.raw_text), ("cleaned text", article.text)):
        if len(text) > MAX_TEXT_CHARS:
            raise InputError(
                name, f"too long ({len(text):,} characters of {label}; limit {MAX_TEXT_CHARS:,})"
            )
    return replace(
        article,
        id=safe_text(article.id[:MAX_FIELD_CHARS]),
        raw_text=safe_text(article.raw_text),
        text=safe_text(article.text),
        title=_safe_field(article.title),
        outlet=_safe_field(article.outlet),
        url=_safe_field(article.url),
        published=_safe_field(article.published),
        language=_safe_field(article.language),
        source=_safe_field(article.source),
        extra=_safe_value(article.extra),
    )


def checked(article: Article) -> Article | InputError:
    """``article`` made safe (see :func:`safe_article`), or the InputError saying why it cannot be: for
    readers that yield one item per entry."""
    try:
        return safe_article(article)
    except InputError as err:
        return err
