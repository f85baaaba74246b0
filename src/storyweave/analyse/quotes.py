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
from storyweave.text.lexicon import ROLE_NOUNS
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
    "reiterated|boasted|lamented|whispered|countered|captioned|posted|marveled|marvelled|"
    "exclaimed|joked|recounted|pleaded|demanded|reported|reports|lament|laments"
)
_CAP_WORD = r"[A-Z][\w’'&\u2024-]*"
# What "told" takes into its cue: "told reporters", "told the BBC", "told Russian television".
_TOLD_OBJECT = (
    rf"(?:(?:the|a|an)\s+)?(?:{_CAP_WORD}\s+)*(?:(?:news|press)\s+(?:conference|briefing)|reporters|"
    rf"journalists|lawmakers|parliament|supporters|television|radio|state\s+(?:media|television)|"
    rf"(?:a\s+)?news\s+agency|{_CAP_WORD})"
)
# "read" attributes only a document: "the statement read", "a statement that reads", "read a statement from".
_READ = (
    r"(?:(?<=statement\s)|(?<=statement\sthat\s)|(?<=tweet\s)|(?<=post\s))reads?\b"
    r"|reads?(?=\s+(?:a|an|the)\s+(?:[\w-]+\s+)?statement\b)"
)
_VERB = rf"(?P<verb>\b(?:(?:told|tells)\s+{_TOLD_OBJECT}(?!\w)|{_READ}|(?:{_SPEECH_VERBS})\b))"
_VERB_OR_SAYING = (
    rf"(?P<verb>\b(?:(?:told|tells)\s+{_TOLD_OBJECT}(?!\w)|{_READ}|(?:{_SPEECH_VERBS}|saying)\b))"
)
_NO_QUOTE = '“”"«»„'
# "X said" after a quote: a short subject then the verb.
_SUBJECT_FIRST = re.compile(rf"^(?P<subj>[^{_NO_QUOTE}.!?;]{{1,160}}?)\s+{_VERB}")
# "said X" after a quote: the verb then the subject up to the next comma or full stop.
_VERB_FIRST = re.compile(rf"^{_VERB}\s+(?P<subj>[^{_NO_QUOTE},.!?;:()]{{1,120}})")
# "X said: “" before a quote.
_BEFORE = re.compile(
    rf"(?P<subj>[^{_NO_QUOTE}.!?;]{{1,160}}?)\s+{_VERB_OR_SAYING}(?:\s+(?:that|in\s+a\s+statement|in\s+part))?\s*[:,]?\s*$"
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
_ACCORDING = re.compile(
    rf"\b(?:according\s+to|quoting)\s+(?P<subj>[^{_NO_QUOTE},.!?;:()]{{1,120}})", re.IGNORECASE
)
_ANY_VERB = re.compile(_VERB_OR_SAYING)
# A subject that issued what is quoted: a speech verb or "issued/released/posted" among its next words.
_STATEMENT_CUE = re.compile(rf"\b(?:{_SPEECH_VERBS}|saying|issued|released)\b")

_PRONOUNS = {"he", "she"}
# Sentinel: the subject describes a speaker the article does not name ("one source", "a friend").
_UNNAMED = ""
# Nouns of office and role that head a speaker description ("a spokesman", "the finance minister").
_PERSON_ROLES = ROLE_NOUNS
# Heads of a description that names nobody ("a friend", "one source", "a spokesman for the building"):
# with an indefinite article such a speaker is unnamed unless a name stands in apposition.
_UNNAMED_HEADS = _PERSON_ROLES | {
    "source", "sources", "friend", "woman", "man", "person", "insider", "aide", "member", "neighbour",
    "neighbor", "relative", "follower", "parishioner", "ex-parishioner", "employee", "worker", "passenger",
    "student", "teacher", "fan", "user", "protester", "protestor", "mother", "father", "wife", "husband",
    "daughter", "son", "confidante", "confidant", "acquaintance", "colleague", "onlooker", "bystander",
    "customer", "visitor", "tourist", "volunteer", "villager", "shopper", "guest", "viewer", "reader",
}  # fmt: skip
_INDEFINITE = {"a", "an", "one", "another"}
# Words after which a description's head noun has ended ("the director of the centre": head "director").
_HEAD_END = {
    "of", "for", "at", "from", "in", "with", "on", "to", "who", "which", "that", "whose", "based", "close",
    "familiar", "near", "inside",
}  # fmt: skip
# Documents that speak for whoever issued them ("the statement said", "a tweet read").
_DOCUMENTS = {"statement", "tweet", "post", "release", "letter", "email", "e-mail", "communique", "memo"}
# An unnamed speaker as the subject of a speech verb: "A Shard spokesman said", "one woman ... said".
_UNNAMED_SPEAKER = re.compile(
    r"\b(?i:a|an|one|another)\s+(?:[\w’'\u2024-]+\s+){0,3}?(?P<head>(?i:"
    + "|".join(sorted((re.escape(h) for h in _UNNAMED_HEADS), key=len, reverse=True))
    + rf"))\b(?=[^.!?;{_NO_QUOTE}]{{0,60}}?\b(?:{_SPEECH_VERBS})\b)"
)
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
# A quotation running over paragraphs may skip this many short lines without quotation marks (captions,
# "Advertisement", links) of at most this many words. Hand-set: such inserts in scraped news run 1-10 words.
_MAX_INTERLUDES = 2
_INTERLUDE_WORDS = 12
# An attribution's subject is read from at most this many words before its verb: long enough for a name
# with an appositive ("Stuart S. Miller, the academic director of the Center for ... at the University
# of Connecticut, told"), short enough not to reach into the previous clause. Hand-set on the fixtures.
_SUBJECT_WORDS = 25
# Quotations of two or three words count when a speech verb in their sentence names a speaker ("Aune
# said the conclusions were “quite robust”"); one word is emphasis as often as speech.
_PARTIAL_MIN_WORDS = 2
# Words before a short quotation that make it a name or a term rather than speech.
# ... and marks before a quotation of any length that make it a title ("a piece entitled “...”").
_TITLE_MARK = re.compile(
    r"\b(?:so-called|dubbed|titled|entitled|headlined|nicknamed|hashtag)\s*[,:]?\s*$", re.IGNORECASE
)
_NAMING = re.compile(
    r"\b(?:so-called|dubbed|titled|entitled|named|nicknamed|known\s+as|called|labell?ed|branded|termed|"
    r"phrases?(?:\s+like)?|words?|slogan|banner|sign|flag|hashtag)\s*[,:]?\s*$",
    re.IGNORECASE,
)
# A short quotation after a "call" with a speaker of its own is that speaker's words, not a name: "slammed
# what he called (calls) “a devil's deal”", "Holder called that a “cookie cutter” program" (the quote
# bench's gold counts it as Holder's words: bench/quotes.py dev detection F1 0.972 -> 0.976); "a group called
# “Clean Rivers”" stays a name. Its speaker is left to the attribution rules ("called" is no speech verb).
_CALLED_BY_SPEAKER = re.compile(
    r"\b(?:(?:what|which)\s+(?:[\w'’-]+\s+){1,4}call(?:ed|s)"
    r"|call(?:ed|s)\s+(?:it|that|this|them|the\s+[\w'’-]+(?:\s+[\w'’-]+)?)\s+(?:an?\s+)?)\s*$",
    re.IGNORECASE,
)
_NEW_CLAUSE = re.compile(
    r"[,;]\s*(?:while|but|whereas|although|though|after|before|when|because|since)\b", re.IGNORECASE
)
# Words after which a bracketed word is a substitution, not a gloss: "the [motive]", "that [they]".
_FUNCTION_WORDS = {
    "the", "a", "an", "that", "this", "these", "those", "of", "to", "for", "with", "by", "and", "but", "or",
    "at", "in", "on", "from", "when", "if", "because", "as", "than", "about", "into", "their", "his", "her",
    "its", "our", "my", "your",
}  # fmt: skip
_TITLE_SMALL = {"a", "an", "the", "of", "and", "in", "on", "for", "to", "at", "by", "or", "with"}
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
    unclosed: bool = False  # the closing mark is missing (kept only with a direct attribution)


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
        if group.unclosed and not (attribution.direct and attribution.speaker):
            continue  # a stray opening mark, not a quotation that lost its closing mark
        if _is_title(text, first.open_pos, last.close_pos):
            continue
        if (
            n_words < QUOTE_MIN_WORDS
            and not attribution.direct
            and not _partial_quote(text, first.open_pos, clean, attribution)
        ):
            continue
        speaker, cue = attribution.speaker, attribution.cue
        opens_sentence = not text[bounds[0] : first.open_pos].strip()
        if cue is None and opens_sentence and text[last.end : bounds[1]].strip(_CLOSE_PUNCT) == "":
            if n_words < _CROSSHEAD_WORDS and _is_whole_block(text, blocks, first.open_pos, last):
                continue  # a quoted crosshead ("“Destabilization in the region”"), not reported speech
            if start_sentence - last_end_sentence <= 1 or _only_headlines(
                sents, last_end_sentence, start_sentence
            ):
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


def _is_title(text: str, open_pos: int, close_pos: int | None) -> bool:
    """A quoted title: introduced as one ("a piece entitled “...”") or followed by its author
    ("‘Fruit intake and mortality’ by D. Aune et al")."""
    if _TITLE_MARK.search(text[max(0, open_pos - 40) : open_pos]):
        return True
    return close_pos is not None and bool(re.match(r"\s*by\s+[A-Z]", text[close_pos + 1 : close_pos + 40]))


def _partial_quote(text: str, open_pos: int, clean: str, attribution: _Attribution) -> bool:
    """A quotation of two or three words is reported speech when it is not a title in capitals ("The
    View") and either follows a "call" with a speaker of its own ("what he called “...”") or a speech verb
    of its sentence names a speaker and it is not introduced as a name or term ("so-called", "dubbed", "a
    flag with")."""
    words = _WORD.findall(clean)
    if len(words) < _PARTIAL_MIN_WORDS or all(w[0].isupper() or w.lower() in _TITLE_SMALL for w in words):
        return False
    if _CALLED_BY_SPEAKER.search(text[max(0, open_pos - 60) : open_pos]):
        return True
    if not attribution.cue or _NAMING.search(text[max(0, open_pos - 40) : open_pos]):
        return False
    # the speech verb must govern the quotation's clause: not "Ortiz said, while the landlord “regretted”"
    cue = attribution.cue or ""
    at = text.rfind(cue, 0, open_pos) if cue else -1
    between = text[at + len(cue) : open_pos] if at >= 0 else ""
    return not _NEW_CLAUSE.search(between)


def _only_headlines(sents: list[Sentence], last_end: int, start: int) -> bool:
    """True when the sentences between two quotations are at most two headline-like lines (a link to
    another story, a caption): short and without a full stop."""
    between = [s for s in sents if last_end < s.index < start]
    return (
        0 < len(between) <= _MAX_INTERLUDES
        and len(between) == start - last_end - 1
        and all(
            len(s.text.split()) <= _INTERLUDE_WORDS and not re.search(r"[.!?…][”’\"»)]*$", s.text.strip())
            for s in between
        )
    )


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
                j = _close_double(text, i, bend)
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


def _straight_closes(text: str, k: int) -> bool:
    """A straight double mark in closing position: after a non-space, before a non-letter."""
    before = text[k - 1] if k > 0 else " "
    after = text[k + 1] if k + 1 < len(text) else " "
    return not before.isspace() and not after.isalnum()


def _close_double(text: str, i: int, end: int) -> int | None:
    """Position of the mark closing the double quotation opened at ``i`` (None: unclosed in its block).

    Curly quotations nest (“... “inner” ...”), so their marks are counted; writers also mix styles, so a
    straight mark in closing position closes a curly opening and a curly closer a straight opening. A
    straight pair inside a curly quotation (“He said "no" twice”) stays inside it.
    """
    opener = text[i]
    closers = _DOUBLE_PAIRS[opener]
    if opener == '"':
        return next((k for k in range(i + 1, end) if text[k] == '"' or text[k] == "”"), None)
    if opener != "“":
        return next((k for k in range(i + 1, end) if text[k] in closers), None)
    depth = 0
    inner_straight = False
    for k in range(i + 1, end):
        ch = text[k]
        if ch == "“":
            depth += 1
        elif ch == "”":
            if depth == 0:
                return k
            depth -= 1
        elif ch == '"':
            if not _straight_closes(text, k):
                inner_straight = True
            elif inner_straight:
                inner_straight = False
            elif depth == 0:
                return k
    # unbalanced nesting (a closing mark left out): the first closer, as written
    return next((k for k in range(i + 1, end) if text[k] == "”"), None)


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
                and _interlude(text, blocks, pieces[-1].block, spans[j].block)
                and spans[j].open_pos == _first_char(text, blocks[spans[j].block])
                and spans[j].opener == span.opener
            ):
                pieces.append(spans[j])
                j += 1
            groups.append(_Group(pieces, unclosed=pieces[-1].close_pos is None))
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


def _interlude(text: str, blocks: list[tuple[int, int]], last: int, nxt: int) -> bool:
    """True when block ``nxt`` may continue a quotation left open in block ``last``: it is the next block,
    or only short lines without quotation marks (an image caption, "Advertisement", a link) stand between.
    """
    between = blocks[last + 1 : nxt]
    if nxt <= last or len(between) > _MAX_INTERLUDES:
        return False
    return all(
        len(text[a:b].split()) <= _INTERLUDE_WORDS and not any(c in text[a:b] for c in _NO_QUOTE)
        for a, b in between
    )


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


def _insertion(piece: str, m: re.Match[str]) -> str:
    """What stays of a bracketed insertion in a quotation's words: nothing for a name put in by the
    translator or editor ("[M. Poutine] gave", "[Sheikh Tamim] has") or for a gloss after the word it
    explains ("we [officers] were", "has [aussi] offered"); the words themselves, unbracketed, for a
    substitution standing where a word is needed ("the [motive] of the producer")."""
    inner = m.group(0).strip()[1:-1].strip()
    words = inner.split()
    name_like = bool(words) and all(w[:1].isupper() for w in words if w.lower() not in _TITLE_SMALL)
    before = re.findall(r"[\w’']+", piece[: m.start()])
    after_function_word = bool(before) and before[-1].lower() in _FUNCTION_WORDS
    if words and not name_like and after_function_word:
        return f" {inner} "
    return " "


def _tidy(piece: str) -> str:
    """Quoted words with translator/editor insertions in square brackets removed (or, for a substituted
    word, unbracketed) and spacing tidied."""
    out = _BRACKETED.sub(lambda m: _insertion(piece, m), piece)
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
        self.mentions = _with_surnames(text, mentions)
        self.quoted = quoted
        self.unnamed = [
            m.span("head")
            for m in _UNNAMED_SPEAKER.finditer(masked)
            if not self._inside_quote(m.start()) and m.group("head").lower() in _UNNAMED_HEADS
        ]

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
        subj_start = self._last_words(start + m.start("subj"), subj_end, _SUBJECT_WORDS)
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
        subj_start = self._last_words(clause_start, subj_end, _SUBJECT_WORDS)
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
            if found == _UNNAMED:
                # "a spokesman for the ministry, Mark Toner, said": a name in apposition still names him
                for other in parts:
                    name = self._just_person(*other) if other != (pstart, pend) else None
                    if name is not None:
                        return name, other[0]
                return None, pstart
            if found is not None:
                return found, pstart
        return None, order[0][0]

    def _resolve_part(self, start: int, end: int, verb_first: bool) -> str | None:
        """Speaker named by one comma-separated part of a subject; ``_UNNAMED`` for a description of
        someone the article does not name, None when the part says nothing about a speaker."""
        part = self.text[start:end]
        words = [w.lower() for w in _WORD.findall(part)]
        content = [w for w in words if w not in _ADVERBS]
        head = _head_word(content)
        if content and content[0] in _INDEFINITE and head in _UNNAMED_HEADS:
            # "a spokeswoman for Catherine Zeta-Jones": the spokeswoman speaks, not the name after "for";
            # she is someone named earlier only when that name carries the same role.
            named = self._preceding_person(start, head) if head in _PERSON_ROLES else None
            return named.name if named is not None else _UNNAMED
        persons = [m for m in self._mentions_in(start, end) if m.label == "PERSON"]
        if persons:
            return (persons[0] if verb_first else persons[-1]).name
        if not content:
            return None
        if content[0] in _PRONOUNS and len(content) <= 2:
            return self._back_to_person(start, None)
        if content[0] == "it" and len(content) <= 2:
            found = self._preceding_speaker(start, _ORG_LABELS)
            return found.name if found else None
        # Only a bare "the spokesman" / "the company" points back to whoever was named last; a fuller
        # description ("the spokesperson for the ministry") must match a role written near the name.
        bare = len(content) <= 3 and content[0] == "the"
        if head in _DOCUMENTS and len(content) <= 3:
            found = self._preceding_speaker(start, ("PERSON", *_ORG_LABELS))
            return found.name if found else None
        orgs = [m for m in self._mentions_in(start, end) if m.label in _ORG_LABELS]
        if head in _PERSON_ROLES:
            found = self._preceding_person(start, head)
            if found is not None:
                return found.name
            if bare:
                return self._back_to_person(start, head)
            # "the spokesman for the Foreign Ministry": the body he speaks for; "the police chief in
            # Santa Maria" names no speaker (a place does not speak)
            bodies = [m for m in orgs if m.label == "ORG"]
            if bodies:
                return (bodies[0] if verb_first else bodies[-1]).name
            run = self._cap_run(start, end, verb_first)
            after_role = _after_role(self.text[run[0] : run[1]]) if run is not None else None
            return after_role or _UNNAMED
        run = self._cap_run(start, end, verb_first)
        if run is not None and head.islower() and not part.rstrip().endswith(self.text[run[0] : run[1]]):
            run = None  # "the North Korean press agency": the capitals modify a common noun
        if run is not None:
            # "GOP Chair JB Romano": the name after a capitalised role word, not the organisation before it
            after_role = _after_role(self.text[run[0] : run[1]])
            if after_role:
                return after_role
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

    def _back_to_person(self, anchor: int, role: str | None) -> str | None:
        """The person a pronoun or a bare role ("he", "the spokesman") stands for: the nearest PERSON
        before ``anchor``, unless an unnamed speaker ("a police spokeswoman told me") came after that
        name, in which case the pronoun is most likely that unnamed speaker."""
        found = self._preceding_person(anchor, None)
        if found is None:
            return None
        if any(
            found.end <= s and e <= anchor and (role is None or self.text[s:e].lower() == role)
            for s, e in self.unnamed
        ):
            return None
        return found.name

    def _preceding_speaker(self, anchor: int, labels: tuple[str, ...]) -> Mention | None:
        """Nearest mention with one of ``labels`` before ``anchor`` that is itself the subject of a
        speech or a statement ("Greenpeace said ...", "Romano ... said", "Charamut's campaign issued"),
        for "it said" and "the statement said"."""
        for m in reversed(self.mentions):
            if m.end > anchor or m.label not in labels or self._inside_quote(m.start):
                continue
            follow = self.masked[m.end : min(anchor, m.end + 120)]
            follow = re.split(r"[.!?;“”\"«»]", follow)[0]
            words = follow.split()[:9]
            if _STATEMENT_CUE.search(" ".join(words)):
                return m
        return None

    def _role_headed(self, start: int, end: int) -> bool:
        words = [w.lower() for w in _WORD.findall(self.text[start:end]) if w.lower() not in _ADVERBS]
        return bool(words) and _head_word(words) in _PERSON_ROLES

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
        word = rf"{re.escape(role)}s?\b" if role else ""
        # the role right before the name ("Kremlin spokesman Dmitry Peskov", "spokesman for the ministry
        # Lim Soo-suk") or in an appositive right after it ("Peskov, the Kremlin's spokesman,")
        before = re.compile(rf"\b{word}(?:\s+[^\s,.;:]+){{0,4}}\s*$", re.IGNORECASE)
        after = re.compile(rf"^[’']?s?\s*[,(]\s*(?:[^\s,.;:()]+\s+){{0,5}}?{word}", re.IGNORECASE)
        for m in reversed(self.mentions):
            if m.end > anchor or m.label != "PERSON" or self._inside_quote(m.start):
                continue
            if not role:
                return m
            if before.search(self.text[max(0, m.start - 60) : m.start]) or after.search(
                self.text[m.end : min(m.end + 80, anchor)]
            ):
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


def _head_word(words: list[str]) -> str:
    """Head noun of a lower-cased description: the word before its first preposition or relative
    pronoun ("lead author of the research" -> "author"), else its last word."""
    for i, word in enumerate(words):
        if i > 0 and word in _HEAD_END:
            return words[i - 1]
    return words[-1] if words else ""


def _after_role(run: str) -> str | None:
    """The name after the last capitalised role word of a run of capitals ("GOP Chair JB Romano" ->
    "JB Romano"), or None when no role word is followed by a name."""
    tokens = run.split()
    for i in range(len(tokens) - 2, -1, -1):
        if tokens[i].lower().strip("\u2024.’'") in _PERSON_ROLES:
            return _strip_possessive(" ".join(tokens[i + 1 :]).replace("\u2024", "."))
    return None


def _same_person_forms(names: set[str]) -> bool:
    """True when full names sharing a surname are forms of one person ("Matt Lesser" / "Matthew Lesser",
    "Lawrence C. Provenzano" / "Lawrence Provenzano"), not relatives ("Kate McCann" / "Gerry McCann")."""
    firsts = {n.split()[0].lower().rstrip(".") for n in names}
    return all(a.startswith(b) or b.startswith(a) for a in firsts for b in firsts)


def _with_surnames(text: str, mentions: list[Mention]) -> list[Mention]:
    """``mentions`` plus a PERSON mention for every bare occurrence of the surname of a person named in
    full ("Lesser said" after "Matthew Lesser"), which spaCy often leaves untagged or tags as ORG or GPE;
    non-PERSON mentions under such an occurrence are dropped. Surnames shared by different people are
    left alone.

    Hand-written: spaCy has no coreference component in the installed model.
    """
    by_surname: dict[str, dict[str, int]] = {}
    for m in mentions:
        words = m.name.split()
        if m.label == "PERSON" and len(words) >= 2 and words[-1][:1].isupper() and len(words[-1]) >= 3:
            counts = by_surname.setdefault(words[-1], {})
            counts[m.name] = counts.get(m.name, 0) + 1
    persons = [(m.start, m.end) for m in mentions if m.label == "PERSON"]
    extra: list[Mention] = []
    for surname, names in by_surname.items():
        if not _same_person_forms(set(names)):
            continue
        full = max(names, key=lambda n: (names[n], len(n)))
        for hit in re.finditer(rf"(?<![\w’'-]){re.escape(surname)}(?![\w-])", text):
            if any(s < hit.end() and hit.start() < e for s, e in persons):
                continue
            extra.append(Mention(surname, full, "PERSON", "", -1, hit.start(), hit.end()))
    if not extra:
        return mentions
    kept = [
        m
        for m in mentions
        if m.label == "PERSON" or not any(x.start < m.end and m.start < x.end for x in extra)
    ]
    return sorted(kept + extra, key=lambda m: m.start)


def _strip_possessive(name: str) -> str:
    return re.sub(r"[’']s?$", "", name.strip())


def _is_common_noun(word: str) -> bool:
    """A role or organisation noun (or its plural), capitalised only because it opens a sentence."""
    low = word.lower().strip("\u2024.’'")
    return any(
        form in _PERSON_ROLES or form in _ORG_NOUNS
        for form in (low, low.removesuffix("s"), low[:-3] + "y" if low.endswith("ies") else low)
    )
