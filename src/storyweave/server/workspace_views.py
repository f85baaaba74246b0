"""View models of the monitoring pages: search results, the watch list with its rules, and alerts.

Plain values for the templates (autoescaping on): a search snippet is cut at FTS5's markers into parts the
template wraps in ``<mark>``, so no text from an article ever becomes markup.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from storyweave.render.common import clean_text
from storyweave.server.views import article_href, compare_href, story_href
from storyweave.store.search import MARK_END, MARK_START, Hit
from storyweave.watch.alerts import rule_of
from storyweave.watch.state import AlertRow, RuleRow, WatchSource

KIND_LABELS = {"article": "Article", "quote": "Quote", "fact": "Fact"}


def snippet_view(snippet: str) -> list[dict[str, Any]]:
    """``[{"text", "match"}]``: the snippet cut at the matched words (spaces at the cuts kept)."""
    pieces = snippet.replace(MARK_END, MARK_START).split(MARK_START)
    return [{"text": _clean_piece(p), "match": i % 2 == 1} for i, p in enumerate(pieces) if p]


def _clean_piece(piece: str) -> str:
    lead = " " if piece[:1].isspace() else ""
    trail = " " if piece[-1:].isspace() and piece.strip() else ""
    return lead + clean_text(piece) + trail


def hit_view(hit: Hit, headlines: dict[str, str]) -> dict[str, Any]:
    if hit.kind == "fact":
        href = compare_href(hit.story_id, hit.ref)
    elif hit.article_id:
        href = article_href(hit.story_id, hit.article_id)
    else:
        href = story_href(hit.story_id)
    title = clean_text(hit.title)
    if hit.kind == "quote":
        title = f"{title or 'unattributed'}, quoted in {clean_text(hit.article_id)}"
    return {
        "kind": KIND_LABELS[hit.kind],
        "href": href,
        "title": title,
        "parts": snippet_view(hit.snippet),
        "story_href": story_href(hit.story_id),
        "story": clean_text(headlines.get(hit.story_id)) or hit.story_id,
    }


def search_view(
    query: str,
    total: int,
    hits: list[Hit],
    headlines: dict[str, str],
    filters: dict[str, str],
    page: int,
    per_page: int,
) -> dict[str, Any]:
    pages = max(1, -(-total // per_page))
    shown = {k: v for k, v in filters.items() if v}

    def page_href(n: int) -> str:
        return "/search?" + urlencode({"q": query, **shown, "page": str(n)})

    return {
        "title": f"Search: {query}" if query else "Search",
        "query": query,
        "filters": filters,
        "total": total,
        "hits": [hit_view(h, headlines) for h in hits],
        "page": page,
        "pages": pages,
        "prev_href": page_href(page - 1) if page > 1 else None,
        "next_href": page_href(page + 1) if page < pages else None,
    }


def source_view(source: WatchSource) -> dict[str, Any]:
    if source.failures:
        status = f"failing ({source.failures} in a row): {clean_text(source.last_error)}"
    elif source.last_ok:
        status = f"ok, last checked {clean_text(source.last_checked)}"
    else:
        status = "not polled yet"
    return {
        "id": source.id,
        "kind": {"url": "feed or page", "folder": "folder", "jsonl": "JSON lines"}.get(
            source.kind, source.kind
        ),
        "target": clean_text(source.target) if source.kind == "url" else _name_only(source.target),
        "every": _duration(source.every_seconds),
        "added": source.added,
        "status": status,
        "failing": source.failures > 0,
    }


def _name_only(path: str) -> str:
    """A watched folder or file by its last part: a server's paths are not shown in pages."""
    return clean_text(path.rstrip("/").rsplit("/", 1)[-1]) or "(folder)"


def _duration(seconds: int) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def rule_view(rule: RuleRow) -> dict[str, Any]:
    return {"id": rule.id, "text": clean_text(str(rule_of(rule)))}


def alert_view(alert: AlertRow) -> dict[str, Any]:
    return {
        "id": alert.id,
        "kind": clean_text(alert.kind),
        "message": clean_text(alert.message),
        "href": story_href(alert.story_id),
        "when": clean_text(alert.created_at).replace("T", " ").removesuffix("+00:00"),
    }
