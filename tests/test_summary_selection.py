"""Summary sentence selection: cross-outlet coverage re-ranks one-source facts, and a lead sentence made a
headline loses its attribution tail. Invented fixtures (not the bundled sample)."""

from __future__ import annotations

import pytest
from tests.helpers import make_doc

from storyweave import thresholds
from storyweave.compose.summary import (
    choose_headline,
    choose_summary,
    cross_outlet_coverage,
    shown_source,
)
from storyweave.model import Fact, Story, Variant

# Three outlets on one storm. Every outlet tells of the hotel rescue in its own words (the aligner kept the
# wordings apart: each fact has one source); only outlet a adds a side remark about a local festival.
A = """Rescue teams pulled 14 survivors from the collapsed Miramar hotel in Porto Vell overnight.
The regional festival of music will open next month in the old harbour district as planned."""
B = """Fourteen survivors were pulled from the ruins of the Miramar hotel in Porto Vell by rescue teams.
Schools in three provinces stay closed until Wednesday."""
C = """Rescuers freed 14 people trapped in the collapsed Miramar hotel in Porto Vell during the night.
The grid operator said about 80,000 homes were still without electricity."""


def _single(fid: str, doc_id: str, index: int, text: str, position: float) -> Fact:
    return Fact(
        id=fid,
        text=text,
        sources=[doc_id],
        independent_sources=1,
        variants=[Variant(doc_id, text, f"{doc_id}#{index}")],
        position=position,
    )


def _story() -> tuple[Story, list, list[Fact]]:  # type: ignore[type-arg]
    docs = [make_doc("a", A), make_doc("b", B), make_doc("c", C)]
    story = Story(id="s", article_ids=["a", "b", "c"])
    facts = [
        _single(f"F{d.article.id}{s.index}", d.article.id, s.index, s.text, 0.5 * s.index)
        for d in docs
        for s in d.sentences
    ]
    return story, docs, facts


def test_coverage_counts_what_the_other_outlets_state() -> None:
    story, docs, facts = _story()
    texts = [f.text for f in facts]
    coverage = cross_outlet_coverage(texts, [f.sources[0] for f in facts], docs, story)
    by_id = dict(zip([f.id for f in facts], coverage, strict=True))
    assert max(coverage) == 1.0
    # the hotel rescue is told by all three outlets; the festival aside by one
    assert by_id["Fa0"] > 3 * by_id["Fa1"]
    assert by_id["Fb0"] > by_id["Fb1"] and by_id["Fc0"] > by_id["Fc1"]
    # one outlet's copies (one syndication group) do not support each other
    syndicated = Story(id="s", article_ids=["a", "b", "c"], syndication={"a": "g", "b": "g", "c": "c"})
    lone = cross_outlet_coverage(texts, [f.sources[0] for f in facts], docs, syndicated)
    assert not (lone == coverage).all()
    # fewer than two independent groups, or no story: no signal
    assert not cross_outlet_coverage(texts, [None] * len(texts), docs[:1], Story("s", ["a"])).any()
    assert not cross_outlet_coverage(texts, [None] * len(texts), docs, None).any()


def test_summary_leads_with_what_several_outlets_report(monkeypatch: pytest.MonkeyPatch) -> None:
    story, docs, facts = _story()
    (first,) = choose_summary(facts, length=1, docs=docs, story=story)
    assert "Miramar hotel" in first.text
    # coverage lifts every outlet's wording of the rescue; without MMR (and no redundancy cut) the second
    # pick is another one
    monkeypatch.setattr(thresholds, "SUMMARY_REDUNDANCY", 1.0)
    monkeypatch.setattr(thresholds, "SUMMARY_MMR", 0.0)
    two = choose_summary(facts, length=2, docs=docs, story=story)
    assert sum("Miramar" in s.text for s in two) == 2
    # with a strong marginal-relevance penalty the second sentence is the next piece of news
    monkeypatch.setattr(thresholds, "SUMMARY_MMR", 20.0)
    two = choose_summary(facts, length=2, docs=docs, story=story)
    assert sum("Miramar" in s.text for s in two) == 1


def test_shown_source_finds_the_displayed_variant() -> None:
    fact = Fact(
        id="F1",
        text="x",
        sources=["a", "b"],
        independent_sources=2,
        variants=[
            Variant("a", "Storm hits coast\nRescuers reached the village."),
            Variant("b", "Other words."),
        ],
    )
    assert shown_source(fact, "Rescuers reached the village.") == "a"
    assert shown_source(fact, "Other words.") == "b"
    assert shown_source(fact, "Not shown anywhere.") == "a"


def test_headline_from_the_lead_drops_a_trailing_attribution() -> None:
    lead = _single(
        "F1",
        "a",
        0,
        "A suspected gang leader arrested in a police raid in Porto Vell last week has been found dead "
        "in his cell, regional police sources have said.",
        0.0,
    )
    headline = choose_headline([], [lead])
    assert headline.startswith("A suspected gang leader") and headline.endswith("found dead in his cell")
    cited = _single(
        "F2",
        "a",
        0,
        "The regional governor has been offered the post of interior minister by the incoming prime minister "
        "of the country, according to sources.",
        0.0,
    )
    assert choose_headline([], [cited]).endswith("incoming prime minister of the country")
    short = _single("F3", "a", 0, "The governor said the coastal road would reopen on Monday.", 0.0)
    assert choose_headline([], [short]) == "The governor said the coastal road would reopen on Monday"


def test_long_title_loses_its_attribution_tail() -> None:
    fact = _single(
        "F1", "a", 0, "A suspected gang leader was found dead in his cell in Porto Vell on Tuesday.", 0.0
    )
    title = (
        "A suspected gang leader arrested in a police raid in Porto Vell last week has been found dead "
        "in his cell, regional police sources have said"
    )
    assert choose_headline([title], [fact]).endswith("found dead in his cell")
    short = "Gang leader found dead in his cell, police say"
    assert choose_headline([short], [fact]) == short


# A storm story told mostly in quotations: the summary keeps at most a third of them.
QUOTED = """“We pulled fourteen people out of the Miramar hotel alive during the night,” the fire chief said.
“The water rose faster than anyone in Porto Vell has ever seen it rise,” a resident told reporters.
“Schools will stay closed in all three provinces until Wednesday at least,” the governor said.
Rescue teams pulled 14 survivors from the collapsed Miramar hotel in Porto Vell overnight.
About 80,000 homes in the region were still without electricity on Monday evening.
The regional festival of music will open next month in the old harbour district as planned."""


def test_is_quotation() -> None:
    from storyweave.compose.summary import is_quotation

    assert is_quotation("“We will rebuild the bridge,” the mayor said.")
    assert is_quotation('The mayor said "we will rebuild the bridge before the winter comes".')
    assert not is_quotation('The mayor promised a "quick" rebuilding of the bridge before the winter.')
    assert not is_quotation("The bridge will be rebuilt before the winter, the mayor said.")


def test_summary_keeps_at_most_a_share_of_quotations(monkeypatch: pytest.MonkeyPatch) -> None:
    from storyweave.compose.summary import is_quotation

    doc = make_doc("a", QUOTED)
    facts = [_single(f"F{s.index}", "a", s.index, s.text, 0.1 * s.index) for s in doc.sentences]
    story = Story(id="s", article_ids=["a"])
    # every sentence a quotation favours: the cap, not the weights, limits them
    weights = dict.fromkeys(thresholds.SUMMARY_SENTENCE_WEIGHTS, 0.0) | {"opens_quote": 1.0}
    monkeypatch.setattr(thresholds, "SUMMARY_SENTENCE_WEIGHTS", weights)
    monkeypatch.setattr(thresholds, "SUMMARY_MIN_NOVELTY", 0.0)
    summary = choose_summary(facts, length=6, docs=[doc], story=story)
    quotations = sum(is_quotation(s.text) for s in summary)
    assert {"F3", "F4", "F5"} <= {s.fact_id for s in summary}  # every sentence that is not a quotation
    assert quotations >= 1 and 3 * quotations <= len(summary)
    assert not is_quotation(summary[0].text)  # the opener is a lede, never a quotation
    monkeypatch.setattr(thresholds, "SUMMARY_MAX_QUOTATIONS", 1.0)
    summary = choose_summary(facts, length=3, docs=[doc], story=story)
    assert sum(is_quotation(s.text) for s in summary) == 3


def test_sentence_features_and_gain() -> None:
    from storyweave.compose.summary import SENTENCE_FEATURES, sentence_gain, summary_candidates

    story, docs, facts = _story()
    found = summary_candidates(facts, docs=docs, story=story)
    assert found.features.shape == (len(found.texts), len(SENTENCE_FEATURES))
    column = {name: found.features[:, i] for i, name in enumerate(SENTENCE_FEATURES)}
    assert column["coverage"].max() == 1.0
    assert (column["words"] > 0).all() and not column["opens_quote"].any()
    gain = sentence_gain(found.features)
    assert abs(gain.mean()) < 1e-9 and abs(gain.std() - 1.0) < 1e-9  # standardised within the story
    assert not sentence_gain(found.features[:1]).any()  # one candidate: nothing to compare
