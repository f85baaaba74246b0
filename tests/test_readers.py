"""Input readers: encodings and gzip, HTML pages, JSON exports, RSS/Atom feeds and guarded URL fetching."""

from __future__ import annotations

import gzip
import io
import json
import socket
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.helpers import loopback_server

from storyweave.ingest import encoding, html
from storyweave.ingest.encoding import decode_bytes, maybe_gunzip, read_limited
from storyweave.ingest.feed import looks_like_feed, read_feed
from storyweave.ingest.html import decode_html, html_to_text, looks_like_html, read_html, url_slug
from storyweave.ingest.jsonl import iso_date, read_json_records
from storyweave.ingest.url import USER_AGENT, content_kind, fetch_url, iter_url, read_url
from storyweave.model import Article, InputError

READERS = Path(__file__).resolve().parent / "fixtures" / "readers"
HTML_PAGE = READERS / "court_ruling.html"
RSS = READERS / "harbour_rss.xml"
ATOM = READERS / "valley_atom.xml"
JSONL = READERS / "exports.jsonl"

# Things a page's scripts, handlers and page furniture contain; none may reach article text.
SCRIPT_MARKERS = (
    "alert",
    "onerror",
    "onclick",
    "onload",
    "stealCookies",
    "trackPageView",
    "javascript:",
    "<",
)


def articles(items: list[Article | InputError]) -> list[Article]:
    return [item for item in items if isinstance(item, Article)]


def errors(items: list[Article | InputError]) -> list[InputError]:
    return [item for item in items if isinstance(item, InputError)]


# --------------------------------------------------------------------------------------------------
# encodings, gzip, size caps

CURLY = "The regulator said the merger was \u201cin the public interest\u201d \u2013 shares rose 4\u20ac.\n"


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        (CURLY, "cp1252"),
        ("Le maire de Saint-\u00c9tienne a annonc\u00e9 mardi la fermeture du pont.\n", "latin-1"),
        ("Caf\u00e9 owner Jos\u00e9 Pe\u00f1a said the flood reached the counter.\n", "latin-1"),
        ("Президент заявил во вторник, что переговоры продолжатся на следующей неделе.\n", "cp1251"),
        ("Quake hits coast; 12 injured in Z\u00fcrich \u2014 officials\n", "utf-16"),
        ("Quake hits coast; 12 injured in Z\u00fcrich \u2014 officials\n", "utf-16-be"),
        ("Quake hits coast\n", "utf-8-sig"),
        ("Quake hits coast\n", "utf-32"),
    ],
)
def test_decode_bytes_reads_legacy_and_bom_encodings(text: str, codec: str) -> None:
    data = text.encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data
    assert decode_bytes(data, "in.txt") == text


def test_decode_bytes_normalises_newlines_and_drops_bom() -> None:
    assert decode_bytes("\ufeffHeadline\r\n\r\nBody.\r".encode(), "a.txt") == "Headline\n\nBody.\n"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty input"),
        (b" \n\t ", "empty input"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary data"),
        (bytes(range(256)) * 4, "binary data"),
        (b"\xff\xfe" + b"\x00\xd8" * 40, "not valid UTF-16"),
        (gzip.compress(CURLY.encode() * 50)[:-12], "truncated gzip"),
        (b"\x1f\x8b\x08\x00garbage that is not deflate", "gzip"),
    ],
)
def test_decode_bytes_refuses_non_text(data: bytes, reason: str) -> None:
    with pytest.raises(InputError) as info:
        decode_bytes(data, "inbox/x.txt")
    assert str(info.value).startswith("inbox/x.txt: ")
    assert reason in info.value.reason
    assert "\n" not in str(info.value)


def test_gzip_is_undone_including_concatenated_members() -> None:
    body = "Río Claro flooded on Tuesday.\n"
    assert decode_bytes(gzip.compress(body.encode("utf-8")), "a.txt.gz") == body
    both = gzip.compress(b"first part, ") + gzip.compress(b"second part\n")
    assert maybe_gunzip(both, "b.gz") == b"first part, second part\n"
    assert maybe_gunzip(b"plain bytes", "c.txt") == b"plain bytes"


def test_gzip_bomb_stops_at_the_cap() -> None:
    bomb = gzip.compress(b"\0" * 5_000_000)
    with pytest.raises(
        InputError, match=r"too large \(decompresses to more than 10,000 bytes; limit 10,000\)"
    ):
        maybe_gunzip(bomb, "bomb.gz", limit=10_000)


def test_size_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(encoding, "MAX_INPUT_BYTES", 1000)
    with pytest.raises(InputError, match=r"too large \(1,001 bytes; limit 1,000\)"):
        decode_bytes(b"a" * 1001, "big.txt")
    assert decode_bytes(b"a" * 1000, "ok.txt") == "a" * 1000


def test_read_limited_never_reads_past_the_cap() -> None:
    stream = io.BytesIO(b"x" * 5000)
    with pytest.raises(InputError, match="too large"):
        read_limited(stream, "stdin", limit=100)
    assert stream.tell() == 101
    assert read_limited(io.BytesIO(b"short"), "stdin", limit=100) == b"short"


# --------------------------------------------------------------------------------------------------
# HTML


@pytest.fixture(scope="module")
def court_article() -> Article:
    return read_html(HTML_PAGE.read_bytes(), "court", str(HTML_PAGE))


def test_html_metadata(court_article: Article) -> None:
    a = court_article
    assert a.id == "court"
    assert a.title == "Appeals court blocks Kestrel Dam expansion over fish habitat"
    assert a.outlet == "The Harbour Ledger"
    assert a.published == "2024-03-14"
    assert a.language == "en"
    assert a.url == "https://www.harbourledger.example/news/2024/03/14/kestrel-dam-ruling"
    assert a.extra["author"] == "Mirela Stanford"
    assert a.source == str(HTML_PAGE)


def test_html_body_is_the_article_only(court_article: Article) -> None:
    raw = court_article.raw_text
    paragraphs = raw.strip().split("\n\n")
    assert paragraphs[0] == court_article.title
    assert paragraphs[1].startswith("The Court of Appeal on Thursday halted a £340 million plan")
    assert paragraphs[-1].startswith("Work on access roads")
    assert '"This is a victory for a river that cannot speak for itself," said Ana' in raw
    for furniture in (
        "Subscribe",
        "ADVERTISEMENT",
        "Most read",
        "Typical.",
        "All rights reserved",
        "JavaScript",
    ):
        assert furniture not in raw
    for marker in SCRIPT_MARKERS:
        assert marker not in raw


def test_html_script_and_handlers_never_reach_text_even_in_a_fragment() -> None:
    fragment = (
        '<p onclick="steal()">Flood waters rose by two metres overnight.</p>'
        "<script>alert(1)</script><img src=x onerror=alert(2)>"
        '<p><a href="javascript:alert(3)">The bridge</a> was closed at dawn.</p>'
    )
    text = html_to_text(fragment)
    assert "Flood waters rose by two metres overnight." in text
    assert "was closed at dawn." in text
    for marker in ("alert", "steal", "onerror", "javascript", "<"):
        assert marker not in text


def test_html_url_argument_wins_and_bytes_follow_meta_charset() -> None:
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
        "<title>Strike ends</title></head><body><article><h1>Strike ends</h1>"
        "<p>Dock workers in Rotterdam ended their strike on Friday after the union accepted a"
        " \u201cfair\u201d offer of 6% over two years.</p></article></body></html>"
    ).encode("cp1252")
    article = read_html(page, "strike", "strike.html", url="https://news.example/strike")
    assert article.url == "https://news.example/strike"
    assert "accepted a \u201cfair\u201d offer" in article.raw_text  # Latin-1 label read as Windows-1252
    assert decode_html("<p>Z\u00fcrich</p>".encode(), "x.html", declared="latin-1") == "<p>Z\u00fcrich</p>"


@pytest.mark.parametrize(
    "page",
    [
        "<html><head><title>Menu</title><script>alert(1)</script></head><body><nav><a href='/'>Home</a>"
        "<a href='/news'>World news</a><a href='/sport'>Sport</a></nav><p>Sign in</p></body></html>",
        "<html><body></body></html>",
    ],
)
def test_html_without_article_text(page: str) -> None:
    with pytest.raises(InputError, match="no article text found"):
        read_html(page, "x", "menu.html")


def test_html_size_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html, "MAX_HTML_BYTES", 500)
    with pytest.raises(InputError, match=r"too large \(601 bytes; limit 500\)"):
        read_html(b"<p>" + b"x" * 598, "x", "big.html")
    with pytest.raises(InputError, match="too large"):
        read_html("<p>" + "x" * 598, "x", "big.html")


def test_looks_like_html() -> None:
    assert looks_like_html(HTML_PAGE.read_text(encoding="utf-8"))
    assert looks_like_html("<p>One paragraph.</p><p>Another.</p>")
    assert not looks_like_html("Flood warning issued.\n\nResidents told to <b>leave</b> at once.")
    assert not looks_like_html(RSS.read_text(encoding="utf-8"))


def test_url_slug_is_short_stable_and_distinct() -> None:
    url = "https://www.harbourledger.example/news/2024/03/14/kestrel-dam-ruling.html"
    assert url_slug(url) == "harbourledger-example-news-2024-03-14-kestrel-dam-ruling"
    assert url_slug(url + "#comments") == url_slug(url)
    long = "https://site.example/" + "-".join(["word"] * 40)
    assert len(url_slug(long)) <= 64
    assert url_slug(long) == url_slug(long)
    assert url_slug("https://site.example/story.php?id=1") != url_slug("https://site.example/story.php?id=2")


# --------------------------------------------------------------------------------------------------
# JSON exports


@pytest.fixture(scope="module")
def jsonl_items() -> list[Article | InputError]:
    return list(read_json_records(JSONL.read_text(encoding="utf-8"), str(JSONL)))


def test_jsonl_good_records(jsonl_items: list[Article | InputError]) -> None:
    good = articles(jsonl_items)
    assert [a.id for a in good] == ["quake-wire-1", "exports:2", "1042"]
    wire, html_record, aliased = good
    assert wire.title == "Magnitude 6.4 earthquake shakes southern Chile"
    assert wire.raw_text.startswith(wire.title + "\n\nA magnitude 6.4 earthquake struck")
    assert wire.published == "2024-08-17"  # as written in Chile, not converted to UTC
    assert (wire.outlet, wire.language, wire.url) == (
        "Wire Example",
        "en",
        "https://wire.example/world/chile-quake",
    )
    assert wire.extra == {"section": "World", "tags": ["earthquake", "Chile"]}
    assert wire.source == str(JSONL)
    assert html_record.published == "2024-08-18"
    assert html_record.outlet == "Southern Daily"
    assert "More than forty aftershocks" in html_record.raw_text
    assert "alert" not in html_record.raw_text
    assert aliased.title == "Rescue teams reach isolated villages"
    assert aliased.published == "2024-08-19"
    assert aliased.outlet == "Southern Daily"
    assert (
        "Rescue teams reached three isolated villages by helicopter on Monday.\n\nRoads" in aliased.raw_text
    )


def test_jsonl_bad_lines_are_reported_and_skipped(jsonl_items: list[Article | InputError]) -> None:
    bad = errors(jsonl_items)
    assert [e.source for e in bad] == [f"{JSONL}:line 3", f"{JSONL}:line 4"]
    assert bad[0].reason.startswith("not valid JSON")
    assert bad[1].reason == "record has neither text nor html"


def test_json_array_object_and_wrapper() -> None:
    record = {"title": "Vote passes", "text": "The senate passed the pension bill by 41 votes to 34."}
    array = list(read_json_records(json.dumps([record, {"text": 5}, "x"]), "dump.json"))
    assert [type(i).__name__ for i in array] == ["Article", "InputError", "InputError"]
    assert isinstance(array[1], InputError) and array[1].reason == (
        "field 'text' must be a string or a list of strings, got number"
    )
    assert array[0].source == "dump.json"
    assert isinstance(array[0], Article) and array[0].id == "dump:1"
    assert isinstance(array[2], InputError) and array[2].source == "dump.json:record 3"
    single = list(read_json_records(json.dumps(record, indent=2), "one.json"))
    assert len(single) == 1 and isinstance(single[0], Article) and single[0].id == "one"
    wrapped = articles(list(read_json_records(json.dumps({"articles": [record, record]}), "w.json")))
    assert [a.id for a in wrapped] == ["w:1", "w:2"]
    broken = list(read_json_records('[{"text": "a"},', "cut.json"))
    assert len(broken) == 1 and isinstance(broken[0], InputError)
    assert broken[0].reason.startswith("not valid JSON")


def test_json_wrong_field_types_fail_only_that_record() -> None:
    lines = [
        json.dumps({"id": "a", "text": {"nested": True}}),
        json.dumps({"id": "b", "title": ["x"], "text": "Body."}),
        json.dumps({"id": "c", "text": "Body.", "published": "sometime soon"}),
    ]
    items = list(read_json_records("\n".join(lines), "t.jsonl"))
    assert isinstance(items[0], InputError) and "'text'" in items[0].reason
    assert isinstance(items[1], InputError) and "'title'" in items[1].reason
    assert isinstance(items[2], Article)
    assert items[2].published is None and items[2].extra["published_raw"] == "sometime soon"


def test_json_lines_keep_u2028_inside_strings() -> None:
    line = json.dumps({"id": "ls", "text": "First\u2028second."}, ensure_ascii=False)
    (item,) = read_json_records(line, "u.jsonl")
    assert isinstance(item, Article) and "First\u2028second." in item.raw_text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-05", "2024-03-05"),
        ("2024-03-05T23:30:00-05:00", "2024-03-05"),
        ("2024-03-05T10:00:00Z", "2024-03-05"),
        ("Tue, 05 Mar 2024 10:00:00 GMT", "2024-03-05"),
        ("March 5, 2024", "2024-03-05"),
        ("5 March 2024", "2024-03-05"),
        (1709633000, "2024-03-05"),
        (1709633000000, "2024-03-05"),
        ("March 2024", None),
        ("yesterday-ish", None),
        ("", None),
        (None, None),
        (True, None),
        (float("nan"), None),
        ("0001-01-01", None),
    ],
)
def test_iso_date(value: object, expected: str | None) -> None:
    assert iso_date(value) == expected


# --------------------------------------------------------------------------------------------------
# feeds


def test_rss_feed() -> None:
    items = list(read_feed(RSS.read_bytes(), str(RSS)))
    merger, fares = articles(items)
    assert merger.id == url_slug(
        "https://www.harbourledger.example/business/2024/05/02/nordvik-calloway-merger"
    )
    assert merger.title == "Nordvik Shipping agrees €2.1bn merger with Calloway Lines"
    assert merger.outlet == "The Harbour Ledger"
    assert merger.published == "2024-05-02"
    assert merger.language == "en"
    assert merger.url == "https://www.harbourledger.example/business/2024/05/02/nordvik-calloway-merger"
    assert merger.extra["author"] == "Peter Lindqvist"
    # content:encoded (three paragraphs) wins over the one-line description
    assert merger.raw_text.count("\n\n") == 3
    assert "Hanne Sørlie" in merger.raw_text
    for marker in SCRIPT_MARKERS:
        assert marker not in merger.raw_text
    assert fares.raw_text == (
        "Ferry fares to rise by 6% from June\n\n"
        "Passengers on the island routes will pay 6% more from 1 June, the operator said.\n"
    )
    (empty,) = errors(items)
    assert empty.source == f"{RSS}:entry 3" and empty.reason == "entry has no text"


def test_atom_feed() -> None:
    won, recount = articles(list(read_feed(ATOM.read_bytes(), str(ATOM))))
    assert won.title == "Mayor Delgado wins second term by 412 votes"  # HTML title stripped
    assert won.published == "2024-06-10"  # 23:40 at -04:00 stays on the 10th
    assert won.outlet == "Valley Courier – Elections"
    assert won.extra["author"] == "Rosa Menendez"
    assert "Turnout was 46 per cent" in won.raw_text
    assert recount.published == "2024-06-11"  # no <published>: falls back to <updated>
    assert recount.raw_text == "Recount requested in Ward 7\n\nTwo candidates separated by nine votes.\n"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (
            b"<rss version='2.0'><channel><title>Broken</title><description>unclosed",
            "not a valid RSS/Atom feed: ",
        ),
        (b"this is not XML at all", "not a valid RSS/Atom feed"),
        (b"<rss version='2.0'><channel><title>Quiet day</title></channel></rss>", "feed has no entries"),
        (b"", "empty input"),
    ],
)
def test_broken_feeds(data: bytes, reason: str) -> None:
    items = list(read_feed(data, "feeds/x.xml"))
    assert len(items) == 1
    assert isinstance(items[0], InputError)
    assert items[0].reason.startswith(reason)


def test_feed_fetches_pages_for_short_summaries_only() -> None:
    fetched: list[str] = []

    def fetch(link: str) -> bytes:
        fetched.append(link)
        if link.endswith("ward-7-recount"):
            raise InputError(link, "HTTP 503 Service Unavailable")
        return HTML_PAGE.read_bytes()

    items = list(read_feed(ATOM.read_bytes(), str(ATOM), fetch=fetch))
    won, recount = articles(items)
    # both entries are short; the first page is fetched and read, the second fails and keeps its summary
    assert fetched == [won.url, recount.url]
    assert "The Court of Appeal on Thursday halted" in won.raw_text
    assert won.published == "2024-06-10"  # the feed's date wins over the page's
    assert won.source == str(ATOM)
    assert recount.raw_text.endswith("Two candidates separated by nine votes.\n")
    assert recount.extra["full_text_error"] == "HTTP 503 Service Unavailable"

    fetched.clear()
    long_body = "<p>" + " ".join(["word"] * 200) + "</p>"
    rss = (
        "<rss version='2.0'><channel><title>T</title><item><title>Long</title>"
        f"<link>https://t.example/long</link><description><![CDATA[{long_body}]]></description>"
        "</item></channel></rss>"
    ).encode()
    assert len(articles(list(read_feed(rss, "t.xml", fetch=fetch)))) == 1
    assert fetched == []


def test_looks_like_feed() -> None:
    assert looks_like_feed(RSS.read_bytes())
    assert looks_like_feed(ATOM.read_bytes())
    assert looks_like_feed(b"\xef\xbb\xbf<?xml version='1.0'?>\n<!-- c -->\n<?xml-stylesheet href='s'?><rss>")
    assert not looks_like_feed(HTML_PAGE.read_bytes())
    assert not looks_like_feed(b"plain text about an <rss> reader")


# --------------------------------------------------------------------------------------------------
# URL fetching: a real server on 127.0.0.1, and mock transports for what must never reach a network


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return

    def _send(self, status: int, body: bytes, content_type: str, length: bool = True) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        host, port = self.connection.getsockname()[:2]
        base = f"http://{host}:{port}"
        path = self.path
        if path == "/article":
            self._send(200, HTML_PAGE.read_bytes(), "text/html; charset=utf-8")
        elif path == "/feed":
            feed = (
                "<?xml version='1.0'?><rss version='2.0'><channel><title>Local Wire</title>"
                f"<item><title>Dam ruling</title><link>{base}/article</link>"
                "<description>Court halts the dam plan.</description></item>"
                f"<item><title>Gone</title><link>{base}/missing</link>"
                "<description>A teaser whose page is gone.</description></item>"
                "</channel></rss>"
            ).encode()
            self._send(200, feed, "application/xml")
        elif path == "/plain":
            self._send(200, "Plain report.\n\nSecond paragraph.\n".encode("cp1252"), "text/plain")
        elif path == "/image":
            self._send(200, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png")
        elif path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/article")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/loop":
            self.send_response(301)
            self.send_header("Location", f"{base}/loop")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/big":
            self._send(200, b"x" * 300_000, "text/plain")
        elif path == "/big-stream":
            self._send(200, b"y" * 300_000, "text/plain", length=False)
        elif path == "/slow":
            time.sleep(1.5)
            self._send(200, b"late", "text/plain")
        elif path == "/drip":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            for _ in range(8):
                self.wfile.write(b"drop " * 10)
                self.wfile.flush()
                time.sleep(0.2)
        else:
            self._send(404, b"not found", "text/plain")


@pytest.fixture(scope="module")
def local_server() -> Iterator[str]:
    with loopback_server(_Handler) as url:
        yield url


def test_loopback_refused_by_default_naming_the_url(local_server: str) -> None:
    url = f"{local_server}/article"
    with pytest.raises(InputError) as info:
        fetch_url(url)
    assert info.value.source == url
    assert "127.0.0.1" in info.value.reason and "loopback" in info.value.reason
    with pytest.raises(InputError, match="loopback"):
        read_url(url)
    with pytest.raises(InputError, match="loopback"):
        fetch_url("http://localhost:9/x")


def test_fetch_html_page_when_private_allowed(local_server: str) -> None:
    url = f"{local_server}/redirect"
    body, final_url, content_type = fetch_url(url, allow_private=True)
    assert final_url == f"{local_server}/article"
    assert content_type.startswith("text/html")
    assert body == HTML_PAGE.read_bytes()
    (article,) = read_url(f"{local_server}/article", allow_private=True)
    assert article.id == url_slug(f"{local_server}/article")
    assert article.id.startswith("127-0-0-1-")
    assert article.title == "Appeals court blocks Kestrel Dam expansion over fish habitat"
    assert article.url == f"{local_server}/article"
    assert article.source == f"{local_server}/article"


def test_read_url_feed_fetches_full_text_through_the_guard(local_server: str) -> None:
    items = list(iter_url(f"{local_server}/feed", allow_private=True))
    ruling, gone = articles(items)
    assert ruling.outlet == "The Harbour Ledger"  # the fetched page names its own site
    assert "The Court of Appeal on Thursday halted" in ruling.raw_text
    assert gone.raw_text == "Gone\n\nA teaser whose page is gone.\n"
    assert gone.extra["full_text_error"].startswith("HTTP 404")
    assert len(read_url(f"{local_server}/feed", allow_private=True)) == 2
    # without permission, the feed itself is refused before anything is fetched
    assert isinstance(next(iter_url(f"{local_server}/feed")), InputError)


def test_read_url_plain_text_and_unsupported_types(local_server: str) -> None:
    (plain,) = read_url(f"{local_server}/plain", allow_private=True)
    assert plain.raw_text == "Plain report.\n\nSecond paragraph.\n"
    with pytest.raises(InputError, match="unsupported content type 'image/png'"):
        read_url(f"{local_server}/image", allow_private=True)


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/missing", "HTTP 404 Not Found"),
        ("/loop", "too many redirects (more than 5)"),
        ("/big", "too large (300,000 bytes; limit 100,000)"),
        ("/big-stream", "too large (more than 100,000 bytes; limit 100,000)"),
        ("/slow", "timed out after 0.5 s"),
        ("/drip", "timed out after 0.5 s"),
    ],
)
def test_fetch_failures(local_server: str, path: str, reason: str) -> None:
    # "/drip" sends every chunk within the 0.5 s read timeout and would succeed without the overall
    # deadline, so its "timed out" reason is what proves the deadline works (no wall-clock assertion)
    with pytest.raises(InputError) as info:
        fetch_url(f"{local_server}{path}", allow_private=True, timeout=0.5, max_bytes=100_000)
    assert info.value.source == f"{local_server}{path}"
    assert info.value.reason == reason


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("file:///etc/passwd", "only http and https"),
        ("ftp://files.example/report.txt", "only http and https"),
        ("http:///no-host", "no host"),
        ("http://10.1.2.3/admin", "10.1.2.3, a private address"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://[::1]:8080/", "loopback"),
        ("http://[::ffff:127.0.0.1]/", "loopback"),
        ("http://0.0.0.0/", "unspecified"),
        ("http://224.0.0.1/", "multicast"),
        ("http://100.64.0.1/", "non-public"),
    ],
)
def test_unfetchable_urls_are_refused_without_traffic(url: str, reason: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"request sent to {request.url}")

    with httpx.Client(transport=httpx.MockTransport(handler)) as client, pytest.raises(InputError) as info:
        fetch_url(url, client=client)
    assert info.value.source == url
    assert reason in info.value.reason


PUBLIC = {"news.example.org": ["93.184.215.14"], "mirror.example.org": ["93.184.215.15"]}


@pytest.fixture
def fake_dns(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """getaddrinfo answering from a table, so that name checks run without any DNS traffic."""
    table = dict(PUBLIC)

    def getaddrinfo(host: str, port: int, *args: Any, **kwargs: Any) -> list[Any]:
        if host not in table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [
            (socket.AF_INET6 if ":" in ip else socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port))
            for ip in table[host]
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return table


def test_redirect_to_private_address_is_refused(fake_dns: dict[str, list[str]]) -> None:
    fake_dns["intranet.example.org"] = ["192.168.1.20"]
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.headers["host"] == "news.example.org":
            return httpx.Response(302, headers={"Location": "http://intranet.example.org/admin"})
        return httpx.Response(200, text="secret")

    with httpx.Client(transport=httpx.MockTransport(handler)) as client, pytest.raises(InputError) as info:
        fetch_url("http://news.example.org/story", client=client)
    assert len(seen) == 1
    assert info.value.source == "http://news.example.org/story"
    assert info.value.reason.startswith("redirect to http://intranet.example.org/admin refused: ")
    assert "192.168.1.20, a private address" in info.value.reason


def test_host_with_any_private_address_is_refused(fake_dns: dict[str, list[str]]) -> None:
    fake_dns["split.example.org"] = ["93.184.215.16", "10.0.0.7"]
    with pytest.raises(InputError, match=r"resolves to 10\.0\.0\.7, a private address"):
        fetch_url("https://split.example.org/")
    with pytest.raises(InputError, match=r"cannot resolve host nowhere\.example\.org"):
        fetch_url("https://nowhere.example.org/")


def test_public_hops_are_pinned_to_the_checked_address(fake_dns: dict[str, list[str]]) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.headers["host"] == "news.example.org":
            return httpx.Response(301, headers={"Location": "https://mirror.example.org/story?x=1"})
        return httpx.Response(200, html="<p>Story text.</p>")

    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        body, final_url, content_type = fetch_url("http://news.example.org/story", client=client)
    assert (body, final_url) == (b"<p>Story text.</p>", "https://mirror.example.org/story?x=1")
    assert content_type.startswith("text/html")
    assert [str(r.url) for r in seen] == ["http://93.184.215.14/story", "https://93.184.215.15/story?x=1"]
    assert seen[1].headers["host"] == "mirror.example.org"
    assert seen[1].extensions["sni_hostname"] == "mirror.example.org"
    assert all(r.headers["user-agent"] == USER_AGENT for r in seen)
    assert USER_AGENT.startswith("storyweave/") and USER_AGENT.endswith("(+offline news briefing)")


def test_content_kind_sniffs_what_types_hide() -> None:
    assert content_kind(RSS.read_bytes(), "text/html") == "feed"
    assert content_kind(RSS.read_bytes(), "application/octet-stream") == "feed"
    assert content_kind(HTML_PAGE.read_bytes(), "") == "html"
    assert content_kind(b"Just words.", "text/plain; charset=utf-8") == "text"
    assert content_kind(b"%PDF-1.7", "application/pdf") == "other"


# --------------------------------------------------------------------------------------------------
# property-based: no reader raises anything but InputError, whatever it is given

PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(st.binary(max_size=3000))
def test_decode_bytes_only_raises_input_error(data: bytes) -> None:
    try:
        text = decode_bytes(data, "fuzz")
    except InputError:
        return
    assert text.strip() and "\r" not in text


@PROPERTY
@given(st.one_of(st.binary(max_size=2000), st.text(max_size=2000)))
def test_read_html_only_raises_input_error(data: bytes | str) -> None:
    try:
        article = read_html(data, "fuzz", "fuzz.html")
    except InputError:
        return
    assert article.raw_text.strip()


_TAGS = st.sampled_from(
    ["<p>", "</p>", "<div>", "<script>", "</script>", "<img onerror=x>", "<html>", "<h1>"]
)


@PROPERTY
@given(st.lists(st.one_of(_TAGS, st.text(max_size=40)), max_size=30))
def test_read_html_on_tag_soup(parts: list[str]) -> None:
    try:
        article = read_html("".join(parts), "fuzz", "soup.html")
    except InputError:
        return
    assert "<script>" not in article.raw_text


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
_RECORDS = st.fixed_dictionaries(
    {},
    optional={
        key: _JSON_VALUES | st.text(max_size=80)
        for key in ("id", "title", "text", "html", "url", "published", "outlet", "language", "source", "body")
    },
)


@PROPERTY
@given(
    st.one_of(
        st.text(max_size=2000),
        st.lists(_RECORDS | _JSON_VALUES, max_size=5).map(
            lambda rows: "\n".join(json.dumps(r) for r in rows)
        ),
    )
)
def test_read_json_records_only_yields(data: str) -> None:
    for item in read_json_records(data, "fuzz.jsonl"):
        assert isinstance(item, Article | InputError)


_FEED_TEMPLATE = (
    "<?xml version='1.0'?><rss version='2.0'><channel><title>{0}</title>"
    "<item><title>{1}</title><link>{2}</link><pubDate>{3}</pubDate><description>{4}</description></item>"
    "</channel></rss>"
)


@PROPERTY
@given(
    st.one_of(
        st.binary(max_size=2000),
        st.lists(st.text(max_size=60), min_size=5, max_size=5).map(
            lambda f: _FEED_TEMPLATE.format(*f).encode()
        ),
    )
)
def test_read_feed_only_yields(data: bytes) -> None:
    for item in read_feed(data, "fuzz.xml"):
        assert isinstance(item, Article | InputError)
