"""Publication dates for undated articles, estimated from the dated articles of the same story."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

from storyweave.model import AnalysedArticle


def estimate_publication(docs: Sequence[AnalysedArticle]) -> list[AnalysedArticle]:
    """The story's articles, each undated one given the median date of the dated ones, marked estimated.

    Reports of one event appear within days of each other, so the median of the known dates is the best
    single guess; it lets the undated article's "on Wednesday" still resolve (flagged as estimated, with
    ``published_from = "story"``). A date the cleaner read in the article's own text (a dateline, a
    "Published:" line, ``published_from = "text"``) is the article's, not an estimate, and counts as known.
    """
    known = sorted(
        dt.date.fromisoformat(d.article.published[:10])
        for d in docs
        if d.article.published and not d.article.published_estimated
    )
    if not known:
        return list(docs)
    median = known[(len(known) - 1) // 2].isoformat()
    result = []
    for doc in docs:
        if doc.article.published and not doc.article.published_estimated:
            result.append(doc)
        else:
            article = replace(
                doc.article, published=median, published_estimated=True, published_from="story"
            )
            result.append(replace(doc, article=article))
    return result
