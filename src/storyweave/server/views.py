"""View models of the web UI: plain values (strings, numbers, lists, dicts) that the templates lay out.

No markup is made here: every string goes to a Jinja2 template with autoescaping on, so article text can
never become markup. The brief page starts from the HTML renderer's view model
(:func:`storyweave.render.html.brief_view`) and adds what a served page can do that a standalone file
cannot: citations that open the cited sentence in its article, and links to each fact's compare view.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import PurePath
from typing import Any
from urllib.parse import quote, urlencode

from storyweave.model import AnalysedArticle, Brief, Fact, Variant
from storyweave.render.common import (
    Cite,
    Numbering,
    clean_text,
    date_span,
    plural,
    removal_counts,
    safe_url,
    truncate,
    wording_key,
)
from storyweave.render.html import brief_view
from storyweave.render.onepager import Item, OnePage
from storyweave.store import StoryRow
from storyweave.store.search import StoryFacets

# Presentation limits: how much of a removed piece and of the raw text the article page shows.
REMOVED_SHOWN_CHARS = 2000
RAW_LINES_SHOWN = 3000
OUTLETS_SHOWN = 4  # outlets named in a story list row; the rest are counted


def _q(value: str) -> str:
    return quote(value, safe="")


def public_source(source: str | None) -> str | None:
    """Where an article was read from, as a page may show it: an address as is, a file by its name only
    (a server's folders are nobody's business: ``/srv/feeds/x.txt`` shows as ``x.txt``)."""
    if not source:
        return None
    if source.startswith(("http://", "https://")):
        return source
    return PurePath(source.replace("\\", "/")).name or None


def story_href(story_id: str) -> str:
    return f"/stories/{_q(story_id)}"


def article_href(story_id: str, article_id: str, sentence: int | None = None) -> str:
    """The article page, with ``sentence`` highlighted and scrolled to when given."""
    base = f"{story_href(story_id)}/articles/{_q(article_id)}"
    return base if sentence is None else f"{base}?hl={sentence}#s-{sentence}"


def compare_href(story_id: str, fact_id: str) -> str:
    return f"{story_href(story_id)}/facts/{_q(fact_id)}"


def sentence_index(sentence_id: str | None) -> int | None:
    """The index in ``"<article id>#<index>"``, or None."""
    if not sentence_id or "#" not in sentence_id:
        return None
    tail = sentence_id.rsplit("#", 1)[1]
    return int(tail) if tail.isdigit() else None


def corroboration(fact: Fact) -> str:
    """How well a fact is backed, in words: independent voices first, copies of one dispatch said so."""
    total = len(set(fact.sources))
    independent = fact.independent_sources
    if independent >= 2:
        text = f"corroborated by {independent} independent sources"
    else:
        text = "single source" if total <= 1 else "one independent source"
    if total > independent:
        text += f" ({plural(total, 'report')}, some copies of one dispatch)"
    return text


def story_row_view(row: StoryRow, facets: StoryFacets | None = None) -> dict[str, Any]:
    """A story list row: counts, outlets, contested points, coverage by lean and the last update."""
    brief = (
        "current" if row.brief_current else ("updating" if row.briefed_version is not None else "being made")
    )
    facets = facets or StoryFacets()
    outlets = [clean_text(o) for o in facets.outlets]
    return {
        "id": row.id,
        "href": story_href(row.id),
        "headline": clean_text(row.headline) or row.id,
        "articles": row.article_count,
        "independent": row.independent_count,
        "span": date_span(clean_text(row.first_seen) or None, clean_text(row.last_seen) or None),
        "updated": clean_text(row.updated_at).replace("T", " ").removesuffix("+00:00"),
        "brief": brief,
        "outlets": outlets[:OUTLETS_SHOWN],
        "more_outlets": max(0, len(outlets) - OUTLETS_SHOWN),
        "contested": facets.contested,
        "leans": sorted((clean_text(k), n) for k, n in facets.leans.items()),
    }


def stories_view(
    rows: Sequence[StoryRow],
    total: int,
    query: str,
    sort: str,
    page: int,
    per_page: int,
    facets: dict[str, StoryFacets] | None = None,
    filters: dict[str, str] | None = None,
) -> dict[str, Any]:
    pages = max(1, -(-total // per_page))
    shown = {k: v for k, v in (filters or {}).items() if v}

    def page_href(n: int) -> str:
        params = {k: v for k, v in (("q", query), ("sort", sort), *shown.items(), ("page", str(n))) if v}
        return "/?" + urlencode(params)

    return {
        "title": "Stories",
        "stories": [story_row_view(r, (facets or {}).get(r.id)) for r in rows],
        "filters": filters or {},
        "filtered": bool(shown),
        "total": total,
        "query": query,
        "sort": sort,
        "page": page,
        "pages": pages,
        "prev_href": page_href(page - 1) if page > 1 else None,
        "next_href": page_href(page + 1) if page < pages else None,
    }


def _variants_by_source(fact: Fact) -> dict[str, Variant]:
    found: dict[str, Variant] = {}
    for variant in fact.variants:
        found.setdefault(variant.source, variant)
    return found


class _Evidence:
    """For a (fact, source) citation: the cited sentence's text and its link in the article page."""

    def __init__(self, brief: Brief, numbers: Numbering) -> None:
        self.story_id = brief.story.id
        self.numbers = numbers
        self.variants = {f.id: _variants_by_source(f) for f in brief.facts}

    def links(self, fact_id: str | None, source_ids: Iterable[str]) -> list[dict[str, Any]]:
        by_source = self.variants.get(fact_id or "", {})
        links = []
        for cite in self.numbers.cites(source_ids):
            variant = by_source.get(cite.source_id)
            index = sentence_index(variant.sentence_id) if variant else None
            links.append(
                {
                    "number": cite.number,
                    "label": cite.label,
                    "href": article_href(self.story_id, cite.source_id, index),
                    "text": clean_text(variant.text) if variant else None,
                }
            )
        return links


def _served_cite(cite: Cite, story_id: str) -> Cite:
    """A citation that opens the cited sentence (or the source) in its article page."""
    if cite.number is None:
        return cite
    index = None
    if cite.sentence_anchor and "-s" in cite.sentence_anchor:
        tail = cite.sentence_anchor.rsplit("-s", 1)[1]
        index = int(tail) if tail.isdigit() else None
    return replace(cite, page_href=article_href(story_id, cite.source_id, index))


def _served_page(page: OnePage, story_id: str) -> OnePage:
    """The one-pager with every citation leading to the article page (the served page has no source texts)."""

    def items(values: Iterable[Item]) -> None:
        for item in values:
            item.cites = [_served_cite(c, story_id) for c in item.cites]

    items(page.what_happened)
    items(page.confirmed)
    items(page.same_statement)
    items(page.timeline)
    for contested in page.contested:
        items(contested.values)
    for outlet in page.single:
        items(outlet.shown)
        items(outlet.rest)
    for group in page.quotes:
        items(group.quotes)
    for person in page.people:
        items(person.suspects)
    return page


def brief_page_view(brief: Brief, row: StoryRow | None = None) -> dict[str, Any]:
    """The brief page: the one-pager (citations open the cited sentence in its article page), then the
    renderer's full view model in collapsed sections, with compare links and corroboration."""
    view = brief_view(brief)
    numbers = Numbering(brief)
    evidence = _Evidence(brief, numbers)
    story_id = brief.story.id
    view["page"] = _served_page(view["page"], story_id)
    view["summary"] = [
        {**item, "evidence": evidence.links(s.fact_id, s.sources)}
        for item, s in zip(view["summary"], brief.summary, strict=True)
    ]
    fact_by_anchor = {anchor: numbers.facts[fid] for fid, anchor in numbers.fact_anchors.items()}
    facts = []
    for item in view["facts"]:
        fact = fact_by_anchor[item["anchor"]]
        facts.append(
            {
                **item,
                # one source has nothing to compare its wording with
                "compare_href": compare_href(story_id, fact.id) if len(set(fact.sources)) > 1 else None,
                "evidence": evidence.links(fact.id, fact.sources),
                "independent": fact.independent_sources,
                "total": len(set(fact.sources)),
                "corroboration": corroboration(fact),
            }
        )
    view["facts"] = facts
    view["disagreements"] = [
        {**item, "compare_href": compare_href(story_id, d.fact_id) if d.fact_id in numbers.facts else None}
        for item, d in zip(view["disagreements"], brief.disagreements, strict=True)
    ]
    id_by_number = {n: aid for aid, n in numbers.source_numbers.items()}
    view["sources"] = [
        {**item, "href": article_href(story_id, id_by_number[item["number"]])} for item in view["sources"]
    ]
    view.update(
        {
            "title": view["headline"],
            "story_id": story_id,
            "source_count": len(numbers.source_numbers),
            "brief_note": None
            if row is None or row.brief_current
            else "made from an earlier set of articles",
            "api": {fmt: f"/api/stories/{_q(story_id)}/brief?format={fmt}" for fmt in ("json", "md", "html")},
        }
    )
    return view


def _marked_words(text: str, reference: str) -> list[tuple[str, bool]]:
    """``text`` as words, each flagged when it is not part of the wording it shares with ``reference``
    (case and punctuation aside), so that a compare view can show where a source's wording departs."""
    words = text.split()
    keys = [wording_key(w) for w in words]
    matcher = difflib.SequenceMatcher(a=[wording_key(w) for w in reference.split()], b=keys, autojunk=False)
    same: set[int] = set()
    for block in matcher.get_matching_blocks():
        same.update(range(block.b, block.b + block.size))
    return [(w, i not in same and bool(keys[i])) for i, w in enumerate(words)]


def compare_view(brief: Brief, fact_id: str) -> dict[str, Any] | None:
    """One fact's wordings side by side, one column per source, with where the sources differ on it."""
    numbers = Numbering(brief)
    fact = numbers.facts.get(fact_id)
    if fact is None:
        return None
    story_id = brief.story.id
    representative = clean_text(fact.text)
    disputes = [d for d in brief.disagreements if d.fact_id == fact_id]
    columns = []
    for cite in numbers.cites(v.source for v in fact.variants):
        variants = [v for v in fact.variants if v.source == cite.source_id]
        article = numbers.articles.get(cite.source_id)
        held = [
            {"kind": clean_text(d.kind.replace("-", " ")), "value": clean_text(v.value)}
            for d in disputes
            for v in d.values
            if cite.source_id in v.sources
        ]
        columns.append(
            {
                "number": cite.number,
                "label": cite.label,
                "source_id": cite.source_id,
                "title": clean_text(article.title) if article else "",
                "published": clean_text(article.published) if article else "",
                "group": clean_text(article.syndication_group) if article else "",
                "wordings": [
                    {
                        "words": _marked_words(clean_text(v.text), representative),
                        "same": wording_key(v.text) == wording_key(fact.text),
                        "href": article_href(story_id, cite.source_id, sentence_index(v.sentence_id)),
                    }
                    for v in variants
                ],
                "holds": held,
            }
        )
    order = list(numbers.facts)
    position = order.index(fact_id)
    silent = [c for c in numbers.cites(a.id for a in brief.articles) if c.source_id not in set(fact.sources)]
    return {
        "title": f"Fact {numbers.fact_numbers[fact_id]} compared",
        "headline": clean_text(brief.story.headline),
        "story_href": story_href(story_id),
        "number": numbers.fact_numbers[fact_id],
        "text": representative,
        "corroboration": corroboration(fact),
        "columns": columns,
        "disputes": [
            {
                "kind": clean_text(d.kind.replace("-", " ")).capitalize(),
                "note": clean_text(d.note),
                "values": [
                    {"value": clean_text(v.value), "cites": numbers.cites(v.sources)} for v in d.values
                ],
            }
            for d in disputes
        ],
        "silent": silent,
        "prev_href": compare_href(story_id, order[position - 1]) if position > 0 else None,
        "next_href": compare_href(story_id, order[position + 1]) if position + 1 < len(order) else None,
    }


def article_view(doc: AnalysedArticle, story_id: str, highlight: int | None = None) -> dict[str, Any]:
    """An article's cleaned text sentence by sentence (one highlighted), and what cleaning removed."""
    art = doc.article
    paragraphs: list[list[dict[str, Any]]] = []
    if doc.sentences:
        current = None
        for s in sorted(doc.sentences, key=lambda s: s.index):
            if current is None or s.paragraph != current:
                paragraphs.append([])
                current = s.paragraph
            paragraphs[-1].append({"index": s.index, "text": clean_text(s.text), "hl": s.index == highlight})
    else:
        paragraphs = [[{"index": None, "text": clean_text(p), "hl": False}] for p in art.paragraphs]
    by_line = {r.line: r.reason for r in art.removed if r.line is not None}
    raw_lines = art.raw_text.split("\n")
    return {
        "title": clean_text(art.title) or art.id,
        "story_href": story_href(story_id),
        "id": art.id,
        "outlet": clean_text(art.outlet),
        "url": safe_url(art.url),
        "url_text": clean_text(art.url),
        "published": clean_text(art.published),
        "estimated": art.published_estimated,
        "language": clean_text(art.language),
        "source": clean_text(public_source(art.source)),
        # from the user's outlet table, when one named this outlet
        "outlet_facts": [
            f"{key} {clean_text(str(art.extra[key]))}"
            for key in ("lean", "country", "owner")
            if art.extra.get(key)
        ],
        "words": plural(art.word_count, "word"),
        "paragraphs": paragraphs,
        "highlight": highlight,
        "removed_counts": [(clean_text(r), n) for r, n in removal_counts(art.removed)],
        "removed": [
            {
                "reason": clean_text(r.reason),
                "line": None if r.line is None else r.line + 1,
                "text": truncate(clean_text(r.text), REMOVED_SHOWN_CHARS),
            }
            for r in art.removed
        ],
        "raw_lines": [
            {"number": i + 1, "text": clean_text(line), "reason": by_line.get(i)}
            for i, line in enumerate(raw_lines[:RAW_LINES_SHOWN])
        ]
        if by_line
        else [],
        "raw_more": max(0, len(raw_lines) - RAW_LINES_SHOWN) if by_line else 0,
        "api_href": f"/api/articles/{_q(art.id)}",
    }


def api_docs_view(openapi: dict[str, Any]) -> dict[str, Any]:
    """The API reference page, made from the app's own OpenAPI document."""
    endpoints = []
    for path, methods in openapi.get("paths", {}).items():
        for method, op in methods.items():
            params = [
                {
                    "name": p.get("name", ""),
                    "in": p.get("in", ""),
                    "required": bool(p.get("required")),
                    "description": p.get("description", ""),
                    "type": _schema_type(p.get("schema", {})),
                }
                for p in op.get("parameters", [])
            ]
            body = op.get("requestBody", {}).get("content", {})
            endpoints.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "params": params,
                    "body": sorted(body),
                    "responses": [
                        (code, r.get("description", ""))
                        for code, r in sorted(op.get("responses", {}).items())
                    ],
                }
            )
    info = openapi.get("info", {})
    return {
        "title": "HTTP API",
        "api_title": info.get("title", ""),
        "version": info.get("version", ""),
        "endpoints": endpoints,
    }


def _schema_type(schema: dict[str, Any]) -> str:
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"])
    if "anyOf" in schema:
        return " or ".join(_schema_type(s) for s in schema["anyOf"])
    return str(schema.get("type", ""))
