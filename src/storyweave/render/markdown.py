"""The brief as Markdown: readable as plain text in a terminal and rendered on a code host.

Every piece of article-derived text goes through :func:`md_escape`, so a scraped title such as
``[x](javascript:alert(1))`` or ``<script>`` stays literal text in any CommonMark/GFM viewer.
Citations are ``[n]`` numbers into the "Sources" list at the end (numbered in the order of
``brief.articles``); no link reference definitions are ever emitted, so ``[n]`` stays plain text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from storyweave.model import ArticleInfo, Brief, Disagreement
from storyweave.render.common import (
    REMOVED_LISTED_MAX,
    REMOVED_PREVIEW_CHARS,
    Cite,
    Numbering,
    clean_text,
    date_span,
    distinct_wordings,
    entity_type_label,
    group_quotes,
    plural,
    removal_summary,
    safe_url,
    truncate,
)

SECTION_TITLES: tuple[str, ...] = (
    "Summary",
    "Key facts",
    "Where sources differ",
    "Quotes",
    "Timeline",
    "People and organisations",
    "What each source adds",
    "Sources",
)

# No library escapes text for Markdown *output* (markdown-it and friends parse, they do not escape), so the
# rules are written out here from the CommonMark spec: backslash-escape the punctuation that opens inline
# constructs anywhere in a line, and the block markers only where they would start a block.
_INLINE_SPECIAL = re.compile(r"[\\`*\[\]<|~]")
_LOOSE_UNDERSCORE = re.compile(r"(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")  # intraword "_" never emphasises
_ENTITY_LIKE = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_LEADING_BLOCK = re.compile(r"^([#>+=-])")
_LEADING_ORDINAL = re.compile(r"^(\d{1,9})([.)])")
_TRAILING_HASHES = re.compile(r"(#+)$")


def md_escape(text: str | None) -> str:
    """Article text as inert Markdown: one line, every construct that could become a link, an image, raw
    HTML, code, emphasis, a heading or a list backslash-escaped; reads unchanged apart from the escapes."""
    text = clean_text(text)
    text = _INLINE_SPECIAL.sub(lambda m: "\\" + m.group(0), text)
    text = _LOOSE_UNDERSCORE.sub(r"\\_", text)
    text = _ENTITY_LIKE.sub(r"\\&", text)
    text = _LEADING_BLOCK.sub(r"\\\1", text)
    text = _LEADING_ORDINAL.sub(r"\1\\\2", text)
    # a heading's closing "#" run would be dropped by the renderer
    return _TRAILING_HASHES.sub(lambda m: "\\#" * len(m.group(1)), text)


def _cite_marks(cites: Iterable[Cite]) -> str:
    """``[1][3]``; a source the brief does not list is shown by its (escaped) id."""
    return "".join(
        f"[{c.number}]" if c.number is not None else f"\\[{md_escape(c.source_id)}\\]" for c in cites
    )


def _with_cites(text: str, cites: list[Cite]) -> str:
    marks = _cite_marks(cites)
    return f"{text} {marks}" if marks else text


def _fact_ref(numbers: Numbering, fact_id: str) -> str:
    number = numbers.fact_numbers.get(fact_id)
    return f"fact {number}" if number is not None else f"fact {md_escape(fact_id)}"


def _header(brief: Brief) -> list[str]:
    story = brief.story
    headline = md_escape(story.headline) or md_escape(story.id) or "Untitled story"
    counts = (
        f"**{plural(story.article_count, 'article')}, {story.independent_count} independent**"
        f" · {md_escape(date_span(story.first_seen, story.last_seen))}"
    )
    return [f"# {headline}", "", counts]


def _summary(brief: Brief, numbers: Numbering) -> list[str]:
    if not brief.summary:
        return ["No summary."]
    return [_with_cites(md_escape(s.text), numbers.cites(s.sources)) for s in brief.summary]


def _facts(brief: Brief, numbers: Numbering, disputed: dict[str, list[Disagreement]]) -> list[str]:
    if not brief.facts:
        return ["No facts."]
    lines = []
    for fact in brief.facts:
        number = numbers.fact_numbers.get(fact.id)
        if number is None or numbers.facts[fact.id] is not fact:
            continue  # a repeated fact id: the first one is the one citations point to
        counts = f"— {plural(len(set(fact.sources)), 'source')}, {fact.independent_sources} independent"
        line = f"{number}. {md_escape(fact.text)} {_with_cites(counts, numbers.cites(fact.sources))}"
        kinds = sorted({d.kind for d in disputed.get(fact.id, [])})
        if kinds:
            line += f" — **sources differ** ({md_escape(', '.join(kinds))})"
        lines.append(line)
    return lines


def _disagreements(brief: Brief, numbers: Numbering) -> list[str]:
    if not brief.disagreements:
        return ["No disagreements found."]
    lines: list[str] = []
    for dis in brief.disagreements:
        fact = numbers.facts.get(dis.fact_id) if dis.fact_id is not None else None
        about = _fact_ref(numbers, dis.fact_id) if dis.fact_id is not None else "across facts"
        if fact is not None:
            about += f": “{md_escape(truncate(clean_text(fact.text), 120))}”"
        kind = md_escape(dis.kind.replace("-", " ").capitalize())
        lines.append(f"- **{kind}** — {about}")
        for value in dis.values:
            lines.append(
                f"  - {_with_cites(md_escape(value.value) or '(empty)', numbers.cites(value.sources))}"
            )
        note = md_escape(dis.note)
        if note:
            lines += ["", f"  {note}"]
        lines.append("")
    return lines[:-1]


def _quotes(brief: Brief, numbers: Numbering) -> list[str]:
    if not brief.quotes:
        return ["No quotes."]
    lines: list[str] = []
    for speaker, quotes in group_quotes(brief.quotes):
        lines += [f"### {md_escape(speaker) if speaker else 'Unattributed'}", ""]
        for quote in quotes:
            lines.append(f"- “{md_escape(quote.text)}” {_cite_marks(numbers.cites(quote.sources))}".rstrip())
            for text, sources in distinct_wordings(quote.text, quote.variants):
                lines.append(
                    f"  - worded as: “{md_escape(text)}” {_cite_marks(numbers.cites(sources))}".rstrip()
                )
        lines.append("")
    return lines[:-1]


def _timeline(brief: Brief, numbers: Numbering) -> list[str]:
    if not brief.timeline:
        return ["No dated events."]
    lines = []
    for entry in brief.timeline:
        event = _with_cites(md_escape(entry.event), numbers.cites(entry.sources))
        line = f"- **{md_escape(entry.date)}** — {event}"
        written = [md_escape(e) for e in dict.fromkeys(entry.expressions) if clean_text(e)]
        if written:
            line += " (as written: " + ", ".join(f"“{w}”" for w in written) + ")"
        lines.append(line)
    return lines


def _entities(brief: Brief, numbers: Numbering) -> list[str]:
    if not brief.entities:
        return ["No people or organisations identified."]
    lines = []
    for entity in brief.entities:
        line = f"- **{md_escape(entity.name)}** ({md_escape(entity_type_label(entity.type))})"
        aliases = [f"{md_escape(a.text)} ({a.count})" for a in entity.aliases if clean_text(a.text)]
        if aliases:
            line += " — aliases: " + ", ".join(aliases)
        suspects = [
            f"{md_escape(s.text)} ({_cite_marks(numbers.cites(s.sources)) or 'no source'})"
            + (f" — {md_escape(s.reason)}" if clean_text(s.reason) else "")
            for s in entity.suspect_aliases
        ]
        if suspects:
            line += "; suspect spellings: " + "; ".join(suspects)
        lines.append(line)
    return lines


def _numbered_articles(brief: Brief, numbers: Numbering) -> Iterator[tuple[int, ArticleInfo]]:
    """(source number, article) in source-list order, each article once (repeated ids share a number)."""
    for article in brief.articles:
        if numbers.articles[article.id] is article:
            yield numbers.source_numbers[article.id], article


def _coverage(brief: Brief, numbers: Numbering) -> list[str]:
    if not brief.articles:
        return ["No sources."]
    lines = []
    for number, article in _numbered_articles(brief, numbers):
        coverage = brief.coverage.get(article.id)
        facts = coverage.facts if coverage else 0
        unique = coverage.unique_facts if coverage else []
        line = f"- [{number}] {md_escape(numbers.source_label(article.id))}: {plural(facts, 'fact')}"
        line += f", {len(unique)} unique"
        if unique:
            line += " (" + ", ".join(_fact_ref(numbers, f) for f in unique) + ")"
        lines.append(line)
    return lines


def _sources(brief: Brief, numbers: Numbering) -> list[str]:
    if not brief.articles:
        return ["No sources."]
    lines = []
    for number, article in _numbered_articles(brief, numbers):
        head = f"{number}. **{md_escape(numbers.source_label(article.id))}**"
        pad = " " * len(f"{number}. ")  # sub-items must sit under the item's content, whatever its width
        title = md_escape(article.title)
        lines.append(f"{head} — {title}" if title else head)
        details = []
        if article.outlet:
            details.append(f"id {md_escape(article.id)}")
        published = md_escape(article.published) or "unknown"
        details.append(f"published {published}" + (" (estimated)" if article.published_estimated else ""))
        if article.language:
            details.append(f"language {md_escape(article.language)}")
        details.append(plural(article.word_count, "word"))
        lines.append(f"{pad}- " + " · ".join(details))
        url = safe_url(article.url)
        if url:
            lines.append(f"{pad}- <{url}>")
        elif clean_text(article.url):
            lines.append(f"{pad}- address (not linked): {md_escape(article.url)}")
        peers = numbers.peers(article, brief.articles)
        if peers:
            lines.append(
                f"{pad}- syndication group {md_escape(article.syndication_group)}: same dispatch as "
                + _cite_marks(peers)
            )
        else:
            lines.append(
                f"{pad}- syndication group {md_escape(article.syndication_group)}: independent report"
            )
        lines.append(f"{pad}- {md_escape(removal_summary(article.removed))}")
        shown = article.removed[:REMOVED_LISTED_MAX]
        for removal in shown:
            text = md_escape(truncate(clean_text(removal.text), REMOVED_PREVIEW_CHARS))
            lines.append(f"{pad}  - {md_escape(removal.reason)}: “{text}”")
        if len(article.removed) > len(shown):
            lines.append(f"{pad}  - … and {len(article.removed) - len(shown)} more")
    return lines


def brief_to_markdown(brief: Brief) -> str:
    """The brief as a Markdown document: headline, counts and date span, then the sections of
    :data:`SECTION_TITLES` in order, ending with the numbered sources the ``[n]`` citations refer to."""
    numbers = Numbering(brief)
    disputed: dict[str, list[Disagreement]] = {}
    for dis in brief.disagreements:
        if dis.fact_id is not None:
            disputed.setdefault(dis.fact_id, []).append(dis)
    bodies = (
        _summary(brief, numbers),
        _facts(brief, numbers, disputed),
        _disagreements(brief, numbers),
        _quotes(brief, numbers),
        _timeline(brief, numbers),
        _entities(brief, numbers),
        _coverage(brief, numbers),
        _sources(brief, numbers),
    )
    lines = _header(brief)
    for title, body in zip(SECTION_TITLES, bodies, strict=True):
        lines += ["", f"## {title}", "", *body]
    return "\n".join(lines) + "\n"
