"""The HTTP API and the server-rendered pages, through the ASGI test client (no network, no browser).

One store is filled once per module through the upload API itself (a three-report port strike and two
hostile articles, all invented), so these tests run the real pipeline behind the server.
"""

from __future__ import annotations

import gzip
import http.server
import io
import re
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from storyweave.cli import main
from storyweave.render import validate_brief
from storyweave.server import ConfigError, create_app
from storyweave.server.security import CSP
from storyweave.server.ui import PageCache
from storyweave.service import export_store

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "server"
BASE = "http://127.0.0.1"
TOKEN = "test-token-0123456789abcdef"
MAX_UPLOAD = 256 * 1024
STRIKE_FILES = ("strike_wire.txt", "strike_local.html", "strike_more.jsonl")
HOSTILE_FILES = ("hostile.jsonl", "hostile.html")
TULIPS = (
    b"A single tulip bulb of a new violet variety sold for 12,000 euros at the Aalsmeer flower auction on "
    b"Thursday, a record for the season, the auction house said."
)
ACTIVE_TAGS = frozenset({"script", "iframe", "frame", "object", "embed", "svg", "math", "base"})


class _ActiveContent(HTMLParser):
    """Everything in a page that a browser would act on: script-like elements, event-handler attributes
    (onerror=, onload=...) and javascript: addresses. Text, escaped markup included, is not."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        refresh = tag == "meta" and ("http-equiv", "refresh") in [(n, (v or "").lower()) for n, v in attrs]
        if (tag in ACTIVE_TAGS and tag != "meta") or refresh:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag} {name}=")
            if name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"{tag} {name}={value}")


def active_content(html: str) -> list[str]:
    parser = _ActiveContent()
    parser.feed(html)
    parser.close()
    return parser.found


def _files(*names: str) -> list[tuple[str, tuple[str, bytes]]]:
    return [("files", (name, (FIXTURES / name).read_bytes())) for name in names]


def _snapshot(db: Path) -> str:
    """The whole store as its export: equal before and after means nothing stored changed."""
    out = io.StringIO()
    export_store(db, out)
    return out.getvalue()


class Served:
    """The module's server: its client, store path, and what the fixture uploads returned."""

    def __init__(self, client: TestClient, db: Path, strike: dict[str, Any], hostile: dict[str, Any]) -> None:
        self.client = client
        self.db = db
        self.strike = strike
        self.hostile = hostile

    @property
    def strike_story(self) -> str:
        return str(self.strike["stories"][0])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    db = tmp_path_factory.mktemp("server") / "news.db"
    app = create_app(db, max_upload_bytes=MAX_UPLOAD, max_upload_articles=20)
    with TestClient(app, base_url=BASE) as client:
        strike = client.post("/api/articles", files=_files(*STRIKE_FILES))
        assert strike.status_code == 201, strike.text
        hostile = client.post("/api/articles", files=_files(*HOSTILE_FILES))
        assert hostile.status_code == 201, hostile.text
        settle(client)
        yield Served(client, db, strike.json(), hostile.json())


def settle(client: TestClient) -> None:
    """Wait (bounded) until the background worker has briefed every story: stable snapshots for tests."""
    assert client.app.state.service.rebriefer.wait_idle(120)  # type: ignore[attr-defined]


# -- adding articles ---------------------------------------------------------------------------------


def test_upload_of_text_html_and_json_lines_makes_one_story(served: Served) -> None:
    added = served.strike["added"]
    assert [a["article_id"] for a in added] == ["strike_wire", "strike_local", "harbour-daily-strike"]
    assert len({a["story_id"] for a in added}) == 1
    assert [a["new_story"] for a in added] == [True, False, False]
    assert served.strike["errors"] == [] and served.strike["already_stored"] == []


def test_uploading_the_same_file_again_changes_nothing(served: Served) -> None:
    settle(served.client)
    before = _snapshot(served.db)
    response = served.client.post("/api/articles", files=_files("strike_wire.txt"))
    assert response.status_code == 200
    body = response.json()
    assert body["added"] == [] and len(body["already_stored"]) == 1
    assert "already stored" in body["already_stored"][0]
    assert _snapshot(served.db) == before


@pytest.mark.parametrize(
    ("name", "data", "status", "message"),
    [
        ("empty.txt", b"", 400, "empty upload"),
        ("blank.txt", b"  \n\t\n ", 400, "empty upload"),
        ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(range(256)) * 4, 415, "binary"),
        ("photo.txt.gz", gzip.compress(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(300)), 415, "binary"),
        ("big.txt", b"Word " * (MAX_UPLOAD // 5 + 10), 413, "too large"),
        (
            "broken.jsonl",
            b'{"id": "ok-1", "title": "Fine", "text": "A fine record about a ferry strike in Calais."}\n'
            b'{"id": "bad-2", "text": "unterminated\n',
            422,
            "line 2",
        ),
        ("notext.jsonl", b'{"id": "no-body", "title": "Only a title"}\n', 422, "could not be read"),
    ],
)
def test_bad_uploads_get_a_clear_4xx_and_store_nothing(
    served: Served, name: str, data: bytes, status: int, message: str
) -> None:
    settle(served.client)
    before = _snapshot(served.db)
    response = served.client.post("/api/articles", files=[("files", (name, data))])
    assert response.status_code == status, response.text
    assert message in response.json()["detail"]
    assert _snapshot(served.db) == before


def test_a_good_file_beside_a_bad_one_is_not_stored_either(served: Served) -> None:
    settle(served.client)
    before = _snapshot(served.db)
    good = ("files", ("tulips.txt", TULIPS))
    bad = ("files", ("broken.jsonl", b'{"id": "x", "text": "A fine line."}\n{"id": oops}\n'))
    response = served.client.post("/api/articles", files=[good, bad])
    assert response.status_code == 422
    assert "broken.jsonl" in response.json()["detail"] and "line 2" in response.json()["detail"]
    assert _snapshot(served.db) == before


def test_an_upload_with_nothing_left_after_cleaning_stores_nothing(served: Served) -> None:
    settle(served.client)
    before = _snapshot(served.db)
    good = ("files", ("tulips.txt", TULIPS))
    empty = ("files", ("menu.txt", b"Advertisement\n\nShare this article\n\nSubscribe to our newsletter\n"))
    response = served.client.post("/api/articles", files=[good, empty])
    assert response.status_code == 422
    assert "nothing stored" in response.json()["detail"]
    assert any("no article text left" in e for e in response.json()["errors"]), response.text
    assert _snapshot(served.db) == before


def test_a_body_over_the_limit_is_refused_while_streaming(served: Served) -> None:
    settle(served.client)
    before = _snapshot(served.db)

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit must hold while reading
        yield b'--b\r\nContent-Disposition: form-data; name="files"; filename="a.txt"\r\n\r\n'
        for _ in range(MAX_UPLOAD // 1024 + 8):
            yield b"x" * 1024

    response = served.client.post(
        "/api/articles", content=chunks(), headers={"content-type": "multipart/form-data; boundary=b"}
    )
    assert response.status_code == 413
    assert "too large" in response.json()["detail"]
    assert _snapshot(served.db) == before


def test_too_many_articles_in_one_upload(served: Served) -> None:
    lines = b"".join(
        b'{"id": "many-%d", "text": "Record %d about a ferry strike in Calais on Friday."}\n' % (i, i)
        for i in range(21)
    )
    response = served.client.post("/api/articles", files=[("files", ("many.jsonl", lines))])
    assert response.status_code == 413
    assert "too many articles" in response.json()["detail"]


def test_an_upload_without_files_is_a_validation_error(served: Served) -> None:
    response = served.client.post("/api/articles", data={"kind": "text"})
    assert response.status_code == 422


def test_a_taken_id_with_new_content_is_stored_under_a_new_id(served: Served) -> None:
    response = served.client.post("/api/articles", files=[("files", ("strike_wire.txt", TULIPS))])
    assert response.status_code == 201, response.text
    body = response.json()
    assert [a["article_id"] for a in body["added"]] == ["strike_wire-2"]
    assert "taken" in body["notices"][0]
    assert served.client.get("/api/articles/strike_wire-2").json()["text"].startswith("A single tulip")


def test_url_ingestion_refuses_private_addresses_and_other_schemes(served: Served) -> None:
    settle(served.client)
    before = _snapshot(served.db)
    for url, words in [
        ("http://127.0.0.1:9/feed.xml", "private addresses"),
        ("http://[::1]/page.html", "loopback"),
        ("file:///etc/passwd", "not an http(s) URL"),
    ]:
        response = served.client.post("/api/articles/url", json={"url": url})
        assert response.status_code == 422, url
        assert words in response.json()["detail"], response.json()
    assert _snapshot(served.db) == before


def test_url_ingestion_when_the_config_allows_private_addresses(tmp_path: Path) -> None:
    handler = lambda *a: http.server.SimpleHTTPRequestHandler(*a, directory=str(FIXTURES))  # noqa: E731
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/strike_local.html"
        app = create_app(tmp_path / "url.db", allow_private=True)
        with TestClient(app, base_url=BASE) as client:
            response = client.post("/api/articles/url", json={"url": url})
            assert response.status_code == 201, response.text
            [added] = response.json()["added"]
            article = client.get(f"/api/articles/{added['article_id']}").json()
            assert article["url"] == url and "2,500 dock workers" in article["text"]
    finally:
        httpd.shutdown()
        httpd.server_close()


# -- reading ------------------------------------------------------------------------------------------


def test_list_search_sort_and_page_stories(served: Served) -> None:
    client = served.client
    everything = client.get("/api/stories").json()
    assert everything["total"] >= 3
    strike = client.get("/api/stories", params={"q": "DOCK strike"}).json()
    assert [s["id"] for s in strike["stories"]] == [served.strike_story]
    assert client.get("/api/stories", params={"q": "zeppelin"}).json()["total"] == 0
    by_size = client.get("/api/stories", params={"sort": "size"}).json()["stories"]
    sizes = [s["article_count"] for s in by_size]
    assert sizes == sorted(sizes, reverse=True) and by_size[0]["id"] == served.strike_story
    page = client.get("/api/stories", params={"limit": 1, "offset": 1}).json()
    assert page["total"] == everything["total"] and len(page["stories"]) == 1
    assert page["stories"][0]["id"] == everything["stories"][1]["id"]
    assert client.get("/api/stories", params={"sort": "alphabetical"}).status_code == 422
    detail = client.get(f"/api/stories/{served.strike_story}").json()
    assert {a["id"] for a in detail["articles"]} == {"strike_wire", "strike_local", "harbour-daily-strike"}
    assert detail["story"]["article_count"] == 3


def test_brief_as_json_contract_markdown_and_html(served: Served) -> None:
    url = f"/api/stories/{served.strike_story}/brief"
    data = served.client.get(url).json()
    validate_brief(data)
    assert data["story"]["id"] == served.strike_story
    assert data["story"]["article_count"] == 3
    assert {a["id"] for a in data["articles"]} == {"strike_wire", "strike_local", "harbour-daily-strike"}
    assert served.client.get(f"/api/stories/{served.strike_story}").json()["story"]["brief_current"]
    markdown = served.client.get(url, params={"format": "md"})
    assert markdown.headers["content-type"].startswith("text/markdown")
    assert data["story"]["headline"] in markdown.text
    page = served.client.get(url, params={"format": "html"})
    assert page.headers["content-type"].startswith("text/html")
    assert "script" not in page.headers["content-security-policy"]
    assert page.text.lstrip().lower().startswith("<!doctype html>")
    missing = served.client.get("/api/stories/s_000000000000/brief")
    assert missing.status_code == 404 and "no story" in missing.json()["detail"]


def test_article_with_its_cleaning_log(served: Served) -> None:
    article = served.client.get("/api/articles/strike_wire").json()
    reasons = {r["reason"]: r["text"] for r in article["removed"]}
    assert reasons["advertising"] == "Advertisement"
    assert "ROTTERDAM" in reasons["metadata"]
    assert "Advertisement" in article["raw_text"] and "Advertisement" not in article["text"]
    assert article["sentences"] >= 5 and article["quotes"] >= 1
    assert served.client.get("/api/articles/no-such-article").status_code == 404


def test_openapi_document_and_reference_page(served: Served) -> None:
    spec = served.client.get("/api/openapi.json").json()
    for path in ("/api/stories", "/api/stories/{story_id}/brief", "/api/articles", "/api/articles/url"):
        assert path in spec["paths"], path
    assert "multipart/form-data" in spec["paths"]["/api/articles"]["post"]["requestBody"]["content"]
    page = served.client.get("/api/docs")
    assert page.status_code == 200
    assert "/api/stories/{story_id}/brief" in page.text and "/api/openapi.json" in page.text
    assert served.client.get("/docs").status_code == 404  # no CDN-hosted Swagger UI


# -- pages --------------------------------------------------------------------------------------------


def test_story_list_page_searches_and_sorts(served: Served) -> None:
    page = served.client.get("/", params={"q": "dock", "sort": "size"})
    assert page.status_code == 200
    assert f'href="/stories/{served.strike_story}"' in page.text
    assert page.text.count('class="story"') == 1
    assert '<option value="size" selected>' in page.text
    assert "No story matches" in served.client.get("/", params={"q": "zeppelin"}).text


def test_brief_page_cites_sentences_and_links_the_compare_view(served: Served) -> None:
    page = served.client.get(f"/stories/{served.strike_story}").text
    links = re.findall(r'href="(/stories/[^"]+/articles/[^"?]+\?hl=(\d+)#s-\2)"', page)
    assert links, "summary citations should open the cited sentence"
    article = served.client.get(links[0][0].replace("&amp;", "&"))
    assert article.status_code == 200
    assert f'class="sentence hl" id="s-{links[0][1]}"' in article.text
    compare = re.findall(r'href="(/stories/[^"]+/facts/[^"]+)"', page)
    assert compare
    view = served.client.get(compare[0])
    assert view.status_code == 200 and 'class="column"' in view.text
    # the one-pager's sections, then everything else collapsed (ids of the one-page brief's page)
    for section in ("what-happened", "sources", "more", "facts", "all-quotes", "entities", "coverage"):
        assert f'id="{section}"' in page
    assert "<meter" in page  # corroboration per fact


def test_article_page_shows_what_cleaning_removed(served: Served) -> None:
    page = served.client.get(f"/stories/{served.strike_story}/articles/strike_wire").text
    assert "What cleaning removed" in page
    assert "<del>Advertisement</del>" in page
    assert "1 metadata" in page and "1 advertising" in page
    wrong_story = served.client.get("/stories/s_000000000000/articles/strike_wire")
    assert wrong_story.status_code == 404 and "text/html" in wrong_story.headers["content-type"]


def test_add_page_reports_success_and_refusal(served: Served) -> None:
    assert served.client.get("/add").status_code == 200
    settle(served.client)
    before = _snapshot(served.db)
    refused = served.client.post("/add", files=[("files", ("empty.txt", b""))])
    assert (
        refused.status_code == 400 and "empty upload" in refused.text and "Nothing was stored" in refused.text
    )
    private = served.client.post("/add", data={"url": "http://127.0.0.1:9/feed.xml"})
    assert private.status_code == 422 and "private addresses" in private.text
    assert _snapshot(served.db) == before
    text = (
        b"Utrecht library reopens\n\nUtrecht's central library reopened on Saturday after a two-year "
        b"renovation, the city said. About 4,000 visitors came on the first day."
    )
    added = served.client.post("/add", files=[("files", ("library.txt", text))])
    assert added.status_code == 201 and "library" in added.text and "(new story)" in added.text


def test_hostile_article_is_inert_on_every_page(served: Served) -> None:
    client = served.client
    stories = sorted({a["story_id"] for a in served.hostile["added"]})
    pages = ["/", "/add", "/api/docs", *(f"/stories/{s}" for s in stories)]
    for story in stories:
        brief = client.get(f"/api/stories/{story}/brief").json()
        pages += [f"/stories/{story}/articles/{a['id']}" for a in brief["articles"]]
        pages += [f"/stories/{story}/facts/{f['id']}" for f in brief["facts"]]
        pages.append(f"/api/stories/{story}/brief?format=html")
    seen_escaped = False
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.text
        assert "<script" not in html.lower(), url
        assert active_content(html) == [], url
        seen_escaped |= "&lt;script&gt;" in html
    assert seen_escaped, "hostile text should be shown, escaped, not silently dropped"
    story_of = {a["article_id"]: a["story_id"] for a in served.hostile["added"]}
    titled = client.get(f"/stories/{story_of['hostile-council']}/articles/hostile-council").text
    assert "<h1>&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;Council votes" in titled


def test_the_active_content_check_finds_what_it_must() -> None:
    page = (
        '<p title="&lt;img onerror=x&gt;">&lt;script&gt;</p><img src=x onerror="alert(1)">'
        '<a href=" JavaScript:alert(1)">x</a><svg></svg><meta charset="utf-8">'
        '<meta http-equiv="Refresh" content="0; url=javascript:alert(1)">'
    )
    assert active_content(page) == ["img onerror=", "a href= JavaScript:alert(1)", "<svg>", "<meta>"]


def test_security_headers_on_pages_and_api(served: Served) -> None:
    for url in ("/", "/api/stories", f"/stories/{served.strike_story}", "/no-such-page"):
        headers = served.client.get(url).headers
        assert headers["content-security-policy"] == CSP, url
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["x-frame-options"] == "DENY"
    assert "script-src" not in CSP and "default-src 'none'" in CSP


def test_cross_site_writes_and_foreign_hosts_are_refused(served: Served) -> None:
    settle(served.client)
    before = _snapshot(served.db)
    text = b"Tugboat crews joined the Rotterdam dock strike on Wednesday, the union said."
    for headers in ({"origin": "http://evil.example"}, {"sec-fetch-site": "cross-site"}, {"origin": "null"}):
        response = served.client.post("/api/articles", files=[("files", ("tug.txt", text))], headers=headers)
        assert response.status_code == 403, headers
    assert _snapshot(served.db) == before
    same = served.client.get("/", headers={"origin": BASE})
    assert same.status_code == 200
    rebound = served.client.get("/api/stories", headers={"host": "attacker.example:8000"})
    assert rebound.status_code == 400
    assert served.client.get("/api/stories", headers={"host": "localhost:8000"}).status_code == 200


# -- the token ------------------------------------------------------------------------------------------


def test_a_token_is_checked_on_every_api_and_ui_request(tmp_path: Path) -> None:
    app = create_app(tmp_path / "guarded.db", TOKEN, bind_host="0.0.0.0")
    with TestClient(app, base_url="http://news.example.org") as client:
        for url in ("/", "/api/stories", "/api/openapi.json", "/api/docs", "/static/style.css", "/nope"):
            response = client.get(url)
            assert response.status_code == 401, url
            assert response.headers["www-authenticate"].startswith("Bearer")
        assert (
            client.get("/api/stories", headers={"authorization": "Bearer wrong-token-0123456789"}).status_code
            == 401
        )
        assert client.get("/api/stories", params={"token": TOKEN}).status_code == 401  # API: header only
        bearer = {"authorization": f"Bearer {TOKEN}"}
        assert client.get("/api/stories", headers=bearer).json()["total"] == 0
        assert (
            client.post("/api/articles", files=[("files", ("e.txt", b""))], headers=bearer).status_code == 400
        )
        assert client.get("/", params={"token": "not-the-token-at-all"}).status_code == 401
        login = client.get("/", params={"token": TOKEN, "sort": "size"}, follow_redirects=False)
        assert login.status_code == 303
        assert login.headers["location"] == "/?sort=size"
        cookie = login.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and TOKEN not in cookie
        # the client keeps the cookie: pages and the API now answer
        assert client.get("/").status_code == 200
        assert client.get("/api/stories").status_code == 200
        assert client.get("/static/style.css").headers["content-type"].startswith("text/css")
        client.cookies.clear()
        assert client.get("/").status_code == 401


def test_login_redirect_never_leaves_the_site(tmp_path: Path) -> None:
    app = create_app(tmp_path / "guarded.db", TOKEN)
    with TestClient(app, base_url=BASE) as client:
        response = client.get(f"/%2Fevil.example/?token={TOKEN}", follow_redirects=False)
        assert response.status_code == 303
        location = response.headers["location"]
        assert location == "/evil.example/", location  # a path on this site, not "//evil.example/"
        for path in ("/%5cevil.example", "/%5C%5Cevil.example/x", "/%2F%5Cevil.example"):
            # browsers read "/\\host" like "//host": no backslash may survive, and the path stays on this site
            location = client.get(f"{path}?token={TOKEN}", follow_redirects=False).headers["location"]
            assert location.startswith("/evil.example") and "\\" not in location, location


def test_unsafe_configurations_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ConfigError, match="without a token"):
        create_app(tmp_path / "a.db", bind_host="0.0.0.0")
    with pytest.raises(ConfigError, match="at least 16"):
        create_app(tmp_path / "a.db", "short", bind_host="192.0.2.10")
    assert create_app(tmp_path / "a.db", bind_host="::1").state.config.token is None
    assert main(["serve", "--db", str(tmp_path / "a.db"), "--host", "0.0.0.0"]) == 2
    assert "refusing to serve on 0.0.0.0 without a token" in capsys.readouterr().err


def test_the_token_can_come_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("STORYWEAVE_TOKEN", "tiny")
    assert main(["serve", "--db", str(tmp_path / "b.db"), "--host", "0.0.0.0", "--port", "8123"]) == 2
    assert "at least 16 characters" in capsys.readouterr().err  # the environment's token was read, checked


def test_a_cached_brief_page_is_not_served_once_the_story_changed(tmp_path: Path) -> None:
    app = create_app(tmp_path / "cache.db")
    with TestClient(app, base_url=BASE) as client:
        first = client.post("/api/articles", files=_files("strike_wire.txt", "strike_local.html")).json()
        story = first["stories"][0]
        settle(client)
        page = client.get(f"/stories/{story}").text
        assert "2 articles" in page and client.get(f"/stories/{story}").text == page  # served again
        assert client.get("/api/stories").json()["stories"][0]["article_count"] == 2
        more = client.post("/api/articles", files=_files("strike_more.jsonl")).json()
        assert more["stories"] == [story]
        settle(client)
        assert "3 articles" in client.get(f"/stories/{story}").text
        assert client.get("/api/stories").json()["stories"][0]["article_count"] == 3  # the listing too


def test_page_cache_keeps_to_its_budget() -> None:
    cache = PageCache(budget=10)
    cache.put(("a", 1, 1), "aaaa")
    cache.put(("b", 1, 1), "bbbb")
    assert cache.get(("a", 1, 1)) == "aaaa"  # now the most recently used
    cache.put(("c", 1, 1), "cccc")
    assert cache.get(("b", 1, 1)) is None and cache.get(("a", 1, 1)) == "aaaa"
    assert cache.get(("a", 2, 1)) is None  # another story version is another page
    cache.put(("d", 1, 1), "d" * 11)  # larger than the whole budget: not kept
    assert cache.get(("d", 1, 1)) is None
