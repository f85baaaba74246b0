"""Every kind of input through `storyweave brief`: a mixed batch about one event, legacy encodings, URLs
and feeds on a loopback server, and bad inputs that must each get one clear line on stderr."""

from __future__ import annotations

import gzip
import json
import shutil
import socket
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.helpers import loopback_server

from storyweave.cli import EXIT_OK, EXIT_PARTIAL, main
from storyweave.ingest import url as url_module

INPUTS = Path(__file__).resolve().parent / "fixtures" / "inputs"

# Things scripts, event handlers and javascript: links carry; none may reach any output.
HOSTILE_MARKERS = ("stealCookies", "alert(", "onerror", "onclick", "onmouseover", "javascript:", "evil.js")

HOSTILE_PAGE = """<!DOCTYPE html>
<html><head><title>Regulator fines Dovecote Bank over card outage</title>
<script src="https://cdn.example/evil.js"></script>
<script>document.write('<p>Injected paragraph that must not appear.</p>'); stealCookies();</script>
<style>p { color: red }</style></head>
<body onload="stealCookies()">
<nav><a href="javascript:alert(1)">Home</a></nav>
<article>
<h1>Regulator fines Dovecote Bank over card outage</h1>
<p onclick="alert('x')">The Financial Conduct Office fined Dovecote Bank 12 million pounds on Tuesday over a
card outage that left customers unable to pay for three days in February.</p>
<p>The regulator said the bank had ignored warnings about its ageing payment systems for two years and
had failed to tell customers when the service would return.</p>
<img src="x.png" onerror="stealCookies()">
<p onmouseover="alert(2)">Dovecote Bank said it accepted the findings and had already replaced the system,
adding that every affected customer had been refunded any charges.</p>
<svg onload="alert(3)"><text>vector</text></svg>
<iframe srcdoc="<script>alert(4)</script>"></iframe>
</article></body></html>
"""

BROKEN_FEED = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>Broken Wire</title>'
    b"<item><title>Port strike ends</title><description>Dock workers in Halden voted to end"
)


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str], str]:
    code = main(["brief", *args, "--format", "json", "-q"])
    captured = capsys.readouterr()
    return code, captured.err.strip().splitlines(), captured.out


def _briefs(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_mixed_batch_of_every_kind_makes_one_story(capsys: pytest.CaptureFixture[str]) -> None:
    code, errors, out = _run([str(INPUTS)], capsys)
    assert (code, errors) == (EXIT_OK, [])
    (brief,) = _briefs(out)
    articles = {a["id"]: a for a in brief["articles"]}
    assert set(articles) == {
        "bridge_wire",
        "bridge_local",
        "bridge-nl-1",
        "valleyradio-example-news-tolvan-bridge-collapse",
    }
    outlets = {a["id"]: a["outlet"] for a in brief["articles"]}
    assert outlets == {
        "bridge_wire": "Northline Wire",  # from the syndication note in the text
        "bridge_local": "Tolvan Courier",  # from the page's metadata
        "bridge-nl-1": "eastbank-herald.example",  # from the URL
        "valleyradio-example-news-tolvan-bridge-collapse": "Valley Radio News",  # the feed's title
    }
    assert all(a["language"] == "en" for a in brief["articles"])
    # the title lines the readers put first are titles, not logged removals
    assert all(r["text"] != a["title"] for a in brief["articles"] for r in a["removed"])
    collapse = [f for f in brief["facts"] if "Kessler" in f["text"]]
    assert collapse and max(len(f["sources"]) for f in collapse) >= 3


def test_legacy_encodings_are_briefed_with_the_right_characters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        "Café chain Brûlé agrees €40m takeover by Señor Foods\n\n"
        "The owners of Brûlé, the café chain founded in Zürich, agreed on Monday to sell the business to "
        "Señor Foods for €40 million, both companies said.\n\n"
        "“This gives our cafés the backing to open in twelve more cities,” said Brûlé’s founder, "
        "Anaïs Lefèvre, who will stay on as chief executive.\n\n"
        "Señor Foods said the deal – its third this year – still needs the approval of competition "
        "regulators, which it expects before the end of the year.\n"
    )
    (tmp_path / "cafe_cp1252.txt").write_bytes(text.encode("cp1252"))
    latin1 = text.replace("€", "EUR ").replace("“", '"').replace("”", '"').replace("’", "'")
    latin1 = latin1.replace("–", "-")
    (tmp_path / "cafe_latin1.txt").write_bytes(latin1.encode("latin-1"))
    code, errors, out = _run([str(tmp_path / "cafe_cp1252.txt"), str(tmp_path / "cafe_latin1.txt")], capsys)
    assert (code, errors) == (EXIT_OK, [])
    (brief,) = _briefs(out)
    titles = {a["id"]: a["title"] for a in brief["articles"]}
    assert titles["cafe_cp1252"] == "Café chain Brûlé agrees €40m takeover by Señor Foods"
    assert titles["cafe_latin1"] == "Café chain Brûlé agrees EUR 40m takeover by Señor Foods"
    dumped = json.dumps(brief, ensure_ascii=False)
    for word in ("Anaïs Lefèvre", "“This gives our cafés", "€40 million", "Zürich"):
        assert word in dumped
    assert "Ã" not in dumped and "\ufffd" not in dumped  # no mojibake, no replacement characters


def test_bad_inputs_each_get_one_line_and_the_batch_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    batch = tmp_path / "batch"
    shutil.copytree(INPUTS, batch)
    bad = {
        "empty.txt": b"",
        "binary.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8,
        "truncated.txt.gz": gzip.compress(b"Flood waters rose in the valley overnight. " * 50)[:-20],
        "undecodable.txt": b"Report\n\n" + bytes(range(0x80, 0x100)) * 4,
        "broken_feed.xml": BROKEN_FEED,
        "menu_only.html": b"<html><body><nav><a href='/'>Home</a> <a href='/x'>News</a></nav></body></html>",
    }
    for name, data in bad.items():
        (batch / name).write_bytes(data)
    huge = batch / "huge.html"
    with huge.open("wb") as stream:
        stream.write(b"<html><body><article>")
        chunk = b"<p>" + b"Filler words of a page far too big to be an article. " * 20 + b"</p>\n"
        while stream.tell() < 50 * 1024 * 1024:
            stream.write(chunk)
        stream.write(b"</article></body></html>")
    hostile = batch / "hostile.html"
    hostile.write_text(HOSTILE_PAGE, encoding="utf-8")
    out_dir = tmp_path / "out"
    code = main(["brief", str(batch), "--out", str(out_dir), "-q"])
    errors = capsys.readouterr().err.strip().splitlines()
    assert code == EXIT_PARTIAL
    expected = {
        "empty.txt": "empty input",
        "binary.txt": "binary data",
        "truncated.txt.gz": "truncated gzip",
        "undecodable.txt": "not UTF-8 and no confident guess of its encoding",
        "broken_feed.xml": "entry has no text (broken feed XML: ",
        "menu_only.html": "no article text found",
        "huge.html": "too large",
    }
    assert len(errors) == len(expected), errors
    for name, reason in expected.items():
        (line,) = [e for e in errors if f"{batch / name}" in e]
        assert line.startswith(f"storyweave: error: {batch / name}") and reason in line
    outputs = [p.read_text(encoding="utf-8") for p in out_dir.iterdir()]
    briefs = [json.loads(t) for p, t in zip(out_dir.iterdir(), outputs, strict=True) if p.suffix == ".json"]
    assert sorted(b["story"]["article_count"] for b in briefs) == [1, 4]
    bank = next(b for b in briefs if b["story"]["article_count"] == 1)
    assert bank["articles"][0]["id"] == "hostile"
    for text in outputs:
        assert not any(marker in text for marker in HOSTILE_MARKERS)
        assert "Injected paragraph" not in text


def test_broken_feed_xml_without_entries_is_one_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "garbled.rss").write_bytes(b'<?xml version="1.0"?><rss><channel><<<>>>')
    (tmp_path / "story.txt").write_bytes((INPUTS / "bridge_wire.txt").read_bytes())
    code, errors, out = _run([str(tmp_path)], capsys)
    assert code == EXIT_PARTIAL and len(_briefs(out)) == 1
    assert errors == [
        f"storyweave: error: {tmp_path / 'garbled.rss'}: not a valid RSS/Atom feed: "
        "<unknown>:1:53: not well-formed (invalid token)"
    ]


def test_include_patterns_pick_the_files_of_a_folder(capsys: pytest.CaptureFixture[str]) -> None:
    code, errors, out = _run([str(INPUTS), "--include", "*.html", "--include", "*.XML"], capsys)
    assert (code, errors) == (EXIT_OK, [])
    (brief,) = _briefs(out)
    assert {a["id"] for a in brief["articles"]} == {
        "bridge_local",
        "valleyradio-example-news-tolvan-bridge-collapse",
    }


# --------------------------------------------------------------------------------------------------
# URLs: a loopback server (reached only with --allow-private) and a mocked public host


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        routes: dict[str, tuple[bytes, str]] = {
            "/bridge": ((INPUTS / "bridge_local.html").read_bytes(), "text/html; charset=utf-8"),
            "/feed": ((INPUTS / "bridge_feed.xml").read_bytes(), "application/rss+xml"),
            "/notes": (
                (INPUTS / "bridge_wire.txt").read_bytes().replace(b"(Reporting", b"(By"),
                "text/plain",
            ),
        }
        if self.path not in routes:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body, content_type = routes[self.path]
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def local_server() -> Iterator[str]:
    with loopback_server(_Handler) as url:
        yield url


def _closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_urls_and_feeds_with_allow_private(local_server: str, capsys: pytest.CaptureFixture[str]) -> None:
    unreachable = f"http://127.0.0.1:{_closed_port()}/story"
    urls = [f"{local_server}/bridge", f"{local_server}/feed", f"{local_server}/notes", unreachable]
    code, errors, out = _run([*urls, "--allow-private"], capsys)
    assert code == EXIT_PARTIAL
    (error,) = errors
    assert error.startswith(f"storyweave: error: {unreachable}: fetch failed (ConnectError")
    (brief,) = _briefs(out)
    by_url = {a["url"]: a for a in brief["articles"]}
    assert by_url[f"{local_server}/bridge"]["outlet"] == "Tolvan Courier"
    # the URL's host comes before the text's own syndication note ("distributed by Northline Wire")
    assert by_url[f"{local_server}/notes"]["outlet"] == "127.0.0.1"
    entry = by_url["https://valleyradio.example/news/tolvan-bridge-collapse"]
    assert entry["outlet"] == "Valley Radio News"
    assert all(a["language"] == "en" for a in brief["articles"])


def test_urls_are_refused_on_loopback_without_the_flag(
    local_server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, errors, _out = _run([f"{local_server}/bridge", str(INPUTS / "bridge_wire.txt")], capsys)
    assert code == EXIT_PARTIAL
    (error,) = errors
    assert error.startswith(
        f"storyweave: error: {local_server}/bridge: refused: 127.0.0.1, a loopback address"
    )


def test_redirect_to_a_private_address_is_refused(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A public host (fake DNS, mocked transport: no traffic) redirecting into the private network."""
    public = {"news.example.org": "93.184.215.14"}

    def getaddrinfo(host: str, port: int, *args: Any, **kwargs: Any) -> list[Any]:
        if host not in public:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (public[host], port))]

    sent: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(str(request.url))
        if request.url.path == "/story":
            return httpx.Response(302, headers={"Location": "http://10.0.0.5/admin"})
        return httpx.Response(
            200,
            text=(INPUTS / "bridge_wire.txt").read_text(encoding="utf-8"),
            headers={"Content-Type": "text/plain"},
        )

    def new_client(timeout: float = url_module.DEFAULT_TIMEOUT) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(handler), follow_redirects=False)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(url_module, "new_client", new_client)
    story, wire = "http://news.example.org/story", "http://news.example.org/wire"
    code, errors, out = _run([story, wire], capsys)
    assert code == EXIT_PARTIAL
    assert errors == [
        f"storyweave: error: {story}: redirect to http://10.0.0.5/admin refused: 10.0.0.5, a private address "
        "(private addresses are fetched only when allowed)"
    ]
    assert sent == ["http://93.184.215.14/story", "http://93.184.215.14/wire"]  # never the private one
    (brief,) = _briefs(out)
    (article,) = brief["articles"]
    assert article["url"] == wire and article["outlet"] == "example.org"
