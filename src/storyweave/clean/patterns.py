"""Boilerplate lines of scraped news: navigation, ads, bylines, dates, credits and syndication notes.

A line is boilerplate only when it is made up *entirely* of known fragments ("Share", "Advertisement",
"By Jane Doe, Reuters", "Published: 14 September 2023", a syndication note...), possibly several of them
(" date 2023-09-14 Advertisement" is a date then an ad). Any word left over means the line is prose and it
is kept, which is what keeps article paragraphs safe from these patterns.

Hand-written because no installed library classifies *lines of plain text*: trafilatura and jusText work on
HTML structure, and the text reader (and trafilatura's own output) hands us lines that still carry this
residue. Dates found in such lines are parsed with dateparser, not with a grammar of our own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

# Longer lines are never boilerplate fragments (the longest syndication notes run ~250 characters).
MAX_BOILERPLATE_CHARS = 400

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_WEEKDAY = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)"
)
_ORDINAL = r"(?:st|nd|rd|th)?"
DATE_CORE = (
    r"(?:\d{4}-\d{2}-\d{2}"
    rf"|\d{{1,2}}{_ORDINAL}\s+(?:of\s+)?{_MONTH}\.?,?\s+\d{{4}}"
    rf"|{_MONTH}\.?\s+\d{{1,2}}{_ORDINAL},?\s+\d{{4}}"
    r"|\d{1,2}[/.]\d{1,2}[/.]\d{4}|\d{4}/\d{1,2}/\d{1,2})"
)
_TZ = (
    r"(?:GMT|UTC|BST|CET|CEST|EET|EEST|EST|EDT|CST|CDT|MST|MDT|PST|PDT|IST|JST|KST|AEST|AEDT|HKT|SGT|MSK"
    r"|ET|PT|CT|MT|Z)(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?"
)
_TIME = (
    rf"\d{{1,2}}[:.]\d{{2}}(?:[:.]\d{{2}}(?:\.\d+)?)?\s*(?:[ap]\.?m\.?)?"
    rf"(?:\s*{_TZ}|[+-]\d{{2}}:?\d{{2}})?"
)
_LABEL = (
    r"(?P<label>(?:(?:first|last|originally)\s+)?(?:published|updated|posted|modified|created|released"
    r"|issued|dated?)(?:\s+(?:on|at))?)\s*:?\s*"
)

# Names as written in bylines and credits: capitalised words, with the particles of common surnames.
# Case-sensitive on purpose ("By the numbers" is a heading, "By Jane Doe" a byline).
_CAP = r"[A-ZÀ-ÖØ-Þ][\w'’.\-]*"
_NAME = rf"{_CAP}(?:\s+(?:{_CAP}|de|da|di|du|van|von|der|den|del|la|le|bin|ibn|al|el)){{0,4}}"
_PERSON = rf"(?!(?:The|A|An|This|That|These|Those|Our|Its|His|Her|Their)\b){_NAME}"
_NAMES = rf"{_PERSON}(?:\s*(?:,|\band\b|&)\s*{_PERSON}){{0,5}}"
_CREDIT = rf"{_NAME}(?:\s*(?:/|\bvia\b|\bfor\b|,)\s*{_NAME}){{0,4}}"
_AGENCY = (
    r"(?:Reuters|REUTERS|AP|AFP|Associated Press|Agence France-Presse|Bloomberg|PTI|IANS|ANI|dpa|DPA|Xinhua"
    r"|Kyodo|Yonhap|UPI|EFE|ANSA|PA Media|Press Association|TASS|RIA Novosti|Interfax|Getty Images"
    r"|Shutterstock|Alamy|EPA-EFE|EPA|AP Photo"
    r"|(?:[A-Z][a-z]+\s+)?(?:Staff|Senior|Chief|Political|Foreign|Business|Science|Sports|Technology|Health"
    r"|Legal|Special)\s+(?:Writer|Reporter|Correspondent|Editor)|Staff|Correspondent|Reporter)"
)


@dataclass(frozen=True)
class Fragment:
    """One kind of boilerplate text and the removal reason it gets."""

    pattern: re.Pattern[str]
    reason: str
    weak: bool = False  # section names ("World", "Politics"): boilerplate only in a run of two or more


def _frag(pattern: str, reason: str, *, nocase: bool = True, weak: bool = False) -> Fragment:
    flags = re.IGNORECASE if nocase else 0
    return Fragment(re.compile(pattern, flags), reason, weak)


_NAVIGATION = (
    r"skip\s+to\s+(?:the\s+)?(?:main\s+)?(?:content|navigation|search|footer|article|menu)"
    r"|skip\s+(?:navigation|links)|jump\s+to\s+(?:main\s+)?(?:content|navigation|section)"
    r"|(?:main\s+)?menu|(?:open|close|toggle)\s+(?:the\s+)?(?:menu|navigation|search)|navigation"
    r"|home(?:page)?|search(?:\s+(?:for|the\s+site))?|close|back\s+to\s+top|top\s+of\s+(?:the\s+)?page"
    r"|(?:next|previous|prev)\s+(?:article|story|page|post|slide)"
    r"|sign\s?in(?:\s+to\s+[\w ]{1,30})?|log\s?in|log\s?out|sign\s?out|sign\s?up|register|my\s+account"
    r"|subscribe(?:\s+(?:now|today|here))?|newsletters?"
    r"|share(?:\s+(?:this|the))?(?:\s+(?:article|story|page|post|video))?"
    r"(?:\s+(?:on|via)\s+(?:facebook|twitter|x|whatsapp|linkedin|e-?mail|reddit|pinterest|telegram))?"
    r"|facebook|twitter|whatsapp|linkedin|pinterest|reddit|telegram|instagram|youtube|tiktok|messenger"
    r"|flipboard|bluesky|e-?mail|print(?:\s+this\s+(?:article|page))?|copy\s+(?:link|url)|link\s+copied"
    r"|tweet|follow(?:\s+us)?(?:\s+on\s+[\w ]{1,30})?|listen(?:\s+to\s+(?:this\s+)?article)?"
    r"|\d{1,2}\s+min(?:ute)?s?\s+listen|save(?:\s+(?:article|story|for\s+later))?|saved|bookmark"
    r"|gift\s+(?:this\s+)?article|click\s+here(?:\s+to\s+[^.\n]{1,60})?|download\s+(?:the|our)\s+app"
    r"|click\s+to\s+(?:share|e-?mail|print|tweet|pin)[\w ]{0,40}|\(?opens\s+in\s+(?:a\s+)?new\s+window\)?"
    r"|get\s+the\s+app|open\s+in\s+app|load\s+more|(?:see|show|view)\s+more|expand|collapse"
    r"|watch(?:\s+(?:live|now|video))?|play\s+video|(?:video|audio)\s+player"
    r"|enable\s+javascript[^.\n]{0,80}|javascript\s+is\s+disabled[^.\n]{0,80}"
    r"|your\s+browser\s+does\s+not\s+support[^.\n]{0,80}|font\s+size|text\s+size"
    r"|privacy\s+policy|terms\s+(?:of\s+(?:use|service)|and\s+conditions)|contact\s+us|about\s+us"
    r"|accessibility|site\s?map|rss(?:\s+feeds?)?|do\s+not\s+sell\s+my\s+personal\s+information"
    r"|https?://\S+|www\.\S+"
)
_SUBSCRIPTION = (
    r"(?:subscribe|sign\s+up|register)(?:\s+(?:now|today|for\s+free))?\s+(?:to|for)\s+(?:our|the|my)\s+"
    r"[\w'’ -]{0,40}(?:newsletter|briefing|digest|alerts?|updates)[^.!\n]{0,100}[.!]?"
    r"|already\s+(?:a\s+subscriber|a\s+member|have\s+an\s+account|registered)\??"
    r"(?:\s+(?:sign|log)\s?in(?:\s+here)?)?\.?"
    r"|(?:this\s+(?:article|story|content)\s+is\s+)?(?:for|available\s+to|exclusive\s+to|only\s+available\s+to)"
    r"\s+(?:paid\s+)?(?:subscribers|members)(?:\s+only)?\.?"
    r"|(?:subscribe|sign\s+in|log\s+in|register)(?:\s+now)?\s+to\s+(?:continue|keep)\s+reading[^.\n]{0,60}\.?"
    r"|(?:get|enjoy)\s+unlimited\s+(?:digital\s+)?access[^.\n]{0,100}\.?"
    r"|(?:sign\s+up|subscribe)\s+(?:here|now)\.?|thank\s+you\s+for\s+(?:reading|subscribing|signing\s+up)"
    r"[^.\n]{0,80}[.!]?"
)
_COOKIES = (
    r"(?:we|this\s+(?:site|website)|our\s+(?:site|website))\s+uses?\s+cookies[^\n]{0,300}"
    r"|(?:accept|reject|allow|manage)(?:\s+all)?\s+cookies|cookie\s+(?:settings|policy|preferences|notice"
    r"|consent)|manage\s+(?:consent|preferences)"
)
_ADVERTISING = (
    r"advertisement|advertising|advert|ads?|sponsored(?:\s+(?:content|post|story|stories|links?|article))?"
    r"(?:\s+by\s+[\w .&'’-]{1,40})?|paid\s+(?:content|post|partnership|promotion)"
    r"(?:\s+(?:by|for|with)\s+[\w .&'’-]{1,40})?"
    r"|promoted(?:\s+(?:content|stories|links|by\s+[\w .&'’-]{1,40}))?"
    r"|partner\s+(?:content|stories)|(?:story|article|content)\s+continues\s+(?:below|after)"
    r"(?:\s+(?:this|the))?(?:\s+(?:advertisement|ad|advert))?|continue\s+reading\s+(?:the\s+main\s+story|below)"
    r"|scroll\s+(?:down\s+)?to\s+continue(?:\s+(?:with\s+content|reading))?|ad\s+feedback|report\s+(?:this\s+)?ad"
    r"|remove\s+ads|ad-free|advertise\s+with\s+us|adchoices|recommended\s+by\s+(?:outbrain|taboola)"
    r"|outbrain|taboola"
)
_SECTIONS = (
    r"news|world|politics|business|economy|markets|sport|sports|opinion|culture|entertainment|lifestyle"
    r"|science|technology|tech|health|environment|climate|travel|video|videos|live|europe|asia|africa"
    r"|americas|middle\s+east|uk|us|india|local|national|international"
)

FRAGMENTS: tuple[Fragment, ...] = (
    _frag(_NAVIGATION, "navigation"),
    _frag(_SUBSCRIPTION, "navigation"),
    _frag(_COOKIES, "other"),
    _frag(_ADVERTISING, "advertising"),
    _frag(_SECTIONS, "navigation", weak=True),
    # --- metadata: dates, reading time, bylines, credits, copyright
    _frag(
        rf"(?:{_LABEL}|on\s+)?(?:{_WEEKDAY}\.?,?\s+)?(?P<date>{DATE_CORE})(?:(?:\s*[,|\-]?\s*|\s+at\s+){_TIME})?",
        "metadata",
    ),
    _frag(rf"(?:{_LABEL})?{_TIME}", "metadata"),
    _frag(
        r"(?:(?:updated|posted|published)\s+)?\d{1,3}\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?)"
        r"\s+ago",
        "metadata",
    ),
    _frag(
        r"(?:(?:estimated\s+)?read(?:ing)?\s+time\s*:?\s*(?:about\s+)?\d{1,3}\s*(?:minutes?|mins?|m)\b"
        r"(?:\s+read)?|\d{1,3}\s*-?\s*(?:minutes?|mins?|min)\.?\s+read)",
        "metadata",
    ),
    _frag(
        rf"(?i:(?:written\s+|reported\s+|words\s+|story\s+|text\s+|updated\s+|posted\s+)?by)\s*:?\s+{_NAMES}",
        "metadata",
        nocase=False,
    ),
    _frag(
        rf"(?i:authors?|byline|reporter|correspondent|source|sources|credits?)\s*:\s*{_NAMES}",
        "metadata",
        nocase=False,
    ),
    _frag(
        r"(?i:(?:additional\s+)?(?:reporting|writing|editing|compiled|produced|research|translation|translated"
        rf"|graphics|fact-checking|video)\s+by)\s+{_NAMES}(?:\s+in\s+{_NAME})?",
        "metadata",
        nocase=False,
    ),
    _frag(
        r"(?i:(?:file\s+)?(?:photos?|images?|pictures?|pics?|videos?|graphics?|illustrations?)"
        rf"(?:\s+credits?)?)\s*(?::|\bby\b|/|-|–|—|©)\s*{_CREDIT}",
        "metadata",
        nocase=False,
    ),
    _frag(rf"{_AGENCY}(?:\s*/\s*{_NAME})*", "metadata", nocase=False),
    _frag(r"image\s+(?:source|copyright)\s*,?\s*[^,\n]{0,60}|image\s+caption\s*,?|file\s+photo", "metadata"),
    _frag(
        r"(?:(?i:copyright)\s*(?:©|\((?i:c)\))?|©|\((?i:c)\))\s*(?:\d{4}(?:\s*-\s*\d{4})?\s*,?\s*)?"
        r"(?P<outlet>[A-Z][\w&'’\-]*(?:\s+(?:[A-Z][\w&'’\-]*|of|and|&)){0,5})?\.?",
        "metadata",
        nocase=False,
    ),
    _frag(r"read\s+the\s+original\s+(?:article|story|post)\.?", "navigation"),
    _frag(r"all\s+rights\s+reserved\.?", "metadata"),
    _frag(
        r"this\s+material\s+may\s+not\s+be\s+published,?\s+broadcast,?\s+rewritten,?\s+or\s+redistributed"
        r"(?:\s+(?:in\s+whole\s+or\s+in\s+part\s+)?without\s+permission)?\.?",
        "metadata",
    ),
    _frag(r"our\s+standards\s*:?\s*the\s+thomson\s+reuters\s+trust\s+principles\.?", "metadata"),
    # --- syndication notes; the outlet they name becomes the article's outlet when it has none
    _frag(
        r"(?:except\s+for\s+the\s+headline,\s*)?this\s+(?:story|article|report|copy|news)\s+has\s+not\s+been\s+"
        r"edited\s+by\s+(?P<outlet>[^()\n]{1,60}?)\s+staff\s+and\s+(?:is|has\s+been|was)\s+"
        r"(?:published|auto-generated|generated|sourced)\s+from\s+an?\s+(?:syndicated|agency|wire(?:\s+agency)?)"
        r"\s+feed[^.()\n]{0,100}\.?",
        "syndication-note",
    ),
    _frag(
        r"this\s+(?:story|article|report|copy)\s+(?:has\s+been|is|was)\s+(?:published|auto-generated|generated)"
        r"\s+(?:from|via)\s+an?\s+(?:syndicated|wire\s+agency|agency|wire)\s+feed[^.()\n]{0,100}\.?",
        "syndication-note",
    ),
    _frag(
        r"only\s+the\s+(?:headline|image|picture)s?(?:\s+and\s+\w+)?\s+(?:has|have)\s+been\s+changed\.?",
        "syndication-note",
    ),
    _frag(
        r"this\s+(?:article|story|post|piece|report|interview|column)\s+(?:was\s+|is\s+|has\s+been\s+)?"
        r"(?:originally\s+|first\s+)?(?:appeared|published|posted|ran)\s+(?:on|in|at|by)\s+"
        r"(?P<outlet>(?!\d)[^.()\n]{2,160})\.?",
        "syndication-note",
    ),
    _frag(
        r"(?:(?:originally|first)\s+(?:published|appeared|posted)\s+(?:on|in|at|by)"
        r"|(?:republished|reprinted|syndicated)\s+(?:with\s+permission\s+)?(?:from|by))\s+"
        r"(?P<outlet>(?!\d)[^.()\n]{2,160})\.?",
        "syndication-note",
    ),
    _frag(r"with\s+(?:inputs?\s+from\s+[^.()\n]{1,40}|agency\s+inputs?)\.?", "syndication-note"),
    _frag(
        r"(?:this\s+(?:story|article|report|copy)\s+(?:was|is|has\s+been)\s+)?distributed\s+by\s+"
        r"(?P<outlet>(?!\d)[^.()\n]{2,60})\.?",
        "syndication-note",
    ),
    # IFTTT-style feed relays: "from NDTV News-World-news https://ift.tt/..."
    _frag(r"from\s+(?P<feed>\S.{0,100}?)\s+https?://\S+", "syndication-note"),
)

# Separators between fragments of one line (pipes, bullets, dashes, brackets, punctuation).
_SEPARATORS = re.compile(r"[\s|•·,;:/\\–—\-_*~=>»«<()\[\]{}.!?\"'“”‘’]*")

# Lines that link to another story ("Read more: ...") or to media; the whole line goes, whatever it says.
_LINK_LINES: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            r"(?:read\s+more|also\s+read|read\s+also|related(?:\s+(?:article|story|stories|news|coverage"
            r"|content|reading))?|see\s+also|must\s+read|don'?t\s+miss|read\s+next|more\s+on\s+this(?:\s+story)?"
            r"|also\s+see|recommended|further\s+reading)\s*(?:[:|»>–—]|-{1,2}|\.{3})\s*\S.*",
            re.IGNORECASE,
        ),
        "off-topic",
    ),
    (
        re.compile(
            r"(?:watch|listen|in\s+pictures|in\s+photos|video|gallery)\s*(?:[:|»>–—]|-{1,2})\s*\S.*",
            re.IGNORECASE,
        ),
        "navigation",
    ),
)
_NO_ALNUM = re.compile(r"[^\W_]")
_WORD_CHAR = re.compile(r"\w")


@dataclass(frozen=True)
class Piece:
    """A boilerplate span of one line: offsets into the line, its reason, and any date/outlet it gives."""

    start: int
    end: int
    reason: str
    date: str | None = None  # the date text as written, for dateparser
    date_priority: int = 1  # 0 = a publication label, 1 = no label, 2 = an update label
    outlet: str | None = None
    outlet_priority: int = 9
    weak: bool = False  # from a weak fragment (see Fragment.weak)


def classify_line(line: str) -> list[Piece] | None:
    """The boilerplate pieces ``line`` consists of (adjacent same-reason pieces merged), or None for prose."""
    if len(line) > MAX_BOILERPLATE_CHARS:
        return None
    if not _NO_ALNUM.search(line):
        return [Piece(0, len(line), "other")]
    for pattern, reason in _LINK_LINES:
        if pattern.fullmatch(line):
            return [Piece(0, len(line), reason)]
    pieces = _segment(line)
    if pieces is None:
        return None
    if len(pieces) < 2 and pieces[0].weak:
        return None
    merged = _merge(pieces)
    if len(merged) == 1:  # one kind for the whole line: log the line as written, brackets included
        return [replace(merged[0], start=0, end=len(line))]
    return merged


def _segment(line: str) -> list[Piece] | None:
    """Cover ``line`` with fragments left to right (longest match first); None when some text is left."""
    pieces: list[Piece] = []
    pos = 0
    n = len(line)
    while True:
        sep = _SEPARATORS.match(line, pos)
        pos = sep.end() if sep else pos
        if pos >= n:
            break
        best: tuple[re.Match[str], Fragment] | None = None
        for fragment in FRAGMENTS:
            m = fragment.pattern.match(line, pos)
            if m is None or m.end() <= pos:
                continue
            if m.end() < n and _WORD_CHAR.match(line[m.end()]) and _WORD_CHAR.match(line[m.end() - 1]):
                continue  # stopped inside a word: not this fragment
            if best is None or m.end() > best[0].end():
                best = (m, fragment)
        if best is None:
            return None
        m, fragment = best
        pieces.append(_piece(line, m, fragment))
        pos = m.end()
    return pieces or None


def _piece(line: str, m: re.Match[str], fragment: Fragment) -> Piece:
    """A Piece for one fragment match, with its date or outlet pulled out."""
    start, end = m.start(), m.end()
    while end > start and line[end - 1].isspace():
        end -= 1
    groups = m.groupdict()
    date = groups.get("date")
    priority = 1
    label = (groups.get("label") or "").lower()
    if label:
        priority = 2 if ("updated" in label or "modified" in label) else 0
    outlet: str | None = None
    outlet_priority = 9
    if groups.get("outlet"):
        outlet = clean_outlet(groups["outlet"])
        outlet_priority = 0 if "edited" in m.group().lower() else (3 if fragment.reason == "metadata" else 1)
    elif groups.get("feed"):
        outlet = clean_outlet(re.split(r"\s+[-–—|:»]\s+|[-–—|:»]", groups["feed"])[0])
        outlet_priority = 2
    return Piece(start, end, fragment.reason, date, priority, outlet, outlet_priority, fragment.weak)


def clean_outlet(text: str) -> str | None:
    """An outlet name from the words a note gives, cut before licence wording and trailing punctuation."""
    name = re.split(
        r"\s+(?:under|and\s+is|and\s+has|and\s+was|with\s+permission|on\s+\d|in\s+\d|at\s+https?)\b|[,;(]",
        text,
        maxsplit=1,
        flags=re.IGNORECASE,
    )[0]
    name = name.strip(" .:-–—\"'“”‘’")
    if not name or len(name) > 60 or re.search(DATE_CORE, name, re.IGNORECASE) or not name[0].isalnum():
        return None
    return name


def _merge(pieces: list[Piece]) -> list[Piece]:
    """Join neighbouring pieces of one reason into one span (a piece with a date stays on its own)."""
    merged: list[Piece] = []
    for piece in pieces:
        last = merged[-1] if merged else None
        if last is None or last.reason != piece.reason or last.date or piece.date:
            merged.append(piece)
            continue
        best = piece if piece.outlet_priority < last.outlet_priority else last
        merged[-1] = replace(
            last, end=piece.end, outlet=best.outlet, outlet_priority=best.outlet_priority, weak=False
        )
    return merged


@lru_cache(maxsize=4096)
def parse_date(text: str) -> str | None:
    """ISO date (YYYY-MM-DD) of a date written out in full, via dateparser; None when not a full date."""
    import dateparser  # imported lazily: it takes ~0.1 s to load and most articles carry no date line

    try:
        value = dateparser.parse(
            text,
            languages=["en"],
            settings={"REQUIRE_PARTS": ["day", "month", "year"], "PREFER_DATES_FROM": "past"},
        )
    except Exception:  # dateparser raises assorted errors on odd input; a bad date is no date
        return None
    if value is None or not 1900 <= value.year <= 2100:
        return None
    return str(value.date().isoformat())


# A wire dateline opening the first paragraph: "MOSCOW, Sept 14 (Reuters) - ", "VLADIVOSTOK, Russia (AP) — ".
# Case-sensitive: the place is in capitals, which is what tells it from an opening clause.
_DATELINE = re.compile(
    r"(?P<place>[A-Z][A-Z.'’\-]+(?:\s+[A-Z][A-Z.'’\-]+){0,3})"
    r"(?:,\s+[A-Z][A-Za-z.'’\-]+(?:\s+[A-Z][A-Za-z.'’\-]+){0,2}){0,2}"
    rf"(?:,?\s+(?P<date>(?i:{_MONTH})\.?\s+\d{{1,2}}(?:,?\s+\d{{4}})?))?"
    r"\s*(?:\((?P<agency>[A-Za-z][\w .&'’\-]{1,30})\)\s*)?"
    r"(?P<dash>—|–|--|-|:)\s*(?=\S)"
)


def dateline_prefix(text: str) -> tuple[int, str | None] | None:
    """Length of a wire dateline opening ``text`` and its date text, or None when there is none.

    A bare "PLACE — " needs a long dash and a place of 4+ capitals; a colon needs a "(Agency)" (not a
    transcript's "(R-IN)"), a hyphen an agency or spaces around it after a long place or a region.
    """
    m = _DATELINE.match(text)
    if m is None:
        return None
    letters = sum(c.isalpha() for c in m.group("place"))
    agency = m.group("agency")
    if agency is not None and re.fullmatch(r"[RDI]-[A-Za-z.\s]{2,6}", agency):
        return None  # a speaker's party and state in a transcript: "REP. SUSAN BROOKS (R-IN):"
    if agency is None and (m.group("dash") == ":" or letters < 4):
        return None
    if agency is None and m.group("dash") == "-":
        # a spaced hyphen after a long place or a place with its region: "NASHVILLE, Tenn. - " (an
        # acronym opening a sentence, "NATO - the alliance...", is short and has no region)
        spaced = text[m.start("dash") - 1 : m.start("dash")] == " "
        region = "," in text[m.end("place") : m.start("dash")]
        if not spaced or (letters < 5 and not region):
            return None
    if m.end() >= len(text) - 20:  # nothing of substance after it: not a dateline
        return None
    return m.end(), m.group("date")


def dateline_search(text: str) -> int | None:
    """Offset of a wire dateline with an agency ("MOSCOW, Sept 14 (Reuters) - ") inside ``text``, after
    other words (a headline run into the lede), or None."""
    for m in _DATELINE.finditer(text):
        if m.start() == 0 or not text[m.start() - 1].isspace():
            continue
        if m.group("agency") is None or m.end() >= len(text) - 20:
            continue
        if sum(c.isalpha() for c in m.group("place")) < 3:
            continue
        return m.start()
    return None
