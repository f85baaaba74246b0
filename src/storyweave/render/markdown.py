"""The brief as a one-page Markdown document: what an editor needs, readable as plain text in a terminal
and rendered on a code host.

The page is :func:`storyweave.render.onepager.one_page` laid out: headline, date and outlets, then What
happened, Contested, Confirmed by independent reporting, the same statement carried by several outlets,
Reported by one outlet only, How each outlet framed it, Quotes, Timeline, People and the numbered Sources;
it fits the one-page word budget (everything else stays in the JSON contract). Sections with nothing to
show are left out.

Every piece of article-derived text goes through :func:`md_escape`, so a scraped title such as
``[x](javascript:alert(1))`` or ``<script>`` stays literal text in any CommonMark/GFM viewer.
Citations are ``[n]`` numbers into the "Sources" list at the end (numbered in the order of
``brief.articles``); no link reference definitions are ever emitted, so ``[n]`` stays plain text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from storyweave.model import Brief
from storyweave.render.common import Cite, Numbering, clean_text
from storyweave.render.onepager import Item, OnePage, one_page

SECTION_TITLES: tuple[str, ...] = (
    "What happened",
    "Contested",
    "Confirmed by independent reporting",
    "The same statement, carried by several outlets",
    "Reported by one outlet only",
    "How each outlet framed it",
    "Quotes",
    "Timeline",
    "People",
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


def _item(item: Item, note: bool = True) -> str:
    marks = _cite_marks(item.cites)
    line = f"{md_escape(item.text)} {marks}" if marks else md_escape(item.text)
    if note and item.note:
        line += f" ({md_escape(item.note)})"
    return line


def _quoted(text: str) -> str:
    """``text`` in quotation marks, unless it is a quotation already."""
    escaped = md_escape(text)
    return escaped if text[:1] in "\"“‘'«" else f"“{escaped}”"


def _outlet_name(cite: Cite, lean: str) -> str:
    name = md_escape(cite.label)
    return f"{name} ({md_escape(lean)})" if lean else name


def _header(page: OnePage) -> list[str]:
    date = md_escape(page.date) + (" (inferred from the text)" if page.date_inferred else "")
    covered = ", ".join(f"[{o.cite.number}] {_outlet_name(o.cite, o.lean)}" for o in page.outlets)
    lines = [f"# {md_escape(page.headline)}", "", f"**{date}** · {md_escape(page.counts)}"]
    if covered:
        lines += ["", f"Covered by {covered}"]
    return lines


def _sections(page: OnePage) -> dict[str, list[str]]:
    """Each non-empty section's lines, by title."""
    out: dict[str, list[str]] = {}
    out["What happened"] = [_item(i) for i in page.what_happened] or ["No summary."]
    if page.contested:
        lines: list[str] = []
        for c in page.contested:
            about = f": {_quoted(c.about)}" if c.about else " (across facts)"
            lines.append(f"- **{md_escape(c.kind)}**{about}")
            lines += [f"  - {_item(v)}" for v in c.values]
            if c.note:
                lines.append(f"  - {md_escape(c.note)}")
        out["Contested"] = lines
    if page.confirmed:
        out["Confirmed by independent reporting"] = [f"- {_item(i)}" for i in page.confirmed]
    if page.same_statement:
        lines = []
        for i in page.same_statement:
            lines.append(f"- {_item(i)}")
            lines += [f"  - {_item(w)}" for w in i.wordings]
        out["The same statement, carried by several outlets"] = lines
    single = [o for o in page.single if o.shown or o.rest]
    if single and not any(o.shown for o in single):
        counts = ", ".join(f"[{o.cite.number}] {len(o.rest)}" for o in single)
        out["Reported by one outlet only"] = [f"Facts only one outlet reports, by outlet: {counts}."]
    elif single:
        lines = []
        for outlet in single:
            lines.append(f"- **[{outlet.cite.number}] {md_escape(outlet.cite.label)}**")
            lines += [f"  - {md_escape(i.text)}" for i in outlet.shown]
            if outlet.rest:
                more = len(outlet.rest)
                lines.append(f"  - … {'one more' if more == 1 else f'{more} more'}")
        out["Reported by one outlet only"] = lines
    if page.framing:
        columns = ["Outlet", "Headline"]
        words_shown = any(f.words for f in page.framing)
        omits_shown = any(f.omits for f in page.framing)
        columns += ["Distinctive words"] if words_shown else []
        columns += ["Leaves out"] if omits_shown else []
        lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
        for f in page.framing:
            cells = [f"[{f.cite.number}] {_outlet_name(f.cite, f.lean)}", md_escape(f.headline) or "—"]
            if words_shown:
                cells.append(", ".join(md_escape(w) for w in f.words) or "—")
            if omits_shown:
                cells.append("; ".join(_quoted(o) for o in f.omits) or "—")
            lines.append("| " + " | ".join(cells) + " |")
        out["How each outlet framed it"] = lines
    if page.quotes:
        out["Quotes"] = [
            f"- **{md_escape(g.speaker)}**: "
            + " ".join(f"“{md_escape(q.text)}” {_cite_marks(q.cites)}".rstrip() for q in g.quotes)
            for g in page.quotes
        ]
    if page.timeline:
        out["Timeline"] = [f"- **{md_escape(i.note)}** — {_item(i, note=False)}" for i in page.timeline]
    if page.people:
        lines = []
        for p in page.people:
            line = f"- **{md_escape(p.name)}**"
            extra = []
            if p.aliases:
                extra.append("also " + ", ".join(md_escape(a) for a in p.aliases))
            extra += [
                f"suspect spelling “{md_escape(s.text)}” {_cite_marks(s.cites)}".rstrip() for s in p.suspects
            ]
            if extra:
                line += " (" + "; ".join(extra) + ")"
            lines.append(line)
        out["People"] = lines
    lines = []
    for o in page.outlets:
        head = f"{o.cite.number}. **{_outlet_name(o.cite, o.lean)}**"
        # the framing table shows each outlet's headline already
        parts = [md_escape(o.title)] if o.title and page.source_titles and not page.framing else []
        if o.published:
            parts.append(md_escape(o.published) + (" (estimated)" if o.estimated else ""))
        if o.url:
            parts.append(f"<{o.url}>")
        elif o.address:
            parts.append(f"address (not linked): {md_escape(o.address)}")
        if o.peers:
            parts.append("same dispatch as " + _cite_marks(o.peers))
        if o.reduced:
            parts.append(md_escape(o.reduced))
        lines.append(head + (" — " + " · ".join(parts) if parts else ""))
    out["Sources"] = lines or ["No sources."]
    return out


def _left_out(page: OnePage) -> list[str]:
    dropped = sum(page.left_out.values()) + sum(len(o.rest) for o in page.single)
    if not dropped:
        return []
    return ["", "More in the full brief (JSON, HTML): every fact, quote, date and name the sources give."]


def page_markdown(page: OnePage) -> str:
    """The laid-out page (no fitting: see :func:`brief_to_markdown`)."""
    lines = _header(page)
    sections = _sections(page)
    for title in SECTION_TITLES:
        if title in sections:
            lines += ["", f"## {title}", "", *sections[title]]
    lines += _left_out(page)
    return "\n".join(lines) + "\n"


def markdown_words(page: OnePage) -> int:
    """Words of the page's Markdown (whitespace-separated tokens, citation marks included)."""
    return len(page_markdown(page).split())


def brief_to_markdown(brief: Brief) -> str:
    """The brief as a one-page Markdown document within its word budget (see module docstring)."""
    return page_markdown(one_page(brief, markdown_words, Numbering(brief)))
