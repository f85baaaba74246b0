"""The web UI in a real headless Chromium (Debian's ``chromium``, driven by Playwright).

A store is filled with the bundled sample and two hostile articles (invented), served by uvicorn on a free
loopback port in a thread, and browsed: the story list, the sample's brief, a citation followed to its
sentence, a fact's compare view, and every page of the hostile stories with no script ever running.
Pages are loaded with their Content-Security-Policy bypassed, so "no script runs" rests on escaping alone.
Screenshots go to out/test-artifacts/server-ui/ (gitignored, beside the renderer's browser test's) for a
human to look at.

Skipped only when Chromium (or Playwright) is missing on a developer's machine; under CI (``CI`` set) a
missing browser is a failure: ``scripts/install-browser.sh`` installs it.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.helpers import CHROMIUM, require_browser

from storyweave.server import create_app
from storyweave.service import add_to_store
from storyweave.store import Store

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "server"
ARTIFACTS = ROOT / "out" / "test-artifacts" / "server-ui"
DIALOGS: list[str] = []  # messages of any alert/confirm/prompt a page opened: there must be none


class Site:
    """The live server: its base URL and the ids of the stories the tests look at."""

    def __init__(
        self, base: str, sample_story: str, sample_headline: str, hostile_stories: list[str]
    ) -> None:
        self.base = base
        self.sample_story = sample_story
        self.sample_headline = sample_headline
        self.hostile_stories = hostile_stories


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, sample_dir: Path) -> Iterator[Site]:
    require_browser()
    import uvicorn

    db = tmp_path_factory.mktemp("ui") / "news.db"
    sample = sorted(sample_dir.glob("*.txt"))
    result = add_to_store([*sample, FIXTURES / "hostile.jsonl", FIXTURES / "hostile.html"], db)
    assert not result.errors, result.errors
    stems = {p.stem for p in sample}
    story_of = {a.article_id: a.story_id for a in result.added}
    sample_stories = {story_of[s] for s in stems}
    assert len(sample_stories) == 1, "the sample's five reports should make one story"
    sample_story = sample_stories.pop()
    hostile = sorted({sid for aid, sid in story_of.items() if aid not in stems})

    app = create_app(db)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the server did not start")
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    assert app.state.service.rebriefer.wait_idle(300)  # briefs are made in the background: wait for them
    with Store.open(db, create=False) as store:  # the listed headline: the brief's, now that it is made
        row = store.story(sample_story)
        assert row is not None
    try:
        yield Site(f"http://127.0.0.1:{port}", sample_story, row.headline, hostile)
    finally:
        server.should_exit = True
        thread.join(timeout=15)


@pytest.fixture(scope="module")
def page(site: Site) -> Iterator[Any]:
    sync_api = require_browser()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        context = browser.new_context(viewport={"width": 1100, "height": 900}, bypass_csp=True)
        tab = context.new_page()
        tab.set_default_timeout(20_000)
        tab.on("dialog", lambda d: (DIALOGS.append(d.message), d.dismiss()))
        try:
            yield tab
        finally:
            browser.close()


def _shot(tab: Any, name: str) -> None:
    tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def test_story_list_search_and_sort(site: Site, page: Any) -> None:
    page.goto(site.base + "/")
    rows = page.locator("table.stories tbody tr")
    assert rows.count() == 1 + len(site.hostile_stories)
    _shot(page, "01-story-list")
    word = max(site.sample_headline.split(), key=len)
    page.fill("#q", word)
    page.select_option("#sort", "size")
    page.click("form.search button")
    page.wait_for_url(re.compile(r".*/\?q=.*"))
    assert "sort=size" in page.url
    assert rows.count() == 1
    assert rows.first.locator("a.story").inner_text() == site.sample_headline
    assert rows.first.locator("td.num").first.inner_text() == "5"


def test_open_the_sample_brief_follow_a_citation_and_compare(site: Site, page: Any) -> None:
    page.goto(site.base + "/")
    page.locator(f'a.story[href="/stories/{site.sample_story}"]').click()
    page.wait_for_url(f"**/stories/{site.sample_story}")
    assert page.locator("h1").inner_text() == page.locator("title").inner_text().removesuffix(" · storyweave")
    # the one-pager (brief page owned by the one-page brief work): its sections show, the rest is collapsed
    for section in ("What happened", "Quotes", "Timeline", "Sources", "More from the sources"):
        assert page.get_by_role("heading", name=section, exact=True).is_visible()
    assert not page.locator("#facts meter").first.is_visible()  # every fact: in a closed <details>
    _shot(page, "02-brief")

    # a summary citation opens the cited sentence, highlighted and scrolled into view
    first = page.locator("#what-happened .summary-sentence").first
    first.locator("a.cite").first.click()
    page.wait_for_url(re.compile(r".*/articles/.*\?hl=\d+#s-\d+$"))
    sentence = page.locator(".sentence.hl")
    assert sentence.count() == 1
    top = sentence.evaluate("e => e.getBoundingClientRect().top")
    assert sentence.is_visible() and 0 <= top < 900  # scrolled to
    assert page.locator("#removed h2").inner_text() == "What cleaning removed"
    _shot(page, "03-citation")

    # the compare view of a fact several sources report
    page.go_back()
    page.locator("details#facts > summary").click()
    fact = page.locator("ol.facts > li", has_text="independent sources").first
    fact.locator("a.compare").click()
    page.wait_for_url("**/facts/**")
    columns = page.locator(".compare-grid .column")
    assert columns.count() >= 2
    boxes = [columns.nth(i).bounding_box() for i in range(2)]
    assert boxes[0] and boxes[1] and abs(boxes[0]["y"] - boxes[1]["y"]) < 2  # side by side
    assert boxes[1]["x"] > boxes[0]["x"] + boxes[0]["width"] - 1
    _shot(page, "04-compare")


def test_hostile_stories_run_no_script_anywhere(site: Site, page: Any) -> None:
    page.set_content("<p>control</p><script>alert('control')</script>")
    assert DIALOGS == ["control"], "the harness must see a script that does run"
    DIALOGS.clear()
    shown_escaped = False
    for story in site.hostile_stories:
        page.goto(f"{site.base}/stories/{story}")
        links = [
            *page.locator("ol.sources-list a.source").evaluate_all("els => els.map(e => e.href)"),
            *page.locator("a.compare").evaluate_all("els => els.map(e => e.href)"),
        ]
        assert links
        for url in [f"{site.base}/stories/{story}", f"{site.base}/", *links]:
            page.goto(url)
            assert page.locator("script, iframe, object, embed").count() == 0, url
            handlers = page.evaluate(
                "() => [...document.querySelectorAll('*')].flatMap(e => [...e.attributes]"
                ".filter(a => a.name.startsWith('on') || /^\\s*javascript:/i.test(a.value))"
                ".map(a => e.tagName + ' ' + a.name))"
            )
            assert handlers == [], url
            if "&lt;script&gt;" in page.content() and not shown_escaped:  # hostile markup, as text
                shown_escaped = True
                _shot(page, "05-hostile")
    assert shown_escaped
    assert DIALOGS == []
