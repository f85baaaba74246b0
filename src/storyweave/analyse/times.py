"""Time expressions of one article resolved to ISO dates, weeks, months, years or year ranges.

Explicit dates ("September 13, 2023", "13 Sept 2023") are parsed by dateparser with every date part
required, so it never fills in a guessed day or year. Expressions relative to the publication date
("on Wednesday", "last month", "in October") follow our own rule: dateparser resolves a bare weekday to the
wrong week and knows nothing of the sentence's tense, which decides whether "in October" means the last or
the next October. Durations ("two hours", "a few more days") and ordinals are never matched.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import dateparser

from storyweave.model import Article, Sentence, TimeRef

_MONTHS: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip

_FULL_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_MONTH = rf"(?:{_FULL_MONTH}\b|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?)"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\b"
_YEAR = r"(?:1[6-9]\d\d|20\d\d)\b"
_LEAD_WEEKDAY = rf"(?:{_WEEKDAY},?\s+)?"

# Expressions that need the publication date; the others are absolute.
_RELATIVE = frozenset(
    {"md", "dm", "rel_year", "rel_month", "rel_week", "weekend", "day_word", "ago", "weekday", "month"}
)
# Kinds that may take a leading "on" / "in" into their text ("on Wednesday", "in July 2000").
_ON_KINDS = frozenset({"iso", "numeric", "mdy", "dmy", "md", "dm", "weekday"})
_IN_KINDS = frozenset({"my", "year", "range", "decade"})
# Words before a bare year or "May"/"March" that make them a time expression rather than a number or verb.
_TIME_PREPOSITIONS = frozenset(
    {"in", "since", "until", "till", "by", "from", "of", "during", "before", "after", "through",
     "throughout", "around", "circa", "early", "late", "mid", "spring", "summer", "autumn", "fall", "winter",
     "last", "next", "this", "into"}
)  # fmt: skip
# Words that may follow a bare year: anything else lower-case ("in 2000 people") means it was a number.
_AFTER_YEAR_OK = frozenset(
    {"and", "or", "to", "when", "as", "after", "before", "until", "but", "the", "that", "in", "on", "at",
     "for", "with", "while", "where", "which", "who", "he", "she", "it", "they", "we", "a", "an", "his",
     "her", "its", "their", "was", "were", "had", "has", "is", "are", "following", "amid", "during", "than",
     "by"}
)  # fmt: skip
# Nouns naming an event or a period that a year may modify ("the 2009 quake", "2016 presidential elections"):
# a year in front of them is a date even without a preposition, unlike a count ("the 2000 people").
_EVENT_NOUNS = frozenset(
    {
        "quake", "earthquake", "temblor", "tremor", "tsunami", "storm", "hurricane", "typhoon", "cyclone",
        "flood", "floods", "flooding", "fire", "fires", "wildfire", "wildfires", "eruption", "disaster",
        "drought", "famine", "outbreak", "pandemic", "epidemic", "election", "elections", "presidential",
        "midterm", "midterms", "vote", "referendum", "campaign", "race", "primary", "primaries", "war",
        "invasion", "coup", "crisis", "crash", "attack", "attacks", "bombing", "bombings", "shooting",
        "massacre", "riots", "protests", "uprising", "revolution", "season", "tournament", "championship",
        "final", "summit", "census", "budget", "law", "act", "report", "study", "survey", "film", "movie",
        "album", "book", "novel", "recession", "merger", "deal", "agreement", "accord", "treaty", "visit",
        "trip", "meeting", "talks", "ceremony", "festival", "edition", "ruling", "verdict", "trial",
        "scandal", "investigation", "incident", "accident", "explosion", "blast", "collision", "games",
        "olympics", "cup", "world", "winter", "summer"
    }
)  # fmt: skip
# Words that may stand between an article and an attributive year ("the devastating 2009 earthquake").
_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "its", "his", "her", "their", "our", "last"})
# A time of day right after "April 25": the number is not a year or a day count.
_TIME_OF_DAY = re.compile(r",?\s*\d{1,2}(?::\d\d\b|\s*[ap]\.?m\b\.?)", re.IGNORECASE)
# Named days that are not weekday references ("Black Friday", "Super Tuesday").
_DAY_NAMES = frozenset(
    {"good", "black", "cyber", "super", "ash", "easter", "bloody", "holy", "maundy", "palm"}
)

_FUTURE_MARKERS = re.compile(
    r"\b(?:will|shall|going\s+to|due\s+to|set\s+to|scheduled|expected|plans?\s+to|planning\s+to|"
    r"(?:is|are)\s+to)\b|[’']ll\b",
    re.IGNORECASE,
)
# "would" marks the future only after a reporting verb ("said she would travel on Saturday": future in
# the past, which in news is almost always still ahead at publication); alone it is conditional.
_REPORTED_WOULD = re.compile(
    r"\b(?:said|told|announced|added|confirmed|stated|promised|pledged|vowed|insisted|warned|indicated)\b"
    r"(?:\s+\S+){0,4}?\s+(?P<would>would|[’']d)\b",
    re.IGNORECASE,
)
_PAST_MARKERS = re.compile(
    r"\b(?:was|were|had|did|met|said|told|went|came|left|gave|took|made|held|began|won|lost|saw|found|"
    r"sent|spoke|flew|fled|struck|became|ran|brought|bought|sold|paid|led|fell|rose|wrote|[a-z]{2,}(?<!e)ed)\b"
)
_NOT_PAST = frozenset(
    {"expected", "scheduled", "planned", "need", "speed", "indeed", "hundred", "red", "bed"}
)


# Sentences whose scans are kept (_scan): about the sentences of a 1,000-article story, a few MB.
SCAN_CACHE_SIZE = 16_384


@dataclass
class _Match:  # built and adjusted by _scan only, read-only after
    kind: str
    start: int
    end: int
    m: re.Match[str]


_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b(?!-\d)")),
    ("numeric", re.compile(r"\b(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<y>\d{4})\b")),
    ("mdy", re.compile(rf"{_LEAD_WEEKDAY}(?P<body>{_MONTH}\s+{_DAY},?\s+{_YEAR})")),
    ("dmy", re.compile(rf"{_LEAD_WEEKDAY}(?P<body>(?:the\s+)?\b{_DAY}(?:\s+of)?\s+{_MONTH},?\s+{_YEAR})")),
    ("md", re.compile(rf"{_LEAD_WEEKDAY}(?P<mname>{_MONTH})\s+(?P<day>{_DAY})")),
    ("dm", re.compile(rf"{_LEAD_WEEKDAY}(?:the\s+)?\b(?P<day>{_DAY})(?:\s+of)?\s+(?P<mname>{_MONTH})")),
    ("my", re.compile(rf"(?P<body>(?P<mname>{_MONTH})(?:\s+of)?,?\s+{_YEAR})")),
    (
        "range",
        re.compile(rf"\b(?P<a>{_YEAR})\s*[-–—/]\s*(?P<b>\d{{4}}|\d{{2}})\b(?![-–/.]\d)"),
    ),
    (
        "range",
        re.compile(
            rf"\b(?i:between)\s+(?P<a>{_YEAR})\s+and\s+(?P<b>{_YEAR})"
            rf"|\b(?i:from)\s+(?P<a2>{_YEAR})\s+(?:to|until|through|till)\s+(?P<b2>{_YEAR})"
        ),
    ),
    ("decade", re.compile(r"\b(?:the\s+)?(?P<d>1[6-9]\d0|20\d0)s\b")),
    ("year", re.compile(rf"\b(?P<y>{_YEAR})")),
    (
        "rel_year",
        re.compile(r"\b(?P<mod>last|next|this|earlier\s+this|later\s+this)\s+year\b", re.IGNORECASE),
    ),
    (
        "rel_month",
        re.compile(r"\b(?P<mod>last|next|this|earlier\s+this|later\s+this)\s+month\b", re.IGNORECASE),
    ),
    (
        "rel_week",
        re.compile(r"\b(?P<mod>last|next|this|earlier\s+this|later\s+this)\s+week\b", re.IGNORECASE),
    ),
    (
        "weekend",
        re.compile(r"\b(?P<mod>last|this|over\s+the|at\s+the|on\s+the)\s+weekend\b", re.IGNORECASE),
    ),
    (
        "day_word",
        re.compile(
            r"\b(?P<w>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|today|yesterday|tomorrow|"
            r"tonight|last\s+night|this\s+(?:morning|afternoon|evening))\b",
            re.IGNORECASE,
        ),
    ),
    (
        "ago",
        re.compile(
            r"\b(?P<n>an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,3})\s+"
            r"(?P<unit>day|week|month|year|decade)s?\s+ago\b",
            re.IGNORECASE,
        ),
    ),
    (
        "weekday",
        re.compile(
            rf"(?:\b(?P<mod>(?i:last|next|this|early|late))\s+)?(?P<wd>{_WEEKDAY})"
            r"(?:\s+(?P<part>morning|afternoon|evening|night))?"
        ),
    ),
    (
        "month",
        re.compile(rf"(?:\b(?P<mod>(?i:last|next|this|early|late|mid))[\s-]+)?(?P<mname>{_FULL_MONTH})\b"),
    ),
]


# --------------------------------------------------------------------------------------------------
# Public API


def find_times(
    article: Article, sentences: list[Sentence], published: str | None, estimated: bool = False
) -> list[TimeRef]:
    """Resolved time expressions of ``article``'s sentences, in reading order.

    ``published`` is the ISO publication date; when it is None (or unreadable) only absolute
    expressions are returned. ``estimated`` marks the relative ones as resolved against an inferred date.
    """
    pub = _parse_published(published)
    refs: list[TimeRef] = []
    for sentence in sorted(sentences, key=lambda s: s.start):
        segment = article.text[sentence.start : sentence.end]
        for match in _scan(segment):
            relative = match.kind in _RELATIVE
            if relative and pub is None:
                continue
            tense = _local_tense(segment, match.start, match.end, sentence.tense)
            resolved = _resolve(match, pub, tense)
            if resolved is None:
                continue
            value, granularity = resolved
            refs.append(
                TimeRef(
                    text=segment[match.start : match.end],
                    value=value,
                    article_id=article.id,
                    sentence_index=sentence.index,
                    start=sentence.start + match.start,
                    end=sentence.start + match.end,
                    estimated=estimated and relative,
                    granularity=granularity,
                    attributive=match.kind == "year" and _names_event(match.m, segment),
                )
            )
    return refs


def resolve_expression(text: str, published: dt.date, tense: str) -> tuple[str, str] | None:
    """(ISO value, granularity) of the longest time expression in ``text``, resolved against
    ``published`` for a sentence in ``tense`` ("past", "present" or "future"); None if there is none.

    Granularity is one of day, week, month, year, range.
    """
    if isinstance(published, dt.datetime):
        published = published.date()
    matches = _scan(text)
    if not matches:
        return None
    best = max(matches, key=lambda x: (x.end - x.start, -x.start))
    return _resolve(best, published, _local_tense(text, best.start, best.end, tense))


# --------------------------------------------------------------------------------------------------
# Scanning


@lru_cache(maxsize=SCAN_CACHE_SIZE)
def _scan(text: str) -> tuple[_Match, ...]:
    """Non-overlapping time expressions in ``text``: longest first, ties to the earliest.

    Cached (a pure function of the sentence; callers never change the matches): a story resolves each
    article's times when it is grouped, when it is briefed and again for the date checks, and syndicated
    copies repeat sentences word for word."""
    found: list[_Match] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if _acceptable(kind, m, text):
                found.append(_Match(kind, m.start(), m.end(), m))
    found.sort(key=lambda x: (-(x.end - x.start), x.start))
    chosen: list[_Match] = []
    for cand in found:
        if all(cand.end <= c.start or cand.start >= c.end for c in chosen):
            chosen.append(cand)
    chosen.sort(key=lambda x: x.start)
    for c in chosen:
        _extend_preposition(c, text, chosen)
    return tuple(chosen)


def _word_before(text: str, pos: int) -> str:
    m = re.search(r"([A-Za-z]+)[\s-]*$", text[:pos])
    return m.group(1) if m else ""


def _acceptable(kind: str, m: re.Match[str], text: str) -> bool:
    """Context checks that keep numbers, verbs and names from being read as times."""
    if kind == "year":
        return _year_acceptable(m, text)
    if kind == "weekday":
        return not (m.group("mod") is None and _word_before(text, m.start()).lower() in _DAY_NAMES)
    if kind == "month":
        name = m.group("mname")
        prev = _word_before(text, m.start()).lower()
        if m.group("mod") is None:
            if name in ("May", "March") and prev not in _TIME_PREPOSITIONS:
                return False  # the modal verb and the verb/noun, not the months
            if re.match(r"\s+[A-Z]", text[m.end() :]):
                return False  # "June Carter", "August Rush"
            before = text[: m.start()].rstrip()
            if (
                re.search(r"\b[A-Z][a-z]+$", before)
                and prev not in _TIME_PREPOSITIONS
                and not before.endswith(".")
            ):
                return False  # "Red October"
        return True
    if kind == "md" and re.match(r"[\d,.]\d|,?\s*\d", text[m.end() :]):
        # "April 25, 8:32 p.m." is a day and a time; "April 25, 2017" is matched whole by "mdy"
        return bool(_TIME_OF_DAY.match(text[m.end() :]))
    return True


def _after_determiner(before: str) -> bool:
    """True when ``before`` ends in an article or possessive, maybe with one adjective or name after it."""
    words = re.findall(r"[A-Za-z’']+", before[-40:])
    if words and words[-1].lower() in _DETERMINERS:
        return True
    return len(words) >= 2 and words[-2].lower() in _DETERMINERS


def _year_acceptable(m: re.Match[str], text: str) -> bool:
    """A four-digit number is a year after a time preposition ("in 2009", "of 2009 killed"), in brackets,
    or in front of an event it dates ("the 2009 quake", "the 2020 Olympics", "into 2016 presidential
    elections"); a count ("freed 2000 people", "in 2000 people") or an amount ("2000 $") is not."""
    before = text[: m.start()]
    after = text[m.end() :]
    prev = _word_before(text, m.start()).lower()
    found = re.match(r"\s*([A-Za-z%$€£][\w’']*)", after)
    nxt = found.group(1) if found else ""
    if nxt[:1] in ("%", "$", "€", "£"):
        return False
    if before.rstrip().endswith("(") and after.lstrip().startswith(")"):
        return True
    after_preposition = prev in _TIME_PREPOSITIONS and bool(re.search(r"[A-Za-z][\s-]*$", before))
    attributive = _after_determiner(before)
    if nxt.lower() in _EVENT_NOUNS and (after_preposition or attributive):
        return True
    if after_preposition:
        past_verb = len(nxt) > 4 and nxt.endswith("ed") and nxt not in _NOT_PAST
        return not nxt.islower() or nxt in _AFTER_YEAR_OK or past_verb
    return attributive and nxt[:1].isupper()


def _names_event(m: re.Match[str], text: str) -> bool:
    """True when a bare year modifies the noun after it ("the 2016 election", "2009 quake", "the 2020
    Olympics"): it names another event, so it must not date the sentence's own event in a timeline."""
    found = re.match(r"\s*(?:[a-z]+\s+)?([A-Za-z][\w’']*)", text[m.end() :])
    if found is None or text[: m.start()].rstrip().endswith("("):
        return False
    direct = re.match(r"\s*([A-Za-z][\w’']*)", text[m.end() :])
    nxt = direct.group(1) if direct else ""
    if nxt.lower() in _EVENT_NOUNS or (found.group(1).lower() in _EVENT_NOUNS and nxt.islower()):
        return nxt.lower() not in _AFTER_YEAR_OK
    return _after_determiner(text[: m.start()]) and nxt[:1].isupper()


def _extend_preposition(match: _Match, text: str, chosen: list[_Match]) -> None:
    """Take a leading "on" (days) or "in" (months, years) into the expression's text, as written."""
    if match.kind in _ON_KINDS:
        prep = "on"
    elif match.kind in _IN_KINDS or match.kind == "month":
        prep = "in"
    else:
        return
    m = re.search(rf"\b({prep})\s+$", text[: match.start], re.IGNORECASE)
    if m and all(c.end <= m.start(1) or c is match for c in chosen if c.start < match.start):
        match.start = m.start(1)


def _markers(window: str) -> list[tuple[int, str]]:
    """(position, tense) of every future marker and past-tense verb in ``window``, in reading order."""
    found = [(m.start(), "future") for m in _FUTURE_MARKERS.finditer(window)]
    found += [(m.start("would"), "future") for m in _REPORTED_WOULD.finditer(window)]
    found += [
        (m.start(), "past") for m in _PAST_MARKERS.finditer(window) if m.group(0).lower() not in _NOT_PAST
    ]
    return sorted(found)


def _local_tense(text: str, start: int, end: int, default: str) -> str:
    """Tense of the clause holding the expression at [start, end): the nearest future marker ("will", "is
    expected") or past-tense verb before it, first in its own clause, then further back in its sentence
    ("who is expected to address the council, an assembly, on Wednesday"); for an expression that opens
    its clause ("This weekend, the town was due to ..."), the first marker after it. The sentence's tense
    is the fallback.

    Hand-written because the sentence tense comes from the main verb only: in "Peskov said Lavrov will
    travel there in October" the clause of "in October" is future while the sentence is past.
    """
    before = re.split(r"[;:“”\"()]", text[:start])[-1]
    clause = re.split(r"[,—–]", before)[-1]
    for window in (" ".join(clause.split()[-8:]), " ".join(before.split()[-15:])):
        marks = _markers(window)
        if marks:
            return marks[-1][1]
    after = " ".join(re.split(r"[;:“”\"()]", text[end:])[0].split()[:8])
    marks = _markers(after)
    if not marks:
        return default
    pos, tense = marks[0]
    # "was due to", "were expected to": a past auxiliary carrying a future
    if re.match(r"(?:was|were)\b", after[pos:]) and any(
        t == "future" and p - pos <= 12 for p, t in marks[1:]
    ):
        return "future"
    return tense


# --------------------------------------------------------------------------------------------------
# Resolution


def _parse_published(published: str | None) -> dt.date | None:
    if not published:
        return None
    try:
        return dt.date.fromisoformat(published[:10])
    except ValueError:
        return None


def _dateparser(text: str, parts: list[str], order: str = "MDY") -> dt.date | None:
    """An explicit date parsed by dateparser with the given parts required (no guessed day or year)."""
    settings = {
        "REQUIRE_PARTS": parts,
        "PREFER_DAY_OF_MONTH": "first",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "DATE_ORDER": order,
    }
    parsed = dateparser.parse(text, languages=["en"], settings=settings)
    return parsed.date() if parsed is not None else None


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _add_months(day: dt.date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


def _month_number(name: str) -> int:
    return _MONTHS[name.lower().rstrip(".")]


def _resolve(match: _Match, pub: dt.date | None, tense: str) -> tuple[str, str] | None:
    """(value, granularity) of one scanned expression; None when it cannot be resolved."""
    resolver = _ABSOLUTE.get(match.kind)
    if resolver is not None:
        return resolver(match.m)
    if pub is None:
        return None
    return _RELATIVE_RESOLVERS[match.kind](match.m, pub, tense)


def _iso(m: re.Match[str]) -> tuple[str, str] | None:
    day = _safe_date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    return (day.isoformat(), "day") if day else None


def _numeric(m: re.Match[str]) -> tuple[str, str] | None:
    """dd/mm/yyyy or mm/dd/yyyy only when one part cannot be a month; ambiguous ones are skipped."""
    a, b, year = int(m.group("a")), int(m.group("b")), int(m.group("y"))
    if a > 12 >= b:
        day = _safe_date(year, b, a)
    elif b > 12 >= a or a == b:
        day = _safe_date(year, a, b)
    else:
        return None
    return (day.isoformat(), "day") if day else None


def _explicit_day(m: re.Match[str]) -> tuple[str, str] | None:
    day = _dateparser(m.group("body"), ["day", "month", "year"])
    return (day.isoformat(), "day") if day else None


def _month_year(m: re.Match[str]) -> tuple[str, str] | None:
    day = _dateparser(m.group("body"), ["month", "year"])
    return (f"{day.year:04d}-{day.month:02d}", "month") if day else None


def _range(m: re.Match[str]) -> tuple[str, str] | None:
    groups = m.groupdict()
    a = groups.get("a") or groups.get("a2")
    b = groups.get("b") or groups.get("b2")
    if a is None or b is None:
        return None
    start = int(a)
    end = int(b) if len(b) == 4 else start // 100 * 100 + int(b)
    if not 0 < end - start <= 100:
        return None
    return f"{start}/{end}", "range"


def _decade(m: re.Match[str]) -> tuple[str, str] | None:
    start = int(m.group("d"))
    return f"{start}/{start + 9}", "range"


def _year(m: re.Match[str]) -> tuple[str, str] | None:
    return m.group("y"), "year"


_ABSOLUTE: dict[str, Callable[[re.Match[str]], tuple[str, str] | None]] = {
    "iso": _iso,
    "numeric": _numeric,
    "mdy": _explicit_day,
    "dmy": _explicit_day,
    "my": _month_year,
    "range": _range,
    "decade": _decade,
    "year": _year,
}


def _pick(candidates: list[dt.date], pub: dt.date, tense: str) -> dt.date | None:
    """The candidate a sentence in ``tense`` means: the latest on or before publication (past), the
    earliest on or after it (future), or the nearest, ties to the later (present)."""
    if tense == "past":
        before = [c for c in candidates if c <= pub]
        return max(before) if before else None
    if tense == "future":
        after = [c for c in candidates if c >= pub]
        return min(after) if after else None
    return min(candidates, key=lambda c: (abs((c - pub).days), -c.toordinal())) if candidates else None


def _month_day(m: re.Match[str], pub: dt.date, tense: str) -> tuple[str, str] | None:
    """ "September 13" / "13 September" with the year the tense implies."""
    month = _month_number(m.group("mname"))
    day = int(re.sub(r"\D", "", m.group("day")))
    candidates = [d for y in (pub.year - 1, pub.year, pub.year + 1) if (d := _safe_date(y, month, day))]
    chosen = _pick(candidates, pub, tense)
    return (chosen.isoformat(), "day") if chosen else None


def _month_only(m: re.Match[str], pub: dt.date, tense: str) -> tuple[str, str] | None:
    """ "in October": last (past) or next (future) occurrence, nearest for the present tense; the
    publication month itself counts as both (a reporter writing "in September" in September means this one).
    """
    month = _month_number(m.group("mname"))
    mod = (m.group("mod") or "").lower()
    year = pub.year
    if mod == "last":
        year = year if month < pub.month else year - 1
    elif mod == "next":
        year = year if month > pub.month else year + 1
    elif mod != "this":
        firsts = [dt.date(y, month, 1) for y in (year - 1, year, year + 1)]
        chosen = _pick(firsts, dt.date(pub.year, pub.month, 1), tense)
        if chosen is None:
            return None
        year = chosen.year
    return f"{year:04d}-{month:02d}", "month"


def _relative_year(m: re.Match[str], pub: dt.date, tense: str) -> tuple[str, str] | None:
    mod = m.group("mod").lower()
    shift = {"last": -1, "next": 1}.get(mod, 0)
    return str(pub.year + shift), "year"


def _relative_month(m: re.Match[str], pub: dt.date, tense: str) -> tuple[str, str] | None:
    mod = m.group("mod").lower()
    year, month = _add_months(pub, {"last": -1, "next": 1}.get(mod, 0))
    return f"{year:04d}-{month:02d}", "month"


def iso_week(day: dt.date) -> str:
    """ISO 8601 week notation of the week holding ``day`` ("2023-W37")."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _relative_week(m: re.Match[str], pub: dt.date, tense: str) -> tuple[str, str] | None:
    """The Monday of the week meant (ISO weeks start on Monday)."""
    mod = m.group("mod").lower()
    monday = pub - dt.timedelta(days=pub.weekday()) + dt.timedelta(weeks={"last": -1, "next": 1}.get(mod, 0))
    return iso_week(monday), "week"


def _weekend(m: re.Match[str], pub: dt.date, tense: str) -> tuple[str, str] | None:
    """Saturday/Sunday range of the weekend meant: the latest one for the past tense, the coming one
    for the future; "last weekend" skips a weekend the publication date falls in."""
    mod = re.sub(r"\s+", " ", m.group("mod").lower())
    on_weekend = pub.weekday() >= 5
    saturday = pub - dt.timedelta(days=(pub.weekday() - 5) % 7)
    if mod == "last":
        if on_weekend:
            saturday -= dt.timedelta(weeks=1)
    elif tense == "future" and not on_weekend:
        saturday += dt.timedelta(weeks=1)
    sunday = saturday + dt.timedelta(days=1)
    return f"{saturday.isoformat()}/{sunday.isoformat()}", "range"


def _day_word(m: re.Match[str], pub: dt.date, tense: str) -> tuple[str, str] | None:
    word = re.sub(r"\s+", " ", m.group("w").lower())
    shifts = {
        "the day before yesterday": -2,
        "yesterday": -1,
        "last night": -1,
        "tomorrow": 1,
        "the day after tomorrow": 2,
    }
    return (pub + dt.timedelta(days=shifts.get(word, 0))).isoformat(), "day"


def _ago(m: re.Match[str], pub: dt.date, tense: str) -> tuple[str, str] | None:
    raw = m.group("n").lower()
    n = int(raw) if raw.isdigit() else _NUMBERS[raw]
    unit = m.group("unit").lower()
    if unit == "day":
        return (pub - dt.timedelta(days=n)).isoformat(), "day"
    if unit == "week":
        then = pub - dt.timedelta(weeks=n)
        return iso_week(then), "week"
    if unit == "month":
        year, month = _add_months(pub, -n)
        return f"{year:04d}-{month:02d}", "month"
    return str(pub.year - n * (10 if unit == "decade" else 1)), "year"


def _weekday(m: re.Match[str], pub: dt.date, tense: str) -> tuple[str, str] | None:
    """The weekday's date next to publication: the latest on or before publication for the past and
    present tenses, the earliest on or after it for the future (either way the same weekday is the
    publication day: wire copy names today by its weekday); "last"/"next" force the direction and skip
    the publication day."""
    target = _WEEKDAYS.index(m.group("wd").lower())
    back = (pub.weekday() - target) % 7
    ahead = (target - pub.weekday()) % 7
    mod = (m.group("mod") or "").lower()
    if mod == "last":
        day = pub - dt.timedelta(days=back or 7)
    elif mod == "next":
        day = pub + dt.timedelta(days=ahead or 7)
    elif tense == "future":
        day = pub + dt.timedelta(days=ahead)
    else:
        day = pub - dt.timedelta(days=back)
    return day.isoformat(), "day"


_RELATIVE_RESOLVERS: dict[str, Callable[[re.Match[str], dt.date, str], tuple[str, str] | None]] = {
    "md": _month_day,
    "dm": _month_day,
    "month": _month_only,
    "rel_year": _relative_year,
    "rel_month": _relative_month,
    "rel_week": _relative_week,
    "weekend": _weekend,
    "day_word": _day_word,
    "ago": _ago,
    "weekday": _weekday,
}
