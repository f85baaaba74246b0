"""Story grouping and syndication detection on invented reports."""

from __future__ import annotations

from tests.helpers import make_doc

from storyweave.group import group_stories, syndication_groups

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
