"""Text an article repeats: title lines (also lower-cased copies), repeated paragraphs and sentences, and
pull quotes that restate an earlier sentence nearly word for word.

The first occurrence always stays, so removing a repeat never loses information. Near-verbatim matching
uses rapidfuzz; only the decision rules (minimum length, same numbers) are ours.
"""

from __future__ import annotations

import re
from collections import Counter

from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from storyweave import thresholds
from storyweave.clean.lines import CAPITAL, Para, sentence_spans, word_info, words
from storyweave.model import Removal

# Above this many earlier sentences only exact repeats are looked for, so huge inputs stay linear.
NEAR_DUPLICATE_MAX_SENTENCES = 600
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")


def _key(text: str) -> str:
    return str(default_process(text))


def title_duplicates(paras: list[Para], title: str) -> list[Removal]:
    """Remove body lines that repeat the title (any case, small differences in punctuation)."""
    title_key = _key(title)
    if not title_key:
        return []
    removed: list[Removal] = []
    for para in paras:
        if not para.kept or len(para.text) > 2 * len(title) + 10:
            continue
        if fuzz.ratio(_key(para.text), title_key) >= thresholds.TITLE_DUPLICATE_SIMILARITY:
            para.kept = False
            removed.append(Removal(para.text, "duplicate", para.line))
    return removed


def _same_numbers(a: str, b: str) -> bool:
    """Near-identical sentences with different figures say different things ("1,200 dead" vs "1,500")."""
    return _DIGITS.findall(a) == _DIGITS.findall(b)


def repeated_text(paras: list[Para]) -> list[Removal]:
    """Remove paragraphs, pull quotes and long sentences that repeat earlier kept text.

    Text found STRUCTURAL_REPEAT_MIN times or more is the article's own structure, not a scraping
    accident (an interview asking each guest the same questions, a meal plan repeating its portions):
    it stays.
    """
    removed: list[Removal] = []
    seen_paragraphs: set[str] = set()
    seen_exact: set[str] = set()
    seen_list: list[str] = []
    seen_text: dict[str, str] = {}  # key -> the sentence as written (its capitals name people, places)
    kept = [p for p in paras if p.kept]
    counts: Counter[str] = Counter()  # in how many paragraphs a text occurs, as a paragraph or sentence
    for p in kept:
        counts.update({_key(p.text), *(_key(p.text[s:e]) for s, e in sentence_spans(p.text))})
    structural = {k for k, n in counts.items() if n >= thresholds.STRUCTURAL_REPEAT_MIN}
    for para in paras:
        if not para.kept:
            continue
        para_key = _key(para.text)
        if para_key in structural:
            continue
        if len(words(para.text)) >= thresholds.DUPLICATE_MIN_WORDS and para_key in seen_paragraphs:
            para.kept = False
            removed.append(Removal(para.text, "duplicate", para.line))
            continue
        spans = sentence_spans(para.text)
        keys = [_key(para.text[s:e]) for s, e in spans]
        verdicts: list[str] = []  # "exact", "near", "new" or "short" per sentence
        for (start, end), key in zip(spans, keys, strict=True):
            n_words = len(key.split())
            if n_words < thresholds.DUPLICATE_MIN_WORDS or key in structural:
                verdicts.append("short")
            elif key in seen_exact:
                verdicts.append("exact")
            elif n_words >= thresholds.PULL_QUOTE_MIN_WORDS and _near(
                key, para.text[start:end], seen_list, seen_text
            ):
                verdicts.append("near")
            else:
                verdicts.append("new")
        long_ones = [v for v in verdicts if v != "short"]
        short_words = sum(len(k.split()) for k, v in zip(keys, verdicts, strict=True) if v == "short")
        if long_ones and "new" not in long_ones and short_words < thresholds.DUPLICATE_MIN_WORDS:
            # every sentence of the paragraph was said before: a pull quote or a repeated paragraph
            para.kept = False
            removed.append(Removal(para.text, "duplicate", para.line))
            continue
        cut = [
            (s, e)
            for (s, e), key, verdict in zip(spans, keys, verdicts, strict=True)
            if verdict == "exact" and len(key.split()) >= thresholds.SENTENCE_DUPLICATE_MIN_WORDS
        ]
        if cut:
            removed.extend(Removal(para.text[s:e], "duplicate", para.line) for s, e in cut)
            para.text = _without(para.text, cut)
        seen_paragraphs.add(para_key)
        for (start, end), key, verdict in zip(spans, keys, verdicts, strict=True):
            if verdict == "new":
                seen_exact.add(key)
                seen_list.append(key)
                seen_text.setdefault(key, para.text[start:end])
    return removed


def _names(text: str) -> set[str]:
    """Words capitalised inside a sentence: the names a sentence is about."""
    return {word for word, case in word_info(text) if case == CAPITAL}


def _near(key: str, text: str, seen: list[str], seen_text: dict[str, str]) -> bool:
    """True when ``key`` nearly repeats one of the ``seen`` sentences with the same figures and names.

    Templated lines differ only in a name ("Vote for Anna on the last page!" / "Vote for Olga ..."):
    those say different things, like sentences with different figures.
    """
    if not seen or len(seen) > NEAR_DUPLICATE_MAX_SENTENCES:
        return False
    for match, _score, _index in process.extract_iter(
        key, seen, scorer=fuzz.ratio, score_cutoff=thresholds.PULL_QUOTE_SIMILARITY
    ):
        if _same_numbers(key, match) and _names(text) == _names(seen_text.get(match, "")):
            return True
    return False


def _without(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with the given spans cut out and the gaps closed."""
    parts: list[str] = []
    pos = 0
    for start, end in spans:
        parts.append(text[pos:start])
        pos = end
    parts.append(text[pos:])
    return re.sub(r"\s{2,}", " ", "".join(parts)).strip()
