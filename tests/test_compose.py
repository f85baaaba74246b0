"""Composition: headline, cited summary, quote grouping, timeline, coverage."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from tests.helpers import make_doc

from storyweave.compose import build_timeline, choose_headline, choose_summary, compose_brief, group_quotes
from storyweave.compose.brief import respell
from storyweave.compose.framing import framing_words, loaded_words, log_odds_z, omissions
from storyweave.compose.summary import (
    _counted,
    clean_headline,
    is_boilerplate,
    is_dangling,
    is_glued,
    present,
    rank_facts,
    story_furniture,
    unglue,
)
from storyweave.model import Entity, Fact, Quote, Story, SuspectAlias, TimeRef, Variant


def _fact(
    fid: str, text: str, sources: list[str], position: float = 0.5, independent: int | None = None
) -> Fact:
    return Fact(
        id=fid,
        text=text,
        sources=sources,
        independent_sources=independent if independent is not None else len(sources),
        variants=[Variant(source=s, text=text, sentence_id=f"{s}#0") for s in sources],
        position=position,
    )


def test_summary_prefers_corroborated_facts_skips_repeats_and_keeps_story_order() -> None:
    facts = [
        _fact(
            "F1",
            "The council approved the new stadium budget of 40 million euros on Monday.",
            ["a", "b", "c"],
            0.0,
        ),
        _fact(
            "F2",
            "Council approved the new stadium budget of 40 million euros on Monday evening.",
            ["d", "e"],
            0.1,
        ),
        _fact(
            "F3",
            "Opposition members walked out of the chamber before the final vote was taken.",
            ["a", "b"],
            0.6,
        ),
        _fact("F4", "A local baker said he had never seen such a crowd outside the town hall.", ["c"], 0.9),
        _fact("F5", "Construction work is due to begin in the spring and last two years.", ["b", "c"], 0.3),
    ]
    summary = choose_summary(facts, length=3)
    assert [s.fact_id for s in summary] == ["F1", "F5", "F3"]
    assert summary[0].sources == ["a", "b", "c"]
    assert all(s.sources for s in summary)


def test_summary_variant_avoids_brackets_and_suspect_spellings() -> None:
    fact = Fact(
        id="F1",
        text="[Mr. Orban] told parliament the measure would pass before the summer recess began.",
        sources=["a", "b", "c"],
        independent_sources=3,
        variants=[
            Variant(
                "a", "[Mr. Orban] told parliament the measure would pass before the summer recess began."
            ),
            Variant(
                "b", "Viktor Orbn told parliament the measure would pass before the summer recess began."
            ),
            Variant(
                "c", "Viktor Orban told parliament the measure would pass before the summer recess began."
            ),
        ],
        position=0.0,
    )
    (sentence,) = choose_summary([fact], length=5, avoid=["Viktor Orbn"])
    assert sentence.text.startswith("Viktor Orban told")
    assert sentence.sources == ["a", "b", "c"]


def test_headline_picks_the_consensus_title_not_a_lowercase_copy() -> None:
    titles = [
        "Storm Ciarán batters Brittany, leaving 1.2 million homes without power",
        "storm ciarán batters brittany, leaving 1.2 million homes without power",
        "Ciarán: power cuts for 1.2 million homes in Brittany after storm",
        "Football: Rennes beat Nantes 2-1",
    ]
    facts = [_fact("F1", "Storm Ciarán left 1.2 million homes in Brittany without power.", ["a", "b"])]
    headline = choose_headline(titles, facts)
    assert headline.startswith("Storm Ciarán batters Brittany")


def test_quotes_group_across_sources_by_speaker() -> None:
    quotes = [
        Quote("We will rebuild every school", "We will rebuild every school", "Ana Lopez", "a", 1, 0, 10),
        Quote(
            "We will rebuild every single school",
            "We will rebuild every single school",
            "Lopez",
            "b",
            2,
            0,
            10,
        ),
        Quote(
            "The budget is a disgrace to this city",
            "The budget is a disgrace to this city",
            "Tom Berg",
            "b",
            3,
            0,
            10,
        ),
    ]
    canonical = {"Ana Lopez": "Ana Lopez", "Lopez": "Ana Lopez", "Tom Berg": "Tom Berg"}
    groups = group_quotes(quotes, lambda q: canonical[q.speaker or ""])
    assert [(g.speaker, g.sources) for g in groups] == [("Ana Lopez", ["a", "b"]), ("Tom Berg", ["b"])]
    assert groups[0].text == "We will rebuild every single school"


def test_timeline_joins_expressions_of_one_fact_and_date() -> None:
    a = make_doc("a", "The ministers met in Geneva on Tuesday to sign the accord.")
    b = make_doc("b", "Ministers met on March 5 in Geneva to sign the accord.")
    a.times = [TimeRef("on Tuesday", "2024-03-05", "a", 0, 40, 50)]
    b.times = [TimeRef("March 5", "2024-03-05", "b", 0, 17, 24)]
    fact = Fact(
        id="F1",
        text="The ministers met in Geneva on Tuesday to sign the accord.",
        sources=["a", "b"],
        independent_sources=2,
        variants=[Variant("a", a.sentences[0].text, "a#0"), Variant("b", b.sentences[0].text, "b#0")],
    )
    (entry,) = build_timeline([a, b], [fact])
    assert entry.date == "2024-03-05"
    assert entry.sources == ["a", "b"]
    assert entry.expressions == ["on Tuesday", "March 5"]
    assert entry.fact_id == "F1"


def test_timeline_leaves_out_years_that_only_qualify_a_noun() -> None:
    doc = make_doc("a", "Turnout beat the 2016 election as voters queued on Tuesday.")
    doc.times = [
        TimeRef("2016", "2016", "a", 0, 17, 21, granularity="year", attributive=True),
        TimeRef("on Tuesday", "2024-03-05", "a", 0, 48, 58),
    ]
    assert [e.date for e in build_timeline([doc], [])] == ["2024-03-05"]


def test_timeline_shows_the_sentence_that_dates_it_when_the_fact_does_not() -> None:
    a = make_doc("a", "He was the first leader to visit the country, in 2000.")
    b = make_doc("b", "The leader prolonged his visit.")
    a.times = [TimeRef("in 2000", "2000", "a", 0, 45, 52, granularity="year")]
    fact = Fact(
        id="F9",
        text=b.sentences[0].text,
        sources=["a", "b"],
        independent_sources=2,
        variants=[Variant("a", a.sentences[0].text, "a#0"), Variant("b", b.sentences[0].text, "b#0")],
    )
    (entry,) = build_timeline([a, b], [fact])
    assert entry.event == a.sentences[0].text and entry.fact_id is None


def test_timeline_dates_a_claim_only_by_an_expression_in_its_own_words() -> None:
    # the fact shows a claim cut from a sentence, and the year belongs to another clause of the sentence
    a = make_doc("a", "He will review the fleet in Vladivostok, where he went in 2019.")
    a.times = [TimeRef("in 2019", "2019", "a", 0, 55, 62, granularity="year")]
    claim = Fact(
        id="F4",
        text="He will review the fleet in Vladivostok.",
        sources=["a"],
        independent_sources=1,
        variants=[Variant("a", "He will review the fleet in Vladivostok", "a#0")],
    )
    (entry,) = build_timeline([a], [claim])
    assert entry.event == a.sentences[0].text and entry.fact_id is None
    dated = Fact("F5", "He went to Vladivostok in 2019.", ["a"], 1, [Variant("a", "He went in 2019", "a#0")])
    assert build_timeline([a], [dated])[0].fact_id == "F5"


@dataclass
class _Entities:
    entities: list[Entity] = field(default_factory=list)

    def lookup(self, article_id: str, name: str) -> Entity | None:
        return None


def test_coverage_counts_unique_facts_per_syndication_group() -> None:
    docs = [
        make_doc(i, "Some sentence about the harbour fire in the old port.", title="Harbour fire")
        for i in "abc"
    ]
    story = Story(id="s1", article_ids=["a", "b", "c"], syndication={"a": "a", "b": "a", "c": "c"})
    facts = [
        _fact("F1", "The fire destroyed six warehouses in the old port.", ["a", "b"], independent=1),
        _fact("F2", "Firefighters fought the blaze for nine hours overnight.", ["a", "c"]),
    ]
    brief = compose_brief(story, docs, facts, _Entities())
    assert brief.coverage["a"].unique_facts == ["F1"]
    assert brief.coverage["b"].unique_facts == ["F1"]
    assert brief.coverage["c"].unique_facts == []
    assert brief.coverage["c"].facts == 1
    assert brief.story.independent_count == 2
    assert [a.syndication_group for a in brief.articles] == ["a", "a", "c"]


# --------------------------------------------------------------------------------------------------
# Ranking, cleaning and summary choices (invented stories: a port strike, a court ruling, a merger)


def _variant_fact(fid: str, variants: list[tuple[str, str]], position: float = 0.2) -> Fact:
    sources = sorted({s for s, _ in variants})
    return Fact(
        id=fid,
        text=variants[0][1],
        sources=sources,
        independent_sources=len(sources),
        variants=[Variant(s, t, f"{s}#{i}") for i, (s, t) in enumerate(variants)],
        position=position,
    )


def test_rank_prefers_independent_support_then_lead_position() -> None:
    story = Story(id="s", article_ids=["a", "b", "c", "d"], syndication={"b": "a"})
    facts = [
        _fact(
            "F1", "Dock workers in Rotterdam walked out at midnight over the new shift rota.", ["a", "b"], 0.0
        ),
        _fact(
            "F2",
            "Dock workers in Rotterdam walked out at midnight, halting container traffic.",
            ["a", "c", "d"],
            0.3,
        ),
        _fact("F3", "Dock workers in Rotterdam said the strike would last until Friday night.", ["d"], 0.0),
    ]
    ranked = rank_facts(facts, story=story)
    assert ranked[0].fact.id == "F2"  # three independent voices
    f1 = next(r for r in ranked if r.fact.id == "F1")
    assert f1.support < next(r for r in ranked if r.fact.id == "F2").support
    assert f1.support > 0.0  # the syndicated copy adds a little: an echo, not a voice
    assert f1.lead == 1.0


def test_rank_centrality_and_background_recency() -> None:
    docs = [
        make_doc(
            "a",
            "The port strike closed Rotterdam harbour. The port strike hit container traffic.",
            published="2024-06-03",
        ),
        make_doc(
            "b", "The harbour strike in Rotterdam spread. A museum opened in 1998.", published="2024-06-03"
        ),
    ]
    central = _fact("F1", "The port strike closed Rotterdam harbour to container traffic.", ["a"], 0.5)
    aside = _fact("F2", "A maritime museum opened nearby in 1998 with a fine collection.", ["b"], 0.5)
    aside.dates = ["1998"]
    ranked = {r.fact.id: r for r in rank_facts([central, aside], docs)}
    assert ranked["F1"].centrality == 1.0 > ranked["F2"].centrality
    assert ranked["F2"].recency < ranked["F1"].recency  # dated decades before the story: background
    assert ranked["F1"].score > ranked["F2"].score


def test_present_strips_kicker_dateline_and_credit_but_not_speech() -> None:
    assert present("Evocative gifts: The two leaders exchanged rifles at the summit on Wednesday.") == (
        "The two leaders exchanged rifles at the summit on Wednesday."
    )
    assert present("ROTTERDAM, June 3 (Reuters) - Dock workers walked out at midnight over pay.").startswith(
        "Dock workers walked out"
    )
    assert present("(AP) — The court struck down the law on Tuesday in a 5-4 decision.").startswith(
        "The court"
    )
    spoken = "Judge Amal Haddad said: The law violates the constitution in three ways."
    assert present(spoken) == spoken
    assert present("The ruling: a blow to the government and its plan.") == (
        "The ruling: a blow to the government and its plan."
    )


def test_dangling_and_boilerplate_sentences() -> None:
    assert is_dangling("He said the ruling would be appealed within thirty days.")
    # a bare pronoun as the speaker: read alone in a summary, nobody knows who said it
    assert is_dangling("“This is a dark day,” she told reporters outside.")
    assert is_dangling("The talks would resume in the spring, he said.")
    assert not is_dangling("“This is a dark day,” Mayor Ana Ruiz told reporters outside.")
    assert is_dangling("However, the union rejected the offer on Monday.")
    assert not is_dangling("Hennessy Foods said the merger would close in June.")
    assert is_boilerplate("Sign up for our newsletter to get the latest business news.")
    assert is_boilerplate("FILE - In a 2019 file photo, the company's headquarters are seen in Lyon.")
    assert not is_boilerplate("The copyright case turned on whether the photo was a derivative work.")


def test_summary_skips_dangling_and_housekeeping_and_picks_the_clean_variant() -> None:
    facts = [
        _variant_fact(
            "F1",
            [
                ("a", "He said the merger of Hennessy Foods and Dalgety Mills would close in June."),
                (
                    "b",
                    "Hennessy Foods said its merger with Dalgety Mills would close in June, pending a vote.",
                ),
            ],
            0.0,
        ),
        _variant_fact(
            "F2",
            [
                ("a", "She added that the deal had been in the works for two years."),
                ("c", "She added that the deal had been in the works since 2022."),
            ],
            0.1,
        ),
        _variant_fact(
            "F3",
            [
                ("b", "Click here to sign up for our newsletter and get the latest news."),
                ("c", "Click here to sign up for our newsletter and never miss a story."),
            ],
            0.2,
        ),
        _variant_fact(
            "F4",
            [
                ("a", "The combined company will employ 14,000 people in nine countries."),
                ("c", "Together the firms will employ 14,000 people across nine countries."),
            ],
            0.4,
        ),
    ]
    summary = choose_summary(facts, length=5)
    assert [s.fact_id for s in summary] == ["F1", "F4"]
    assert summary[0].text.startswith("Hennessy Foods said")  # the variant with its subject named
    assert summary[0].sources == ["a", "b"]


def test_summary_word_budget_novelty_and_full_stop() -> None:
    facts = [
        _fact(
            "F1",
            "The supreme court struck down the new voting law in a 5-4 ruling on Tuesday.",
            ["a", "b", "c"],
            0.0,
        ),
        _fact(
            "F2",
            "The supreme court struck down the voting law in a ruling on Tuesday afternoon.",
            ["a", "b"],
            0.1,
        ),
        _fact(
            "F3",
            "Election officials must now restore the old polling rules before the autumn vote",
            ["b", "c"],
            0.3,
        ),
        _fact("F4", "The governor called the decision a victory for every voter in the state.", ["c"], 0.5),
    ]
    summary = choose_summary(facts, length=8)
    assert [s.fact_id for s in summary] == ["F1", "F3", "F4"]  # F2 repeats F1
    assert summary[1].text.endswith("autumn vote.")  # a lost full stop is restored
    budget = choose_summary(facts, length=8, max_words=20)
    assert [s.fact_id for s in budget] == ["F1", "F3"]  # the sentence reaching 20 words is the last


def test_summary_opens_with_the_lede_not_a_quotation() -> None:
    facts = [
        _fact(
            "F1",
            "“We will appeal this ruling all the way,” said the state attorney general.",
            ["a", "b", "c"],
            0.0,
        ),
        _fact(
            "F2", "A federal judge blocked the state's new abortion law on Friday evening.", ["a", "b"], 0.0
        ),
        _fact("F3", "The law would have banned most procedures after six weeks of pregnancy.", ["b"], 0.3),
    ]
    summary = choose_summary(facts, length=3)
    assert summary[0].fact_id == "F2"
    assert {s.fact_id for s in summary} == {"F1", "F2", "F3"}


def test_clean_headline_labels_outlets_and_case() -> None:
    assert clean_headline("UPDATE 2-Hennessy Foods agrees to buy Dalgety Mills - Reuters") == (
        "Hennessy Foods agrees to buy Dalgety Mills"
    )
    assert clean_headline("Court strikes down voting law | Valley Courier", outlets=["Valley Courier"]) == (
        "Court strikes down voting law"
    )
    assert clean_headline("Rock - Paper") == "Rock - Paper"
    assert clean_headline("“Strike goes on,” union says.") == "“Strike goes on,” union says"


def test_headline_rejects_bylines_mixed_scripts_and_unrelated_titles() -> None:
    facts = [
        _fact("F1", "Dock workers in Rotterdam walked out at midnight over the new shift rota.", ["a", "b"])
    ]
    titles = [
        "Lauren Doe, The Canadian Press",
        "Dock workers strike in Rotterdam over shift rota",
        "Rotterdam strike Επαληθευμένος λογαριασμός",
        "Ten recipes for a summer barbecue",
    ]
    assert choose_headline(titles, facts) == "Dock workers strike in Rotterdam over shift rota"
    long_fact = _fact(
        "F1",
        "A powerful earthquake struck central Peru early on Sunday, collapsing homes in three provinces and "
        "cutting power to 200,000 people.",
        ["a", "b"],
    )
    assert choose_headline(["By Jane Doe, Reuters"], [long_fact]) == (
        "A powerful earthquake struck central Peru early on Sunday"
    )


def test_compose_brief_ranks_facts_carries_sentences_and_cleans_timeline() -> None:
    a = make_doc(
        "a",
        "LIMA (Reuters) - The quake struck at dawn on Sunday. Rescuers searched all day.",
        title="Quake hits Peru",
        published="2024-03-04",
    )
    b = make_doc(
        "b",
        "The quake struck Peru at dawn on Sunday. Power was cut in Lima.",
        title="Peru quake",
        published="2024-03-04",
    )
    a.times = [TimeRef("on Sunday", "2024-03-03", "a", 1, 0, 0)]
    story = Story(id="s1", article_ids=["a", "b"])
    facts = [
        _fact("F1", "Power was cut in Lima.", ["b"], 0.5),
        Fact(
            id="F2",
            text=b.sentences[0].text,
            sources=["a", "b"],
            independent_sources=2,
            variants=[Variant("a", a.sentences[0].text, "a#0"), Variant("b", b.sentences[0].text, "b#0")],
            position=0.0,
        ),
    ]
    brief = compose_brief(story, [a, b], facts, _Entities())
    assert [f.id for f in brief.facts] == ["F2", "F1"]
    assert [s.id for s in brief.articles[0].sentences] == ["a#0", "a#1"]
    (entry,) = brief.timeline
    assert entry.event == "Rescuers searched all day." and entry.fact_id is None


# --------------------------------------------------------------------------------------------------
# The one-page brief: glue, suspect spellings, outlet framing


def test_unglue_drops_headline_caption_and_line_glue() -> None:
    doc = make_doc(
        "a", "Rescuers reached the village on Monday after the storm passed.", title="Storm hits coast"
    )
    doc.article.captions = ["Protesters at the border fence on Sunday."]
    furniture = story_furniture([doc])
    assert furniture == ["protesters at the border fence on sunday", "storm hits coast"]
    glued = "Storm hits coast Rescuers reached the village on Monday after the storm passed."
    assert is_glued(glued, furniture)
    assert unglue(glued, furniture) == "Rescuers reached the village on Monday after the storm passed."
    caption = "Protesters at the border fence on Sunday. Police closed the crossing for the night."
    assert unglue(caption, furniture) == "Police closed the crossing for the night."
    assert unglue("Storm hits coast\nRescuers reached the village.", ()) == "Rescuers reached the village."
    assert not is_glued("Rescuers reached the village on Monday after the storm passed.", furniture)
    # a summary never shows a fact that is only a headline, nor the glue
    facts = [
        _fact("F1", "Storm hits coast", ["a"], 0.0),
        Fact(
            id="F2",
            text=glued,
            sources=["a"],
            independent_sources=1,
            variants=[Variant("a", glued, "a#0")],
            position=0.1,
        ),
    ]
    summary = choose_summary(facts, docs=[doc])
    assert [s.text for s in summary] == ["Rescuers reached the village on Monday after the storm passed."]


def test_respell_replaces_suspect_spellings_as_whole_words() -> None:
    pairs = [("Kim Jung Un", "Kim Jong Un"), ("Orbn", "Orban")]
    assert respell("Kim Jung Un met Orbn; Orbnx stays.", pairs) == "Kim Jong Un met Orban; Orbnx stays."


@dataclass
class _Suspects:
    entities: list[Entity] = field(default_factory=list)

    def lookup(self, article_id: str, name: str) -> Entity | None:
        return None


def test_compose_brief_never_displays_a_suspect_spelling_and_carries_lean_and_framing() -> None:
    body = "Kim Jung Un arrived in Vladivostok by armoured train on Tuesday morning for the talks."
    a = make_doc("a", body, title="Kim arrives by train")
    a.article.outlet, a.article.extra = "Daily A", {"lean": "left"}
    b = make_doc("b", "The leaders met at the spaceport on Wednesday for four hours.", title="Leaders meet")
    b.article.outlet = "Paper B"
    entity = Entity(
        "e1", "Kim Jong Un", "PERSON", suspect_aliases=[SuspectAlias("Kim Jung Un", ["a"], "misspelling")]
    )
    story = Story(id="s1", article_ids=["a", "b"])
    facts = [_fact("F1", body, ["a"], 0.0), _fact("F2", b.sentences[0].text, ["b"], 0.0)]
    brief = compose_brief(story, [a, b], facts, _Suspects([entity]))
    shown = [s.text for s in brief.summary] + [f.text for f in brief.facts]
    assert not any("Kim Jung Un" in t for t in shown)
    assert any("Kim Jong Un arrived" in t for t in shown)
    assert [(x.id, x.lean) for x in brief.articles] == [("a", "left"), ("b", None)]
    assert [(f.outlet, f.headline, f.lean) for f in brief.framing] == [
        ("Daily A", "Kim arrives by train", "left"),
        ("Paper B", "Leaders meet", None),
    ]


def test_log_odds_with_informative_prior_finds_an_outlets_loaded_words() -> None:
    # three outlets of about 300 words, most of them shared story words
    shared = {f"word{i}": 5 for i in range(60)}
    counts = {
        "herald": Counter({**shared, "fiasco": 6, "neglect": 5, "landslide": 3, "blame": 1}),
        "post": Counter({**shared, "landslide": 3, "passengers": 3, "buses": 2}),
        "wire": Counter({**shared, "landslide": 3, "passengers": 2, "buses": 2}),
    }
    z = log_odds_z(counts, prior_scale=100.0)
    assert z["herald"]["fiasco"] > 1.96 and z["herald"]["neglect"] > 1.96
    assert z["herald"]["landslide"] < 1.0  # shared by every outlet: not distinctive
    # the prior shrinks a word used once: it never outranks a word used four times
    words = loaded_words(counts)
    assert [w.word for w in words["herald"]] == ["fiasco", "neglect"]
    assert (words["herald"][0].count, words["herald"][0].others) == (6, 0)
    assert words["wire"] == []
    # two outlets that write alike have nothing distinctive
    same = {"a": Counter({"railway": 3, "track": 2}), "b": Counter({"railway": 3, "track": 2})}
    assert all(abs(v) < 1e-9 for v in log_odds_z(same)["a"].values())


def test_framing_words_skip_names_and_filler() -> None:
    assert framing_words("The Kremlin said the dictator's rampage was a fiasco on Monday.") == [
        "dictator",
        "rampage",
        "fiasco",
    ]


def test_omissions_list_facts_most_other_outlets_carry() -> None:
    outlets = {"A": {"a"}, "B": {"b"}, "C": {"c"}, "D": {"d"}}
    facts = [
        _fact("F1", "x", ["a", "b", "c"]),  # D lacks it: carried by all three others
        _fact("F2", "y", ["b", "c"]),  # A and D lack it: two of three others
        _fact("F3", "z", ["c"]),  # one outlet only: nobody "leaves it out"
    ]
    left = omissions(outlets, facts)
    assert left == {"A": ["F2"], "B": [], "C": [], "D": ["F1", "F2"]}


def test_a_fact_with_a_key_number_ranks_above_its_twin_without() -> None:
    facts = [
        _fact("F1", "Rescuers searched the flooded homes through the night.", ["a", "b"], 0.3),
        _fact("F2", "Rescuers searched 140 flooded homes through the night.", ["a", "b"], 0.3),
        _fact("F3", "Rescuers searched the flooded homes through the night in 2019.", ["a", "b"], 0.3),
    ]
    ranked = {r.fact.id: r.score for r in rank_facts(facts)}
    assert ranked["F2"] > ranked["F1"]
    assert _counted(facts, []) == [0.0, 1.0, 0.0]  # a year is no key number
