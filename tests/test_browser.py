"""The HTML brief in a real browser: headless Chromium (Debian's ``chromium``) driven by Playwright.

1. A brief made through the pipeline from hostile articles (script tags, event handlers, ``javascript:``
   links in titles, bodies, outlets and addresses) runs no script: no dialog, no console output, no global
   flag set, no script element, no event-handler attribute, no ``javascript:`` link. The page is loaded with
   its Content-Security-Policy bypassed, so the proof rests on escaping alone; a control page with one real
   script shows that the harness does catch execution.
2. The one-page brief of an invented five-outlet story and of a one-article story render at 1,400 px
   (full-page screenshots saved as test artefacts in out/test-artifacts/ and checked to be non-blank PNGs,
   the pages a few screens tall with everything past the one-pager collapsed), and following a summary
   citation opens the collapsed source texts at the supporting sentence, highlighted.

``make test`` installs Chromium first (scripts/install-browser.sh). These tests skip only when Chromium is
missing outside CI; under CI (env ``CI`` set) a missing browser is a failure.
"""

from __future__ import annotations

import base64
import os
import shutil
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import sync_playwright

import storyweave
from storyweave.model import Article, Brief
from storyweave.render import brief_to_html

ROOT = Path(__file__).resolve().parent.parent
ARTEFACTS = ROOT / "out" / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1100, "height": 900}


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A persistent Chromium context in a fresh temporary profile, CSP bypassed, JavaScript on."""
    executable = _chromium()
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed but CI is set: run scripts/install-browser.sh")
        pytest.skip("chromium is not installed (scripts/install-browser.sh installs it; CI runs it)")
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as driver:
        context = driver.chromium.launch_persistent_context(
            str(profile),
            executable_path=executable,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport=VIEWPORT,
            bypass_csp=True,
            java_script_enabled=True,
        )
        try:
            yield context
        finally:
            context.close()


# --------------------------------------------------------------------------------------------------
# Hostile input

FLAG = "__storyweave_pwned"
PAYLOADS = [
    f"<script>window.{FLAG}=1;alert(1)</script>",
    f'<img src=x onerror="window.{FLAG}=2;alert(2)">',
    f'<svg onload="window.{FLAG}=3"></svg>',
    f'"><script>window.{FLAG}=4</script>',
    f"</title><script>window.{FLAG}=5</script>",
    f'<a href="javascript:window.{FLAG}=6">details</a>',
    f"[read more](javascript:window.{FLAG}=7)",
    f'<iframe src="javascript:window.top.{FLAG}=8"></iframe>',
    f'<body onload="window.{FLAG}=9">',
    f"<style>@import 'javascript:window.{FLAG}=10';</style>",
]


def _hostile_articles() -> list[Article]:
    """Three reports of an invented dam failure, every text field laced with attack strings."""
    bodies = [
        (
            "The Kessel river dam in northern Valdria failed on Tuesday night, flooding 14 villages and "
            "forcing 9,000 people from their homes, regional officials said. {0}\n\n"
            "Rescue teams in boats reached the village of Ostrava Mala by dawn, where water stood two metres "
            "deep in the main square. {1}\n\n"
            "{2} Engineers had warned in March that the spillway was cracked, according to a report seen "
            "by reporters."
        ),
        (
            "Floodwater from the failed Kessel river dam has forced about 9,000 people out of 14 villages in "
            "northern Valdria, officials said on Wednesday. {3}\n\n"
            '"We lost everything in one night," said farmer Ilse Varga, whose house in Ostrava Mala was '
            "under two metres of water. {4}\n\n"
            "Engineers warned in March that the dam's spillway was cracked, a report shows. {5} {6}"
        ),
        (
            "{7} The Kessel river dam burst late on Tuesday, and 14 villages in northern Valdria were "
            "flooded, officials said.\n\n"
            "Regional governor Tomas Brandt declared a state of emergency and asked the army for help. "
            "{8}\n\n"
            "{9} The dam was built in 1962 and last inspected in March, when engineers found a cracked "
            "spillway."
        ),
    ]
    articles = []
    for i, body in enumerate(bodies):
        articles.append(
            Article(
                id=f"dam-{i}",
                raw_text=body.format(*PAYLOADS),
                title=f"Kessel dam fails, 14 villages flooded {PAYLOADS[i]}",
                outlet=f'<b onmouseover="window.{FLAG}=11">Valdria Post {i}</b>',
                url=f"javascript:window.{FLAG}=12"
                if i == 0
                else f'https://news.example/dam-{i}?q="><script>',
                published="2024-05-08",
            )
        )
    return articles


PROBE = f"""() => ({{
    flag: window.{FLAG} === undefined ? null : window.{FLAG},
    scripts: document.querySelectorAll('script').length,
    handlers: [...document.querySelectorAll('*')].flatMap(e => [...e.attributes]
        .filter(a => a.name.toLowerCase().startsWith('on')).map(a => e.tagName + ' ' + a.name)),
    jsLinks: [...document.querySelectorAll('[href],[src],[action],[formaction]')]
        .map(e => e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action')
             || e.getAttribute('formaction') || '')
        .filter(v => /^\\s*(javascript|data|vbscript):/i.test(v)),
    frames: document.querySelectorAll('iframe,frame,object,embed').length,
    text: document.body.innerText,
}})"""


def _load_and_probe(context: Any, path: Path) -> tuple[dict[str, Any], list[str]]:
    """Open ``path`` as a file:// URL, hover and click through its links, and report what ran."""
    events: list[str] = []
    page = context.new_page()
    page.on("dialog", lambda d: (events.append(f"dialog: {d.message}"), d.dismiss()))
    page.on("console", lambda m: events.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: events.append(f"pageerror: {e}"))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    # every element gets the events inline handlers listen for (a live onmouseover would fire), the
    # first elements a real hover, and the in-page links a real click
    page.evaluate(
        """() => { for (const e of document.querySelectorAll('*')) for (const t of
            ['mouseover', 'mouseenter', 'mousemove', 'mousedown', 'mouseup', 'focus', 'focusin', 'input'])
            e.dispatchEvent(new Event(t, {bubbles: true})); }"""
    )
    for element in page.query_selector_all("h1, b, a, span.sent")[:20]:
        if element.is_visible():
            element.hover(timeout=2000)
    for link in page.query_selector_all("a[href^='#']")[:15]:
        if link.is_visible():
            link.click(timeout=2000)
    page.wait_for_timeout(200)
    probe = page.evaluate(PROBE)
    page.close()
    return probe, events


@pytest.fixture(scope="module")
def hostile_brief() -> Brief:
    result = storyweave.run(_hostile_articles())
    assert not result.errors
    assert len(result.briefs) == 1
    return result.briefs[0]


def test_hostile_brief_executes_nothing_in_chromium(
    browser_context: Any, hostile_brief: Brief, tmp_path: Path
) -> None:
    page_path = tmp_path / "hostile.html"
    page_path.write_text(brief_to_html(hostile_brief), encoding="utf-8")
    probe, events = _load_and_probe(browser_context, page_path)
    assert events == []
    assert probe["flag"] is None
    assert probe["scripts"] == 0
    assert probe["handlers"] == []
    assert probe["jsLinks"] == []
    assert probe["frames"] == 0
    # the attack strings are there, as text a reader can see
    assert "<script>window." in probe["text"]
    assert "onerror=" in probe["text"]
    assert "javascript:" in probe["text"]


def test_probe_catches_a_script_that_does_run(browser_context: Any, tmp_path: Path) -> None:
    """Control: the same harness on a page with one live script and one live handler reports both."""
    page_path = tmp_path / "control.html"
    page_path.write_text(
        "<!DOCTYPE html><html><body><p>control</p>"
        f"<script>window.{FLAG}=1;console.log('ran')</script>"
        "<b onmouseover=\"console.log('hovered')\">hover me</b></body></html>",
        encoding="utf-8",
    )
    probe, events = _load_and_probe(browser_context, page_path)
    assert probe["flag"] == 1
    assert "console: ran" in events and "console: hovered" in events
    assert probe["handlers"] == ["B onmouseover"]


# --------------------------------------------------------------------------------------------------
# The sample's page


def _png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's signature and IHDR chunk (AssertionError if it is no PNG)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


# Pixel statistics of a PNG, computed by the browser's own decoder on a canvas: the share of pixels that
# differ from the most common colour (the background) and the number of distinct colours.
PIXEL_STATS = """async (src) => {
    const img = new Image(); img.src = src; await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.width; canvas.height = img.height;
    const ctx = canvas.getContext('2d'); ctx.drawImage(img, 0, 0);
    const data = ctx.getImageData(0, 0, img.width, img.height).data;
    const counts = new Map();
    for (let i = 0; i < data.length; i += 4) {
        const key = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
        counts.set(key, (counts.get(key) || 0) + 1);
    }
    const top = Math.max(...counts.values());
    return {colours: counts.size, foreground: 1 - top / (data.length / 4)};
}"""


FIXTURES = ROOT / "tests" / "fixtures" / "onepager"
WIDE = {"width": 1400, "height": 900}
# The issue measured brief pages 22,000-77,000 px tall; a one-pager with everything else collapsed is a few
# screens at most.
MAX_PAGE_HEIGHT = 6000


def _brief_of(path: Path) -> Brief:
    result = storyweave.run([path])
    assert not result.errors and len(result.briefs) == 1
    return result.briefs[0]


def _open_wide(context: Any, brief: Brief, path: Path) -> Any:
    path.write_text(brief_to_html(brief), encoding="utf-8")
    page = context.new_page()
    page.set_viewport_size(WIDE)
    page.goto(path.as_uri())
    return page


def _full_shot(context: Any, page: Any, name: str) -> dict[str, Any]:
    """A full-page screenshot at 1,400 px into out/test-artifacts/, checked to be a non-blank PNG."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTEFACTS / name
    page.screenshot(path=str(target), full_page=True)
    data = target.read_bytes()
    width, height = _png_size(data)
    assert width == WIDE["width"]
    decoder = context.new_page()
    stats: dict[str, Any] = decoder.evaluate(
        PIXEL_STATS, "data:image/png;base64," + base64.b64encode(data).decode()
    )
    decoder.close()
    assert stats["colours"] > 50, "screenshot has almost no colours: blank page?"
    assert stats["foreground"] > 0.02, "screenshot is nearly all background: blank page?"
    return {"height": height, **stats}


def _headings(page: Any) -> list[str]:
    return [" ".join(h.split()) for h in page.locator("h2").all_inner_texts()]


def test_five_outlet_one_pager_and_a_citation_into_collapsed_text(
    browser_context: Any, tmp_path: Path
) -> None:
    brief = _brief_of(FIXTURES / "landslide.jsonl")
    assert len(brief.articles) == 5
    page = _open_wide(browser_context, brief, tmp_path / "five.html")
    assert page.title() == brief.story.headline
    headings = _headings(page)
    assert headings[0] == "What happened" and headings[-2:] == ["Sources", "More from the sources"]
    assert {"Contested", "How each outlet framed it", "Reported by one outlet only"} <= set(headings)
    # the framing cards sit side by side, each with its outlet's headline
    frames = page.locator("#framing .frame")
    assert frames.count() == 5
    boxes = [frames.nth(i).bounding_box() for i in range(2)]
    assert boxes[0] and boxes[1] and abs(boxes[0]["y"] - boxes[1]["y"]) < 2
    assert "fiasco" in page.locator("#framing").inner_text()
    # everything past the one-pager is collapsed, and the page stays short
    assert page.evaluate("document.querySelectorAll('details[open]').length") == 0
    assert page.evaluate("document.documentElement.scrollHeight") <= MAX_PAGE_HEIGHT
    shot = _full_shot(browser_context, page, "onepager-five-outlets.png")
    assert shot["height"] <= MAX_PAGE_HEIGHT

    # a summary citation leads into the collapsed source texts: the browser opens them at the sentence
    cite = page.locator("#what-happened a.cite").first
    target = (cite.get_attribute("href") or "").lstrip("#")
    assert target.startswith("src-") and "-s" in target
    cite.click()
    sentence = page.locator(f"[id='{target}']")
    sentence.wait_for(state="visible", timeout=5000)
    assert page.evaluate("document.getElementById('texts').open")
    page.wait_for_function(
        """id => {
            const c = getComputedStyle(document.getElementById(id)).backgroundColor;
            return c !== "rgba(0, 0, 0, 0)" && c !== "transparent";
        }""",
        arg=target,
        timeout=5000,
    )
    summary_fact = next(f for f in brief.facts if f.id == brief.summary[0].fact_id)
    assert sentence.inner_text().split()[0] in " ".join(v.text for v in summary_fact.variants)
    page.screenshot(path=str(ARTEFACTS / "onepager-five-outlets-citation.png"))
    page.close()


def test_one_article_one_pager(browser_context: Any, tmp_path: Path) -> None:
    brief = _brief_of(FIXTURES / "one_article.jsonl")
    page = _open_wide(browser_context, brief, tmp_path / "one.html")
    headings = _headings(page)
    assert headings[0] == "What happened" and headings[-2:] == ["Sources", "More from the sources"]
    # nothing to compare across outlets on a one-article story
    for absent in ("Contested", "How each outlet framed it", "Reported by one outlet only"):
        assert absent not in headings
    assert page.locator("#what-happened .summary-sentence").count() >= 1
    assert "1 article" in page.locator("header .meta").first.inner_text()
    shot = _full_shot(browser_context, page, "onepager-one-article.png")
    assert shot["height"] <= 2500
    page.close()
