"""Disagreements between the sources of a fact: real conflicts are flagged, everything else stays quiet."""

from __future__ import annotations

import re

import pytest
from tests.helpers import make_doc

from storyweave.analyse.quotes import find_quotes
from storyweave.model import AnalysedArticle, Disagreement, Entity, Fact, Mention, Story, TimeRef, Variant
from storyweave.reconcile.disagreements import find_disagreements

# An invented earthquake, reported by a wire service (copied by a regional paper), a broadcaster and
# a local site.
WIRE = (
    "Twelve people were killed when a magnitude 6.1 earthquake struck the hill town of Kesmeli "
    "before dawn.\n"
    "More than 3,000 homes were destroyed and the quake left 1.2 million people without power.\n"
    "The fires that followed burned 400 hectares of farmland near the town."
)
REPRINT = (
    "Fifteen people were killed when a magnitude 6.1 earthquake struck the hill town of Kesmeli "
    "before dawn.\n"
    "More than 3,000 homes were destroyed and the quake left 1.2 million people without power."
)
BROADCAST = (
    "The magnitude 6.1 earthquake that struck Kesmeli before dawn killed 15 people, officials said.\n"
    "The quake destroyed 3,200 homes and left 1,200,000 people without power.\n"
    "The fires that followed burned 1,000 acres of farmland near the town."
)
LOCAL = (
    "People were killed when a magnitude 6.1 earthquake struck the hill town of Kesmeli before dawn.\n"
    "Twelve people were killed and 40 were injured, the mayor said.\n"
    "The fires that followed burned farmland near the town."
)
AGENCY = (
    "Twelve people were killed and 38 were injured, the regional governor said.\n"
    "Fifteen people were injured in the town, the governor added."
)


def docs_of(*docs: AnalysedArticle) -> dict[str, AnalysedArticle]:
    return {d.id: d for d in docs}


def fact(fact_id: str, *sentences: tuple[AnalysedArticle, int]) -> Fact:
    variants = [
        Variant(source=d.id, text=d.sentences[i].text, sentence_id=d.sentences[i].id) for d, i in sentences
    ]
    sources = sorted({v.source for v in variants})
    return Fact(
        id=fact_id,
        text=variants[0].text,
        sources=sources,
        independent_sources=len(sources),
        variants=variants,
    )


@pytest.fixture(scope="module")
def quake() -> dict[str, AnalysedArticle]:
    return docs_of(
        make_doc("wire", WIRE),
        make_doc("reprint", REPRINT),
        make_doc("broadcast", BROADCAST),
        make_doc("local", LOCAL),
        make_doc("agency", AGENCY),
    )


@pytest.fixture(scope="module")
def story() -> Story:
    return Story(
        id="s1",
        article_ids=["wire", "reprint", "broadcast", "local", "agency"],
        syndication={"wire": "g-wire", "reprint": "g-wire"},
    )


def test_a_death_toll_conflict_is_flagged_with_who_says_what(
    quake: dict[str, AnalysedArticle], story: Story
) -> None:
    toll = fact("f1", (quake["wire"], 0), (quake["broadcast"], 0))
    (found,) = find_disagreements([toll], quake, story)
    assert found.fact_id == "f1" and found.kind == "number"
    assert [(v.value, v.sources) for v in found.values] == [("twelve", ["wire"]), ("15", ["broadcast"])]
    assert found.note == "Sources differ on the number of people killed: twelve vs 15."


def test_two_copies_in_one_syndication_group_never_disagree(
    quake: dict[str, AnalysedArticle], story: Story
) -> None:
    copies = fact("f1", (quake["wire"], 0), (quake["reprint"], 0))
    assert find_disagreements([copies], quake, story) == []
    # a third, independent source that states no number does not make the copies' difference a conflict
    with_local = fact("f2", (quake["wire"], 0), (quake["reprint"], 0), (quake["local"], 0))
    assert find_disagreements([with_local], quake, story) == []


def test_agreeing_notations_and_approximate_figures_are_not_conflicts(
    quake: dict[str, AnalysedArticle], story: Story
) -> None:
    # "more than 3,000" vs "3,200" homes; "1.2 million" vs "1,200,000" people
    homes = fact("f1", (quake["wire"], 1), (quake["broadcast"], 1))
    assert find_disagreements([homes], quake, story) == []


def test_a_variant_that_omits_the_number_is_not_flagged(
    quake: dict[str, AnalysedArticle], story: Story
) -> None:
    omitted = fact("f1", (quake["wire"], 0), (quake["local"], 0))
    assert find_disagreements([omitted], quake, story) == []


def test_quantities_in_different_units_are_not_compared(
    quake: dict[str, AnalysedArticle], story: Story
) -> None:
    fires = fact("f1", (quake["wire"], 2), (quake["broadcast"], 2), (quake["local"], 2))
    assert find_disagreements([fires], quake, story) == []


def test_only_the_count_that_differs_is_flagged_when_a_sentence_has_several(
    quake: dict[str, AnalysedArticle], story: Story
) -> None:
    # killed 12 vs 12 agree; injured 40 vs 38 differ
    toll = fact("f1", (quake["local"], 1), (quake["agency"], 0))
    (found,) = find_disagreements([toll], quake, story)
    assert [(v.value, v.sources) for v in found.values] == [("38", ["agency"]), ("40", ["local"])]
    assert "people injured" in found.note


def test_counts_of_different_things_are_not_compared(quake: dict[str, AnalysedArticle], story: Story) -> None:
    # "Twelve people were killed" vs "Fifteen people were injured": different counts, not a conflict
    mixed = fact("f1", (quake["wire"], 0), (quake["agency"], 1))
    assert find_disagreements([mixed], quake, story) == []


# An invented corporate merger: the date of the board vote.
MERGER_A = "The boards of Halvard Shipping and Nordlys Freight approved the merger on Tuesday."
MERGER_B = "Halvard Shipping and Nordlys Freight said their boards approved the merger on Monday."
MERGER_C = (
    "The boards of Halvard Shipping and Nordlys Freight approved the merger on Tuesday, a day after talks "
    "ended on Monday."
)


def with_times(doc: AnalysedArticle, *refs: tuple[str, str, bool]) -> AnalysedArticle:
    """``doc`` with TimeRefs (expression, ISO value, estimated) placed in its first sentence."""
    times = []
    for expression, value, estimated in refs:
        start = doc.article.text.index(expression)
        times.append(
            TimeRef(
                text=expression,
                value=value,
                article_id=doc.id,
                sentence_index=0,
                start=start,
                end=start + len(expression),
                estimated=estimated,
            )
        )
    return AnalysedArticle(article=doc.article, sentences=doc.sentences, mentions=doc.mentions, times=times)


def merger_docs(estimated_b: bool = False) -> dict[str, AnalysedArticle]:
    return docs_of(
        with_times(make_doc("a", MERGER_A), ("on Tuesday", "2024-03-12", False)),
        with_times(make_doc("b", MERGER_B), ("on Monday", "2024-03-11", estimated_b)),
        with_times(
            make_doc("c", MERGER_C), ("on Tuesday", "2024-03-12", False), ("on Monday", "2024-03-11", False)
        ),
    )


MERGER_STORY = Story(id="m", article_ids=["a", "b", "c"])


def test_differing_dates_of_one_granularity_are_flagged() -> None:
    docs = merger_docs()
    vote = fact("f9", (docs["a"], 0), (docs["b"], 0))
    (found,) = find_disagreements([vote], docs, MERGER_STORY)
    assert found.kind == "date"
    assert [(v.value, v.sources) for v in found.values] == [("2024-03-11", ["b"]), ("2024-03-12", ["a"])]
    assert found.note == 'Sources differ on the date: 2024-03-11 ("on Monday") vs 2024-03-12 ("on Tuesday").'


def test_dates_resolved_from_an_estimated_publication_date_are_not_trusted() -> None:
    docs = merger_docs(estimated_b=True)
    vote = fact("f9", (docs["a"], 0), (docs["b"], 0))
    assert find_disagreements([vote], docs, MERGER_STORY) == []


def test_a_sentence_with_two_dates_of_one_kind_is_too_ambiguous_to_flag() -> None:
    docs = merger_docs()
    vote = fact("f9", (docs["b"], 0), (docs["c"], 0))
    assert find_disagreements([vote], docs, MERGER_STORY) == []


# An invented landslide: one source dates the rescue work, another the disaster itself.
SLIDE_RESCUE = (
    "Rescue teams in Tovarra were still digging through buried houses on Friday, a day after a landslide "
    "killed 15 people."
)
SLIDE_STRUCK = "A landslide struck the mountain village of Tovarra on Thursday, killing at least 12 people."
SLIDE_REWORDED = "Officials said the deadly landslide struck on Wednesday."


def test_dates_of_different_events_in_one_fact_are_not_flagged() -> None:
    docs = docs_of(
        with_times(make_doc("r", SLIDE_RESCUE), ("on Friday", "2024-05-10", False)),
        with_times(make_doc("s", SLIDE_STRUCK), ("on Thursday", "2024-05-09", False)),
    )
    slide = fact("f5", (docs["r"], 0), (docs["s"], 0))
    # "at least 12" killed is consistent with 15 killed, and Friday dates the rescue, not the landslide
    assert find_disagreements([slide], docs, Story(id="l", article_ids=["r", "s"])) == []


def test_reworded_sentences_dating_the_same_verb_are_compared() -> None:
    docs = docs_of(
        with_times(make_doc("s", SLIDE_STRUCK), ("on Thursday", "2024-05-09", False)),
        with_times(make_doc("o", SLIDE_REWORDED), ("on Wednesday", "2024-05-08", False)),
    )
    slide = fact("f5", (docs["s"], 0), (docs["o"], 0))
    (found,) = find_disagreements([slide], docs, Story(id="l", article_ids=["s", "o"]))
    assert (found.kind, [v.value for v in found.values]) == ("date", ["2024-05-08", "2024-05-09"])


# An invented court ruling: did the minister attend the hearing?
COURT = {
    "x": "The interior minister did not attend the hearing at the supreme court in Valmora on Thursday.",
    "y": "The interior minister attended the hearing at the supreme court in Valmora on Thursday.",
    "z": "The minister said she would not appeal and attended the hearing at the supreme court in Valmora.",
    "w": "The interior minister attended the hearing at the supreme court in Valmora on Thursday.",
}


@pytest.fixture(scope="module")
def court() -> dict[str, AnalysedArticle]:
    return docs_of(*(make_doc(k, v) for k, v in COURT.items()))


def test_a_negated_main_predicate_is_flagged(court: dict[str, AnalysedArticle]) -> None:
    story = Story(id="c", article_ids=list(COURT), syndication={"y": "g1", "w": "g1"})
    hearing = fact("f3", (court["x"], 0), (court["y"], 0), (court["w"], 0))
    (found,) = find_disagreements([hearing], court, story)
    assert found.kind == "negation"
    assert [(v.value, v.sources) for v in found.values] == [
        ("The interior minister attended", ["w", "y"]),
        ("The interior minister did not attend", ["x"]),
    ]


def test_a_negation_in_a_clause_the_other_variant_lacks_is_not_flagged(
    court: dict[str, AnalysedArticle],
) -> None:
    story = Story(id="c", article_ids=list(COURT))
    hearing = fact("f3", (court["z"], 0), (court["y"], 0))
    assert find_disagreements([hearing], court, story) == []


def test_output_is_deterministic_and_in_fact_order(quake: dict[str, AnalysedArticle], story: Story) -> None:
    facts = [
        fact("f2", (quake["local"], 1), (quake["agency"], 0)),
        fact("f1", (quake["broadcast"], 0), (quake["wire"], 0)),
    ]
    first = find_disagreements(facts, quake, story)
    again = find_disagreements(list(facts), quake, story)
    assert [d.fact_id for d in first] == ["f2", "f1"]
    assert [d.to_dict() for d in first] == [d.to_dict() for d in again]
    assert all(isinstance(d, Disagreement) and d.note.endswith(".") for d in first)


def pair_disagreements(a: str, b: str) -> list[Disagreement]:
    """Disagreements of a two-source fact made of one sentence from each of two independent outlets."""
    docs = docs_of(make_doc("a", a), make_doc("b", b))
    return find_disagreements(
        [fact("p", (docs["a"], 0), (docs["b"], 0))], docs, Story(id="p", article_ids=["a", "b"])
    )


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Between 10 and 15 people were killed in the blast.", "Twelve people were killed in the blast."),
        ("The death toll rose to 15 from 12 on Monday.", "The death toll stood at 12, officials said."),
        ("The carrier was fined $5m by regulators.", "The carrier, worth $3bn, was fined by regulators."),
        ("Turnout was 60% in 2021 and 55% this year.", "Turnout was 55%, the election commission said."),
        ("At least 12 people died and 40 were injured.", "The flood killed 15 people and injured 40."),
        (
            "The driver, 59, was killed in the crash.",
            "Two people, including the driver, were killed in the crash.",
        ),
        ("The strike lasted five hours, the union said.", "The strike lasted more than four hours."),
        (
            "The convoy travelled 1,180 km to the border.",
            "The convoy travelled about 1,200 kilometres to the border.",
        ),
        ("The ferry sank with 130 passengers aboard.", "The ferry sank with 8 crew members aboard."),
        # a source that states the other's figure elsewhere in its article does not dispute it
        ("Exports reached 40 tonnes in May.\nThe ministry expects 45 tonnes in June.",
         "Exports reached 45 tonnes in June, the ministry said."),
        ("The protest has lasted three weeks.", "In the past two weeks, the protest spread to the capital."),
    ],
)
def test_no_false_alarms_on_compatible_or_incomparable_figures(a: str, b: str) -> None:
    assert pair_disagreements(a, b) == []


@pytest.mark.parametrize(
    ("a", "b", "values", "what"),
    [
        ("The flood killed 12 people in the valley.",
         "The death toll in the valley rose to 15, officials said.", ["12", "15"], "people killed"),
        ("Twelve people, including three children, were killed.",
         "The flood killed 15 people, including three children.", ["twelve", "15"], "people killed"),
        ("The envoy arrived in Tallinn two days before the vote.",
         "The envoy arrived in Tallinn three days before the vote.", ["two", "three"], "days"),
        ("A magnitude 6.4 earthquake struck the coast.", "A 6.1-magnitude earthquake struck the coast.",
         ["6.1", "6.4"], "magnitude"),
        ("Since then 457 deaths have been reported in 21 countries.",
         "Since then, 457 deaths were recorded in 22 countries.", ["21", "22"], "countries"),
        ("The court sentenced him to 10 years in prison.", "The court sentenced him to 12 years in prison.",
         ["10", "12"], "years"),
    ],
)  # fmt: skip
def test_real_number_conflicts_are_flagged(a: str, b: str, values: list[str], what: str) -> None:
    (found,) = pair_disagreements(a, b)
    assert found.kind == "number"
    assert [v.value for v in found.values] == values
    assert what in found.note


# --------------------------------------------------------------------------------------------------
# Names, quotation wording and attribution (mentions and quotes built from the text, no spaCy)


def analysed(article_id: str, body: str, names: dict[str, str]) -> AnalysedArticle:
    """``make_doc`` plus a mention for every occurrence of each name (name -> spaCy label) and the quotes
    the real quote finder reads from the text."""
    doc = make_doc(article_id, body)
    text = doc.article.text
    mentions = []
    for name, label in names.items():
        for match in re.finditer(re.escape(name), text):
            sentence = next(s for s in doc.sentences if s.start <= match.start() < s.end)
            mentions.append(
                Mention(text=name, name=name, label=label, article_id=article_id,
                        sentence_index=sentence.index, start=match.start(), end=match.end())
            )  # fmt: skip
    mentions.sort(key=lambda m: m.start)
    quotes = find_quotes(doc.article, doc.sentences, mentions)
    return AnalysedArticle(article=doc.article, sentences=doc.sentences, mentions=mentions, quotes=quotes)


PEOPLE = {
    "Anna Berg": "PERSON", "Lena Holm": "PERSON", "Oslo": "GPE", "Maria Olsen": "PERSON",
    "Piotr Nowak": "PERSON", "Ewa Zielinska": "PERSON", "Baltic Steel": "ORG", "Gdansk": "GPE",
}  # fmt: skip


def pair_of(a: str, b: str, story: Story | None = None) -> list[Disagreement]:
    """Disagreements of a fact made of the first sentences of two outlets' texts."""
    docs = docs_of(analysed("a", a, PEOPLE), analysed("b", b, PEOPLE))
    return find_disagreements(
        [fact("p", (docs["a"], 0), (docs["b"], 0))], docs, story or Story(id="p", article_ids=["a", "b"])
    )


TRIP = "Foreign Minister {} will travel to Oslo on Monday for talks on the fishing dispute."


def test_a_different_person_in_the_same_role_is_a_name_disagreement() -> None:
    (found,) = pair_of(TRIP.format("Anna Berg"), TRIP.format("Lena Holm"))
    assert found.kind == "name"
    assert [(v.value, v.sources) for v in found.values] == [("Anna Berg", ["a"]), ("Lena Holm", ["b"])]
    assert found.note == "Sources name a different person here: Anna Berg vs Lena Holm."


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # the other source names the first person too: two people, not a swap
        (TRIP.format("Anna Berg"), TRIP.format("Lena Holm") + "\nAnna Berg will stay in Stockholm."),
        # different statements that happen to name different people
        (TRIP.format("Anna Berg"), "Lena Holm met fishermen in the port of Tromsø to hear their complaints."),
        # the same person
        (TRIP.format("Anna Berg"), "Minister Anna Berg travels to Oslo on Monday for fishing talks."),
    ],
)
def test_names_that_are_not_swaps_are_not_flagged(a: str, b: str) -> None:
    assert pair_of(a, b) == []


def test_copies_in_one_syndication_group_never_disagree_on_names() -> None:
    story = Story(id="p", article_ids=["a", "b"], syndication={"a": "g", "b": "g"})
    assert pair_of(TRIP.format("Anna Berg"), TRIP.format("Lena Holm"), story) == []


def test_spelling_variants_resolved_to_one_entity_are_one_name() -> None:
    class Index:
        def lookup(self, article_id: str, name: str) -> Entity | None:
            key = "berg" if name in ("Anna Berg", "Lena Holm") else name  # both spellings: one entity
            return Entity(id=key, name="Anna Berg", type="PERSON")

    a, b = analysed("a", TRIP.format("Anna Berg"), PEOPLE), analysed("b", TRIP.format("Lena Holm"), PEOPLE)
    docs = docs_of(a, b)
    trip = fact("p", (docs["a"], 0), (docs["b"], 0))
    assert find_disagreements([trip], docs, Story(id="p", article_ids=["a", "b"]), Index()) == []


JOBS = '"We will cut {} jobs at the Gdansk plant by the end of next year," chief executive Maria Olsen said.'


def test_a_quotation_with_a_different_figure_is_a_quote_wording_disagreement() -> None:
    (found,) = pair_of(JOBS.format("3,000"), JOBS.format("300"))
    # in one fact, the sentence-level number check reports it once and the quote check adds no duplicate
    assert found.kind == "number"
    a = analysed("a", "Baltic Steel announced cuts on Monday.\n" + JOBS.format("3,000"), PEOPLE)
    b = analysed("b", "Baltic Steel unveiled its plan on Monday.\n" + JOBS.format("300"), PEOPLE)
    docs = docs_of(a, b)
    # the quotes' sentences sit in two different facts: only the quote check can see the conflict
    facts = [fact("f1", (a, 0), (b, 0)), fact("f2", (a, 1)), fact("f3", (b, 1))]
    (quoted,) = find_disagreements(facts, docs, Story(id="s", article_ids=["a", "b"]))
    assert quoted.kind == "quote-wording" and quoted.fact_id == "f2"
    assert [v.sources for v in quoted.values] == [["a"], ["b"]]
    assert quoted.values[0].value.startswith("We will cut 3,000 jobs")
    assert quoted.note == "Sources quote Maria Olsen differently: 3,000 jobs vs 300 jobs."


def test_a_negated_quotation_is_flagged_and_rewordings_are_not() -> None:
    said = '"We will {}close the Gdansk plant while I am in charge of this company," said Maria Olsen.'
    reworded = '"We are going to close the plant in Gdansk while I lead this company," said Maria Olsen.'
    trimmed = '"We will close the Gdansk plant," said Maria Olsen.'
    a = analysed("a", "Baltic Steel met unions on Monday.\n" + said.format("not "), PEOPLE)
    b = analysed("b", "Baltic Steel held talks on Monday.\n" + said.format(""), PEOPLE)
    c = analysed("c", "The unions met Baltic Steel on Monday.\n" + reworded, PEOPLE)
    d = analysed("d", "Unions and Baltic Steel met on Monday.\n" + trimmed, PEOPLE)
    docs = docs_of(a, b, c, d)
    story = Story(id="s", article_ids=["a", "b", "c", "d"])
    facts = [fact("f1", (a, 0), (b, 0)), *(fact(f"q{x.id}", (x, 1)) for x in (a, b, c, d))]
    found = {tuple(s for v in f.values for s in v.sources): f for f in find_disagreements(facts, docs, story)}
    # the negated wording conflicts with the plain one and with its trimmed version ...
    assert found[("a", "b")].kind == found[("a", "d")].kind == "quote-wording"
    assert found[("a", "b")].note == (
        'Sources quote Maria Olsen differently: "We will not close" vs "We will close".'
    )
    # ... while the affirmative wordings, reworded or trimmed, never conflict with one another
    assert not {pair for pair in found if "a" not in pair}


STATEMENT = '"Baltic Steel has misled its workers for two years about the state of its finances," {} said.'


def test_the_same_words_from_two_named_people_are_an_attribution_disagreement() -> None:
    a = analysed("a", STATEMENT.format("union leader Piotr Nowak"), PEOPLE)
    b = analysed("b", STATEMENT.format("labour minister Ewa Zielinska"), PEOPLE)
    docs = docs_of(a, b)
    (found,) = find_disagreements([fact("f1", (a, 0), (b, 0))], docs, Story(id="s", article_ids=["a", "b"]))
    assert found.kind == "attribution"
    assert [(v.value, v.sources) for v in found.values] == [("Piotr Nowak", ["a"]), ("Ewa Zielinska", ["b"])]
    assert found.note.endswith("Piotr Nowak vs Ewa Zielinska.")


@pytest.mark.parametrize(
    "other",
    [
        # a speaker resolved from a pronoun is too weak to contradict a named one
        "Ewa Zielinska met the workers on Friday.\n" + STATEMENT.format("she"),
        # an organisation speaking for its members is not another person
        STATEMENT.replace("{} said", "said Baltic Steel"),
        # a short phrase anyone may use
        'The crisis will last "a few more weeks," Ewa Zielinska said.',
    ],
)
def test_weak_or_partial_attributions_are_not_flagged(other: str) -> None:
    a = analysed("a", "Workers protested on Friday.\n" + STATEMENT.format("union leader Piotr Nowak"), PEOPLE)
    b = analysed("b", "Workers protested on Friday.\n" + other, PEOPLE)
    docs = docs_of(a, b)
    facts = [fact("f1", (a, 0), (b, 0)), fact("f2", (a, 1))]
    facts += [fact(f"f{3 + i}", (b, i)) for i in range(1, len(b.sentences))]
    assert [d.kind for d in find_disagreements(facts, docs, Story(id="s", article_ids=["a", "b"]))] == []


def test_a_short_form_of_the_speakers_name_is_the_same_person() -> None:
    a = analysed("a", STATEMENT.format("union leader Piotr Nowak"), {"Piotr Nowak": "PERSON"})
    b = analysed("b", STATEMENT.format("union leader Nowak"), {"Nowak": "PERSON"})
    assert (a.quotes[0].speaker, b.quotes[0].speaker) == ("Piotr Nowak", "Nowak")
    docs = docs_of(a, b)
    facts = [fact("f1", (a, 0), (b, 0))]
    assert find_disagreements(facts, docs, Story(id="s", article_ids=["a", "b"])) == []
