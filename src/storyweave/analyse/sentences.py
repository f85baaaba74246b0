"""Sentences of a cleaned article, from spaCy's parser with the cuts it makes inside quotations and after
abbreviations ("Staff Sgt. | John Doe", "Sgt. | Maria Lopez") undone."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from storyweave.model import Sentence
from storyweave.text.lexicon import word_set

OPENERS = "“«„"
CLOSERS = "”»“"


def paragraph_spans(text: str) -> Iterator[tuple[int, int, int]]:
    """(paragraph index, start, end) of each non-empty paragraph of a cleaned body."""
    index = 0
    pos = 0
    for block in text.split("\n\n"):
        stripped = block.strip()
        if stripped:
            start = pos + block.index(stripped)
            yield index, start, start + len(stripped)
            index += 1
        pos += len(block) + 2


# Quotation marks as a scan meets them: a straight double quote (opens or closes, by what is open), an
# opening or closing curly quote or guillemet, and the typewriter pairs of token-rebuilt text (ECB+, Penn
# Treebank style: ``like this'' , or "like this'' with a straight opener).
_QUOTE_MARK = re.compile(r"``|''|[\"“«„”»]")


def quote_open(text: str) -> bool:
    """True when ``text`` leaves a quotation open: a straight double quote, an opening curly quote or
    guillemet, or a typewriter opening pair (two backticks) that nothing after it closes (a straight
    quote, a closing curly quote or guillemet, or a typewriter closing pair of apostrophes).

    Hand-written because spaCy's splitter has no notion of quotation spans (a known error on news). The
    marks are scanned in order, so a quotation opened in one style and closed in another (token-rebuilt
    text: a straight opener closed by two apostrophes) counts as closed, not as a straight quote left
    open that would glue the next sentences to it.
    """
    stack: list[str] = []
    for m in _QUOTE_MARK.finditer(text):
        mark = m.group()
        if (mark == '"' and stack[-1:] == ['"']) or (mark == "“" and stack[-1:] == ["„"]):
            stack.pop()  # a straight quote closes a straight one; German „…“ closes with “
        elif mark in ('"', "``", "“", "«", "„"):
            stack.append(mark)
        elif stack:  # a closer: ”, '' or »
            stack.pop()
    return bool(stack)


def tense_of(span: Any) -> str:
    """ "future", "past" or "present" for a spaCy sentence span, from its root verb and auxiliaries."""
    root = span.root
    auxes = [t for t in root.children if t.dep_ in ("aux", "auxpass")]
    lemmas = {t.lemma_.lower() for t in auxes}
    if lemmas & {"will", "shall"} or any(t.lower_ in ("'ll", "wo") for t in auxes):
        return "future"
    if root.lemma_ == "be" and any(t.lower_ == "to" for t in root.children):
        return "future"  # "is to visit", "was to tour"
    if any(t.lemma_ == "go" and t.tag_ == "VBG" for t in span) and any(t.dep_ == "xcomp" for t in span):
        return "future"  # "is going to visit"
    if root.tag_ == "VBD" or any(t.tag_ == "VBD" for t in auxes):
        return "past"
    if root.tag_ == "VBN" and "have" in lemmas:
        return "past"  # present perfect reports a past event in news
    if any(t.tag_ == "VBD" for t in span):
        return "past"
    return "present"


# Titles written before a name: a period after them never ends a sentence ("Sgt. Maria Lopez").
_TITLES = word_set(
    "mr mrs ms dr prof sgt lt col gen maj capt cpl pvt adm cmdr gov sen rep rev fr st mt pres supt insp "
    "det atty hon amb brig cdr"
)
# Month abbreviations: not a sentence end before a day number ("Sept. 13").
_MONTHS = word_set("jan feb mar apr jun jul aug sep sept oct nov dec")
# Other abbreviations that may end a sentence: only a lower-case or numeric continuation, or a fragment
# without a verb on either side, shows the cut was wrong ("the U.S. | ambassador", "9 a.m. | and").
_OTHER = word_set(
    "u.s u.k u.n e.u a.m p.m jr sr inc corp co ltd no nos vs etc approx dept est d.c mo wash calif fla "
    "ill mass mich pa tenn tex va ariz colo conn ga ky la md minn nev okla ore wis"
)
# A dotted initialism ("L.A.", "D.C.", "N.Y.") or a short acronym in capitals ("ID.", "LA."): like the
# abbreviations above, it ends a sentence only when what follows is a sentence of its own.
_INITIALISM = re.compile(r"(?:[a-z]\.)+[a-z]")
_ACRONYM = re.compile(r"[A-Z]{2,4}")
_LAST_WORD = re.compile(r"(?:^|[\s(\[\"“‘'])([A-Za-z][A-Za-z.]*)\.\s*$")


def abbreviation_cut(previous: str, following: str, has_verbs: tuple[bool, bool] = (True, True)) -> bool:
    """True when spaCy's cut between ``previous`` and ``following`` fell after an abbreviation or an initial
    rather than at a sentence end.

    Hand-written on purpose: the brief forbids a second splitter model, and spaCy's parser-based cuts have
    no abbreviation list of their own; ``has_verbs`` says whether each side has a verb (a fragment without
    one is never a sentence of its own).
    """
    m = _LAST_WORD.search(previous)
    nxt = following.lstrip("\"“‘'( ")
    if m is None or not nxt:
        return False
    word = m.group(1).lower()
    if word in _TITLES:
        return nxt[0].isupper()
    if len(word) == 1 and m.group(1).isupper():
        return nxt[0].isupper()  # an initial: "J. | K. Rowling", "Donald J. | Trump"
    if word in _MONTHS or word in ("no", "nos"):
        return nxt[0].isdigit()
    if word in _OTHER or _INITIALISM.fullmatch(word) or _ACRONYM.fullmatch(m.group(1)):
        return nxt[0].islower() or nxt[0].isdigit() or not all(has_verbs)
    return False


def _has_verb(span: Any) -> bool:
    return any(t.pos_ in ("VERB", "AUX") for t in span)


def split_paragraph(doc: Any) -> list[Any]:
    """spaCy sentence spans of one paragraph, merged where a cut fell inside an open quotation or after an
    abbreviation (see :func:`abbreviation_cut`)."""
    merged: list[Any] = []
    for sent in doc.sents:
        stripped = sent.text.strip()
        dangling = not stripped or (len(stripped) < 3 and stripped[0] in CLOSERS + "'\"")
        abbreviated = bool(merged) and abbreviation_cut(
            merged[-1].text, sent.text, (_has_verb(merged[-1]), _has_verb(sent))
        )
        if merged and (quote_open(merged[-1].text) or dangling or abbreviated):
            prev = merged.pop()
            merged.append(doc[prev.start : sent.end])
        else:
            merged.append(sent)
    return merged


def build_sentences(
    article_id: str, paragraph_docs: list[tuple[int, int, Any]]
) -> tuple[list[Sentence], list[Any]]:
    """Sentence records (offsets into the cleaned body) and the matching spaCy spans, in reading order.

    ``paragraph_docs`` holds (paragraph index, paragraph start offset, spaCy Doc of the paragraph).
    """
    sentences: list[Sentence] = []
    spans: list[Any] = []
    for para_index, offset, doc in paragraph_docs:
        for span in split_paragraph(doc):
            text = span.text.strip()
            if not text:
                continue
            start = offset + span.start_char + (len(span.text) - len(span.text.lstrip()))
            sentences.append(
                Sentence(
                    id=f"{article_id}#{len(sentences)}",
                    article_id=article_id,
                    index=len(sentences),
                    text=text,
                    start=start,
                    end=start + len(text),
                    paragraph=para_index,
                    tense=tense_of(span),
                )
            )
            spans.append(span)
    return sentences, spans
