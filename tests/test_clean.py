"""Tests of the CLEAN stage on hand-written scraped-news fixtures (not the bundled sample)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyweave.clean import clean_article, is_title
from storyweave.clean.lines import sentences, split_paragraphs
from storyweave.clean.patterns import classify_line
from storyweave.model import REMOVAL_REASONS, Article, Removal

# --------------------------------------------------------------------------------------------------
# Fixtures: a scraped wire story with every kind of residue, blank-line separated

QUAKE_BODY = [
    "A magnitude 6.8 earthquake struck central Chile on Sunday, killing at least 12 people and collapsing "
    "dozens of homes in the coastal region of Valparaiso, officials said.",
    "The quake hit at 2:41 p.m. local time at a depth of 35 km, about 60 km west of the capital Santiago, "
    "according to the U.S. Geological Survey.",
    "Chile's Interior Minister Carolina Toha said rescue teams were searching the rubble of a collapsed "
    "apartment block in Vina del Mar, where residents reported hearing voices.",
    '"We are working hour by hour to reach everyone who may still be trapped," Toha told reporters at an '
    "emergency briefing in Valparaiso.",
    "Aftershocks and power cuts",
    "At least 40 aftershocks were recorded overnight, the largest of magnitude 5.2, Chile's national "
    "seismological centre said.",
    "Electricity was cut to about 300,000 homes in Valparaiso and parts of Santiago, and the state mining "
    "company Codelco said operations at two copper mines had been briefly suspended.",
    'Chile sits on the Pacific "Ring of Fire" and is among the most earthquake-prone countries in the '
    "world. In 2010, a magnitude 8.8 quake and the tsunami it triggered killed more than 500 people.",
    '"It was the longest minute of my life," said Ana Rojas, 54, a shopkeeper in Vina del Mar.',
]
SPORTS = [
    "Manchester United came from behind to beat Chelsea 2-1 at Old Trafford on Saturday, with Marcus "
    "Rashford scoring a late winner after Cole Palmer had given the visitors the lead.",
    "Rashford's strike, his tenth goal of the season, lifted United to fifth in the Premier League table, "
    "two points behind Tottenham with six games left.",
]
WEATHER = [
    "Heavy rain and gusts of up to 80 mph are expected to batter southern England on Tuesday, the Met "
    "Office warned, issuing amber weather warnings for Devon and Cornwall.",
    "Forecasters said flooding was likely in low-lying areas and urged drivers to avoid unnecessary "
    "journeys until the storm clears on Wednesday afternoon.",
]
QUAKE_TITLE = "Strong Earthquake Strikes Central Chile, Killing at Least 12"
QUAKE_RAW = "\n\n".join(
    [
        "Skip to main content",
        QUAKE_TITLE,
        QUAKE_TITLE.lower(),
        "By Maria Gonzalez and Tom Reed, Reuters",
        "Published: 3 March 2024 | Updated 4 March 2024 09:15 GMT",
        "SANTIAGO, March 3 (Reuters) - " + QUAKE_BODY[0],
        "Advertisement",
        *QUAKE_BODY[1:6],
        "Advertisement",
        *QUAKE_BODY[6:],
        "(Except for the headline, this story has not been edited by Andes Daily staff and is published "
        "from a syndicated feed.)",
        *SPORTS,
        *WEATHER,
        "Comments",
        "Be the first to comment",
        "Post a Comment",
    ]
)


def _reasons(article: Article) -> dict[str, str]:
    return {r.text: r.reason for r in article.removed}


def test_wire_story_metadata_title_and_removals() -> None:
    out = clean_article(Article(id="quake", raw_text=QUAKE_RAW))
    assert out.title == QUAKE_TITLE
    assert out.published == "2024-03-03"  # the "Published" date, not the "Updated" one
    assert out.outlet == "Andes Daily"
    reasons = _reasons(out)
    assert reasons["Skip to main content"] == "navigation"
    assert reasons[QUAKE_TITLE.lower()] == "duplicate"
    assert reasons["By Maria Gonzalez and Tom Reed, Reuters"] == "metadata"
    assert reasons["Published: 3 March 2024"] == "metadata"
    assert reasons["Updated 4 March 2024 09:15 GMT"] == "metadata"
    assert reasons["SANTIAGO, March 3 (Reuters) -"] == "metadata"
    assert [r.reason for r in out.removed if r.text == "Advertisement"] == ["advertising", "advertising"]
    assert any(r.reason == "syndication-note" and "Andes Daily" in r.text for r in out.removed)
    for paragraph in SPORTS + WEATHER:
        assert reasons[paragraph] == "off-topic"
    for line in ("Comments", "Be the first to comment", "Post a Comment"):
        assert reasons[line] == "comments"
    assert all(r.reason in REMOVAL_REASONS for r in out.removed)


def test_wire_story_keeps_every_real_paragraph_in_order() -> None:
    out = clean_article(Article(id="quake", raw_text=QUAKE_RAW))
    assert out.paragraphs == QUAKE_BODY  # dateline cut from the first; heading and closing quote kept
    assert "\n\n" in out.text and QUAKE_TITLE not in out.text


def test_removal_lines_point_at_the_raw_line() -> None:
    out = clean_article(Article(id="quake", raw_text=QUAKE_RAW))
    raw_lines = QUAKE_RAW.split("\n")
    for removal in out.removed:
        assert removal.line is not None
        assert removal.text in raw_lines[removal.line]


def test_reader_fields_are_kept() -> None:
    article = Article(
        id="q", raw_text=QUAKE_RAW, title="Chile quake kills 12", published="2024-03-04", outlet="Wire"
    )
    out = clean_article(article)
    assert (out.title, out.published, out.outlet) == ("Chile quake kills 12", "2024-03-04", "Wire")
    assert out is not article and article.text == ""  # a new Article; the input is untouched
    # with a preset title the first line stays a body line: it is not the given title
    assert out.paragraphs[0] == QUAKE_TITLE


def test_preset_title_line_is_removed_as_duplicate() -> None:
    out = clean_article(Article(id="q", raw_text=QUAKE_RAW, title=QUAKE_TITLE))
    reasons = [r.reason for r in out.removed if r.text.lower() == QUAKE_TITLE.lower()]
    assert reasons == ["duplicate", "duplicate"]
    assert out.paragraphs == QUAKE_BODY


# --------------------------------------------------------------------------------------------------
# One paragraph per line, a section heading, an appended story under its own headline

COURT_BODY = [
    "The country's Supreme Court on Tuesday struck down a state law banning ride-hailing apps, ruling that "
    "the ban violated constitutional guarantees of free trade and equal treatment.",
    "The 7-2 decision ends a three-year legal fight between the state government of Karnala and the "
    "companies Swiftride and GoCab, which had challenged the 2021 ban.",
    'Chief Justice Anita Rao, writing for the majority, said Karnala had "failed to show any public '
    'interest served by a blanket prohibition" of the services.',
    "Karnala's transport minister said the government would study the judgment before deciding its next "
    "steps.",
    "What the ruling means",
    "Swiftride and GoCab can resume operations in Karnala immediately, although the court said local "
    "authorities could still impose licensing rules and safety checks on ride-hailing drivers.",
    "Taxi unions, which had lobbied for the ban, called a one-day strike for Thursday.",
    "In two dissenting opinions, Justices Mehta and Kurian argued that states should be free to regulate "
    "urban transport as they see fit.",
]
STORM = [
    "Storm Isha to bring 90mph winds to Scotland",
    "Storm Isha is forecast to bring gusts of up to 90mph to western Scotland on Sunday night, and "
    "ScotRail has cancelled all trains north of Glasgow as a precaution.",
    "Network Rail said engineers would inspect the lines for fallen trees before ScotRail services "
    "restart on Monday morning.",
]
COURT_RAW = "\n".join(
    [
        "Supreme Court Strikes Down State Ban on Ride-Hailing Apps",
        "Share",
        "Tweet",
        *COURT_BODY[:4],
        "Reading time: 3 min",
        *COURT_BODY[4:],
        "Sponsored",
        *STORM,
    ]
)


def test_line_per_paragraph_article_with_heading_and_appended_headline_story() -> None:
    out = clean_article(Article(id="court", raw_text=COURT_RAW))
    assert out.title == "Supreme Court Strikes Down State Ban on Ride-Hailing Apps"
    assert out.paragraphs == COURT_BODY  # "What the ruling means" survives as a heading
    reasons = _reasons(out)
    assert reasons["Share"] == reasons["Tweet"] == "navigation"
    assert reasons["Reading time: 3 min"] == "metadata"
    assert reasons["Sponsored"] == "advertising"
    for line in STORM:
        assert reasons[line] == "off-topic"
    assert out.published is None and out.outlet is None


def test_section_headings_are_kept() -> None:
    raw = "\n\n".join(
        [
            "Flooding Forces Thousands From Homes in Northern Italy",
            "Floodwaters forced more than 8,000 people from their homes in the northern Italian region of "
            "Emilia-Romagna on Wednesday after two days of torrential rain burst the banks of rivers.",
            "- 'Like a river in the kitchen' -",
            "Civil protection officials in Emilia-Romagna said at least three people had died around Faenza.",
            "Rescue from the rooftops",
            "Rescuers in Faenza used boats and helicopters to reach families stranded on rooftops.",
        ]
    )
    out = clean_article(Article(id="flood", raw_text=raw))
    assert "- 'Like a river in the kitchen' -" in out.paragraphs
    assert "Rescue from the rooftops" in out.paragraphs
    assert out.removed == []


def test_closing_expert_section_with_new_names_is_kept() -> None:
    """New people at the end of an article look like another story's lede; naming the head keeps them."""
    body = [
        "Floodwaters forced more than 8,000 people from their homes in the northern Italian region of "
        "Emilia-Romagna on Wednesday after two days of torrential rain burst the banks of several rivers.",
        "Civil protection officials said at least three people had died and rescuers were using boats and "
        "helicopters to reach families stranded on rooftops around the town of Faenza.",
        "Prime Minister Giorgia Meloni said the government would declare a state of emergency and release 20 "
        "million euros in immediate aid.",
        "Meteorologist Giulia Conti of the University of Bologna said the storms had been fuelled by an "
        "unusually warm Mediterranean Sea, which was three degrees above its average this month.",
        "Conti said warmer seas hold more moisture, making downpours like this week's more intense and more "
        "frequent in Italy.",
    ]
    out = clean_article(Article(id="flood", raw_text="\n\n".join(body)))
    assert out.paragraphs == body
    assert out.removed == []


# --------------------------------------------------------------------------------------------------
# Repeats: pull quotes, repeated paragraphs and sentences

MERGER_BODY = [
    "Lumen Pharma said on Monday it had agreed to buy rival drugmaker Corvex for $14 billion in cash, the "
    "biggest pharmaceutical takeover of the year.",
    "The deal, approved by both boards, values Corvex at $62 a share, a premium of 38% to its closing "
    "price on Friday.",
    '"This combination gives us the pipeline to lead in immunology for the next decade," Lumen chief '
    'executive Sarah Whitfield said in a statement. "We expect the deal to pay for itself within three '
    'years."',
    "Corvex shareholders will vote on the offer in June, and the companies expect the takeover to close by "
    "the end of the year, subject to regulatory approval.",
    "Lumen shares fell 4% in early trading, while Corvex stock jumped 31%.",
]
PULL_QUOTE = "We expect the whole deal to pay for itself within three years."


def test_pull_quote_repeating_a_sentence_is_a_duplicate() -> None:
    title = "Lumen Pharma to Buy Rival Corvex in $14 Billion Deal"
    raw = "\n\n".join([title, *MERGER_BODY[:3], PULL_QUOTE, *MERGER_BODY[3:]])
    out = clean_article(Article(id="merger", raw_text=raw))
    assert out.title == title
    assert _reasons(out) == {PULL_QUOTE: "duplicate"}
    assert out.paragraphs == MERGER_BODY


def test_repeated_paragraph_and_sentence_are_removed_once() -> None:
    repeated = "The deal, approved by both boards, values Corvex at $62 a share."
    body = [
        MERGER_BODY[0],
        repeated + " Analysts called the price generous.",
        MERGER_BODY[3],
        "Lumen said the combined company would keep its headquarters in Boston. " + repeated,
        MERGER_BODY[3],
    ]
    out = clean_article(Article(id="merger", raw_text="\n\n".join(body)))
    assert [r.reason for r in out.removed] == ["duplicate", "duplicate"]
    assert out.paragraphs == [
        MERGER_BODY[0],
        repeated + " Analysts called the price generous.",
        MERGER_BODY[3],
        "Lumen said the combined company would keep its headquarters in Boston.",
    ]


def test_similar_sentences_with_different_figures_are_not_duplicates() -> None:
    body = [
        "Rescuers in the coastal city said the death toll from the collapse had risen to 1,200 by Tuesday.",
        "Hospitals across the region were overwhelmed and appealed for blood donors.",
        "Rescuers in the coastal city said the death toll from the collapse had risen to 1,500 by Tuesday.",
    ]
    out = clean_article(Article(id="toll", raw_text="\n\n".join(body)))
    assert out.paragraphs == body


# --------------------------------------------------------------------------------------------------
# Lines that mix kinds, dates, outlets, titles


def test_mixed_line_is_split_and_its_date_published() -> None:
    raw = " date 2024-05-02 Advertisement\n\nCouncil Approves New Tram Line.\n\n" + MERGER_BODY[0]
    out = clean_article(Article(id="mixed", raw_text=raw))
    assert [(r.text, r.reason, r.line) for r in out.removed] == [
        ("date 2024-05-02", "metadata", 0),
        ("Advertisement", "advertising", 0),
    ]
    assert out.published == "2024-05-02"
    assert out.title == "Council Approves New Tram Line."  # a headline may end with a period


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("date 2023-09-14", "2023-09-14"),
        ("Published: 14 September 2023", "2023-09-14"),
        ("Updated Sept. 14, 2023 10:32 GMT", "2023-09-14"),
        ("Thursday 14 September 2023 10.32 BST", "2023-09-14"),
        ("Posted on March 3rd, 2024", "2024-03-03"),
        ("By Jane Doe | Published 2 June 2022 | 4 min read", "2022-06-02"),
    ],
)
def test_date_lines_fill_published(line: str, iso: str) -> None:
    out = clean_article(Article(id="d", raw_text=line + "\n" + "\n".join(COURT_BODY)))
    assert out.published == iso
    assert all(r.reason == "metadata" and r.line == 0 for r in out.removed)
    assert out.paragraphs == COURT_BODY


@pytest.mark.parametrize(
    ("note", "outlet"),
    [
        (
            "(Except for the headline, this story has not been edited by NDTV staff and is published from a "
            "syndicated feed.)",
            "NDTV",
        ),
        (
            "(This story has not been edited by Business Standard staff and is auto-generated from a "
            "syndicated feed.)",
            "Business Standard",
        ),
        ("from Daily Ledger - World News https://ift.tt/3xYz9", "Daily Ledger"),
        (
            "This article originally appeared on The Conversation and is republished under a Creative "
            "Commons license.",
            "The Conversation",
        ),
    ],
)
def test_syndication_notes_name_the_outlet(note: str, outlet: str) -> None:
    out = clean_article(Article(id="s", raw_text="\n".join([*COURT_BODY, note])))
    assert out.outlet == outlet
    assert [r.reason for r in out.removed] == ["syndication-note"]
    assert out.paragraphs == COURT_BODY


def test_title_rules() -> None:
    assert is_title("In Show Of Camaraderie, Leaders Trade Gifts")
    assert is_title("Kim's visit prolonged, fuelling suspicions of arms deal.")
    # a lede: a full sentence ending in a period, with the articles and auxiliaries headlines drop
    assert not is_title("The president has accepted an invitation from the premier to visit the island.")
    assert not is_title("Police arrested two men. Both were released on bail.")  # two sentences
    assert not is_title(" ".join(["word"] * 25))
    lede_first = "\n".join(COURT_BODY)
    out = clean_article(Article(id="t", raw_text=lede_first))
    assert out.title is None and out.paragraphs == COURT_BODY


def test_prose_is_not_boilerplate() -> None:
    for line in [
        "Share prices fell sharply on Monday.",
        "By Monday evening, rescuers had pulled 40 people from the rubble.",
        "Reporting by the BBC suggested that the death toll had risen above 100.",
        "Sponsored by the government, the scheme will run for three years.",
        "Photo: Rescue workers search the rubble of a collapsed building in Antakya.",
        "By the numbers",
        "North Korean cosmonaut",
        "- 'Blood alliance' -",
        "“Destabilization in the region”",
    ]:
        assert classify_line(line) is None, line


def test_early_marker_goes_alone() -> None:
    raw = "\n".join(["Comments (12)", *COURT_BODY])
    out = clean_article(Article(id="c", raw_text=raw))
    assert [(r.text, r.reason) for r in out.removed] == [("Comments (12)", "comments")]
    assert out.paragraphs == COURT_BODY


def test_marker_section_ends_when_the_article_resumes() -> None:
    resumed = (
        "Later on Tuesday, Swiftride and GoCab drivers gathered outside the Supreme Court in Karnala to "
        "celebrate the ruling, and Swiftride said the first rides would be offered within days."
    )
    raw = "\n".join([*COURT_BODY[:4], "Related", "Taxi strike called for Thursday", resumed, *COURT_BODY[4:]])
    out = clean_article(Article(id="r", raw_text=raw))
    assert _reasons(out) == {"Related": "off-topic", "Taxi strike called for Thursday": "off-topic"}
    assert out.paragraphs == [*COURT_BODY[:4], resumed, *COURT_BODY[4:]]


def test_read_more_link_lines() -> None:
    raw = "\n".join([*COURT_BODY[:3], "READ MORE: How ride-hailing apps changed our cities", *COURT_BODY[3:]])
    out = clean_article(Article(id="m", raw_text=raw))
    assert _reasons(out) == {"READ MORE: How ride-hailing apps changed our cities": "off-topic"}
    assert out.paragraphs == COURT_BODY


# --------------------------------------------------------------------------------------------------
# Robustness and speed


@pytest.mark.parametrize(
    "raw",
    ["", " ", "\n\n\t\n", "\u00a0\u200b\n\ufeff", "\x00\x01\x02\xff\ufffd" * 50, "a", "...", "\r\n\r\r"],
)
def test_degenerate_inputs(raw: str) -> None:
    out = clean_article(Article(id="x", raw_text=raw))
    assert isinstance(out.text, str)
    for removal in out.removed:
        assert removal.text in raw


_LINES = st.sampled_from(
    [
        "Advertisement",
        " date 2023-09-14 Advertisement",
        "Comments",
        "Related",
        "Skip to main content",
        "By Jane Doe, Reuters",
        "Published: 3 March 2024 | Updated 4 March 2024 09:15 GMT",
        "(Except for the headline, this story has not been edited by X staff and is published from a "
        "syndicated feed.)",
        "from Feed - News https://ift.tt/x",
        "MOSCOW, Sept 14 (Reuters) - Talks went on.",
        QUAKE_TITLE,
        QUAKE_TITLE.lower(),
        *QUAKE_BODY,
        *SPORTS,
        *WEATHER,
        PULL_QUOTE,
        *MERGER_BODY,
        "",
        "\u00a0",
    ]
)
_TEXTS = st.one_of(
    st.text(max_size=2000),
    st.lists(st.one_of(_LINES, st.text(max_size=120)), max_size=40).map("\n".join),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXTS)
def test_never_raises_and_removals_come_from_the_raw_text(raw: str) -> None:
    out = clean_article(Article(id="h", raw_text=raw))
    assert isinstance(out.text, str)
    for removal in out.removed:
        assert isinstance(removal, Removal)
        assert removal.reason in REMOVAL_REASONS
        assert removal.text and removal.text in raw
    if out.published is not None:
        assert len(out.published) == 10 and out.published[4] == "-"


def test_large_input_keeps_its_body() -> None:
    """A page of hundreds of paragraphs plus one 100,000-word line is cleaned, not dropped.

    Speed is measured by the benchmarks in bench/, never asserted here.
    """
    raw = "\n\n".join([QUAKE_RAW, COURT_RAW] * 400) + "\n" + "word " * 100_000
    out = clean_article(Article(id="big", raw_text=raw))
    assert "magnitude" in out.text


def test_helpers_split_lines_and_sentences() -> None:
    paras = split_paragraphs("One line.\r\n\r\n  Two \u00a0\nThree")
    assert [(p.line, p.text) for p in paras] == [(0, "One line."), (2, "Two"), (3, "Three")]
    assert sentences('Mr. Putin met Kim. "It went well," he said. U.S. officials disagreed.') == [
        "Mr. Putin met Kim.",
        '"It went well," he said.',
        "U.S. officials disagreed.",
    ]
