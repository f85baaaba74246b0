"""The bottom layer: graph components and shared word lists."""

from __future__ import annotations

from storyweave.text.graph import component_labels, components
from storyweave.text.lexicon import SPEECH_LEMMAS, stop_words


def test_components_join_transitively_and_keep_input_order() -> None:
    groups = components(["a", "b", "c", "d", "e"], [("d", "b"), ("e", "d"), ("a", "a"), ("x", "a")])
    assert groups == [["a"], ["b", "d", "e"], ["c"]]


def test_component_labels_are_smallest_member_whatever_the_pair_order() -> None:
    assert component_labels(5, [(4, 3), (3, 1)]) == [0, 1, 2, 1, 1]
    assert component_labels(5, [(1, 3), (3, 4)]) == [0, 1, 2, 1, 1]
    assert component_labels(0, []) == []
    assert component_labels(3, []) == [0, 1, 2]


def test_word_lists() -> None:
    assert "say" in SPEECH_LEMMAS and "said" not in SPEECH_LEMMAS
    assert {"the", "said"} <= stop_words() and "summit" not in stop_words()
