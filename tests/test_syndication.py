"""Syndication groups: copies, trimmed reprints and translations of one dispatch are one voice; independent
reports of the same event are not, even when they state the same facts in a similar order."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tests.helpers import make_doc

from storyweave import thresholds
from storyweave.align import align_facts
from storyweave.group.syndication import (
    add_to_syndication,
    ordered_matches,
    same_dispatch,
    sentence_units,
    syndication_groups,
    syndication_signature,
)
from storyweave.model import Story

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "syndication"


def _text(name: str) -> str:
    return (FIXTURES / f"{name}.txt").read_text(encoding="utf-8").strip()


# An invented court ruling (a Chilean copper mine halted), one sentence a line:
# - wire: as a wire service filed it;
WIRE = _text("wire")
# - reprint: the same dispatch run by a newspaper under its own headline, cut after the seventh paragraph;
TRIMMED = "\n".join(WIRE.splitlines()[:7])
# - translation: the agency's Spanish service translated back to English by another outlet (new words,
#   same order, last two paragraphs dropped);
TRANSLATION = _text("translation")
# - independent: a business wire's own report (the same facts, its own words and order);
INDEPENDENT = _text("independent")
# - local: a local paper's report that follows the natural order of the story (ruling, reasons, company,
#   jobs, water) in its own words: the hardest case for an order-based test.
LOCAL = _text("local")


def _groups(**texts: str) -> dict[str, str]:
    return syndication_groups([make_doc(name, text) for name, text in texts.items()])


def test_exact_copy_trimmed_reprint_and_translation_join_the_wire_group() -> None:
    groups = _groups(
        wire=WIRE, copy=WIRE, reprint=TRIMMED, translation=TRANSLATION, independent=INDEPENDENT, local=LOCAL
    )
    assert groups["wire"] == groups["copy"] == groups["reprint"] == groups["translation"] == "copy"
    assert groups["independent"] == "independent"
    assert groups["local"] == "local"


def test_translation_alone_is_found_by_sentence_order_not_shingles() -> None:
    groups = _groups(wire=WIRE, translation=TRANSLATION)
    assert groups["translation"] == groups["wire"]


def test_independent_reports_of_the_same_event_stay_apart() -> None:
    groups = _groups(wire=WIRE, independent=INDEPENDENT, local=LOCAL)
    assert len(set(groups.values())) == 3


def test_independent_count_counts_each_group_once() -> None:
    groups = _groups(wire=WIRE, reprint=TRIMMED, translation=TRANSLATION, independent=INDEPENDENT)
    story = Story(id="s", article_ids=sorted(groups), syndication=groups)
    assert story.independent(story.article_ids) == 2
    assert story.independent(["reprint", "translation"]) == 1


def test_a_rewrite_along_the_same_story_line_with_its_own_figures_is_independent() -> None:
    """A copy or a translation keeps the dispatch's figures; a report that follows the same story line in
    similar words but states its own toll or output did its own reporting."""
    assert "180,000 tonnes" in TRANSLATION
    rewrite = TRANSLATION.replace("180,000 tonnes", "150,000 tonnes")
    assert _groups(wire=WIRE, rewrite=rewrite)["rewrite"] == "rewrite"


def test_shuffled_translation_is_not_a_copy() -> None:
    """The same sentences in another order are a rewrite built from the dispatch, not the dispatch."""
    lines = TRANSLATION.splitlines()
    shuffled = "\n".join(lines[i] for i in (7, 3, 5, 0, 6, 2, 4, 1))
    assert _groups(wire=WIRE, shuffled=shuffled)["shuffled"] == "shuffled"


def test_ordered_matches_is_the_longest_in_order_chain() -> None:
    sim = np.array(
        [
            [0.9, 0.0, 0.0, 0.0],
            [0.0, 0.0, 0.8, 0.0],
            [0.0, 0.7, 0.0, 0.0],  # crosses the previous match: only one of the two can be on the chain
            [0.0, 0.0, 0.0, 0.6],
        ]
    )
    assert ordered_matches(sim, 0.5) in ([(0, 0), (1, 2), (3, 3)], [(0, 0), (2, 1), (3, 3)])
    assert len(ordered_matches(sim, 0.75)) == 2
    # one row matching several columns still adds a single sentence to the chain
    assert len(ordered_matches(np.array([[0.9, 0.9, 0.9]]), 0.5)) == 1
    assert not same_dispatch(np.zeros((0, 3)))


def test_sentence_units_split_paragraphs_and_sentences_and_drop_fragments() -> None:
    text = 'First long sentence of the text here. "A quoted second sentence," she said.\n\nShort one.'
    units = sentence_units(text)
    assert units == ["First long sentence of the text here.", '"A quoted second sentence," she said.']


def test_facts_count_a_dispatch_and_its_translation_as_one_voice() -> None:
    texts = {"wire": WIRE, "translation": TRANSLATION, "independent": INDEPENDENT}
    docs = [make_doc(name, text) for name, text in texts.items()]
    groups = syndication_groups(docs)
    facts = align_facts(docs, Story(id="s", article_ids=sorted(groups), syndication=groups))
    consultation = next(f for f in facts if "Antofagasta" in f.text)
    assert consultation.sources == ["independent", "translation", "wire"]
    assert consultation.independent_sources == 2
    drought = next(f for f in facts if "tanker trucks" in f.text)
    assert drought.sources == ["translation", "wire"] and drought.independent_sources == 1


def _incremental(texts: dict[str, str]) -> tuple[dict[str, str], list[int]]:
    """Syndication groups built one article at a time as the store keeps them (signatures computed once,
    candidates from the key index), and how many texts each addition had to read."""
    groups: dict[str, str] = {}
    signatures: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    keys: dict[int, set[str]] = {}
    reads: list[int] = []
    for name, text in texts.items():
        signature = syndication_signature(text)
        matches: dict[str, int] = {}
        for key in dict.fromkeys(signature.lookup_keys()):
            for other in keys.get(key, ()):
                matches[other] = matches.get(other, 0) + 1
        read: list[str] = []

        def texts_of(ids: list[str], read: list[str] = read) -> dict[str, str]:
            read.extend(ids)
            return {a: texts[a] for a in ids}

        groups = add_to_syndication(name, text, signature, groups, matches, signatures, texts_of)
        signatures[name] = (signature.words, signature.chars)
        for key in signature.lookup_keys():
            keys.setdefault(key, set()).add(name)
        reads.append(len(read))
    return groups, reads


def test_incremental_syndication_finds_the_groups_the_batch_finds() -> None:
    texts = {
        "wire": WIRE,
        "independent": INDEPENDENT,
        "reprint": TRIMMED,
        "local": LOCAL,
        "translation": TRANSLATION,
        "copy": WIRE,
    }
    incremental, _ = _incremental(texts)
    batch = _groups(**texts)
    assert incremental == batch
    assert incremental["wire"] == incremental["translation"] == incremental["copy"] == "copy"


def test_incremental_syndication_reads_few_texts_however_big_the_story() -> None:
    """Copies of the wire in a growing story: each addition reads at most SYNDICATION_CANDIDATES texts,
    one per syndication group (a copy is found by its MinHash band without reading any)."""
    texts = {"independent": INDEPENDENT, "local": LOCAL}
    texts.update({f"copy{i:02d}": f"{WIRE}\nEdition {i}." for i in range(30)})
    groups, reads = _incremental(texts)
    assert len({groups[f"copy{i:02d}"] for i in range(30)}) == 1
    assert groups["independent"] == "independent" and groups["local"] == "local"
    assert max(reads) <= thresholds.SYNDICATION_CANDIDATES
    assert max(reads[5:]) <= 3  # the copies' group and the two independent reports at most


def test_sentence_vectors_counted_once_per_distinct_sentence_match_a_fit_on_every_copy() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    from storyweave.group.syndication import _char_tfidf

    sentences = [
        u.casefold() for name in ("wire", "translation", "independent") for u in sentence_units(_text(name))
    ]
    texts = sentences * 3 + sentences[:4]  # copies repeat sentences, some more often than others
    expected = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True).fit_transform(texts)
    fitted = _char_tfidf(texts)
    assert fitted is not None
    rows, row_of = fitted
    assert rows.shape[0] == len(set(texts))  # one row per distinct sentence
    got = rows[row_of]
    assert got.shape == expected.shape
    assert abs(got - expected).max() < 1e-12
    assert _char_tfidf(["", " "]) is None  # no n-gram at all


def test_a_story_of_many_copies_compares_through_the_sentence_matrix_with_the_same_result(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from storyweave.group import syndication
    from storyweave.group.syndication import _SentenceIndex

    # 48 articles built from the sentences of four reports (trimmed, rotated): fewer distinct sentences
    # than articles, as in a story carried by many outlets from a few dispatches
    bases = [WIRE, TRANSLATION, INDEPENDENT, LOCAL]
    texts: dict[str, str] = {}
    for i in range(48):
        lines = bases[i % 4].splitlines()
        k = (i // 4) % 3
        texts[f"a{i:02d}"] = "\n".join(lines[k:] + lines[:k] if i % 8 < 4 else lines[k:])
    units = {a: sentence_units(t) for a, t in texts.items()}
    dense = _SentenceIndex(units)
    assert dense.gram is not None and dense.vectors.shape[0] <= len(texts)
    monkeypatch.setattr(syndication, "GRAM_MAX_SENTENCES", 0)
    sparse = _SentenceIndex(units)
    assert sparse.gram is None
    assert dense.candidates() == sparse.candidates()
    for a, b in dense.candidates():
        assert np.allclose(dense.block(a, b), sparse.block(a, b), atol=1e-12)
    docs = [make_doc(a, t) for a, t in texts.items()]
    without = syndication_groups(docs)
    monkeypatch.undo()
    assert syndication_groups(docs) == without
    assert len(set(without.values())) < len(texts)  # copies were grouped
