"""Story grouping on invented reports: joins, same-kind events kept apart, time, merges and splits, state,
arrival order."""

from __future__ import annotations

import json
import random
import re
from dataclasses import replace
from datetime import date, timedelta

import pytest

from storyweave import thresholds
from storyweave.group.online import FEATURES, OnlineGrouper, StoryGrouper
from storyweave.group.signature import key, signature
from storyweave.model import AnalysedArticle, Article, Mention, TimeRef


def doc(
    article_id: str, published: str | None, title: str, body: str, names: dict[str, str]
) -> AnalysedArticle:
    """An analysed article whose mentions are every occurrence of the given names (name -> NER label)."""
    text = "\n\n".join(p.strip() for p in body.strip().splitlines() if p.strip())
    mentions = [
        Mention(
            text=m.group(),
            name=name,
            label=label,
            article_id=article_id,
            sentence_index=0,
            start=m.start(),
            end=m.end(),
        )
        for name, label in names.items()
        for m in re.finditer(re.escape(name), text)
    ]
    article = Article(id=article_id, raw_text=text, text=text, title=title, published=published)
    return AnalysedArticle(article=article, mentions=mentions)


PERU = {"Arequipa": "GPE", "Caraveli": "GPE", "Dina Boluarte": "PERSON", "Geophysical Institute": "ORG"}
JAPAN = {"Ishikawa": "GPE", "Wajima": "GPE", "Fumio Kishida": "PERSON", "Noto": "LOC"}
ACTOR_A = {"Daniel Moreau": "PERSON", "Moreau": "PERSON", "Malibu": "GPE", "Promises": "ORG"}
ACTOR_B = {"Keira Lindqvist": "PERSON", "Lindqvist": "PERSON", "Arizona": "GPE", "Sierra Tucson": "ORG"}
MERGER = {"Halvorsen Foods": "ORG", "Brightmill": "ORG", "Oslo": "GPE", "Ingrid Halvorsen": "PERSON"}

STREAM = [
    doc(
        "peru-1",
        "2024-03-14",
        "Magnitude 6.4 earthquake kills 12 in southern Peru",
        """A magnitude 6.4 earthquake struck southern Peru on Thursday, killing at least 12 people in
        the Arequipa region. The quake hit at a depth of 35 kilometres south of Caraveli, the Geophysical
        Institute said. Rescue teams searched the rubble of collapsed adobe homes in three villages.
        President Dina Boluarte declared a state of emergency in four provinces of Arequipa.""",
        PERU,
    ),
    doc(
        "peru-2",
        "2024-03-15",
        "Rescuers dig through rubble after deadly Arequipa quake",
        """Rescuers in Arequipa dug through collapsed adobe houses on Friday after Thursday's earthquake
        killed 15 people. Peru's Geophysical Institute said the magnitude 6.4 quake struck south of
        Caraveli before dawn. Dina Boluarte flew to the region and declared an emergency in four
        provinces. Aftershocks rattled Caraveli through the night.""",
        PERU,
    ),
    doc(
        "japan-1",
        "2024-01-01",
        "Powerful earthquake hits central Japan, tsunami warning issued",
        """A magnitude 7.5 earthquake shook central Japan on New Year's Day, collapsing buildings in
        Wajima. The Japan Meteorological Agency issued a major tsunami warning for the Noto peninsula in
        Ishikawa. Prime Minister Fumio Kishida said troops had been sent to Ishikawa prefecture.""",
        JAPAN,
    ),
    doc(
        "japan-2",
        "2024-01-02",
        "Death toll rises after Noto peninsula quake",
        """The death toll from the New Year's Day earthquake on the Noto peninsula rose to 48 on Tuesday.
        Fires destroyed hundreds of wooden houses in Wajima, and roads into Ishikawa were cut by
        landslides. Fumio Kishida said rescuers were racing against time to reach trapped residents.""",
        JAPAN,
    ),
    doc(
        "actor-a-1",
        "2023-05-08",
        "Daniel Moreau checks into rehab",
        """Actor Daniel Moreau has checked into a rehabilitation facility, his representative said on
        Monday. Moreau, 41, entered the Promises treatment centre in Malibu over the weekend. The star
        asked fans to respect his privacy while he focuses on his health and recovery.""",
        ACTOR_A,
    ),
    doc(
        "actor-a-2",
        "2023-05-09",
        "Moreau seeking treatment at Malibu facility",
        """Daniel Moreau is receiving treatment at Promises in Malibu, his publicist confirmed. The
        actor, who recently finished filming a crime drama, checked in voluntarily. Moreau thanked his
        family for their support in a short statement.""",
        ACTOR_A,
    ),
    doc(
        "actor-b-1",
        "2023-11-20",
        "Keira Lindqvist enters rehab in Arizona",
        """Singer Keira Lindqvist has checked into a rehabilitation facility, her representative said on
        Monday. Lindqvist, 29, entered Sierra Tucson in Arizona after cancelling the last dates of her
        tour. The star asked fans to respect her privacy while she focuses on her health.""",
        ACTOR_B,
    ),
    doc(
        "actor-b-2",
        "2023-11-21",
        "Lindqvist cancels tour, seeks treatment",
        """Keira Lindqvist is being treated at Sierra Tucson in Arizona, her label confirmed on Tuesday.
        The singer cancelled six concerts to check in. Lindqvist said she was grateful to fans who had
        bought tickets and promised to reschedule the shows.""",
        ACTOR_B,
    ),
    doc(
        "merger-1",
        "2024-02-06",
        "Halvorsen Foods agrees to buy Brightmill for $2.1 billion",
        """Halvorsen Foods agreed to buy rival bakery group Brightmill for $2.1 billion in cash, the
        companies said on Tuesday. The deal, expected to close in the third quarter, needs approval from
        competition regulators. Chief executive Ingrid Halvorsen said the merger would save $150 million
        a year. Shares of Brightmill jumped 24 percent in Oslo.""",
        MERGER,
    ),
    doc(
        "merger-2",
        "2024-02-06",
        "Brightmill shares soar on Halvorsen takeover",
        """Brightmill shares soared 24 percent in Oslo after Halvorsen Foods offered $2.1 billion for the
        bakery group. Ingrid Halvorsen told analysts the combined company would cut costs by $150 million
        a year. Regulators are expected to review the merger.""",
        MERGER,
    ),
]

EXPECTED = [
    ["actor-a-1", "actor-a-2"],
    ["actor-b-1", "actor-b-2"],
    ["japan-1", "japan-2"],
    ["merger-1", "merger-2"],
    ["peru-1", "peru-2"],
]


def partition(grouper: OnlineGrouper, ids: list[str]) -> list[list[str]]:
    groups: dict[str, list[str]] = {}
    for article_id in ids:
        story = grouper.story_of(article_id)
        assert story is not None
        groups.setdefault(story, []).append(article_id)
    return sorted(sorted(g) for g in groups.values())


def test_same_event_joins_and_events_of_one_kind_stay_apart() -> None:
    grouper = OnlineGrouper()
    returned = grouper.add_many(STREAM)
    assert partition(grouper, [d.id for d in STREAM]) == EXPECTED
    assert returned == {d.id: grouper.story_of(d.id) for d in STREAM}
    assert all(re.fullmatch(r"s_[0-9a-f]{12}", s) for s in returned.values())
    assert grouper.story_of("never-added") is None


def test_add_returns_the_story_and_readding_changes_nothing() -> None:
    grouper = OnlineGrouper()
    first = grouper.add(STREAM[0])
    assert grouper.add(STREAM[1]) == first  # same quake
    assert grouper.add(STREAM[2]) != first  # the other quake opens a story
    state = json.dumps(grouper.to_state(), sort_keys=True)
    assert grouper.add(STREAM[0]) == first
    assert json.dumps(grouper.to_state(), sort_keys=True) == state


def test_same_kind_same_place_apart_in_time_is_a_new_story() -> None:
    """A second Arequipa earthquake a year later, worded like the first, must not join the old story;
    the same report dated a day after the first joins it."""
    later = """A magnitude 6.1 earthquake struck the Arequipa region of southern Peru on Sunday, killing
    4 people. The Geophysical Institute said the quake hit south of Caraveli at a depth of 40
    kilometres. Rescue teams searched collapsed adobe homes, and Dina Boluarte declared an emergency in
    two provinces of Arequipa."""
    title = "Earthquake kills 4 in Peru's Arequipa region"
    grouper = OnlineGrouper()
    grouper.add_many(STREAM[:2])
    old_story = grouper.story_of("peru-1")
    near = OnlineGrouper.from_state(grouper.to_state())
    assert grouper.add(doc("peru-2025", "2025-06-01", title, later, PERU)) != old_story
    assert near.add(doc("peru-next-day", "2024-03-16", title, later, PERU)) == old_story


def test_state_round_trip_gives_identical_assignments() -> None:
    order = list(STREAM)
    random.Random(3).shuffle(order)
    grouper = OnlineGrouper()
    for d in order[:5]:
        grouper.add(d)
    state = json.loads(json.dumps(grouper.to_state()))  # through JSON, as a store keeps it
    restored = OnlineGrouper.from_state(state)
    assert restored.to_state() == state
    for d in order[5:]:
        assert restored.add(d) == grouper.add(d)
    assert restored.to_state() == grouper.to_state()
    text = json.dumps(grouper.to_state())
    assert "rehabilitation" not in text and "Arequipa" not in text  # no texts in the state


def test_state_of_another_version_is_refused() -> None:
    state = OnlineGrouper().to_state()
    state["version"] = 999
    with pytest.raises(ValueError, match="version"):
        OnlineGrouper.from_state(state)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_any_arrival_order_gives_the_same_stories(seed: int) -> None:
    order = list(STREAM)
    random.Random(seed).shuffle(order)
    grouper = OnlineGrouper()
    for d in order:
        grouper.add(d)
    assert partition(grouper, [d.id for d in STREAM]) == EXPECTED


def test_late_arrival_of_an_earlier_report_joins_its_story() -> None:
    grouper = OnlineGrouper()
    story = grouper.add(STREAM[3])  # Noto quake, day 2
    grouper.add(STREAM[0])
    assert grouper.add(STREAM[2]) == story  # day 1 report, arriving last


def test_candidate_index_stays_bounded_as_stories_pile_up() -> None:
    """Hundreds of same-kind stories sharing common words: posting lists keep their cap and each
    article is compared with at most ONLINE_MAX_CANDIDATES stories."""
    grouper = OnlineGrouper()
    for i in range(300):
        town = f"Town{i:03d}x"
        body = (
            f"Flooding hit {town} on Monday after heavy rain, and the river burst its banks. "
            f"Mayor Person{i:03d}q said residents of {town} were evacuated to schools."
        )
        grouper.add(doc(f"flood-{i}", f"2024-{1 + i % 12:02d}-10", f"Floods in {town}", body, {town: "GPE"}))
    assert len(grouper.stories) > 250  # different towns: different stories
    assert max(len(p) for p in grouper.postings.values()) <= thresholds.ONLINE_POSTING_LIMIT
    probe = doc("probe", "2024-06-10", "Floods in Town150x", "Flooding hit Town150x again.", {})
    candidates = grouper.candidates(probe)
    assert 0 < len(candidates) <= thresholds.ONLINE_MAX_CANDIDATES


# -- time without metadata ---------------------------------------------------------------------------

SUMMIT = {"Kim Jong Un": "PERSON", "Moon Jae-in": "PERSON", "Panmunjom": "GPE", "Pyongyang": "GPE"}


def dated_in_text(
    article_id: str, title: str, body: str, names: dict[str, str], when: str
) -> AnalysedArticle:
    """An undated article whose text names an explicit day (``when``: "April 27, 2018" -> its TimeRef)."""
    base = doc(article_id, None, title, body, names)
    text = base.article.text
    start = text.index(when)
    month, day, year = when.replace(",", "").split()
    months = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
    value = f"{year}-{months.index(month) + 1:02d}-{int(day):02d}"
    ref = TimeRef(
        text=when,
        value=value,
        article_id=article_id,
        sentence_index=0,
        start=start,
        end=start + len(when),
        granularity="day",
    )
    return replace(base, times=[ref])


SUMMIT_2018 = [
    dated_in_text(
        "summit-2018-a",
        "Kim Jong Un crosses border for summit with Moon Jae-in",
        """Kim Jong Un crossed into South Korea at Panmunjom on April 27, 2018, for a summit with Moon
        Jae-in. The two leaders pledged to work for the denuclearisation of the peninsula and to end the
        war formally. Kim said a new history begins now as he signed the guest book.""",
        SUMMIT,
        "April 27, 2018",
    ),
    dated_in_text(
        "summit-2018-b",
        "Moon and Kim pledge peace at Panmunjom summit",
        """Moon Jae-in and Kim Jong Un embraced at Panmunjom on April 27, 2018, and pledged peace and the
        denuclearisation of the peninsula. Kim invited Moon to visit Pyongyang later in the year, and the
        leaders planted a pine tree at the border.""",
        SUMMIT,
        "April 27, 2018",
    ),
]

SUMMIT_2023 = dated_in_text(
    "summit-2023",
    "Kim Jong Un meets leader at summit, pledges cooperation",
    """Kim Jong Un arrived for a summit on September 13, 2023, and pledged cooperation and the
    denuclearisation talks would wait. Moon Jae-in, now retired, said the peninsula needed peace. Kim
    said a new history begins as he signed the guest book before returning to Pyongyang.""",
    SUMMIT,
    "September 13, 2023",
)


def test_an_undated_article_naming_another_year_never_joins_the_story() -> None:
    """The summit-like case: a September 2023 summit must not join an April 2018 story, though the names
    and words match and neither has a publication date (the years come from the texts' dates)."""
    grouper = StoryGrouper()
    grouper.add_many(SUMMIT_2018)
    old = grouper.story_of_known("summit-2018-a")
    assert grouper.story_of_known("summit-2018-b") == old
    assert grouper.add(SUMMIT_2023) != old
    # the same text naming the 2018 day instead joins (so the year is what kept it apart)
    same_year = replace(
        SUMMIT_2023,
        article=replace(SUMMIT_2023.article, id="summit-2018-c"),
        times=[replace(SUMMIT_2023.times[0], value="2018-04-28")],
    )
    assert StoryGrouper.from_state(grouper.to_state()).add(same_year) == old


def test_a_story_stays_open_while_it_keeps_receiving_articles() -> None:
    """No fixed gate: a story fed every few weeks for over a year still takes the next report, while the
    same report after a long silence opens a new story."""
    text = STREAM[0].article.text
    chain = [
        doc(f"peru-{k}", (date(2024, 1, 1) + timedelta(days=40 * k)).isoformat(), "Peru quake", text, PERU)
        for k in range(12)
    ]
    grouper = StoryGrouper()
    grouper.add_many(chain)
    assert len({grouper.story_of_known(d.id) for d in chain}) == 1  # spans 440 days
    quiet = StoryGrouper()
    quiet.add(chain[0])
    late = doc("peru-late", "2025-06-01", "Peru quake", text, PERU)
    assert quiet.add(late) != quiet.story_of_known(chain[0].id)


# -- merges and splits -------------------------------------------------------------------------------


def test_an_article_bridging_two_stories_merges_them_and_the_old_id_stays_an_alias(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    grouper = StoryGrouper()
    monkeypatch.setattr(thresholds, "ONLINE_JOIN_SIMILARITY", 10.0)  # nothing joins: two stories
    first, second = grouper.add(STREAM[0]), grouper.add(STREAM[1])
    assert first != second
    monkeypatch.setattr(thresholds, "ONLINE_JOIN_SIMILARITY", 0.35)
    monkeypatch.setattr(thresholds, "GROUP_MERGE_SIMILARITY", 0.5)
    bridge = doc(
        "peru-3",
        "2024-03-15",
        "Peru quake toll rises",
        STREAM[0].article.text + "\n\n" + STREAM[1].article.text,
        PERU,
    )
    merged = grouper.add(bridge)
    assert merged in (first, second)
    gone = second if merged == first else first
    assert grouper.story_of("peru-1") == grouper.story_of("peru-2") == merged
    assert grouper.resolve(gone) == merged
    events = grouper.drain_events()
    assert [(e.kind, e.story_id, e.other_id) for e in events] == [("merge", merged, gone)]
    restored = StoryGrouper.from_state(json.loads(json.dumps(grouper.to_state())))
    assert restored.resolve(gone) == merged and restored.story_of("peru-2") == merged


def test_split_divides_a_story_whose_articles_drift_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    grouper = StoryGrouper()
    monkeypatch.setattr(thresholds, "ONLINE_JOIN_SIMILARITY", 0.0)  # everything lands in one story
    docs = [STREAM[0], STREAM[2], STREAM[1], STREAM[3]]
    for d in docs:
        grouper.add(d)
    story = grouper.story_of_known("peru-1")
    assert {grouper.story_of_known(d.id) for d in docs} == {story}
    monkeypatch.setattr(thresholds, "ONLINE_JOIN_SIMILARITY", 0.35)
    parts = grouper.partition(docs)
    assert sorted(sorted(d.id for d in p) for p in parts) == [["japan-1", "japan-2"], ["peru-1", "peru-2"]]
    new_ids = grouper.split(story, parts)
    assert len(new_ids) == 1 and new_ids[0] != story
    assert grouper.story_of("peru-1") == grouper.story_of("peru-2")
    assert grouper.story_of("japan-1") == grouper.story_of("japan-2") != grouper.story_of("peru-1")
    assert [e.kind for e in grouper.drain_events()] == ["split"]
    assert grouper.add(STREAM[4]) not in {story, *new_ids}  # the split stories stay usable


def test_batch_refine_moves_an_article_to_the_story_that_fits_it_best() -> None:
    grouper = StoryGrouper()
    grouper.add_many(STREAM)
    assert grouper.refine(STREAM) == 0  # nothing to fix on a clean stream
    assert partition(grouper, [d.id for d in STREAM]) == EXPECTED


def test_two_stories_of_one_event_merge_once_one_of_them_grows(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two halves of one event opened apart; once an article joins one of them, that story's profile
    scores the other at GROUP_STORY_MERGE_SIMILARITY and they merge (the old id an alias, logged), while
    the other quake's story stays apart."""
    grouper = StoryGrouper()
    monkeypatch.setattr(thresholds, "ONLINE_JOIN_SIMILARITY", 10.0)  # nothing joins: two Peru stories
    first, second = grouper.add(STREAM[0]), grouper.add(STREAM[1])
    assert first != second
    monkeypatch.setattr(thresholds, "ONLINE_JOIN_SIMILARITY", 0.35)
    monkeypatch.setattr(thresholds, "GROUP_MERGE_SIMILARITY", 99.0)  # no merge through the article alone
    monkeypatch.setattr(thresholds, "GROUP_STORY_MERGE_SIMILARITY", 99.0)
    japan = grouper.add(STREAM[2])
    assert grouper.add(STREAM[3]) == japan and not grouper.drain_events()
    monkeypatch.setattr(thresholds, "GROUP_STORY_MERGE_SIMILARITY", 0.5)
    third = doc(
        "peru-3",
        "2024-03-15",
        "Arequipa quake: emergency declared",
        """Dina Boluarte declared an emergency in four provinces of Arequipa after the magnitude 6.4
        earthquake south of Caraveli. The Geophysical Institute recorded aftershocks through Friday as
        rescuers searched collapsed adobe homes.""",
        PERU,
    )
    merged = grouper.add(third)
    assert merged in (first, second)
    gone = second if merged == first else first
    assert grouper.story_of("peru-1") == grouper.story_of("peru-2") == merged != japan
    assert [(e.kind, e.story_id, e.other_id) for e in grouper.drain_events()] == [("merge", merged, gone)]
    assert grouper.resolve(gone) == merged and grouper.story_of("japan-1") == japan


def test_without_story_merging_the_two_halves_stay_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    grouper = StoryGrouper()
    monkeypatch.setattr(thresholds, "ONLINE_JOIN_SIMILARITY", 10.0)
    assert grouper.add(STREAM[0]) != grouper.add(STREAM[1])
    monkeypatch.setattr(thresholds, "ONLINE_JOIN_SIMILARITY", 0.35)
    monkeypatch.setattr(thresholds, "GROUP_MERGE_SIMILARITY", 99.0)
    monkeypatch.setattr(thresholds, "GROUP_STORY_MERGE_SIMILARITY", 99.0)
    grouper.add(doc("peru-3", "2024-03-15", "Arequipa quake", STREAM[0].article.text, PERU))
    assert grouper.story_of("peru-1") != grouper.story_of("peru-2") and not grouper.drain_events()


def test_teach_returns_labelled_candidate_pairs_from_gold_stories() -> None:
    grouper = StoryGrouper()
    assert grouper.teach(STREAM[0], "peru") == []  # nothing to compare with yet
    grouper.teach(STREAM[2], "japan")
    pairs = grouper.teach(STREAM[1], "peru")
    assert sorted(same for same, _ in pairs) == [False, True]
    assert all(len(f) == len(FEATURES) for _, f in pairs)
    same = next(f for s, f in pairs if s)
    other = next(f for s, f in pairs if not s)
    assert same[0] > other[0] and same[1] > other[1]  # what and who agree with the right story
    assert grouper.story_of("peru-2") == "peru" and grouper.story_of("japan-1") == "japan"


def test_the_head_holds_title_and_lead_words_and_names() -> None:
    article = doc(
        "head",
        None,
        "Moreau leaves hospital",
        """Actor Daniel Moreau left hospital in Malibu on Monday.

        Later paragraphs name Promises and Keira Lindqvist only in the body.

        A third paragraph closes the report.""",
        {**ACTOR_A, "Keira Lindqvist": "PERSON"},
    )
    sig = signature(replace(article, sentences=[]))
    assert key("e:moreau") in sig.head_names and key("e:daniel moreau") in sig.head_names
    assert key("e:keira lindqvist") not in sig.head_names and key("e:keira lindqvist") in sig.who
    assert key("hospital") in sig.head_terms and key("paragraph") not in sig.head_terms


def test_check_split_splits_only_at_a_check_size(monkeypatch: pytest.MonkeyPatch) -> None:
    """The split check `brief` and `add` both make: at a size in GROUP_SPLIT_CHECKS the story's articles
    are regrouped and parts the model keeps apart split off; at other sizes nothing happens."""
    grouper = StoryGrouper()
    monkeypatch.setattr(thresholds, "ONLINE_JOIN_SIMILARITY", 0.0)  # everything lands in one story
    monkeypatch.setattr(thresholds, "GROUP_SPLIT_CHECKS", frozenset())
    docs = [STREAM[0], STREAM[2], STREAM[1], STREAM[3]]
    for d in docs:
        grouper.add(d)
    story = grouper.story_of_known("peru-1")
    monkeypatch.setattr(thresholds, "ONLINE_JOIN_SIMILARITY", 0.35)
    monkeypatch.setattr(thresholds, "GROUP_SPLIT_CHECKS", frozenset({3, 5}))
    assert grouper.check_split(story, docs) == [] and not grouper.drain_events()
    monkeypatch.setattr(thresholds, "GROUP_SPLIT_CHECKS", frozenset({4}))
    parts = grouper.check_split(story, docs)
    assert sorted(sorted(d.id for d in p) for p in parts) == [["japan-1", "japan-2"], ["peru-1", "peru-2"]]
    (event,) = grouper.drain_events()
    assert event.kind == "split" and event.story_id == story
    assert grouper.story_of("peru-1") != grouper.story_of("japan-1")
