"""Story grouping (brief and add alike, merges and splits in a store) and syndication detection on
invented reports."""

from __future__ import annotations

from contextlib import redirect_stdout
from dataclasses import replace
from io import StringIO
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.helpers import make_doc

from storyweave import thresholds
from storyweave.cli import main
from storyweave.group import group_stories, syndication_groups
from storyweave.model import AnalysedArticle, Article
from storyweave.pipeline import analyse_one, run
from storyweave.server import create_app
from storyweave.service import Added, StoryAssigner, add_to_store, brief_from_store
from storyweave.store import Store

QUAKE = (
    "A magnitude 6.4 earthquake struck southern Peru on Thursday, killing at least 12 people in Arequipa.\n"
    "The quake hit at a depth of 35 kilometres south of Caraveli, the Geophysical Institute said.\n"
    "Rescue teams searched the rubble of collapsed adobe homes in three villages.\n"
    "President Dina Boluarte declared a state of emergency in four provinces of Arequipa."
)
QUAKE_REPRINT = QUAKE.rsplit("\n", 1)[0]
QUAKE_OTHER = (
    "Rescuers in Arequipa dug through collapsed adobe houses after Thursday's earthquake killed 15 people.\n"
    "Peru's Geophysical Institute said the magnitude 6.4 quake struck south of Caraveli before dawn.\n"
    "Boluarte declared an emergency in four provinces of the Arequipa region."
)
OTHER_QUAKE = (
    "A magnitude 7.1 earthquake shook central Japan on New Year's Day, collapsing buildings in Wajima.\n"
    "The Japan Meteorological Agency issued a major tsunami warning for the Noto peninsula in Ishikawa.\n"
    "Prime Minister Fumio Kishida said the military had sent troops to Ishikawa prefecture."
)
PENSION = (
    "The Dutch lower house of parliament approved a reform of the 1.5 trillion euro pension system.\n"
    "The bill moves pension funds from guaranteed benefits to individual accounts.\n"
    "Social Affairs Minister Karien van Gennip called the vote a historic step."
)


def test_same_event_groups_and_different_events_of_one_kind_stay_apart() -> None:
    docs = [
        make_doc("peru-wire", QUAKE),
        make_doc("peru-local", QUAKE_OTHER),
        make_doc("japan", OTHER_QUAKE),
        make_doc("pension", PENSION),
    ]
    stories = group_stories(docs)
    groups = sorted(sorted(s.article_ids) for s in stories)
    assert groups == [["japan"], ["pension"], ["peru-local", "peru-wire"]]
    assert stories[0].article_ids == ["peru-local", "peru-wire"]  # largest first


def test_story_ids_are_stable_and_distinct() -> None:
    docs = [make_doc("peru-wire", QUAKE), make_doc("pension", PENSION)]
    first = {s.id for s in group_stories(docs)}
    again = {s.id for s in group_stories(list(reversed(docs)))}
    assert first == again and len(first) == 2


def test_syndicated_copy_shares_a_group_and_independent_report_does_not() -> None:
    docs = [make_doc("wire", QUAKE), make_doc("reprint", QUAKE_REPRINT), make_doc("local", QUAKE_OTHER)]
    groups = syndication_groups(docs)
    assert groups["wire"] == groups["reprint"] == "reprint"
    assert groups["local"] == "local"


# -- one model for brief and add, merges and splits in a store ---------------------------------------

GROUPING = Path(__file__).resolve().parent / "fixtures" / "grouping"
EXPECTED_STORIES = [
    ["chip_a", "chip_b"],
    ["dam_local", "dam_undated", "dam_wire"],
    ["summit_2018", "summit_2018_b"],
    ["summit_2023"],
]


@pytest.fixture(scope="module")
def grouping_docs() -> dict[str, AnalysedArticle]:
    """The grouping fixtures cleaned and analysed as `add` does it."""
    out: dict[str, AnalysedArticle] = {}
    for path in sorted(GROUPING.glob("*.txt")):
        doc = analyse_one(Article(id=path.stem, raw_text=path.read_text(encoding="utf-8"), source=str(path)))
        assert isinstance(doc, AnalysedArticle)
        out[path.stem] = doc
    return out


def test_brief_and_add_group_a_folder_alike(tmp_path: Path) -> None:
    """The same folder through `brief` (batch) and `add` (one article at a time into a store) gives the
    same stories, the summit-like pair apart (an undated 2023 summit never joins the undated 2018 one)."""
    result = run([GROUPING], include=["*.txt"])
    assert not result.errors
    by_brief = sorted(sorted(Path(a.id).stem for a in b.articles) for b in result.briefs)
    added = add_to_store([GROUPING], tmp_path / "store.db", include=["*.txt"])
    assert not added.errors
    by_add: dict[str, list[str]] = {}
    for a in added.added:
        by_add.setdefault(a.story_id, []).append(Path(a.source or a.article_id).stem)
    assert by_brief == sorted(sorted(g) for g in by_add.values()) == EXPECTED_STORIES


def test_a_merge_in_the_store_keeps_the_old_id_working(
    grouping_docs: dict[str, AnalysedArticle], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "store.db"
    with Store.open(db) as store:
        assigner = StoryAssigner(store)
        monkeypatch.setattr(thresholds, "ONLINE_JOIN_SIMILARITY", 10.0)  # two stories of one event
        first = assigner.add(grouping_docs["dam_wire"])
        second = assigner.add(grouping_docs["dam_local"])
        assert isinstance(first, Added) and isinstance(second, Added) and first.story_id != second.story_id
        monkeypatch.setattr(thresholds, "ONLINE_JOIN_SIMILARITY", 0.35)
        monkeypatch.setattr(thresholds, "GROUP_MERGE_SIMILARITY", 0.4)
        third = assigner.add(grouping_docs["dam_undated"])
        assigner.close()
        assert isinstance(third, Added)
        survivor = third.story_id
        gone = second.story_id if survivor == first.story_id else first.story_id
        assert [r.id for r in store.stories()] == [survivor]
        row = store.story(gone)
        assert row is not None and row.id == survivor and row.article_count == 3
        assert store.story_aliases(survivor) == [gone]
        assert [(e.kind, e.story_id, e.other_id) for e in store.story_events(gone)] == [
            ("merge", survivor, gone)
        ]
        assert sorted(store.syndication(gone)) == ["dam_local", "dam_undated", "dam_wire"]
    # a new process (fresh grouper from the snapshot) and the CLI see the same
    with Store.open(db) as store:
        again = StoryAssigner(store).add(grouping_docs["chip_a"])
        assert isinstance(again, Added) and again.story_id not in (survivor, gone)
    out = StringIO()
    with redirect_stdout(out):
        assert main(["log", "--db", str(db), "--story", gone]) == 0
    assert f"merge  {gone} into {survivor}" in out.getvalue()
    briefs = brief_from_store(db, [gone])
    assert [b.story.id for b in briefs.briefs] == [survivor] and not briefs.missing
    with TestClient(create_app(db), base_url="http://127.0.0.1") as client:  # old links keep working
        api = client.get(f"/api/stories/{gone}")
        assert api.status_code == 200 and api.json()["story"]["id"] == survivor
        assert len(api.json()["articles"]) == 3
        page = client.get(f"/stories/{gone}")
        assert page.status_code == 200 and briefs.briefs[0].story.headline in page.text


def test_a_story_whose_articles_drift_apart_splits(
    grouping_docs: dict[str, AnalysedArticle], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store.open(tmp_path / "store.db") as store:
        assigner = StoryAssigner(store)
        # a dam and a takeover in one story: every shared word proposes the story, any score joins it
        monkeypatch.setattr(thresholds, "ONLINE_JOIN_SIMILARITY", -1.0)
        monkeypatch.setattr(thresholds, "ONLINE_QUERY_TERMS", 1000)
        monkeypatch.setattr(thresholds, "ONLINE_INDEX_TERMS", 1000)
        monkeypatch.setattr(thresholds, "GROUP_SPLIT_CHECKS", frozenset())
        for name in ("dam_wire", "chip_a", "dam_local", "chip_b"):
            assigner.add(grouping_docs[name])
        (mixed,) = store.stories()
        assert mixed.article_count == 4
        monkeypatch.undo()
        monkeypatch.setattr(thresholds, "GROUP_SPLIT_CHECKS", frozenset({5}))
        assigner.add(grouping_docs["dam_undated"])
        rows = {r.id: r for r in store.stories()}
        assert len(rows) == 2
        (event,) = store.story_events()
        assert event.kind == "split" and event.story_id == mixed.id and event.other_id in rows
        moved = sorted(event.article_ids)
        assert moved in (["chip_a", "chip_b"], ["dam_local", "dam_undated", "dam_wire"])
        assert sorted(store.syndication(event.other_id)) == moved
        assert rows[event.other_id].article_count == len(moved)
        assert rows[mixed.id].article_count == 5 - len(moved)
        # the grouper follows the split: the next report of the takeover joins the takeover's story
        assigner.close()
        chip_story = event.other_id if moved == ["chip_a", "chip_b"] else mixed.id
        late = replace(
            grouping_docs["chip_b"],
            article=replace(
                grouping_docs["chip_b"].article,
                id="chip_c",
                raw_text="",
                text=grouping_docs["chip_b"].article.text
                + "\n\nThe companies confirmed the price on Tuesday.",
            ),
        )
        added = StoryAssigner(store).add(late)
        assert isinstance(added, Added) and added.story_id == chip_story
