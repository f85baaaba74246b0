"""The event signature of an article: who, what, where and when, as hashed weighted features.

- what: content words of the title, the lead and the body (title and lead weigh more), plus the predicate
  lemmas of the article's claims when the analysis produced them ("p:sign");
- who: people, organisations and groups named (a person's surname on its own as well, so "Lohan" in one
  report meets "Lindsay Lohan" in another); names in the title or lead weigh more;
- where: places (GPE, LOC, FAC);
- when: the publication day when known, and the event year: the publication year, else the year the
  text's own explicit dates name most often (an undated article still says "September 13, 2023");
- head: the words of the title and lead on their own, and the names the title or lead carry: two reports
  of one event put the same actor in their headline, two same-kind events ("X placed on injured reserve",
  "Y placed on injured reserve") do not, however alike their bodies read.

Features are crc32 keys (stable across processes, unlike ``hash``), so no vocabulary is stored. Written
by hand because the grouper needs incremental weights and mutable story profiles (see group/online.py).
"""

from __future__ import annotations

import math
import re
import zlib
from dataclasses import dataclass, field
from datetime import date

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from storyweave import thresholds
from storyweave.model import AnalysedArticle

_WORD = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|[^\W\d_]")
_WHO = frozenset({"PERSON", "ORG", "NORP", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"})
_WHERE = frozenset({"GPE", "LOC", "FAC"})
_STOP = frozenset(ENGLISH_STOP_WORDS) | {"said", "says", "say", "told", "new", "year", "years", "just"}


def key(text: str) -> int:
    """Stable 32-bit hash of a feature string (the hashing trick: no vocabulary to store)."""
    return zlib.crc32(text.encode("utf-8"))


def day_number(iso: str | None) -> int | None:
    """Day number of an ISO date ("2023-09-13"; a month "2023-09" counts as its first day)."""
    if not iso:
        return None
    try:
        if len(iso) >= 10:
            return date.fromisoformat(iso[:10]).toordinal()
        if len(iso) == 7:
            return date.fromisoformat(iso + "-01").toordinal()
    except ValueError:
        return None
    return None


@dataclass
class Signature:
    """What the grouper reads from one article (frequencies are sublinear, not yet IDF-weighted)."""

    terms: dict[int, float]  # what: content words and claim predicates
    who: dict[int, float]  # people, organisations, groups
    where: dict[int, float]  # places
    day: int | None  # publication day number
    year: int | None  # the event's year: publication year, else the text's dominant explicit year
    head_terms: dict[int, float] = field(default_factory=dict)  # words of the title and lead
    head_names: dict[int, float] = field(default_factory=dict)  # names in the title or lead


def _add_terms(text: str, weight: float, into: dict[int, float]) -> None:
    """Add ``weight`` per occurrence of each content word of ``text`` (lower-cased, stop words dropped)."""
    for match in _WORD.finditer(text.lower()):
        word = match.group().replace("’", "'")
        if word.endswith("'s"):
            word = word[:-2]
        if len(word) < 3 or word in _STOP:
            continue
        k = key(word)
        into[k] = into.get(k, 0.0) + weight


def _sublinear(counts: dict[int, float]) -> dict[int, float]:
    return {k: 1.0 + math.log(c) if c >= 1.0 else c for k, c in counts.items()}


def _lead_end(doc: AnalysedArticle) -> int:
    """Character offset where the article's lead (its first LEAD_SENTENCES sentences) ends; without
    sentences, its first paragraph when it has several (0: no lead)."""
    if doc.sentences and thresholds.GROUP_LEAD_SENTENCES > 0:
        cut = min(len(doc.sentences), thresholds.GROUP_LEAD_SENTENCES) - 1
        return doc.sentences[cut].end
    first = doc.article.text.find("\n\n")
    return max(first, 0)


def event_year(doc: AnalysedArticle) -> int | None:
    """The publication year; without one, the latest year of the text's explicit day-level dates ("on
    April 27, 2018"): bare years ("in 2005") and months are mostly background, and a report rarely dates
    a day later than its event."""
    if doc.article.published and doc.article.published[:4].isdigit():
        return int(doc.article.published[:4])
    years = [
        int(ref.value[:4])
        for ref in doc.times
        if not ref.estimated and ref.granularity == "day" and ref.value[:4].isdigit()
    ]
    return max(years) if years else None


def signature(doc: AnalysedArticle) -> Signature:
    """The event signature of an analysed article."""
    lead_weight = thresholds.GROUP_LEAD_WEIGHT
    counts: dict[int, float] = {}
    if doc.article.title:
        _add_terms(doc.article.title, thresholds.ONLINE_TITLE_WEIGHT, counts)
    text = doc.article.text
    lead = _lead_end(doc)
    _add_terms(text[:lead], lead_weight, counts)
    _add_terms(text[lead:], 1.0, counts)
    for claim in doc.claims:
        if claim.predicate:
            k = key("p:" + claim.predicate.lower())
            counts[k] = counts.get(k, 0.0) + thresholds.GROUP_PREDICATE_WEIGHT
    head_terms: dict[int, float] = {}
    if doc.article.title:
        _add_terms(doc.article.title, 1.0, head_terms)
    _add_terms(text[:lead], 1.0, head_terms)
    title = " ".join((doc.article.title or "").lower().split())
    who: dict[int, float] = {}
    where: dict[int, float] = {}
    head_names: dict[int, float] = {}
    for mention in doc.mentions:
        into = who if mention.label in _WHO else where if mention.label in _WHERE else None
        if into is None:
            continue
        name = " ".join(mention.name.lower().split())
        if len(name) < 2:
            continue
        weight = lead_weight if mention.start < lead else 1.0
        keys = [key("e:" + name)]
        parts = name.split()
        if mention.label == "PERSON" and len(parts) > 1 and len(parts[-1]) >= 3:
            keys.append(key("e:" + parts[-1]))
        for k in keys:
            into[k] = into.get(k, 0.0) + weight
        if mention.start < lead or _in_title(name, title):
            for k in keys:
                head_names[k] = head_names.get(k, 0.0) + 1.0
    return Signature(
        terms=_sublinear(counts),
        who=_sublinear(who),
        where=_sublinear(where),
        day=day_number(doc.article.published),
        year=event_year(doc),
        head_terms=_sublinear(head_terms),
        head_names=_sublinear(head_names),
    )


def _in_title(name: str, title: str) -> bool:
    """Whether a (lower-cased) name stands in the title as whole words (the analysis reads the body only,
    so names of the headline are found by the body's mentions)."""
    at = title.find(name)
    while at >= 0:
        end = at + len(name)
        if (at == 0 or not title[at - 1].isalnum()) and (end == len(title) or not title[end].isalnum()):
            return True
        at = title.find(name, at + 1)
    return False
