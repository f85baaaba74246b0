"""The incremental store: schema and migrations, adding articles, re-adding, briefs recomputed only when a
story changed, export/import round trips, and several writers on one store."""

from __future__ import annotations

import json
import logging
import shutil
import sqlite3
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest

from storyweave.model import AnalysedArticle, Article
from storyweave.pipeline import analyse_one
from storyweave.service import (
    Added,
    StoryAssigner,
    add_to_store,
    brief_from_store,
    export_store,
    import_to_store,
)
from storyweave.store import MIGRATIONS, SCHEMA_VERSION, Migration, Store, StoreError
from storyweave.store.schema import APPLICATION_ID, migrate

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "store"
FIRST_BATCH = ["ruling_wire", "ruling_reprint", "ruling_local", "merger_a", "merger_b"]


def fixture(name: str) -> str:
    return str(FIXTURES / f"{name}.txt")


def export_lines(db: Path | Store) -> list[str]:
    out = StringIO()
    export_store(db, out)
    return out.getvalue().splitlines()


@pytest.fixture(scope="module")
def base_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the first batch (a court ruling in three reports, an airline merger in two)."""
    db = tmp_path_factory.mktemp("base") / "base.db"
    result = add_to_store([fixture(n) for n in FIRST_BATCH], db)
    assert not result.errors and len(result.added) == 5
    return db


@pytest.fixture
def db(base_db: Path, tmp_path: Path) -> Path:
    """A private copy of the base store (closed stores are a single file: the WAL is checkpointed)."""
    copy = tmp_path / "store.db"
    shutil.copy(base_db, copy)
    return copy


@pytest.fixture(scope="module")
def docs() -> dict[str, AnalysedArticle]:
    """Every fixture article, cleaned and analysed once."""
    out: dict[str, AnalysedArticle] = {}
    for path in sorted(FIXTURES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        doc = analyse_one(Article(id=path.stem, raw_text=text, source=str(path)))
        assert isinstance(doc, AnalysedArticle)
        out[path.stem] = doc
    return out


def story_of(store: Store, article_id: str) -> str:
    for row in store.stories():
        if article_id in {d.id for d in store.story_docs(row.id)}:
            return row.id
    raise AssertionError(f"{article_id} is in no story")


# -- opening, schema, migrations --------------------------------------------------------------------


def test_open_creates_a_wal_store_at_the_current_schema(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    with Store.open(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert store.integrity_check() == "ok"
        assert store.is_empty()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    conn.close()
    assert {"articles", "stories", "briefs", "facts", "entities", "grouper"} <= tables
    with Store.open(path, create=False) as again:  # reopening migrates nothing and loses nothing
        assert again.schema_version == SCHEMA_VERSION


def test_open_refuses_what_is_not_a_usable_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store there"):
        Store.open(tmp_path / "missing.db", create=False)
    assert not (tmp_path / "missing.db").exists()
    text = tmp_path / "notes.db"
    text.write_text("shopping list: eggs, flour, milk\n" * 200, encoding="utf-8")
    with pytest.raises(StoreError, match="not a storyweave store"):
        Store.open(text)
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="another application"):
        Store.open(other)
    newer = tmp_path / "newer.db"
    Store.open(newer).close()
    conn = sqlite3.connect(newer)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer than this storyweave supports"):
        Store.open(newer)


def test_migrations_upgrade_a_stored_store_and_roll_back_when_a_step_fails(db: Path) -> None:
    failing = Migration(
        SCHEMA_VERSION + 1,
        "a step that breaks half-way",
        ["ALTER TABLE articles ADD COLUMN draft INTEGER", "SELECT * FROM no_such_table"],
    )
    conn = sqlite3.connect(db, isolation_level=None)
    with pytest.raises(sqlite3.OperationalError):
        migrate(conn, [*MIGRATIONS, failing])
    columns = {r[1] for r in conn.execute("PRAGMA table_info(articles)")}
    assert "draft" not in columns and conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION

    def fill(c: sqlite3.Connection) -> None:
        c.execute("UPDATE articles SET sentence_count = json_array_length(sentences)")

    upgrade = Migration(
        SCHEMA_VERSION + 1,
        "count sentences",
        ["ALTER TABLE articles ADD COLUMN sentence_count INTEGER"],
        fill,
    )
    assert migrate(conn, [*MIGRATIONS, upgrade]) == SCHEMA_VERSION + 1
    rows = conn.execute("SELECT id, sentence_count FROM articles ORDER BY seq").fetchall()
    conn.close()
    assert [r[0] for r in rows] == FIRST_BATCH and all(r[1] > 2 for r in rows)


# -- adding -----------------------------------------------------------------------------------------


def test_add_stores_every_stage_and_groups_articles_into_stories(db: Path) -> None:
    with Store.open(db) as store:
        assert store.article_ids() == FIRST_BATCH
        rows = {r.article_count: r for r in store.stories()}
        ruling, merger = rows[3], rows[2]
        assert {d.id for d in store.story_docs(ruling.id)} == {
            "ruling_wire",
            "ruling_reprint",
            "ruling_local",
        }
        assert {d.id for d in store.story_docs(merger.id)} == {"merger_a", "merger_b"}
        # the reprint is a copy of the wire story: three reports, two independent voices
        assert ruling.independent_count == 2 and merger.independent_count == 2
        synd = store.syndication(ruling.id)
        assert synd["ruling_reprint"] == synd["ruling_wire"] != synd["ruling_local"]
        assert (ruling.first_seen, ruling.last_seen) == ("2025-06-04", "2025-06-04")
        assert "Mombasa" in ruling.headline and "Nordwind" in merger.headline
        assert ruling.briefed_version is None and not ruling.brief_current
        wire = store.article("ruling_wire")
        local = store.article("ruling_local")
    assert wire is not None and local is not None
    assert {r.reason for r in wire.article.removed} >= {"navigation"}
    assert not wire.article.text.startswith("Home")
    assert len(local.sentences) >= 5 and local.sentences[0].article_id == "ruling_local"
    assert {"Mary Wanjiku", "Simon Sang"} <= {m.name for m in local.mentions}
    assert any(q.speaker and "Sang" in q.speaker for q in local.quotes)
    assert any(t.value == "2025-06-04" for t in local.times)  # "on Wednesday", resolved at add time


def test_readding_changes_nothing_and_says_so(db: Path, tmp_path: Path) -> None:
    before = export_lines(db)
    again = add_to_store([fixture(n) for n in FIRST_BATCH], db)
    assert again.added == [] and again.errors == []
    assert len(again.already_stored) == 5
    assert all("already stored" in n and "nothing changed" in n for n in again.already_stored)
    copy = tmp_path / "copy_of_wire.txt"  # same content under another name
    copy.write_bytes((FIXTURES / "ruling_wire.txt").read_bytes())
    clash = tmp_path / "merger_a.txt"  # same id, different content
    clash.write_text("Nordwind denies merger talks\n\nNordwind Airlines said it was not in talks.", "utf-8")
    other = add_to_store([str(copy), str(clash)], db)
    assert other.added == [] and len(other.already_stored) == 2
    assert "same content as ruling_wire" in other.already_stored[0]
    assert "'merger_a' already stored (different content)" in other.already_stored[1]
    assert export_lines(db) == before


def test_bad_inputs_are_reported_one_line_each_and_the_batch_goes_on(db: Path, tmp_path: Path) -> None:
    before = export_lines(db)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 8)
    seen: list[object] = []
    result = add_to_store(
        [str(tmp_path / "empty.txt"), str(tmp_path / "binary.txt"), fixture("ruling_update")],
        db,
        on_outcome=seen.append,
    )
    assert [e.source for e in result.errors] == [str(tmp_path / "empty.txt"), str(tmp_path / "binary.txt")]
    assert all("\n" not in str(e) for e in result.errors)
    assert [a.article_id for a in result.added] == ["ruling_update"]
    assert seen == [*result.errors, *result.added]  # reported as they happen, in order
    after = export_lines(db)
    assert len(after) == len(before) + 1  # one more article; stories and everything else kept
    with Store.open(db) as store:
        assert store.article_ids() == [*FIRST_BATCH, "ruling_update"]
        row = store.story(story_of(store, "ruling_update"))
        assert row is not None and row.article_count == 4 and row.last_seen == "2025-06-06"


def test_articles_given_as_objects_are_added_too(tmp_path: Path) -> None:
    article = Article(
        id="tram_strike",
        raw_text="Tram drivers strike in Graz\n\nTram drivers in Graz stopped work on Monday for 24 hours, "
        "the transport union vida said, leaving commuters to walk or take buses.",
    )
    result = add_to_store([article], tmp_path / "objects.db")
    assert [(a.article_id, a.new_story) for a in result.added] == [("tram_strike", True)]


# -- briefs -----------------------------------------------------------------------------------------


def test_only_stories_whose_articles_changed_are_briefed_again(db: Path) -> None:
    first = brief_from_store(db)
    assert len(first.briefs) == 2 and len(first.recomputed) == 2
    second = brief_from_store(db)
    assert second.recomputed == []
    assert [b.to_dict() for b in second.briefs] == [b.to_dict() for b in first.briefs]
    with Store.open(db) as store:
        assert all(r.brief_current for r in store.stories())
        ruling = story_of(store, "ruling_wire")
        merger = story_of(store, "merger_a")
    added = add_to_store([fixture("ruling_update")], db).added
    assert [a.story_id for a in added] == [ruling]
    with Store.open(db) as store:
        row = store.story(ruling)
        assert row is not None and not row.brief_current and row.briefed_version == row.version - 1
    third = brief_from_store(db)
    assert third.recomputed == [ruling]
    by_story = {b.story.id: b for b in third.briefs}
    assert by_story[ruling].story.article_count == 4
    assert by_story[merger].to_dict() == {b.story.id: b for b in first.briefs}[merger].to_dict()
    # another summary length is another brief; asking for one story only touches that story
    shorter = brief_from_store(db, [merger], length=1)
    assert shorter.recomputed == [merger] and len(shorter.briefs[0].summary) <= 1
    missing = brief_from_store(db, ["s_000000000000", ruling])
    assert missing.missing == ["s_000000000000"] and missing.recomputed == []
    conn = sqlite3.connect(db)
    facts = conn.execute("SELECT count(*) FROM facts WHERE story_id = ?", (ruling,)).fetchone()[0]
    names = {r[0] for r in conn.execute("SELECT name FROM entities WHERE story_id = ?", (ruling,))}
    conn.close()
    assert facts == len(by_story[ruling].facts) > 0
    assert any("Wanjiku" in n for n in names)


def test_brief_from_a_missing_store_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError):
        brief_from_store(tmp_path / "nothing.db")
    assert not (tmp_path / "nothing.db").exists()


# -- export and import ------------------------------------------------------------------------------


def test_export_and_import_round_trip_exactly(db: Path, tmp_path: Path) -> None:
    brief_from_store(db)  # so that briefs, facts and entities travel too
    lines = export_lines(db)
    kinds = [json.loads(line)["kind"] for line in lines]
    assert kinds[0] == "header" and kinds.count("article") == 5
    assert kinds.count("story") == 2 and kinds.count("brief") == 2 and kinds.count("grouper") == 1
    copy = tmp_path / "copy.db"
    result = import_to_store(lines, copy, source="export.jsonl")
    assert result.restored and len(result.added) == 5 and not result.errors
    assert export_lines(copy) == lines
    assert brief_from_store(copy).recomputed == []  # briefs came along, still current
    again = import_to_store(lines, copy)  # into a store that has them all: nothing changes
    assert not again.restored and again.added == [] and len(again.already_stored) == 5
    assert export_lines(copy) == lines


def test_import_into_a_store_with_articles_groups_them_with_its_stories(db: Path, tmp_path: Path) -> None:
    lines = export_lines(db)
    lines.insert(3, "{this is not json")
    target = tmp_path / "target.db"
    add_to_store([fixture("merger_a"), fixture("ruling_update")], target)
    result = import_to_store(lines, target, source="dump.jsonl")
    assert not result.restored
    assert [str(e) for e in result.errors] == [
        "dump.jsonl:4: not JSON (Expecting property name enclosed in double quotes)"
    ]
    assert sorted(a.article_id for a in result.added) == sorted(set(FIRST_BATCH) - {"merger_a"})
    assert len(result.already_stored) == 1
    with Store.open(target) as store:
        assert sorted(r.article_count for r in store.stories()) == [2, 4]
        assert story_of(store, "ruling_wire") == story_of(store, "ruling_update")
        assert story_of(store, "merger_b") == story_of(store, "merger_a")


def test_import_refuses_what_is_not_an_export(tmp_path: Path) -> None:
    result = import_to_store(['{"kind": "article"}'], tmp_path / "x.db", source="random.jsonl")
    assert [str(e) for e in result.errors] == [
        "random.jsonl: not a storyweave store export ('article' at the start)"
    ]
    assert not (tmp_path / "x.db").exists()


# -- several writers, failures, grouper state -------------------------------------------------------


@pytest.fixture
def two_writers(tmp_path: Path) -> Iterator[tuple[Store, Store]]:
    path = tmp_path / "shared.db"
    one, two = Store.open(path), Store.open(path)
    yield one, two
    one.close()
    two.close()


def test_writers_in_two_connections_group_against_one_stream(
    two_writers: tuple[Store, Store], docs: dict[str, AnalysedArticle]
) -> None:
    one, two = two_writers
    first, second = StoryAssigner(one), StoryAssigner(two)
    a = first.add(docs["ruling_wire"])
    b = second.add(docs["merger_a"])  # the second writer has not seen the ruling yet: it replays it first
    c = second.add(docs["ruling_local"])
    d = first.add(docs["merger_b"])
    assert isinstance(a, Added) and isinstance(b, Added) and isinstance(c, Added) and isinstance(d, Added)
    assert a.new_story and b.new_story and not c.new_story and not d.new_story
    assert c.story_id == a.story_id and d.story_id == b.story_id
    notice = second.add(docs["ruling_wire"])
    assert isinstance(notice, str)
    assert notice.endswith("ruling_wire.txt: already stored (same content), nothing changed")
    first.close()
    second.close()
    assert one.article_ids() == ["ruling_wire", "merger_a", "ruling_local", "merger_b"]
    snapshot = one.grouper_snapshot()
    assert snapshot is not None and snapshot[0] == one.last_seq()


def test_a_failed_article_transaction_leaves_no_trace(
    tmp_path: Path, docs: dict[str, AnalysedArticle], monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(tmp_path / "fail.db")
    assigner = StoryAssigner(store)
    assigner.add(docs["merger_a"])
    real = store.save_story

    def broken(*args: object, **kwargs: object) -> int:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(store, "save_story", broken)
    with pytest.raises(sqlite3.OperationalError):
        assigner.add(docs["merger_b"])
    monkeypatch.setattr(store, "save_story", real)
    assert store.article_ids() == ["merger_a"]  # the article row went with the failed story update
    again = assigner.add(docs["merger_b"])  # the grouper was reset too: merger_b is new to it again
    assert isinstance(again, Added) and not again.new_story
    assigner.close()
    store.close()


def test_an_unusable_grouper_snapshot_is_rebuilt_from_the_articles(
    db: Path, docs: dict[str, AnalysedArticle], caplog: pytest.LogCaptureFixture
) -> None:
    conn = sqlite3.connect(db)
    conn.execute("UPDATE grouper SET state = '{\"version\": 999}'")
    conn.commit()
    conn.close()
    with Store.open(db) as store, caplog.at_level(logging.WARNING, "storyweave"):
        ruling = story_of(store, "ruling_wire")
        added = StoryAssigner(store).add(docs["ruling_update"])
    assert "grouper snapshot unusable" in caplog.text
    assert isinstance(added, Added) and added.story_id == ruling


def test_replaying_articles_without_their_analysis_regroups_them_as_stored(db: Path) -> None:
    """A process without a grouper snapshot replays the stored articles (article and mentions only, to keep
    it cheap): it must reach the stories they were stored in."""
    from storyweave.group.online import OnlineGrouper

    grouper = OnlineGrouper()
    with Store.open(db) as store:
        replayed = [(grouper.add(doc), story) for _, story, doc in store.articles_after(0, analysis=False)]
    assert len(replayed) == 5 and all(got == stored for got, stored in replayed)


def test_version_1_store_gets_brief_headlines_as_a_column(db: Path) -> None:
    """Migration 2 fills briefs.headline from the stored JSON; listings then read the column."""
    with Store.open(db) as store:
        story = store.stories()[0]
    brief_from_store(db, story_ids=[story.id])
    with Store.open(db) as store:
        listed = {r.id: r.headline for r in store.stories()}
    # take the store back to version 1: drop the column, as a store made before migration 2 was
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("ALTER TABLE briefs DROP COLUMN headline")
    for column in ("claims", "quantities", "roles"):  # added by the typed-slots migration, after 2
        conn.execute(f"ALTER TABLE articles DROP COLUMN {column}")
    conn.execute("PRAGMA user_version = 1")
    stored = conn.execute(
        "SELECT json_extract(brief, '$.story.headline') FROM briefs WHERE story_id = ?", (story.id,)
    ).fetchone()[0]
    conn.close()
    assert stored and listed[story.id] == stored
    with Store.open(db) as store:
        assert store.schema_version == SCHEMA_VERSION >= 2
        assert {r.id: r.headline for r in store.stories()} == listed
    conn = sqlite3.connect(db)
    column = conn.execute("SELECT headline FROM briefs WHERE story_id = ?", (story.id,)).fetchone()[0]
    conn.close()
    assert column == stored
