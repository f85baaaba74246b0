"""Quantities of one sentence: numbers.py's values and hedges, plus the counted noun and its clause role
from the parse ("About 10,000 protesters gathered" -> 10000, counts "protester", role "nsubj:gather").

Ordinals and ranks ("the second-largest", "third") come from spaCy's ORDINAL entities, which numbers.py
skips on purpose (they are not counts).
"""

from __future__ import annotations

import re
from typing import Any

from storyweave.analyse.nlp import span_ents
from storyweave.analyse.numbers import (
    CURRENCY_SYMBOLS,
    CURRENCY_WORDS,
    MEASURE_UNITS,
    UNIT_NOUNS,
    find_numbers,
)
from storyweave.analyse.numbers import Quantity as Number
from storyweave.analyse.numbers import lemma as noun_lemma
from storyweave.model import Quantity

__all__ = ["quantities_in"]

CURRENCIES = frozenset(CURRENCY_SYMBOLS.values()) | frozenset(CURRENCY_WORDS.values())
ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "twentieth": 20, "hundredth": 100,
}  # fmt: skip
_ORDINAL_DIGITS = re.compile(r"^(\d+)(?:st|nd|rd|th)$", re.IGNORECASE)
# dependency labels that attach a number to the noun it counts
_NUMBER_DEPS = ("nummod", "quantmod", "compound", "npadvmod")


def _kind_and_unit(number: Number) -> tuple[str, str | None]:
    """("percent", "percent"), ("money", "USD"), ("measure", "km") or ("count", None)."""
    unit = number.unit
    if unit == "%":
        return "percent", "percent"
    if unit in CURRENCIES:
        return "money", unit
    if unit is not None and (unit in MEASURE_UNITS or unit in UNIT_NOUNS):
        return "measure", unit
    return "count", None


# Verbs that only report a resulting state of their object: "leaving 140 passengers stranded" says the
# passengers were stranded, as "stranding 140 passengers" does, so the count's role is the state's.
RESULT_VERBS = frozenset({"leave", "keep", "make", "render", "find", "get"})


def _role(token: Any) -> str:
    """ "<dep>:<head lemma>" of a noun in its clause; a prepositional object takes its preposition; the
    object of a result verb takes the state predicated of it ("left 140 passengers stranded": strand)."""
    if token.dep_ == "pobj" and token.head.dep_ == "prep":
        return f"{token.head.lower_}:{token.head.head.lemma_.lower()}"
    head = token.head
    if token.dep_ == "dobj" and head.lemma_.lower() in RESULT_VERBS:
        state = next((c for c in token.children if c.dep_ == "acl" and c.tag_ == "VBN"), None)
        state = state or next((c for c in head.children if c.dep_ in ("oprd", "acomp")), None)
        if state is not None:
            return f"dobj:{state.lemma_.lower()}"
    return f"{token.dep_}:{head.lemma_.lower()}"


def _counted(tokens: list[Any]) -> Any:
    """The noun a number's tokens attach to ("10,000" -> "protesters"), or the number's own head token."""
    number = next((t for t in reversed(tokens) if t.like_num or t.pos_ == "NUM"), tokens[-1])
    node = number
    for _ in range(3):
        if node.dep_ in _NUMBER_DEPS and node.head.i != node.i:
            node = node.head
            if node.pos_ in ("NOUN", "PROPN"):
                return node
        else:
            break
    return node if node.pos_ in ("NOUN", "PROPN") else number


def quantities_in(
    article_id: str, sentence_index: int, span: Any, offset: int, parsed: bool = True
) -> list[Quantity]:
    """Quantities of one sentence span; ``offset`` maps span.doc character offsets to ``Article.text``.

    With ``parsed=False`` (text not in English) the counted noun and the clause role are left out: they
    come from the English parse.
    """
    base = span.start_char
    text = span.text
    found: list[Quantity] = []
    for number in find_numbers(text):
        kind, unit = _kind_and_unit(number)
        counts = number.unit if kind == "count" and parsed else None
        role: str | None = None
        if parsed:
            tokens = [
                t for t in span if t.idx < base + number.end and t.idx + len(t.text) > base + number.start
            ]
            if tokens:
                noun = _counted(tokens)
                role = _role(noun)
                if counts is None and noun.pos_ in ("NOUN", "PROPN") and noun not in tokens:
                    counts = noun_lemma(noun.text)
        found.append(
            Quantity(
                text=number.text,
                value=number.value,
                article_id=article_id,
                sentence_index=sentence_index,
                start=offset + base + number.start,
                end=offset + base + number.end,
                unit=unit,
                counts=counts,
                role=role,
                approximate=number.approximate,
                kind=kind,
            )
        )
    if parsed:
        found.extend(_ordinals(article_id, sentence_index, span, offset))
    found.sort(key=lambda q: q.start)
    return found


def _ordinals(article_id: str, sentence_index: int, span: Any, offset: int) -> list[Quantity]:
    """Ordinals ("third") and ranks ("second-largest", "the largest... second") from ORDINAL entities."""
    out: list[Quantity] = []
    for ent in span_ents(span):
        if ent.label_ != "ORDINAL":
            continue
        word = ent.text.lower().split("-")[0]
        match = _ORDINAL_DIGITS.match(word)
        value = int(match.group(1)) if match else ORDINAL_WORDS.get(word)
        if value is None:
            continue
        root = ent.root
        superlative = root.tag_ == "JJS" or any(t.tag_ == "JJS" for t in (root.head, *root.head.children))
        noun = None
        node = root
        for _ in range(3):  # "second-largest exporter": second -> largest -> exporter
            if node.head.i == node.i:
                break
            node = node.head
            if node.pos_ in ("NOUN", "PROPN"):
                noun = node
                break
        out.append(
            Quantity(
                text=ent.text,
                value=float(value),
                article_id=article_id,
                sentence_index=sentence_index,
                start=offset + ent.start_char,
                end=offset + ent.end_char,
                counts=noun.lemma_.lower() if noun is not None else None,
                role=_role(noun) if noun is not None else None,
                kind="rank" if superlative or "-" in ent.text else "ordinal",
            )
        )
    return out
