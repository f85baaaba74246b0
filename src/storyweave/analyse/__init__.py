"""Per-article analysis, the only stage that runs a language model: sentences, entity mentions, quotes,
language and the typed slots (claims, quantities, roles); times are resolved per story.

One spaCy stream serves the whole batch: the paragraphs of every article go through ``nlp.pipe`` together
(``as_tuples`` carries which article and paragraph each belongs to), with two processes for large batches.
Later stages read the slots and never parse again.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import Any

from storyweave.analyse.claims import claims_in
from storyweave.analyse.entities import mentions_in
from storyweave.analyse.language import detect_language
from storyweave.analyse.nlp import load_nlp
from storyweave.analyse.quantities import quantities_in
from storyweave.analyse.quotes import find_quotes
from storyweave.analyse.roles import roles_in
from storyweave.analyse.sentences import build_sentences, paragraph_spans
from storyweave.analyse.times import find_times
from storyweave.model import AnalysedArticle, Article, Claim, Quantity, RoleMention
from storyweave.thresholds import SPACY_BATCH_SIZE, SPACY_PROCESSES_MIN_CHARS

__all__ = [
    "PROCESSES_ENV",
    "REDUCED",
    "analyse_articles",
    "find_times",
    "process_count",
    "requested_processes",
    "resolve_times",
]

# Value of ``Article.extra["analysis"]`` for an article not in English: sentences, mentions and numbers
# only; no claims, roles or quote speakers (they come from English grammar and word lists).
REDUCED = "reduced"
ENGLISH = "en"
# Paragraph context carried through ``nlp.pipe(as_tuples=True)``: (article position, paragraph index, start).
_Context = tuple[int, int, int]


PROCESSES_ENV = "STORYWEAVE_PROCESSES"
"""Environment variable forcing the number of spaCy processes for large batches (``brief --processes``)."""


def requested_processes() -> int | None:
    """The process count ``$STORYWEAVE_PROCESSES`` asks for (a whole number >= 1), or None when unset."""
    value = os.environ.get(PROCESSES_ENV, "").strip()
    if not value:
        return None
    try:
        count = int(value)
    except ValueError:
        raise ValueError(f"{PROCESSES_ENV} must be a whole number >= 1, not {value!r}") from None
    if count < 1:
        raise ValueError(f"{PROCESSES_ENV} must be a whole number >= 1, not {value!r}")
    return count


def process_count(total_chars: int, requested: int | None = None) -> int:
    """spaCy processes for a batch of ``total_chars`` characters.

    A batch under ``SPACY_PROCESSES_MIN_CHARS`` always gets one (starting a process and loading the model
    costs more than it saves). Above it: ``requested`` (or ``$STORYWEAVE_PROCESSES``) when given, else two
    when a second core is idle. A second process only shortens the wall time when a core is free for it:
    on a busy machine it adds start-up and the copying of Docs back to this process for nothing
    (bench/slots.py --throughput).
    """
    if total_chars < SPACY_PROCESSES_MIN_CHARS:
        return 1
    forced = requested if requested is not None else requested_processes()
    if forced is not None:
        return max(1, forced)
    cores = os.cpu_count() or 1
    try:
        busy = os.getloadavg()[0]
    except OSError:  # no load average on this platform: trust the core count
        busy = 0.0
    return 2 if cores >= 2 and busy <= cores - 1 else 1


def _paragraphs(articles: Sequence[Article]) -> Iterator[tuple[str, _Context]]:
    """Every non-empty paragraph of every article, in order, with its (article, paragraph, start)."""
    for position, article in enumerate(articles):
        for index, start, end in paragraph_spans(article.text):
            yield article.text[start:end], (position, index, start)


def analyse_articles(
    articles: Sequence[Article],
    on_article: Callable[[], None] | None = None,
    *,
    processes: int | None = None,
) -> list[AnalysedArticle]:
    """Sentences, mentions, quotes, language and typed slots of each cleaned article, in input order.

    ``on_article`` is called after each article, for progress reporting; ``processes`` forces the spaCy
    process count of a large batch (see :func:`process_count`).
    """
    languages = [article.language or detect_language(article.text) for article in articles]
    nlp = load_nlp()
    total = sum(len(article.text) for article in articles)
    stream = nlp.pipe(
        _paragraphs(articles),
        as_tuples=True,
        batch_size=SPACY_BATCH_SIZE,
        n_process=process_count(total, processes),
    )
    results: list[AnalysedArticle] = []
    current: list[tuple[int, int, Any]] = []  # parsed paragraphs of the article at ``position``
    position = 0

    def flush(upto: int) -> None:
        # nlp.pipe keeps input order: every article before ``upto`` has all its paragraphs (maybe none)
        nonlocal current, position
        while position < upto:
            results.append(_analyse_one(articles[position], languages[position], current))
            current = []
            if on_article is not None:
                on_article()
            position += 1

    for doc, (pos, index, start) in stream:
        flush(pos)
        current.append((index, start, doc))
    flush(len(articles))
    return results


def _analyse_one(
    article: Article, language: str | None, paragraph_docs: list[tuple[int, int, Any]]
) -> AnalysedArticle:
    """Everything analysis finds in one article from the parses of its paragraphs."""
    sentences, spans = build_sentences(article.id, paragraph_docs)
    # declared tags come as "en", "en-US", "EN_gb": the primary subtag decides
    english = language is None or language.replace("_", "-").split("-")[0].lower() == ENGLISH
    extra = article.extra if english else {**article.extra, "analysis": REDUCED}
    analysed = replace(article, language=language, extra=extra)
    mentions = []
    offsets: list[int] = []
    for sentence, span in zip(sentences, spans, strict=True):
        # Article.text offset of character 0 of the span's paragraph Doc
        offset = sentence.start - (span.start_char + len(span.text) - len(span.text.lstrip()))
        offsets.append(offset)
        mentions.extend(mentions_in(article.id, sentence.index, span, offset))
    quotes = find_quotes(analysed, sentences, mentions)
    claims: list[Claim] = []
    quantities: list[Quantity] = []
    roles: list[RoleMention] = []
    recent_person: str | None = None
    for sentence, span, offset in zip(sentences, spans, offsets, strict=True):
        quantities.extend(quantities_in(article.id, sentence.index, span, offset, parsed=english))
        if english:
            inside = [q for q in quotes if q.start < sentence.end and sentence.start < q.end]
            claims.extend(claims_in(article.id, sentence.index, span, offset, inside, recent_person))
            roles.extend(roles_in(article.id, sentence.index, span, offset))
        people = [m.name for m in mentions if m.sentence_index == sentence.index and m.label == "PERSON"]
        if people:
            recent_person = people[-1]
    if not english:
        # quote speakers come from English verbs of saying: keep the quoted words, not who said them
        quotes = [replace(q, speaker=None, cue=None) for q in quotes]
    return AnalysedArticle(
        article=analysed,
        sentences=sentences,
        mentions=mentions,
        quotes=quotes,
        claims=claims,
        quantities=quantities,
        roles=roles,
    )


def resolve_times(doc: AnalysedArticle) -> AnalysedArticle:
    """The article with its time expressions resolved against its (possibly estimated) publication date.

    Each expression's ``verb`` is the predicate of the claim whose words hold it, so no parse is needed.
    """
    art = doc.article
    times = find_times(art, doc.sentences, art.published, estimated=art.published_estimated)
    for ref in times:
        if ref.verb is not None:
            continue
        holders = [
            c
            for c in doc.claims
            if c.sentence_index == ref.sentence_index and c.start <= ref.start and ref.end <= c.end
        ]
        if holders:
            ref.verb = min(holders, key=lambda c: c.end - c.start).predicate
    return replace(doc, times=times)
