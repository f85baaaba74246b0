"""Contested points across a story, one test per kind plus the false alarms an editor reported.

Articles are invented; their slots (claims, quantities, roles, quotations, mentions, dated verbs) are built
by hand, as the analysis stage would emit them, so each detector is tested on exactly what it reads.
"""

from __future__ import annotations

from tests.helpers import make_doc

from storyweave.model import (
    AnalysedArticle,
    Claim,
    Disagreement,
    Fact,
    Mention,
    Quantity,
    Quote,
    RoleMention,
    Story,
    TimeRef,
    ValueSources,
    Variant,
)
from storyweave.reconcile.disagreements import combination, find_disagreements
from storyweave.reconcile.disagreements.number import compatible as numbers_agree
from storyweave.reconcile.disagreements.ranking import ranking_of
from storyweave.reconcile.disagreements.status import status_of
from storyweave.reconcile.disagreements.title import title_key


def _span(doc: AnalysedArticle, index: int, words: str) -> tuple[int, int]:
    sentence = doc.sentences[index]
    start = doc.article.text.index(words, sentence.start)
    assert start < sentence.end, f"{words!r} not in sentence {index} of {doc.id}"
    return start, start + len(words)


def claim(doc: AnalysedArticle, index: int, words: str, predicate: str, **slots: object) -> None:
    start, end = _span(doc, index, words)
    n = sum(c.sentence_index == index for c in doc.claims)
    doc.claims.append(
        Claim(
            id=f"{doc.id}#{index}.{n}",
            article_id=doc.id,
            sentence_index=index,
            text=words,
            start=start,
            end=end,
            predicate=predicate,
            **slots,  # type: ignore[arg-type]
        )
    )


def mention(doc: AnalysedArticle, index: int, words: str, label: str = "PERSON") -> None:
    start, end = _span(doc, index, words)
    doc.mentions.append(Mention(words, words, label, doc.id, index, start, end))


def quantity(doc: AnalysedArticle, index: int, words: str, value: float, counts: str, role: str,
             approximate: bool = False) -> None:  # fmt: skip
    start, end = _span(doc, index, words)
    doc.quantities.append(
        Quantity(words, value, doc.id, index, start, end, counts=counts, role=role, approximate=approximate)
    )


def quote(doc: AnalysedArticle, index: int, words: str, speaker: str) -> None:
    start, end = _span(doc, index, words)
    doc.quotes.append(Quote(words, words, speaker, doc.id, index, start, end))


def story(*docs: AnalysedArticle, syndication: dict[str, str] | None = None) -> Story:
    return Story(id="s", article_ids=[d.id for d in docs], syndication=syndication or {})


def run(*docs: AnalysedArticle, facts: list[Fact] | None = None, **kw: object) -> list[Disagreement]:
    return find_disagreements(facts or [], {d.id: d for d in docs}, story(*docs, **kw))  # type: ignore[arg-type]


def one_fact(*docs: AnalysedArticle) -> list[Fact]:
    """The aligner's verdict that the first sentence of each doc states one claim."""
    variants = [Variant(d.id, d.sentences[0].text, f"{d.id}#0") for d in docs]
    return [Fact("F1", variants[0].text, [d.id for d in docs], len(docs), variants)]


def values(d: Disagreement) -> dict[str, list[str]]:
    return {v.value: v.sources for v in d.values}


# --- number -------------------------------------------------------------------------------------------


def _quake(article_id: str, count: str, value: float, approximate: bool = False) -> AnalysedArticle:
    doc = make_doc(article_id, f"{count} people were killed when the earthquake struck Kesmeli.")
    quantity(doc, 0, count, value, "person", "nsubjpass:kill", approximate)
    return doc


def test_counts_of_the_same_thing_disagree_with_sources_and_sentences() -> None:
    found = run(_quake("a", "Twelve", 12), _quake("b", "Fifteen", 15), _quake("c", "Twelve", 12))
    assert [d.kind for d in found] == ["number"]
    assert values(found[0]) == {"Twelve": ["a", "c"], "Fifteen": ["b"]}
    assert found[0].values[0].sentence_ids == ["a#0", "c#0"]
    assert found[0].fact_id is None
    assert "the dead (kill)" in found[0].note  # people killed are counted as the dead


def test_approximate_counts_within_tolerance_agree() -> None:
    assert not run(_quake("a", "More than 3,000", 3000, approximate=True), _quake("b", "3,200", 3200))
    assert numbers_agree("3000~", "3200") and not numbers_agree("12~", "15")


def test_one_syndication_group_is_one_voice() -> None:
    docs = (_quake("a", "Twelve", 12), _quake("b", "Fifteen", 15))
    assert not run(*docs, syndication={"a": "g", "b": "g"})


def _cables(article_id: str, text: str, words: str, value: float, role: str, lemmas: str) -> AnalysedArticle:
    doc = make_doc(article_id, text)
    claim(doc, 0, text.rstrip("."), role.split(":")[1], subject="cable", lemmas=lemmas.split())
    quantity(doc, 0, words, value, "cable", role)
    return doc


def test_one_count_given_with_different_verbs_in_otherwise_equal_sentences() -> None:
    a = _cables(
        "a",
        "Millions lost internet access after two undersea cables in the Mediterranean suffered damage.",
        "two",
        2,
        "nsubj:suffer",
        "million lose internet access undersea cable mediterranean suffer damage",
    )
    b = _cables(
        "b",
        "Internet outages hit Asia when three undersea cables in the Mediterranean were damaged.",
        "three",
        3,
        "nsubjpass:damage",
        "internet outage hit asia undersea cable mediterranean damage",
    )
    for facts in (one_fact(a, b), None):  # joined by the aligner or not: each article counts cables once
        found = run(a, b, facts=facts)
        assert [d.kind for d in found] == ["number"]
        assert values(found[0]) == {"two": ["a"], "three": ["b"]}
    # sentences about something else (they share only the counted noun): a repair crew laying three new
    # cables is not the damaged cables' count
    c = _cables(
        "c",
        "A repair ship from France will lay three new cables near Sicily next month.",
        "three",
        3,
        "dobj:lay",
        "repair ship france lay new cable sicily month",
    )
    assert not run(a, c)
    assert not run(a, c, facts=one_fact(a, c))
    # the other article also states the figure: two things counted, not one count given twice
    d = _cables(
        "d",
        "Two of the three undersea cables in the Mediterranean suffered damage, cutting internet access.",
        "three",
        3,
        "pobj:suffer",
        "undersea cable mediterranean suffer damage cut internet access",
    )
    quantity(d, 0, "Two", 2, "cable", "nsubj:suffer")
    assert not run(b, d, facts=one_fact(b, d))


def test_story_count_of_one_noun_is_compared_only_where_it_counts_one_thing() -> None:
    def doc(
        article_id: str, text: str, lemmas: str, *figures: tuple[str, float, str, str]
    ) -> AnalysedArticle:
        d = make_doc(article_id, text)
        claim(d, 0, text.rstrip("."), "seize", subject="navy", lemmas=lemmas.split())
        for words, value, counts, role in figures:
            quantity(d, 0, words, value, counts, role)
        return d

    seized = "navy seize rifle boat gulf"
    a = doc(
        "a",
        "The navy seized nine rifles from the boat in the gulf.",
        seized,
        ("nine", 9, "rifle", "dobj:seize"),
    )
    b = doc(
        "b", "In the gulf the navy took six rifles off the boat.", seized, ("six", 6, "rifle", "dobj:take")
    )
    assert values(run(a, b)[0]) == {"nine": ["a"], "six": ["b"]}
    # an article counting the noun twice (two sets of rifles) is ambiguous there
    c = doc("c", "In the gulf the navy took six rifles off the boat and two rifles ashore.", seized,
            ("six", 6, "rifle", "dobj:take"), ("two", 2, "rifle", "conj:rifle"))  # fmt: skip
    assert not run(a, c)
    # a count in the background, the noun absent from the article's lead, is not the story's count
    late = make_doc("late", "The navy patrols the gulf. Pirates fled. The boat sank. The crew was saved. "
                    "In the gulf the navy took six rifles off the boat.")  # fmt: skip
    claim(late, 4, "In the gulf the navy took six rifles off the boat", "take", subject="navy",
          lemmas=seized.split())  # fmt: skip
    quantity(late, 4, "six", 6, "rifle", "dobj:take")
    assert not run(a, late)
    # "one" is rarely a tally ("just one rifle was loaded")
    d = doc(
        "d",
        "In the gulf the navy found just one rifle on the boat.",
        seized,
        ("one", 1, "rifle", "dobj:find"),
    )
    assert not run(a, d)
    # parts adding up to a whole agree: "23 pirates" / "12 Somali and 11 Yemeni pirates"
    pirates = "navy seize pirate boat gulf"
    e = doc(
        "e",
        "The navy seized 23 pirates from the boat in the gulf.",
        pirates,
        ("23", 23, "pirate", "dobj:seize"),
    )
    f = doc("f", "In the gulf the navy took 12 pirates off one boat and 11 off the other.", pirates,
            ("12", 12, "pirate", "dobj:take"), ("11", 11, "", "conj:take"))  # fmt: skip
    assert not run(e, f)
    # a people's name the parser took for the counted noun counts no one thing
    g = doc("g", "The navy seized 23 Somali pirates from the boat in the gulf.", pirates,
            ("23", 23, "somali", "dobj:seize"))  # fmt: skip
    h = doc(
        "h",
        "In the gulf the navy took 15 Somali men off the boat.",
        pirates,
        ("15", 15, "somali", "dobj:take"),
    )
    assert not run(g, h)


def test_people_counted_by_their_state_are_one_slot() -> None:
    # the parser makes "missing" the counted word of "50 missing", and "others" that of "70 others missing"
    a = make_doc("a", "The mine collapse left more than 50 missing.")
    quantity(a, 0, "more than 50", 50, "missing", "dobj:miss", approximate=True)
    b = make_doc("b", "Over 70 others were missing after the collapse.")
    quantity(b, 0, "Over 70 others", 70, "other", "nsubj:miss", approximate=True)
    found = run(a, b)
    assert [d.kind for d in found] == ["number"]
    assert values(found[0]) == {"more than 50": ["a"], "Over 70 others": ["b"]}
    # the dead and the injured of one verb stay two slots
    c = make_doc("c", "The quake left 50 dead.")
    quantity(c, 0, "50", 50, "dead", "dobj:leave")
    d = make_doc("d", "The quake left 200 injured.")
    quantity(d, 0, "200", 200, "injured", "dobj:leave")
    assert not run(c, d)


def test_counts_of_different_roles_or_updates_are_not_compared() -> None:
    a = make_doc("a", "Twelve people were killed in Kesmeli.")
    quantity(a, 0, "Twelve", 12, "person", "nsubjpass:kill")
    b = make_doc("b", "Forty people were injured in Kesmeli. The toll rose to 15 people.")
    quantity(b, 0, "Forty", 40, "person", "nsubjpass:injure")
    quantity(b, 1, "15", 15, "person", "prep:rise")
    assert not run(a, b)


def test_a_disagreement_inside_one_fact_names_it() -> None:
    a, b = _quake("a", "Twelve", 12), _quake("b", "Fifteen", 15)
    fact = Fact(
        id="f1", text=a.sentences[0].text, sources=["a", "b"], independent_sources=2,
        variants=[Variant("a", a.sentences[0].text, "a#0"), Variant("b", b.sentences[0].text, "b#0")],
    )  # fmt: skip
    assert run(a, b, facts=[fact])[0].fact_id == "f1"


# --- status, ranking, negation ------------------------------------------------------------------------


def test_final_deal_vs_deal_in_principle() -> None:
    a = make_doc("a", "Teravia reached a final deal with the lenders on Monday.")
    claim(a, 0, "Teravia reached a final deal with the lenders", "reach", subject="Teravia", object="deal",
          lemmas=["teravia", "reach", "final", "deal", "lender"])  # fmt: skip
    b = make_doc("b", "Teravia agreed to the deal in principle, officials said.")
    claim(b, 0, "Teravia agreed to the deal in principle", "agree", subject="Teravia",
          modality="in principle", lemmas=["teravia", "agree", "deal", "principle"])  # fmt: skip
    found = run(a, b)
    assert [d.kind for d in found] == ["status"]
    assert set(values(found[0])) == {"final", "in principle"}


def test_a_hedge_is_not_a_status() -> None:
    a = make_doc("a", "Teravia may sign the deal.")
    claim(a, 0, "Teravia may sign the deal", "sign", subject="Teravia", object="deal", modality="may")
    b = make_doc("b", "Teravia signed the deal.")
    claim(b, 0, "Teravia signed the deal", "sign", subject="Teravia", object="deal", tense="past")
    assert status_of(a.claims[0]) is None
    assert not run(a, b)


def test_largest_supplier_named_differently() -> None:
    a = make_doc("a", "Norland is the largest supplier of gas to the region.")
    claim(a, 0, "Norland is the largest supplier of gas to the region", "supplier", subject="Norland")
    b = make_doc("b", "Ostmark is the largest supplier of gas in the region.")
    claim(b, 0, "Ostmark is the largest supplier of gas in the region", "supplier", subject="Ostmark")
    c = make_doc("c", "Ostmark is the second-largest supplier of gas.")
    claim(c, 0, "Ostmark is the second-largest supplier of gas", "supplier", subject="Ostmark")
    found = run(a, b, c)
    assert [d.kind for d in found] == ["ranking", "ranking"]
    firsts = next(d for d in found if any(":" in v.value for v in d.values))
    assert {v.sources[0] for v in firsts.values} == {"a", "b"}
    assert ranking_of(c.claims[0]) == (2, "largest", "supplier of gas", "second-largest supplier of gas")


def test_largest_of_different_things_do_not_conflict() -> None:
    a = make_doc("a", "Norland is the largest supplier of gas.")
    claim(a, 0, "Norland is the largest supplier of gas", "supplier", subject="Norland")
    b = make_doc("b", "Ostmark is the largest supplier of coal.")
    claim(b, 0, "Ostmark is the largest supplier of coal", "supplier", subject="Ostmark")
    assert not run(a, b)


def test_affirmed_vs_negated_claim() -> None:
    a = make_doc("a", "The minister attended the summit.")
    claim(a, 0, "The minister attended the summit", "attend", subject="minister", object="summit",
          tense="past")  # fmt: skip
    b = make_doc("b", "The minister did not attend the summit.")
    claim(b, 0, "The minister did not attend the summit", "attend", subject="minister", object="summit",
          negated=True, tense="past")  # fmt: skip
    c = make_doc("c", "The minister did not attend the dinner.")
    claim(c, 0, "The minister did not attend the dinner", "attend", subject="minister", object="dinner",
          negated=True, tense="past")  # fmt: skip
    found = run(a, b, c)
    assert [d.kind for d in found] == ["negation"]
    assert sorted(s for v in found[0].values for s in v.sources) == ["a", "b"]


def test_affirmed_vs_negated_in_differently_built_sentences() -> None:
    # subject heads differ ("group" / "clifftop"): the first pass has no common key, the sentences agree
    a = make_doc("a", "The clifftop was known to the local gay community as a meeting place.")
    lemmas = ["clifftop", "know", "local", "gay", "community", "meeting", "place"]
    claim(a, 0, "The clifftop was known to the local gay community as a meeting place", "know",
          subject="clifftop", lemmas=lemmas)  # fmt: skip
    b = make_doc("b", "The local gay community did not know the clifftop as a meeting place.")
    claim(b, 0, "The local gay community did not know the clifftop as a meeting place", "know",
          subject="community", object="clifftop", negated=True,
          lemmas=["local", "gay", "community", "know", "clifftop", "meeting", "place"])  # fmt: skip
    assert not run(a, b)  # not joined into one fact by the aligner: not compared
    found = run(a, b, facts=one_fact(a, b))
    assert [d.kind for d in found] == ["negation"]
    c = make_doc("c", "Police did not know who pushed the climber from the cliff.")
    claim(c, 0, "Police did not know who pushed the climber from the cliff", "know", subject="police",
          negated=True, lemmas=["police", "know", "push", "climber", "cliff"])  # fmt: skip
    assert not run(a, c, facts=one_fact(a, c))  # other words: another claim


def test_a_denial_whose_subject_is_a_pronoun_is_compared_by_its_sentence() -> None:
    lemmas = ["fall", "sydney", "clifftop", "know", "gay", "meeting", "place"]
    a = make_doc("a", "He fell from a Sydney clifftop known as a gay meeting place.")
    claim(a, 0, "He fell from a Sydney clifftop known as a gay meeting place", "know", subject="clifftop",
          lemmas=lemmas)  # fmt: skip
    b = make_doc("b", "He fell from a Sydney clifftop that was not known as a gay meeting place.")
    claim(b, 0, "He fell from a Sydney clifftop that was not known as a gay meeting place", "know",
          subject="that", negated=True, lemmas=lemmas)  # fmt: skip
    assert [d.kind for d in run(a, b, facts=one_fact(a, b))] == ["negation"]


def test_opposite_words_inside_names_are_names() -> None:
    lemmas = ["adviser", "discuss", "meeting", "korean", "leader", "summit"]
    a = make_doc("a", "The adviser discussed the meeting with the North Korean leader before the summit.")
    claim(a, 0, "The adviser discussed the meeting with the North Korean leader before the summit", "discuss",
          subject="adviser", lemmas=[*lemmas, "north"])  # fmt: skip
    b = make_doc("b", "The adviser discussed the meeting with the South Korean leader before the summit.")
    claim(b, 0, "The adviser discussed the meeting with the South Korean leader before the summit", "discuss",
          subject="adviser", lemmas=[*lemmas, "south"])  # fmt: skip
    assert "negation" not in {d.kind for d in run(a, b)}


def test_a_claim_holding_a_word_and_its_opposite_takes_no_side() -> None:
    a = make_doc("a", "Fourth-quarter vaccine sales were a 30% decrease from the increase a year earlier.")
    claim(a, 0, "Fourth-quarter vaccine sales were a 30% decrease from the increase a year earlier", "be",
          subject="sales", lemmas=["quarter", "vaccine", "sale", "decrease", "increase", "year"])  # fmt: skip
    b = make_doc("b", "Vaccine sales showed a fourth-quarter decline.")
    claim(b, 0, "Vaccine sales showed a fourth-quarter decline", "show", subject="sales",
          lemmas=["vaccine", "sale", "show", "quarter", "decline"])  # fmt: skip
    assert not run(a, b)


# --- title, inclusion, date ---------------------------------------------------------------------------


def _titled(article_id: str, title: str) -> AnalysedArticle:
    doc = make_doc(article_id, f"{title} Ana Ruiz arrived in Kesmeli.")
    start, end = _span(doc, 0, title)
    doc.roles.append(RoleMention("Ana Ruiz", title.casefold(), article_id, 0, start, end))
    mention(doc, 0, "Ana Ruiz")
    return doc


def test_a_persons_title_given_differently() -> None:
    found = run(_titled("a", "Foreign Minister"), _titled("b", "Former foreign minister"))
    assert [d.kind for d in found] == ["title"]
    assert "Ana Ruiz" in found[0].note


def test_qualified_titles_of_one_role_agree() -> None:
    assert title_key("Kremlin spokesman") == title_key("presidential spokeswoman") == "spokesperson"
    assert title_key("deputy minister") != title_key("minister")
    assert not run(_titled("a", "Kremlin spokesman"), _titled("b", "presidential spokesman"))


def test_a_described_role_or_a_deputy_of_parliament_is_no_title_conflict() -> None:
    # "head of X" describes a role: it may be the named office
    assert not run(_titled("a", "Foreign Minister"), _titled("b", "head of Irish diplomacy"))
    # but a rank still differs between two descriptions, and "chief of" names an office
    assert run(_titled("a", "head of the agency"), _titled("b", "former head of the agency"))
    assert run(_titled("a", "chair of surgery"), _titled("b", "chief of surgery"))
    # "deputy" closing its conjunct is a member of parliament, not a rank
    assert title_key("former Irish deputy and visiting scholar") == title_key(
        "former Irish MP and visiting scholar"
    )
    assert title_key("Irish deputy") == title_key("Irish lawmaker") != title_key("Irish deputy minister")
    assert not run(
        _titled("a", "former Irish deputy and visiting scholar"),
        _titled("b", "former Irish MP and visiting scholar"),
    )


def test_who_is_named_in_the_filing() -> None:
    a = make_doc("a", "The lawsuit names Dana Holt, Ivo Marsh and Leni Sato as defendants.")
    b = make_doc("b", "The lawsuit names Dana Holt and Ivo Marsh as defendants.")
    for doc, names in ((a, ("Dana Holt", "Ivo Marsh", "Leni Sato")), (b, ("Dana Holt", "Ivo Marsh"))):
        text = doc.sentences[0].text.rstrip(".")
        claim(doc, 0, text, "name", subject="lawsuit", object=names[0])
        for n in names:
            mention(doc, 0, n)
    found = run(a, b)
    assert [d.kind for d in found] == ["inclusion"]
    assert len(found[0].values) == 2


def _met(article_id: str, day: str, iso: str, verb: str = "meet", **kw: str) -> AnalysedArticle:
    doc = make_doc(article_id, f"Kim met Moon on {day} in the border village.", published="2023-09-14")
    claim(doc, 0, f"Kim met Moon on {day} in the border village", verb, subject="Kim", object="Moon")
    start, end = _span(doc, 0, f"on {day}")
    doc.times.append(TimeRef(f"on {day}", iso, article_id, 0, start, end, verb=verb, **kw))  # type: ignore[arg-type]
    return doc


def test_when_something_happened() -> None:
    found = run(_met("a", "Tuesday", "2023-09-12"), _met("b", "Wednesday", "2023-09-13"))
    assert [d.kind for d in found] == ["date"]
    assert {v.value for v in found[0].values} == {"2023-09-12 (on Tuesday)", "2023-09-13 (on Wednesday)"}


def test_a_month_agrees_with_a_day_inside_it_and_estimates_are_left_out() -> None:
    assert not run(_met("a", "Tuesday", "2023-09-12"), _met("b", "September", "2023-09"))
    # against a guessed publication date, "yesterday" says nothing
    assert not run(_met("a", "Tuesday", "2023-09-12"), _met("b", "yesterday", "2023-09-13", estimated="1"))


def test_a_weekday_against_a_guessed_date_is_compared_by_its_weekday() -> None:
    # the guess put b a week later: "Wednesday" still agrees with Wednesday, and contradicts Tuesday
    assert not run(_met("a", "Wednesday", "2023-09-13"), _met("b", "Wednesday", "2023-09-20", estimated="1"))
    found = run(_met("a", "Tuesday", "2023-09-12"), _met("b", "Wednesday", "2023-09-20", estimated="1"))
    assert [d.kind for d in found] == ["date"]
    assert not run(
        _met("a", "Tuesday", "2023-09-12"), _met("b", "last Wednesday", "2023-09-13", estimated="1")
    )


def _dated(article_id: str, text: str, when: str, iso: str, verb: str, lemmas: str) -> AnalysedArticle:
    doc = make_doc(article_id, text, published="2023-09-16")
    claim(doc, 0, text.rstrip("."), verb, subject="navy", lemmas=lemmas.split())
    start, end = _span(doc, 0, when)
    doc.times.append(TimeRef(when, iso, article_id, 0, start, end, verb=verb))
    return doc


def test_one_event_dated_differently_in_other_words() -> None:
    a = _dated(
        "a",
        "The Indian Navy on Thursday thwarted a pirate attack on a merchant vessel in the Gulf of Aden.",
        "on Thursday",
        "2023-09-14",
        "thwart",
        "indian navy thwart pirate attack merchant vessel gulf aden",
    )
    b = _dated(
        "b",
        "An Indian warship foiled the pirate attack on merchant vessels in the Gulf of Aden on Friday.",
        "on Friday",
        "2023-09-15",
        "foil",
        "indian warship foil pirate attack merchant vessel gulf aden",
    )
    assert not run(a, b)  # not joined into one fact by the aligner: not compared
    found = run(a, b, facts=one_fact(a, b))
    assert [d.kind for d in found] == ["date"]
    assert values(found[0]) == {"2023-09-14 (on Thursday)": ["a"], "2023-09-15 (on Friday)": ["b"]}
    c = _dated(
        "c",
        "An Indian warship on Friday rescued sailors of a fishing boat off the coast of Mumbai.",
        "on Friday",
        "2023-09-15",
        "rescue",
        "indian warship rescue sailor fishing boat coast mumbai",
    )
    assert not run(a, c, facts=one_fact(a, c))  # other words: another event


def test_a_date_left_in_the_attribution_dates_the_saying_not_the_claim() -> None:
    a = _dated(
        "a",
        "The Indian Navy thwarted a pirate attack on a merchant vessel in the Gulf of Aden on Thursday.",
        "on Thursday",
        "2023-09-14",
        "thwart",
        "indian navy thwart pirate attack merchant vessel gulf aden",
    )
    text = "The Indian Navy thwarted a pirate attack on a merchant vessel, the ministry said on Friday."
    b = make_doc("b", text, published="2023-09-16")
    claim(
        b,
        0,
        "The Indian Navy thwarted a pirate attack on a merchant vessel",
        "thwart",
        subject="navy",
        lemmas=["indian", "navy", "thwart", "pirate", "attack", "merchant", "vessel"],
        attribution="speaker",
        attributed_to="ministry",
    )
    start, end = _span(b, 0, "on Friday")
    b.times.append(TimeRef("on Friday", "2023-09-15", "b", 0, start, end))  # no claim holds it: no verb
    assert not run(a, b, facts=one_fact(a, b))
    b.claims[0].attribution = "none"  # a date no attributed sentence explains is still compared
    assert [d.kind for d in run(a, b, facts=one_fact(a, b))] == ["date"]


def _signed(article_id: str, player: str, when: str) -> AnalysedArticle:
    text = f"The Saints signed running back {player} from the practice squad {when}."
    doc = make_doc(article_id, text)  # no publication date anywhere in the story
    lemmas = ["saints", "sign", "running", "back", player.split()[-1].casefold(), "practice", "squad"]
    claim(doc, 0, text.rstrip("."), "sign", subject="Saints", object=player, lemmas=lemmas)
    mention(doc, 0, player)
    return doc


def test_weekdays_of_undated_articles_are_compared_by_weekday() -> None:
    a = _signed("a", "DeShawn Wynn", "on Monday")
    found = run(a, _signed("b", "DeShawn Wynn", "on Tuesday"))
    assert [d.kind for d in found] == ["date"]
    assert {v.value for v in found[0].values} == {"on Monday", "on Tuesday"}  # no made-up calendar date
    assert not run(a, _signed("c", "DeShawn Wynn", "yesterday"))  # an undated "yesterday" names no day
    # another player signed on another day is another event (the name detector may still flag the player)
    assert "date" not in {d.kind for d in run(a, _signed("d", "Joique Bell", "on Tuesday"))}


# --- quotations: wording, name, attribution -----------------------------------------------------------


def _said(article_id: str, words: str, speaker: str = "Oren Falk", label: str = "PERSON") -> AnalysedArticle:
    doc = make_doc(article_id, f'On Tuesday {speaker} said: "{words}."')
    quote(doc, 0, words, speaker)
    mention(doc, 0, speaker, label)
    return doc


def test_one_speakers_quotation_worded_differently() -> None:
    a = _said("a", "This is a devil's deal and we will never accept it")
    b = _said("b", "This is a diabolical deal and we will never accept it")
    c = _said("c", "This is a devil's deal")  # an excerpt of a's wording
    found = run(a, b, c)
    assert [d.kind for d in found] == ["quote-wording"]
    assert {s for v in found[0].values for s in v.sources} >= {"a", "b"}
    assert "Oren Falk" in found[0].note


def test_a_name_spelled_differently_inside_one_quotation() -> None:
    a = _said("a", "I will meet Kim Jong Un next week in the capital")
    mention(a, 0, "Kim Jong Un")
    b = _said("b", "I will meet Kim Jung Un next week in the capital")
    mention(b, 0, "Kim Jung Un")
    found = run(a, b)
    assert [d.kind for d in found] == ["name"]
    assert {v.value for v in found[0].values} == {"Kim Jong Un", "Kim Jung Un"}


def test_the_same_words_given_to_different_speakers() -> None:
    words = "We have no plans to close the northern border crossings this winter"
    found = run(_said("a", words, "Oren Falk"), _said("b", words, "Mara Lind"))
    assert [d.kind for d in found] == ["attribution"]
    assert {v.value for v in found[0].values} == {"Oren Falk", "Mara Lind"}


# --- the false alarms an editor reported ----------------------------------------------------------------


def test_a_speaker_written_as_a_description_is_no_rival_attribution() -> None:
    words = "We have no plans to close the northern border crossings this winter"
    a = _said("a", words, "Oren Falk")
    b = make_doc("b", f'"{words}," the Nordland Conservative said on Sunday.')
    quote(b, 0, words, "Nordland Conservative")
    b.quotes[0].cue = "the Nordland Conservative said on Sunday"
    assert run(a, b) == []
    b.quotes[0].cue = "Nordland Conservative said on Sunday"  # written as a name: a rival
    assert [d.kind for d in run(a, b)] == ["attribution"]


def test_an_interviewee_vs_the_channel_that_interviewed_her_is_no_disagreement() -> None:
    words = "We have no plans to close the northern border crossings this winter"
    assert not run(_said("a", words, "Mara Lind"), _said("b", words, "Nordvision", label="ORG"))


def test_an_outlet_citing_another_newspaper_is_no_disagreement() -> None:
    a = make_doc("a", "The minister resigned on Monday, the Daily Courier reported.")
    claim(a, 0, "The minister resigned on Monday", "resign", subject="minister", attribution="citation",
          attributed_to="the Daily Courier", tense="past")  # fmt: skip
    mention(a, 0, "Daily Courier", "ORG")
    b = make_doc("b", "The minister resigned on Monday, according to the Evening Post.")
    claim(b, 0, "The minister resigned on Monday", "resign", subject="minister", attribution="citation",
          attributed_to="the Evening Post", tense="past")  # fmt: skip
    mention(b, 0, "Evening Post", "ORG")
    assert not run(a, b)


def test_two_different_tweets_on_different_dates_are_not_one_fact() -> None:
    a = _met("a", "Monday", "2023-09-11", verb="tweet")
    b = _met("b", "Friday", "2023-09-15", verb="tweet")
    assert not run(a, b)


def test_kinds_can_be_restricted() -> None:
    docs = {d.id: d for d in (_quake("a", "Twelve", 12), _quake("b", "Fifteen", 15))}
    assert not find_disagreements([], docs, story(*docs.values()), kinds=["date"])


def test_opposite_words_for_one_subject() -> None:
    a = make_doc("a", "Vaccine sales rose in the fourth quarter.")
    claim(a, 0, "Vaccine sales rose in the fourth quarter", "rise", subject="sales",
          lemmas=["vaccine", "sale", "rise", "quarter"])  # fmt: skip
    b = make_doc("b", "Vaccine sales fell in the fourth quarter.")
    claim(b, 0, "Vaccine sales fell in the fourth quarter", "fall", subject="sales",
          lemmas=["vaccine", "sale", "fall", "quarter"])  # fmt: skip
    c = make_doc("c", "Vaccine sales did not fall in the fourth quarter.")
    claim(c, 0, "Vaccine sales did not fall in the fourth quarter", "fall", subject="sales", negated=True,
          lemmas=["vaccine", "sale", "fall", "quarter"])  # fmt: skip
    found = run(a, b, c)
    assert {d.kind for d in found} == {"negation"}
    opposite = next(d for d in found if any(v.value.startswith("rise") for v in d.values))
    assert {s for v in opposite.values for s in v.sources} == {"a", "b", "c"}


def _fell(article_id: str, place: str) -> AnalysedArticle:
    doc = make_doc(article_id, f"The climber fell from a {place} clifftop in 1988.")
    claim(doc, 0, f"The climber fell from a {place} clifftop in 1988", "fall", subject="climber",
          lemmas=["climber", "fall", place.casefold(), "clifftop"])  # fmt: skip
    mention(doc, 0, place, "GPE")
    return doc


def test_one_claim_naming_a_different_place() -> None:
    found = run(_fell("a", "Sydney"), _fell("b", "Melbourne"))
    assert [d.kind for d in found] == ["name"]
    assert {v.value for v in found[0].values} == {"Sydney", "Melbourne"}


def _invasion(article_id: str, verb: str, who: str, country: str) -> AnalysedArticle:
    text = f"On the anniversary of {country}'s invasion of Ukraine, {who} {verb} paint outside the embassy."
    doc = make_doc(article_id, text)
    lemmas = ["anniversary", country.casefold(), "invasion", "ukraine", verb, "paint", "embassy"]
    claim(doc, 0, text.rstrip("."), verb, subject=who.split()[-1], lemmas=lemmas)
    mention(doc, 0, country, "GPE")
    mention(doc, 0, "Ukraine", "GPE")
    return doc


def test_a_name_swapped_in_a_claim_with_other_heads() -> None:
    found = run(
        _invasion("a", "dumped", "activists", "Russia"), _invasion("b", "poured", "protesters", "Iran")
    )
    assert [d.kind for d in found] == ["name"]
    assert {v.value for v in found[0].values} == {"Russia", "Iran"}
    assert not run(
        _invasion("a", "dumped", "activists", "Russia"), _invasion("b", "poured", "protesters", "Russia")
    )


def test_a_place_the_other_article_also_names_is_no_swap() -> None:
    a = _fell("a", "Sydney")
    b = make_doc("b", "The climber fell from a Melbourne clifftop in 1988. He lived in Sydney.")
    claim(b, 0, "The climber fell from a Melbourne clifftop in 1988", "fall", subject="climber",
          lemmas=["climber", "fall", "melbourne", "clifftop"])  # fmt: skip
    mention(b, 0, "Melbourne", "GPE")
    mention(b, 1, "Sydney", "GPE")
    assert not run(a, b)


def test_the_role_of_a_title_is_before_its_complement() -> None:
    assert title_key("chair of cardiovascular medicine") == "chair"
    assert title_key("chief of cardiovascular medicine") == "head"
    assert title_key("former head of the agency") == "former head"


# --- learned combination (story-level "do these two sources disagree") --------------------------------


def _fitted(**weights: float) -> dict[str, object]:
    names = list(combination.FEATURES)
    return {
        "features": names,
        "mean": [0.0] * len(names),
        "scale": [1.0] * len(names),
        "coef": [weights.get(n, 0.0) for n in names],
        "intercept": -1.0,
        "threshold": 0.5,
    }


def test_combination_features_count_kinds_and_unsupported_figures_and_names() -> None:
    found = [
        Disagreement(None, "number", [ValueSources("10", ["a"]), ValueSources("3", ["b"])], ""),
        Disagreement(None, "negation", [ValueSources("yes", ["a"]), ValueSources("no", ["b"])], ""),
    ]
    b_names = [Mention(n, n, "GPE", "b", 0, 0, len(n)) for n in ("Oslo", "Kesmeli")]
    a_text = "Ten people were killed in Kesmeli."
    row = combination.features(found, [a_text], ["At least 300 people died in Oslo and Kesmeli."], b_names)
    assert set(row) == set(combination.FEATURES)
    assert row["kind_number"] > 0 and row["kind_negation"] > 0 and row["kind_date"] == row["kind_other"] == 0
    assert row["unsupported_numbers"] > 0  # 300 is no count of A
    assert row["unsupported_names"] > 0  # Oslo is not in A; Kesmeli is
    same = combination.features([], [a_text], [a_text], [])
    assert same["unsupported_numbers"] == 0 and same["unsupported_names"] == 0
    assert same["least_similarity"] > row["least_similarity"]


def test_combination_score_follows_its_weights_and_threshold() -> None:
    fitted = _fitted(kind_number=3.0)
    quiet = {n: 0.0 for n in combination.FEATURES}
    loud = {**quiet, "kind_number": 1.0}
    assert combination.score(loud, fitted) > combination.score(quiet, fitted)
    assert combination.confident(loud, fitted) and not combination.confident(quiet, fitted)


def test_shipped_combination_names_every_feature_once() -> None:
    fitted = combination.coefficients()
    assert fitted["features"] == list(combination.FEATURES)
    assert len(fitted["coef"]) == len(fitted["mean"]) == len(fitted["scale"]) == len(combination.FEATURES)
    assert 0.0 < float(fitted["threshold"]) < 1.0


def _done_to(
    article_id: str, doer: str, verb: str, lemma: str, person: str, day: str, iso: str
) -> AnalysedArticle:
    text = f"{doer} {verb} {person} on {day}."
    doc = make_doc(article_id, text, published="2023-09-16")
    claim(doc, 0, text.rstrip("."), lemma, subject=doer, object=person)
    mention(doc, 0, person)
    start, end = _span(doc, 0, f"on {day}")
    doc.times.append(TimeRef(f"on {day}", iso, article_id, 0, start, end, verb=lemma))
    return doc


def test_the_day_something_was_done_to_one_named_person() -> None:
    # other verb, other doer, not aligned: still the day Wynn joined the team
    a = _done_to("a", "New Orleans", "picked up", "pick", "DeShawn Wynn", "Monday", "2023-09-11")
    b = _done_to("b", "The Saints", "signed", "sign", "DeShawn Wynn", "Tuesday", "2023-09-12")
    found = run(a, b)
    assert [d.kind for d in found] == ["date"]
    assert values(found[0]) == {"2023-09-11 (on Monday)": ["a"], "2023-09-12 (on Tuesday)": ["b"]}
    # another person, or an article dating two things done to him on two days, is not compared
    assert not run(a, _done_to("c", "The Saints", "signed", "sign", "Joique Bell", "Tuesday", "2023-09-12"))
    d = _done_to("d", "The Saints", "signed", "sign", "DeShawn Wynn", "Tuesday", "2023-09-12")
    d2 = make_doc(
        "d", d.article.text + " The Saints released DeShawn Wynn on Friday.", published="2023-09-16"
    )
    d2.claims, d2.mentions, d2.times = d.claims, d.mentions, d.times
    claim(
        d2,
        1,
        "The Saints released DeShawn Wynn on Friday",
        "release",
        subject="The Saints",
        object="DeShawn Wynn",
    )
    mention(d2, 1, "DeShawn Wynn")
    start, end = _span(d2, 1, "on Friday")
    d2.times.append(TimeRef("on Friday", "2023-09-15", "d", 1, start, end, verb="release"))
    assert not run(a, d2)
