"""HTML pages (and HTML fragments from feeds and JSON exports) to raw Articles, via trafilatura.

trafilatura finds the article body among navigation, adverts and comments and reads the page metadata
(title, author, site name, publication date through htmldate). Scripts, styles and every attribute (event
handlers included) are dropped with the markup, so only visible prose reaches the text. The body keeps
one paragraph per block element; the text cleaner runs on it afterwards as on any text file.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from datetime import date
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import trafilatura

from storyweave.clean.lines import line_words
from storyweave.ingest.encoding import decode_bytes, looks_binary, maybe_gunzip, too_large
from storyweave.ingest.safety import http_url, safe_article
from storyweave.model import Article, InputError

# Pages larger than this are refused: real article pages run 50 KB-2 MB, and lxml plus trafilatura need
# about 1 s and 100 MB of memory per 10 MB of markup.
MAX_HTML_BYTES = 10 * 1024 * 1024
# A body needs one line of at least this many words. trafilatura falls back to any text it can find when
# a page has no article, so a menu-only page comes back as "Home / News / Sport"; no library tells prose
# from link labels, and a link label or a section heading rarely runs to four words while any sentence does.
# Words as clean.lines.line_words counts them, so that Japanese or Chinese prose (no spaces) counts.
MIN_PROSE_WORDS = 4
# Article.extra["extractor"] of articles whose body trafilatura chose (see clean.clean_article).
EXTRACTOR = "trafilatura"
# Article ids made from URLs are cut to this many characters (a hash of the URL keeps them unique).
MAX_SLUG_CHARS = 64

_DOCUMENT_START = re.compile(
    r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)
_DOCUMENT_TAG = re.compile(r"<(?:html|head|body)\b", re.I)
_FEED_ROOT = re.compile(r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:rss|feed|rdf:rdf)\b", re.I | re.S)
_COMMON_TAG = re.compile(
    r"<(?:p|div|br|a|span|h[1-6]|article|section|main|table|ul|ol|li|img|meta|title|script|em|strong|b|i)"
    r"\b[^<>]*>",
    re.I,
)
# <meta charset="..."> or <meta http-equiv="Content-Type" content="text/html; charset=...">: the WHATWG
# "prescan" looks for these in the first 1024 bytes; no installed library exposes that step on its own.
_META_CHARSET = re.compile(rb"<meta[^>]+?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:\-]+)", re.I)
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")
_URL_PAGE_SUFFIX = re.compile(r"\.(?:s?html?|php\d?|aspx?|jsp|cms)$", re.I)
_NON_SLUG = re.compile(r"[^a-z0-9]+")
_NON_WORD = re.compile(r"[\W_]+")
_SPACES = re.compile(r"\s+")


def looks_like_html(text: str) -> bool:
    """True when ``text`` is HTML markup rather than plain text or an XML feed (judged on its head)."""
    head = text[:4096].lstrip("\ufeff")
    if _FEED_ROOT.match(head):
        return False
    if _DOCUMENT_START.match(head) or _DOCUMENT_TAG.search(head):
        return True
    return head.lstrip().startswith("<") and len(_COMMON_TAG.findall(head)) >= 2


def decode_html(data: bytes, source: str, declared: str | None = None) -> str:
    """Text of HTML bytes: valid UTF-8 first, then the declared charset (HTTP or <meta>), then a guess.

    UTF-8 goes first because pages labelled ISO-8859-1 that are really UTF-8 are far more common than
    Windows-1252 pages that happen to be valid UTF-8. Labels follow WHATWG: Latin-1 and ASCII mean
    Windows-1252.
    """
    data = maybe_gunzip(data, source, MAX_HTML_BYTES)
    if len(data) > MAX_HTML_BYTES:
        raise too_large(source, len(data), MAX_HTML_BYTES)
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or looks_binary(data):
        return decode_bytes(data, source)
    try:
        return data.decode("utf-8").replace("\r\n", "\n")
    except UnicodeDecodeError:
        pass
    for label in (declared, _meta_charset(data)):
        codec = _codec_for_label(label)
        if codec is None:
            continue
        try:
            return data.decode(codec).replace("\r\n", "\n")
        except UnicodeDecodeError:
            continue
    return decode_bytes(data, source)


def read_html(data: bytes | str, article_id: str, source: str, url: str | None = None) -> Article:
    """A raw Article from an HTML page or fragment: body text, title, author, date, site name, language.

    ``raw_text`` is the title line, a blank line, then the body's paragraphs separated by blank lines.
    Raises InputError for pages over the size cap, undecodable bytes and pages with no article text.
    """
    if isinstance(data, bytes):
        html = decode_html(data, source)
    else:
        if len(data) > MAX_HTML_BYTES:
            raise InputError(source, f"too large ({len(data):,} characters; limit {MAX_HTML_BYTES:,})")
        html = data
    if not html.strip():
        raise InputError(source, "empty input")
    if not _DOCUMENT_TAG.search(html[:4096]):
        # A fragment (a feed summary, a JSON export's "html" field): trafilatura expects a whole document.
        html = f"<html><body><article>{html}</article></body></html>"
    document, language = _extract(html, source, url)
    title = _clean_line(_string(document, "title"))
    body = [line for line in (_clean_line(raw) for raw in _string(document, "text").split("\n")) if line]
    if body and title and _same_line(body[0], title):
        body = body[1:]
    if not any(line_words(line) >= MIN_PROSE_WORDS for line in body):
        raise InputError(source, "no article text found")
    raw_text = "\n\n".join([title, *body] if title else body) + "\n"
    # Provenance: the cleaner leaves the body an extractor chose alone (no page-dump trimming).
    extra: dict[str, Any] = {"extractor": EXTRACTOR}
    author = _clean_line(_string(document, "author"))
    if author:
        extra["author"] = author
    page_url = url or http_url(_string(document, "url"))
    return safe_article(
        Article(
            id=article_id,
            raw_text=raw_text,
            title=title or None,
            outlet=_clean_line(_string(document, "sitename")) or None,
            url=page_url,
            published=_iso_day(_string(document, "date")),
            language=language,
            source=source,
            extra=extra,
        )
    )


def html_to_text(fragment: str) -> str:
    """Visible text of an HTML fragment, one paragraph per line; "" when it holds no text."""
    if not fragment.strip():
        return ""
    try:
        article = read_html(fragment, "fragment", "fragment")
    except InputError:
        return ""
    lines = article.raw_text.split("\n\n")
    # read_html puts a title first when the fragment has a heading; a fragment keeps it as body text.
    return "\n".join(line.strip() for line in lines if line.strip())


def url_slug(url: str) -> str:
    """A short, stable article id for a URL: host and path as a slug, plus a hash when needed to stay unique.

    ``https://www.example.com/world/2024/quake.html`` -> ``example-com-world-2024-quake``. A query string,
    or a slug cut to MAX_SLUG_CHARS, adds 8 hex digits of the URL's SHA-1 (fragment ignored).
    """
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").removeprefix("www.")
    except ValueError:  # a malformed URL ("https://[bad"): its hash alone names it
        return hashlib.sha1(url.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    path = _URL_PAGE_SUFFIX.sub("", parts.path.rstrip("/"))
    slug = _NON_SLUG.sub("-", f"{host}{path}".lower()).strip("-")
    digest = hashlib.sha1(
        urlunsplit(parts._replace(fragment="")).encode("utf-8", "surrogatepass")
    ).hexdigest()[:8]
    if not slug:
        return digest
    if parts.query or len(slug) > MAX_SLUG_CHARS:
        head = slug[: MAX_SLUG_CHARS - 9]
        if len(slug) > len(head) and head.rfind("-") > len(head) // 2:
            head = head[: head.rfind("-")]  # cut between words
        slug = f"{head.rstrip('-')}-{digest}"
    return slug


def _extract(html: str, source: str, url: str | None) -> tuple[Any, str | None]:
    """trafilatura's Document for ``html`` (never None) and the page's declared language."""
    try:
        tree = trafilatura.load_html(html)
        if tree is None:
            raise InputError(source, "not parseable as HTML")
        language = _tree_language(tree)
        document = trafilatura.bare_extraction(
            tree,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
        )
    except InputError:
        raise
    except Exception as err:
        # lxml, trafilatura and htmldate raise assorted error types on hostile or broken markup (parser
        # errors, recursion limits, bad dates); one such page must fail alone, as an InputError.
        raise InputError(source, f"cannot parse HTML ({type(err).__name__})") from None
    if document is None:
        raise InputError(source, "no article text found")
    return document, language


def _tree_language(tree: Any) -> str | None:
    """Primary language subtag the page declares (<html lang>, Content-Language, og:locale), lower-case."""
    candidates = [tree.get("lang"), tree.get("{http://www.w3.org/XML/1998/namespace}lang")]
    for meta in tree.iterfind(".//meta"):
        key = (meta.get("http-equiv") or meta.get("property") or meta.get("name") or "").lower()
        if key in ("content-language", "og:locale", "language", "dc.language"):
            candidates.append(meta.get("content"))
    for value in candidates:
        if isinstance(value, str):
            code = re.split(r"[-_,;\s]", value.strip().lower(), maxsplit=1)[0]
            if _LANGUAGE_CODE.match(code):
                return code
    return None


def _meta_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:1024])
    return match.group(1).decode("ascii", "replace") if match else None


def _codec_for_label(label: str | None) -> str | None:
    """Python codec for an HTML charset label, with WHATWG's overrides; None when unknown."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip()).name
    except LookupError:
        return None
    if name in ("latin-1", "iso8859-1", "ascii"):
        return "cp1252"
    if name.startswith("utf-16") or name.startswith("utf-32"):
        return "utf-8"  # a <meta> cannot truthfully declare UTF-16: the bytes that carry it are ASCII
    return name


def _string(document: Any, attribute: str) -> str:
    value = getattr(document, attribute, None)
    return value if isinstance(value, str) else ""


def _clean_line(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _same_line(a: str, b: str) -> bool:
    return _NON_WORD.sub("", a.casefold()) == _NON_WORD.sub("", b.casefold())


def _iso_day(value: str) -> str | None:
    """``value`` when it is a valid ISO date (YYYY-MM-DD), else None."""
    try:
        return date.fromisoformat(value[:10]).isoformat() if len(value) >= 10 else None
    except ValueError:
        return None
