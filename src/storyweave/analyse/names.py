"""Surface forms of entity names: display normalisation, comparison keys and plausibility.

spaCy's NER returns spans as written ("Kim Jung Un's", "Kremlin spokesman Dmitry Peskov", "Mr. Putin",
"vladimir putin" from a lowercased headline). Neither spaCy nor rapidfuzz normalises such spans, and the
honorific and title vocabulary of English news is small and stable, so the rules here are hand-written:
they strip what is not part of the name and leave the name itself untouched.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Pure functions of a string, called for every mention many times per story (reconciliation compares names
# pairwise): cached. A story's distinct surface forms number in the hundreds to low thousands.
NAME_CACHE_SIZE = 65536

# Honorifics that precede a name ("Mr. Putin", "Ms Ardern"), with or without a dot.
_HONORIFICS = frozenset(
    {"Mr", "Mrs", "Ms", "Mx", "Dr", "Prof", "Mme", "Mlle", "Messrs", "Herr", "Frau", "Sir", "Dame"}
)
# Abbreviated ranks and offices, honorifics only with their dot: "Gen. Milley" but "Gen Z".
_ABBREVIATIONS = frozenset(
    {
        "Sen", "Rep", "Gov", "Gen", "Lt", "Col", "Capt", "Cpt", "Sgt", "Adm", "Maj", "Cmdr", "Insp", "Supt",
        "Pres", "Amb", "Atty", "Det", "Cpl", "Pvt", "Brig", "Rev", "Fr", "Hon", "Sr", "Sra", "Srta",
    }
)
# Offices that head a job title in front of a name, capitalised or not ("Foreign Minister Sergei
# Lavrov", "Chancellor Olaf Scholz", "Majority Leader Chuck Schumer", "Kremlin spokesman Dmitry Peskov").
_OFFICES = frozenset(
    {
        "president", "vice-president", "premier", "minister", "secretary", "chancellor", "spokesman",
        "spokeswoman", "spokesperson", "leader", "chairman", "chairwoman", "chairperson", "ceo", "cfo",
        "coo", "director", "governor", "mayor", "senator", "congressman", "congresswoman", "ambassador",
        "envoy", "judge", "prosecutor", "commissioner", "commander", "colonel", "lieutenant", "sergeant",
        "admiral", "inspector", "superintendent", "sheriff", "professor", "officer", "president-elect",
    }
)
# Roles that are titles only when written lowercase: capitalised they often start a name of their own
# ("Captain Marvel", "Star Wars", "Major League Baseball", "Doctor Who", "General Motors").
_ROLES = frozenset(
    {
        "chair", "chief", "general", "captain", "major", "doctor", "founder", "co-founder", "owner",
        "analyst", "expert", "scholar", "researcher", "economist", "correspondent", "reporter", "editor",
        "columnist", "official", "aide", "adviser", "advisor", "counsel", "lawyer", "attorney",
        "negotiator", "diplomat", "dictator", "emperor", "monarch", "coach", "manager", "striker",
        "midfielder", "defender", "goalkeeper", "actor", "actress", "singer", "rapper", "star", "head",
        "representative", "candidate", "nominee", "lawmaker", "legislator", "activist", "player",
    }
)
# Words that qualify or continue a title ("former", "Deputy Prime", "Secretary of State", "Chief
# Executive Officer"); they are stripped only together with an office or role.
_TITLE_MODIFIERS = frozenset(
    {
        "former", "then", "ex", "acting", "interim", "deputy", "vice", "assistant", "associate", "senior",
        "junior", "first", "prime", "foreign", "defence", "defense", "finance", "interior", "home",
        "health", "justice", "trade", "economy", "economic", "energy", "education", "labour", "labor",
        "transport", "transportation", "agriculture", "treasury", "homeland", "security", "intelligence",
        "press", "executive", "operating", "financial", "managing", "supreme", "high", "grand", "chief",
        "top", "state", "national", "general", "attorney", "district", "federal", "regional", "of", "the",
        "for", "affairs", "and", "elect", "designate", "presidential", "opposition", "majority",
        "minority", "house", "senate", "party", "military", "police", "team", "club",
    }
)
_HEADS = _OFFICES | _ROLES
_TITLE_VOCABULARY = _HEADS | _TITLE_MODIFIERS
# Lowercase particles that belong to surnames ("de Blasio", "van der Leyen", "al-Assad", "bin Salman").
_PARTICLES = frozenset(
    {"de", "del", "della", "der", "den", "di", "da", "das", "dos", "du", "la", "le", "van", "von", "ter",
     "ten", "al", "el", "bin", "ibn", "bint", "ben", "abu", "y", "zu", "af", "av"}
)
# Abbreviations whose final dot is part of the name ("Acme Inc.", "Martin Luther King Jr.").
_KEEP_DOT = frozenset({"inc", "jr", "sr", "co", "corp", "ltd", "bros", "st", "mt", "ft", "no"})

_APOSTROPHES = "'’‘`´ʼ"
_EDGE_PUNCT = "\"'“”‘’«»„‚‹›()[]{}<>,;:!?*_|/\\~#•·–—-=+ \t\r\n" + "`´ʼ"
_POSSESSIVE_RE = re.compile(r"(?:['’ʼ]s|(?<=s)['’ʼ])$")
_INITIALISM_RE = re.compile(r"^(?:[A-Za-z]\.)+$")
_SPACE_RE = re.compile(r"\s+")
_DASHES = "-‐‑‒–—―_"


def _is_capitalised(token: str) -> bool:
    """A token that can be part of a name: it has an uppercase letter or a digit ("iPhone", "3M")."""
    return any(ch.isupper() or ch.isdigit() for ch in token)


def _bare(token: str) -> str:
    """Token without a final dot and surrounding apostrophes, for vocabulary look-ups."""
    return token.strip(_APOSTROPHES).rstrip(".")


def _parts(token: str) -> list[str]:
    """Casefolded hyphen parts of a token ("Secretary-General" -> ["secretary", "general"])."""
    return [p for p in re.split(r"[-‐‑]", _bare(token).casefold()) if p]


def _is_title_head(token: str) -> bool:
    """An office, or a role written lowercase ("spokesman", "Minister", "Secretary-General")."""
    parts = _parts(token)
    if not parts or parts[-1] not in _HEADS:
        return False
    if parts[-1] in _ROLES and parts[-1] not in _OFFICES and not _bare(token).islower():
        # "Secretary-General" has an office part: accepted; "Captain" alone is not
        return any(p in _OFFICES for p in parts)
    return all(p in _TITLE_VOCABULARY for p in parts)


def _is_title_word(token: str) -> bool:
    """Any word that can belong to a title: head, modifier or honorific."""
    parts = _parts(token)
    return bool(parts) and all(p in _TITLE_VOCABULARY for p in parts)


def _is_honorific(token: str, remaining: int) -> bool:
    """A leading honorific; ``remaining`` counts the tokens after it.

    "M." (French Monsieur) counts only before a lone surname ("M. Macron"): before two or more tokens it is
    more often an initial ("M. Night Shyamalan").
    """
    bare = token.rstrip(".")
    if bare in _HONORIFICS:
        return True
    if token.endswith(".") and bare in _ABBREVIATIONS:
        return True
    return token == "M." and remaining == 1


def _drop_unbalanced_quotes(text: str) -> str:
    """Remove double quotes left unpaired by a span boundary ('the Pacific "Ring of Fire')."""
    if text.count('"') % 2:
        text = text.replace('"', "")
    if text.count("“") != text.count("”"):
        text = text.replace("“", "").replace("”", "")
    return text


def _strip_edges(text: str) -> str:
    """Remove surrounding quotes, brackets and punctuation, and a possessive ending, until stable."""
    text = _drop_unbalanced_quotes(text)
    previous = None
    while previous != text:
        previous = text
        text = _drop_unbalanced_quotes(text.strip(_EDGE_PUNCT))
        text = _POSSESSIVE_RE.sub("", text)
        if text.endswith("."):
            last = text.split(" ")[-1]
            if not (_INITIALISM_RE.match(last) or _bare(last).casefold() in _KEEP_DOT):
                text = text[:-1]
    return text


def _strip_title(tokens: list[str]) -> list[str]:
    """Drop leading honorifics, a job title and lowercase words in front of a name.

    The title is cut after its last head that is followed by a capitalised non-title token (after the
    title's own continuation, as in "Secretary of State"). Qualifiers before the head are dropped with it
    ("Kremlin spokesman", "Russian President", "White House press secretary"), but a capitalised head
    after more than four other words is left alone: that is more likely an organisation's name.
    """
    while len(tokens) > 1 and _is_honorific(tokens[0], len(tokens) - 1):
        tokens = tokens[1:]
    cut = 0
    for i, token in enumerate(tokens[:-1]):
        if not _is_title_head(token):
            continue
        j = i + 1
        while j < len(tokens) - 1 and _is_title_word(tokens[j]):
            j += 1
        follower = tokens[j]
        if not _is_capitalised(follower) or _is_title_word(follower):
            continue
        if not token.islower() and i > 4:
            continue
        cut = j
    tokens = tokens[cut:]
    while len(tokens) > 1 and _is_honorific(tokens[0], len(tokens) - 1):
        tokens = tokens[1:]
    # leading lowercase words ("the", "former") that are not surname particles ("de Blasio")
    while tokens and not _is_capitalised(tokens[0]):
        if tokens[0].casefold() in _PARTICLES and len(tokens) > 1 and _is_capitalised(tokens[1]):
            break
        tokens = tokens[1:]
    return tokens


# A web address naming an outlet ("TMZ.com", "People.com") is the outlet: the domain is dropped from keys.
_DOMAIN_RE = re.compile(r"(?<=\w\w)\.(?:com|org|net|co\.uk|com\.au)$", re.IGNORECASE)
# An honorific or rank glued to the name by a missing space ("Gov.Sarah Palin").
_GLUED_RE = re.compile(
    r"\b(" + "|".join(sorted(_HONORIFICS | _ABBREVIATIONS)) + r")\.(?=[A-Z][a-z])"
)


@lru_cache(maxsize=NAME_CACHE_SIZE)
def normalise_name(text: str) -> str:
    """Display form of a mention: no possessive, honorific, job title, edge punctuation or extra spaces.

    "Kim Jung Un's" -> "Kim Jung Un"; "Kremlin spokesman Dmitry Peskov" -> "Dmitry Peskov";
    "(Reuters')" -> "Reuters"; "Prime Minister" -> "" (a title with no name); "vladimir putin" -> ""
    (a lowercase string is not a name; see :func:`is_plausible_name`).
    """
    text = unicodedata.normalize("NFC", text)
    text = _GLUED_RE.sub(r"\1. ", text)
    text = _SPACE_RE.sub(" ", text).strip()
    text = _strip_edges(text)
    if not text:
        return ""
    tokens = _strip_title(text.split(" "))
    if any(_is_title_head(t) for t in tokens) and all(
        _is_title_word(t) or _is_honorific(t, 1) for t in tokens
    ):
        return ""  # only a title is left: "Prime Minister", "the Supreme Leader"
    result = _strip_edges(" ".join(tokens))
    return result if is_plausible_name(result) else ""


@lru_cache(maxsize=NAME_CACHE_SIZE)
def name_key(name: str) -> tuple[str, ...]:
    """Comparison key: casefolded, accent-folded tokens; hyphens as spaces; dots and apostrophes dropped.

    "Kim Jong-un" and "KIM JONG UN" -> ("kim", "jong", "un"); "Zoë Saldaña" -> ("zoe", "saldana");
    a leading "the" is dropped so "the Kremlin" and "Kremlin" compare equal, and a web domain so
    "TMZ.com" and "TMZ" do.
    """
    decomposed = unicodedata.normalize("NFKD", _DOMAIN_RE.sub("", name.strip()).casefold())
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    for dash in _DASHES:
        folded = folded.replace(dash, " ")
    for mark in "." + _APOSTROPHES:
        folded = folded.replace(mark, "")
    tokens = [t for t in re.split(r"[\s,;:()\[\]\"“”«»/]+", folded) if t]
    if len(tokens) > 1 and tokens[0] == "the":
        tokens = tokens[1:]
    return tuple(tokens)


@lru_cache(maxsize=NAME_CACHE_SIZE)
def is_plausible_name(text: str) -> bool:
    """Whether a string can be an entity name at all.

    False for all-lowercase strings (a lowercased duplicate headline must not create "vladimir putin"),
    for numbers and punctuation, and for single letters; "3M" and "G7" pass.
    """
    letters = [ch for ch in text if ch.isalpha()]
    alnum = sum(1 for ch in text if ch.isalnum())
    return alnum >= 2 and any(ch.isupper() for ch in letters)
