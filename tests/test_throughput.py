"""`add` analyses a few articles per spaCy stream, and each article still gets what it gets alone."""

from __future__ import annotations

import pytest

from storyweave import pipeline, service, thresholds
from storyweave.model import AnalysedArticle, Article, InputError

TEXTS = {
    "ferry": "The harbour ferry left Kessel at noon on Monday with 212 passengers aboard.\n\n"
    "Captain Ilse Marr said the crossing had been calm.",
    "blank": "   \n\n  ",
    "bridge": "Engineers closed the Varn bridge on Tuesday after finding a crack in its main span.\n\n"
    "The city council said repairs would take at least three weeks.",
}


def _articles() -> list[Article]:
    return [Article(id=name, raw_text=text) for name, text in TEXTS.items()]


def test_a_batch_gives_each_article_what_it_gets_alone() -> None:
    together = pipeline.analyse_many(_articles())
    alone = [pipeline.analyse_one(a) for a in _articles()]
    assert [type(x) for x in together] == [AnalysedArticle, InputError, AnalysedArticle]
    assert [x.to_dict() if isinstance(x, AnalysedArticle) else str(x) for x in together] == [
        x.to_dict() if isinstance(x, AnalysedArticle) else str(x) for x in alone
    ]


def test_a_failing_batch_falls_back_to_each_article_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    real = pipeline.analyse_articles

    def fails_on_the_bridge(articles: list[Article]) -> list[AnalysedArticle]:
        if any(a.id == "bridge" for a in articles):
            raise RuntimeError("a bug in a stage")
        return real(articles)

    monkeypatch.setattr(pipeline, "analyse_articles", fails_on_the_bridge)
    ferry, blank, bridge = pipeline.analyse_many(_articles())
    assert isinstance(ferry, AnalysedArticle) and ferry.article.id == "ferry"
    assert isinstance(blank, InputError) and isinstance(bridge, InputError)
    assert "RuntimeError: a bug in a stage" in bridge.reason
    with pytest.raises(RuntimeError):
        pipeline.analyse_many(_articles(), strict=True)


def test_the_local_add_analyser_parses_batches_in_input_order(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []
    real = pipeline.analyse_articles

    def counted(articles: list[Article]) -> list[AnalysedArticle]:
        calls.append([a.id for a in articles])
        return real(articles)

    monkeypatch.setattr(pipeline, "analyse_articles", counted)
    monkeypatch.setattr(thresholds, "ADD_ANALYSIS_BATCH", 2)
    articles = [Article(id=f"{name}{n}", raw_text=text) for n in range(2) for name, text in TEXTS.items()]
    out = list(service.analyse_in_order(iter(articles)))
    assert [x.article.id if isinstance(x, AnalysedArticle) else x.source for x in out] == [
        a.id for a in articles
    ]
    assert calls == [["ferry0"], ["bridge0", "ferry1"], ["bridge1"]]
