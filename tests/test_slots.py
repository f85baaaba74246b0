"""Typed slots from the one analysis pass: claims with attribution stripped, citations of outlets, negation,
modality, coordinated and relative clauses, quantities with what they count, roles next to names, the
reduced path for text not in English, store persistence, and no model loaded after analysis."""

from __future__ import annotations

import os
from dataclasses import replace
from io import StringIO
from pathlib import Path
from typing import Any

import pytest

import storyweave.analyse.nlp as nlp_module
from storyweave.analyse import REDUCED, analyse_articles, process_count, resolve_times
from storyweave.model import AnalysedArticle, Article, Claim, Story
from storyweave.pipeline import brief_story
from storyweave.service import export_store, import_to_store
from storyweave.store import Store
from storyweave.thresholds import SPACY_PROCESSES_MIN_CHARS

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "slots"
NAMES = ("strike_a", "strike_b", "strike_es")


def _article(name: str) -> Article:
    text = (FIXTURES / f"{name}.txt").read_text(encoding="utf-8").strip()
    return Article(id=name, raw_text=text, text=text, published="2026-03-04", outlet=name)


@pytest.fixture(scope="module")
def docs() -> dict[str, AnalysedArticle]:
    """The three fixtures analysed in one stream, with an empty article in the middle of the batch."""
    batch = [_article("strike_a"), Article(id="empty", raw_text="", text=""), _article("strike_b")]
    batch.append(_article("strike_es"))
    ticks: list[int] = []
    analysed = analyse_articles(batch, on_article=lambda: ticks.append(1))
    assert len(ticks) == len(batch) == len(analysed)
    assert [d.id for d in analysed] == ["strike_a", "empty", "strike_b", "strike_es"]
    return {d.id: resolve_times(d) for d in analysed}


def claim(doc: AnalysedArticle, predicate: str) -> Claim:
    found = [c for c in doc.claims if c.predicate == predicate]
    assert len(found) == 1, [(c.predicate, c.text) for c in doc.claims]
    return found[0]


def test_said_that_is_stripped_and_attributed_to_the_speaker(docs: dict[str, AnalysedArticle]) -> None:
    doc = docs["strike_a"]
    walkout = claim(doc, "temporary")  # a copula's predicate is its complement
    assert walkout.text == "the walkout was temporary" and walkout.subject == "walkout"
    assert (walkout.attribution, walkout.attributed_to) == ("speaker", "Marta Solano")
    assert doc.article.text[walkout.start : walkout.end] == walkout.text
    assert "said" not in claim(doc, "resume").text


def test_citations_of_outlets_are_not_speakers(docs: dict[str, AnalysedArticle]) -> None:
    joined = claim(docs["strike_a"], "join")  # "..., according to the Harbour Times."
    assert (joined.attribution, joined.attributed_to) == ("citation", "Harbour Times")
    assert "according" not in joined.text
    took = claim(docs["strike_b"], "take")  # "The Valmora Gazette reported that ..."
    assert took.attribution == "citation" and "Valmora Gazette" in (took.attributed_to or "")
    raised = claim(docs["strike_a"], "raise")  # "Paul Hendry, ..., told CNN that ..."
    assert (raised.attribution, raised.attributed_to, raised.speaker) == ("citation", "CNN", "Paul Hendry")
    officials = claim(docs["strike_b"], "cost")  # "..., officials estimated."
    assert (officials.attribution, officials.attributed_to) == ("speaker", "officials")


def test_negation(docs: dict[str, AnalysedArticle]) -> None:
    assert claim(docs["strike_a"], "sign").negated
    assert not claim(docs["strike_a"], "join").negated
    assert not claim(docs["strike_b"], "agree").negated


def test_modality_and_status(docs: dict[str, AnalysedArticle]) -> None:
    assert claim(docs["strike_a"], "resume").modality == "may"
    raised = claim(docs["strike_a"], "raise")  # "plans to raise": the predicate is what is planned
    assert raised.modality == "plan" and raised.object == "wage"
    assert claim(docs["strike_b"], "agree").modality == "in principle"
    assert claim(docs["strike_a"], "close").modality is None


def test_coordinated_clauses_are_two_claims(docs: dict[str, AnalysedArticle]) -> None:
    first = [c for c in docs["strike_a"].claims if c.sentence_index == 0]
    assert [c.predicate for c in first] == ["walk", "close"]
    assert first[1].text == "the port authority closed two terminals"
    assert first[0].tense == first[1].tense == "past"
    ferries = [c.predicate for c in docs["strike_b"].claims if c.sentence_index == 3]
    assert ferries == ["wait", "cancel"]


def test_relative_clause_is_its_own_claim(docs: dict[str, AnalysedArticle]) -> None:
    employ = claim(docs["strike_a"], "employ")
    assert employ.subject == "company"  # the relative pronoun stands for its antecedent
    assert employ.object == "person"  # the same key as the quantity's counted noun
    sign = claim(docs["strike_a"], "sign")
    assert "which" not in sign.text and "1,200" not in sign.text
    assert sign.text == "The shipping company did not sign the new contract"


def test_claim_inside_a_quotation_is_the_speakers(docs: dict[str, AnalysedArticle]) -> None:
    accept = claim(docs["strike_a"], "accept")
    assert (accept.attribution, accept.attributed_to) == ("speaker", "Solano")
    assert accept.negated and accept.modality == "will" and accept.tense == "future"


def test_quantities_with_the_noun_they_count(docs: dict[str, AnalysedArticle]) -> None:
    by_value = {q.value: q for q in docs["strike_a"].quantities + docs["strike_b"].quantities}
    workers = by_value[4500]
    assert (workers.counts, workers.role, workers.approximate, workers.kind) == (
        "worker",
        "nsubj:join",
        True,
        "count",
    )
    assert (by_value[1200].counts, by_value[1200].role) == ("person", "dobj:employ")
    assert (by_value[3000].counts, by_value[3000].approximate) == ("worker", True)
    assert (by_value[4].kind, by_value[4].unit) == ("percent", "percent")
    assert (by_value[2_000_000].kind, by_value[2_000_000].unit) == ("money", "USD")
    assert by_value[2].counts in ("terminal", "side")


def test_a_result_verb_gives_its_count_the_state_it_reports() -> None:
    """"leaving 140 passengers stranded" counts stranded passengers, like "stranding 120 passengers"."""
    texts = [
        "A flood cut the coast road on Monday, leaving 140 drivers stranded near Lund.",
        "The flood stranded 120 drivers near Lund on Monday.",
        "The storm left 3,000 homes without power.",
    ]
    batch = [Article(id=f"q{i}", raw_text=t, text=t, language="en") for i, t in enumerate(texts)]
    roles = [[(q.value, q.counts, q.role) for q in d.quantities] for d in analyse_articles(batch)]
    assert roles[0] == [(140, "driver", "dobj:strand")]
    assert [r[2].split(":")[1] for r in roles[1]] == ["strand"]
    assert roles[2] == [(3000, "home", "dobj:leave")]  # no state named: the verb stays


def test_roles_written_next_to_names(docs: dict[str, AnalysedArticle]) -> None:
    roles = {(r.name, r.title) for d in docs.values() for r in d.roles}
    assert ("Marta Solano", "deputy leader") in roles  # title before the name
    assert ("Paul Hendry", "chief executive") in roles  # title in apposition after the name
    assert any(name == "Ines Carvalho" and title.lower() == "labour minister" for name, title in roles)
    for doc in docs.values():
        for role in doc.roles:
            assert doc.article.text[role.start : role.end].lower() == role.title.lower()


def test_time_expressions_get_the_verb_they_date(docs: dict[str, AnalysedArticle]) -> None:
    monday = [t for t in docs["strike_a"].times if t.text.endswith("Monday")]
    assert monday and monday[0].verb == "walk"


def test_text_not_in_english_gets_the_reduced_analysis(docs: dict[str, AnalysedArticle]) -> None:
    doc = docs["strike_es"]
    assert doc.article.language == "es" and doc.article.extra["analysis"] == REDUCED
    assert doc.sentences and not doc.claims and not doc.roles
    assert all(q.speaker is None for q in doc.quotes)
    assert {(q.value, q.kind) for q in doc.quantities} >= {(300.0, "count"), (12.0, "percent")}
    assert all(q.counts is None and q.role is None for q in doc.quantities)
    assert "analysis" not in docs["strike_a"].article.extra
    declared = analyse_articles(
        [Article(id="d", raw_text="x", text=_article("strike_a").text, language="fr")]
    )
    assert declared[0].article.extra["analysis"] == REDUCED and not declared[0].claims
    tagged = analyse_articles([replace(_article("strike_b"), language="en-US")])
    assert "analysis" not in tagged[0].article.extra and tagged[0].claims


def test_one_stream_gives_each_article_what_it_gets_alone(docs: dict[str, AnalysedArticle]) -> None:
    alone = resolve_times(analyse_articles([_article("strike_b")])[0])
    assert alone.claims == docs["strike_b"].claims
    assert alone.quantities == docs["strike_b"].quantities and alone.roles == docs["strike_b"].roles
    assert not docs["empty"].sentences and not docs["empty"].claims
    ids = [c.id for d in docs.values() for c in d.claims]
    assert len(ids) == len(set(ids))


def test_two_processes_only_for_large_batches_with_an_idle_core(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(os, "getloadavg", lambda: (0.5, 0.5, 0.5))
    assert process_count(SPACY_PROCESSES_MIN_CHARS - 1) == 1
    assert process_count(SPACY_PROCESSES_MIN_CHARS) == 2
    monkeypatch.setattr(os, "getloadavg", lambda: (3.0, 3.0, 3.0))  # both cores busy
    assert process_count(SPACY_PROCESSES_MIN_CHARS) == 1
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    monkeypatch.setattr(os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    assert process_count(10 * SPACY_PROCESSES_MIN_CHARS) == 1


def test_store_keeps_the_slots(docs: dict[str, AnalysedArticle], tmp_path: Path) -> None:
    db = tmp_path / "slots.db"
    with Store.open(db) as store, store.write():
        store.insert_article(docs["strike_a"], "story-1")
        store.insert_article(docs["strike_es"], "story-1")
    with Store.open(db) as store:
        back = store.article("strike_a")
        assert back is not None
        assert back.claims == docs["strike_a"].claims and back.claims
        assert back.quantities == docs["strike_a"].quantities and back.roles == docs["strike_a"].roles
        light = next(doc for _, _, doc in store.articles_after(0, analysis=False))
        # the light read is what story grouping needs: mentions, times and the claims' predicates
        assert light.claims == back.claims and light.mentions and not light.quantities and not light.roles
        es = store.article("strike_es")
        assert es is not None and es.article.extra["analysis"] == REDUCED
    out = StringIO()
    export_store(db, out)
    copy = tmp_path / "copy.db"
    result = import_to_store(out.getvalue().splitlines(), copy)
    assert not result.errors
    with Store.open(copy) as store:
        again = store.article("strike_a")
        assert again is not None and again.claims == docs["strike_a"].claims
        assert again.roles == docs["strike_a"].roles


def test_no_stage_after_analysis_loads_a_model(
    docs: dict[str, AnalysedArticle], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("a stage after analysis loaded spaCy")

    import spacy

    monkeypatch.setattr(nlp_module, "load_nlp", refuse)
    monkeypatch.setattr(spacy, "load", refuse)
    english = [docs["strike_a"], docs["strike_b"]]
    story = Story(id="s", article_ids=[d.id for d in english])
    brief = brief_story(story, english)
    assert brief.facts and brief.story.article_count == 2


def test_claim_words_are_in_reading_order_and_fragments_assert_nothing(
    docs: dict[str, AnalysedArticle],
) -> None:
    for doc in docs.values():
        for c in doc.claims:
            pos = c.start
            for word in c.text.split():
                found = doc.article.text.find(word, pos, c.end)
                assert found >= 0, (c.text, word)
                pos = found + len(word)
    text = "Photo\n\n(Harbour Times)\n\nThe port reopened on Friday."
    [doc] = analyse_articles([Article(id="f", raw_text=text, text=text)])
    assert [c.predicate for c in doc.claims] == ["reopen"]


def test_a_title_ends_on_its_words_and_keeps_acronyms() -> None:
    """No dangling preposition ("visiting scholar at") and no lower-cased acronym ("mp")."""
    text = '"It is a change," said Ole Berg, a former Danish MP and visiting scholar at Lund University.'
    (doc,) = analyse_articles([Article(id="t", raw_text=text, text=text, language="en")])
    assert [(r.name, r.title) for r in doc.roles] == [("Ole Berg", "former Danish MP and visiting scholar")]
