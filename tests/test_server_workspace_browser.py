"""The monitoring workspace in headless Chromium (Debian's ``chromium``, driven by Playwright), with the
pages' Content-Security-Policy and Referrer-Policy in force, as a user's browser gets them.

Each add form is filled and submitted (upload, URL, paste): the browser sends ``Origin: null`` under our
no-referrer policy and the server must accept it by ``Sec-Fetch-Site: same-origin``. Then search, the
story list filters, the watch list, and an alert appearing as "changed since you last looked". Every page
is screenshotted at 1,400 px wide into out/test-artifacts/workspace/ for a human to look at; the story list
and the brief page must use the width (no narrow column).

Articles: the invented stories of tests/fixtures/mixed and tests/fixtures/server, with invented outlets from
examples/outlets.example.csv. Skipped only when Chromium or Playwright is missing outside CI.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from tests.helpers import CHROMIUM, require_browser

from helpers import loopback_server
from storyweave.ingest.text import read_text
from storyweave.outlets import OutletTable
from storyweave.server import create_app
from storyweave.service import add_to_store

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
ARTIFACTS = ROOT / "out" / "test-artifacts" / "workspace"
WIDTH = 1400
PLACES = {
    "quake_wire": "https://wire.example/quake",
    "quake_reprint": "https://left-daily.example/quake",
    "quake_local": "https://news.right-herald.example/quake",
    "pension_a": "https://left-daily.example/pension",
}
PAGE_HTML = (
    "<html><head><title>Tram line to Zernike approved</title></head><body><article>"
    "<h1>Tram line to Zernike approved</h1><p>The city council of Groningen voted 23 to 16 on Tuesday to "
    "extend the northern tram line to the Zernike campus by 2029, the council said in a statement.</p>"
    "<p>The extension will cost 140 million euros, of which the province pays half, alderman Inge Jansma "
    "said after the vote. Construction is to start in 2026.</p></article></body></html>"
)


class Site:
    def __init__(self, base: str, page_url: str, app: Any) -> None:
        self.base = base
        self.page_url = page_url
        self.app = app

    def settle(self) -> None:
        assert self.app.state.service.rebriefer.wait_idle(120)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    require_browser()
    import uvicorn

    table = OutletTable.load(ROOT / "examples" / "outlets.example.csv")
    db = tmp_path_factory.mktemp("workspace-ui") / "news.db"
    articles = []
    for name, url in PLACES.items():
        path = FIXTURES / "mixed" / f"{name}.txt"
        articles.append(table.annotate(replace(read_text(path.read_bytes(), name, str(path)), url=url)))
    assert len(add_to_store(articles, db).added) == 4
    app = create_app(db, allow_private=True, outlets=table)

    class Page(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            return

        def do_GET(self) -> None:
            data = PAGE_HTML.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the server did not start")
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        with loopback_server(Page) as page_base:
            built = Site(f"http://127.0.0.1:{port}", f"{page_base}/tram.html", app)
            built.settle()
            yield built
    finally:
        server.should_exit = True
        thread.join(timeout=15)


@pytest.fixture(scope="module")
def tab(site: Site) -> Iterator[Any]:
    sync_api = require_browser()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        context = browser.new_context(viewport={"width": WIDTH, "height": 900})  # CSP in force
        page = context.new_page()
        page.set_default_timeout(30_000)
        try:
            yield page
        finally:
            browser.close()


def _shot(page: Any, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _submit(page: Any, label: str) -> None:
    """Press the button labelled ``label`` (or follow the link) and wait for the page it leads to."""
    with page.expect_navigation():
        button = page.get_by_role("button", name=label, exact=True)
        button.or_(page.get_by_role("link", name=label, exact=True)).first.click()


def _main_width(page: Any) -> float:
    return float(page.evaluate("document.querySelector('main').getBoundingClientRect().width"))


def test_add_forms_upload_url_and_paste_work_in_a_browser(site: Site, tab: Any) -> None:
    tab.goto(site.base + "/add")
    _shot(tab, "01-add-form")
    tab.set_input_files("#files", str(FIXTURES / "server" / "strike_wire.txt"))
    _submit(tab, "Upload")
    assert "Added 1 article" in tab.content(), tab.content()[:2000]
    _shot(tab, "02-add-uploaded")

    tab.goto(site.base + "/add")
    tab.fill("#url", site.page_url)
    _submit(tab, "Fetch")
    assert "Added 1 article" in tab.content(), tab.content()[:2000]

    tab.goto(site.base + "/add")
    tab.fill(
        "#text",
        "Ferry to Vlieland suspended after storm\n\nThe ferry between Harlingen and Vlieland was suspended "
        "on Sunday after a storm damaged the landing stage, the operator said. Repairs will take three days.",
    )
    tab.fill("#outlet", "Wadden Courant")
    _submit(tab, "Add the text")
    assert "Added 1 article" in tab.content(), tab.content()[:2000]
    assert "403" not in tab.title()


def test_search_from_the_header_shows_marked_snippets(site: Site, tab: Any) -> None:
    tab.goto(site.base + "/")
    tab.fill("#site-q", "Caraveli")
    tab.press("#site-q", "Enter")
    tab.wait_for_url("**/search?q=Caraveli")
    marks = tab.locator("ol.hits mark")
    assert marks.count() >= 1 and marks.first.inner_text() == "Caravelí"
    _shot(tab, "03-search")
    with tab.expect_navigation():
        tab.locator("ol.hits a[href*=\"/articles/\"]").first.click()
    assert "/articles/" in tab.url
    _shot(tab, "04-article")


def test_story_list_filters_and_columns(site: Site, tab: Any) -> None:
    site.settle()
    tab.goto(site.base + "/")
    assert tab.locator("table.stories tbody tr").count() >= 4
    assert _main_width(tab) > 1200  # the list uses the window, not a 520 px column
    header = tab.locator("table.stories thead").inner_text()
    for column in ("Outlets", "Independent", "Contested", "Coverage by lean", "Last update"):
        assert column in header
    _shot(tab, "05-story-list")
    tab.click("details summary")
    tab.fill("#lean", "right")
    tab.click("form.filters button")
    tab.wait_for_url("**lean=right**")
    rows = tab.locator("table.stories tbody tr")
    assert rows.count() == 1 and "Example Right Herald" in rows.first.inner_text()
    _shot(tab, "06-story-list-filtered")
    with tab.expect_navigation():
        rows.first.locator("a.story").click()
    assert _main_width(tab) > 1200
    _shot(tab, "07-brief")
    compare = tab.locator("a.compare")
    if compare.count():  # in the brief's collapsed "more" sections: follow the link as a reader would
        tab.goto(site.base + (compare.first.get_attribute("href") or ""))
        _shot(tab, "08-compare")


def test_watch_list_and_an_alert_appearing(site: Site, tab: Any) -> None:
    tab.goto(site.base + "/watch")
    tab.fill("#target", "https://feeds.example/world.xml")
    tab.fill("#every", "30m")
    _submit(tab, "Watch")
    assert "feeds.example/world.xml" in tab.locator("table.sources").inner_text()
    tab.fill("#rule", "search:ferry")
    _submit(tab, "Add rule")
    assert "search:ferry" in tab.locator("ul.rules").inner_text()
    tab.goto(site.base + "/add")
    tab.fill(
        "#text",
        "Ferry to Vlieland runs again\n\nThe ferry between Harlingen and Vlieland resumed on Wednesday after "
        "repairs to the landing stage were finished a day early, the operator said.",
    )
    _submit(tab, "Add the text")
    site.settle()
    tab.goto(site.base + "/")
    changes = tab.locator("section.changes")
    assert changes.count() == 1 and "ferry" in changes.inner_text()
    _shot(tab, "09-changed-since-you-last-looked")
    _submit(tab, "Mark all as seen")
    assert tab.locator("section.changes").count() == 0
    tab.goto(site.base + "/watch")
    _shot(tab, "10-watch")
    with tab.expect_navigation():
        tab.locator("table.sources button").first.click()
    assert "world.xml" not in tab.content()


def test_error_pages_have_a_way_back(site: Site, tab: Any) -> None:
    tab.goto(site.base + "/stories/s_nothing_here")
    assert "404" in tab.title()
    _shot(tab, "11-error")
    _submit(tab, "Back to the stories")
    assert tab.url == site.base + "/"
    tab.goto(site.base + "/api/docs")
    _shot(tab, "12-api-docs")
