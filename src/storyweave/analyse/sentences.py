"""Sentences of a cleaned article, from spaCy's parser with the cuts it makes inside quotations undone."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from storyweave.model import Sentence

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


def quote_open(text: str) -> bool:
    """True when ``text`` leaves a quotation open: an odd number of straight double quotes, or more
    opening than closing curly quotes/guillemets.

    Hand-written because spaCy's splitter has no notion of quotation spans (a known error on news).
    """
    if text.count('"') % 2 == 1:
        return True
    opens = sum(text.count(c) for c in "“«„")
    closes = sum(text.count(c) for c in "”»")
    return opens > closes


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


def split_paragraph(doc: Any) -> list[Any]:
    """spaCy sentence spans of one paragraph, merged where a cut fell inside an open quotation."""
    merged: list[Any] = []
    for sent in doc.sents:
        stripped = sent.text.strip()
        dangling = not stripped or (len(stripped) < 3 and stripped[0] in CLOSERS + "'\"")
        if merged and (quote_open(merged[-1].text) or dangling):
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
