"""Finding and dispatching inputs: suffixes and sniffing, gzip, folders with include patterns, stdin,
outlets from URLs, and every kind of bad input reported per input."""

from __future__ import annotations

import gzip
import io
import json
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyweave.ingest import detect, expand_inputs, iter_input, outlet_from_url, read_inputs
from storyweave.ingest.detect import read_bytes, sniff
from storyweave.ingest.text import looks_binary, read_text
from storyweave.model import Article, InputError

INPUTS = Path(__file__).resolve().parent / "fixtures" / "inputs"
READERS = Path(__file__).resolve().parent / "fixtures" / "readers"


def _articles(items: list[Article | InputError]) -> list[Article]:
    return [item for item in items if isinstance(item, Article)]


def test_reads_utf8_with_bom_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "a1.txt"
    path.write_bytes("\ufeffTitle line\r\n\r\nBody about Zürich.\r\n".encode())
    (article,) = list(iter_input(str(path)))
    assert isinstance(article, Article)
    assert article.id == "a1"
    assert article.raw_text == "Title line\n\nBody about Zürich.\n"
    assert article.source == str(path)


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        ("Élection à Montréal\n\nLe maire a été réélu après un scrutin serré.\n", "latin-1"),
        ("The minister’s “final offer” – worth €2bn – was rejected.\n", "cp1252"),
        ("Zürich council approves the tram plan.\n", "utf-16"),
    ],
)
def test_common_encodings_are_read(text: str, codec: str) -> None:
    assert read_text(text.encode(codec), "x", "x.txt").raw_text == text


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty input"),
        (b"  \n\t\n", "empty input"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data"),
        (b"Report\n\n" + bytes(range(0x80, 0x100)) * 3, "no confident guess of its encoding"),
        (gzip.compress(b"Flood waters rose overnight. " * 40)[:-10], "truncated gzip"),
    ],
)
def test_bad_bytes_give_one_line_reason(data: bytes, reason: str) -> None:
    with pytest.raises(InputError) as info:
        read_text(data, "x", "notes/x.txt")
    message = str(info.value)
    assert message.startswith("notes/x.txt: ")
    assert reason in message
    assert "\n" not in message


def test_looks_binary_accepts_text_with_tabs() -> None:
    assert not looks_binary(b"col1\tcol2\nvalue\tvalue\n" * 50)
    assert looks_binary(bytes(range(1, 32)) * 40)


def test_folders_expand_recursively_with_default_and_custom_includes(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / ".git").mkdir()
    for name in ("b.txt", "sub/a.TXT", "sub/page.html", "sub/feed.xml", "sub/dump.jsonl.gz", "c.md"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    (tmp_path / "sub" / "image.png").write_bytes(b"\x89PNG\x00")
    (tmp_path / ".hidden.txt").write_text("x", encoding="utf-8")
    (tmp_path / ".git" / "notes.txt").write_text("x", encoding="utf-8")
    names = expand_inputs([tmp_path, tmp_path / "nope.txt", "-", "https://news.example.org/a"])
    relative = [Path(n).relative_to(tmp_path).as_posix() if n.startswith(str(tmp_path)) else n for n in names]
    assert relative == [
        "b.txt",
        "c.md",
        "sub/a.TXT",
        "sub/dump.jsonl.gz",
        "sub/feed.xml",
        "sub/page.html",
        "nope.txt",
        "-",
        "https://news.example.org/a",
    ]
    only_html = expand_inputs([tmp_path], include=["*.html", "*.PNG"])
    assert [Path(n).name for n in only_html] == ["image.png", "page.html"]
    by_path = expand_inputs([tmp_path], include=["sub/*.t*"])
    assert [Path(n).name for n in by_path] == ["a.TXT"]
    results = list(read_inputs([tmp_path / "nope.txt"]))
    assert [str(r) for r in results] == [f"{tmp_path / 'nope.txt'}: no such file"]


def test_dispatch_by_suffix_reads_every_kind() -> None:
    items = list(read_inputs([INPUTS]))
    assert all(isinstance(i, Article) for i in items), items
    by_source = {Path(str(a.source)).name: a for a in _articles(items)}
    assert sorted(by_source) == [
        "bridge_export.jsonl",
        "bridge_feed.xml",
        "bridge_local.html",
        "bridge_wire.txt",
    ]
    html = by_source["bridge_local.html"]
    assert html.title == "Tolvan footbridge collapse: divers pull nine from the Arden"
    assert html.outlet == "Tolvan Courier" and html.published == "2025-06-12"
    assert "stealCookies" not in html.raw_text and "alert" not in html.raw_text
    assert "Most read" not in html.raw_text and "Home" not in html.raw_text.split("\n")
    export = by_source["bridge_export.jsonl"]
    assert export.id == "bridge-nl-1" and export.extra == {"section": "Regional"}
    assert export.outlet == "eastbank-herald.example"  # no outlet field: the URL's site
    entry = by_source["bridge_feed.xml"]
    assert entry.outlet == "Valley Radio News" and entry.published == "2025-06-11"
    assert entry.id == "valleyradio-example-news-tolvan-bridge-collapse"
    wire = by_source["bridge_wire.txt"]
    assert wire.id == "bridge_wire" and wire.outlet is None  # the text's own note is read by clean


def test_unknown_suffixes_gzip_and_text_suffixes_are_sniffed(tmp_path: Path) -> None:
    page = (INPUTS / "bridge_local.html").read_bytes()
    (tmp_path / "saved_page.txt").write_bytes(page)  # a whole HTML document under a text suffix
    (tmp_path / "page.dat").write_bytes(page)
    (tmp_path / "feed.bin").write_bytes((READERS / "harbour_rss.xml").read_bytes())
    (tmp_path / "dump").write_bytes((INPUTS / "bridge_export.jsonl").read_bytes())
    (tmp_path / "story.txt.gz").write_bytes(gzip.compress("Río Claro flooded on Tuesday.\n".encode()))
    (tmp_path / "export.jsonl.gz").write_bytes(gzip.compress((INPUTS / "bridge_export.jsonl").read_bytes()))
    (tmp_path / "notes.log").write_bytes("Plain notes about the vote.\n".encode("utf-16"))
    names = ["saved_page.txt", "page.dat", "feed.bin", "dump", "story.txt.gz", "export.jsonl.gz", "notes.log"]
    results = {n: list(iter_input(str(tmp_path / n))) for n in names}
    # the feed fixture's third entry has no text, on purpose
    assert all(isinstance(a, Article) for n, v in results.items() for a in v[:2]), results
    firsts = {n: _articles(v)[0] for n, v in results.items()}
    assert firsts["saved_page.txt"].outlet == "Tolvan Courier"
    assert firsts["page.dat"].title == firsts["saved_page.txt"].title
    assert firsts["feed.bin"].outlet == "The Harbour Ledger" and len(_articles(results["feed.bin"])) == 2
    assert firsts["dump"].id == "bridge-nl-1"
    assert (firsts["story.txt.gz"].id, firsts["story.txt.gz"].raw_text) == (
        "story",
        "Río Claro flooded on Tuesday.\n",
    )
    assert firsts["export.jsonl.gz"].id == "bridge-nl-1"
    assert firsts["notes.log"].raw_text == "Plain notes about the vote.\n"
    assert sniff(b"{not json at all", "x") == "text"
    assert sniff(b'[{"text": "a"}]', "x") == "json"
    assert sniff(b"[Updated] Council votes to close the pool.", "x") == "text"


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


def test_stdin_is_sniffed_like_a_file(monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, "Caf\xe9 owners protest the new tax\n\nThe owners met on Monday.\n".encode("cp1252"))
    (text,) = list(read_inputs(["-"]))
    assert isinstance(text, Article) and (text.id, text.source) == ("stdin", "-")
    assert text.raw_text.startswith("Café owners")
    lines = [json.dumps({"title": f"Story {n}", "text": f"Body of story number {n}."}) for n in (1, 2)]
    _stdin(monkeypatch, "\n".join(lines).encode())
    records = _articles(list(read_inputs(["-"])))
    assert [a.id for a in records] == ["stdin:1", "stdin:2"]
    _stdin(monkeypatch, gzip.compress((INPUTS / "bridge_local.html").read_bytes()))
    (page,) = list(read_inputs(["-"]))
    assert isinstance(page, Article) and page.outlet == "Tolvan Courier"
    _stdin(monkeypatch, b"")
    assert [str(e) for e in read_inputs(["-"])] == ["-: empty input"]


@pytest.mark.parametrize(
    ("url", "outlet"),
    [
        ("https://www.reuters.com/world/europe/story-2024-05-01/", "reuters.com"),
        ("https://news.bbc.co.uk/2/hi/world.stm", "bbc.co.uk"),
        ("https://edition.cnn.com/2024/05/01/x.html", "cnn.com"),
        ("http://www.tolvan-courier.example:8080/a", "tolvan-courier.example"),
        ("http://127.0.0.1:8000/article", "127.0.0.1"),
        ("not a url", None),
        (None, None),
        ("https:///nohost", None),
    ],
)
def test_outlet_from_url(url: str | None, outlet: str | None) -> None:
    assert outlet_from_url(url) == outlet


def test_a_reader_bug_costs_one_input_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.html").write_text("<html><body><p>x</p></body></html>", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Headline\n\nA body line.\n", encoding="utf-8")

    def broken(*args: object, **kwargs: object) -> Article:
        raise RuntimeError("lxml exploded\non two lines")

    monkeypatch.setattr(detect, "read_html", broken)
    first, second = list(read_inputs([tmp_path]))
    assert (
        str(first) == f"{tmp_path / 'a.html'}: could not be read (RuntimeError: lxml exploded on two lines)"
    )
    assert isinstance(second, Article)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000), st.sampled_from([None, "text", "html", "json", "feed"]))
def test_read_bytes_yields_articles_or_input_errors(data: bytes, kind: detect.Kind | None) -> None:
    try:
        items = list(read_bytes(data, "fuzz.bin", "fuzz", kind))
    except InputError as err:
        assert str(err).startswith("fuzz.bin") and "\n" not in str(err)
        return
    assert all(isinstance(item, Article | InputError) for item in items)
