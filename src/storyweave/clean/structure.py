"""Article structure in plain text: headline glued to the lede, standfirst, photo captions and bylines.

Exported and scraped text runs the parts of a news page together: a headline and the lede on one line
("Quake Hits Chile The quake struck..."), literal ``\\n`` escapes where a JSON export lost its line breaks,
a caption between the headline and the lede, an AP caption inside the body. Each part found here leaves the
body for its own field of :class:`~storyweave.model.Article`, so no later sentence glues it to the lede.

Hand-written: no installed library splits *plain text* into page parts (trafilatura reads the HTML
structure; once the markup is gone only the writing conventions below are left). The rules follow those
conventions and prefer keeping a line in the body over taking it out: every rule needs a positive sign
(a photo credit, a caption's date form, a dateline, a lede opener after a title-cased run).
"""

from __future__ import annotations

import re

from storyweave import thresholds
from storyweave.clean.lines import sentence_spans, words
from storyweave.clean.patterns import dateline_search
from storyweave.text.lexicon import word_set

__all__ = [
    "bare_name",
    "caption_kind",
    "highlights_label",
    "is_byline",
    "reads_as_prose",
    "split_caption",
    "split_glued_title",
    "split_lead_caption",
    "title_cased",
    "unescape_newlines",
]

# A literal backslash-n (or \r\n) that stands for a line break: not after another backslash, and followed
# by a line start (a capital, digit, quote, another escape, space or the end), so "C:\new" is left alone.
_LITERAL_NEWLINE = re.compile(r"(?<!\\)(?:\\r)?\\n(?=(?:\\r)?\\n|[\s\"'“‘(A-Z0-9]|$)")

# Credits that close a photo caption: "(AP Photo/Evan Vucci)", "(Reuters/Name)", "(Photo: Name)",
# "(Getty Images)", "Photograph: Name/AFP", "(Associated Press)".
_CREDIT_TAIL = re.compile(
    r"(?:\((?:AP|AFP|Reuters|REUTERS|EPA|Xinhua|Getty|Bloomberg|UPI)(?:\s+Photos?)?\s*/[^()]{1,60}\)"
    r"|\((?:Photo|Image|Picture|Credit)s?\s*(?:credit)?\s*[:/][^()]{1,60}\)"
    r"|\((?:Getty Images|AP Photo|Associated Press|Reuters|AFP|EPA(?:-EFE)?|Shutterstock|Alamy)"
    r"(?:\s*/\s*[^()]{1,60})?\)"
    r"|\((?:AP|AFP|Reuters|EPA|Getty)\)"
    r"|\b(?:Photograph|Photo|Picture|Image)(?:\s+credit)?\s*:\s*[^.]{1,80}"
    r"|\b(?:REUTERS|Reuters|AFP|EPA(?:-EFE)?)\s*/\s*[A-Z][\w .'’\-]{1,40}(?:/File(?:\s+Photo)?)?"
    r"|\bPicture taken [^.]{1,40}"
    r")\s*\.?\s*$"
)
_CAPTION_HEAD = re.compile(
    r"^(?:FILE(?:\s+PHOTO)?\s*[-–—:]|CLOSE\s+(?=[A-Z\d])"
    r"|(?i:(?:image\s+copyright\s+\S+(?:\s+\S+)?\s+)?image\s+caption|(?:media\s+playback\s+is\s+unsupported"
    r"\s+on\s+your\s+device\s+)?media\s+caption|photo\s*:|caption\s*:|pictured\s*:|(?:above|top|below)\s*:\s+(?=[A-Z])"
    r"|(?:screenshot|photo|photograph|image|video|illustration)s?\s+(?:by|via|courtesy\s+of)\s+[A-Z]"
    r"|an?\s+(?:handout\s+|file\s+|undated\s+|artist['’]s\s+)*(?:photo|photograph|picture|image|still"
    r"|screenshot|illustration|impression|rendering)\s+(?:from|of|provided|released|taken|shows)\b))"
)
# AP caption convention: the picture's date after a comma, with its weekday, inside a present-tense line:
# "Trump talks about his plan during a news conference, Monday, Sept. 28, 2015, in New York."
_CAPTION_DATE = re.compile(
    r"(?<!\bon)(?<!\bOn),\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),\s+"
    r"(?:Jan|Feb|March|April|May|June|July|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2},\s+\d{4}\b"
)
_BYLINE_LABEL = re.compile(r"^(?:author|byline)s?\s*:", re.IGNORECASE)
_BYLINE_CASED = re.compile(
    r"^(?:(?i:(?:written|reported|words|story|text|updated|posted)\s+)?(?i:by))\s*:?\s+[A-Z]"
)

# Words a lede opens with but a title-cased headline never holds in its middle: after a run of title-cased
# words one of these starts the lede ("Quake Hits Chile The quake struck...").
_LEDE_OPENERS = word_set(
    "The A An In On At After When As For While Two Three Four Five Six Seven Eight Nine Ten Police "
    "Officials Authorities It He She They This"
)
# Lower-case words title case leaves lower-case (APA/Chicago minor words).
_MINOR = word_set("a an the and or but nor for of in on at to by from with as vs. vs via per up")
# Signs that a short sentence has a finite verb (a caption usually has none: "Protesters at the fence.").
_FINITE = re.compile(
    r"\b(?:is|are|was|were|be|been|has|have|had|will|would|can|could|may|might|must|shall|should|do|does"
    r"|did|said|says|say|told|tells|met|made|took|gave|went|came|left|won|lost|held|found|saw|fell|rose"
    r"|hit|struck|ran|led|set|put|got|[a-z]{3,}ed)\b"
)


# A picture is of someone somewhere: a caption names a place or time ("at the fence", "in Kyiv", "on
# Sunday") and speaks of no "you" or "we".
_PLACE_OR_TIME = re.compile(r"\b(?:at|in|on|during|outside|near|after|before|inside|from)\s")
_PRONOUN = re.compile(r"\b(?:i|you|we|he|she|it|they|me|us|him|them)\b")


def unescape_newlines(text: str) -> str:
    """``text`` with literal ``\\n`` escapes (a JSON or CSV export's line breaks) turned into line breaks."""
    if "\\n" not in text:
        return text
    return _LITERAL_NEWLINE.sub("\n", text)


def title_cased(tokens: list[str]) -> bool:
    """True when every word is capitalised, a number, or a minor word title case leaves lower-case."""
    for token in tokens:
        core = token.strip("\"'“”‘’()[]:,;!?")
        if not core:
            continue
        if core[0].isupper() or core[0].isdigit() or core.lower() in _MINOR:
            continue
        return False
    return True


# Words headlinese drops and running prose keeps: auxiliaries and modals (with "n't") and personal pronouns
# ("Real friends stick with you", "Officials say they will not..."). Counted outside quotations (a quoted
# "‘We had some issues,’ exec says" is a headline); "US" in capitals is no pronoun, "Kim's" no contraction.
_AUXILIARIES = word_set(
    "is are was were has have had been will would do does did can could may might must should shall"
)
_PRONOUNS = word_set("i we he she it they me us him them you")
_NEGATION = re.compile(r"n[’']t$", re.I)
_CONTRACTION = re.compile(r"^(?:i|you|we|he|she|it|they)[’'](?:s|re|ve|ll|d|m)$", re.I)
_QUOTED = re.compile(r"[“\"‘][^”\"’]*[”\"’]")


def reads_as_prose(text: str) -> bool:
    """True when a line opening an article is sentence-case prose (a lede or a standfirst), not a headline.

    Headlines are title-cased, or in sentence case telegraphic: they drop auxiliaries and pronouns and
    rarely close with a period ("Kim's visit to Russia prolonged, fueling suspicions of arms deal.").
    A sentence-case line is prose when it closes with a period and keeps an auxiliary or a pronoun; without
    the period, when it keeps both an auxiliary and a pronoun other than the reader's "you" (headlines
    address the reader: "Why you can't trust..."); or when it runs longer than a sentence-case headline
    (a standfirst)."""
    tokens = words(text)
    if not tokens or title_cased(tokens) or text.isupper():
        return False
    if len(tokens) > thresholds.SENTENCE_CASE_TITLE_MAX_WORDS:
        return True
    cores = [t.strip("\"'“”‘’(),;:.!?") for t in words(_QUOTED.sub(" ", text))]
    auxiliary = any(c.lower() in _AUXILIARIES or _NEGATION.search(c) or _CONTRACTION.search(c) for c in cores)
    pronouns = {
        c.lower().split("’")[0].split("'")[0]
        for c in cores
        if (c.lower() in _PRONOUNS and (c == "I" or not c.isupper())) or _CONTRACTION.search(c)
    }
    if text.rstrip("\"'”’)").endswith("."):
        return auxiliary or bool(pronouns)
    return auxiliary and bool(pronouns - {"you"})


def _sentence_case(tokens: list[str]) -> bool:
    """True when the first few words hold a lower-case word that is not a minor word (running prose)."""
    for token in tokens[: thresholds.GLUED_LEDE_LOOKAHEAD]:
        core = token.strip("\"'“”‘’()[]:,;!?.")
        if core and core[0].islower() and core.lower() not in _MINOR:
            return True
    return False


def split_glued_title(line: str) -> tuple[str, str] | None:
    """(headline, rest) when ``line`` opens with a headline run into the first paragraph, else None.

    Three signs, in order: a run of two or more spaces or a tab after a headline-length start; a wire
    dateline ("MOSCOW (Reuters) -") after a title-cased start; a title-cased run of at least
    GLUED_TITLE_MIN_WORDS words followed by a lede opener ("The", "Police", a quotation mark) and prose.
    """
    gap = re.search(r"\S(\t|\s{3,}|  (?=\S))", line)
    if gap is not None:
        head, rest = line[: gap.start() + 1].strip(), line[gap.end() :].strip()
        # two spaces also stray into sloppy prose: then the head must be written in title case
        wide = "\t" in gap.group(1) or len(gap.group(1)) >= 3
        if (
            _headline_like(head)
            and (wide or title_cased(words(head)))
            and len(words(rest)) >= thresholds.SENTENCE_MIN_WORDS
        ):
            return head, rest
    at = dateline_search(line)
    if at is not None:
        head = line[:at].strip()
        if _headline_like(head) and title_cased(words(head)):
            return head, line[at:].strip()
    tokens = line.split(" ")
    limit = min(len(tokens) - thresholds.SENTENCE_MIN_WORDS, thresholds.TITLE_MAX_WORDS + 1)
    found: tuple[str, str] | None = None
    for cut in range(thresholds.GLUED_TITLE_MIN_WORDS, max(limit, 0)):
        head_tokens = tokens[:cut]
        if not title_cased(head_tokens):
            break
        opener = tokens[cut]
        if opener in _LEDE_OPENERS or opener[:1] in '"“':
            rest_tokens = tokens[cut:]
            head = " ".join(head_tokens)
            if head[-1:] in ".,;:" or not _sentence_case(rest_tokens):
                continue
            if _headline_like(head):
                found = head, " ".join(rest_tokens)  # the latest cut: "After" may sit inside the headline
    return found


def _headline_like(text: str) -> bool:
    """A headline's size and shape: a few words, one sentence, no closing period."""
    n = len(words(text))
    return (
        thresholds.GLUED_TITLE_MIN_WORDS <= n <= thresholds.TITLE_MAX_WORDS
        and not text.rstrip("\"'”’)").endswith((".", ",", ";", ":"))
        and len(sentence_spans(text)) == 1
    )


def caption_kind(line: str) -> bool:
    """True when a whole line is a photo caption: a credit at its end, a "FILE -"/"Image caption" head, or
    the AP caption date form (", Monday, Sept. 28, 2015,")."""
    if len(words(line)) > thresholds.CAPTION_MAX_WORDS:
        return False
    return bool(_CREDIT_TAIL.search(line) or _CAPTION_HEAD.match(line) or _CAPTION_DATE.search(line))


def split_caption(line: str) -> tuple[str, str | None]:
    """(caption, rest of the line or None) for a caption line: an AP caption's description ends with the
    sentence holding its date; the context sentences after it ("Qatar's ruler said Tuesday he has
    transferred power...") are story prose and stay in the body unless a credit closes them."""
    m = _CAPTION_DATE.search(line)
    if m is None or _CREDIT_TAIL.search(line):
        return line, None
    for start, _end in sentence_spans(line):
        if start >= m.end():
            rest = line[start:].strip()
            if len(words(rest)) < thresholds.SENTENCE_MIN_WORDS:
                break
            return line[:start].strip(), rest
    return line, None


def short_caption(sentence: str) -> bool:
    """A verbless short sentence that describes a picture ("Protesters at the border fence on Sunday.")."""
    tokens = words(sentence)
    if not 2 <= len(tokens) <= thresholds.SHORT_CAPTION_MAX_WORDS or not sentence.rstrip().endswith("."):
        return False
    lower = sentence.lower()
    if '"' in sentence or "“" in sentence or _FINITE.search(lower) or _PRONOUN.search(lower):
        return False
    return tokens[0][:1].isupper() and _PLACE_OR_TIME.search(lower) is not None


def split_lead_caption(paragraph: str) -> tuple[str, str] | None:
    """(caption, rest) when the first paragraph opens with a verbless caption sentence glued to the lede."""
    spans = sentence_spans(paragraph)
    if len(spans) < 2:
        return None
    first = paragraph[spans[0][0] : spans[0][1]]
    rest = paragraph[spans[1][0] :].strip()
    if short_caption(first) and len(words(rest)) >= thresholds.SENTENCE_MIN_WORDS:
        return first.strip(), rest
    return None


# A news agency standing alone under a headline is the article's byline ("Associated Press").
_AGENCY_BYLINE = re.compile(
    r"^(?:The\s+)?(?:Associated\s+Press|Reuters|Agence\s+France-Presse|Press\s+Association|Bloomberg\s+News"
    r"|United\s+Press\s+International)$"
)
# A writer's name printed alone: two to four capitalised words (initials and surname particles allowed),
# then perhaps credentials in capitals (", MS, RDN") or a social handle ("@handle").
_BARE_NAME = re.compile(
    r"^[A-Z][a-z'’\-]+(?:\s+(?:[A-Z]\.|[A-Z][a-z'’\-]+|van|von|de|der|da|di|del|la|le|bin|al)){1,3}"
    r"(?:\s*,\s*[A-Z]{2,5}(?:\s*,\s*[A-Z]{2,5})*)?(?:\s+@\w{2,30})?$"
)
# Page furniture written like a name ("Most Popular", "Back Home", "Share Story"): never a byline.
_NOT_NAMES = word_set(
    """share print email comments comment video videos photo photos gallery popular newsletter newsletters
    subscribe menu home news sports sport opinion advertisement related more read follow sign login search
    top stories story latest live watch listen trending editor editors pick picks recommended sponsored"""
)


def is_byline(text: str) -> bool:
    """True for a byline's text as the line rules found it ("By Jane Doe, Reuters", "Author: Jane Doe"),
    or a news agency standing alone ("Associated Press")."""
    text = text.lstrip(" /|•·-–—")
    return bool(_BYLINE_CASED.match(text) or _BYLINE_LABEL.match(text) or _AGENCY_BYLINE.match(text.strip()))


def bare_name(text: str) -> bool:
    """True for a line that is only a person's name, as pages print the writer under the headline
    ("Pamela Wilson", "Ilana Muhlstein, MS, RDN", "Nishant Kumar @Nishantopines")."""
    text = text.strip()
    if _BARE_NAME.match(text) is None:
        return False
    return not any(w.strip(",").lower() in _NOT_NAMES for w in text.split())


_HIGHLIGHTS = re.compile(r"^(?i:story\s+highlights)\s*:?\s*")


def highlights_label(line: str) -> int | None:
    """Length of a "Story highlights" label opening ``line`` (the bullets under a headline), or None."""
    m = _HIGHLIGHTS.match(line)
    return m.end() if m and m.end() < len(line) else None
