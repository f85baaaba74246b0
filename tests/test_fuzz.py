"""Fuzzing the readers: whatever the bytes, a reader yields Articles or InputErrors (or raises InputError for
the whole input), never anything else, and every Article it yields is safe to analyse.

Inputs are generated three ways: mutations of real and hostile fixtures (nasty tokens spliced in), JSON
records with fields of every JSON type, and feeds built from arbitrary strings. Each generated input is
read as every kind (sniffed, text, HTML, JSON, feed). Bounded in the test run; ``make fuzz`` sets
STORYWEAVE_FUZZ_EXAMPLES for a long run and prints how many reader calls were made and how many raised.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyweave.ingest.detect import read_bytes
from storyweave.ingest.jsonl import iso_date, read_json_records
from storyweave.ingest.safety import MAX_TEXT_CHARS, http_url
from storyweave.model import Article, InputError

FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXAMPLES = int(os.environ.get("STORYWEAVE_FUZZ_EXAMPLES", "100"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
KINDS: tuple[Any, ...] = (None, "text", "html", "json", "feed")
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")

# Tokens that broke, or could break, a reader: encodings, escapes, markup, URLs, dates, compression.
NASTY: tuple[bytes, ...] = (
    b"\x00",
    b"\x1b[31m",
    b"\xed\xa0\x80",  # a UTF-8-encoded surrogate: invalid UTF-8
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\x1f\x8b\x08\x00",
    b"\\udfff",
    b"\\ud800\\u0000",
    b'"',
    b"{",
    b"}]",
    b"[",
    b"<",
    b"]]>",
    b"<![CDATA[",
    b"<!DOCTYPE rss [<!ENTITY a 'x'>]>",
    b"&a;&#0;&#xD800;",
    b"<script>alert(1)</script>",
    b"https://[example.com/bad",
    b"http://[::1]:99999/",
    b"<link>https://x:y/</link>",
    b"<pubDate>Tue, 99 Foo 20244 25:61:00</pubDate>",
    b'"published": "32/13/2024"',
    b'"title": 5',
    b'"text": [1, {"a": null}]',
    "Zürich – “quoted”".encode(),
    b"\r\n\r\n",
    b"\x0c\x0b",
    b"9" * 400,
)


def _seeds() -> list[bytes]:
    """Small real and hostile fixtures (under 40 KB each) to mutate."""
    found: list[bytes] = []
    for folder in ("hostile", "readers", "inputs"):
        for path in sorted((FIXTURES / folder).rglob("*")):
            if path.is_file() and path.stat().st_size < 40_000 and path.suffix != ".md":
                found.append(path.read_bytes())
    return found


SEEDS = _seeds()
COUNTS = {"calls": 0, "articles": 0, "errors": 0, "uncaught": 0}


@pytest.fixture(scope="module", autouse=True)
def _report() -> Iterator[None]:
    yield
    print(
        f"\nfuzz: {COUNTS['calls']:,} reader calls, {COUNTS['articles']:,} articles, "
        f"{COUNTS['errors']:,} input errors, {COUNTS['uncaught']} uncaught exceptions",
        file=sys.stderr,
    )


def _check(items: list[Article | InputError]) -> None:
    for item in items:
        if isinstance(item, InputError):
            COUNTS["errors"] += 1
            assert item.reason and "\n" not in item.reason
            continue
        assert isinstance(item, Article), type(item)
        COUNTS["articles"] += 1
        for text in (item.raw_text, item.title or "", item.url or "", item.outlet or ""):
            assert not _UNSAFE.search(text), repr(text[:200])
        assert len(item.raw_text) <= MAX_TEXT_CHARS
        assert item.url is None or http_url(item.url) == item.url
        item.raw_text.encode("utf-8")


def _count_call() -> None:
    """One more reader call; in long runs (``make fuzz``) a progress line every 5,000 calls, so that a run
    stopped early still says how far it got."""
    COUNTS["calls"] += 1
    if EXAMPLES > 1000 and COUNTS["calls"] % 5000 == 0:
        print(
            f"fuzz: {COUNTS['calls']:,} reader calls so far, {COUNTS['uncaught']} uncaught", file=sys.stderr
        )


def _read_all_kinds(data: bytes) -> None:
    for kind in KINDS:
        _count_call()
        try:
            items = list(read_bytes(data, "fuzz.input", "fuzz", kind))
        except InputError:
            COUNTS["errors"] += 1
            continue
        except Exception:
            COUNTS["uncaught"] += 1
            raise
        _check(items)


@FUZZ
@given(
    st.sampled_from(SEEDS),
    st.lists(
        st.tuples(
            st.floats(0, 1), st.integers(0, 64), st.one_of(st.sampled_from(NASTY), st.binary(max_size=16))
        ),
        min_size=1,
        max_size=6,
    ),
)
def test_mutated_fixtures(seed: bytes, edits: list[tuple[float, int, bytes]]) -> None:
    data = seed
    for where, cut, token in edits:
        at = int(where * len(data))
        data = data[:at] + token + data[at + cut :]
    _read_all_kinds(data)


_JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
_FIELDS = (
    "id",
    "title",
    "headline",
    "text",
    "body",
    "html",
    "url",
    "link",
    "published",
    "publishedAt",
    "outlet",
    "source",
    "language",
)
_PROSE = st.text(min_size=1, max_size=300) | st.just(
    "The council approved the bridge budget on Tuesday, officials said."
)


@FUZZ
@given(
    st.lists(
        st.dictionaries(st.sampled_from(_FIELDS), _JSON_VALUE | _PROSE, max_size=7),
        min_size=1,
        max_size=4,
    ),
    st.sampled_from(["lines", "array", "wrapped"]),
)
def test_json_records_of_any_shape(records: list[dict[str, Any]], layout: str) -> None:
    if layout == "lines":
        text = "\n".join(json.dumps(r) for r in records)
    elif layout == "array":
        text = json.dumps(records)
    else:
        text = json.dumps({"articles": records})
    _count_call()
    try:
        items = list(read_json_records(text, "fuzz.jsonl"))
    except Exception:
        COUNTS["uncaught"] += 1
        raise
    _check(items)
    _read_all_kinds(text.encode("utf-8", "surrogatepass"))


_XML_TEXT = st.text(
    st.characters(blacklist_categories=["Cs", "Cc"], blacklist_characters="\ufffe\uffff"), max_size=120
)


@FUZZ
@given(
    st.lists(
        st.tuples(_XML_TEXT, _XML_TEXT, _XML_TEXT, _PROSE.filter(lambda s: "\x00" not in s)),
        min_size=1,
        max_size=5,
    ),
    st.sampled_from(["rss", "atom"]),
    st.booleans(),
)
def test_feeds_with_arbitrary_fields(
    entries: list[tuple[str, str, str, str]], dialect: str, doctype: bool
) -> None:
    parts = []
    for title, link, date, body in entries:
        t, lk, d, b = (escape(x) for x in (title, link, date, body))
        if dialect == "rss":
            parts.append(
                f"<item><title>{t}</title><link>{lk}</link><pubDate>{d}</pubDate>"
                f"<description>{b}</description></item>"
            )
        else:
            parts.append(
                f'<entry><title>{t}</title><link href="{escape(link, {chr(34): "&quot;"})}"/>'
                f'<updated>{d}</updated><content type="html">{b}</content></entry>'
            )
    head = '<?xml version="1.0" encoding="utf-8"?>\n' + (
        "<!DOCTYPE x [<!ENTITY e 'v'>]>\n" if doctype else ""
    )
    if dialect == "rss":
        xml = head + '<rss version="2.0"><channel><title>F</title>' + "".join(parts) + "</channel></rss>"
    else:
        xml = head + '<feed xmlns="http://www.w3.org/2005/Atom"><title>F</title>' + "".join(parts) + "</feed>"
    _read_all_kinds(xml.encode("utf-8"))


@FUZZ
@given(st.one_of(st.text(max_size=200), st.integers(), st.floats(), st.none(), st.booleans()))
def test_dates_and_links_of_any_value(value: Any) -> None:
    day = iso_date(value)
    assert day is None or re.fullmatch(r"\d{4}-\d\d-\d\d", day)
    url = http_url(value)
    assert url is None or (isinstance(value, str) and url == value.strip())
