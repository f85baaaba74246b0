"""Article structure in the cleaner: headline, standfirst, captions, byline, dateline, body; pages that are
not articles; the article's date read from its text. Invented fixtures (not the bundled sample)."""

from __future__ import annotations

import pytest

from storyweave.clean import clean_article
from storyweave.clean.structure import (
    caption_kind,
    short_caption,
    split_glued_title,
    unescape_newlines,
)
from storyweave.model import Article

LEDE = (
    "Rescue teams in the coastal town of Porto Vell pulled 14 survivors from a collapsed hotel overnight, "
    "the regional governor said on Sunday, as the death toll from the storm rose to 31."
)
SECOND = (
    "The storm, the strongest to hit the region in a decade, brought down power lines across three "
    "provinces and left about 80,000 homes without electricity, the grid operator said."
)
THIRD = (
    "Governor Elena Marsh said schools would stay closed until Wednesday while engineers inspected "
    "bridges and the main coastal road, which was partly washed away."
)


def clean(raw: str, **fields: object) -> Article:
    return clean_article(Article(id="a", raw_text=raw, **fields))  # type: ignore[arg-type]


def test_title_glued_to_lede_with_literal_newlines_and_caption() -> None:
    raw = (
        "Storm Kills 31 in Coastal Province\\nSurvivors at the hotel ruins on Sunday.\\n"
        + LEDE
        + "\\n\\n"
        + SECOND
    )
    out = clean(raw)
    assert out.title == "Storm Kills 31 in Coastal Province"
    assert out.captions == ["Survivors at the hotel ruins on Sunday."]
    assert out.paragraphs == [LEDE, SECOND]
    assert "\\n" not in out.text
    assert any(r.text == out.captions[0] and r.reason == "metadata" for r in out.removed)


def test_title_run_into_lede_on_one_line() -> None:
    out = clean("Storm Kills 31 in Coastal Province The storm " + LEDE[0].lower() + LEDE[1:] + "\n" + SECOND)
    assert out.title == "Storm Kills 31 in Coastal Province"
    assert out.paragraphs[0].startswith("The storm rescue teams")


def test_title_run_into_wire_dateline() -> None:
    out = clean("Storm Kills 31 in Coastal Province PORTO VELL, March 3 (Reuters) - " + LEDE + "\n" + SECOND)
    assert out.title == "Storm Kills 31 in Coastal Province"
    assert out.dateline == "PORTO VELL, March 3 (Reuters) -"
    assert out.paragraphs[0] == LEDE


def test_glued_title_takes_the_last_lede_opener_and_ignores_stray_spaces() -> None:
    glued = "Quake Hits Chile After Storm The quake struck the coast on Sunday and killed 12 people."
    assert split_glued_title(glued) == (
        "Quake Hits Chile After Storm",
        "The quake struck the coast on Sunday and killed 12 people.",
    )
    sloppy = "The dollar amount was unspecified, but Bill  Shaikin, who wrote the story, says it was large."
    assert split_glued_title(sloppy) is None


def test_lede_opening_with_a_name_is_not_split() -> None:
    line = "Chile's Interior Minister Carolina Toha said rescue teams were searching the rubble on Sunday."
    assert split_glued_title(line) is None
    assert split_glued_title(LEDE) is None


def test_byline_dateline_standfirst_and_captions_move_to_fields() -> None:
    raw = "\n".join(
        [
            "Storm kills 31 in coastal province",
            "Hundreds of homes flattened as rescuers search through the night for the missing",
            "By Ana Ruiz and Tom Hale",
            "PORTO VELL, March 3, 2024 (AP) — " + LEDE,
            "Residents clear debris from a street in Porto Vell, Sunday, March 3, 2024. (AP Photo/Jo Lane)",
            SECOND,
            "FILE - Fishing boats in the harbour of Porto Vell in 2019.",
            THIRD,
        ]
    )
    out = clean(raw)
    assert out.title == "Storm kills 31 in coastal province"
    assert out.standfirst == (
        "Hundreds of homes flattened as rescuers search through the night for the missing"
    )
    assert out.byline == "By Ana Ruiz and Tom Hale"
    assert out.dateline == "PORTO VELL, March 3, 2024 (AP) —"
    assert len(out.captions) == 2 and out.captions[0].startswith("Residents clear debris")
    assert out.paragraphs == [LEDE, SECOND, THIRD]
    assert out.published == "2024-03-03" and out.published_from == "text"
    moved = {r.text for r in out.removed if r.reason == "metadata"}
    assert {out.byline, out.standfirst, *out.captions} <= moved


def test_metadata_title_with_literal_newline_gives_standfirst() -> None:
    out = clean(LEDE + "\n" + SECOND, title="Storm kills 31\\nRescuers search through the night")
    assert out.title == "Storm kills 31"
    assert out.standfirst == "Rescuers search through the night"


def test_metadata_date_is_marked_metadata() -> None:
    out = clean(LEDE + "\n" + SECOND, published="2024-03-04")
    assert (out.published, out.published_from) == ("2024-03-04", "metadata")


def test_date_from_reuters_dateline_and_year_near_top() -> None:
    raw = "\n".join(
        [
            "PORTO VELL, March 3 (Reuters) - " + LEDE,
            "Residents clear debris in Porto Vell, Sunday, March 3, 2024. (Reuters/Jo Lane)",
            SECOND,
        ]
    )
    out = clean(raw)
    assert (out.published, out.published_from) == ("2024-03-03", "text")


def test_date_from_published_line() -> None:
    out = clean("Published: 5 April 2022\n" + LEDE + "\n" + SECOND)
    assert (out.published, out.published_from) == ("2022-04-05", "text")


def test_a_date_naming_another_event_does_not_date_the_article() -> None:
    text = "Officials compared the storm with the March 9, 2011, floods that closed the port for a month."
    assert clean(LEDE + "\n" + text + "\n" + SECOND).published is None
    dated = "The port closed on March 9, 2024, and reopened two days later."
    assert clean(LEDE + "\n" + dated + "\n" + SECOND).published == "2024-03-09"


def test_no_date_anywhere_stays_unknown() -> None:
    out = clean(LEDE + "\n" + SECOND)
    assert out.published is None and out.published_from is None


def test_caption_rules() -> None:
    assert caption_kind("Police officers guard the court in Paris. (AP Photo/Michel Euler)")
    assert caption_kind("FILE - In this Oct. 20, 2007 file photo, the mayor speaks to reporters.")
    assert caption_kind("The president speaks at a rally, Monday, Sept. 28, 2015, in New York.")
    assert not caption_kind("The president spoke at a rally on Monday, Sept. 28, 2015, in New York.")
    assert not caption_kind(LEDE)
    assert short_caption("Protesters at the border fence on Sunday.")
    assert not short_caption("Police arrested two men.")


def test_unescape_keeps_windows_paths() -> None:
    assert unescape_newlines("saved in C:\\new\\files") == "saved in C:\\new\\files"
    assert unescape_newlines("Title\\nBody") == "Title\nBody"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (
            "View this post on Instagram\nA post shared by Jo Lane (@jolane) on Jun 5, 2021 at 8:10am PDT\n"
            "Great day at the beach!\n123 likes",
            "a social-media embed",
        ),
        (
            "We've detected that JavaScript is disabled in this browser. Please enable JavaScript or switch "
            "to a supported browser to continue.\nHelp Center",
            "JavaScript is disabled",
        ),
        (
            "Please enable cookies to view this page.\nWe and our partners use cookies to personalise "
            "content.\nAccept all cookies",
            "cookie",
        ),
        (
            "Subscribe to continue reading\nAlready a subscriber? Sign in\nCreate a free account\n"
            "Forgot your password?",
            "paywall",
        ),
        (
            "Porto Vell weather\n72°F Partly cloudy\nFeels like 75°\nHumidity 40%\nWind: 5 mph\n"
            "10-day forecast",
            "weather widget",
        ),
        (
            "Sorry, the page you requested was not found. Try checking the web address for typos, or use "
            "the search box above to find what you were looking for. Popular sections: News, Sport.",
            "error page",
        ),
        (
            "These crawls are part of an effort to archive pages as they are created and archive the pages "
            "that they refer to, so that a link keeps working when the page it points to changes or goes "
            "away. The Internet Archive hopes that references to these archived pages will be put in place "
            "of links that would otherwise break, or beside them, so readers can see what a page's authors "
            "meant. Crawls of supported No More 404 sites.",
            "crawl notice",
        ),
    ],
)
def test_pages_that_are_not_articles_are_refused(raw: str, reason: str) -> None:
    out = clean(raw)
    assert out.text == ""
    assert out.refused is not None and out.refused.startswith("not an article:") and reason in out.refused


def test_wire_underscores_become_dashes_and_bullets() -> None:
    raw = "\n".join(
        [
            LEDE.replace(" as the death toll", " _ a record for March _ as the death toll"),
            "Officials said the worst-hit were:",
            "_Homes along the river bank.",
            "_\"Anyone living below the dam,\" the governor said.",
            "The file name_was kept and so was snake_case _",
            THIRD,
        ]
    )
    text = clean(raw).text
    assert " — a record for March — as the death toll" in text
    assert "• Homes along the river bank." in text and "• \"Anyone living" in text
    assert "name_was kept and so was snake_case _" in text  # not between spaces, or at the end: kept
    assert " _ " not in text


def test_one_notice_phrase_inside_an_article_paragraph_is_not_a_notice() -> None:
    # the whole article arrives as one paragraph and a quotation in it reads like a login form's words
    raw = " ".join(
        [LEDE, SECOND, '"I want people to remember me as the one who stayed," the mayor said.', THIRD]
    )
    out = clean(raw)
    assert out.refused is None
    assert "remember me" in out.text


def test_article_with_embedded_tweet_keeps_its_body() -> None:
    raw = "\n".join(
        [
            LEDE,
            "— Porto Vell Fire Service (@pvfire) March 3, 2024",
            "pic.twitter.com/abc123",
            SECOND,
            THIRD,
            "We use cookies to improve your experience on our site.",
        ]
    )
    out = clean(raw)
    assert out.refused is None
    assert out.paragraphs == [LEDE, SECOND, THIRD]


def test_pipeline_reports_the_refusal_reason() -> None:
    from storyweave.pipeline import run

    result = run([Article(id="w", raw_text="Porto Vell weather\n72°F\nFeels like 75°\nHumidity 40%")])
    assert not result.briefs
    assert [e.reason for e in result.errors] == [
        "not an article: a weather widget, with 0 words of article text"
    ]


# --------------------------------------------------------------------------------------------------
# Sentences: spaCy's cuts after abbreviations repaired


@pytest.mark.parametrize(
    ("previous", "following", "cut"),
    [
        ("The soldier, Staff Sgt.", "John Doe, was killed.", True),
        ("Sgt.", "Maria Lopez arrived.", True),
        ("They met Lt.", "Col. James Reed.", True),
        ("The ship left Sept.", "13 and returned.", True),
        ("He lives at No.", "10 Downing Street.", True),
        ("The book is by J.", "K. Rowling.", True),
        ("He met the U.S.", "ambassador on Monday.", True),
        ("The talks ended at 5 p.m.", "Officials said more talks were planned.", False),
        ("He moved to the U.S.", "He found work there.", False),
        ("Martin Luther King Jr. was shot in 1968.", "He was 39.", False),
        ("The ship left in Sept.", "Nobody saw it again.", False),
        ("He flew back to L.A.", "He landed at noon.", False),
        ("He flew back to L.A.", "and landed at noon.", True),
    ],
)
def test_abbreviation_cut(previous: str, following: str, cut: bool) -> None:
    from storyweave.analyse.sentences import abbreviation_cut

    assert abbreviation_cut(previous, following) is cut


def test_spacy_sentences_not_cut_after_titles() -> None:
    from storyweave.analyse.nlp import load_nlp
    from storyweave.analyse.sentences import split_paragraph

    nlp = load_nlp()
    text = (
        "Sgt. Maria Lopez and Lt. Col. James Reed reached the base on Jan. 5. The soldier, Staff Sgt. "
        "John Doe, was killed in the attack."
    )
    assert [s.text.strip() for s in split_paragraph(nlp(text))] == [
        "Sgt. Maria Lopez and Lt. Col. James Reed reached the base on Jan. 5.",
        "The soldier, Staff Sgt. John Doe, was killed in the attack.",
    ]


@pytest.mark.parametrize(
    ("previous", "following", "verbs", "cut"),
    [
        ("A gang member murdered L.A.", "County Sheriff's Deputy Ortiz in June.", (True, False), True),
        ("Tickets for the ID.", "Space concept.", (False, False), True),
        ("Tickets for the ID.", "Space concept went fast.", (False, True), True),
        ("Voters named their party ID.", "Remember, pollsters said so.", (True, True), False),
    ],
)
def test_initialism_cut(previous: str, following: str, verbs: tuple[bool, bool], cut: bool) -> None:
    from storyweave.analyse.sentences import abbreviation_cut

    assert abbreviation_cut(previous, following, verbs) is cut


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Gunman Kills L.A. Deputy on Gang Duty", ["Gunman Kills L.A. Deputy on Gang Duty"]),
        ("VOLKSWAGEN ID. SPACE VIZZION CONCEPT", ["VOLKSWAGEN ID. SPACE VIZZION CONCEPT"]),
        ("He moved to L.A. He found work there.", ["He moved to L.A.", "He found work there."]),
        ("They left the US. Officials said so.", ["They left the US.", "Officials said so."]),
        ("WORLD NEWS. THE END", ["WORLD NEWS.", "THE END"]),
    ],
)
def test_regex_sentences_keep_initialisms(text: str, expected: list[str]) -> None:
    from storyweave.clean.lines import sentences

    assert sentences(text) == expected


def test_headline_with_initialism_is_a_title() -> None:
    out = clean(
        "Gunman Kills L.A. Deputy on Gang Duty\n"
        "A sheriff's deputy was shot dead on Saturday while on patrol in a gang area of the county, "
        "officials said, and a suspect was arrested hours later."
    )
    assert out.title == "Gunman Kills L.A. Deputy on Gang Duty"


@pytest.mark.parametrize(
    ("text", "is_open"),
    [
        ("\"It is something they can consider, '' the manager told reporters.", False),
        ("``It is over, '' she said.", False),
        ('He said "we will not', True),
        ("“We will go,” he said, “and", True),
        ('“He said "no" to us”', False),
        ("„Ja“, sagte er.", False),
    ],
)
def test_quote_open(text: str, is_open: bool) -> None:
    from storyweave.analyse.sentences import quote_open

    assert quote_open(text) is is_open


def test_typewriter_closing_quote_does_not_glue_sentences() -> None:
    from storyweave.analyse.nlp import load_nlp
    from storyweave.analyse.sentences import split_paragraph

    text = (
        "The team is \" out of the race, '' the manager told reporters on Friday. "
        "The club made its offer last week. Rivals are still in talks with the player."
    )
    assert [s.text.strip() for s in split_paragraph(load_nlp()(text))] == [
        "The team is \" out of the race, '' the manager told reporters on Friday.",
        "The club made its offer last week.",
        "Rivals are still in talks with the player.",
    ]


# --------------------------------------------------------------------------------------------------
# Times: the inferred date resolves weekdays and month-days; years inside noun phrases are marked


def test_inferred_date_resolves_weekday_and_month_day() -> None:
    from storyweave.analyse.times import find_times
    from storyweave.model import Sentence

    raw = (
        "PORTO VELL, March 6 (Reuters) - The storm hit the coast on Sunday and the port reopened on March 5, "
        "after the 2016 election had left the region's budget short.\n"
        "Residents wait for aid in Porto Vell, Wednesday, March 6, 2024. (Reuters/Jo Lane)"
    )
    out = clean(raw)
    assert (out.published, out.published_from) == ("2024-03-06", "text")
    sentence = Sentence(id="a#0", article_id="a", index=0, text=out.text, start=0, end=len(out.text))
    sentence.tense = "past"
    refs = {r.text: r for r in find_times(out, [sentence], out.published)}
    assert refs["on Sunday"].value == "2024-03-03"
    assert refs["on March 5"].value == "2024-03-05"
    assert refs["2016"].attributive and not refs["on Sunday"].attributive


def test_year_after_preposition_is_not_attributive() -> None:
    from storyweave.analyse.times import find_times
    from storyweave.model import Sentence

    text = "The town was founded in 1850 and hosted the 1900 Olympics."
    art = Article(id="t", raw_text=text, text=text)
    sentence = Sentence(id="t#0", article_id="t", index=0, text=text, start=0, end=len(text), tense="past")
    refs = {r.value: r.attributive for r in find_times(art, [sentence], None)}
    assert refs == {"1850": False, "1900": True}


# --------------------------------------------------------------------------------------------------
# People: relatives sharing a name stay apart; social networks and agencies are never people


def test_father_and_son_sharing_a_name_stay_apart() -> None:
    from tests.test_entities import named, story_of, tag

    from storyweave.reconcile import reconcile_entities

    labels = {"Carl Brandt Jr.": "PERSON", "Carl Brandt": "PERSON", "Brandt": "PERSON"}
    a = tag(
        "a",
        "Carl Brandt Jr. won the seat on Sunday. His father, Carl Brandt, held it for 20 years. "
        "Brandt thanked voters.",
        labels,
    )
    b = tag("b", "Carl Brandt Jr. won the election. Carl Brandt Jr. is 41.", labels)
    index = reconcile_entities([a, b], story_of([a, b]))
    son, father = named(index, "Carl Brandt Jr."), named(index, "Carl Brandt")
    assert son.id != father.id


def test_suffix_dropped_without_family_is_one_person() -> None:
    from tests.test_entities import named, story_of, tag

    from storyweave.reconcile import reconcile_entities

    labels = {"Martin Luther King Jr.": "PERSON", "Martin Luther King": "PERSON"}
    a = tag(
        "a",
        "Martin Luther King Jr. spoke in 1963. Martin Luther King later won the Nobel prize.",
        labels,
    )
    index = reconcile_entities([a], story_of([a]))
    people = [e for e in index.entities if e.type == "PERSON"]
    assert len(people) == 1 and named(index, people[0].name)


def test_jr_and_sr_never_merge() -> None:
    from tests.test_entities import story_of, tag

    from storyweave.reconcile import reconcile_entities

    labels = {"Carl Brandt Jr.": "PERSON", "Carl Brandt Sr.": "PERSON"}
    a = tag("a", "Carl Brandt Jr. met Carl Brandt Sr. at the farm.", labels)
    b = tag("b", "Carl Brandt Sr. and Carl Brandt Jr. spoke.", labels)
    index = reconcile_entities([a, b], story_of([a, b]))
    assert len({e.id for e in index.entities}) == 2


def test_social_network_and_agency_are_not_people() -> None:
    from tests.test_entities import named, story_of, tag

    from storyweave.reconcile import reconcile_entities

    labels = {"Twitter": "PERSON", "Reuters": "PERSON", "Ana Ruiz": "PERSON"}
    a = tag("a", "Ana Ruiz wrote on Twitter that she would resign, Reuters reported.", labels)
    b = tag("b", "Ana Ruiz posted on Twitter. Reuters said the post was deleted.", labels)
    index = reconcile_entities([a, b], story_of([a, b]))
    assert named(index, "Twitter").type == "ORG"
    assert named(index, "Reuters").type == "ORG"
    assert named(index, "Ana Ruiz").type == "PERSON"


def test_outlet_lexicon() -> None:
    from storyweave.text.outlets import is_outlet_name

    assert is_outlet_name("Reuters") and is_outlet_name("the Associated Press") and is_outlet_name("X")
    assert is_outlet_name("Instagram's") and not is_outlet_name("Michael Bloomberg")


def test_story_highlights_become_the_standfirst() -> None:
    raw = "\n".join(
        [
            "Story highlights Rescuers pulled 14 survivors from a collapsed hotel",
            "The storm is the strongest to hit the region in a decade",
            LEDE,
            SECOND,
        ]
    )
    out = clean(raw)
    assert out.title is None
    assert out.standfirst == (
        "Rescuers pulled 14 survivors from a collapsed hotel / "
        "The storm is the strongest to hit the region in a decade"
    )
    assert out.paragraphs == [LEDE, SECOND]


@pytest.mark.parametrize(
    "line",
    [
        "CLOSE Rescuers search a collapsed hotel in Porto Vell after the storm. VPC",
        "Image copyright AFP Image caption Rescuers at the hotel in Porto Vell",
        "Screenshot by Jo Lane/CNET",
        "A handout photo from the regional government shows rescuers at the hotel, March 3, 2024.",
        "The governor speaks to reporters in Porto Vell, Italy March 3, 2024. REUTERS/Jo Lane",
        "The governor urged calm at a news conference on Sunday. (AP)",
    ],
)
def test_caption_forms_leave_the_body(line: str) -> None:
    out = clean("\n".join([line, LEDE, SECOND]))
    assert out.captions == [line]
    assert out.paragraphs == [LEDE, SECOND] and out.title is None


def test_datelines_with_agency_stamp_or_spaced_hyphen() -> None:
    assert clean("(CNN) " + LEDE + "\n" + SECOND).dateline == "(CNN)"
    out = clean("PORTO VELL, Italy - " + LEDE + "\n" + SECOND)
    assert out.dateline == "PORTO VELL, Italy -" and out.paragraphs[0] == LEDE
    # an acronym opening a sentence and a transcript's speaker label are not datelines
    assert clean("NATO - " + LEDE + "\n" + SECOND).dateline is None
    transcript = "REP. ANA RUIZ (R-IN): And so let me ask about the budget that was cut in 2011 and again."
    assert clean(transcript + "\n" + SECOND).dateline is None


def test_updated_by_byline() -> None:
    out = clean("/ Updated By Ana Ruiz and Tom Hale\n" + LEDE + "\n" + SECOND)
    assert out.byline == "Updated By Ana Ruiz and Tom Hale"


@pytest.mark.parametrize(
    ("first", "title", "standfirst"),
    [
        # sentence-case prose with a period: a lede, kept in the body
        ("Good neighbours help you through a flood and its long aftermath.", None, None),
        ("Governor Marsh says closing the coastal road isn't enough this time.", None, None),
        # sentence case, no period, but a full clause or a standfirst's length: the standfirst
        ("Officials say they will not reopen the coastal road before the spring", None, "Officials say"),
        (
            "Report says engineers plan to use drones to inspect every bridge along the coast for cracks "
            "left by the storm",
            None,
            "Report says",
        ),
        # headlinese: title case, or sentence case short and telegraphic, a period or not
        ("Storm Kills 31 in Coastal Province", "Storm Kills 31", None),
        ("Governor's visit to the coast delayed, fueling anger over slow rescue.", "Governor's visit", None),
        ("EXCLUSIVE- Storm survivor had warned officials about the hotel roof", "EXCLUSIVE- Storm", None),
        # a quotation, the reader's "you" and "US" in capitals are no prose signs
        ("‘We were not warned,’ survivors say of hotel collapse", "‘We were not warned", None),
        ("Why you can't trust the storm forecast this winter", "Why you", None),
        ("Rebels say they freed US, Italian aid workers", "Rebels say", None),
    ],
)
def test_first_line_headline_or_prose(first: str, title: str | None, standfirst: str | None) -> None:
    out = clean("\n".join([first, LEDE, SECOND]))
    if title is None:
        assert out.title is None
    else:
        assert out.title is not None and out.title.startswith(title)
    if standfirst is None:
        assert out.standfirst is None
    else:
        assert out.standfirst is not None and out.standfirst.startswith(standfirst)
    if title is None and standfirst is None:
        assert out.paragraphs[0] == first


# --------------------------------------------------------------------------------------------------
# The top of a page saved as text: furniture, bare-name bylines and datelines past the furniture


def test_dateline_found_past_page_furniture() -> None:
    out = clean(
        "Harbour crane collapses in Porto Vell storm\n"
        "8\n"
        "Back to Gallery\n"
        "PORTO VELL, Estland (AP) — A harbour crane collapsed onto two cargo ships on Tuesday as the storm "
        "reached the coast, the port authority said."
    )
    assert out.title == "Harbour crane collapses in Porto Vell storm"
    assert out.dateline is not None and out.dateline.startswith("PORTO VELL, Estland (AP)")
    assert out.text.rstrip().endswith("the port authority said.")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Maria Lindqvist", True),
        ("Ilana Van der Berg, MS, RDN", True),
        ("Tomas K. Ferreira @tferreira", True),
        ("Most Popular", False),
        ("Share Story", False),
        ("Back to Gallery", False),
        ("Rescue teams reached the village", False),
        ("Maria", False),
    ],
)
def test_bare_name(line: str, expected: bool) -> None:
    from storyweave.clean.structure import bare_name

    assert bare_name(line) is expected


def test_bare_name_under_the_headline_is_the_byline() -> None:
    out = clean(
        "Harbour crane collapses in Porto Vell storm\n"
        "Maria Lindqvist\n"
        "A harbour crane collapsed onto two cargo ships on Tuesday as the storm reached the coast, the port "
        "authority said.\n"
        "Nobody was hurt."
    )
    assert out.byline == "Maria Lindqvist"
    assert "Maria Lindqvist" not in out.text
    # further down, a name alone on a line is the article's business (a list, a signature): it stays
    kept = clean(
        "Harbour crane collapses in Porto Vell storm\n"
        "A harbour crane collapsed onto two cargo ships on Tuesday as the storm reached the coast, the port "
        "authority said.\n"
        "Maria Lindqvist\n"
        "Nobody was hurt."
    )
    assert kept.byline is None and "Maria Lindqvist" in kept.text


@pytest.mark.parametrize(
    "line",
    [
        "Associated Press",
        "Posted by Tomas Ferreira on November 19, 2019, 6:21 AM EST",
        "Written by Ana Duarte, MS, RD on November 14, 2019",
    ],
)
def test_agency_and_posted_bylines(line: str) -> None:
    out = clean(
        "Harbour crane collapses in Porto Vell storm\n"
        f"{line}\n"
        "A harbour crane collapsed onto two cargo ships on Tuesday as the storm reached the coast, the port "
        "authority said.\n"
        "Nobody was hurt."
    )
    assert out.byline is not None and line.startswith(out.byline)
    assert out.standfirst is None


@pytest.mark.parametrize(
    "line",
    [
        "An artist's illustration of the new harbour bridge planned for Porto Vell.",
        "Above: A container ship leaves the harbour of Porto Vell.",
    ],
)
def test_more_caption_heads(line: str) -> None:
    assert caption_kind(line)


def test_title_with_an_ellipsis_is_one_headline() -> None:
    out = clean(
        "The Future of Harbours Is … Floating\n"
        "Engineers in Porto Vell have started building a harbour that rests on pontoons, the city said on "
        "Monday."
    )
    assert out.title == "The Future of Harbours Is … Floating"
