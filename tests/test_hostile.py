"""Hostile inputs (tests/fixtures/hostile, see its README): each costs its own input or entry only, with one
line naming it, and nothing that reaches analysis can crash it."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

import pytest

from storyweave import pipeline
from storyweave.ingest import jsonl as jsonl_module
from storyweave.ingest import read_inputs
from storyweave.ingest.jsonl import iso_date
from storyweave.ingest.safety import MAX_TEXT_CHARS, http_url, safe_article, safe_text
from storyweave.model import AnalysedArticle, Article, InputError, Sentence
from storyweave.server.service import RequestFailed, parse_upload
from storyweave.service import import_to_store
from storyweave.store import EXPORT_FORMAT, SCHEMA_VERSION
from storyweave.store.records import check_record

HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile"
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def _read(name: str) -> tuple[list[Article], list[InputError]]:
    items = list(read_inputs([str(HOSTILE / name)]))
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, InputError)]


def test_safe_text_replaces_surrogates_and_drops_controls() -> None:
    assert safe_text("a\udfffb\ud800") == "a\ufffdb\ufffd"
    controls = "tab\there\nNUL\x00 BEL\x07 ESC\x1b[31m DEL\x7f C1\x9b"
    assert safe_text(controls) == "tab\there\nNUL BEL ESC[31m DEL C1"
    assert safe_text("page\x0cbreak\x0bline") == "page\nbreak\nline"
    assert safe_text("Zürich – “quoted” \u200b") == "Zürich – “quoted” \u200b"  # prose and Cf untouched


def test_lone_surrogates_in_json_become_replacement_characters() -> None:
    articles, errors = _read("lone-surrogate.jsonl")
    assert not errors
    assert [a.id for a in articles] == ["ferry-1", "ferry-2", "ferry-3"]
    assert "\ufffd" in articles[1].raw_text and articles[2].title == "\ufffd Ferry"
    for article in articles:
        assert not _UNSAFE.search(article.raw_text + (article.title or ""))
        article.raw_text.encode("utf-8")  # what spaCy and SQLite need


def test_control_characters_after_the_first_8k_are_removed() -> None:
    (article,), errors = _read("controls-after-8k.txt")
    assert not errors and len(article.raw_text) > 8192
    assert not _UNSAFE.search(article.raw_text)
    assert "characters[31m after the first 8 KB must not be stored.\n Next page." in article.raw_text


def test_text_over_the_cap_is_one_error_before_analysis(tmp_path: Path) -> None:
    long = tmp_path / "long.txt"
    long.write_text("Title\n\n" + "word " * (MAX_TEXT_CHARS // 5 + 10), encoding="utf-8")
    record = tmp_path / "long.jsonl"
    record.write_text(
        json.dumps({"id": "ok", "text": "A short report on the ferry vote by the harbour council."})
        + "\n"
        + json.dumps({"id": "huge", "text": "x" * (MAX_TEXT_CHARS + 1)})
        + "\n",
        encoding="utf-8",
    )
    items = list(read_inputs([str(long), str(record)]))
    errors = [str(i) for i in items if isinstance(i, InputError)]
    assert [i.id for i in items if isinstance(i, Article)] == ["ok"]
    assert len(errors) == 2 and all("too long" in e and f"limit {MAX_TEXT_CHARS:,}" in e for e in errors)
    assert errors[0].startswith(str(long))
    with pytest.raises(InputError, match="too long"):
        safe_article(Article(id="mem", raw_text="y" * (MAX_TEXT_CHARS + 1)))  # in-memory Articles too


def test_malformed_links_cost_nothing_but_the_link() -> None:
    articles, errors = _read("bad-links.rss")
    assert not errors
    assert [a.title for a in articles] == [f"Ferry update {n}" for n in range(1, 6)]
    assert [a.url for a in articles] == [
        None,
        None,
        "https://gazette.example.org/ok-1",
        None,
        "https://gazette.example.org/ok-2",
    ]
    assert len({a.id for a in articles}) == 5


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://example.com/a?b=c", "https://example.com/a?b=c"),
        (" http://news.example.org/x ", "http://news.example.org/x"),
        ("https://[example.com/bad", None),
        ("http://[::1]:99999/", None),
        ("https://example.com:abc/", None),
        ("https://exa mple.com/", None),
        ("javascript:alert(1)", None),
        ("ftp://example.com/file", None),
        ("https:///path-only", None),
        (5, None),
    ],
)
def test_http_url_accepts_only_well_formed_http_links(value: object, expected: str | None) -> None:
    assert http_url(value) == expected


def test_malformed_dates_never_reach_dateparser_unbounded(monkeypatch: pytest.MonkeyPatch) -> None:
    import dateparser

    tried: list[str] = []
    real = dateparser.parse

    def spy(text: str, *args: Any, **kwargs: Any) -> Any:
        tried.append(text)
        assert kwargs.get("languages"), "dateparser must be given fixed languages"
        return real(text, *args, **kwargs)

    monkeypatch.setattr(dateparser, "parse", spy)
    articles, errors = _read("malformed-dates.rss")
    assert not errors and len(articles) == 100
    assert not any(a.published for a in articles)
    assert all(len(t) <= jsonl_module.MAX_FREE_DATE_CHARS for t in tried)
    assert all(re.search(r"(?:19|20)\d\d", t) for t in tried)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-09-13T10:00:00+09:00", "2023-09-13"),
        ("Wed, 13 Sep 2023 08:00:00 GMT", "2023-09-13"),
        ("September 13, 2023", "2023-09-13"),
        ("Wednesday, 13 Sept. 2023 10:00", "2023-09-13"),
        ("2023/09/13", "2023-09-13"),
        ("13 septembre 2023", "2023-09-13"),  # dateparser, with its fixed languages
        ("Smarch 13, 2023", None),
        ("Sun 31 Feb 2023 12:00 PDT", None),
        ("2023-09-13 " + "0" * 100, None),  # over the length cap
        ("x" * 10_000, None),
    ],
)
def test_iso_date_strict_formats(text: str, expected: str | None) -> None:
    assert iso_date(text) == expected


def test_a_feed_with_an_internal_dtd_subset_is_read_as_a_feed() -> None:
    articles, errors = _read("dtd-subset.rss")
    assert not errors
    assert [a.title for a in articles] == ["Harbour council approves new ferry route", "Laughs &i;"]
    assert articles[0].outlet == "Harbour Gazette" and articles[0].published == "2023-09-13"
    assert all(len(a.raw_text) < 500 for a in articles)  # no entity was expanded
    assert "root:" not in articles[1].raw_text  # the external entity was not read


def test_json_fields_are_typed_not_coerced() -> None:
    articles, errors = _read("typed-fields.jsonl")
    reasons = [e.reason for e in errors]
    assert reasons == [
        "field 'title' must be a string, got number",
        "field 'text' must be a string or a list of strings, got object",
        "field 'headline' must be a string, got array",
        "field 'id' must be a string or a number, got boolean",
        "field 'published' must be a string or an epoch number, got object",
    ]
    assert [e.source.rsplit(":", 1)[-1] for e in errors] == [f"line {n}" for n in range(1, 6)]
    (article,) = articles
    assert (article.id, article.title, article.published) == ("17", "Ferry route approved", "2023-09-13")


def test_upload_cap_stops_before_reading_further_entries() -> None:
    data = (HOSTILE / "malformed-dates.rss").read_bytes()
    with pytest.raises(RequestFailed) as caught:
        parse_upload(data, "feed.rss", max_articles=10)
    assert caught.value.status == 413 and "limit 10" in caught.value.message
    assert len(parse_upload(data, "feed.rss", max_articles=100)) == 100


def test_a_hostile_batch_briefs_the_rest_and_names_each_failure(tmp_path: Path) -> None:
    long = tmp_path / "huge.txt"
    long.write_text("Huge\n\n" + "The ferry sailed. " * (MAX_TEXT_CHARS // 17 + 1), encoding="utf-8")
    result = pipeline.run([str(HOSTILE / "lone-surrogate.jsonl"), str(HOSTILE / "bad-links.rss"), str(long)])
    assert result.briefs, "the readable inputs are briefed"
    assert [e.source for e in result.errors] == [str(long)]
    briefed = {a.id for b in result.briefs for a in b.articles}
    assert {"ferry-1", "ferry-2", "ferry-3"} <= briefed


def test_unexpected_exceptions_are_one_line_and_a_warning_unless_strict(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(article: Article) -> Article:
        if article.id == "ferry-2":
            raise RuntimeError("boom")
        return real(article)

    real = pipeline.clean_article
    monkeypatch.setattr(pipeline, "clean_article", broken)
    source = str(HOSTILE / "lone-surrogate.jsonl")
    with caplog.at_level(logging.WARNING, logger="storyweave"):
        result = pipeline.run([source])
    assert [str(e) for e in result.errors] == [
        f"{source} [ferry-2]: could not be cleaned (RuntimeError: boom)"
    ]
    assert result.briefs
    assert any("rerun with --strict" in r.getMessage() for r in caplog.records)
    with pytest.raises(RuntimeError, match="boom"):
        pipeline.run([source], strict=True)
    one = pipeline.analyse_one(Article(id="ferry-2", raw_text="Ferry\n\nThe ferry sailed at noon today.\n"))
    assert isinstance(one, InputError) and "RuntimeError: boom" in one.reason
    with pytest.raises(RuntimeError):
        pipeline.analyse_one(Article(id="ferry-2", raw_text="Ferry\n\nThe ferry sailed.\n"), strict=True)


_SENTENCE = {"id": "a1#0", "article_id": "a1", "index": 0, "text": "x", "start": 0, "end": 1}


def _article_record(**changes: Any) -> dict[str, Any]:
    doc = AnalysedArticle(
        article=Article(id="a1", raw_text="Ferry\n\nThe ferry sailed.\n", text="The ferry sailed."),
        sentences=[Sentence(id="a1#0", article_id="a1", index=0, text="The ferry sailed.", start=0, end=17)],
    ).to_dict()
    record = {"kind": "article", "seq": 1, "story_id": "s1", "added_at": "2026-12-06T00:00:00", "doc": doc}
    for path, value in changes.items():
        target = record
        *parents, last = path.split("__")
        for part in parents:
            target = target[part]
        target[last] = value
    return json.loads(json.dumps(record))


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"seq": "1"}, "field seq: Input should be a valid integer"),
        ({"doc__article__title": 5}, "field article.title: Input should be a valid string"),
        ({"doc__sentences": [{**_SENTENCE, "start": "0"}]}, "field sentences.0.start"),
        ({"doc__article__raw_text": "a\x00b"}, "article raw_text holds control characters"),
        ({"doc__article__raw_text": "z" * (MAX_TEXT_CHARS + 1)}, "longer than"),
        ({"kind": "mystery"}, "unknown record kind 'mystery'"),
    ],
)
def test_store_import_records_are_typed(changes: dict[str, Any], reason: str) -> None:
    check_record(_article_record())  # the store's own shape passes
    with pytest.raises(ValueError, match=re.escape(reason)):
        check_record(_article_record(**changes))


def test_import_reports_a_mistyped_record_by_line(tmp_path: Path) -> None:
    header = {"kind": "header", "format": EXPORT_FORMAT, "schema_version": SCHEMA_VERSION}
    lines = [json.dumps(header), json.dumps(_article_record(seq="1"))]
    result = import_to_store(lines, tmp_path / "x.db", source="dump.jsonl")
    assert [str(e) for e in result.errors] == [
        "dump.jsonl:2: bad article record (field seq: Input should be a valid integer)"
    ]
    assert not result.added


def test_a_story_that_fails_to_brief_costs_that_story_only(
    mixed_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = pipeline.compose_brief
    calls: list[int] = []

    def first_fails(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            raise ValueError("compose bug")
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "compose_brief", first_fails)
    result = pipeline.run([mixed_dir])
    assert len(calls) >= 2 and len(result.briefs) == len(calls) - 1
    (error,) = result.errors
    assert (
        error.source.startswith("story of ")
        and error.reason == "could not be briefed (ValueError: compose bug)"
    )
    with pytest.raises(ValueError, match="compose bug"):
        calls.clear()
        pipeline.run([mixed_dir], strict=True)
