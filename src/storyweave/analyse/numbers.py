"""Quantities in news text: "more than 3,000 farm animals", "$130,000", "1.2 million acres", "two days".

Each quantity carries its value, the noun it counts (lemmatised), whether the writer hedged it ("about",
"more than", "hundreds") and how much rounding its notation implies, so that two sources can be compared:
"1.2 million" and "1,200,000" agree, "more than 3,000" and "3,200" agree, "two days" and "three days" do not.

Hand-written because no installed library does this for English news: spaCy tags CARDINAL/QUANTITY/MONEY
spans but gives neither values nor the counted noun, and word-to-number packages (none installed) ignore
the hedges, the rounding and the years, dates, times and names ("Covid-19", "G7") that are not counts.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from storyweave.thresholds import NUMBER_ABOUT_SPREAD, NUMBER_NEAR_SPREAD, NUMBER_ROUNDING_CAP

__all__ = ["Quantity", "consistent", "find_numbers", "lemma"]

# qualifier -> what the hedge claims about the true value
#   exact: the value, give or take its rounding; about: within NUMBER_ABOUT_SPREAD; min: at least it;
#   near: a little under it ("nearly"); max: at most it ("up to"); vague: "hundreds" (value = 2 x scale)
QUALIFIERS = ("exact", "about", "min", "near", "max", "vague")


@dataclass(frozen=True)
class Quantity:
    """One number found in a text, with its offsets (``start``/``end`` cover hedge, currency and number)."""

    value: float
    unit: str | None  # lemmatised counted noun ("person", "hectare"), "%", or an ISO currency code ("USD")
    text: str  # as written, hedge included: "more than 3,000", "$130,000", "1.2 million"
    start: int
    end: int
    approximate: bool
    qualifier: str = "exact"  # one of QUALIFIERS
    tolerance: float = 0.0  # half the rounding step the notation implies ("1.2 million": ~50,000)
    unit_text: str | None = None  # the counted noun phrase as written ("farm animals")
    unit_end: int | None = None  # end offset of ``unit_text`` (``end`` when there is none)

    def bounds(self) -> tuple[float, float]:
        """The interval of true values this quantity is consistent with."""
        v, tol = self.value, self.tolerance
        if self.qualifier == "about":
            return min(v - tol, v * (1 - NUMBER_ABOUT_SPREAD)), max(v + tol, v * (1 + NUMBER_ABOUT_SPREAD))
        if self.qualifier == "min":
            return v - tol, math.inf
        if self.qualifier == "near":
            return v * (1 - NUMBER_NEAR_SPREAD), v + tol
        if self.qualifier == "max":
            return 0.0, v + tol
        if self.qualifier == "vague":
            return v, v * 10
        return v - tol, v + tol


def consistent(a: Quantity, b: Quantity) -> bool:
    """True when both quantities can describe the same true value (their intervals touch or overlap)."""
    lo_a, hi_a = a.bounds()
    lo_b, hi_b = b.bounds()
    return not (hi_a < lo_b or hi_b < lo_a)


# --------------------------------------------------------------------------------------------------
# Vocabulary

SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90,
}  # fmt: skip
MULTIPLIERS = {
    "hundred": 100.0, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "dozen": 12.0,
}  # fmt: skip
# "hundreds", "tens of thousands": a vague count of at least two of the scale
VAGUE = {"tens": 10.0, "dozens": 12.0, "scores": 20.0, "hundreds": 100.0, "thousands": 1e3,
         "millions": 1e6, "billions": 1e9}  # fmt: skip
VAGUE_PREFIXES = ("several", "a few", "a couple of", "many")
ABBREVIATED_SCALES = {"k": 1e3, "m": 1e6, "mn": 1e6, "b": 1e9, "bn": 1e9, "tn": 1e12}

CURRENCY_SYMBOLS = {
    "US$": "USD", "A$": "AUD", "C$": "CAD", "NZ$": "NZD", "HK$": "HKD", "S$": "SGD", "R$": "BRL",
    "$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "USD": "USD", "EUR": "EUR", "GBP": "GBP",
    "JPY": "JPY",
}  # fmt: skip
CURRENCY_WORDS = {"dollar": "USD", "euro": "EUR", "yen": "JPY", "rupee": "INR", "yuan": "CNY",
                  "rouble": "RUB", "ruble": "RUB", "sterling": "GBP"}  # fmt: skip
# Units that measure rather than count: their integers are rounded ("12%" may be 12.4%).
MEASURE_UNITS = {
    "%", "percentage point", "km", "m", "cm", "mm", "kg", "g", "tonne", "ton", "hectare", "acre", "mile",
    "foot", "metre", "degree", "mph", "kph", "mw", "gw", "kw", "kwh", "lb", "sq km", "square mile",
    "square kilometre", "barrel", "litre", "gallon", "magnitude",
    *CURRENCY_SYMBOLS.values(), *CURRENCY_WORDS.values(),
}  # fmt: skip
# Units written glued to the number ("10km", "5kg") and their canonical names.
ATTACHED_UNITS = {"km": "km", "kg": "kg", "m": "m", "cm": "cm", "mm": "mm", "mph": "mph", "kph": "kph",
                  "ha": "hectare", "mw": "mw", "gw": "gw", "kw": "kw", "kwh": "kwh", "lb": "lb",
                  "lbs": "lb", "ft": "foot", "mi": "mile", "g": "g"}  # fmt: skip
UNIT_CANON = {"kilometre": "km", "kilometer": "km", "metre": "m", "meter": "m", "kilogram": "kg",
              "kilo": "kg", "ha": "hectare", "per cent": "%", "percent": "%", "feet": "foot",
              "centimetre": "cm", "centimeter": "cm", "millimetre": "mm", "millimeter": "mm"}  # fmt: skip
# Words that end a counted-noun phrase, or are hedges/modifiers standing between number and noun.
STOP_WORDS = {
    "a", "an", "the", "of", "in", "on", "at", "to", "from", "for", "with", "by", "as", "into", "onto",
    "and", "or", "but", "nor", "so", "than", "then", "that", "which", "who", "whom", "whose", "what",
    "when", "where", "while", "after", "before", "since", "until", "during", "over", "under", "about",
    "around", "between", "among", "across", "through", "per", "via", "is", "are", "was", "were", "be",
    "been", "being", "has", "have", "had", "do", "does", "did", "will", "would", "shall", "should", "can",
    "could", "may", "might", "must", "this", "these", "those", "it", "its", "they", "them", "their", "he",
    "she", "his", "her", "we", "our", "you", "your", "i", "me", "my", "said", "says", "say", "told",
    "according", "not", "no", "also", "all", "each", "every", "both", "either", "there", "here", "out",
    "up", "down", "off", "if", "because", "though", "although", "whether", "yet", "ago", "later",
    "earlier", "now", "still", "just", "only", "even", "too", "very", "plus", "odd", "times", "am", "pm",
}  # fmt: skip
MODIFIERS = {"more", "other", "additional", "further", "extra", "fewer", "less", "new", "separate"}
# A participle or adjective standing for "people <verb>ed": "12 killed", "40 injured", "15 dead".
PARTICIPLE_UNITS = {"killed", "dead", "died", "injured", "wounded", "hurt", "missing", "arrested",
                    "detained", "displaced", "evacuated", "rescued", "feared"}  # fmt: skip
IRREGULAR_PLURALS = {"people": "person", "men": "man", "women": "woman", "children": "child",
                     "police": "police", "cattle": "cattle", "sheep": "sheep", "fish": "fish",
                     "personnel": "personnel", "staff": "staff", "troops": "troop", "feet": "foot",
                     "teeth": "tooth", "mice": "mouse", "geese": "goose", "lives": "life",
                     "wives": "wife", "thieves": "thief", "leaves": "leaf", "halves": "half",
                     "series": "series", "species": "species", "news": "news", "data": "data",
                     "crises": "crisis", "analyses": "analysis"}  # fmt: skip
SINGULAR_S = ("ss", "us", "is", "ous", "ics", "sis")
UNIT_NOUNS = {"day", "week", "month", "year", "hour", "minute", "second", "decade", "century", "km",
              "mile", "hectare", "acre", "metre", "meter", "kilometre", "kilometer", "tonne", "ton",
              "percent", "dollar", "euro", "pound", "yen", "rupee", "yuan", "rouble", "ruble", "foot",
              "kilogram", "kilo", "barrel", "litre", "gallon", "degree", "point"}  # fmt: skip
FRACTIONS = {"half", "halves", "third", "thirds", "quarter", "quarters", "fifth", "fifths", "sixth",
             "sixths", "tenth", "tenths"}  # fmt: skip
# Hyphenated number words that are idioms, not quantities ("one-off", "two-way", "one-sided").
HYPHEN_IDIOMS = {"off", "on", "way", "sided", "time", "timer", "liner", "stop", "of"}
MONTHS = (
    r"Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?"
)
WEEKDAYS = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}

# Hedges before the number, longest first so "no more than" wins over "more than".
CUES: dict[str, str] = {
    "no fewer than": "min", "no less than": "min", "more than": "min", "at least": "min",
    "upwards of": "min", "in excess of": "min", "well over": "min", "just over": "min", "over": "min",
    "above": "min", "exceeding": "min", "a minimum of": "min",
    "no more than": "max", "less than": "max", "fewer than": "max", "up to": "max", "as many as": "max",
    "at most": "max", "a maximum of": "max", "under": "max", "below": "max",
    "just under": "near", "nearly": "near", "almost": "near", "close to": "near", "just shy of": "near",
    "about": "about", "around": "about", "roughly": "about", "approximately": "about", "approx.": "about",
    "some": "about", "an estimated": "about", "estimated": "about", "circa": "about", "c.": "about",
    "an approximate": "about", "in the region of": "about",
}  # fmt: skip
_CUE_RE = re.compile(
    r"(?<!\w)(" + "|".join(re.escape(c) for c in sorted(CUES, key=len, reverse=True)) + r")\s+$",
    re.IGNORECASE,
)
_POST_CUE_RE = re.compile(r"(?:\s+or\s+(more|so)\b|(-plus|\+|-odd)(?![\w]))", re.IGNORECASE)

_CURRENCY_RE = r"US\$|A\$|C\$|NZ\$|HK\$|S\$|R\$|\$|€|£|¥|₹|(?<![A-Za-z])(?:USD|EUR|GBP|JPY)"
_DIGIT_RE = re.compile(
    rf"(?P<cur>{_CURRENCY_RE})?\s?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:[\u00a0\u2009\u202f]\d{3})+|\d+(?:\.\d+)?)"
    r"(?:\s?(?P<scale>million|billion|trillion|thousand|hundred|dozen)\b"
    r"|\s?(?P<abbr>bn|mn|tn)\b|(?P<short>[mbk])(?![A-Za-z]))?"
    r"(?P<pct>\s?%|\s?(?:per\s?cent|percent)\b)?",
    re.IGNORECASE,
)
_WORD_RE = re.compile(r"[A-Za-z]+")
# Spans that are never counts: numeric dates, clock times, URLs and paths.
_SKIP_RES = (
    re.compile(r"\b\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b"),
    re.compile(r"\b\d{1,2}[:.]\d{2}(?:\s?[ap]\.?m\b\.?)?", re.IGNORECASE),
    re.compile(r"\b\d{1,2}\s?[ap]\.?m\b\.?", re.IGNORECASE),
    re.compile(r"\b\d{1,2}\s?o['’]clock\b", re.IGNORECASE),
    re.compile(r"\b[0-2]\d[0-5]\d\s?(?:GMT|UTC|BST|EST|EDT|CET|CEST|hrs|hours\b|local time)"),
    re.compile(r"\S*(?:https?://|www\.|\w/\w)\S*"),
)
_MONTH_BEFORE = re.compile(rf"\b(?:{MONTHS})\.?\s+$")
_MONTH_AFTER = re.compile(rf"^(?:st|nd|rd|th)?\s*(?:of\s+)?(?:{MONTHS})\b")
_NAME_BEFORE = re.compile(r"(?:^|(?<=\W))([A-Z][A-Za-z]*[a-z][A-Za-z]*|No\.|Nos\.)\s$")
_SENTENCE_START = re.compile(r"(?:^|[.!?\"“”(:\n]\s*)$")
_ATTACHED_RE = re.compile(r"([A-Za-z]+)")
_UNIT_TOKEN_RE = re.compile(r"\s+([A-Za-z][A-Za-z'’]*(?:-[A-Za-z]+)*)")
_HYPHEN_UNIT_RE = re.compile(r"-([A-Za-z]+(?:-[A-Za-z]+)*)")


# --------------------------------------------------------------------------------------------------
# Public entry point


def find_numbers(text: str) -> list[Quantity]:
    """Every quantity in ``text``, in order; years, dates, times, ordinals and names are skipped."""
    blocked = [m.span() for s in _SKIP_RES for m in s.finditer(text)]
    candidates = _digit_candidates(text) + _word_candidates(text)
    candidates.sort(key=lambda c: (c.start, -(c.end - c.start)))
    quantities: list[Quantity] = []
    last_end = -1
    for cand in candidates:
        if cand.start < last_end or any(s < cand.end and cand.start < e for s, e in blocked):
            continue
        quantity = _build(text, cand)
        if quantity is not None:
            quantities.append(quantity)
            last_end = cand.end
    return _drop_ranges(text, quantities)


def _drop_ranges(text: str, quantities: list[Quantity]) -> list[Quantity]:
    """Without the ends of ranges and alternatives ("between 10 and 15", "from 12 to 15", "two or three"):
    neither end is the figure the writer reports, and comparing one end would raise false alarms."""
    dropped: set[int] = set()
    for i in range(len(quantities) - 1):
        first, second = quantities[i], quantities[i + 1]
        gap = text[first.end : second.start].strip().lower()
        lead = text[max(0, first.start - 9) : first.start].lower()
        if gap in ("to", "or", "-", "–") or (gap == "and" and re.search(r"\bbetween\s+$", lead)):
            dropped.update((i, i + 1))
    return [q for i, q in enumerate(quantities) if i not in dropped]


def lemma(word: str) -> str:
    """Singular of a simple English plural ("hectares" -> "hectare", "casualties" -> "casualty")."""
    low = word.lower().rstrip("'’")
    if low.endswith(("'s", "’s")):
        low = low[:-2]
    if low in IRREGULAR_PLURALS:
        return IRREGULAR_PLURALS[low]
    if len(low) > 4 and low.endswith("ies"):
        return low[:-3] + "y"
    if len(low) > 4 and low.endswith(("ches", "shes", "sses", "xes", "zes")):
        return low[:-2]
    if len(low) > 3 and low.endswith("s") and not low.endswith(SINGULAR_S):
        return low[:-1]
    return low


# --------------------------------------------------------------------------------------------------
# Candidates


@dataclass
class _Candidate:
    """A number as first matched, before hedges, units and the year/date/name filters are applied."""

    start: int  # first character of currency or number
    end: int  # end of number (scale, percent sign included)
    value: float
    precision: float  # place value of the last written digit, scale applied
    currency: str | None = None
    percent: bool = False
    qualifier: str = "exact"
    kind: str = "digits"  # digits | words | vague
    plain_year: bool = False  # four digits that could be a year
    allow_of: bool = False  # "dozens of people": the counted noun follows "of"


def _digit_candidates(text: str) -> list[_Candidate]:
    out: list[_Candidate] = []
    for m in _DIGIT_RE.finditer(text):
        num = m.group("num")
        cur = m.group("cur")
        start, end = (m.start("cur") if cur else m.start("num")), m.end()
        if _glued_to_name(text, m.start("num")):
            continue
        digits = re.sub(r"[,\u00a0\u2009\u202f]", "", num)
        value = float(digits)
        if "." in digits:
            precision = 10.0 ** -len(digits.split(".")[1])
        else:
            stripped = digits.rstrip("0")
            precision = 10.0 ** (len(digits) - len(stripped)) if stripped else 1.0
        scale = 1.0
        pct = bool(m.group("pct"))
        short = m.group("short")
        if m.group("scale"):
            scale = MULTIPLIERS[m.group("scale").lower()]
        elif m.group("abbr"):
            scale = ABBREVIATED_SCALES[m.group("abbr").lower()]
        elif short:
            # "€5m" and "1.2m people" are millions; "a 100m sprint" is metres (left to the unit reader)
            if cur is not None or (short.lower() == "m" and _plural_follows(text, m.end("short"))):
                scale = ABBREVIATED_SCALES[short.lower()]
            else:
                end, pct = m.end("num"), False
        out.append(
            _Candidate(
                start=start,
                end=end,
                value=value * scale,
                precision=precision * scale,
                currency=CURRENCY_SYMBOLS.get(cur.upper() if cur and cur.isalpha() else cur or ""),
                percent=pct,
                plain_year=(len(num) == 4 and num.isdigit() and scale == 1.0 and cur is None and not pct),
            )
        )
    return out


def _word_candidates(text: str) -> list[_Candidate]:
    """Number words: "two", "twenty-five", "a dozen", "half a million", "hundreds", "tens of thousands"."""
    tokens = [(m.group().lower(), m.start(), m.end()) for m in _WORD_RE.finditer(text)]
    out: list[_Candidate] = []
    i = 0
    while i < len(tokens):
        cand, used = _word_number_at(text, tokens, i)
        if cand is None:
            i += 1
            continue
        out.append(cand)
        i += used
    return out


def _word_number_at(text: str, tokens: list[tuple[str, int, int]], i: int) -> tuple[_Candidate | None, int]:
    word, start, _ = tokens[i]
    # vague counts: "several hundred", "a few thousand", "hundreds", "tens of thousands"
    for prefix in VAGUE_PREFIXES:
        parts = prefix.split()
        j = i + len(parts)
        if (
            j < len(tokens)
            and [t[0] for t in tokens[i:j]] == parts
            and text[tokens[j - 1][2] : tokens[j][1]].isspace()
            and tokens[j][0] in MULTIPLIERS
        ):
            scale = MULTIPLIERS[tokens[j][0]]
            return _Candidate(start, tokens[j][2], 2 * scale, scale, qualifier="vague", kind="vague",
                              allow_of=True), j - i + 1  # fmt: skip
    if word in VAGUE:
        scale = VAGUE[word]
        end, used = tokens[i][2], 1
        # "tens of thousands", "hundreds of millions"
        if (
            i + 2 < len(tokens)
            and tokens[i + 1][0] == "of"
            and tokens[i + 2][0] in VAGUE
            and VAGUE[tokens[i + 2][0]] >= 1e3
        ):
            scale *= VAGUE[tokens[i + 2][0]]
            end, used = tokens[i + 2][2], 3
        elif word in ("tens", "scores") and not (i + 1 < len(tokens) and tokens[i + 1][0] == "of"):
            return None, 1
        return _Candidate(start, end, 2 * scale, scale, qualifier="vague", kind="vague", allow_of=True), used
    # "a dozen", "a million", "half a million"
    lead = 0
    factor = 1.0
    qualifier = "exact"
    if word in ("a", "an") and i + 1 < len(tokens) and tokens[i + 1][0] in MULTIPLIERS:
        lead = 1
    elif (
        word == "half"
        and i + 2 < len(tokens)
        and tokens[i + 1][0] in ("a", "an")
        and tokens[i + 2][0] in MULTIPLIERS
    ):
        lead, factor, qualifier = 2, 0.5, "about"
    j = i + lead
    if j >= len(tokens) or not (tokens[j][0] in SMALL or tokens[j][0] in TENS or lead):
        return None, 1
    total, current = 0.0, 0.0
    last_kind = ""
    k = j
    end_k = j  # one past the last number word consumed
    while k < len(tokens):
        w = tokens[k][0]
        if k > j and text[tokens[k - 1][2] : tokens[k][1]] not in (" ", "-"):
            break
        if w == "and":
            # "two hundred and fifty": "and" joins only after a multiplier, before a small number
            if last_kind != "mult" or k + 1 >= len(tokens) or not _is_small(tokens[k + 1][0]):
                break
            k += 1
            continue
        if _is_small(w):
            val = SMALL.get(w, TENS.get(w, 0))
            if last_kind == "tens" and w in SMALL and 0 < val < 10:
                last_kind = "small"
            elif last_kind in ("small", "tens"):
                break  # "one two" is two numbers, not one
            else:
                last_kind = "tens" if w in TENS else "small"
            current += val
        elif w in MULTIPLIERS:
            mult = MULTIPLIERS[w]
            if mult >= 1e3:
                total += (current or 1.0) * mult
                current = 0.0
            else:
                current = (current or 1.0) * mult
            last_kind = "mult"
        else:
            break
        k += 1
        end_k = k
    k = end_k
    if k == j:
        return None, 1
    value = (total + current) * factor
    first = tokens[j][0]
    if first == "one" and k == j + 1 and _one_is_pronoun(text, tokens, j):
        return None, 1
    if lead and tokens[j][0] == "dozen" and k == j + 1:
        qualifier = "about"
    precision = _integer_precision(value)
    return _Candidate(start, tokens[k - 1][2], value, precision, qualifier=qualifier, kind="words"), k - i


def _is_small(word: str) -> bool:
    return word in SMALL or word in TENS


def _one_is_pronoun(text: str, tokens: list[tuple[str, int, int]], j: int) -> bool:
    """'no one', 'the one', 'one of', 'one another': not a count."""
    before = tokens[j - 1][0] if j > 0 else ""
    after = tokens[j + 1][0] if j + 1 < len(tokens) else ""
    if before in {"no", "the", "any", "every", "each", "this", "that", "which", "someone", "anyone"}:
        return True
    return after in {"of", "another", "by"} or text[tokens[j][2] : tokens[j][2] + 2] in ("'s", "’s")


def _integer_precision(value: float) -> float:
    if value <= 0 or value != int(value):
        return 1.0
    digits = str(int(value))
    return 10.0 ** (len(digits) - len(digits.rstrip("0")))


# --------------------------------------------------------------------------------------------------
# Filters and the counted noun


def _glued_to_name(text: str, pos: int) -> bool:
    """Digits that belong to a name or code: "G7", "Covid-19", "MH17", "1950-1953", "#3", "v1.2"."""
    if pos == 0:
        return False
    before = text[pos - 1]
    if before.isalpha() or before in "#/_" or (before == "." and pos > 1 and text[pos - 2].isdigit()):
        return True
    if before in "-–" and pos > 1 and (text[pos - 2].isalnum()):
        return True
    return bool(before == "," and pos > 1 and text[pos - 2].isdigit())


def _plural_follows(text: str, pos: int) -> bool:
    m = _UNIT_TOKEN_RE.match(text, pos)
    return m is not None and _is_plural(m.group(1).lower())


def _is_plural(word: str) -> bool:
    if word in IRREGULAR_PLURALS:
        return word not in ("staff", "personnel", "news", "data", "series", "species", "fish", "sheep")
    return len(word) > 3 and word.endswith("s") and not word.endswith(SINGULAR_S)


def _skip_number(text: str, cand: _Candidate) -> bool:
    """Dates, ordinals, decades, ranges, clock times and numbered names."""
    after = text[cand.end : cand.end + 24]
    before = text[max(0, cand.start - 24) : cand.start]
    if cand.kind == "digits":
        if re.match(r"(?:st|nd|rd|th|s)\b", after, re.IGNORECASE):  # 20th, 1990s
            return True
        if re.match(r"[-–]\d", after):  # ranges, scores, phone numbers
            return True
        if re.match(r"/\d", after):
            return True
        glued = _ATTACHED_RE.match(after)
        if glued and glued.group(1).lower() not in ATTACHED_UNITS:
            return True
        if _MONTH_BEFORE.search(before) or _MONTH_AFTER.match(after.lstrip()):
            return True
    name = _NAME_BEFORE.search(before) if cand.kind == "digits" else None
    if name and cand.currency is None:
        word = name.group(1)
        head = text[: cand.start - len(word) - 1]
        if word in ("No.", "Nos."):
            return True
        if (
            word not in WEEKDAYS
            and not _SENTENCE_START.search(head)
            and not re.fullmatch(rf"(?:{MONTHS})", word)
            and word.lower() not in CUES
            and word.lower() not in STOP_WORDS
        ):
            return True  # "Boeing 737", "Apollo 11", "Article 5"
    return False


def _build(text: str, cand: _Candidate) -> Quantity | None:
    """The quantity a candidate number makes with its hedge and counted noun, or None if it is no count."""
    if _skip_number(text, cand):
        return None
    qualifier = cand.qualifier
    start = cand.start
    cue = _CUE_RE.search(text, max(0, start - 30), start)
    if cue is not None and qualifier != "vague":
        qualifier = CUES[cue.group(1).lower()]
        start = cue.start(1)
    end = cand.end
    post = _POST_CUE_RE.match(text, end)
    if post is not None:
        qualifier = "about" if (post.group(1) or post.group(2) or "").lower() in ("so", "-odd") else "min"
        end = post.end()
    unit, unit_text, unit_end, plural = _unit_after(text, end, cand)
    if unit == "":
        return None  # a fraction or an idiom ("two-thirds", "one-off")
    if re.search(r"\bmagnitude[\s-]+$", text[max(0, start - 12) : start], re.IGNORECASE):
        # "a magnitude 6.4 quake" says what "a 6.4-magnitude quake" says
        unit, unit_text, unit_end = "magnitude", None, end
    if cand.currency or cand.percent:
        unit_text, unit_end = None, end  # the noun after "$5m" or "12%" is what is bought or measured
    if cand.plain_year and 1000 <= cand.value <= 2100:
        # a year unless hedged and counting a plural noun ("about 2000 people"); "2030 targets" is a year
        preceded_by_in = re.search(r"\b(?:in|since|from|until|by|of|before|after)\s+$", text[:start], re.I)
        if preceded_by_in or not (plural and qualifier != "exact"):
            return None
    if (
        unit is None
        and cand.kind == "digits"
        and cand.value < 120
        and re.search(r"[A-Za-z]\s*,\s*$", text[max(0, start - 3) : start])
        and re.match(r"\s*,", text[end:])
    ):
        unit, unit_text = "year-old", None  # "Kamala Harris, 59, said": an age, as in "a 59-year-old"
    if cand.currency:
        unit = cand.currency
    elif cand.percent:
        unit = "%"
    tolerance = _tolerance(cand, unit)
    return Quantity(
        value=cand.value,
        unit=unit,
        text=text[start:end],
        start=start,
        end=end,
        approximate=qualifier != "exact",
        qualifier=qualifier,
        tolerance=tolerance,
        unit_text=unit_text,
        unit_end=unit_end,
    )


def _tolerance(cand: _Candidate, unit: str | None) -> float:
    """Half the rounding step of the notation, capped: counts under 1,000 are taken as exact."""
    value, precision = cand.value, cand.precision
    measure = unit in MEASURE_UNITS or cand.percent or cand.currency is not None
    if not measure and value < 1000 and precision >= 1:
        return 0.0
    return min(0.49 * precision, NUMBER_ROUNDING_CAP * value) if value else 0.0


def _unit_after(text: str, pos: int, cand: _Candidate) -> tuple[str | None, str | None, int, bool]:
    """(canonical unit, as written, end offset, plural seen) of the noun counted by the number at ``pos``.

    The unit is "" when the number is part of a fraction or idiom and must be dropped.
    """
    hyphen = _HYPHEN_UNIT_RE.match(text, pos)
    if hyphen is not None:
        parts = hyphen.group(1).lower().split("-")
        if parts[0] in FRACTIONS or parts[0] in HYPHEN_IDIOMS:
            return "", None, pos, False
        if parts[0] in SMALL or parts[0] in TENS:
            return None, None, pos, False
        unit = lemma(parts[0]) + ("-old" if parts[-1] == "old" else "")
        return UNIT_CANON.get(unit, unit), hyphen.group(1), hyphen.end(), False
    glued = _ATTACHED_RE.match(text, pos)
    if glued is not None:
        return ATTACHED_UNITS[glued.group(1).lower()], glued.group(1), glued.end(), False
    if text.startswith(("°C", "°F", "°"), pos):
        return "degree", text[pos : pos + 2], pos + 2, False
    cursor = pos
    if cand.allow_of or cand.qualifier == "vague":
        of = re.match(r"\s+of\b", text[cursor:])
        if of is not None:
            cursor += of.end()
    words: list[tuple[str, int, int]] = []
    singular = cand.value == 1
    head: tuple[str, int, int] | None = None
    plural = False
    percent = re.match(r"\s+(percentage\s+points?)\b", text[cursor:], re.IGNORECASE)
    if percent is not None:
        return "percentage point", percent.group(1), cursor + percent.end(), True
    while len(words) < 3:
        m = _UNIT_TOKEN_RE.match(text, cursor)
        if m is None:
            break
        raw = m.group(1)
        low = raw.lower()
        bare = low.rstrip("'’")
        bare = bare[:-2] if bare.endswith(("'s", "’s")) else bare
        if bare in STOP_WORDS or bare in SMALL or bare in TENS or bare in MULTIPLIERS:
            break
        if not words and bare in MODIFIERS:
            cursor = m.end()
            continue
        if not words and bare.endswith("ed") and bare not in PARTICIPLE_UNITS:
            break  # "3,000 stayed home": a verb, not a noun; "12 reported cases" is lost on purpose
        if bare.endswith("ly") and bare not in ("family", "ally", "supply"):
            break
        if words and (bare in PARTICIPLE_UNITS or bare.endswith("ed") or (singular and _is_plural(bare))):
            break  # "one person died", "one person remains": the noun phrase has ended
        words.append((raw, m.start(1), m.end(1)))
        cursor = m.end()
        if len(words) == 1 and bare in PARTICIPLE_UNITS:
            head = words[-1]
            break
        if _is_plural(bare) or bare in UNIT_NOUNS or bare in CURRENCY_WORDS:
            head = words[-1]
            plural = _is_plural(bare) or bare in ("km", "mph")
            break
    if head is None and words:
        head = words[0]  # no plural seen: a singular head comes first ("a 6.4 earthquake struck Peru")
    if head is None:
        return None, None, pos, False
    first_start = words[0][1]
    unit = lemma(head[0]) if head[0].lower() not in PARTICIPLE_UNITS else head[0].lower()
    unit = CURRENCY_WORDS.get(unit, UNIT_CANON.get(unit, unit))
    return unit, text[first_start : head[2]].rstrip("'’"), head[2], plural
