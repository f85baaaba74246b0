"""Per-article analysis: sentences, entity mentions, quotes, language (times are resolved per story)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from storyweave.analyse.entities import mentions_in
from storyweave.analyse.language import detect_language
from storyweave.analyse.nlp import load_nlp
from storyweave.analyse.quotes import find_quotes
from storyweave.analyse.sentences import build_sentences, paragraph_spans
from storyweave.analyse.times import find_times
from storyweave.model import AnalysedArticle, Article

__all__ = ["analyse_articles", "find_times", "resolve_times"]

# spaCy components the analysis needs: the parser (sentences, tense), tagger/lemmatizer, NER.
BATCH_SIZE = 64


def analyse_articles(
    articles: Sequence[Article], on_article: Callable[[], None] | None = None
) -> list[AnalysedArticle]:
    """Sentences, mentions, quotes and language of each cleaned article (``nlp.pipe`` over paragraphs).

    ``on_article`` is called after each article, for progress reporting.
    """
    nlp = load_nlp()
    results: list[AnalysedArticle] = []
    for article in articles:
        paras = list(paragraph_spans(article.text))
        docs = list(nlp.pipe((article.text[s:e] for _, s, e in paras), batch_size=BATCH_SIZE))
        sentences, spans = build_sentences(
            article.id, [(idx, start, doc) for (idx, start, _), doc in zip(paras, docs, strict=True)]
        )
        mentions = []
        for sentence, span in zip(sentences, spans, strict=True):
            offset = sentence.start - (span.start_char + len(span.text) - len(span.text.lstrip()))
            mentions.extend(mentions_in(article.id, sentence.index, span, offset))
        language = article.language or detect_language(article.text)
        analysed_article = replace(article, language=language)
        quotes = find_quotes(analysed_article, sentences, mentions)
        results.append(
            AnalysedArticle(article=analysed_article, sentences=sentences, mentions=mentions, quotes=quotes)
        )
        if on_article is not None:
            on_article()
    return results


def resolve_times(doc: AnalysedArticle) -> AnalysedArticle:
    """The article with its time expressions resolved against its (possibly estimated) publication date."""
    art = doc.article
    times = find_times(art, doc.sentences, art.published, estimated=art.published_estimated)
    return AnalysedArticle(
        article=art, sentences=doc.sentences, mentions=doc.mentions, quotes=doc.quotes, times=times
    )
