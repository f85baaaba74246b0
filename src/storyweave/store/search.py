"""Full-text search over a store's articles, facts and quotes (SQLite FTS5, bm25 ranking, snippets), and
the filters the story list and the search share: outlet, language, lean, date range and story size.

The FTS5 tables are kept in step with the articles and facts by triggers (see the workspace migration in
:mod:`storyweave.store.schema`). A user's words become an FTS5 query of quoted terms, each of which must
appear (a trailing ``*`` keeps prefix search), so FTS5's own syntax (``NEAR``, column filters, ``-``) is
never interpreted from user input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from storyweave.store.schema import QUOTE_SLOTS
from storyweave.store.sqlite import Store

HitKind = Literal["article", "fact", "quote"]
# Snippet markers: control characters no cleaned text holds, turned into <mark> by the views after escaping.
MARK_START, MARK_END = "\x02", "\x03"
SNIPPET_TOKENS = 14
MAX_TERMS = 12
_TERM = re.compile(r"\w+\*?", re.UNICODE)


@dataclass(frozen=True)
class Filters:
    """What to keep: articles of an outlet, a language, a lean, published in a date range (ISO dates,
    inclusive); stories of at least / at most so many articles; stories covered by one lean only."""

    outlet: str = ""
    language: str = ""
    lean: str = ""
    since: str = ""
    until: str = ""
    min_size: int = 0
    max_size: int = 0
    one_side: bool = False

    @property
    def any_article(self) -> bool:
        return bool(self.outlet or self.language or self.lean or self.since or self.until)

    @property
    def active(self) -> bool:
        return self.any_article or bool(self.min_size or self.max_size or self.one_side)


@dataclass(frozen=True)
class Hit:
    """One search result: what matched, in which story, its title (or a quote's speaker), a snippet with
    the matched words between MARK_START and MARK_END, and its bm25 rank (lower is better)."""

    kind: HitKind
    story_id: str
    article_id: str | None
    ref: str
    title: str
    snippet: str
    rank: float


@dataclass
class StoryFacets:
    """What the story list shows beside a story: its outlets, articles per lean, contested points."""

    outlets: list[str] = field(default_factory=list)
    leans: dict[str, int] = field(default_factory=dict)
    contested: int | None = None  # None: no brief yet


def fts_query(text: str) -> str | None:
    """The FTS5 query for a user's words (all must appear), or None when there are no words."""
    terms = _TERM.findall(text)[:MAX_TERMS]
    if not terms:
        return None
    return " ".join(f'"{t[:-1]}"*' if t.endswith("*") else f'"{t}"' for t in terms)


def _article_clause(filters: Filters, alias: str = "a") -> tuple[str, list[Any]]:
    """SQL conditions on an articles row for the article filters, and their parameters."""
    clauses: list[str] = []
    params: list[Any] = []
    if filters.outlet:
        clauses.append(f"{alias}.outlet = ? COLLATE NOCASE")
        params.append(filters.outlet)
    if filters.language:
        clauses.append(f"{alias}.language = ? COLLATE NOCASE")
        params.append(filters.language)
    if filters.lean:
        clauses.append(f"{alias}.lean = ? COLLATE NOCASE")
        params.append(filters.lean)
    if filters.since:
        clauses.append(f"substr({alias}.published, 1, 10) >= ?")
        params.append(filters.since[:10])
    if filters.until:
        clauses.append(f"substr({alias}.published, 1, 10) <= ?")
        params.append(filters.until[:10])
    return " AND ".join(clauses) or "1", params


def _story_clause(filters: Filters, alias: str = "s") -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if filters.min_size:
        clauses.append(f"{alias}.article_count >= ?")
        params.append(filters.min_size)
    if filters.max_size:
        clauses.append(f"{alias}.article_count <= ?")
        params.append(filters.max_size)
    if filters.one_side:
        # one lean label among the articles whose outlet has one (see the outlet table)
        clauses.append(f"(SELECT count(DISTINCT x.lean) FROM articles x WHERE x.story_id = {alias}.id) = 1")
    if filters.any_article:
        where, more = _article_clause(filters, "y")
        clauses.append(f"EXISTS (SELECT 1 FROM articles y WHERE y.story_id = {alias}.id AND {where})")
        params.extend(more)
    return " AND ".join(clauses) or "1", params


def _hit_queries(query: str, filters: Filters) -> tuple[str, list[Any]]:
    """The three ranked selects (articles, quotes, facts) as one UNION ALL, with their parameters: kind,
    story id, article id, ref, FTS rowid and bm25 rank of every match, no snippet (made for one page only)."""
    art, art_params = _article_clause(filters)
    story, story_params = _story_clause(filters)
    sql = (
        "SELECT 'article' AS kind, a.story_id, a.id, a.id, articles_fts.rowid,"
        " bm25(articles_fts, 4.0, 1.0) AS rank"
        " FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid JOIN stories s ON s.id = a.story_id"
        f" WHERE articles_fts MATCH ? AND {art} AND {story}"
        " UNION ALL "
        "SELECT 'quote', a.story_id, a.id, a.id, quotes_fts.rowid, bm25(quotes_fts, 2.0, 1.0)"
        f" FROM quotes_fts JOIN articles a ON a.seq = quotes_fts.rowid / {QUOTE_SLOTS}"
        " JOIN stories s ON s.id = a.story_id"
        f" WHERE quotes_fts MATCH ? AND {art} AND {story}"
        " UNION ALL "
        "SELECT 'fact', f.story_id, NULL, f.id, facts_fts.rowid, bm25(facts_fts)"
        " FROM facts_fts JOIN facts f ON f.rowid = facts_fts.rowid JOIN stories s ON s.id = f.story_id"
        f" WHERE facts_fts MATCH ? AND {story}"
    )
    params = [query, *art_params, *story_params, query, *art_params, *story_params, query, *story_params]
    return sql, params


# Per kind: the table, its snippet column, and where the hit's title comes from.
_SNIPPETS: dict[str, tuple[str, int, str]] = {
    "article": ("articles_fts", 1, "title"),
    "quote": ("quotes_fts", 1, "speaker"),
    "fact": ("facts_fts", 0, "''"),
}


def search(
    store: Store, text: str, filters: Filters = Filters(), *, limit: int = 20, offset: int = 0
) -> tuple[int, list[Hit]]:
    """Articles, quotes and facts matching every word of ``text`` under ``filters``, best first: the number
    of hits on all pages and this page's hits.

    Two steps: every match is ranked (bm25) without a snippet, then snippets are made for this page's
    hits only; making them for every match cost ~0.2 s per query at 1,000 stories (bench/serve.py).
    """
    query = fts_query(text)
    if query is None:
        return 0, []
    conn = store.connection
    if filters.active:
        sql, params = _hit_queries(query, filters)
        ranked = conn.execute(f"{sql} ORDER BY rank, kind", params).fetchall()
        total, page = len(ranked), ranked[offset : offset + limit]
    else:
        total, page = _unfiltered_page(store, query, offset, limit)
    hits = []
    for kind, story_id, article_id, ref, rowid, rank in page:
        table, column, title = _SNIPPETS[kind]
        row = conn.execute(
            f"SELECT {title}, snippet({table}, {column}, '{MARK_START}', '{MARK_END}', '…', {SNIPPET_TOKENS})"
            f" FROM {table} WHERE {table} MATCH ? AND rowid = ?",
            (query, rowid),
        ).fetchone()
        hits.append(
            Hit(
                kind=kind,
                story_id=str(story_id),
                article_id=article_id,
                ref=str(ref),
                title=str(row[0] or "")
                if row and row[0]
                else (article_id or "" if kind == "article" else ""),
                snippet=str(row[1] or "") if row else "",
                rank=float(rank),
            )
        )
    return total, hits


# Without filters, each kind is ranked on its FTS table alone and only the page's rows are looked up:
# joining every match to its article or fact row first cost ~120 ms for 5,000 facts (bench/serve.py).
_RANKERS: dict[str, tuple[str, str, str]] = {
    "article": (
        "articles_fts",
        "bm25(articles_fts, 4.0, 1.0)",
        "SELECT story_id, id, id FROM articles WHERE seq = ?",
    ),
    "quote": (
        "quotes_fts",
        "bm25(quotes_fts, 2.0, 1.0)",
        f"SELECT story_id, id, id FROM articles WHERE seq = ? / {QUOTE_SLOTS}",
    ),
    "fact": ("facts_fts", "bm25(facts_fts)", "SELECT story_id, NULL, id FROM facts WHERE rowid = ?"),
}


def _unfiltered_page(store: Store, query: str, offset: int, limit: int) -> tuple[int, list[tuple[Any, ...]]]:
    conn = store.connection
    total = 0
    best: list[tuple[float, str, int]] = []
    for kind, (table, rank, _lookup) in _RANKERS.items():
        total += int(
            conn.execute(f"SELECT count(*) FROM {table} WHERE {table} MATCH ?", (query,)).fetchone()[0]
        )
        rows = conn.execute(
            f"SELECT rowid, {rank} AS r FROM {table} WHERE {table} MATCH ? ORDER BY r LIMIT ?",
            (query, offset + limit),
        )
        best.extend((float(r[1]), kind, int(r[0])) for r in rows)
    best.sort(key=lambda item: (item[0], item[1]))
    page = []
    for rank_value, kind, rowid in best[offset : offset + limit]:
        found = conn.execute(_RANKERS[kind][2], (rowid,)).fetchone()
        if found is not None:
            page.append((kind, found[0], found[1], found[2], rowid, rank_value))
    return total, page


def matching_story_ids(store: Store, text: str, filters: Filters = Filters()) -> set[str]:
    """Stories with any article, quote or fact matching ``text`` (every story when ``text`` has no words),
    under ``filters``."""
    query = fts_query(text)
    conn = store.connection
    if query is None:
        where, params = _story_clause(filters)
        return {str(r[0]) for r in conn.execute(f"SELECT s.id FROM stories s WHERE {where}", params)}
    sql, params = _hit_queries(query, filters)
    return {str(r[0]) for r in conn.execute(f"SELECT DISTINCT story_id FROM ({sql})", params)}


def story_facets(store: Store, story_ids: list[str]) -> dict[str, StoryFacets]:
    """Outlets (most articles first), articles per lean and contested points of the given stories."""
    found = {sid: StoryFacets() for sid in story_ids}
    if not story_ids:
        return found
    conn = store.connection
    marks = ",".join("?" * len(story_ids))
    counts: dict[str, dict[str, int]] = {sid: {} for sid in story_ids}
    rows = conn.execute(
        f"SELECT story_id, outlet, lean, count(*) FROM articles WHERE story_id IN ({marks}) GROUP BY 1, 2, 3",
        story_ids,
    )
    for story_id, outlet, lean, n in rows:
        facets = found[story_id]
        if outlet:
            counts[story_id][outlet] = counts[story_id].get(outlet, 0) + int(n)
        if lean:
            facets.leans[str(lean)] = facets.leans.get(str(lean), 0) + int(n)
    for story_id, by_outlet in counts.items():
        found[story_id].outlets = sorted(by_outlet, key=lambda o: (-by_outlet[o], o.casefold()))
    rows = conn.execute(
        f"SELECT story_id, contested FROM brief_stats WHERE story_id IN ({marks})",
        story_ids,
    )
    for story_id, contested in rows:
        found[story_id].contested = int(contested or 0)
    return found
