"""Time expressions: explicit dates, ranges, and expressions relative to the publication date."""

from __future__ import annotations

import datetime as dt

import pytest

from storyweave.analyse import resolve_times
from storyweave.analyse.times import find_times, resolve_expression
from storyweave.model import AnalysedArticle, Article, Sentence
from storyweave.reconcile.publication import estimate_publication

THU = dt.date(2023, 9, 14)  # a Thursday
WED = dt.date(2024, 3, 6)  # a Wednesday


def make(sentences: list[tuple[str, str]], article_id: str = "t1") -> tuple[Article, list[Sentence]]:
    """An article of one paragraph from (sentence text, tense) pairs."""
    text = " ".join(s for s, _ in sentences)
    out: list[Sentence] = []
    pos = 0
    for i, (s, tense) in enumerate(sentences):
        start = text.index(s, pos)
        out.append(Sentence(f"{article_id}#{i}", article_id, i, s, start, start + len(s), 0, tense))
        pos = start + len(s)
    return Article(id=article_id, raw_text=text, text=text), out


# --------------------------------------------------------------------------------------------------
# The tense rule for weekdays and months


@pytest.mark.parametrize(
    ("text", "published", "tense", "expected"),
    [
        ("on Wednesday", THU, "past", "2023-09-13"),
        ("Tuesday", THU, "past", "2023-09-12"),
        ("on Thursday", THU, "past", "2023-09-14"),  # same weekday = publication day
        ("on Thursday", THU, "present", "2023-09-14"),
        ("on Friday", THU, "past", "2023-09-08"),
        ("on Thursday", THU, "future", "2023-09-14"),  # future: the first on or after publication
        ("will speak Thursday night", THU, "future", "2023-09-14"),  # (news names today by its weekday)
        ("next Thursday", THU, "future", "2023-09-21"),
        ("will visit on Friday", WED, "future", "2024-03-08"),
        ("on Monday", WED, "future", "2024-03-11"),
        ("last Wednesday", WED, "past", "2024-02-28"),
        ("next Thursday", WED, "past", "2024-03-07"),
        ("Wednesday night", WED, "past", "2024-03-06"),
    ],
)
def test_weekdays(text: str, published: dt.date, tense: str, expected: str) -> None:
    assert resolve_expression(text, published, tense) == (expected, "day")


@pytest.mark.parametrize(
    ("text", "tense", "expected"),
    [
        ("in October", "past", "2022-10"),
        ("in October", "future", "2023-10"),
        ("in October", "present", "2023-10"),  # nearest occurrence
        ("in March", "past", "2023-03"),
        ("in March", "future", "2024-03"),
        ("in September", "past", "2023-09"),
        ("in September", "future", "2023-09"),  # the publication month itself
        ("October", "future", "2023-10"),
        ("last October", "future", "2022-10"),
        ("next March", "past", "2024-03"),
        ("in early July", "past", "2023-07"),
        ("in May", "past", "2023-05"),
    ],
)
def test_month_without_year(text: str, tense: str, expected: str) -> None:
    assert resolve_expression(text, THU, tense) == (expected, "month")


def test_clause_tense_overrides_sentence_tense() -> None:
    # The sentence is past ("said"), the clause holding "on Friday" is future ("will travel").
    assert resolve_expression("Okafor said the envoy will travel there on Friday", WED, "past") == (
        "2024-03-08",
        "day",
    )
    assert resolve_expression("the board, which met on Monday, will vote", WED, "future") == (
        "2024-03-04",
        "day",
    )
    # "would" after a reporting verb is the future in the past; alone it is a conditional.
    reported = "the president said she would travel to the region on Saturday"
    assert resolve_expression(reported, WED, "past") == ("2024-03-09", "day")
    assert resolve_expression("the deal would have collapsed on Monday", WED, "past") == ("2024-03-04", "day")


# --------------------------------------------------------------------------------------------------
# Other relative expressions


@pytest.mark.parametrize(
    ("text", "tense", "expected"),
    [
        ("today", "present", ("2023-09-14", "day")),
        ("yesterday", "past", ("2023-09-13", "day")),
        ("tomorrow", "future", ("2023-09-15", "day")),
        ("the day before yesterday", "past", ("2023-09-12", "day")),
        ("last night", "past", ("2023-09-13", "day")),
        ("earlier this week", "past", ("2023-W37", "week")),
        ("this week", "present", ("2023-W37", "week")),
        ("last week", "past", ("2023-W36", "week")),
        ("next week", "future", ("2023-W38", "week")),
        ("last month", "past", ("2023-08", "month")),
        ("next month", "future", ("2023-10", "month")),
        ("later this month", "future", ("2023-09", "month")),
        ("last year", "past", ("2022", "year")),
        ("next year", "future", ("2024", "year")),
        ("three days ago", "past", ("2023-09-11", "day")),
        ("two years ago", "past", ("2021", "year")),
        ("on September 13", "past", ("2023-09-13", "day")),
        ("on September 13", "future", ("2024-09-13", "day")),
        ("on 20 October", "future", ("2023-10-20", "day")),
        ("over the weekend", "past", ("2023-09-09/2023-09-10", "range")),
        ("this weekend", "future", ("2023-09-16/2023-09-17", "range")),
    ],
)
def test_relative_expressions(text: str, tense: str, expected: tuple[str, str]) -> None:
    assert resolve_expression(text, THU, tense) == expected


def test_relative_month_and_year_cross_year_boundary() -> None:
    jan = dt.date(2024, 1, 10)
    assert resolve_expression("last month", jan, "past") == ("2023-12", "month")
    assert resolve_expression("in December", jan, "past") == ("2023-12", "month")
    assert resolve_expression("in February", jan, "future") == ("2024-02", "month")
    assert resolve_expression("on December 30", jan, "past") == ("2023-12-30", "day")


# --------------------------------------------------------------------------------------------------
# Explicit dates and ranges


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("September 13, 2023", ("2023-09-13", "day")),
        ("13 Sept 2023", ("2023-09-13", "day")),
        ("Sept. 13, 2023", ("2023-09-13", "day")),
        ("Wednesday, Sept. 13, 2023", ("2023-09-13", "day")),
        ("the 5th of June 2021", ("2021-06-05", "day")),
        ("2023-09-14", ("2023-09-14", "day")),
        ("14/09/2023", ("2023-09-14", "day")),
        ("July 2000", ("2000-07", "month")),
        ("in January 2018", ("2018-01", "month")),
        ("in 2019", ("2019", "year")),
        ("since 2014", ("2014", "year")),
        ("the war (1950-1953)", ("1950/1953", "range")),
        ("1950-53", ("1950/1953", "range")),
        ("from 1998 to 2004", ("1998/2004", "range")),
        ("the 2019-20 season", ("2019/2020", "range")),
        ("the 1990s", ("1990/1999", "range")),
    ],
)
def test_explicit_dates(text: str, expected: tuple[str, str]) -> None:
    # Absolute: the publication date and tense do not matter.
    assert resolve_expression(text, THU, "past") == expected
    assert resolve_expression(text, WED, "future") == expected


@pytest.mark.parametrize(
    "text",
    [
        "two hours",
        "a few more days",
        "more than a year and a half",
        "a two-day journey",
        "the 70th anniversary",
        "for the third time",
        "rescuers freed 2000 people",
        "officials may meet again",
        "Black Friday sales",
        "the film Red October",
        "June Carter sang",
        "04/05/2023",  # day/month order unknowable
        "February 30, 2023",
        "1953-1950",
    ],
)
def test_no_point_in_time(text: str) -> None:
    assert resolve_expression(text, THU, "past") is None


def test_resolve_expression_accepts_datetime() -> None:
    assert resolve_expression("yesterday", dt.datetime(2023, 9, 14, 18, 30), "past") == ("2023-09-13", "day")


# --------------------------------------------------------------------------------------------------
# find_times over an article


def _merger_article() -> tuple[Article, list[Sentence]]:
    return make(
        [
            ("Halvorsen Energy agreed on Wednesday to buy Nordvik Gas for $4 billion.", "past"),
            ("The deal, first proposed in July 2021, will close in October.", "future"),
            ("Both boards will vote on Friday.", "future"),
            ("The firms were rivals throughout the 1990s.", "past"),
        ]
    )


def test_find_times_offsets_and_values() -> None:
    article, sentences = _merger_article()
    refs = find_times(article, sentences, "2023-09-14")
    got = [(r.text, r.value, r.granularity, r.sentence_index) for r in refs]
    assert got == [
        ("on Wednesday", "2023-09-13", "day", 0),
        ("in July 2021", "2021-07", "month", 1),
        ("in October", "2023-10", "month", 1),
        ("on Friday", "2023-09-15", "day", 2),
        ("the 1990s", "1990/1999", "range", 3),
    ]
    for r in refs:
        assert article.text[r.start : r.end] == r.text
        assert r.article_id == "t1"
        assert not r.estimated


def test_find_times_without_publication_date_keeps_absolute_only() -> None:
    article, sentences = _merger_article()
    refs = find_times(article, sentences, None)
    assert [r.value for r in refs] == ["2021-07", "1990/1999"]


def test_find_times_estimated_marks_relative_only() -> None:
    article, sentences = _merger_article()
    refs = find_times(article, sentences, "2023-09-14", estimated=True)
    assert {r.text: r.estimated for r in refs} == {
        "on Wednesday": True,
        "in July 2021": False,
        "in October": True,
        "on Friday": True,
        "the 1990s": False,
    }


def test_find_times_reads_datetime_strings_and_ignores_bad_dates() -> None:
    article, sentences = make([("The court ruled on Tuesday.", "past")])
    assert [r.value for r in find_times(article, sentences, "2024-03-06T09:15:00")] == ["2024-03-05"]
    assert find_times(article, sentences, "not a date") == []


def test_find_times_skips_durations() -> None:
    article, sentences = make(
        [
            ("Talks lasted more than two hours and the visit continues for a few more days.", "present"),
            ("The war has gone on for more than a year and a half.", "past"),
        ]
    )
    assert find_times(article, sentences, "2023-09-14") == []


# --------------------------------------------------------------------------------------------------
# Found on the Multi-News benchmark (bench/times.py); each case is invented text of the same shape


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the 2011 quake", ("2011", "year")),
        ("A 1997 flood killed a dozen people", ("1997", "year")),
        ("the devastating 2004 tsunami", ("2004", "year")),
        ("before the 2028 Olympics", ("2028", "year")),
        ("heading into 2026 presidential elections", ("2026", "year")),
        ("the quake of 2009 killed 300 people", ("2009", "year")),
        ("they were cleared in 2014 by an appeals court", ("2014", "year")),
        ("the 1950-1953 war", ("1950/1953", "range")),
    ],
)
def test_years_that_date_an_event(text: str, expected: tuple[str, str]) -> None:
    assert resolve_expression(text, THU, "past") == expected


@pytest.mark.parametrize(
    "text", ["the 2000 people who marched", "rescuers freed 2000 people", "in 2000 homes"]
)
def test_counts_are_not_years(text: str) -> None:
    assert resolve_expression(text, THU, "past") is None


def test_month_day_followed_by_a_time_of_day() -> None:
    assert resolve_expression("First published March 3, 8:15 p.m. ET.", WED, "past") == ("2024-03-03", "day")
    assert resolve_expression("Updated Sept 12, 6 am", THU, "past") == ("2023-09-12", "day")


def test_a_decade_ago() -> None:
    assert resolve_expression("less than 1 percent a decade ago", THU, "present") == ("2013", "year")


def test_expression_opening_its_clause_takes_the_tense_of_the_verb_after_it() -> None:
    # spaCy calls the sentence past ("was"); "was due to" makes the weekend the coming one.
    article, sentences = make([("This weekend, the village was due to hold its harvest festival.", "past")])
    (ref,) = find_times(article, sentences, "2024-03-06")
    assert (ref.text, ref.value) == ("This weekend", "2024-03-09/2024-03-10")
    article, sentences = make([("On Friday, the company said it will cut 200 jobs.", "past")])
    assert [r.value for r in find_times(article, sentences, "2024-03-06")] == ["2024-03-01"]


def test_future_marker_further_back_in_the_sentence() -> None:
    sentence = (
        "The new emir, who is expected to address the council, an advisory body, on Thursday, was crowned."
    )
    article, sentences = make([(sentence, "past")])
    assert [r.value for r in find_times(article, sentences, "2024-03-06")] == ["2024-03-07"]


def test_undated_article_resolves_against_the_story_estimate() -> None:
    dated = [
        AnalysedArticle(Article(id=f"d{i}", raw_text="x", published=day))
        for i, day in enumerate(["2024-03-05", "2024-03-06", "2024-03-09"])
    ]
    article, sentences = make([("The dam gave way on Monday.", "past")], article_id="u")
    undated = AnalysedArticle(article, sentences=sentences)
    docs = estimate_publication([*dated, undated])
    estimated = docs[-1].article
    assert (estimated.published, estimated.published_estimated) == ("2024-03-06", True)
    assert all(not d.article.published_estimated for d in docs[:-1])
    (ref,) = resolve_times(docs[-1]).times
    assert (ref.value, ref.estimated) == ("2024-03-04", True)
