"""Cross-article entity reconciliation (storyweave.reconcile.entities) on invented stories.

Mentions are placed by hand where spaCy would put them (labels included, its mistakes too), so each test
checks the reconciliation rules and not the NER model.
"""

from __future__ import annotations

import random
import re

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
    mayor = named(index, "Ana Sofia Ribeiro")
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
