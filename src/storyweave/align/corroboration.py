"""How a fact is backed: independent reporting, one statement carried by many, one text, or one source.

- "single": one article.
- "same-text": every source is one syndication group, or the wordings of the different groups are near
  copies of one another (a pasted paragraph, a wire story lightly edited) and not quotations. One
  syndication group that quotes or reports one speaker in different wordings (one dispatch in two
  translations: "a devil's deal" / "a diabolical deal") is "same-statement" instead: its sources are still
  counted once, but the brief shows one statement and its wordings, not one pasted text.
- "same-statement": every unit is a quotation or a statement attributed to a speaker, and the speakers
  named agree: a press release, a tweet or a quotation that N outlets carry. It says the speaker said it,
  not that N outlets found it to be true.
- "independent": two or more syndication groups reporting it in their own words.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz

from storyweave import thresholds
from storyweave.align.units import Unit
from storyweave.model import Story


def speaker_key(name: str) -> str:
    """A speaker as compared across outlets: the last word of the name ("Dmitry Peskov" -> "peskov")."""
    words = name.replace("’s", "").replace("'s", "").split()
    return words[-1].casefold().strip(".,") if words else ""


def same_statement(units: Sequence[Unit]) -> bool:
    """Every unit quotes or reports a speaker, and the speakers that are named are one person."""
    if not all(u.attributed for u in units):
        return False
    speakers = {speaker_key(u.speaker) for u in units if u.speaker}
    return len(speakers) <= 1


def near_copies(units: Sequence[Unit], story: Story) -> bool:
    """Every syndication group's wording is a near copy of the first group's (a pasted or lightly edited
    text): one comparison per group, so a fact carried by hundreds of outlets stays cheap."""
    first: dict[str, str] = {}
    for u in units:
        first.setdefault(story.group_of(u.article_id), u.sentence.text.casefold())
    texts = list(first.values())
    return all(fuzz.ratio(texts[0], t) >= thresholds.ALIGN_SAME_TEXT_RATIO for t in texts[1:])


def worded_alike(units: Sequence[Unit]) -> bool:
    """Every unit's sentence is a near copy of the first unit's (rapidfuzz ratio)."""
    first = units[0].sentence.text.casefold()
    return all(
        fuzz.ratio(first, u.sentence.text.casefold()) >= thresholds.ALIGN_SAME_TEXT_RATIO for u in units[1:]
    )


def corroboration(units: Sequence[Unit], story: Story) -> str:
    """One of model.CORROBORATIONS for the units of one fact."""
    sources = {u.article_id for u in units}
    if len(sources) <= 1:
        return "single"
    if story.independent(sources) <= 1:
        # one dispatch: a statement it carries in different wordings (a translation) is one statement
        return "same-statement" if same_statement(units) and not worded_alike(units) else "same-text"
    if same_statement(units):
        return "same-statement"
    if near_copies(units, story):
        return "same-text"
    return "independent"
