"""Full-text search (FTS5) over articles, quotes and facts, the filters, the outlet table, and the migration
that indexes a store written before search existed. Articles: the invented stories of tests/fixtures/mixed,
given invented outlets, addresses and dates."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from storyweave.ingest.text import read_text
from storyweave.model import Article
from storyweave.outlets import OutletTable, OutletTableError
from storyweave.service import add_to_store, brief_from_store
from storyweave.store import MIGRATIONS, Store
from storyweave.store.schema import migrate
from storyweave.store.search import Filters, fts_query, matching_story_ids, search, story_facets

MIXED = Path(__file__).resolve().parent / "fixtures" / "mixed"
ROOT = Path(__file__).resolve().parent.parent
# name -> (outlet domain, published, language)
PLACES = {
    "quake_wire": ("wire.example", "2024-03-07"),
    "quake_reprint": ("left-daily.example", "2024-03-07"),
    "quake_local": ("news.right-herald.example", "2024-03-08"),
    "pension_a": ("left-daily.example", "2023-12-19"),
    "pension_b": ("www.left-daily.example", "2023-12-19"),
}


def fixture_articles(table: OutletTable | None = None) -> list[Article]:
    articles = []
    for name, (domain, published) in PLACES.items():
        path = MIXED / f"{name}.txt"
        article = read_text(path.read_bytes(), name, str(path))
        article = replace(article, url=f"https://{domain}/{name}", published=published, outlet=None)
        articles.append(table.annotate(article) if table is not None else article)
    return articles


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    table = OutletTable.load(ROOT / "examples" / "outlets.example.csv")
    db = tmp_path_factory.mktemp("search") / "news.db"
    result = add_to_store(fixture_articles(table), db)
    assert not result.errors and len(result.added) == 5
    brief_from_store(db)
    with Store.open(db) as opened:
        yield opened


def _story_of(store: Store, article_id: str) -> str:
    doc = store.connection.execute("SELECT story_id FROM articles WHERE id = ?", (article_id,)).fetchone()
    return str(doc[0])


def test_body_words_are_found_not_only_headlines(store: Store) -> None:
    total, hits = search(store, "Caraveli")  # written "Caravelí": diacritics do not matter
    assert total >= 1
    article_hits = [h for h in hits if h.kind == "article"]
    assert "quake_local" in {h.article_id for h in article_hits}
    assert all("\x02Caravelí\x03" in h.snippet for h in article_hits)
    assert search(store, "Caraveli zzzunknownword")[0] == 0  # every word must appear


def test_quotes_and_facts_are_searched_and_ranked(store: Store) -> None:
    _total, hits = search(store, "historic step", limit=50)
    kinds = {h.kind for h in hits}
    assert {"article", "quote", "fact"} <= kinds, hits
    quote = next(h for h in hits if h.kind == "quote")
    assert "\x02historic\x03" in quote.snippet and quote.article_id in {"pension_a", "pension_b"}
    assert [h.rank for h in hits] == sorted(h.rank for h in hits)  # best (lowest bm25) first


def test_prefix_and_hostile_query_syntax(store: Store) -> None:
    assert search(store, "earthq*")[0] >= 1
    for nasty in ['NEAR("a" "b")', 'pension" OR "x', "-pension", "title:pension", "*", '"']:
        search(store, nasty)  # never an FTS5 syntax error: user words are quoted terms
    assert fts_query("  ") is None and fts_query('say "hi"') == '"say" "hi"'


def test_filters_by_outlet_lean_date_language_and_size(store: Store) -> None:
    quake = _story_of(store, "quake_wire")
    pension = _story_of(store, "pension_a")
    assert matching_story_ids(store, "", Filters(outlet="Example Right Herald")) == {quake}
    assert matching_story_ids(store, "", Filters(lean="left")) == {quake, pension}
    assert matching_story_ids(store, "", Filters(since="2024-01-01")) == {quake}
    assert matching_story_ids(store, "", Filters(until="2023-12-31")) == {pension}
    assert matching_story_ids(store, "", Filters(min_size=3)) == {quake}
    assert matching_story_ids(store, "", Filters(language="en")) == {quake, pension}
    assert matching_story_ids(store, "", Filters(language="fr")) == set()
    # the pension vote was covered by "left" outlets only; the quake by left, right and an unknown wire
    assert matching_story_ids(store, "", Filters(one_side=True)) == {pension}
    total, hits = search(store, "earthquake", Filters(outlet="Example Right Herald"))
    assert total >= 1 and {h.article_id for h in hits if h.kind != "fact"} == {"quake_local"}


def test_story_facets_name_outlets_leans_and_contested_points(store: Store) -> None:
    quake = _story_of(store, "quake_wire")
    facets = story_facets(store, [quake])[quake]
    assert "Example Right Herald" in facets.outlets and "wire.example" in facets.outlets
    assert facets.leans == {"left": 1, "right": 1}
    assert facets.contested is not None and facets.contested >= 0


def test_outlet_table_names_outlets_from_urls(tmp_path: Path) -> None:
    table = OutletTable.load(ROOT / "examples" / "outlets.example.csv")
    found = table.lookup("https://news.right-herald.example/world/x")
    assert found is not None and found.name == "Example Right Herald" and found.lean == "right"
    assert table.lookup("https://notright-herald.example/") is None  # a suffix of a name is not a domain
    article = table.annotate(Article(id="a", raw_text="x", url="https://left-daily.example/a"))
    assert article.outlet == "The Example Left Daily" and article.extra["lean"] == "left"
    assert article.extra["owner"] == "Example Media Group"
    toml = tmp_path / "outlets.toml"
    toml.write_text('[[outlet]]\nname = "Fjord Post"\ndomains = ["fjord.example"]\nlean = "centre"\n')
    assert OutletTable.load(toml).lookup(name="fjord post").lean == "centre"  # type: ignore[union-attr]
    bad = tmp_path / "bad.csv"
    bad.write_text("name,lean\nX,left\n")
    with pytest.raises(OutletTableError):
        OutletTable.load(bad)


def test_migration_indexes_a_store_written_before_search(tmp_path: Path) -> None:
    mine = next(i for i, m in enumerate(MIGRATIONS) if m.description.startswith("workspace"))
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db, isolation_level=None)
    migrate(conn, MIGRATIONS[:mine])  # the store as it was before this migration
    conn.close()
    path = MIXED / "quake_local.txt"
    old = Store(sqlite3.connect(db, isolation_level=None), db)
    from storyweave.pipeline import analyse_one

    doc = analyse_one(read_text(path.read_bytes(), "quake_local", str(path)))
    assert not isinstance(doc, Exception)
    with old.write():
        old.insert_article(doc, "s_old")
        old.save_story(
            "s_old",
            headline="Arequipa",
            article_count=1,
            independent_count=1,
            first_seen=None,
            last_seen=None,
            syndication={},
        )
    old.close()
    with Store.open(db) as upgraded:
        assert upgraded.schema_version == MIGRATIONS[-1].version
        assert [h.article_id for h in search(upgraded, "Caravelí")[1] if h.kind == "article"] == [
            "quake_local"
        ]


def test_add_with_an_outlet_table_stores_lean_and_owner(tmp_path: Path) -> None:
    from storyweave.cli import main

    page = tmp_path / "page.jsonl"
    title, _, body = (MIXED / "pension_b.txt").read_text(encoding="utf-8").partition("\n")
    record = {"title": title, "text": body, "url": "https://news.right-herald.example/pension"}
    page.write_text(json.dumps(record) + "\n", encoding="utf-8")
    db = tmp_path / "news.db"
    table = ROOT / "examples" / "outlets.example.csv"
    assert main(["add", str(page), "--db", str(db), "--outlets", str(table), "--quiet"]) == 0
    with Store.open(db) as opened:
        (article_id,) = opened.article_ids()
        doc = opened.article(article_id)
        assert doc is not None and doc.article.outlet == "Example Right Herald"
        assert doc.article.extra["lean"] == "right" and doc.article.extra["owner"] == "Example Holdings"
        assert matching_story_ids(opened, "", Filters(lean="right")) == {_story_of(opened, article_id)}
