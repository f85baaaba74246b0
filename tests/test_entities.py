"""Cross-article entity reconciliation (storyweave.reconcile.entities) on invented stories.

Mentions are placed by hand where spaCy would put them (labels included, its mistakes too), so each test
checks the reconciliation rules and not the NER model.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

from tests.helpers import make_doc

from storyweave.analyse.names import normalise_name
from storyweave.model import AnalysedArticle, Entity, Mention, Story
from storyweave.reconcile import EntityIndex, reconcile_entities


def tag(
    article_id: str,
    body: str,
    labels: dict[str, str],
    overrides: dict[tuple[str, int], str] | None = None,
    raw_names: bool = False,
) -> AnalysedArticle:
    """An analysed article whose mentions are every whole-word occurrence of the surfaces in ``labels``.

    Longer surfaces claim their text first ("Ruth Okafor" before "Okafor"); ``overrides`` gives the
    n-th occurrence of a surface another label (spaCy's errors); ``raw_names`` keeps the name as written
    (a naive extractor that does not normalise).
    """
    doc = make_doc(article_id, body)
    text = doc.article.text
    taken: list[tuple[int, int]] = []
    mentions: list[Mention] = []
    for surface in sorted(labels, key=len, reverse=True):
        occurrence = 0
        for match in re.finditer(r"(?<!\w)" + re.escape(surface) + r"(?!\w)", text):
            start, end = match.span()
            if any(s < end and start < e for s, e in taken):
                continue
            taken.append((start, end))
            label = (overrides or {}).get((surface, occurrence), labels[surface])
            occurrence += 1
            sentence = next(s for s in doc.sentences if s.start <= start < s.end)
            mentions.append(
                Mention(
                    text=surface,
                    name=surface if raw_names else normalise_name(surface),
                    label=label,
                    article_id=article_id,
                    sentence_index=sentence.index,
                    start=start,
                    end=end,
                )
            )
    doc.mentions = sorted(mentions, key=lambda m: m.start)
    return doc


def story_of(docs: list[AnalysedArticle], syndication: dict[str, str] | None = None) -> Story:
    return Story(id="s1", article_ids=[d.id for d in docs], syndication=syndication or {})


def named(index: EntityIndex, name: str) -> Entity:
    matches = [e for e in index.entities if e.name == name]
    assert len(matches) == 1, [e.name for e in index.entities]
    return matches[0]


def alias_texts(entity: Entity) -> set[str]:
    return {a.text for a in entity.aliases}


# --------------------------------------------------------------------------------------------------
# A climate summit: three outlets spell Macron right, one regional paper (and its syndicated copy) not.

SUMMIT_LABELS = {
    "Emmanuel Macron": "PERSON",
    "Emmanuel Macron’s": "PERSON",
    "Emanuel Macron": "PERSON",
    "Mr. Macron": "PERSON",
    "Macron": "PERSON",
    "William Ruto": "PERSON",
    "Ruto": "PERSON",
    "Nairobi": "GPE",
    "French": "NORP",
}
SUMMIT = {
    "afp": (
        "French President Emmanuel Macron arrived in Nairobi on Monday for a two-day climate summit hosted "
        "by Kenyan President William Ruto.\n"
        "Macron said rich nations must pay more to poorer ones hit by droughts and floods."
    ),
    "lemonde": (
        "Emmanuel Macron told delegates in Nairobi that the summit must deliver money, not promises.\n"
        "Ruto thanked Mr. Macron for backing a global levy on shipping emissions."
    ),
    "dw": (
        "Emmanuel Macron’s speech in Nairobi was briefly interrupted by climate protesters.\n"
        "William Ruto later called the summit a turning point for Africa."
    ),
    "courier": (
        "Emanuel Macron urged development banks to lend more to African states.\n"
        "Emanuel Macron spoke for 20 minutes in Nairobi before meeting William Ruto."
    ),
    "courier-syndicated": (
        "Emanuel Macron urged development banks to lend more to African states.\n"
        "Emanuel Macron spoke for 20 minutes in Nairobi."
    ),
}


def summit_docs() -> list[AnalysedArticle]:
    return [tag(aid, body, SUMMIT_LABELS) for aid, body in SUMMIT.items()]


def test_misspelling_by_one_syndication_group_is_a_suspect_alias() -> None:
    docs = summit_docs()
    index = reconcile_entities(docs, story_of(docs, {"courier-syndicated": "courier"}))
    macron = named(index, "Emmanuel Macron")
    assert macron.type == "PERSON"
    assert {"Emmanuel Macron", "Emanuel Macron", "Macron"} <= alias_texts(macron)
    assert "Emmanuel Macron’s" not in alias_texts(macron)  # possessive stripped, not a separate alias
    assert [(s.text, s.sources, s.reason) for s in macron.suspect_aliases] == [
        ("Emanuel Macron", ["courier", "courier-syndicated"], "possible misspelling")
    ]
    counts = {a.text: (a.count, a.sources) for a in macron.aliases}
    assert counts["Emmanuel Macron"] == (3, ["afp", "dw", "lemonde"])
    assert counts["Emanuel Macron"] == (4, ["courier", "courier-syndicated"])
    # "Emanuel Macron" has more mentions, but fewer independent sources: it is not the canonical name
    assert macron.name == "Emmanuel Macron"


def test_misspelling_by_two_independent_sources_is_not_suspect() -> None:
    docs = summit_docs()
    index = reconcile_entities(docs, story_of(docs))  # the copy now counts as its own voice
    macron = named(index, "Emmanuel Macron")
    assert "Emanuel Macron" in alias_texts(macron)
    assert macron.suspect_aliases == []


def test_no_suspect_when_canonical_form_has_one_independent_source() -> None:
    docs = [tag(aid, SUMMIT[aid], SUMMIT_LABELS) for aid in ("afp", "courier")]
    index = reconcile_entities(docs, story_of(docs))
    macron = next(e for e in index.entities if "Emanuel Macron" in alias_texts(e))
    assert "Emmanuel Macron" in alias_texts(macron)
    assert macron.suspect_aliases == []


def test_norp_is_skipped_and_every_kept_mention_is_mapped() -> None:
    docs = summit_docs()
    index = reconcile_entities(docs, story_of(docs))
    assert all(e.type != "NORP" for e in index.entities)
    for doc in docs:
        for m in doc.mentions:
            entity_id = index.mention_entity.get((doc.id, m.start))
            if m.label == "NORP":
                assert entity_id is None
                continue
            entity = index.get(entity_id or "")
            assert entity is not None
            assert m.name in alias_texts(entity)
            assert index.entity_of(m) is entity
            # the pipeline resolves mentions by name: it must agree with the per-mention map
            assert index.lookup(doc.id, m.name) is entity


def test_ids_are_deterministic_and_ordered_by_mentions() -> None:
    docs = summit_docs()
    story = story_of(docs, {"courier-syndicated": "courier"})
    index = reconcile_entities(docs, story)
    shuffled = docs[:]
    random.Random(7).shuffle(shuffled)
    again = reconcile_entities(shuffled, story)
    assert [e.to_dict() for e in again.entities] == [e.to_dict() for e in index.entities]
    assert [e.id for e in index.entities] == [f"E{i}" for i in range(1, len(index.entities) + 1)]
    counts = [e.mention_count for e in index.entities]
    assert counts == sorted(counts, reverse=True)
    assert index.entities[0].name == "Emmanuel Macron"


def test_articles_outside_the_story_are_ignored() -> None:
    docs = summit_docs()
    index = reconcile_entities(docs, Story(id="s", article_ids=["afp", "dw"]))
    assert {s for e in index.entities for s in e.sources} == {"afp", "dw"}


# --------------------------------------------------------------------------------------------------
# A court ruling: a chaebol chairman, his father the founder, and an analyst who shares two name tokens.

COURT_LABELS = {
    "Park Tae-hyun": "PERSON",
    "Park Tae Hyun": "PERSON",
    "Park Tae-hyun’s": "PERSON",
    "Park Tae-il": "PERSON",
    "Park Tae-ik": "PERSON",
    "Park": "PERSON",
    "Hanseong Group": "ORG",
    "Hanseong": "ORG",
    "Seoul": "GPE",
}
COURT = {
    "yonhap": (
        "Hanseong Group chairman Park Tae-hyun was acquitted on Friday by a court in Seoul.\n"
        "Park Tae-hyun, 54, took over the group from his father Park Tae-il in 2014.\n"
        "Prosecutors had sought a five-year term for Park Tae-hyun. Park thanked the judges."
    ),
    "herald": (
        "Park Tae Hyun walked free on Friday after a two-year fraud trial in Seoul.\n"
        "His father, Park Tae-il, founded Hanseong in 1978. Park Tae Hyun did not speak to reporters."
    ),
    "ft": (
        "Park Tae-hyun’s acquittal lifted Hanseong shares 6 per cent in Seoul.\n"
        "“The ruling removes a cloud over the group,” said Park Tae-ik, an analyst at Mirae Securities.\n"
        "Park said investors had priced in a conviction."
    ),
}


def court_index() -> tuple[list[AnalysedArticle], EntityIndex]:
    docs = [tag(aid, body, COURT_LABELS) for aid, body in COURT.items()]
    return docs, reconcile_entities(docs, story_of(docs))


def test_father_son_and_namesake_stay_apart() -> None:
    _, index = court_index()
    son = named(index, "Park Tae-hyun")
    father = named(index, "Park Tae-il")
    analyst = named(index, "Park Tae-ik")
    assert len({son.id, father.id, analyst.id}) == 3
    assert "Park Tae Hyun" in alias_texts(son)  # hyphen/case variant: same person
    assert alias_texts(father) == {"Park Tae-il"}
    assert alias_texts(analyst) == {"Park Tae-ik"}
    assert son.suspect_aliases == []  # "Park Tae Hyun" is a normal variant, not a misspelling


def test_short_form_resolves_within_article_by_dominance() -> None:
    docs, index = court_index()
    son = named(index, "Park Tae-hyun")
    analyst = named(index, "Park Tae-ik")
    # yonhap names the son three times and the father once: its "Park" is the son
    assert index.lookup("yonhap", "Park") is son
    # ft names the son and the analyst once each, and the son dominates the story: still the son
    assert index.lookup("ft", "Park") is son
    assert index.lookup("ft", "Park Tae-ik") is analyst
    assert index.lookup("ft", "analyst Park Tae-ik") is analyst
    park = next(m for m in docs[0].mentions if m.text == "Park")
    assert index.mention_entity[("yonhap", park.start)] == son.id


def test_org_short_form_and_lookup_of_unknown_names() -> None:
    _, index = court_index()
    hanseong = named(index, "Hanseong Group")
    assert alias_texts(hanseong) == {"Hanseong Group", "Hanseong"}
    assert hanseong.type == "ORG"
    assert index.lookup("ft", "Hanseong") is hanseong
    assert index.lookup("ft", "he") is None
    assert index.lookup("ft", "Lee Jae-won") is None


# --------------------------------------------------------------------------------------------------
# A food-company sale: the chief executive and her son share a surname.

SALE_LABELS = {
    "Ruth Okafor": "PERSON",
    "Daniel Okafor": "PERSON",
    "Okafor": "PERSON",
    "Zenith Foods": "ORG",
    "Brightwell Inc.": "ORG",
    "Brightwell": "ORG",
}
SALE = {
    "wire": (
        "Zenith Foods chief executive Ruth Okafor agreed to sell the company to Brightwell Inc. for "
        "$2.1 billion.\n"
        "Okafor said the deal protects jobs. Her son Daniel Okafor, the finance chief, will leave."
    ),
    "business": (
        "Daniel Okafor said on Tuesday he would step down once the sale closes. Okafor joined in 2015."
    ),
    "local": (
        "Ruth Okafor founded Zenith Foods in a Lagos garage in 1991.\n"
        "Okafor declined to comment on the price Brightwell paid. Ruth Okafor will stay on as an adviser."
    ),
    "markets": "Shares of Brightwell rose 3 per cent after Okafor confirmed the sale.",
}


def test_ambiguous_short_form_is_not_linked() -> None:
    docs = [tag(aid, body, SALE_LABELS) for aid, body in SALE.items()]
    index = reconcile_entities(docs, story_of(docs))
    ruth = named(index, "Ruth Okafor")
    daniel = named(index, "Daniel Okafor")
    bare = named(index, "Okafor")
    # unambiguous in the article: only one candidate named there
    assert index.lookup("business", "Okafor") is daniel
    assert index.lookup("local", "Okafor") is ruth
    # the wire names both once, and neither dominates the story (3 against 2): left unresolved
    assert index.lookup("wire", "Okafor") is bare
    # the markets report names neither: story-wide there is no clear leader either
    assert index.lookup("markets", "Okafor") is bare
    assert bare.sources == ["markets", "wire"]
    assert "Okafor" in alias_texts(ruth) and "Okafor" in alias_texts(daniel)
    # ORG short form before a company suffix
    assert alias_texts(named(index, "Brightwell Inc.")) == {"Brightwell Inc.", "Brightwell"}


def test_dominant_candidate_takes_the_short_form() -> None:
    body = (
        "Ruth Okafor built Zenith Foods over three decades. Ruth Okafor sold it this week.\n"
        "Ruth Okafor said she would keep a seat on the board. Ruth Okafor is 67.\n"
        "Her son Daniel Okafor leaves the company. Okafor said the sale was the hardest decision of her life."
    )
    docs = [tag("profile", body, SALE_LABELS)]
    index = reconcile_entities(docs, story_of(docs))
    assert index.lookup("profile", "Okafor") is named(index, "Ruth Okafor")
    assert not any(e.name == "Okafor" for e in index.entities)


def test_different_short_forms_of_one_name_are_not_suspects() -> None:
    labels = {"Ana Sofia Ribeiro": "PERSON", "Ana Ribeiro": "PERSON", "Sofia Ribeiro": "PERSON"}
    docs = [
        tag(
            "a",
            "Ana Sofia Ribeiro was sworn in as Lisbon's mayor. Ana Ribeiro promised cheaper trams.",
            labels,
        ),
        tag("b", "Ana Ribeiro, 44, won 52 per cent of the vote.", labels),
        tag("c", "Sofia Ribeiro, as friends call her, trained as an engineer.", labels),
    ]
    index = reconcile_entities(docs, story_of(docs))
    # the canonical name is the full name most independent sources use ("Ana Ribeiro": a and b)
    mayor = named(index, "Ana Ribeiro")
    assert alias_texts(mayor) == {"Ana Sofia Ribeiro", "Ana Ribeiro", "Sofia Ribeiro"}
    assert mayor.suspect_aliases == []


def test_story_wide_single_candidate_links_short_form() -> None:
    docs = [
        tag("a", "Maja Lindqvist won the Stockholm marathon on Sunday.", {"Maja Lindqvist": "PERSON"}),
        tag("b", "Lindqvist finished in 2:21:40, a course record.", {"Lindqvist": "PERSON"}),
    ]
    index = reconcile_entities(docs, story_of(docs))
    assert [e.name for e in index.entities] == ["Maja Lindqvist"]
    assert index.lookup("b", "Lindqvist") is index.entities[0]


# --------------------------------------------------------------------------------------------------
# A tram derailment: a place tagged PERSON in one headline, a lowercase duplicate headline.


def test_entity_type_by_majority_fixes_mistagged_place() -> None:
    labels = {"Lisbon": "GPE", "Carris": "ORG", "Rui Tavares": "PERSON"}
    docs = [
        tag(
            "h",
            "Lisbon Tram Derails Near Cathedral\nA tram run by Carris derailed in Lisbon.",
            labels,
            overrides={("Lisbon", 0): "PERSON"},
        ),
        tag("i", "Three people were hurt when a tram derailed in central Lisbon on Sunday.", labels),
        tag("j", "Carris said the Lisbon tram had passed its last inspection in May.", labels),
        tag(
            "k",
            "Rui Tavares Orders Inquiry\nMayor Rui Tavares said the line would stay closed.",
            labels,
            overrides={("Rui Tavares", 0): "ORG"},
        ),
        tag("l", "Rui Tavares visited the injured in hospital.", labels),
    ]
    index = reconcile_entities(docs, story_of(docs))
    lisbon = named(index, "Lisbon")
    assert lisbon.type == "GPE"
    assert lisbon.mention_count == 4
    assert named(index, "Rui Tavares").type == "PERSON"  # a person tagged ORG in a headline


def test_label_tie_goes_to_longest_mention() -> None:
    docs = [
        tag("a", "U.N. inspectors reached the plant on Monday.", {"U.N.": "ORG"}),
        tag("b", "UN inspectors said the cooling system was intact.", {"UN": "GPE"}),
    ]
    index = reconcile_entities(docs, story_of(docs))
    assert len(index.entities) == 1
    assert (index.entities[0].name, index.entities[0].type) == ("U.N.", "ORG")


def test_lowercase_headline_duplicate_creates_no_entity() -> None:
    body = (
        "lisbon tram derails near cathedral\nA tram derailed in Lisbon on Sunday, the operator Carris said."
    )
    doc = tag("k", body, {"lisbon": "GPE", "Lisbon": "GPE", "Carris": "ORG"}, raw_names=True)
    assert any(m.name == "lisbon" for m in doc.mentions)
    index = reconcile_entities([doc], story_of([doc]))
    assert sorted(e.name for e in index.entities) == ["Carris", "Lisbon"]
    assert all(a.text != "lisbon" for e in index.entities for a in e.aliases)


# --------------------------------------------------------------------------------------------------
# Spelling rules in isolation


def test_transliteration_variant_is_alias_not_suspect() -> None:
    labels = {
        "Dmitry Volkov": "PERSON",
        "Dmitri Volkov": "PERSON",
        "Volodymyr Zelenskyy": "PERSON",
        "Volodymyr Zelenskiy": "PERSON",
        "Zelenskyy": "PERSON",
        "Zelenskiy": "PERSON",
    }
    docs = [
        tag("a", "Dmitry Volkov signed for Dynamo on Monday. Volodymyr Zelenskyy congratulated him.", labels),
        tag("b", "Dmitry Volkov will earn a club record salary.", labels),
        tag("c", "Dmitry Volkov scored twice last season. Volodymyr Zelenskyy attended.", labels),
        tag("d", "Dmitri Volkov joins from Shakhtar. Volodymyr Zelenskiy was not there.", labels),
        tag("e", "Zelenskiy praised the club. Zelenskyy later posted a photo.", labels),
    ]
    index = reconcile_entities(docs, story_of(docs))
    volkov = named(index, "Dmitry Volkov")
    assert "Dmitri Volkov" in alias_texts(volkov)
    assert volkov.suspect_aliases == []
    zelensky = named(index, "Volodymyr Zelenskyy")
    assert alias_texts(zelensky) == {"Volodymyr Zelenskyy", "Volodymyr Zelenskiy", "Zelenskyy", "Zelenskiy"}
    assert zelensky.suspect_aliases == []


def test_single_word_transliterations_merge() -> None:
    labels = {"Zelenskyy": "PERSON", "Zelenskiy": "PERSON"}
    docs = [
        tag("a", "Zelenskyy thanked the team in a video address.", labels),
        tag("b", "Zelenskiy said the win lifted spirits.", labels),
    ]
    index = reconcile_entities(docs, story_of(docs))
    assert len(index.entities) == 1
    assert alias_texts(index.entities[0]) == {"Zelenskyy", "Zelenskiy"}


def test_one_letter_apart_single_names_do_not_merge() -> None:
    labels = {"Iran": "GPE", "Iraq": "GPE"}
    docs = [
        tag("a", "Iran and Iraq signed a water-sharing deal on the Tigris.", labels),
        tag("b", "Iraq said Iran would release more water in summer.", labels),
    ]
    index = reconcile_entities(docs, story_of(docs))
    assert sorted(e.name for e in index.entities) == ["Iran", "Iraq"]


def test_siblings_named_side_by_side_by_independent_sources_stay_apart() -> None:
    labels = {"Maria Ruiz": "PERSON", "Marta Ruiz": "PERSON"}
    docs = [
        tag("a", "Maria Ruiz and her sister Marta Ruiz reached the doubles final in Madrid.", labels),
        tag("b", "Marta Ruiz served for the match before Maria Ruiz sealed it at the net.", labels),
    ]
    index = reconcile_entities(docs, story_of(docs))
    assert sorted(e.name for e in index.entities) == ["Maria Ruiz", "Marta Ruiz"]
    # two edits apart is two names even when one writer uses both
    pair = {"Christina Berg": "PERSON", "Christian Berg": "PERSON"}
    cousins = [tag("c", "Christina Berg beat her cousin Christian Berg in the final.", pair)]
    assert len(reconcile_entities(cousins, story_of(cousins)).entities) == 2
    # the same pair in syndicated copies of one dispatch is one voice: no evidence of two people
    merged = reconcile_entities(docs, story_of(docs, {"b": "a"}))
    assert len(merged.entities) == 1


def test_spelling_variants_of_different_kinds_do_not_merge() -> None:
    labels = {"Newport Beach": "GPE", "Newport Bench": "ORG"}
    docs = [
        tag("a", "Newport Bench, a furniture maker, moved its plant out of Newport Beach in March.", labels),
        tag("b", "Newport Beach officials said Newport Bench owed $2 million in taxes.", labels),
    ]
    index = reconcile_entities(docs, story_of(docs))
    assert sorted((e.name, e.type) for e in index.entities) == [
        ("Newport Beach", "GPE"),
        ("Newport Bench", "ORG"),
    ]


# --------------------------------------------------------------------------------------------------
# Acronyms: linked only when the story itself writes the full name


FOOD_LABELS = {
    "WFP": "ORG",
    "World Food Programme": "ORG",
    "IMF": "ORG",
    "International Monetary Fund": "ORG",
    "IMF Executive Board": "ORG",
    "International Monetary Fund Executive Board": "ORG",
    "Malawi": "GPE",
    "Lilongwe": "GPE",
}
FOOD = {
    "wire": (
        "The World Food Programme said on Monday it would double rations in Malawi after the floods.\n"
        "The International Monetary Fund Executive Board approved a $90 million loan for Malawi."
    ),
    "daily": "WFP trucks reached Lilongwe on Tuesday. The IMF Executive Board met a day earlier.",
    "radio": "WFP staff said the roads south of Lilongwe were still under water. IMF officials agreed.",
}


def test_acronym_joins_the_full_name_the_story_writes() -> None:
    docs = [tag(aid, body, FOOD_LABELS) for aid, body in FOOD.items()]
    index = reconcile_entities(docs, story_of(docs))
    wfp = named(index, "World Food Programme")
    assert alias_texts(wfp) == {"World Food Programme", "WFP"}
    # an acronym spelled out inside a longer name: the two boards are one entity
    board = next(e for e in index.entities if "IMF Executive Board" in alias_texts(e))
    assert alias_texts(board) == {"IMF Executive Board", "International Monetary Fund Executive Board"}
    # "IMF" alone: no "International Monetary Fund" mention, but the board's initials are not "IMF" either
    assert alias_texts(named(index, "IMF")) == {"IMF"}
    assert index.lookup("radio", "WFP") is wfp


def test_acronym_without_its_full_name_in_the_story_stays_alone() -> None:
    docs = [tag(aid, FOOD[aid], FOOD_LABELS) for aid in ("daily", "radio")]
    index = reconcile_entities(docs, story_of(docs))
    assert alias_texts(named(index, "WFP")) == {"WFP"}
    assert not any(len(alias_texts(e)) > 1 and "WFP" in alias_texts(e) for e in index.entities)


def test_acronym_prefers_a_full_name_of_its_own_kind_and_never_a_person() -> None:
    labels = {
        "PA": "ORG",
        "Press Association": "ORG",
        "Pine Avenue": "FAC",
        "Paula Andrade": "PERSON",
        "Cork": "GPE",
    }
    docs = [
        tag("a", "Paula Andrade told the Press Association the fire began on Pine Avenue in Cork.", labels),
        tag("b", "PA reported that Pine Avenue was closed. PA said two people were hurt.", labels),
    ]
    index = reconcile_entities(docs, story_of(docs))
    assert alias_texts(named(index, "Press Association")) == {"Press Association", "PA"}
    assert alias_texts(named(index, "Pine Avenue")) == {"Pine Avenue"}
    assert alias_texts(named(index, "Paula Andrade")) == {"Paula Andrade"}


def test_acronym_shared_by_two_names_of_one_kind_is_not_linked() -> None:
    labels = {"NRC": "ORG", "Nuclear Regulatory Commission": "ORG", "National Research Council": "ORG"}
    docs = [
        tag(
            "a",
            "The Nuclear Regulatory Commission and the National Research Council both reviewed the plan.",
            labels,
        ),
        tag("b", "NRC inspectors will visit the plant in May.", labels),
    ]
    index = reconcile_entities(docs, story_of(docs))
    assert alias_texts(named(index, "NRC")) == {"NRC"}


def test_acronym_tagged_person_is_typed_as_an_organisation() -> None:
    labels = {"ASEAN": "PERSON", "Jakarta": "GPE"}
    docs = [tag("a", "Leaders met in Jakarta for the ASEAN summit on Friday.", labels)]
    index = reconcile_entities(docs, story_of(docs))
    assert (named(index, "ASEAN").type, named(index, "Jakarta").type) == ("ORG", "GPE")


# --------------------------------------------------------------------------------------------------
# NER type errors fixed by consensus


def test_surname_tagged_org_links_to_the_person() -> None:
    labels = {"Ngozi Okonjo": "PERSON", "Okonjo": "ORG", "Abuja": "GPE"}
    docs = [
        tag("a", "Ngozi Okonjo was named finance minister in Abuja on Monday. Okonjo starts soon.", labels),
        tag("b", "Ngozi Okonjo, 61, led the debt talks of 2005.", labels),
        tag("c", "Okonjo said her first task was the fuel subsidy.", labels),
    ]
    index = reconcile_entities(docs, story_of(docs))
    okonjo = named(index, "Ngozi Okonjo")
    assert okonjo.type == "PERSON"
    assert alias_texts(okonjo) == {"Ngozi Okonjo", "Okonjo"}
    assert index.lookup("c", "Okonjo") is okonjo


def test_place_sharing_a_surname_stays_a_place() -> None:
    labels = {"Chester": "GPE", "Amy Chester": "PERSON"}
    docs = [
        tag("a", "Floods closed three roads in Chester on Sunday. Chester council opened a shelter.", labels),
        tag("b", "Rain gauges in Chester recorded 80 mm, said hydrologist Amy Chester.", labels),
    ]
    index = reconcile_entities(docs, story_of(docs))
    chester = named(index, "Chester")
    assert (chester.type, chester.mention_count) == ("GPE", 3)
    assert alias_texts(named(index, "Amy Chester")) == {"Amy Chester"}


def test_headline_labels_only_break_ties() -> None:
    labels = {"Tirana": "GPE", "Edi Rama": "PERSON"}
    docs = [
        tag(
            "a",
            "Tirana Flood Forces Hundreds From Homes\nWater rose in Tirana overnight.",
            labels,
            overrides={("Tirana", 0): "PERSON"},
        ),
        tag(
            "b",
            "Tirana Residents Return As Waters Recede\nEdi Rama Visits Shelters",
            labels,
            overrides={("Tirana", 0): "PERSON"},
        ),
    ]
    index = reconcile_entities(docs, story_of(docs))
    # two headline PERSON tags against one body GPE tag: the body wins
    assert named(index, "Tirana").type == "GPE"
    # a name seen only in headlines keeps its headline label
    assert named(index, "Edi Rama").type == "PERSON"


def test_headline_mention_swallowing_capitalised_words_is_trimmed() -> None:
    labels = {"Amara Diallo Wins": "PERSON", "Amara Diallo": "PERSON", "Dakar Votes Today": "ORG"}
    docs = [
        tag("a", "Amara Diallo Wins Second Term In Landslide\nAmara Diallo took 61 per cent.", labels),
        tag("b", "Amara Diallo wins a second term after a calm vote, officials said.", labels),
        tag("c", "Dakar Votes Today In Tense Poll\nTurnout was high in the capital.", labels),
    ]
    index = reconcile_entities(docs, story_of(docs))
    diallo = named(index, "Amara Diallo")
    assert alias_texts(diallo) == {"Amara Diallo"}
    assert diallo.mention_count == 3
    assert index.lookup("a", "Amara Diallo Wins") is diallo
    # no name of the running text inside it: left as it is
    assert [e.name for e in index.entities if "Dakar" in e.name] == ["Dakar Votes Today"]


def test_sentence_opening_the_is_not_part_of_the_name() -> None:
    labels = {"The Blue House": "ORG", "The Hague": "GPE", "Seoul": "GPE"}
    docs = [
        tag("a", "The Blue House said the talks in The Hague would resume.", labels),
        tag("b", "Officials in Seoul said The Hague had been chosen by both sides.", labels),
    ]
    index = reconcile_entities(docs, story_of(docs))
    assert named(index, "Blue House").type == "ORG"
    assert named(index, "The Hague").mention_count == 2


# --------------------------------------------------------------------------------------------------
# Short forms of places, facilities and organisations


def test_bare_name_links_to_its_facility_name() -> None:
    labels = {
        "Tanegashima Space Center": "FAC",
        "Tanegashima": "ORG",
    }
    docs = [
        tag("a", "The rocket lifted off from the Tanegashima Space Center on Sunday morning.", labels),
        tag("b", "Crowds watched the launch from a beach near Tanegashima.", labels),
        tag("c", "Officials said Tanegashima would host two more launches this year.", labels),
    ]
    index = reconcile_entities(docs, story_of(docs))
    centre = named(index, "Tanegashima Space Center")
    # the full name's label wins over the bare name's ORG
    assert centre.type == "FAC"
    assert alias_texts(centre) == {"Tanegashima Space Center", "Tanegashima"}
    assert index.lookup("b", "Tanegashima") is centre


def test_town_and_pacific_do_not_link_to_bodies_named_after_them() -> None:
    labels = {
        "Halden": "GPE",
        "Halden Police Department": "ORG",
        "Pacific": "LOC",
        "Pacific Fleet": "ORG",
        "Halden Institute": "ORG",
        "Halden Institute of Marine Research": "ORG",
    }
    docs = [
        tag(
            "a",
            "Halden Police Department said a Pacific Fleet veteran was missing off Halden.\n"
            "He had worked for the Halden Institute of Marine Research in the Pacific.",
            labels,
        ),
        tag("b", "Divers from the Halden Institute joined the search near Halden.", labels),
    ]
    index = reconcile_entities(docs, story_of(docs))
    assert alias_texts(named(index, "Halden")) == {"Halden"}
    assert alias_texts(named(index, "Pacific")) == {"Pacific"}
    assert alias_texts(named(index, "Halden Institute of Marine Research")) == {
        "Halden Institute",
        "Halden Institute of Marine Research",
    }


def test_name_qualified_by_another_name_of_the_story() -> None:
    labels = {"Bristol Rovers": "ORG", "Rovers": "ORG", "Bristol": "GPE", "Tar Heels": "ORG", "Heels": "ORG"}
    docs = [
        tag("a", "Bristol Rovers sacked their manager after a 4-0 defeat in Bristol.", labels),
        tag("b", "Rovers have lost six in a row. The Tar Heels fan club sent flowers.", labels),
        tag("c", "Heels supporters in the city said little.", labels),
    ]
    index = reconcile_entities(docs, story_of(docs))
    assert alias_texts(named(index, "Bristol Rovers")) == {"Bristol Rovers", "Rovers"}
    # "Tar" is no name of the story: "Heels" is left alone
    assert alias_texts(named(index, "Heels")) == {"Heels"}


def test_place_short_form_is_not_linked() -> None:
    labels = {"North Korea": "GPE", "South Korea": "GPE", "Korea": "GPE", "North": "LOC"}
    docs = [
        tag("a", "North Korea fired a missile on Monday. The North has tested 11 this year.", labels),
        tag("b", "North Korea said the test was routine. South Korea called it a provocation.", labels),
        tag("c", "Markets in Korea barely moved.", labels),
    ]
    index = reconcile_entities(docs, story_of(docs))
    assert alias_texts(named(index, "Korea")) == {"Korea"}
    assert alias_texts(named(index, "North Korea")) == {"North Korea"}


# --------------------------------------------------------------------------------------------------
# People: initials, shortened given names, chains of short forms


def test_chain_of_short_forms_resolves_story_wide() -> None:
    labels = {
        "W. Harold Ames Sr.": "PERSON",
        "W. Harold Ames": "PERSON",
        "Harold Ames": "PERSON",
        "Ames": "PERSON",
    }
    docs = [
        tag("a", "W. Harold Ames Sr., the founder of Ames Freight, died on Sunday aged 94.", labels),
        tag("b", "W. Harold Ames built the firm from one truck. Ames retired in 1995.", labels),
        tag("c", "W. Harold Ames was a fixture of Dayton life.", labels),
        tag("d", "Harold Ames never owned a car of his own. Ames liked to walk.", labels),
        tag("e", "Ames is survived by four children.", labels),
    ]
    index = reconcile_entities(docs, story_of(docs))
    assert len([e for e in index.entities if e.type == "PERSON"]) == 1
    ames = index.entities[0]
    # the full name most sources use, not the longest
    assert ames.name == "W. Harold Ames"
    assert alias_texts(ames) == {"W. Harold Ames Sr.", "W. Harold Ames", "Harold Ames", "Ames"}


def test_middle_initials_and_shortened_given_names() -> None:
    labels = {
        "Frederick C. Lanier": "PERSON",
        "Frederick Cole Lanier": "PERSON",
        "Fred Lanier": "PERSON",
        "Paul Okeke": "PERSON",
        "Paul R. Okeke": "PERSON",
    }
    docs = [
        tag("a", "Frederick C. Lanier, the judge, ruled for Paul R. Okeke on Friday.", labels),
        tag("b", "Frederick Cole Lanier has sat on the bench since 2004. Paul Okeke thanked him.", labels),
        tag("c", "Fred Lanier told the court he would publish his reasons.", labels),
    ]
    index = reconcile_entities(docs, story_of(docs))
    lanier = next(e for e in index.entities if "Fred Lanier" in alias_texts(e))
    assert alias_texts(lanier) == {"Frederick C. Lanier", "Frederick Cole Lanier", "Fred Lanier"}
    assert lanier.suspect_aliases == []
    okeke = next(e for e in index.entities if "Paul Okeke" in alias_texts(e))
    assert alias_texts(okeke) == {"Paul Okeke", "Paul R. Okeke"}


def test_name_with_an_initial_does_not_drop_another_initial() -> None:
    labels = {"Pedro A. J. Alves": "PERSON", "Pedro J. Alves": "PERSON"}
    docs = [
        tag("a", "Pedro A. J. Alves, the father, founded the bank.", labels),
        tag("b", "His son Pedro J. Alves runs it today.", labels),
    ]
    index = reconcile_entities(docs, story_of(docs))
    assert sorted(e.name for e in index.entities) == ["Pedro A. J. Alves", "Pedro J. Alves"]


def test_final_ie_and_y_spellings_merge_as_suspect() -> None:
    labels = {"Bettie Moss": "PERSON", "Betty Moss": "PERSON"}
    docs = [
        tag("a", "Bettie Moss, the photographer, died on Tuesday.", labels),
        tag("b", "Bettie Moss shot the 1962 cover.", labels),
        tag("c", "Betty Moss was 88.", labels),
    ]
    index = reconcile_entities(docs, story_of(docs))
    moss = named(index, "Bettie Moss")
    assert [(s.text, s.sources) for s in moss.suspect_aliases] == [("Betty Moss", ["c"])]


def test_leaders_of_one_family_stay_apart_with_all_rules_on() -> None:
    labels = {
        "Kim Song Chol": "PERSON",
        "Kim Song-il": "PERSON",
        "Kim Song-dae": "PERSON",
        "Kim": "PERSON",
        "KCNA": "ORG",
        "Korean Central News Agency": "ORG",
    }
    docs = [
        tag(
            "a",
            "Kim Song Chol inspected the plant, the Korean Central News Agency said. His late father "
            "Kim Song-il built it. Kim smiled.",
            labels,
        ),
        tag("b", "KCNA said Kim Song Chol gave guidance. Kim Song-dae, a scholar, was sceptical.", labels),
        tag("c", "Kim Song Chol left after an hour. Kim did not speak.", labels),
    ]
    index = reconcile_entities(docs, story_of(docs))
    people = {e.name: alias_texts(e) for e in index.entities if e.type == "PERSON"}
    assert people == {
        "Kim Song Chol": {"Kim Song Chol", "Kim"},
        "Kim Song-il": {"Kim Song-il"},
        "Kim Song-dae": {"Kim Song-dae"},
    }
    assert alias_texts(named(index, "Korean Central News Agency")) == {"Korean Central News Agency", "KCNA"}


# --------------------------------------------------------------------------------------------------
# The benchmark's scoring and data path (bench/entities.py), on a tiny invented topic in ECB+ format


def test_bench_b_cubed_on_known_clusters() -> None:
    from bench.entities import b_cubed

    # gold {0, 1} {2}; predicted {0} {1, 2}: per-mention P = 1, 1/2, 1/2 and R = 1/2, 1/2, 1
    assert b_cubed(["a", "a", "b"], [1, 2, 2]) == (2.0, 2.0, 3)


def test_bench_runs_reconciliation_on_gold_mentions(tmp_path: Path) -> None:
    from bench.entities import main

    rows = [
        ("1_1ecb", 0, "Maja Lindqvist", "PERSON", "HUM1", False),
        ("1_1ecb", 1, "Lindqvist", "ORG", "HUM1", False),
        ("1_1ecb", 1, "Stockholm", "GPE", "LOC1", False),
        ("1_1ecb", 1, "Sunday", "DATE", "TIM1", False),
        ("1_2ecb", 0, "Lindqvist", "PERSON", "HUM1", False),
        ("1_2ecb", 0, "Stockholm", "GPE", "LOC1", False),
        ("1_2ecb", 1, "Karin Holm", "PERSON", "Singleton_HUM_1_2ecb", True),
    ]
    sentences = {
        ("1_1ecb", 0): "Maja Lindqvist won the Stockholm marathon.",
        ("1_1ecb", 1): "Lindqvist said Stockholm was at its best on Sunday.",
        ("1_2ecb", 0): "Lindqvist set a course record in Stockholm.",
        ("1_2ecb", 1): "Karin Holm was second.",
    }
    folder = tmp_path / "ecbplus"
    folder.mkdir()
    (folder / "entity_mentions.jsonl").write_text(
        "".join(
            json.dumps(
                {"doc_id": d, "sent_id": s, "mention": m, "chain": c, "type": "X", "ner": n, "singleton": g}
            )
            + "\n"
            for d, s, m, n, c, g in rows
        ),
        encoding="utf-8",
    )
    (folder / "sentences.jsonl").write_text(
        "".join(json.dumps({"doc_id": d, "sent_id": s, "text": t}) + "\n" for (d, s), t in sentences.items()),
        encoding="utf-8",
    )
    out = tmp_path / "result.json"
    assert main(["--data", str(tmp_path), "--json", str(out)]) == 0
    result = json.loads(out.read_text(encoding="utf-8"))
    assert (result["mentions"], result["topics"], result["singleton_mentions"]) == (6, 1, 1)
    ours = result["systems"]["storyweave"]["all"]
    # the ORG-tagged "Lindqvist" joins "Maja Lindqvist": every cluster is right
    assert ours == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert result["systems"]["exact string"]["all"]["recall"] < 1.0
