"""Direct quotations in one article and who said them.

Quote spans are found by pairing quotation marks (straight, curly, guillemets, low-high, and single marks
when they cannot be apostrophes); pieces of one quotation split by an inserted attribution ("We will," he
said, "always ...") or continued over paragraphs are joined. The speaker comes from the attribution next to
the quote ("X said", "said X", "X told reporters", "according to X"), with pronouns and roles ("he", "the
spokesman") resolved to the nearest fitting preceding PERSON mention.

Hand-written: spaCy has no quotation or speaker-attribution component and none of the project's
dependencies offers one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from storyweave.model import Article, Mention, Quote, Sentence
from storyweave.thresholds import QUOTE_MIN_WORDS

# A single newline ends a paragraph unless the line before looks hard-wrapped: at least this long and not
# ending in sentence punctuation. Hand-set: wrapped plain text runs 60-80 characters a line.
_WRAP_MIN_LINE = 50

# Double-quote openers and the marks that close them.
_DOUBLE_PAIRS: dict[str, str] = {
    '"': '"',
    "“": "”",
    "„": "“”",
    "«": "»",
    "»": "«",
    "‹": "›",
}
# Single-quote openers and their closers; these only count under the apostrophe-safe rules below.
_SINGLE_PAIRS: dict[str, str] = {"‘": "’", "'": "'", "‚": "‘’"}
_OPEN_CONTEXT = set(' \t\n([{—–-/"“«„')

# Speech verbs that attribute a quotation next to them; "saying" only introduces one ("..., saying: “").
_SPEECH_VERBS = (
    "said|says|say|told|tells|added|adds|stated|declared|declares|announced|announces|explained|"
    "explains|noted|wrote|writes|insisted|insists|warned|warns|stressed|stresses|asked|asks|replied|"
    "replies|responded|responds|continued|continues|remarked|argued|argues|claimed|commented|confirmed|"
    "confirms|assured|admitted|admits|acknowledged|acknowledges|recalled|recalls|conceded|quipped|"
    "tweeted|urged|urges|emphasised|emphasized|emphasises|emphasizes|observed|detailed|testified|"
    "predicted|vowed|vows|pledged|promised|complained|suggested|shouted|yelled|cautioned|maintained|"
    "reiterated|boasted|lamented|whispered|countered"
)
_CAP_WORD = r"[A-Z][\w’'&\u2024-]*"
# What "told" takes into its cue: "told reporters", "told the BBC", "told Russian television".
_TOLD_OBJECT = (
    rf"(?:(?:the|a|an)\s+)?(?:{_CAP_WORD}\s+)*(?:(?:news|press)\s+(?:conference|briefing)|reporters|"
    rf"journalists|lawmakers|parliament|supporters|television|radio|state\s+(?:media|television)|"
    rf"(?:a\s+)?news\s+agency|{_CAP_WORD})"
)
_VERB = rf"(?P<verb>\b(?:(?:told|tells)\s+{_TOLD_OBJECT}(?!\w)|(?:{_SPEECH_VERBS})\b))"
_VERB_OR_SAYING = rf"(?P<verb>\b(?:(?:told|tells)\s+{_TOLD_OBJECT}(?!\w)|(?:{_SPEECH_VERBS}|saying)\b))"
_NO_QUOTE = '“”"«»„'
# "X said" after a quote: a short subject then the verb.
_SUBJECT_FIRST = re.compile(rf"^(?P<subj>[^{_NO_QUOTE}.!?;]{{1,160}}?)\s+{_VERB}")
# "said X" after a quote: the verb then the subject up to the next comma or full stop.
_VERB_FIRST = re.compile(rf"^{_VERB}\s+(?P<subj>[^{_NO_QUOTE},.!?;:()]{{1,120}})")
# "X said: “" before a quote.
_BEFORE = re.compile(
    rf"(?P<subj>[^{_NO_QUOTE}.!?;]{{1,160}}?)\s+{_VERB_OR_SAYING}(?:\s+(?:that|in\s+a\s+statement))?\s*[:,]?\s*$"
)
# ", he said." closing the sentence that holds a quotation.
_SENTENCE_END = re.compile(
    rf",\s*(?:(?P<subj>[^{_NO_QUOTE},.!?;]{{1,80}}?)\s+{_VERB}|(?P<verb2>\b(?:{_SPEECH_VERBS})\b)\s+"
    rf"(?P<subj2>[^{_NO_QUOTE},.!?;]{{1,80}}?))(?:\s+(?:on|in|at|late|early|last|this)\s+\w+)?\s*[.!?]?\s*$"
)
# What may follow an attribution between two pieces of one quotation: nothing, or a short time phrase.
_AFTER_CUE = re.compile(r"^(?:\s+(?:on|in|at|late|early|last|this|later|earlier)(?:\s+\w+){1,2})?\s*$")
# Words that open a clause, never a speaker: ", while Japan has warned" is not an attribution.
_CLAUSE_OPENERS = {
    "while", "and", "but", "as", "after", "before", "which", "who", "when", "because", "although",
    "though", "if", "since", "so", "where", "whereas", "despite", "with", "or", "adding", "for", "that",
}  # fmt: skip
_ACCORDING = re.compile(rf"\baccording\s+to\s+(?P<subj>[^{_NO_QUOTE},.!?;:()]{{1,120}})", re.IGNORECASE)
_ANY_VERB = re.compile(_VERB_OR_SAYING)

_PRONOUNS = {"he", "she"}
_PERSON_ROLES = {
    "spokesman", "spokeswoman", "spokesperson", "minister", "president", "official", "leader", "chairman",
    "chairwoman", "chair", "chief", "director", "secretary", "ambassador", "governor", "mayor", "senator",
    "lawmaker", "prosecutor", "judge", "lawyer", "attorney", "adviser", "advisor", "analyst", "expert",
    "commander", "general", "ceo", "executive", "premier", "chancellor", "king", "queen", "diplomat",
    "envoy", "witness", "officer", "coach", "manager", "founder", "professor", "researcher", "scientist",
    "economist", "resident", "survivor", "negotiator", "deputy", "head", "mp", "candidate", "owner",
}  # fmt: skip
_ORG_NOUNS = {
    "company", "firm", "ministry", "department", "agency", "government", "court", "council", "committee",
    "office", "union", "party", "bank", "group", "police", "army", "military", "administration", "regulator",
    "embassy", "commission", "presidency", "authority", "authorities", "board", "campaign", "utility",
}  # fmt: skip
_ADVERBS = {"also", "later", "then", "meanwhile", "further", "again", "once", "previously", "earlier", "has",
            "had", "have", "would", "will", "quickly", "repeatedly", "himself", "herself"}  # fmt: skip
_CAP_STOP = {
    "the", "a", "an", "on", "in", "at", "by", "for", "of", "and", "but", "or", "meanwhile", "also", "earlier",
    "later", "he", "she", "they", "it", "we", "i", "you", "this", "that", "after", "before", "while", "when",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mr", "mrs", "ms", "dr",
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "speaking", "asked", "however", "still", "yet", "now", "then", "both",
}  # fmt: skip
_ORG_LABELS = ("ORG", "GPE", "NORP", "FAC", "LOC")
# Periods that do not end a sentence: titles and initials. Masked before matching so a subject such as
# "Mr. Putin" or "J. Smith" is not cut at its full stop.
_ABBREV = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|Prof|Gen|Sen|Rep|Gov|Lt|Col|Capt|Sgt|St|Jr|Sr|Gov|Adm|Maj|Rev|No|[A-Z])\.|\d\.\d"
)
_CAP_RUN = re.compile(rf"{_CAP_WORD}(?:\s+(?:{_CAP_WORD}|(?:de|van|von|bin|al|la|le|du)\b))*")
_BRACKETED = re.compile(r"\s*\[[^\]\n]*\]\s*")
# Quoted crossheads are short; a full quoted paragraph of this many words or more is reported speech.
_CROSSHEAD_WORDS = 8
_CLOSE_PUNCT = ' \t\n.,;:!?”’"»«“'
_WORD = re.compile(r"[^\W_]+(?:[’'-][^\W_]+)*")


@dataclass
class _Span:
    """One stretch between quotation marks: content offsets, the opener and its position."""

    opener: str
    open_pos: int
    start: int
    end: int
    close_pos: int | None  # None when the quotation runs to the end of its paragraph unclosed
    block: int


@dataclass
class _Group:
    """The pieces of one quotation and the attribution found inside it (interrupted quotes)."""

    pieces: list[_Span]
    inner_cue: tuple[int, int] | None = None  # offsets of the attribution between two pieces


@dataclass
class _Attribution:
    speaker: str | None
    cue: str | None
    direct: bool


def find_quotes(article: Article, sentences: list[Sentence], mentions: list[Mention]) -> list[Quote]:
    """Direct quotations of ``article`` with speaker and cue; scare quotes under four words are skipped."""
    text = article.text
    if not text:
        return []
    masked = _mask(text)
    blocks = _blocks(text)
    spans = _find_spans(text, blocks)
    quoted = [(s.start, s.end) for s in spans]
    own = sorted((m for m in mentions if m.article_id == article.id), key=lambda m: m.start)
    finder = _SpeakerFinder(text, masked, own, quoted)
    sents = sorted(sentences, key=lambda s: s.start)
    groups = _group_spans(text, masked, spans, blocks)
    quotes: list[Quote] = []
    last_end_sentence = -10
    last_speaker: str | None = None
    for group in groups:
        first, last = group.pieces[0], group.pieces[-1]
        raw_pieces = [text[p.start : p.end] for p in group.pieces]
        clean = _join_clean(raw_pieces)
        n_words = len(_WORD.findall(clean))
        if n_words == 0:
            continue
        start_sentence = _sentence_index(sents, first.start)
        bounds = _sentence_bounds(sents, blocks, first.open_pos, last.close_pos or last.end)
        attribution = _attribute(finder, group, bounds, masked)
        if n_words < QUOTE_MIN_WORDS and not attribution.direct:
            continue
        speaker, cue = attribution.speaker, attribution.cue
        opens_sentence = not text[bounds[0] : first.open_pos].strip()
        if cue is None and opens_sentence and text[last.end : bounds[1]].strip(_CLOSE_PUNCT) == "":
            if n_words < _CROSSHEAD_WORDS and _is_whole_block(text, blocks, first.open_pos, last):
                continue  # a quoted crosshead ("“Destabilization in the region”"), not reported speech
            if start_sentence - last_end_sentence <= 1:
                # A full-sentence quotation straight after an attributed one continues its speaker
                # ("...," Peskov said. "We will ...").
                speaker = last_speaker
        quotes.append(
            Quote(
                text=clean,
                raw_text=" ".join(raw_pieces),
                speaker=speaker,
                article_id=article.id,
                sentence_index=start_sentence,
                start=first.start,
                end=last.end,
                cue=cue,
            )
        )
        last_end_sentence = _sentence_index(sents, last.end - 1)
        last_speaker = speaker
    return quotes


def _is_whole_block(text: str, blocks: list[tuple[int, int]], open_pos: int, last: _Span) -> bool:
    """True when a quotation is all its paragraph holds (a quoted crosshead or headline)."""
    block = next((b for b in blocks if b[0] <= open_pos < b[1]), None)
    if block is None or last.close_pos is None:
        return False
    return not text[block[0] : open_pos].strip() and not text[last.close_pos + 1 : block[1]].strip(
        _CLOSE_PUNCT
    )


# --------------------------------------------------------------------------------------------------
# Finding quotation spans


def _mask(text: str) -> str:
    """``text`` with abbreviation and decimal full stops replaced by a same-length placeholder."""
    return _ABBREV.sub(lambda m: m.group(0).replace(".", "\u2024"), text)


def _blocks(text: str) -> list[tuple[int, int]]:
    """Paragraph-like blocks a quotation may not cross (blank lines; single newlines ending a paragraph)."""
    blocks: list[tuple[int, int]] = []
    start = 0
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        stripped = line.rstrip()
        wrapped = len(stripped) >= _WRAP_MIN_LINE and stripped[-1] not in '.!?:;"”’»«“…'
        if not wrapped and end < len(text):
            if text[start:end].strip():
                blocks.append((start, end))
            start = end + 1
        pos = end + 1
    if text[start:].strip():
        blocks.append((start, len(text)))
    return blocks


def _single_opens(text: str, i: int) -> bool:
    """A single mark opens a quote only at a word start followed by a letter (not "’90s", "rock 'n'")."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return before in _OPEN_CONTEXT and after.isalpha()


def _single_close(text: str, i: int, end: int, closers: str) -> int | None:
    """Position of the mark closing a single-quoted span: a closer after a non-space and before a
    non-letter (so the apostrophes of "Russia’s" or "don't" are passed over)."""
    for j in range(i, end):
        if text[j] not in closers or text[j - 1].isspace():
            continue
        after = text[j + 1] if j + 1 < len(text) else " "
        if not after.isalnum():
            return j
    return None


def _find_spans(text: str, blocks: list[tuple[int, int]]) -> list[_Span]:
    """Quotation spans in reading order; nested quotes are left inside their outer quote."""
    spans: list[_Span] = []
    for bi, (bstart, bend) in enumerate(blocks):
        i = bstart
        while i < bend:
            ch = text[i]
            if ch in _DOUBLE_PAIRS:
                closers = _DOUBLE_PAIRS[ch]
                j = next((k for k in range(i + 1, bend) if text[k] in closers), None)
                spans.append(_content(text, ch, i, j if j is not None else bend, j, bi))
                if j is None:
                    break
                i = j + 1
                continue
            if ch in _SINGLE_PAIRS and _single_opens(text, i):
                j2 = _single_close(text, i + 1, bend, _SINGLE_PAIRS[ch])
                if j2 is not None:
                    spans.append(_content(text, ch, i, j2, j2, bi))
                    i = j2 + 1
                    continue
            i += 1
    return [s for s in spans if s.end > s.start]


def _content(text: str, opener: str, open_pos: int, stop: int, close_pos: int | None, block: int) -> _Span:
    """The span between an opener and ``stop`` with surrounding whitespace trimmed."""
    start, end = open_pos + 1, stop
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return _Span(opener, open_pos, start, end, close_pos, block)


def _first_char(text: str, block: tuple[int, int]) -> int:
    pos = block[0]
    while pos < block[1] and text[pos].isspace():
        pos += 1
    return pos


def _group_spans(text: str, masked: str, spans: list[_Span], blocks: list[tuple[int, int]]) -> list[_Group]:
    """Join spans into quotations: paragraph continuations and quotes interrupted by their attribution."""
    groups: list[_Group] = []
    i = 0
    while i < len(spans):
        span = spans[i]
        if span.close_pos is None:
            # An unclosed quote continues only when the next paragraph opens with the same mark.
            pieces = [span]
            j = i + 1
            while (
                pieces[-1].close_pos is None
                and j < len(spans)
                and spans[j].block == pieces[-1].block + 1
                and spans[j].open_pos == _first_char(text, blocks[spans[j].block])
                and spans[j].opener == span.opener
            ):
                pieces.append(spans[j])
                j += 1
            if pieces[-1].close_pos is not None:
                groups.append(_Group(pieces))
            i = j
            continue
        groups.append(_Group([span]))
        i += 1
    merged: list[_Group] = []
    for group in groups:
        prev = merged[-1] if merged else None
        if prev is not None and _interrupts(masked, prev, group):
            gap_start = prev.pieces[-1].close_pos
            assert gap_start is not None
            if prev.inner_cue is None:
                prev.inner_cue = (gap_start + 1, group.pieces[0].open_pos)
            prev.pieces.extend(group.pieces)
            continue
        merged.append(group)
    return merged


def _interrupts(masked: str, prev: _Group, nxt: _Group) -> bool:
    """True when the text between two quotes is only an attribution and the quotation carries on across
    it: ``"We will," he said, "always be ..."`` (the gap ends in a comma, colon or dash)."""
    a, b = prev.pieces[-1], nxt.pieces[0]
    if a.close_pos is None or a.block != b.block:
        return False
    gap = masked[a.close_pos + 1 : b.open_pos]
    core = gap.strip(" \t,")
    if not core or len(core) > 150 or re.search(r"[.!?;]", core.rstrip(":—–")):
        return False
    m = _VERB_FIRST.match(core) or _SUBJECT_FIRST.match(core)
    # Only an attribution (plus a short time phrase such as "on Thursday") may sit between the pieces.
    if m is None or not _AFTER_CUE.match(core[m.end() :]):
        return False
    if m.re is _SUBJECT_FIRST and _opens_clause(m.group("subj")):
        return False
    return gap.rstrip().endswith((",", ":", "—", "–"))


# --------------------------------------------------------------------------------------------------
# Text of a quotation


def _tidy(piece: str) -> str:
    """Quoted words with translator/editor insertions in square brackets removed and spacing tidied."""
    out = _BRACKETED.sub(" ", piece)
    out = re.sub(r"\s+", " ", out)
    out = re.sub(r"\s+([,.;:!?)])", r"\1", out)
    out = re.sub(r"\(\s+", "(", out)
    return out.strip()


def _join_clean(raw_pieces: list[str]) -> str:
    """The quotation's words: pieces tidied, their trailing attribution commas dropped, joined by spaces."""
    parts = [_tidy(p).rstrip(" ,;:—–") for p in raw_pieces]
    return " ".join(p for p in parts if p)


# --------------------------------------------------------------------------------------------------
# Sentences


def _sentence_index(sents: list[Sentence], pos: int) -> int:
    """Index of the sentence holding ``pos`` (or the last one starting before it)."""
    best = sents[0].index if sents else 0
    for s in sents:
        if s.start <= pos:
            best = s.index
        else:
            break
    return best


def _sentence_bounds(
    sents: list[Sentence], blocks: list[tuple[int, int]], open_pos: int, close_pos: int
) -> tuple[int, int]:
    """(start, end) of the context an attribution may come from: from the start of the sentence holding
    the opening mark to the end of the sentence holding the closing mark, kept inside the paragraph.

    The splitter often cuts right before or after a quotation ("... to visit North Korea | “whenever it
    suits him”."), so a neighbouring sentence that does not end (before) or that starts in lower case or
    with a comma (after) is taken in.
    """
    block = next((b for b in blocks if b[0] <= open_pos < b[1] + 1), (0, close_pos + 1))
    end_block = next((b for b in blocks if b[0] <= close_pos < b[1] + 1), block)
    start, end = block[0], end_block[1]
    first = next((i for i, s in enumerate(sents) if s.start <= open_pos < s.end + 1), None)
    last = next((i for i, s in enumerate(sents) if s.start <= close_pos < s.end), None)
    if first is not None:
        while first > 0 and sents[first - 1].start >= start and not _ends_sentence(sents[first - 1].text):
            first -= 1
        start = max(start, sents[first].start)
    if last is not None:
        while last + 1 < len(sents) and sents[last + 1].end <= end and _continues(sents[last + 1].text):
            last += 1
        end = min(end, sents[last].end)
    return start, end


def _ends_sentence(sentence: str) -> bool:
    return bool(re.search(r"[.!?…][”’\"»)]*\s*$", sentence))


def _continues(sentence: str) -> bool:
    stripped = sentence.lstrip()
    return bool(stripped) and (stripped[0].islower() or stripped[0] in ",;:—–")


# --------------------------------------------------------------------------------------------------
# Attribution


def _attribute(finder: _SpeakerFinder, group: _Group, bounds: tuple[int, int], masked: str) -> _Attribution:
    """Speaker and cue of a quotation: the attribution inside it, right after it or right before it
    (direct), then "according to", a speech verb earlier in its sentence or a ", he said." closing it."""
    if group.inner_cue is not None:
        found = finder.from_after(*group.inner_cue)
        if found is not None:
            return found
    first, last = group.pieces[0], group.pieces[-1]
    s_start, s_end = bounds
    close = last.close_pos if last.close_pos is not None else last.end
    ends_clause = masked[last.end - 1 : last.end] in ",.!?…—–-" or masked[close + 1 : close + 2] in ",—–"
    after = masked[close + 1 : s_end].lstrip()
    # "... several times.” Kim held talks": a full stop and a capital start a new sentence.
    new_sentence = masked[last.end - 1 : last.end] == "." and after[:1].isupper()
    readers: list[tuple[int, int, Callable[[int, int], _Attribution | None]]] = [
        (close + 1, s_end, finder.from_after)
        if ends_clause and not new_sentence
        else (0, 0, finder.from_after),
        (s_start, first.open_pos, finder.from_before),
        (s_start, first.open_pos, finder.from_according),
        (close + 1, s_end, finder.from_according),
        (s_start, first.open_pos, finder.from_earlier_verb),
        (close + 1, s_end, finder.from_sentence_end),
    ]
    for start, end, reader in readers:
        if end > start:
            found = reader(start, end)
            if found is not None:
                return found
    return _Attribution(None, None, False)


def _opens_clause(subject: str) -> bool:
    words = subject.split()
    return bool(words) and words[0].lower().strip(",") in _CLAUSE_OPENERS


class _SpeakerFinder:
    """Reads attribution clauses around quotations and resolves their subject to a speaker name."""

    def __init__(self, text: str, masked: str, mentions: list[Mention], quoted: list[tuple[int, int]]):
        self.text = text
        self.masked = masked
        self.mentions = mentions
        self.quoted = quoted

    # -- clause readers ---------------------------------------------------------------------------

    def from_after(self, start: int, end: int) -> _Attribution | None:
        """Attribution in the text following a quotation (or between two of its pieces)."""
        window = self.masked[start:end]
        # An attribution never runs into the next quotation.
        cut = min((window.find(c) for c in _NO_QUOTE if c in window), default=len(window))
        window = window[:cut]
        lead = len(window) - len(window.lstrip(" \t\n,—–-"))
        body = window[lead:]
        base = start + lead
        m = _VERB_FIRST.match(body)
        if m and len(m.group("subj").split()) <= 10:
            subj_start, subj_end = base + m.start("subj"), base + m.end("subj")
            speaker, _ = self.resolve(subj_start, subj_end, verb_first=True)
            return _Attribution(speaker, self._cue(base + m.start("verb"), subj_end), True)
        m = _SUBJECT_FIRST.match(body)
        if m and len(m.group("subj").split()) <= 15 and not _opens_clause(m.group("subj")):
            speaker, cue_start = self.resolve(base + m.start("subj"), base + m.end("subj"), verb_first=False)
            return _Attribution(speaker, self._cue(cue_start, base + m.end("verb")), True)
        m = _ACCORDING.match(body)
        if m:
            subj_end = base + m.end("subj")
            speaker, _ = self.resolve(base + m.start("subj"), subj_end, verb_first=True)
            return _Attribution(speaker, self._cue(base, subj_end), True)
        return None

    def from_before(self, start: int, end: int) -> _Attribution | None:
        """Attribution ending right at the opening mark: ``X said: “``."""
        m = _BEFORE.search(self.masked[start:end])
        if not m:
            return None
        subj_end = start + m.end("subj")
        subj_start = self._last_words(start + m.start("subj"), subj_end, 15)
        speaker, cue_start = self.resolve(subj_start, subj_end, verb_first=False)
        return _Attribution(speaker, self._cue(cue_start, start + m.end("verb")), True)

    def from_according(self, start: int, end: int) -> _Attribution | None:
        """``According to X`` anywhere in the quotation's sentence."""
        m = _ACCORDING.search(self.masked[start:end])
        if not m:
            return None
        subj_end = start + m.end("subj")
        speaker, _ = self.resolve(start + m.start("subj"), subj_end, verb_first=True)
        return _Attribution(speaker, self._cue(start + m.start(), subj_end), False)

    def from_earlier_verb(self, start: int, end: int) -> _Attribution | None:
        """A speech verb earlier in the sentence: ``Peskov said the visit would “last a few more days”``."""
        window = self.masked[start:end]
        verbs = [m for m in _ANY_VERB.finditer(window) if not self._inside_quote(start + m.start())]
        if not verbs:
            return None
        verb = verbs[-1]
        clause_start = start + max(window.rfind(c, 0, verb.start()) for c in ";:") + 1
        subj_end = start + verb.start()
        subj_start = self._last_words(clause_start, subj_end, 15)
        if not self.text[subj_start:subj_end].strip():
            return None
        speaker, cue_start = self.resolve(subj_start, subj_end, verb_first=False)
        if speaker is None:
            return None
        return _Attribution(speaker, self._cue(cue_start, start + verb.end()), False)

    def from_sentence_end(self, start: int, end: int) -> _Attribution | None:
        """``..., he said.`` closing the sentence that holds a partial quotation."""
        window = self.masked[start:end]
        cut = min((window.find(c) for c in _NO_QUOTE if c in window), default=len(window))
        if cut < len(window):
            return None
        m = _SENTENCE_END.search(window)
        if not m:
            return None
        if m.group("subj") is not None:
            if _opens_clause(m.group("subj")) or len(m.group("subj").split()) > 8:
                return None
            speaker, cue_start = self.resolve(start + m.start("subj"), start + m.end("subj"), False)
            return _Attribution(speaker, self._cue(cue_start, start + m.end("verb")), False)
        subj_end = start + m.end("subj2")
        speaker, _ = self.resolve(start + m.start("subj2"), subj_end, verb_first=True)
        return _Attribution(speaker, self._cue(start + m.start("verb2"), subj_end), False)

    # -- subject resolution -----------------------------------------------------------------------

    def resolve(self, start: int, end: int, verb_first: bool) -> tuple[str | None, int]:
        """Speaker named by the subject phrase at [start, end) and where the words naming it start: a
        PERSON mention, a pronoun or role resolved backwards, an organisation, or a capitalised name
        spaCy missed."""
        parts = self._parts(start, end)
        if not parts:
            return None, start
        if verb_first:
            order = parts
        else:
            seg = self.text[start:end].rstrip()
            # "X, a spokesman, said": the subject is the part before the closing appositive;
            # "On Thursday, Peskov said": the subject is the part next to the verb.
            main = parts[-2] if seg.endswith(",") and len(parts) >= 2 else parts[-1]
            order = [main] + [p for p in parts if p != main]
            if main == parts[-1] and len(parts) >= 2 and self._role_headed(*main):
                # "Lim Soo-suk, the ministry's spokesperson said" (appositive missing its comma).
                name = self._just_person(*parts[-2])
                if name is not None:
                    return name, parts[-2][0]
        for pstart, pend in order:
            found = self._resolve_part(pstart, pend, verb_first)
            if found is not None:
                return found, pstart
        return None, order[0][0]

    def _resolve_part(self, start: int, end: int, verb_first: bool) -> str | None:
        part = self.text[start:end]
        persons = [m for m in self._mentions_in(start, end) if m.label == "PERSON"]
        if persons:
            return (persons[0] if verb_first else persons[-1]).name
        words = [w.lower() for w in _WORD.findall(part)]
        content = [w for w in words if w not in _ADVERBS]
        if not content:
            return None
        if content[0] in _PRONOUNS and len(content) <= 2:
            found = self._preceding_person(start, None)
            return found.name if found else None
        head = content[-1]
        # Only a bare "the spokesman" / "the company" points back to whoever was named last; a fuller
        # description ("a spokesperson for the ministry") must match a role written near the name.
        bare = len(content) <= 3 and content[0] == "the"
        if head in _PERSON_ROLES:
            found = self._preceding_person(start, head)
            if found is None and bare:
                found = self._preceding_person(start, None)
            if found is not None:
                return found.name
        orgs = [m for m in self._mentions_in(start, end) if m.label in _ORG_LABELS]
        run = self._cap_run(start, end, verb_first)
        if run is not None and head.islower() and not part.rstrip().endswith(self.text[run[0] : run[1]]):
            run = None  # "the North Korean press agency": the capitals modify a common noun
        if orgs:
            org = orgs[0] if verb_first else orgs[-1]
            if run is None or (run[0] >= org.start if verb_first else run[1] <= org.end):
                return org.name
        if run is not None:
            return _strip_possessive(self.text[run[0] : run[1]])
        if head in _ORG_NOUNS and bare:
            org_found = self._preceding(start, _ORG_LABELS)
            return org_found.name if org_found else None
        return None

    def _role_headed(self, start: int, end: int) -> bool:
        words = [w.lower() for w in _WORD.findall(self.text[start:end]) if w.lower() not in _ADVERBS]
        return bool(words) and words[-1] in _PERSON_ROLES

    def _just_person(self, start: int, end: int) -> str | None:
        """Name of the PERSON mention that makes up the whole of [start, end), if any."""
        for m in self._mentions_in(start, end):
            rest = self.text[start : max(start, m.start)] + self.text[min(end, m.end) : end]
            if m.label == "PERSON" and len(_WORD.findall(rest)) <= 1:
                return m.name
        return None

    def _parts(self, start: int, end: int) -> list[tuple[int, int]]:
        """Comma-separated parts of a phrase, trimmed, as offsets."""
        parts: list[tuple[int, int]] = []
        pos = start
        for piece in self.masked[start:end].split(","):
            pstart, pend = pos, pos + len(piece)
            pos = pend + 1
            while pstart < pend and self.text[pstart].isspace():
                pstart += 1
            while pend > pstart and self.text[pend - 1].isspace():
                pend -= 1
            if pend > pstart:
                parts.append((pstart, pend))
        return parts

    def _mentions_in(self, start: int, end: int) -> list[Mention]:
        return [m for m in self.mentions if m.start < end and m.end > start]

    def _inside_quote(self, pos: int) -> bool:
        return any(s <= pos < e for s, e in self.quoted)

    def _preceding(self, anchor: int, labels: tuple[str, ...]) -> Mention | None:
        """Nearest mention with one of ``labels`` ending before ``anchor``, outside quotations."""
        for m in reversed(self.mentions):
            if m.end <= anchor and m.label in labels and not self._inside_quote(m.start):
                return m
        return None

    def _preceding_person(self, anchor: int, role: str | None) -> Mention | None:
        """Nearest PERSON mention before ``anchor`` outside quotations; with ``role``, only one that has
        the role word near it ("Kremlin spokesman Dmitry Peskov", "Peskov, the spokesman,")."""
        pattern = re.compile(rf"\b{re.escape(role)}s?\b", re.IGNORECASE) if role else None
        for m in reversed(self.mentions):
            if m.end > anchor or m.label != "PERSON" or self._inside_quote(m.start):
                continue
            if pattern is None:
                return m
            window = self.text[max(0, m.start - 60) : min(m.end + 60, anchor)]
            if pattern.search(window):
                return m
        return None

    def _cap_run(self, start: int, end: int, verb_first: bool) -> tuple[int, int] | None:
        """A run of capitalised words that is not a stop word (a name spaCy did not tag)."""
        runs: list[tuple[int, int]] = []
        for m in _CAP_RUN.finditer(self.masked, start, end):
            s, e = m.start(), m.end()
            # Drop leading capitalised function words ("On", "The", weekdays).
            for word in re.finditer(r"\S+", self.masked[s:e]):
                if word.group(0).lower().strip("\u2024.’'") in _CAP_STOP:
                    continue
                if word.end() == e - s and _is_common_noun(word.group(0)):
                    break  # "Officials", "Police": a capitalised common noun, not a name
                runs.append((s + word.start(), e))
                break
        if not runs:
            return None
        return runs[0] if verb_first else runs[-1]

    def _last_words(self, start: int, end: int, limit: int) -> int:
        """Start offset of the last ``limit`` words of [start, end)."""
        words = list(re.finditer(r"\S+", self.text[start:end]))
        if len(words) <= limit:
            return start + (words[0].start() if words else 0)
        return start + words[-limit].start()

    def _cue(self, start: int, end: int) -> str:
        return self.text[start:end].strip(" \t\n,")


def _strip_possessive(name: str) -> str:
    return re.sub(r"[’']s?$", "", name.strip())


def _is_common_noun(word: str) -> bool:
    """A role or organisation noun (or its plural), capitalised only because it opens a sentence."""
    low = word.lower().strip("\u2024.’'")
    return any(
        form in _PERSON_ROLES or form in _ORG_NOUNS
        for form in (low, low.removesuffix("s"), low[:-3] + "y" if low.endswith("ies") else low)
    )
