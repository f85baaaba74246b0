"""Quotation finding and speaker attribution on small invented news texts (no spaCy: sentences and
mentions are built by hand so each case is exact)."""

from __future__ import annotations

import re

import pytest

from storyweave.analyse.quotes import find_quotes
from storyweave.compose.quotes import group_quotes, similarity
from storyweave.model import Article, Mention, Quote, Sentence

_BOUNDARY = re.compile(r"[.!?][”\"»’]?\s+(?=[A-Z“\"«„»‘])")


def make(
    body: str, mentions: dict[str, str] | None = None, article_id: str = "a1"
) -> tuple[Article, list[Sentence], list[Mention]]:
    """An article from ``body`` (paragraphs on separate lines), regex-split sentences, and a mention for
    every occurrence of each given surface form (surface -> spaCy label)."""
    paragraphs = [p.strip() for p in body.strip().splitlines() if p.strip()]
    text = "\n\n".join(paragraphs)
    sentences: list[Sentence] = []
    pos = 0
    for pi, para in enumerate(paragraphs):
        pstart = text.index(para, pos)
        cuts = [m.end() for m in _BOUNDARY.finditer(para)]
        for s, e in zip([0, *cuts], [*cuts, len(para)], strict=True):
            piece = para[s:e].strip()
            start = pstart + s
            sentences.append(
                Sentence(
                    id=f"{article_id}#{len(sentences)}",
                    article_id=article_id,
                    index=len(sentences),
                    text=piece,
                    start=start,
                    end=start + len(piece),
                    paragraph=pi,
                )
            )
        pos = pstart + len(para)
    found: list[Mention] = []
    for surface, label in (mentions or {}).items():
        for m in re.finditer(re.escape(surface), text):
            index = max(s.index for s in sentences if s.start <= m.start())
            found.append(Mention(surface, surface, label, article_id, index, m.start(), m.end()))
    found.sort(key=lambda m: m.start)
    article = Article(id=article_id, raw_text=text, text=text)
    return article, sentences, found


def quotes_of(body: str, mentions: dict[str, str] | None = None) -> tuple[Article, list[Quote]]:
    article, sentences, found = make(body, mentions)
    return article, find_quotes(article, sentences, found)


# --------------------------------------------------------------------------------------------------
# Quotation marks


def test_straight_quotes_with_name_before_said() -> None:
    article, quotes = quotes_of(
        'Rescue teams reached the village at dawn. "We are still pulling people from the rubble," '
        "Mayor Elena Vargas said on Tuesday.",
        {"Elena Vargas": "PERSON"},
    )
    assert len(quotes) == 1
    q = quotes[0]
    assert q.text == "We are still pulling people from the rubble"
    assert q.raw_text == "We are still pulling people from the rubble,"
    assert article.text[q.start : q.end] == q.raw_text
    assert q.speaker == "Elena Vargas"
    assert q.cue == "Mayor Elena Vargas said"
    assert q.sentence_index == 1


def test_curly_quotes_title_and_name_told_reporters() -> None:
    _, quotes = quotes_of(
        "“The aftershocks make every building a risk for the next few days,” Interior Ministry spokesman "
        "Tomás Ibarra told reporters.",
        {"Tomás Ibarra": "PERSON", "Interior Ministry": "ORG"},
    )
    assert [(q.speaker, q.cue) for q in quotes] == [
        ("Tomás Ibarra", "Interior Ministry spokesman Tomás Ibarra told reporters")
    ]


@pytest.mark.parametrize(
    ("opening", "closing"),
    [("«", "»"), ("»", "«"), ("„", "“"), ("„", "”"), ("“", "”"), ('"', '"')],
)
def test_every_double_mark_style(opening: str, closing: str) -> None:
    body = (
        f"{opening}The merger will create the largest rail freight group in Europe,{closing} said Anke Vogel."
    )
    article, quotes = quotes_of(body, {"Anke Vogel": "PERSON"})
    assert len(quotes) == 1
    assert quotes[0].text == "The merger will create the largest rail freight group in Europe"
    assert quotes[0].speaker == "Anke Vogel"
    assert quotes[0].cue == "said Anke Vogel"
    assert article.text[quotes[0].start] == "T"


def test_single_curly_quotes_are_quotes_but_apostrophes_are_not() -> None:
    _, quotes = quotes_of(
        "Chile’s president visited the port. ‘We will rebuild every school in the region,’ Boric’s "
        "education minister Rosa Lagos said.",
        {"Rosa Lagos": "PERSON", "Chile": "GPE"},
    )
    assert len(quotes) == 1
    assert quotes[0].text == "We will rebuild every school in the region"
    assert quotes[0].speaker == "Rosa Lagos"


def test_apostrophes_alone_yield_no_quote() -> None:
    _, quotes = quotes_of(
        "The court’s ruling upheld the union’s claim. The judges’ decision ends Kim’s appeal and the "
        "players' case, which began in the ’90s.",
    )
    assert quotes == []


def test_nested_single_quote_stays_inside_double() -> None:
    _, quotes = quotes_of(
        "“They told us ‘stay inside’ and then the roof came down,” said resident Pablo Mena.",
        {"Pablo Mena": "PERSON"},
    )
    assert len(quotes) == 1
    assert quotes[0].text == "They told us ‘stay inside’ and then the roof came down"


# --------------------------------------------------------------------------------------------------
# Quotations over several sentences, pieces and paragraphs


def test_multi_sentence_quote_is_one_quote() -> None:
    article, sentences, mentions = make(
        "The board approved the deal late on Monday. “Shareholders backed the plan. The regulator still "
        "has to sign off,” chief executive Lena Brandt said.",
        {"Lena Brandt": "PERSON"},
    )
    quotes = find_quotes(article, sentences, mentions)
    assert len(quotes) == 1
    assert quotes[0].text == "Shareholders backed the plan. The regulator still has to sign off"
    assert quotes[0].speaker == "Lena Brandt"
    # The regex splitter cut inside the quotation; the quote's sentence is where it starts.
    assert sentences[quotes[0].sentence_index].text.startswith("“Shareholders")


def test_interrupted_quote_is_joined_and_pronoun_resolved() -> None:
    article, quotes = quotes_of(
        "Governor Ruth Okafor toured the flooded district. “We will,” she said, “rebuild the bridge "
        "before winter.”",
        {"Ruth Okafor": "PERSON"},
    )
    assert len(quotes) == 1
    q = quotes[0]
    assert q.text == "We will rebuild the bridge before winter."
    assert q.raw_text == "We will, rebuild the bridge before winter."
    assert q.speaker == "Ruth Okafor"
    assert q.cue == "she said"
    assert article.text[q.start : q.start + 7] == "We will"
    assert article.text[q.end - 7 : q.end] == "winter."


def test_attribution_ending_in_full_stop_keeps_two_quotes_same_speaker() -> None:
    _, quotes = quotes_of(
        "“The vote was fair,” electoral commissioner Dana Whitfield said. “Every ballot will be recounted "
        "by hand anyway.”",
        {"Dana Whitfield": "PERSON"},
    )
    assert [q.text for q in quotes] == ["The vote was fair", "Every ballot will be recounted by hand anyway."]
    assert [q.speaker for q in quotes] == ["Dana Whitfield", "Dana Whitfield"]
    assert quotes[1].cue is None


def test_quote_continued_over_paragraphs() -> None:
    _, quotes = quotes_of(
        "“The tunnel was never inspected after the 2019 repairs. Nobody checked the supports.\n"
        "“We warned the ministry twice,” engineer Omar Haddad said.",
        {"Omar Haddad": "PERSON"},
    )
    assert len(quotes) == 1
    assert quotes[0].text.startswith("The tunnel was never inspected")
    assert quotes[0].text.endswith("We warned the ministry twice")
    assert quotes[0].speaker == "Omar Haddad"


def test_partial_quote_followed_by_other_clause_is_not_joined() -> None:
    _, quotes = quotes_of(
        "Ortiz called the ruling “a victory for every tenant in the city”, Ortiz said, while the landlord "
        "“deeply regretted” it.",
        {"Ortiz": "PERSON"},
    )
    assert [q.text for q in quotes] == ["a victory for every tenant in the city"]


# --------------------------------------------------------------------------------------------------
# Attribution forms


def test_name_with_appositive_before_said() -> None:
    _, quotes = quotes_of(
        "“The company will keep all three plants open,” Marta Keller, a spokeswoman for Norrland Steel, "
        "said.",
        {"Marta Keller": "PERSON", "Norrland Steel": "ORG"},
    )
    assert quotes[0].speaker == "Marta Keller"
    assert quotes[0].cue == "Marta Keller, a spokeswoman for Norrland Steel, said"


def test_name_with_appositive_missing_closing_comma() -> None:
    _, quotes = quotes_of(
        "“We urge both sides to respect the court's decision,” Jin Ha-eun, the ministry's spokesperson said.",
        {"Jin Ha-eun": "PERSON"},
    )
    assert quotes[0].speaker == "Jin Ha-eun"


def test_colon_before_quote() -> None:
    _, quotes = quotes_of(
        "On Friday, Judge Amara Osei said: “The contract was void from the day it was signed.”",
        {"Amara Osei": "PERSON"},
    )
    assert quotes[0].speaker == "Amara Osei"
    assert quotes[0].cue == "Judge Amara Osei said"


def test_according_to() -> None:
    _, quotes = quotes_of(
        "According to the Pacific Tsunami Warning Center, the quake posed “no threat to distant coasts "
        "at this time”.",
        {"Pacific Tsunami Warning Center": "ORG"},
    )
    assert quotes[0].speaker == "Pacific Tsunami Warning Center"
    assert quotes[0].cue == "According to the Pacific Tsunami Warning Center"


def test_speaker_added_and_inverted_said() -> None:
    _, quotes = quotes_of(
        "“Prices will rise before they fall,” Ines Moreau added. “Nobody expected a second strike this "
        "month,” said Karim Benali, an analyst at Banque Lyonnaise.",
        {"Ines Moreau": "PERSON", "Karim Benali": "PERSON", "Banque Lyonnaise": "ORG"},
    )
    assert [(q.speaker, q.cue) for q in quotes] == [
        ("Ines Moreau", "Ines Moreau added"),
        ("Karim Benali", "said Karim Benali"),
    ]


def test_pronoun_skips_names_inside_quotes() -> None:
    _, quotes = quotes_of(
        "Coach Helen Park spoke after the final. “Tom Reyes played through the pain for ninety minutes,” "
        "she said.",
        {"Helen Park": "PERSON", "Tom Reyes": "PERSON"},
    )
    assert quotes[0].speaker == "Helen Park"


def test_role_resolves_to_person_with_that_role() -> None:
    _, quotes = quotes_of(
        "Harbour authority spokesman Lars Eklund confirmed the closure. Port workers met with Maria Nilsson "
        "on Monday. “The cranes stay idle until the inspectors finish,” the spokesman said.",
        {"Lars Eklund": "PERSON", "Maria Nilsson": "PERSON"},
    )
    assert quotes[0].speaker == "Lars Eklund"
    assert quotes[0].cue == "the spokesman said"


def test_the_company_said_resolves_to_preceding_org() -> None:
    _, quotes = quotes_of(
        "Halvorsen Energy shares fell 8% on the news. “We have paused drilling at both sites while we "
        "review the data,” the company said.",
        {"Halvorsen Energy": "ORG"},
    )
    assert quotes[0].speaker == "Halvorsen Energy"


def test_unknown_name_falls_back_to_capitalised_words() -> None:
    _, quotes = quotes_of("“The dam held, but only just,” said Petra Novak, a hydrologist.")
    assert quotes[0].speaker == "Petra Novak"


def test_partial_quote_attributed_by_earlier_speech_verb() -> None:
    _, quotes = quotes_of(
        "Brandt said the combined firm would “create a stronger company for our customers”.",
        {"Brandt": "PERSON"},
    )
    assert quotes[0].speaker == "Brandt"
    assert quotes[0].cue == "Brandt said"


def test_unattributed_quote_has_no_speaker() -> None:
    _, quotes = quotes_of(
        "The banner at the gate read “No more broken promises from city hall” in red paint.",
    )
    assert len(quotes) == 1
    assert quotes[0].speaker is None
    assert quotes[0].cue is None


def test_mentions_of_other_articles_are_ignored() -> None:
    article, sentences, _ = make("“The levee failed at three points overnight,” he said.")
    other = Mention("Juan Soto", "Juan Soto", "PERSON", "other-article", 0, 0, 3)
    assert find_quotes(article, sentences, [other])[0].speaker is None


# --------------------------------------------------------------------------------------------------
# Quote text


def test_square_brackets_removed_parentheses_kept() -> None:
    article, quotes = quotes_of(
        "“ [The governor] signed the order and gave (Okafor) full powers. She has [also] asked for troops,” "
        "aide Sam Eze told reporters.",
        {"Sam Eze": "PERSON"},
    )
    q = quotes[0]
    assert q.text == "signed the order and gave (Okafor) full powers. She has asked for troops"
    assert (
        q.raw_text
        == "[The governor] signed the order and gave (Okafor) full powers. She has [also] asked for troops,"
    )
    assert article.text[q.start : q.end] == q.raw_text
    assert q.speaker == "Sam Eze"


def test_scare_quotes_skipped_unless_directly_attributed() -> None:
    _, quotes = quotes_of(
        "The minister “gratefully” accepted the offer and saw “possibilities” in it. "
        "“Never,” the striking pilots’ union leader Mark Dunn said.",
        {"Mark Dunn": "PERSON"},
    )
    assert [(q.text, q.speaker) for q in quotes] == [("Never", "Mark Dunn")]


def test_short_quote_next_to_clause_opener_is_not_attributed() -> None:
    # "what it called “...”" quotes the subject of "called" (here unnamed), never Japan of the next clause
    _, quotes = quotes_of(
        "The opposition condemned what it called “a dangerous precedent”, while Japan warned against "
        "further escalation.",
        {"Japan": "GPE"},
    )
    assert [(q.text, q.speaker) for q in quotes] == [("a dangerous precedent", None)]


def test_words_someone_called_something_are_a_quote_but_a_name_after_called_is_not() -> None:
    _, quotes = quotes_of(
        "Senator Ana Ruiz called the bill “a gift to polluters” on Monday. A group called “Clean Rivers Now” "
        "said it would sue.",
        {"Ana Ruiz": "PERSON"},
    )
    assert [q.text for q in quotes] == ["a gift to polluters"]


def test_quoted_crosshead_is_skipped() -> None:
    _, quotes = quotes_of(
        "Talks resumed in Geneva on Thursday.\n“Back to square one”\nNegotiators left without a statement.",
    )
    assert quotes == []


def test_empty_article() -> None:
    article = Article(id="e", raw_text="", text="")
    assert find_quotes(article, [], []) == []


# --------------------------------------------------------------------------------------------------
# Found on the Multi-News benchmark (bench/quotes.py); each case is invented text of the same shape


def test_mixed_straight_and_curly_marks_pair_up() -> None:
    _, quotes = quotes_of(
        '“I cannot accept this ruling,” said Dora Villa. "It ignores every tenant in the building.” '
        '“We will appeal before the month is out," she added.',
        {"Dora Villa": "PERSON"},
    )
    assert [q.text for q in quotes] == [
        "I cannot accept this ruling",
        "It ignores every tenant in the building.",
        "We will appeal before the month is out",
    ]
    assert {q.speaker for q in quotes} == {"Dora Villa"}


def test_nested_curly_quotation_stays_inside_its_quote() -> None:
    _, quotes = quotes_of(
        "“The leaflet shows the mayor holding cash over the slogan: “He will take it all.” It went to "
        "every home in the ward,” the Harbour Gazette reported on Monday.",
        {"Harbour Gazette": "ORG"},
    )
    assert len(quotes) == 1
    assert quotes[0].raw_text.endswith("It went to every home in the ward,")
    assert "“He will take it all.”" in quotes[0].raw_text
    assert quotes[0].speaker == "Harbour Gazette"


def test_quote_over_paragraphs_skips_a_caption_line() -> None:
    _, quotes = quotes_of(
        """Relief coordinator Anika Bose said: "The first convoy reached the valley at noon.
        "The second is waiting for the bridge to be checked.
        Image caption Trucks queue at the bridge
        "We expect both to be unloaded by tonight."
        """,
        {"Anika Bose": "PERSON"},
    )
    assert len(quotes) == 1
    assert quotes[0].text.startswith("The first convoy") and quotes[0].text.endswith("by tonight.")
    assert quotes[0].speaker == "Anika Bose"


def test_unclosed_quote_kept_only_with_a_direct_attribution() -> None:
    _, quotes = quotes_of(
        """Reader Tomas Lind asked: "Will the ferry timetable change in winter?
        The operator has not said. A sign by the pier still says "closed for repairs
        """,
        {"Tomas Lind": "PERSON"},
    )
    assert [(q.text, q.speaker) for q in quotes] == [
        ("Will the ferry timetable change in winter?", "Tomas Lind")
    ]


def test_two_word_partial_quote_needs_a_speech_verb_and_no_naming_word() -> None:
    _, quotes = quotes_of(
        "Okafor said the new levee was “largely sound”. Critics mocked the so-called “flood plan”. "
        "Engineers praised the “Harbour View” project.",
        {"Okafor": "PERSON"},
    )
    assert [(q.text, q.speaker) for q in quotes] == [("largely sound", "Okafor")]


def test_surname_alone_links_to_the_full_name() -> None:
    # Only the full names are tagged; "Raman" alone is not, as spaCy often leaves it.
    _, quotes = quotes_of(
        "Councillor Priya Raman opened the session. Omar Haddad spoke against the plan. Later Raman told "
        "the council the vote was final. “We will not wait another year,” she said.",
        {"Priya Raman": "PERSON", "Omar Haddad": "PERSON"},
    )
    assert quotes[0].speaker == "Priya Raman"


def test_shared_surname_of_two_people_is_not_linked() -> None:
    _, quotes = quotes_of(
        "Lena Brandt and Paul Brandt run the bakery. Kurt Vogel owns the building. Brandt said the rent "
        "had doubled. “We cannot stay another winter,” she said.",
        {"Lena Brandt": "PERSON", "Paul Brandt": "PERSON", "Kurt Vogel": "PERSON"},
    )
    assert quotes[0].speaker == "Kurt Vogel"  # no surname link; the nearest named person stays the guess


def test_unnamed_spokesperson_is_no_speaker() -> None:
    _, quotes = quotes_of(
        "A spokeswoman for Nordvik Gas said the company had “no plans to close the terminal”.",
        {"Nordvik Gas": "ORG"},
    )
    assert quotes[0].speaker is None


def test_unnamed_spokesperson_with_a_name_in_apposition() -> None:
    _, quotes = quotes_of(
        "A spokesman for the ministry, Lars Berg, said: “The border stays open to aid convoys.”",
        {"Lars Berg": "PERSON"},
    )
    assert quotes[0].speaker == "Lars Berg"


def test_pronoun_after_an_unnamed_speaker_is_not_the_last_named_person() -> None:
    _, quotes = quotes_of(
        "Patients were moved by Dr Ilse Kramer before dawn. A hospital spokesman said the east wing was "
        "safe. “We are not going to give a running commentary,” he said.",
        {"Ilse Kramer": "PERSON"},
    )
    assert quotes[0].speaker is None


def test_indefinite_description_names_nobody_even_with_a_modifier_name() -> None:
    _, quotes = quotes_of(
        "“The tower is closed until further notice,” said one guard at the gate, hired by Ruth Adler. "
        "A source close to the Adler family said: “Ruth has not been told anything yet.”",
        {"Ruth Adler": "PERSON"},
    )
    assert [q.speaker for q in quotes] == [None, None]


def test_role_head_before_a_preposition_points_to_the_named_person() -> None:
    _, quotes = quotes_of(
        "Dr Anna Weiss, lead author of the study from the Institute of Oceanography at Bergen University "
        "explained: “Warmer water holds less oxygen, so the fish move north.”",
        {"Anna Weiss": "PERSON", "Bergen University": "ORG", "Institute of Oceanography": "ORG"},
    )
    assert quotes[0].speaker == "Anna Weiss"


def test_role_with_a_place_is_no_speaker_but_with_a_body_is_the_body() -> None:
    _, quotes = quotes_of(
        "The police chief in Arlen says the “escape route ran through the woods”. The spokesman for the "
        "Transport Ministry said the line would reopen “within days, not weeks”.",
        {"Arlen": "GPE", "Transport Ministry": "ORG"},
    )
    assert [(q.text, q.speaker) for q in quotes] == [
        ("escape route ran through the woods", None),
        ("within days, not weeks", "Transport Ministry"),
    ]


def test_it_said_and_the_statement_said_point_to_who_issued_it() -> None:
    _, quotes = quotes_of(
        "Nordvik Gas said talks with the union had ended. “We remain open to a fair offer,” it said. "
        "Mayor Kai Lund issued a statement on Tuesday. “The city will not pay twice,” the statement said.",
        {"Nordvik Gas": "ORG", "Kai Lund": "PERSON"},
    )
    assert [q.speaker for q in quotes] == ["Nordvik Gas", "Kai Lund"]


def test_name_after_a_capitalised_role_beats_the_organisation_before_it() -> None:
    _, quotes = quotes_of(
        "“The harbour will be dredged this summer,” said Port Authority Chair Dana Whitlock.",
        {"Port Authority": "ORG"},
    )
    assert quotes[0].speaker == "Dana Whitlock"


def test_read_attributes_only_statements() -> None:
    _, quotes = quotes_of(
        "“Our thoughts are with the families of the crew,” read a statement from Baltic Ferries. The sign "
        "on the door read “Closed until further notice, sorry”.",
        {"Baltic Ferries": "ORG"},
    )
    assert [q.speaker for q in quotes] == ["Baltic Ferries", None]


def test_titles_are_not_quotes() -> None:
    _, quotes = quotes_of(
        "The agency published a report entitled “Rivers at the breaking point of the century”. "
        "‘Flood risk in small coastal towns’ by M. Okafor appeared in the same issue.",
    )
    assert quotes == []


def test_speaker_carries_over_a_link_line_between_quotes() -> None:
    _, quotes = quotes_of(
        """“The levee held for nine hours before it gave way,” said engineer Ruth Sand.
        Dam inspections ordered across the region
        “Every town downstream had time to leave before the water reached them.”
        """,
        {"Ruth Sand": "PERSON"},
    )
    assert [q.speaker for q in quotes] == ["Ruth Sand", "Ruth Sand"]


def test_bracketed_substitution_kept_name_insertion_removed() -> None:
    _, quotes = quotes_of(
        "“We cannot know the [motive] of the sender, but [Mayor Ruiz] has seen the letter,” said Ana Lima.",
        {"Ana Lima": "PERSON"},
    )
    assert quotes[0].text == "We cannot know the motive of the sender, but has seen the letter"
    assert "[Mayor Ruiz]" in quotes[0].raw_text


# --------------------------------------------------------------------------------------------------
# The same quotation across sources


def _quote(text: str, article: str, speaker: str | None = "Dora Villa") -> Quote:
    return Quote(text, text, speaker, article, 0, 0, len(text))


def test_group_quotes_joins_trimmed_and_translated_wordings() -> None:
    quotes = [
        _quote("We will appeal before the month is out, and we will win", "a"),
        _quote("appeal before the month is out", "b"),
        _quote("We are going to appeal before this month ends and we shall win", "c", None),
        _quote("appeal to win", "d"),  # other words: all three occur above, but apart
    ]
    groups = group_quotes(quotes, lambda q: q.speaker)
    assert [(g.speaker, g.sources) for g in groups] == [
        ("Dora Villa", ["a", "b", "c"]),
        ("Dora Villa", ["d"]),
    ]
    assert groups[0].text == "We are going to appeal before this month ends and we shall win"


def test_similarity_needs_shared_content_words() -> None:
    assert similarity("with pleasure", "We accepted with gratitude and great pleasure the invitation") == 0.0
    assert similarity("with pleasure", "Putin accepted the invitation with pleasure, Peskov said") >= 90
