"""The brief as one standalone HTML page (inline CSS, no scripts, no external assets).

Citations lead to the supporting sentence itself: the page ends with each source's cleaned text, every
sentence an anchor, and CSS ``:target`` highlights the sentence a citation was followed to (no JavaScript).

The page is a Jinja2 template rendered with autoescaping on; this module only prepares plain values for
it (numbers, anchors, cleaned strings), never markup, so every piece of article text is escaped by Jinja.
Only absolute http(s) addresses become links (see :func:`storyweave.render.common.safe_url`).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from storyweave.model import Brief, Disagreement, Fact
from storyweave.render.common import (
    REMOVED_LISTED_MAX,
    REMOVED_PREVIEW_CHARS,
    Numbering,
    clean_text,
    date_span,
    distinct_wordings,
    entity_type_label,
    group_quotes,
    plural,
    removal_counts,
    safe_url,
    truncate,
)
from storyweave.render.markdown import markdown_words
from storyweave.render.onepager import one_page

TEMPLATE_NAME = "brief.html.j2"


@lru_cache(maxsize=1)
def _environment() -> Environment:
    """The Jinja2 environment: templates from the package, autoescaping on for every template."""
    return Environment(
        loader=PackageLoader("storyweave.render", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _fact_link(numbers: Numbering, fact_id: str) -> dict[str, Any] | None:
    """Anchor, number and short text of a fact, or ``None`` when the brief has no fact with that id."""
    fact = numbers.facts.get(fact_id)
    if fact is None:
        return None
    return {
        "anchor": numbers.fact_anchors[fact_id],
        "number": numbers.fact_numbers[fact_id],
        "text": truncate(clean_text(fact.text), 140),
    }


def _fact_view(
    fact: Fact, numbers: Numbering, disputes: list[tuple[int, Disagreement]], names: dict[str, str]
) -> dict[str, Any]:
    return {
        "anchor": numbers.fact_anchors[fact.id],
        "number": numbers.fact_numbers[fact.id],
        "text": clean_text(fact.text),
        "counts": f"{plural(len(set(fact.sources)), 'source')}, {fact.independent_sources} independent",
        "cites": numbers.cites(fact.sources, numbers.sentences_of(fact.variants)),
        "variants": [
            {
                "cite": numbers.cites([v.source], {v.source: v.sentence_id} if v.sentence_id else None)[0],
                "text": clean_text(v.text),
            }
            for v in fact.variants
        ],
        "disputes": [{"anchor": f"dis-{i}", "kind": clean_text(d.kind)} for i, d in disputes],
        "dates": [clean_text(d) for d in fact.dates],
        "entities": [names[e] for e in dict.fromkeys(fact.entities) if e in names],
    }


def _source_view(brief: Brief, numbers: Numbering, index: int) -> dict[str, Any]:
    article = brief.articles[index]
    number = numbers.source_numbers[article.id]
    url = safe_url(article.url)
    shown = article.removed[:REMOVED_LISTED_MAX]
    return {
        "number": number,
        "anchor": f"src-{number}",
        "text_anchor": f"text-{number}" if article.sentences else None,
        "label": numbers.source_label(article.id),
        "id": clean_text(article.id),
        "has_outlet": bool(clean_text(article.outlet)),
        "title": clean_text(article.title),
        "url": url,
        "url_text": clean_text(article.url),
        "published": clean_text(article.published),
        "estimated": article.published_estimated,
        "language": clean_text(article.language),
        "lean": clean_text(article.lean),
        "words": plural(article.word_count, "word"),
        "group": clean_text(article.syndication_group),
        "peers": numbers.peers(article, brief.articles),
        "removed_counts": [(clean_text(r), n) for r, n in removal_counts(article.removed)],
        "removed": [
            {"reason": clean_text(r.reason), "text": truncate(clean_text(r.text), REMOVED_PREVIEW_CHARS)}
            for r in shown
        ],
        "removed_more": len(article.removed) - len(shown),
    }


def _texts_view(
    brief: Brief,
    numbers: Numbering,
    first_articles: list[int],
    disputes: dict[str, list[tuple[int, Disagreement]]],
) -> list[dict[str, Any]]:
    """Each source's cleaned text, paragraph by paragraph, every sentence with its own anchor (the target
    of citations), a link back to the fact it states, and marks for summary and disputed sentences."""
    fact_of: dict[str, str] = {}
    for known_id, fact in numbers.facts.items():
        for variant in fact.variants:
            if variant.sentence_id:
                fact_of.setdefault(variant.sentence_id, known_id)
    in_summary = {s.fact_id for s in brief.summary}
    texts = []
    for i in first_articles:
        article = brief.articles[i]
        if not article.sentences:
            continue
        paragraphs: dict[int, list[dict[str, Any]]] = {}
        for sentence in sorted(article.sentences, key=lambda s: s.index):
            fact_id = fact_of.get(sentence.id)
            paragraphs.setdefault(sentence.paragraph, []).append(
                {
                    "anchor": numbers.sentence_anchors.get(sentence.id, ""),
                    "text": clean_text(sentence.text),
                    "fact": _fact_link(numbers, fact_id) if fact_id else None,
                    "summary": fact_id in in_summary,
                    "disputes": [f"dis-{n}" for n, _ in disputes.get(fact_id, [])] if fact_id else [],
                }
            )
        number = numbers.source_numbers[article.id]
        texts.append(
            {
                "anchor": f"text-{number}",
                "source": f"src-{number}",
                "number": number,
                "label": numbers.source_label(article.id),
                "title": clean_text(article.title),
                "paragraphs": [paragraphs[k] for k in sorted(paragraphs)],
            }
        )
    return texts


def brief_view(brief: Brief) -> dict[str, Any]:
    """Plain values (strings, numbers, lists, dicts) the template lays out; no markup anywhere."""
    numbers = Numbering(brief)
    story = brief.story
    names = {e.id: clean_text(e.name) for e in brief.entities}
    disputes: dict[str, list[tuple[int, Disagreement]]] = {}
    for i, dis in enumerate(brief.disagreements, start=1):
        if dis.fact_id is not None:
            disputes.setdefault(dis.fact_id, []).append((i, dis))
    first_articles = [i for i, a in enumerate(brief.articles) if numbers.articles[a.id] is a]
    first_facts = [f for f in brief.facts if numbers.facts[f.id] is f]

    def sentences_of(fact_id: str | None) -> dict[str, str]:
        fact = numbers.facts.get(fact_id) if fact_id else None
        return numbers.sentences_of(fact.variants) if fact else {}

    return {
        # the one-pager, fitted to the same word budget as the Markdown so that both show the same brief
        "page": one_page(brief, markdown_words, numbers),
        "quote_count": len(brief.quotes),
        "headline": clean_text(story.headline) or clean_text(story.id) or "Untitled story",
        "counts": f"{plural(story.article_count, 'article')}, {story.independent_count} independent",
        "span": date_span(clean_text(story.first_seen) or None, clean_text(story.last_seen) or None),
        "summary": [
            {
                "text": clean_text(s.text),
                "cites": numbers.cites(s.sources, sentences_of(s.fact_id)),
                "fact": _fact_link(numbers, s.fact_id),
                "disputes": [
                    {"anchor": f"dis-{i}", "kind": clean_text(d.kind)} for i, d in disputes.get(s.fact_id, [])
                ],
            }
            for s in brief.summary
        ],
        "facts": [_fact_view(f, numbers, disputes.get(f.id, []), names) for f in first_facts],
        "disagreements": [
            {
                "anchor": f"dis-{i}",
                "kind": clean_text(d.kind.replace("-", " ")).capitalize(),
                "fact": _fact_link(numbers, d.fact_id) if d.fact_id is not None else None,
                "fact_id": clean_text(d.fact_id or ""),
                "claims": [
                    {"value": clean_text(v.value), "cites": numbers.cites(v.sources, sentences_of(d.fact_id))}
                    for v in d.values
                ],
                "note": clean_text(d.note),
            }
            for i, d in enumerate(brief.disagreements, start=1)
        ],
        "quote_groups": [
            {
                "speaker": speaker,
                "quotes": [
                    {
                        "text": clean_text(q.text),
                        "cites": numbers.cites(q.sources, numbers.sentences_of(q.variants)),
                        "variants": [
                            {
                                "text": clean_text(text),
                                "cites": numbers.cites(sources, numbers.sentences_of(q.variants)),
                            }
                            for text, sources in distinct_wordings(q.text, q.variants)
                        ],
                    }
                    for q in quotes
                ],
            }
            for speaker, quotes in group_quotes(brief.quotes)
        ],
        "timeline": [
            {
                "date": clean_text(t.date),
                "event": clean_text(t.event),
                "cites": numbers.cites(t.sources, sentences_of(t.fact_id)),
                "expressions": [clean_text(e) for e in dict.fromkeys(t.expressions) if clean_text(e)],
                "fact": _fact_link(numbers, t.fact_id) if t.fact_id else None,
            }
            for t in brief.timeline
        ],
        "entities": [
            {
                "name": clean_text(e.name),
                "type": entity_type_label(clean_text(e.type)),
                "aliases": [(clean_text(a.text), a.count) for a in e.aliases if clean_text(a.text)],
                "suspects": [
                    {
                        "text": clean_text(s.text),
                        "cites": numbers.cites(s.sources),
                        "reason": clean_text(s.reason),
                    }
                    for s in e.suspect_aliases
                ],
            }
            for e in brief.entities
        ],
        "coverage": [
            {
                "cite": numbers.cites([brief.articles[i].id])[0],
                "facts": cov.facts if cov else 0,
                "unique": [
                    _fact_link(numbers, f) or {"anchor": None, "number": None, "text": clean_text(f)}
                    for f in (cov.unique_facts if cov else [])
                ],
            }
            for i in first_articles
            for cov in [brief.coverage.get(brief.articles[i].id)]
        ],
        "sources": [_source_view(brief, numbers, i) for i in first_articles],
        "texts": _texts_view(brief, numbers, first_articles, disputes),
    }


def brief_to_html(brief: Brief) -> str:
    """The brief as a standalone, script-free HTML document."""
    return _environment().get_template(TEMPLATE_NAME).render(**brief_view(brief))
