"""The monitoring workspace through the ASGI test client: same-origin form posts as browsers send them, the
paste form, search and filters in the API and the pages, the watch list and alert rules, "changed since you
last looked", briefs re-made off the request path, and pages that never show server paths.

Articles: the invented port strike of tests/fixtures/server and the invented stories of tests/fixtures/mixed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from storyweave.server import create_app
from storyweave.service import add_to_store

FIXTURES = Path(__file__).resolve().parent / "fixtures"
BASE = "http://127.0.0.1"
STRIKE = ("strike_wire.txt", "strike_local.html", "strike_more.jsonl")
PASTED = (
    "Ferry service to Vlieland suspended after storm damage\n\n"
    "The ferry between Harlingen and the island of Vlieland was suspended on Sunday after a storm damaged "
    "the landing stage, the operator Doeksen said. Repairs are expected to take three days, and a water "
    "taxi will carry residents in the meantime, the operator said."
)


def _settle(client: TestClient) -> None:
    assert client.app.state.service.rebriefer.wait_idle(120)  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    db = tmp_path_factory.mktemp("workspace") / "news.db"
    app = create_app(db)
    with TestClient(app, base_url=BASE) as test_client:
        files = [("files", (n, (FIXTURES / "server" / n).read_bytes())) for n in STRIKE]
        assert test_client.post("/api/articles", files=files).status_code == 201
        _settle(test_client)
        yield test_client


def test_form_posts_from_our_own_pages_are_accepted_as_browsers_send_them(client: TestClient) -> None:
    # Referrer-Policy no-referrer makes a browser send "Origin: null"; Sec-Fetch-Site says it is ours
    same = {"origin": "null", "sec-fetch-site": "same-origin"}
    response = client.post("/add", data={"text": PASTED}, headers=same)
    assert response.status_code == 201, response.text
    assert "Added 1 article" in response.text
    for refused in (
        {"origin": "null"},  # an old browser that does not say where the post comes from
        {"origin": "null", "sec-fetch-site": "cross-site"},
        {"origin": "http://127.0.0.1:9999", "sec-fetch-site": "same-site"},  # another port: another site
        {"origin": "https://evil.example"},
    ):
        answer = client.post("/add", data={"text": PASTED + " Again."}, headers=refused)
        assert answer.status_code == 403, refused
        assert 'href="/"' in answer.text  # a way back


def test_pasted_text_with_outlet_and_address(client: TestClient) -> None:
    text = PASTED.replace("Sunday", "Monday").replace("three", "four")
    response = client.post("/add", data={"text": text, "outlet": "Wadden Courant", "article_url": "ftp://x"})
    assert response.status_code == 422 and "not an http(s) address" in response.text
    assert "Nothing was stored" in response.text and 'href="/"' in response.text
    response = client.post(
        "/add", data={"text": text, "outlet": "Wadden Courant", "article_url": "https://wadden.example/ferry"}
    )
    assert response.status_code == 201
    hits = client.get("/api/search", params={"q": "Vlieland landing", "outlet": "Wadden Courant"}).json()
    assert hits["total"] >= 1 and {h["kind"] for h in hits["hits"]} >= {"article"}


def test_search_api_finds_body_text_with_snippets_and_filters(client: TestClient) -> None:
    body = client.get("/api/search", params={"q": "container"}).json()
    assert body["total"] >= 1
    hit = body["hits"][0]
    assert any(p["match"] and p["text"].lower().startswith("container") for p in hit["parts"])
    assert "\x02" not in hit["snippet"] and "".join(p["text"] for p in hit["parts"]) == hit["snippet"]
    assert (
        client.get("/api/search", params={"q": "container", "outlet": "Nobody Gazette"}).json()["total"] == 0
    )
    assert client.get("/api/search", params={"q": "container", "since": "2031-01-01"}).json()["total"] == 0
    assert client.get("/api/search", params={"q": "x", "since": "yesterday"}).status_code == 422
    stories = client.get("/api/stories", params={"q": "container"}).json()  # words not in any headline
    assert stories["total"] == 1
    story = stories["stories"][0]
    assert "Harbour Daily" in story["outlets"] and story["contested"] is not None
    assert client.get("/api/stories", params={"min_size": 50}).json()["total"] == 0


def test_search_and_story_list_pages(client: TestClient) -> None:
    page = client.get("/search", params={"q": "container"})
    assert page.status_code == 200 and "<mark>" in page.text and "match" in page.text
    listing = client.get("/", params={"q": "container", "min_size": "2"}).text
    assert "Harbour Daily" in listing and "Contested" in listing and "Coverage by lean" in listing
    assert "1 story" in listing
    assert "No story matches" in client.get("/", params={"outlet": "Nobody Gazette"}).text


def test_watch_list_and_rules_in_the_api_and_the_pages(client: TestClient) -> None:
    made = client.post(
        "/api/watch/sources", json={"target": "https://feeds.example/world.xml", "every": "30m"}
    )
    assert made.status_code == 201 and made.json()["every_seconds"] == 1800
    assert client.post("/api/watch/sources", json={"target": "/etc", "every": "5m"}).status_code == 422
    assert (
        client.post("/api/watch/sources", json={"target": "https://x.example", "every": "x"}).status_code
        == 422
    )
    page = client.post("/watch/sources", data={"target": "https://feeds.example/local.xml", "every": "1h"})
    assert page.status_code == 200 and "feeds.example/local.xml" in page.text  # after the 303 to /watch
    rule = client.post("/api/watch/rules", json={"rule": "outlets>=2"})
    assert rule.status_code == 201 and rule.json()["rule"] == "outlets>=2"
    assert client.post("/api/watch/rules", json={"rule": "whenever"}).status_code == 422
    bad = client.post("/watch/rules", data={"rule": "whenever"})
    assert bad.status_code == 422 and "not a rule" in bad.text
    listed = client.get("/api/watch").json()
    assert [s["target"] for s in listed["sources"]][-2:] == [
        "https://feeds.example/world.xml",
        "https://feeds.example/local.xml",
    ]
    source_id = listed["sources"][0]["id"]
    assert client.delete(f"/api/watch/sources/{source_id}").status_code == 204
    assert client.delete(f"/api/watch/sources/{source_id}").status_code == 404
    assert "world.xml" not in client.get("/watch").text


def test_an_alert_shows_as_changed_since_you_last_looked(client: TestClient) -> None:
    client.post("/api/watch/rules", json={"rule": "search:dock workers"})
    _settle(client)  # a new rule is checked against the stories by the background worker
    # the rule fires when a matching story grows
    extra = (
        "Dock workers return to Rotterdam quays\n\nDock workers at the port of Rotterdam went back to work "
        "on "
        "Thursday after the union accepted a 5 percent pay offer, ending the strike that halted container "
        "traffic, the port authority said."
    )
    assert client.post("/add", data={"text": extra, "outlet": "Maas Courier"}).status_code == 201
    alerts = client.get("/api/alerts").json()
    assert any(a["kind"] == "search" and "dock workers" in a["message"] for a in alerts["alerts"])
    listing = client.get("/").text
    assert "Changed since you last looked" in listing and "dock workers" in listing
    newest = max(a["id"] for a in alerts["alerts"])
    assert client.post("/alerts/seen", data={"upto": str(newest)}).status_code == 200
    assert "Changed since you last looked" not in client.get("/").text
    assert client.get("/api/alerts").json()["alerts"] == []
    assert client.get("/api/alerts", params={"after": 0}).json()["alerts"]


def test_a_stale_brief_is_served_at_once_marked_updating(tmp_path: Path, client: TestClient) -> None:
    service = client.app.state.service  # type: ignore[attr-defined]
    story = client.get("/api/stories", params={"q": "container"}).json()["stories"][0]["id"]
    hold = service.rebriefer.hold()
    hold.__enter__()  # no brief is made until released
    try:
        # another process adds a report to the story and a new story
        mixed = FIXTURES / "mixed"
        wire = (FIXTURES / "server" / "strike_wire.txt").read_text(encoding="utf-8")
        (tmp_path / "strike_update.txt").write_text(
            wire.replace("Monday", "Tuesday") + "\n\nTalks resumed on Tuesday.", encoding="utf-8"
        )
        added = add_to_store(
            [tmp_path / "strike_update.txt", mixed / "pension_a.txt"], service.config.db_path
        )
        assert len(added.added) == 2
        new_story = next(a.story_id for a in added.added if a.article_id == "pension_a")
        page = client.get(f"/stories/{story}")
        assert page.status_code == 200 and "being updated" in page.text
        api = client.get(f"/api/stories/{story}/brief")
        assert api.status_code == 200 and api.headers["x-storyweave-brief"] == "updating"
        first = client.get(f"/stories/{new_story}")
        assert first.status_code == 202 and "being made" in first.text and "Reload" in first.text
        pending = client.get(f"/api/stories/{new_story}/brief")
        assert pending.status_code == 202 and pending.headers["retry-after"] == "2"
    finally:
        hold.__exit__(None, None, None)
    _settle(client)
    assert client.get(f"/api/stories/{story}/brief").headers["x-storyweave-brief"] == "current"
    assert client.get(f"/api/stories/{new_story}/brief").status_code == 200
    assert "being updated" not in client.get(f"/stories/{story}").text


def test_pages_show_no_server_paths_and_single_source_facts_have_no_compare_link(
    tmp_path: Path, client: TestClient
) -> None:
    service = client.app.state.service  # type: ignore[attr-defined]
    source = tmp_path / "deep" / "inbox" / "quake_wire.txt"
    source.parent.mkdir(parents=True)
    source.write_text((FIXTURES / "mixed" / "quake_wire.txt").read_text(encoding="utf-8"), encoding="utf-8")
    added = add_to_store([source], service.config.db_path).added[0]
    _settle(client)
    page = client.get(f"/stories/{added.story_id}/articles/{added.article_id}").text
    assert "quake_wire.txt" in page and str(tmp_path) not in page
    assert client.get(f"/api/articles/{added.article_id}").json()["source"] == "quake_wire.txt"
    brief = client.get(f"/stories/{added.story_id}").text  # one article: every fact has one source
    assert "compare wordings" not in brief
    missing = client.get("/stories/s_nothing")
    assert missing.status_code == 404 and 'href="/"' in missing.text


def test_the_servers_outlet_table_names_pasted_articles_and_drives_lean_filters(tmp_path: Path) -> None:
    from storyweave.outlets import OutletTable

    table = OutletTable.load(Path(__file__).resolve().parent.parent / "examples" / "outlets.example.csv")
    with TestClient(create_app(tmp_path / "lean.db", outlets=table), base_url=BASE) as lean_client:
        added = lean_client.post(
            "/add",
            data={"text": PASTED, "article_url": "https://news.right-herald.example/ferry"},
        )
        assert added.status_code == 201
        story = lean_client.get("/api/stories", params={"lean": "right"}).json()["stories"]
        assert (
            len(story) == 1
            and story[0]["outlets"] == ["Example Right Herald"]
            and story[0]["leans"] == {"right": 1}
        )
        assert lean_client.get("/api/stories", params={"lean": "left"}).json()["total"] == 0
        assert lean_client.get("/api/stories", params={"one_side": "true"}).json()["total"] == 1
        article = lean_client.get(f"/api/stories/{story[0]['id']}").json()["articles"][0]["id"]
        page = lean_client.get(f"/stories/{story[0]['id']}/articles/{article}").text
        assert "Example Right Herald (lean right) (country Otherland) (owner Example Holdings)" in page
