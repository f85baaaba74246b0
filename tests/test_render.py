"""Render stage: contract JSON + schema, Markdown and HTML, including hostile article text."""

from __future__ import annotations

import copy
import json
import re
from html.parser import HTMLParser
from importlib import resources
from typing import Any

import jsonschema
import pytest
from markdown_it import MarkdownIt

from storyweave.model import (
    Alias,
    ArticleInfo,
    Brief,
    Coverage,
    Disagreement,
    Entity,
    Fact,
    LoadedWord,
    OutletFraming,
    QuoteGroup,
    Removal,
    Sentence,
    StoryInfo,
    SummarySentence,
    SuspectAlias,
    TimelineEntry,
    ValueSources,
    Variant,
)
from storyweave.render import (
    RENDERERS,
    brief_to_html,
    brief_to_json,
    brief_to_markdown,
    load_schema,
    validate_brief,
)
from storyweave.render.common import safe_url
from storyweave.render.markdown import SECTION_TITLES, markdown_words, md_escape, page_markdown
from storyweave.render.onepager import OnePage, build_page, one_page, word_budget

# --------------------------------------------------------------------------------------------------
# Fixtures: an invented corporate merger reported by four outlets (two run the same wire copy)

A1, A2, A3, A4 = "nordlicht_wire_01", "valley-courier-7", "baltic_ledger_3", "energy-desk-19"


def merger_brief() -> Brief:
    """A hand-built brief about an invented takeover: Nordlicht Energy buying Baltic Grid."""
    articles = [
        ArticleInfo(
            id=A1,
            outlet="Harbour Daily",
            url="https://harbourdaily.example/business/nordlicht-baltic-grid",
            title="Nordlicht Energy agrees €4.2bn takeover of Baltic Grid",
            published="2024-03-12",
            language="en",
            syndication_group="wire-1",
            word_count=612,
            lean="centre-left",
            removed=[
                Removal(text="Skip to main content", reason="navigation", line=0),
                Removal(text="Markets | Energy | Companies", reason="navigation", line=1),
                Removal(
                    text="Subscribe for unlimited access to business news", reason="advertising", line=30
                ),
            ],
        ),
        ArticleInfo(
            id=A2,
            outlet="Valley Courier",
            url="http://valleycourier.example/2024/03/12/merger",
            title="Nordlicht to buy Baltic Grid in €4.2bn deal",
            published="2024-03-12",
            language="en",
            syndication_group="wire-1",
            word_count=580,
            lean="right",
            removed=[
                Removal(text="(Reporting by Jonas Berg; editing by Mara Holt)", reason="syndication-note")
            ],
        ),
        ArticleInfo(
            id=A3,
            outlet="Baltic Ledger",
            url=None,
            title="Grid operator sold to Nordlicht — unions wary",
            published="2024-03",
            language="en",
            syndication_group=A3,
            word_count=734,
            removed=[],
            published_estimated=True,
        ),
        ArticleInfo(
            id=A4,
            outlet=None,
            url="https://energydesk.example/a/19",
            title=None,
            published=None,
            language=None,
            syndication_group=A4,
            word_count=201,
            removed=[Removal(text="Comments (12) Log in to reply", reason="comments")],
        ),
    ]
    facts = [
        Fact(
            id="f1",
            text="Nordlicht Energy agreed to buy Baltic Grid for €4.2 billion.",
            sources=[A1, A2, A3, A4],
            independent_sources=3,
            variants=[
                Variant(A1, "Nordlicht Energy agreed to buy Baltic Grid for €4.2 billion.", f"{A1}#0"),
                Variant(A2, "Nordlicht Energy agreed to buy Baltic Grid for €4.2 billion.", f"{A2}#0"),
                Variant(A3, "Baltic Grid is being sold to Nordlicht for €4.1 billion.", f"{A3}#1"),
                Variant(A4, "Nordlicht will pay €4.2bn for the grid operator.", f"{A4}#0"),
            ],
            entities=["e1", "e2"],
            dates=["2024-03-12"],
            position=0.0,
            corroboration="independent",
        ),
        Fact(
            id="f2",
            text="The deal is expected to close in the third quarter of 2024.",
            sources=[A3, A1],
            independent_sources=2,
            variants=[
                Variant(A1, "The deal is expected to close in the third quarter of 2024."),
                Variant(A3, "Completion is expected by September 2024."),
            ],
            entities=[],
            dates=["2024-09"],
            position=0.2,
        ),
        Fact(
            id="f3",
            text="Unions said they would seek guarantees on jobs at the Klaipeda control centre.",
            sources=[A3],
            independent_sources=1,
            variants=[
                Variant(A3, "Unions said they would seek guarantees on jobs at the Klaipeda control centre.")
            ],
            entities=["e3"],
            dates=[],
            position=0.6,
        ),
        Fact(
            id="f4",
            text="Shares in Nordlicht rose 3% in Oslo trading after the announcement.",
            sources=[A1, A2],
            independent_sources=1,
            variants=[
                Variant(A1, "Shares in Nordlicht rose 3% in Oslo trading after the announcement."),
                Variant(A2, "Shares in Nordlicht rose 3% in Oslo trading after the announcement."),
            ],
            position=0.4,
            corroboration="same-text",
        ),
        Fact(
            id="f5",
            text="Baltic Grid's chief executive will stay on for two years under the agreement.",
            sources=[A4],
            independent_sources=1,
            variants=[
                Variant(A4, "Baltic Grid's chief executive will stay on for two years under the agreement.")
            ],
            position=0.5,
        ),
    ]
    return Brief(
        story=StoryInfo(
            id="story-merger",
            headline="Nordlicht Energy agrees to buy Baltic Grid",
            first_seen="2024-03-12",
            last_seen="2024-03-13",
            article_count=4,
            independent_count=3,
        ),
        articles=articles,
        summary=[
            SummarySentence(
                "Nordlicht Energy agreed to buy Baltic Grid for €4.2 billion.", [A1, A2, A3, A4], "f1"
            ),
            SummarySentence("Unions said they would seek guarantees on jobs.", [A3], "f3"),
        ],
        facts=facts,
        disagreements=[
            Disagreement(
                fact_id="f1",
                kind="number",
                values=[ValueSources("€4.2 billion", [A1, A2, A4]), ValueSources("€4.1 billion", [A3])],
                note="One source gives a lower price.",
            )
        ],
        quotes=[
            QuoteGroup(
                speaker="Anna Lindqvist",
                text="This deal gives the region a grid fit for the next 30 years.",
                sources=[A1, A2, A3],
                variants=[
                    Variant(A1, "This deal gives the region a grid fit for the next 30 years."),
                    Variant(A2, "this deal gives the region a grid fit for the next 30 years"),
                    Variant(A3, "This deal gives the region a grid fit for three decades."),
                ],
            ),
            QuoteGroup(speaker=None, text="We were not consulted.", sources=[A3], variants=[]),
        ],
        timeline=[
            TimelineEntry("2024-03-12", "Nordlicht announced the takeover.", [A1, A2], ["on Tuesday"], "f1"),
            TimelineEntry(
                "2024-09", "The deal is expected to close.", [A1, A3], ["in the third quarter"], "f2"
            ),
        ],
        entities=[
            Entity(
                id="e1",
                name="Nordlicht Energy",
                type="ORG",
                aliases=[Alias("Nordlicht Energy", 6, [A1, A2, A3]), Alias("Nordlicht", 9, [A1, A2, A3, A4])],
            ),
            Entity(
                id="e2",
                name="Anna Lindqvist",
                type="PERSON",
                aliases=[Alias("Anna Lindqvist", 3, [A1, A2]), Alias("Lindqvist", 2, [A1])],
                suspect_aliases=[SuspectAlias("Anna Lindquist", [A3], "possible misspelling")],
            ),
            Entity(id="e3", name="Klaipeda", type="GPE", aliases=[Alias("Klaipeda", 1, [A3])]),
        ],
        coverage={
            A1: Coverage(facts=2, unique_facts=[]),
            A2: Coverage(facts=1, unique_facts=[]),
            A3: Coverage(facts=3, unique_facts=["f3"]),
            A4: Coverage(facts=2, unique_facts=["f5"]),
        },
        framing=[
            OutletFraming(
                "Harbour Daily", [A1], "Nordlicht Energy agrees €4.2bn takeover of Baltic Grid", "centre-left"
            ),
            OutletFraming(
                "Valley Courier", [A2], "Nordlicht to buy Baltic Grid in €4.2bn deal", "right", omits=["f2"]
            ),
            OutletFraming(
                "Baltic Ledger",
                [A3],
                "Grid operator sold to Nordlicht — unions wary",
                None,
                [LoadedWord("wary", 2.41, 3, 0), LoadedWord("sold", 2.05, 2, 0)],
            ),
            OutletFraming(A4, [A4], None, None),
        ],
    )


SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
MD_LINK = "[x](javascript:alert(1))"
JS_URL = "javascript:alert(1)"


def hostile_brief() -> Brief:
    """The merger brief with attack strings in every field that carries article-derived text."""
    brief = merger_brief()
    brief.story.headline = f"Deal {SCRIPT} {MD_LINK}"
    evil = brief.articles[3]
    evil.outlet = f"{SCRIPT} News"
    evil.title = f"{IMG} {MD_LINK} ![p](javascript:alert(2))"
    evil.url = JS_URL
    evil.removed = [
        Removal(text=f"{SCRIPT} read more", reason="advertising"),
        Removal(text=f"<a href='{JS_URL}'>Comments</a>", reason="comments"),
    ]
    brief.articles[2].url = "  JaVaScRiPt:alert(3)"
    brief.articles[1].title = "<iframe src=//evil.example></iframe> `code` *bold* # heading"
    brief.summary[0].text = f"{IMG} bought the grid. <https://evil.example/auto>"
    brief.facts[0].text = f"{MD_LINK} agreed {SCRIPT}"
    brief.facts[0].variants[3].text = f'"><svg onload=alert(1)> {IMG}'
    brief.disagreements[0].values[1].value = IMG
    brief.disagreements[0].note = f"[click]({JS_URL}) {SCRIPT}"
    brief.quotes[0].text = f"{SCRIPT} said the {MD_LINK}"
    brief.quotes[0].speaker = f"{IMG} Lindqvist"
    brief.quotes[0].variants[2].text = f"<b onmouseover=alert(1)>hi</b> {MD_LINK}"
    brief.timeline[0].event = f"{SCRIPT} happened"
    brief.timeline[0].expressions = [IMG]
    brief.entities[0].name = f"{SCRIPT}Corp"
    brief.entities[0].aliases[0].text = IMG
    brief.entities[1].suspect_aliases[0].text = MD_LINK
    brief.framing[3].headline = f"{SCRIPT} {MD_LINK}"
    brief.framing[3].lean = IMG
    brief.articles[3].lean = IMG
    brief.framing[2].loaded_words[0].word = SCRIPT
    return brief


@pytest.fixture(scope="module")
def brief() -> Brief:
    return merger_brief()


@pytest.fixture(scope="module")
def hostile() -> Brief:
    return hostile_brief()


# --------------------------------------------------------------------------------------------------
# JSON and schema


def test_json_output_validates_and_round_trips(brief: Brief) -> None:
    text = brief_to_json(brief)
    assert text.endswith("}\n")
    assert "€4.2 billion" in text  # non-ASCII kept as is
    assert text.startswith('{\n  "schema": "storyweave.brief/1"')
    data = json.loads(text)
    validate_brief(data)
    assert Brief.from_dict(data) == brief


def test_hostile_brief_is_still_valid_json(hostile: Brief) -> None:
    validate_brief(json.loads(brief_to_json(hostile)))


def test_schema_is_loaded_from_package_and_is_draft_2020_12() -> None:
    schema = load_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["properties"]["schema"] == {"const": "storyweave.brief/1"}
    jsonschema.Draft202012Validator.check_schema(schema)
    packaged = resources.files("storyweave") / "schema" / "brief-1.schema.json"
    assert json.loads(packaged.read_text(encoding="utf-8")) == schema
    schema["title"] = "mutated"  # callers get a fresh copy
    assert load_schema()["title"] != "mutated"


def _delete(data: dict[str, Any], path: str) -> None:
    *parents, last = path.split(".")
    node: Any = data
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    del node[last]


@pytest.mark.parametrize(
    "path",
    [
        "coverage",
        "schema",
        "story.headline",
        "story.first_seen",
        "articles.0.removed",
        "articles.2.syndication_group",
        "articles.3.outlet",
        "summary.0.fact_id",
        "facts.0.independent_sources",
        "facts.1.variants.0.source",
        "disagreements.0.note",
        "quotes.1.speaker",
        "timeline.0.expressions",
        "entities.1.suspect_aliases.0.reason",
        f"coverage.{A3}.unique_facts",
    ],
)
def test_missing_required_field_fails(brief: Brief, path: str) -> None:
    data = brief.to_dict()
    validate_brief(copy.deepcopy(data))
    _delete(data, path)
    with pytest.raises(jsonschema.ValidationError):
        validate_brief(data)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("schema", "storyweave.brief/2"),
        ("articles.0.removed.0.reason", "boilerplate"),
        ("disagreements.0.kind", "contradiction"),
        ("facts.0.dates.0", "12/03/2024"),
        ("facts.0.dates.0", "2024-13"),
        ("story.last_seen", "March 2024"),
        ("articles.0.published", "2024-03-12T10:00:00"),
        ("timeline.0.date", None),
        ("facts.0.independent_sources", "3"),
        ("story.article_count", -1),
        ("story.headline", None),
        ("summary.0.sources", []),
        ("quotes.0.variants", "none"),
    ],
)
def test_wrong_type_or_value_fails(brief: Brief, path: str, value: Any) -> None:
    data = brief.to_dict()
    *parents, last = path.split(".")
    node: Any = data
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    node[int(last) if isinstance(node, list) else last] = value
    with pytest.raises(jsonschema.ValidationError):
        validate_brief(data)


def test_nullable_fields_extra_fields_and_date_forms_are_accepted(brief: Brief) -> None:
    data = brief.to_dict()
    data["story"]["first_seen"] = None
    data["quotes"][0]["speaker"] = None
    data["articles"][0].update(outlet=None, url=None, title=None, language=None, published="2024")
    data["facts"][0]["dates"] = ["2024-03-12", "2024-03", "2024", "1950/1953"]
    data["facts"][0]["confidence"] = 0.9  # producers may add fields
    data["generator"] = {"name": "storyweave"}
    validate_brief(data)


# --------------------------------------------------------------------------------------------------
# Markdown


def _sections(markdown: str) -> dict[str, str]:
    parts = re.split(r"^## (.+)$", markdown, flags=re.MULTILINE)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts), 2)}


ONE_PAGE_TITLES = [
    "What happened",
    "Contested",
    "Confirmed by independent reporting",
    "The same statement, carried by several outlets",
    "Reported by one outlet only",
    "How each outlet framed it",
    "Quotes",
    "Timeline",
    "People",
    "Sources",
]


def test_markdown_one_page_sections_in_order(brief: Brief) -> None:
    markdown = brief_to_markdown(brief)
    assert markdown.startswith("# Nordlicht Energy agrees to buy Baltic Grid\n")
    assert "**2024-03-12 – 2024-03-13** · 4 articles from 4 outlets, 3 independent" in markdown
    assert (
        "Covered by [1] Harbour Daily (centre-left), [2] Valley Courier (right), [3] Baltic Ledger,"
        f" [4] {A4}" in markdown
    )
    headings = re.findall(r"^## (.+)$", markdown, flags=re.MULTILINE)
    assert headings == list(SECTION_TITLES) == ONE_PAGE_TITLES


def test_markdown_citations_match_sources_list(brief: Brief) -> None:
    markdown = brief_to_markdown(brief)
    sections = _sections(markdown)
    listed = re.findall(r"^(\d+)\. \*\*(.+?)\*\*", sections["Sources"], flags=re.MULTILINE)
    assert listed == [
        ("1", "Harbour Daily (centre-left)"),
        ("2", "Valley Courier (right)"),
        ("3", "Baltic Ledger"),
        ("4", A4),
    ]
    body = markdown.split("## Sources")[0]
    cited = {int(n) for n in re.findall(r"\[(\d+)\]", body)}
    assert cited == {1, 2, 3, 4}
    what = sections["What happened"]
    assert "Unions said they would seek guarantees on jobs. [3]" in what
    assert (
        "Nordlicht Energy agreed to buy Baltic Grid for €4.2 billion. [1][2][3][4] (contested: number)"
        in what
    )


def test_markdown_section_contents(brief: Brief) -> None:
    sections = _sections(brief_to_markdown(brief))
    contested = sections["Contested"]
    assert "- **Number**: “Nordlicht Energy agreed to buy Baltic Grid for €4.2 billion.”" in contested
    assert "  - €4.2 billion [1][2][4]" in contested and "  - €4.1 billion [3]" in contested
    assert "One source gives a lower price." in contested
    # independent confirmation and one dispatch carried by two outlets are kept apart
    confirmed = sections["Confirmed by independent reporting"]
    assert "- The deal is expected to close in the third quarter of 2024. [1][3] (2 independent sources)" in (
        confirmed
    )
    assert "Shares in Nordlicht" not in confirmed
    same = sections["The same statement, carried by several outlets"]
    assert "Shares in Nordlicht rose 3% in Oslo trading after the announcement. [1][2]" in same
    assert "(the same text, carried by 2 outlets)" in same
    single = sections["Reported by one outlet only"]
    assert f"- **[4] {A4}**" in single and "chief executive will stay on" in single
    assert "Unions said" not in single  # already in What happened
    framing = sections["How each outlet framed it"]
    assert "| Outlet | Headline | Distinctive words | Leaves out |" in framing
    assert "| [3] Baltic Ledger | Grid operator sold to Nordlicht — unions wary | wary, sold | — |" in framing
    assert "[2] Valley Courier (right) | Nordlicht to buy Baltic Grid in €4.2bn deal | — |" in framing
    assert "“The deal is expected to close in the third quarter of 2024.”" in framing
    quotes = sections["Quotes"]
    assert (
        "- **Anna Lindqvist**: “This deal gives the region a grid fit for the next 30 years.” [1][2][3]"
        in (quotes)
    )
    assert "We were not consulted" not in quotes  # an unattributed quotation stays in the full brief
    assert "- **2024-03-12** — Nordlicht announced the takeover. [1][2]" in sections["Timeline"]
    assert (
        "- **Anna Lindqvist** (also Lindqvist; suspect spelling “Anna Lindquist” [3])" in sections["People"]
    )
    assert "Klaipeda" not in sections["People"]  # places and organisations stay in the full brief
    sources = sections["Sources"]
    assert "2024-03 (estimated)" in sources
    assert "same dispatch as [2]" in sources and "same dispatch as [1]" in sources
    assert "<https://harbourdaily.example/business/nordlicht-baltic-grid>" in sources


def _statement_in_two_wordings(brief: Brief, second: str) -> Brief:
    """``brief`` with one more fact: a union leader's words carried by two outlets, quoted as ``“a fair
    price”`` by one and as ``second`` by the other (one statement in two translations)."""
    worded = copy.deepcopy(brief)
    first = 'The union leader called the takeover "a fair price" for the region before the vote.'
    other = f"The union's leader described the takeover as {second} for the region ahead of the vote."
    worded.facts.append(
        Fact(
            id="f9",
            text=first,
            sources=[A1, A3],
            independent_sources=1,
            variants=[Variant(A1, first), Variant(A3, other)],
            position=0.45,
            corroboration="same-statement",
        )
    )
    return worded


def test_markdown_same_statement_shows_its_wordings(brief: Brief) -> None:
    sections = _sections(brief_to_markdown(_statement_in_two_wordings(brief, "“an honest price”")))
    same = sections["The same statement, carried by several outlets"]
    # the statement quoted in other words comes first, each wording with the outlets that use it
    assert same.strip().startswith("- The union leader called the takeover")
    assert "(the same statement, carried by 2 outlets, in 2 wordings)" in same
    assert "  - “a fair price” [1]\n  - “an honest price” [3]" in same
    assert "Shares in Nordlicht" in same and "wordings" not in same.split("Shares in Nordlicht")[1]
    html = brief_to_html(_statement_in_two_wordings(brief, "“an honest price”"))
    assert '<ul class="wordings"><li>“a fair price”' in html


@pytest.mark.parametrize(
    "second",
    [
        "“a fair price”",  # the same words: nothing to compare
        "“a price that the workers of the region will accept for many years to come, whatever happens”",
        "a good price",  # not quoted by the other outlet
    ],
)
def test_markdown_same_statement_without_comparable_wordings(brief: Brief, second: str) -> None:
    sections = _sections(brief_to_markdown(_statement_in_two_wordings(brief, second)))
    same = sections["The same statement, carried by several outlets"]
    assert "The union leader called the takeover" in same
    assert "wordings" not in same


def test_contested_about_a_quotation_is_not_quoted_twice(brief: Brief) -> None:
    quoted = copy.deepcopy(brief)
    fact = next(f for f in quoted.facts if f.id == quoted.disagreements[0].fact_id)
    fact.text = "“We agreed to buy Baltic Grid for €4.2 billion,” Nordlicht said."
    markdown = brief_to_markdown(quoted)
    assert "- **Number**: “We agreed to buy Baltic Grid" in markdown
    assert "““" not in markdown
    html = brief_to_html(quoted)
    assert "About: “We agreed to buy Baltic Grid" in html and "““" not in html


def test_timeline_dates_the_event_each_outlet_tells_in_its_own_sentence(brief: Brief) -> None:
    # three outlets each date the takeover to the same day in a sentence of their own (one source each),
    # while two share one background sentence: the day the most outlets name comes first, once
    dated = copy.deepcopy(brief)
    dated.timeline = [
        TimelineEntry("2019", "Nordlicht first bid for the grid in 2019.", [A1, A2], ["in 2019"], "f2"),
        TimelineEntry("2024-03-12", "Nordlicht signed the deal on Tuesday.", [A1], ["on Tuesday"], "f9"),
        TimelineEntry("2024-03-12", "The board approved the sale on Tuesday.", [A3], ["on Tuesday"], "f8"),
        TimelineEntry("2024-03-12", "Baltic Grid confirmed it on Tuesday.", [A4], ["on Tuesday"], "f7"),
    ]
    timeline = _sections(brief_to_markdown(dated))["Timeline"]
    assert timeline.count("**2024-03-12**") == 3 and "**2019**" in timeline  # room for all: date order
    kept = [item.note for item in sorted(build_page(dated).timeline, key=lambda i: i.drop)]
    assert kept[:2] == ["2024-03-12", "2019"]  # the budget keeps each day's best entry before the rest


def _big_brief(facts: int, words_per_article: int, articles: int = 5) -> Brief:
    """A story of ``articles`` outlets with ``facts`` one-outlet facts and long quotes: more than a page."""
    ids = [f"a{i}" for i in range(articles)]
    brief = Brief(
        story=StoryInfo(
            "big", "Flood closes the valley road", "2024-05-01", "2024-05-02", articles, articles
        ),
        articles=[
            ArticleInfo(
                i,
                f"Outlet {i}",
                None,
                f"Headline {i} about the flood",
                "2024-05-01",
                "en",
                i,
                words_per_article,
            )
            for i in ids
        ],
        summary=[
            SummarySentence(
                f"Summary sentence {n} tells what the flood did to the valley road.", ids[:2], f"s{n}"
            )
            for n in range(8)
        ],
        facts=[
            Fact(
                f"x{n}",
                f"Outlet fact {n} says the water rose by {n} centimetres overnight in town.",
                [ids[n % articles]],
                1,
            )
            for n in range(facts)
        ],
        disagreements=[],
        quotes=[
            QuoteGroup(
                f"Speaker {n}",
                "We have never seen the river this high in forty years of living here.",
                ids[:2],
            )
            for n in range(10)
        ],
        timeline=[
            TimelineEntry(
                f"2024-05-{n + 1:02d}", f"Event {n} happened on the road by the river.", ids[:1], []
            )
            for n in range(20)
        ],
        entities=[
            Entity(f"p{n}", f"Person Number{n}", "PERSON", [Alias(f"Number{n}", 2, ids[:1])])
            for n in range(20)
        ],
        coverage={},
    )
    return brief


@pytest.mark.parametrize(("words_per_article", "budget"), [(1000, 900), (300, 750), (40, 100)])
def test_markdown_fits_one_page_budget(words_per_article: int, budget: int) -> None:
    brief = _big_brief(200, words_per_article)
    assert word_budget(brief) == budget
    markdown = brief_to_markdown(brief)
    words = len(markdown.split())
    if budget >= 500:
        assert words <= budget
    # the header, the summary (three sentences unless the articles are tiny) and every source always stay
    sections = _sections(markdown)
    assert len(sections["What happened"].strip().splitlines()) >= (3 if budget >= 500 else 1)
    assert len(re.findall(r"^\d+\. ", sections["Sources"], flags=re.MULTILINE)) == 5
    assert "More in the full brief" in markdown
    showing = sum(1 for o in one_page(brief, markdown_words).single if o.shown)
    assert showing in (0, 5)


def test_one_outlet_facts_shown_for_every_outlet_or_none() -> None:
    # a page that must lose all but two one-outlet lines: a line for every outlet or none (then a count
    # per outlet), never two outlets' lines beside three bare counts
    def words(page: OnePage) -> int:
        return page.budget + sum(len(o.shown) for o in page.single) - 2

    page = one_page(_big_brief(60, 1000), words)
    assert [len(o.shown) for o in page.single] == [0] * 5
    assert all(o.rest for o in page.single)
    section = _sections(page_markdown(page))["Reported by one outlet only"]
    assert re.search(r"by outlet: \[1\] \d+, \[2\] \d+, \[3\] \d+", section)


def test_markdown_one_article_story_has_no_cross_outlet_sections() -> None:
    brief = _big_brief(6, 500, articles=1)
    brief.framing = [OutletFraming("Outlet a0", ["a0"], "Headline 0 about the flood")]
    sections = _sections(brief_to_markdown(brief))
    assert "Reported by one outlet only" not in sections
    assert "How each outlet framed it" not in sections
    assert "· 1 article\n" in brief_to_markdown(brief)
    assert "Headline a0 about the flood" in sections["Sources"]


def _md_to_html(markdown: str) -> str:
    parser = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    return str(parser.render(markdown))


def test_markdown_from_hostile_text_has_no_html_or_links(hostile: Brief) -> None:
    markdown = brief_to_markdown(hostile)
    # every "<" in the document is escaped, except the autolink of a checked http(s) source address
    unescaped = [m.start() for m in re.finditer(r"(?<!\\)<", markdown)]
    autolinks = [m.start() for m in re.finditer(r"(?<!\\)<https?://[^\s<>]+>", markdown)]
    assert unescaped == autolinks
    rendered = _md_to_html(markdown)
    for tag in ("<script", "<img", "<iframe", "<svg", "<b ", "<code", "<em", "<strong>bold"):
        assert tag not in rendered.replace("<strong>Number", "").replace("<strong>2024", "")
    hrefs = re.findall(r'href="([^"]*)"', rendered)
    assert sorted(hrefs) == sorted(
        [
            "https://harbourdaily.example/business/nordlicht-baltic-grid",
            "http://valleycourier.example/2024/03/12/merger",
        ]
    )
    assert "javascript" not in " ".join(hrefs).lower()
    assert re.search(r"<h[1-6]>\s*heading", rendered) is None
    # the attack text is still there to read, as text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered
    assert "[x](javascript:alert(1))" in rendered


def test_markdown_hostile_unsafe_urls_are_shown_not_linked(hostile: Brief) -> None:
    sources = _sections(brief_to_markdown(hostile))["Sources"]
    assert "address (not linked): javascript:alert(1)" in sources
    assert "<javascript" not in sources.lower()


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("[x](javascript:alert(1))", "\\[x\\](javascript:alert(1))"),
        ("<script>", "\\<script>"),
        ("# Breaking", "\\# Breaking"),
        ("- not a list", "\\- not a list"),
        ("2024. A year", "2024\\. A year"),
        ("AT&T and &amp; entity", "AT&T and \\&amp; entity"),
        ("snake_case stays, _emphasis_ does not", "snake_case stays, \\_emphasis\\_ does not"),
        ("line one\nline two\x1b[31m", "line one line two\\[31m"),
        ("a `tick` *star* ~strike~ | pipe", "a \\`tick\\` \\*star\\* \\~strike\\~ \\| pipe"),
        ("Title ##", "Title \\#\\#"),
        (None, ""),
    ],
)
def test_md_escape(raw: str | None, escaped: str) -> None:
    assert md_escape(raw) == escaped


# --------------------------------------------------------------------------------------------------
# HTML


class _Collector(HTMLParser):
    """Every start tag with its attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.tags


def test_html_escapes_hostile_content(hostile: Brief) -> None:
    html = brief_to_html(hostile)
    for raw in (SCRIPT, IMG, "<svg onload", "<iframe", "<b onmouseover", "<a href='javascript"):
        assert raw not in html
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    tags = _tags(html)
    names = {t for t, _ in tags}
    assert not names & {"script", "img", "iframe", "svg", "object", "embed", "form", "base"}
    for tag, attrs in tags:
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        href = attrs.get("href")
        if href is not None:
            assert href.startswith("#") or href.startswith(("https://", "http://")), href
    assert "javascript" not in " ".join(str(a.get("href")) for _, a in tags).lower()
    assert "address (not linked): javascript:alert(1)" in html


def test_html_is_standalone_and_script_free(brief: Brief) -> None:
    html = brief_to_html(brief)
    assert html.startswith("<!DOCTYPE html>")
    assert "<style>" in html
    tags = _tags(html)
    assert not [t for t, _ in tags if t in {"script", "link", "img", "iframe"}]
    hrefs = [a.get("href") or "" for t, a in tags if t == "a"]
    external = [h for h in hrefs if h and not h.startswith("#")]
    assert sorted(external) == sorted(
        [
            "https://harbourdaily.example/business/nordlicht-baltic-grid",
            "http://valleycourier.example/2024/03/12/merger",
            "https://energydesk.example/a/19",
        ]
    )
    style = html.split("<style>")[1].split("</style>")[0]
    assert "url(" not in style and "@import" not in style  # the CSS loads nothing either


def test_html_anchors_for_sources_and_facts_and_no_broken_links(brief: Brief) -> None:
    html = brief_to_html(brief)
    tags = _tags(html)
    ids = [a.get("id") or "" for _, a in tags if a.get("id")]
    assert len(ids) == len(set(ids))
    for n in range(1, len(brief.articles) + 1):
        assert f"src-{n}" in ids
    for fact in brief.facts:
        assert f"fact-{fact.id}" in ids
    internal = {h[1:] for h in (a.get("href") or "" for _, a in tags) if h.startswith("#")}
    assert internal <= set(ids)
    assert {"fact-f1", "src-1", "src-4", "dis-1", "contested"} <= internal


def test_html_summary_cites_sources(brief: Brief) -> None:
    html = brief_to_html(brief)
    summary = html.split('<section id="what-happened"')[1].split("</section>")[0]
    assert re.findall(r'href="#(src-\d+)"', summary) == ["src-1", "src-2", "src-3", "src-4", "src-3"]


def test_html_every_fact_collapsed_with_variants(brief: Brief) -> None:
    html = brief_to_html(brief)
    facts = html.split('<details class="more" id="facts">')[1].split(
        '<details class="more" id="all-quotes">'
    )[0]
    items = facts.split('<li id="fact-')[1:]
    assert len(items) == 5
    first = items[0]
    assert "<details>" in first and "How each source puts it (4)" in first
    assert "Baltic Grid is being sold to Nordlicht for €4.1 billion." in first
    assert 'href="#dis-1"' in first and "sources differ (number)" in first


def test_html_disagreement_is_marked_box(brief: Brief) -> None:
    html = brief_to_html(brief)
    box = html.split('<div class="disagreement" id="dis-1"')[1].split("</div>")[0]
    assert "€4.1 billion" in box and 'href="#src-3"' in box and "One source gives a lower price." in box
    assert re.search(r"\.disagreement\s*\{[^}]*border", html)


def test_html_one_page_sections_then_collapsed_rest(brief: Brief) -> None:
    html = brief_to_html(brief)
    headings = re.findall(r"<h2>(.+?)</h2>", html)
    assert headings == [*ONE_PAGE_TITLES, "More from the sources"]
    assert '<span class="lean">centre-left</span>' in html
    framing = html.split('<section id="framing"')[1].split("</section>")[0]
    assert framing.count('<div class="frame">') == 4 and '<span class="chip">wary</span>' in framing
    single = html.split('<section id="single"')[1].split("</section>")[0]
    assert "chief executive will stay on" in single
    sources = html.split('<section id="sources"')[1]
    assert "published 2024-03 (estimated)" in sources
    assert "2 navigation, 1 advertising" in sources
    assert "Reporting by Jonas Berg; editing by Mara Holt" in sources
    assert "suspect spelling “Anna Lindquist”" in html
    # everything past the one-pager sits in collapsed sections: none is open
    more = html.split('<section id="more"')[1]
    assert more.count('<details class="more"') == 6 and "<details open" not in html


def test_template_never_marks_text_safe() -> None:
    template = (resources.files("storyweave.render") / "templates" / "brief.html.j2").read_text(
        encoding="utf-8"
    )
    assert "|safe" not in template.replace(" ", "") and "Markup" not in template
    assert "autoescape false" not in template


# --------------------------------------------------------------------------------------------------
# Shared pieces


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://example.org/a?b=1#c", True),
        ("http://example.org", True),
        ("javascript:alert(1)", False),
        (" JAVASCRIPT:alert(1)", False),
        ("data:text/html,<b>x</b>", False),
        ("//evil.example/x", False),
        ("/relative/path", False),
        ('https://example.org/"onmouseover=alert(1)', False),
        ("https://example.org/a b", False),
        ("https:///nohost", False),
        (None, False),
    ],
)
def test_safe_url(url: str | None, ok: bool) -> None:
    assert (safe_url(url) is not None) is ok


def test_renderers_map_extensions(brief: Brief) -> None:
    assert set(RENDERERS) == {"json", "md", "html"}
    assert RENDERERS["json"](brief) == brief_to_json(brief)
    assert RENDERERS["md"](brief).startswith("# ")
    assert RENDERERS["html"](brief).startswith("<!DOCTYPE html>")


def test_empty_brief_renders_what_it_can() -> None:
    empty = Brief(
        story=StoryInfo("s0", "", None, None, 0, 0),
        articles=[],
        summary=[],
        facts=[],
        disagreements=[],
        quotes=[],
        timeline=[],
        entities=[],
        coverage={},
    )
    validate_brief(json.loads(brief_to_json(empty)))
    markdown = brief_to_markdown(empty)
    assert re.findall(r"^## (.+)$", markdown, flags=re.MULTILINE) == ["What happened", "Sources"]
    assert "date unknown" in markdown and "No summary." in markdown and "No sources." in markdown
    html = brief_to_html(empty)
    assert re.findall(r"<h2>(.+?)</h2>", html) == ["What happened", "Sources", "More from the sources"]
    assert "No source text in this brief." in html


# --------------------------------------------------------------------------------------------------
# HTML: source texts with sentence anchors; citations lead to the supporting sentence


def _with_texts(brief: Brief) -> Brief:
    """The merger brief with each source's cleaned text split into sentences, as the pipeline adds them."""
    brief = copy.deepcopy(brief)
    texts = {
        A1: ["Nordlicht Energy agreed to buy Baltic Grid for €4.2 billion.", "Shares rose 3% in Oslo."],
        A2: ["Nordlicht Energy agreed to buy Baltic Grid for €4.2 billion."],
        A3: [
            "Unions in Lithuania reacted with caution.",
            "Baltic Grid is being sold to Nordlicht for €4.1 billion.",
            f"A reader wrote {SCRIPT} in the comments.",
        ],
    }
    for article in brief.articles:
        start = 0
        for index, text in enumerate(texts.get(article.id, [])):
            end = start + len(text)
            article.sentences.append(Sentence(f"{article.id}#{index}", article.id, index, text, start, end))
            start += len(text) + 1
    return brief


def test_json_carries_source_sentences_and_round_trips(brief: Brief) -> None:
    rich = _with_texts(brief)
    data = json.loads(brief_to_json(rich))
    validate_brief(data)
    assert data["articles"][0]["sentences"][1]["text"] == "Shares rose 3% in Oslo."
    assert Brief.from_dict(data) == rich
    data["articles"][0]["sentences"][0]["index"] = "first"
    with pytest.raises(jsonschema.ValidationError):
        validate_brief(data)


def test_html_citations_lead_to_the_supporting_sentence(brief: Brief) -> None:
    html = brief_to_html(_with_texts(brief))
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    for href in re.findall(r'href="#([^"]*)"', html):
        assert href in ids, f"broken in-page link #{href}"
    texts = html.split('<details class="more" id="texts"')[1]
    # every sentence of a source with text is an anchor, in order, inside that source's article block
    assert re.findall(r'id="(src-3-s\d+)"', texts) == ["src-3-s0", "src-3-s1", "src-3-s2"]
    # the summary's first sentence (fact f1) cites each source at the sentence that states it
    first = html.split('<section id="what-happened"')[1].split("</p>")[0]
    assert re.findall(r'class="cite" href="#([^"]+)"', first) == ["src-1-s0", "src-2-s0", "src-3-s1", "src-4"]
    # source 4 has no text in this brief: its citation falls back to the source entry
    assert 'id="text-4"' not in html and 'id="text-3"' in html
    # a sentence backing a fact links back to it, and the disputed fact's sentences are marked
    assert re.search(r'class="sent in-summary disputed" id="src-3-s1">Baltic Grid is being sold', texts)
    assert re.search(r'id="src-3-s1">[^<]*</span><a class="back" href="#fact-f1"', texts)
    assert re.search(r"\.sent:target\s*\{[^}]*background", html)
    # article text in the source texts is escaped like everywhere else
    assert "&lt;script&gt;" in texts and "<script" not in html


def test_html_summary_marks_disputed_sentences(brief: Brief) -> None:
    html = brief_to_html(brief)
    summary = html.split('<section id="what-happened"')[1].split("</section>")[0]
    disputed = re.findall(r'<p class="summary-sentence disputed">(.*?)</p>', summary, flags=re.S)
    assert len(disputed) == 1 and 'href="#contested"' in disputed[0] and "contested: number" in disputed[0]


def test_a_disagreement_across_facts_cites_each_values_sentences(brief: Brief) -> None:
    rich = _with_texts(brief)
    rich.disagreements.append(
        Disagreement(
            fact_id=None,
            kind="date",
            values=[
                ValueSources("2024-03-12", [A1], [f"{A1}#1"]),
                ValueSources("2024-03-11", [A3], [f"{A3}#0"]),
            ],
            note="The sources date the announcement differently.",
        )
    )
    contested = _sections(brief_to_markdown(rich))["Contested"]
    assert "- **Date** (across facts)" in contested
    assert "  - 2024-03-12 [1]" in contested and "  - 2024-03-11 [3]" in contested
    html = brief_to_html(rich)
    box = html.split('<div class="disagreement" id="dis-2"')[1].split("</div>")[0]
    assert "Across several facts" in box
    assert re.findall(r'class="cite" href="#([^"]+)"', box) == ["src-1-s1", "src-3-s0"]


def test_one_pager_lists_only_lines_that_stand_alone(brief: Brief) -> None:
    rich = copy.deepcopy(brief)
    run_on = " ".join(["Both women had been found in the flat and police said more."] * 6)
    rich.facts.append(Fact("f6", run_on, [A1, A3], 2, corroboration="independent"))
    rich.facts.append(Fact("f7", "He said the deal would close early next year.", [A4], 1))
    sections = _sections(brief_to_markdown(rich))
    assert "Both women" not in sections["Confirmed by independent reporting"]
    single = sections["Reported by one outlet only"]
    assert "He said the deal" not in single and "chief executive will stay on" in single
    assert "… one more" in single  # the dangling line is collapsed, not dropped
