"""Quantities in news text: values, counted nouns, hedges, and the years/dates/names that are not counts."""

from __future__ import annotations

import math

import pytest

from storyweave.analyse.numbers import Quantity, consistent, find_numbers


def one(text: str) -> Quantity:
    found = find_numbers(text)
    assert len(found) == 1, found
    return found[0]


def test_separators_scales_and_words_give_equal_values() -> None:
    short = one("The storm left 1.2 million households without power.")
    long = one("The storm left 1,200,000 households without power.")
    glued = one("The storm left 1.2m households without power.")
    assert short.value == long.value == glued.value == 1_200_000
    assert short.unit == long.unit == glued.unit == "household"
    assert consistent(short, long) and consistent(long, glued)
    assert one("Shares fell 3.5 percent.").value == 3.5
    assert one("a deal worth $3bn").value == 3e9
    assert one("twenty-five miners were rescued").value == 25
    assert one("two hundred and fifty soldiers").value == 250


def test_offsets_and_text_cover_hedge_currency_and_number() -> None:
    text = "Stormy Daniels was paid $130,000 before the vote."
    q = one(text)
    assert (q.value, q.unit, q.text) == (130_000, "USD", "$130,000")
    assert text[q.start : q.end] == "$130,000"
    euro = one("The club was fined €5m on Friday.")
    assert (euro.value, euro.unit) == (5_000_000, "EUR")
    hedged = "The blaze destroyed more than 3,000 farm animals."
    q = one(hedged)
    assert hedged[q.start : q.end] == "more than 3,000"
    assert (q.unit, q.unit_text, q.approximate, q.qualifier) == ("animal", "farm animals", True, "min")


def test_counted_nouns_are_lemmatised_and_units_found() -> None:
    text = (
        "The fires charred more than a million acres (over 400,000 hectares) and killed at least "
        "two people, 40 per cent of them in a five-day spell; 12 killed, 3 casualties, 7km away."
    )
    got = [(q.value, q.unit) for q in find_numbers(text)]
    assert got == [
        (1e6, "acre"),
        (400_000, "hectare"),
        (2, "person"),
        (40, "%"),
        (5, "day"),
        (12, "killed"),
        (3, "casualty"),
        (7, "km"),
    ]


def test_hedges_and_vague_amounts_are_approximate() -> None:
    assert one("nearly 4,000 delegates").qualifier == "near"
    assert one("about 300 people").qualifier == "about"
    assert one("up to 15 people").qualifier == "max"
    assert one("12 or more people").qualifier == "min"
    hundreds = one("hundreds of homes were flooded")
    assert hundreds.approximate and hundreds.unit == "home"
    assert hundreds.bounds()[0] >= 200
    tens = one("tens of thousands of residents fled")
    assert tens.value == 20_000 and tens.unit == "resident" and tens.approximate
    dozen = one("a dozen children")
    assert dozen.value == 12 and dozen.approximate
    assert not one("two days of talks").approximate


@pytest.mark.parametrize(
    "text",
    [
        "He first visited Pyongyang in 2000.",
        "the 2016 presidential election",
        "It happened on 13 September 2023.",
        "It happened on September 13.",
        "the Korean War (1950-1953)",
        "the 20th century",
        "in the 1990s",
        "the second round",
        "The talks began at 10:30 and ended at 3pm.",
        "since the Covid-19 pandemic",
        "at the G7 summit",
        "Flight MH17 was shot down.",
        "A Boeing 737 landed.",
        "No one was hurt.",
        "One of the victims was a child.",
        "Two-thirds of voters agreed.",
        "see https://example.com/2023/09/13/story",
        "The 2030 targets were dropped.",
    ],
)
def test_years_dates_times_ordinals_and_names_are_not_counts(text: str) -> None:
    assert find_numbers(text) == []


def test_year_shaped_numbers_count_when_hedged_with_a_plural_noun() -> None:
    q = one("Police said about 2000 people marched.")
    assert (q.value, q.unit, q.qualifier) == (2000, "person", "about")
    counted = one("In 2019, police arrested 2,500 protesters.")
    assert counted.value == 2500


def test_an_age_between_commas_is_an_age() -> None:
    q = one("Kamala Harris, 59, said on Monday she would run.")
    assert (q.value, q.unit) == (59, "year-old")


def test_rounding_and_hedges_decide_consistency() -> None:
    def pair(a: str, b: str) -> bool:
        return consistent(one(a), one(b))

    assert pair("more than 3,000 homes", "3,200 homes")
    assert pair("about 3,000 homes", "3,200 homes")
    assert pair("1.2 million voters", "1,234,567 voters")
    assert pair("12% of voters", "12.4% of voters")
    assert not pair("two days", "three days")
    assert not pair("12 people", "15 people")
    assert not pair("nearly 4,000 delegates", "4,500 delegates")
    assert not pair("more than 3,000 homes", "2,500 homes")
    assert not pair("12% of voters", "13% of voters")
    assert not pair("a million acres", "1.2 million acres")
    assert pair("more than a million acres", "1.2 million acres")


def test_bounds_are_open_ended_for_at_least() -> None:
    q = one("at least 40 people")
    assert q.bounds() == (40, math.inf)
