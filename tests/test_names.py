"""Name normalisation, comparison keys and plausibility (storyweave.analyse.names)."""

from __future__ import annotations

import pytest

from storyweave.analyse.names import is_plausible_name, name_key, normalise_name


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        # possessives, straight and curly, singular and plural
        ("Amara Diallo's", "Amara Diallo"),
        ("Okonkwo’s", "Okonkwo"),
        ("Reuters'", "Reuters"),
        ("Agnes Jones's", "Agnes Jones"),
        ("the Bundesbank's", "Bundesbank"),
        # honorifics, with and without the dot
        ("Mr. Okafor", "Okafor"),
        ("Mrs Lindqvist", "Lindqvist"),
        ("Ms. Ferreira", "Ferreira"),
        ("Dr Haruto Nakamura", "Haruto Nakamura"),
        ("M. Lefebvre", "Lefebvre"),
        ("Mme Girard", "Girard"),
        ("Sen. Whitfield", "Whitfield"),
        ("Gen. Samuel Oduya", "Samuel Oduya"),
        # job titles, alone or qualified by an organisation or a nationality
        ("President Amara Diallo", "Amara Diallo"),
        ("Prime Minister Lena Sørensen", "Lena Sørensen"),
        ("Foreign Minister Rui Tavares", "Rui Tavares"),
        ("spokesman Tomas Berg", "Tomas Berg"),
        ("Interior Ministry spokesman Tomas Berg", "Tomas Berg"),
        ("Chilean President Gabriel Boric", "Gabriel Boric"),
        ("Deputy Prime Minister Ana Lucic", "Ana Lucic"),
        ("former President Ilse Brandt", "Ilse Brandt"),
        ("Chief Executive Officer Ruth Okafor", "Ruth Okafor"),
        ("Secretary of State Paul Ndiaye", "Paul Ndiaye"),
        ("Secretary-General Ines Moreau", "Ines Moreau"),
        ("Central Bank Governor Ahmed Saleh", "Ahmed Saleh"),
        # an honorific glued to the name by a missing space
        ("Gov.Ruth Okafor", "Ruth Okafor"),
        ("Mr.Lefebvre", "Lefebvre"),
        # surrounding punctuation, quotes, brackets, whitespace
        ("“Diallo”", "Diallo"),
        ("(Reuters)", "Reuters"),
        ("  'Okafor,' ", "Okafor"),
        ("Lena \n  Sørensen", "Lena Sørensen"),
        ("Oslo.", "Oslo"),
        ('the Pacific "Ring of Fire', "Pacific Ring of Fire"),
        ("the “Iron Dome", "Iron Dome"),
        ('the "Iron Dome" system', "Iron Dome system"),
        # things that look like titles or honorifics but are names
        ("General Motors", "General Motors"),
        ("Major League Baseball", "Major League Baseball"),
        ("Star Wars", "Star Wars"),
        ("Gen Z", "Gen Z"),
        ("The Hague", "The Hague"),
        ("M. Night Shyamalan", "M. Night Shyamalan"),
        ("de Villiers", "de Villiers"),
        ("Cyril de Villiers", "Cyril de Villiers"),
        ("al-Sadr", "al-Sadr"),
        # dots that belong to the name
        ("U.S.", "U.S."),
        ("Acme Inc.", "Acme Inc."),
        ("Luther Vandross Jr.", "Luther Vandross Jr."),
        ("iPhone", "iPhone"),
        # lowercase leading words go, "the" included
        ("the United Nations", "United Nations"),
    ],
)
def test_normalise_name(written: str, expected: str) -> None:
    assert normalise_name(written) == expected


@pytest.mark.parametrize(
    "written",
    ["Prime Minister", "the President", "spokesman", "ruth okafor", "2024", "--", "A", "'s", "", "   "],
)
def test_normalise_name_returns_empty_when_nothing_name_like_is_left(written: str) -> None:
    assert normalise_name(written) == ""


@pytest.mark.parametrize(
    "written",
    [
        "Amara Diallo's",
        "Interior Ministry spokesman Tomas Berg",
        "M. Lefebvre",
        "de Villiers",
        "The Hague",
        "U.S.",
        "General Motors",
        "Gen. Samuel Oduya",
        "Cyril de Villiers",
    ],
)
def test_normalise_name_is_idempotent(written: str) -> None:
    once = normalise_name(written)
    assert normalise_name(once) == once


def test_name_key_unifies_hyphens_case_accents_and_dots() -> None:
    assert name_key("Park Tae-hyun") == name_key("Park Tae Hyun") == name_key("PARK TAE-HYUN")
    assert name_key("Park Tae-hyun") == ("park", "tae", "hyun")
    assert name_key("Zoë Saldaña") == name_key("Zoe Saldana") == ("zoe", "saldana")
    assert name_key("U.S.") == name_key("US") == ("us",)
    assert name_key("the Bundesbank") == name_key("Bundesbank")
    assert name_key("O’Neill") == name_key("O'Neill") == ("oneill",)
    assert name_key("Jean–Luc  Picard") == ("jean", "luc", "picard")


def test_name_key_drops_an_outlets_web_domain() -> None:
    assert name_key("Newsroom.com") == name_key("Newsroom") == ("newsroom",)
    assert name_key("Daily Post.co.uk") == ("daily", "post")
    # a dotted name that is not a web address keeps its letters
    assert name_key("St.Ives") == ("stives",)


def test_name_key_keeps_different_given_names_apart() -> None:
    assert name_key("Park Tae-hyun") != name_key("Park Tae-il")
    assert name_key("Emmanuel Macron") != name_key("Emanuel Macron")
    # "The" is dropped only in front of more words: a one-word name keeps its token
    assert name_key("The") == ("the",)


@pytest.mark.parametrize(
    ("text", "plausible"),
    [
        ("Ruth Okafor", True),
        ("NATO", True),
        ("eBay", True),
        ("3M", True),
        ("ruth okafor", False),
        ("vladimir putin", False),
        ("2024", False),
        ("...", False),
        ("A", False),
        ("J.", False),
        ("", False),
    ],
)
def test_is_plausible_name(text: str, plausible: bool) -> None:
    assert is_plausible_name(text) is plausible
