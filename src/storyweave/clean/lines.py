"""Text primitives of the cleaner: raw lines as paragraphs, words, content tokens and sentences.

Everything here is plain regex work on purpose: cleaning runs on every article before any NLP model is
loaded and must stay in the ~1000 articles/s range, so spaCy is not an option at this stage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from storyweave import thresholds
from storyweave.text.lexicon import NEWS_STOP_WORDS, word_set

# Characters that render as nothing or as a plain space in scraped text (nbsp, zero-width, BOM...).
_INVISIBLE = re.compile("[\u00a0\u1680\u2000-\u200f\u202f\u205f\u2060\u3000\ufeff]")
_SPACES = re.compile(r"\s+")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_WORD = re.compile(r"[^\W\d_][\w'’\-]*")
_ALNUM = re.compile(r"[^\W_]")

# News words that carry no topic (text/lexicon.py) on top of the usual English stop words: they appear in any
# two unrelated stories, so counting them as shared vocabulary would hide a change of topic.
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS) | NEWS_STOP_WORDS

# Tokens are cut to this many characters: a cheap stemmer that makes "Korea"/"Korean" and
# "rifle"/"rifles" one token; collisions between unrelated words of one prefix are rare enough for an
# overlap measure.
STEM_CHARS = 5


@dataclass
class Para:
    """One non-empty raw line, treated as a paragraph, and what is left of it after cleaning."""

    line: int  # 0-based line number in the raw text
    text: str  # the line stripped of surrounding whitespace; pieces removed later are cut out of it
    kept: bool = True


def split_paragraphs(raw: str) -> list[Para]:
    """Every line of ``raw`` that has visible characters, numbered like the raw text's lines."""
    paras: list[Para] = []
    for number, line in enumerate(_LINE_BREAK.split(raw)):
        text = strip_invisible(line)
        if text:
            paras.append(Para(line=number, text=text))
    return paras


_WIRE_DASH = re.compile(r"(?<=\S) _ (?=\S)")
_WIRE_BULLET = re.compile(r"^_(?=[\w\"“‘'(])")


def wire_dashes(line: str) -> str:
    """``line`` with the news agencies' typewriter marks in typographic form: an underscore between spaces
    is a dash ("twice as many Americans _ one-third of all adults _ to"), one opening a line is a bullet."""
    return _WIRE_BULLET.sub("• ", _WIRE_DASH.sub(" — ", line))


def strip_invisible(text: str) -> str:
    """``text`` without leading/trailing whitespace or invisible characters; an exact slice of ``text``."""
    start, end = 0, len(text)
    while start < end and (text[start].isspace() or _INVISIBLE.match(text[start])):
        start += 1
    while end > start and (text[end - 1].isspace() or _INVISIBLE.match(text[end - 1])):
        end -= 1
    return text[start:end]


def normalise(text: str) -> str:
    """Single-spaced copy of ``text`` with invisible characters turned into spaces (for matching only)."""
    return _SPACES.sub(" ", _INVISIBLE.sub(" ", text)).strip()


def has_alnum(text: str) -> bool:
    """True when ``text`` has at least one letter or digit."""
    return _ALNUM.search(text) is not None


def words(text: str) -> list[str]:
    """Whitespace-separated words of ``text``."""
    return text.split()


def base_word(word: str) -> str:
    """Lower-cased word without a possessive or trailing apostrophes/hyphens."""
    w = word.lower()
    if "’" in w:
        w = w.replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if w and w[-1] in "'-":
        w = w.rstrip("'-")
    return w


# Word cases in word_info: lower-case, capitalised inside a sentence, capitalised opening a sentence.
LOWER, CAPITAL, OPENER = 0, 1, 2
_OPENS_SENTENCE = re.compile(r"(?:[.!?:;…][\"'”’)\]]*|(?:^|\s)[\"“‘'(\[])\s*$")


@lru_cache(maxsize=4096)
def word_info(text: str) -> tuple[tuple[str, int], ...]:
    """(base word, case) of every word of ``text``; cached because several steps read each paragraph."""
    out: list[tuple[str, int]] = []
    previous_end = 0
    for match in _WORD.finditer(text):
        token = match.group()
        start = match.start()
        if token[0].isupper():
            opens = start == 0 or _OPENS_SENTENCE.search(text, previous_end, start) is not None
            out.append((base_word(token), OPENER if opens else CAPITAL))
        else:
            out.append((base_word(token), LOWER))
        previous_end = match.end()
    return tuple(out)


def content_tokens(text: str) -> list[str]:
    """Stemmed content words of ``text`` (stop words, news filler and words under 3 letters dropped)."""
    return [w[:STEM_CHARS] for w, _case in word_info(text) if len(w) >= 3 and w not in STOP_WORDS]


# Capitalised words that are not specific to any story: titles, offices, compass points. Two unrelated
# stories both mention "the President" or "South ..."; they do not both mention "Codelco".
GENERIC_NAMES = frozenset(
    w[:STEM_CHARS]
    for w in word_set(
        """
    president minister prime vice chief secretary general governor senator mayor king queen prince
    spokesman spokeswoman spokesperson director chairman chairwoman ceo deputy foreign interior defense
    defence national international federal state city county country department ministry office council
    committee party government university mr mrs ms dr sir north south east west northern southern eastern
    western central new street road united states kingdom nations union us uk un eu america europe world
    white house
    """
    )
)


def document_names(texts: list[str]) -> frozenset[str]:
    """Words written capitalised at least twice and never in lower case across ``texts``.

    Lets a name that only ever opens sentences ("Lumen said ...", "Italy's economy ...") count as a name
    while "The" or "Analysts" do not (they appear in lower case too, or only once).
    """
    capital_counts: dict[str, int] = {}
    lower: set[str] = set()
    for text in texts:
        for w, case in word_info(text):
            if case == LOWER:
                lower.add(w)
            else:
                capital_counts[w] = capital_counts.get(w, 0) + 1
    return frozenset(w for w, n in capital_counts.items() if n >= 2 and w not in lower)


def name_tokens(text: str, known: frozenset[str] = frozenset()) -> set[str]:
    """Stems of the names in ``text``: capitalised words inside a sentence, or opening one when ``known``
    (see :func:`document_names`). A cheap stand-in for named entities.

    Hand-written (no NER at this stage, see module docstring); calendar words and GENERIC_NAMES are
    excluded because every story has them.
    """
    names: set[str] = set()
    for word, case in word_info(text):
        if case == LOWER or (case == OPENER and word not in known):
            continue
        if len(word) < 2 or word in STOP_WORDS or word[:STEM_CHARS] in GENERIC_NAMES:
            continue
        names.add(word[:STEM_CHARS])
    return names


# Abbreviations after which a period does not end a sentence (titles, initials, months, "U.S.").
_ABBREVIATIONS = word_set(
    """
    mr mrs ms dr st gen sen rep gov lt col sgt capt cmdr adm prof jr sr rev fr mt no vs etc inc corp ltd co
    jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.g i.e a.m p.m approx dept est fig
    """
)
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’»)\]]*\s+(?=[\"'“‘«(\[]?[A-Z0-9])")


# Words that open a new sentence after an initialism ("... moved to L.A. He said"), where a capitalised
# noun more likely continues the name ("L.A. County", "the ID. Space concept").
_OPENER_WORDS = word_set(
    """the a an this that these those it he she they we i you his her their its our my there here but and
    or so yet if when while as after before in on at for with from by to no not now then still also"""
)
_DOTTED = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")


def _initialism_inside(before: str, after: str) -> bool:
    """True when a period after a dotted initialism ("L.A.", "D.C.") continues the sentence (the next word
    is no opener), or after an acronym in capitals before another word in capitals ("the ID. SPACE")."""
    last = before.rsplit(None, 1)[-1].lstrip("\"'“‘«([") if before.strip() else ""
    following = after.split(None, 1)
    nxt = following[0].strip("\"'“‘«([,;:") if following else ""
    if not last or not nxt or nxt.lower() in _OPENER_WORDS:
        return False
    if _DOTTED.fullmatch(last):
        return True
    # an acronym before a word in capitals: a product or a name ("the ID. SPACE VIZZION", "LA. GALAXY")
    return last.isupper() and 2 <= len(last) <= 4 and nxt.isupper() and len(nxt) >= 2


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of one paragraph, cut at terminal punctuation before a capital.

    A regex splitter rather than spaCy for speed (see module docstring); it skips common abbreviations and
    initials so "Mr. Putin" and "J. K. Rowling" stay whole.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        before = text[start : match.start()]
        last = before.rsplit(None, 1)[-1].lower() if before.strip() else ""
        last = last.lstrip("\"'“‘«([")
        if last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
            continue
        if _initialism_inside(before, text[match.end() :]):
            continue
        end = match.start() + len(match.group().rstrip())
        if text[start:end].strip():
            spans.append((start, end))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


def sentences(text: str) -> list[str]:
    """Sentences of one paragraph (see :func:`sentence_spans`)."""
    return [text[s:e] for s, e in sentence_spans(text)]


# Letters of scripts written without spaces between words (CJK ideographs, kana, Thai, Lao, Khmer,
# Myanmar): a line of them is one "word" to str.split, so their characters are counted instead.
_UNSPACED = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
)
# A line that ends like a sentence (closing quotes and brackets allowed after the mark).
_LINE_END = re.compile(r"[.!?…。！？][\"'”’»)\]]*\s*$")
# Sentence ends anywhere in a line: a mark followed by a space, a closing quote or the end.
_SENTENCE_MARK = re.compile(r"[.!?…。！？](?=[\s\"'”’»)\]]|$)")
_CAPITALISED = re.compile(r"^[\"'“‘(\[]?[A-ZÀ-ÖØ-ÞА-ЯΑ-Ω]")


def line_words(text: str) -> int:
    """Words of a line; in unspaced scripts every CHARS_PER_UNSPACED_WORD characters count as one."""
    n = len(text.split())
    unspaced = len(_UNSPACED.findall(text))
    if unspaced:
        n = max(n, unspaced // thresholds.CHARS_PER_UNSPACED_WORD)
    return n


def is_prose(text: str) -> bool:
    """A line of running text: a sentence (ends like one and is not a fragment), or long and not a run
    of capitalised labels (a menu or tag list written on one line)."""
    n = line_words(text)
    if n >= thresholds.SENTENCE_MIN_WORDS and _LINE_END.search(text) is not None:
        return True
    if n < thresholds.PROSE_MIN_WORDS:
        return False
    tokens = text.split()
    if len(tokens) < thresholds.PROSE_MIN_WORDS:
        return True  # an unspaced script: no capitals to judge by
    capitals = sum(1 for t in tokens if _CAPITALISED.match(t))
    return capitals < thresholds.MENU_CAPITAL_SHARE * len(tokens) or _SENTENCE_MARK.search(text) is not None


def prose_weight(text: str) -> float:
    """What a prose line is worth: its words, but at most SENTENCE_WORD_CAP per sentence it holds, so
    that one long run-on line (a tag cloud, a contact blurb) cannot outweigh an article's paragraphs."""
    n_sentences = max(1, len(_SENTENCE_MARK.findall(text)))
    return float(min(line_words(text), thresholds.SENTENCE_WORD_CAP * n_sentences))
