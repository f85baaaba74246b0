"""The HTTP API under ``/api``: stories, briefs (contract JSON, Markdown, HTML), articles with their
cleaning log, and adding articles by upload or by URL. Its OpenAPI document is ``/api/openapi.json``."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from storyweave.model import Article
from storyweave.render import brief_to_html, brief_to_markdown
from storyweave.server.service import IngestReport as Report
from storyweave.server.service import (
    SortKey,
    StoreService,
    UploadKind,
    parse_upload,
    upload_name,
)
from storyweave.server.views import public_source
from storyweave.store import StoryRow
from storyweave.store.search import MARK_END, MARK_START, Filters, Hit, StoryFacets
from storyweave.watch.alerts import rule_of
from storyweave.watch.state import WatchSource

# The standalone HTML brief carries its own inline stylesheet (it must work as a saved file).
BRIEF_HTML_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)


class Story(BaseModel):
    """A story as listed: counts, date span, and whether its stored brief is current."""

    id: str
    headline: str
    article_count: int
    independent_count: int = Field(description="articles counted once per syndication group")
    first_seen: str | None
    last_seen: str | None
    version: int = Field(description="bumped whenever the story's articles change")
    brief_current: bool
    created_at: str
    updated_at: str
    outlets: list[str] = Field(default_factory=list, description="outlets, most articles first")
    leans: dict[str, int] = Field(
        default_factory=dict, description="articles per lean, from the server's outlet table"
    )
    contested: int | None = Field(None, description="contested points in the stored brief (None: no brief)")

    @classmethod
    def of(cls, row: StoryRow, facets: StoryFacets | None = None) -> Story:
        extra: dict[str, Any] = {}
        if facets is not None:
            extra = {"outlets": facets.outlets, "leans": facets.leans, "contested": facets.contested}
        return cls(**row.to_dict(), **extra)


class StoryList(BaseModel):
    total: int = Field(description="stories matching the query, on all pages")
    offset: int
    limit: int
    stories: list[Story]


class StoryArticle(BaseModel):
    id: str
    title: str | None
    outlet: str | None
    url: str | None
    published: str | None
    word_count: int


class StoryDetail(BaseModel):
    story: Story
    articles: list[StoryArticle]


class RemovalOut(BaseModel):
    text: str
    reason: str
    line: int | None = Field(description="0-based line of the raw text, when the removal is a whole line")


class ArticleOut(BaseModel):
    """An article as stored: metadata, raw and cleaned text, and the cleaning log."""

    id: str
    title: str | None
    outlet: str | None
    url: str | None
    published: str | None
    published_estimated: bool
    language: str | None
    source: str | None
    word_count: int
    text: str = Field(description="the cleaned body")
    raw_text: str = Field(description="the text as read, before cleaning")
    removed: list[RemovalOut] = Field(description="what cleaning took out, and why")
    sentences: int
    quotes: int


class AddedOut(BaseModel):
    article_id: str
    story_id: str
    new_story: bool


class IngestOut(BaseModel):
    """What adding articles did. Already stored articles change nothing and are listed as notices."""

    added: list[AddedOut]
    already_stored: list[str]
    notices: list[str]
    errors: list[str] = Field(description="inputs that failed (URL ingestion only; a bad upload is a 4xx)")
    stories: list[str] = Field(description="stories that changed")

    @classmethod
    def of(cls, report: Report) -> IngestOut:
        return cls(
            added=[
                AddedOut(article_id=a.article_id, story_id=a.story_id, new_story=a.new_story)
                for a in report.added
            ],
            already_stored=report.already_stored,
            notices=report.notices,
            errors=report.errors,
            stories=sorted({a.story_id for a in report.added}),
        )


class UrlIn(BaseModel):
    url: str = Field(description="an http(s) page or RSS/Atom feed; private addresses are refused")


class ErrorOut(BaseModel):
    detail: str
    errors: list[str] = Field(default_factory=list, description="one line per input or record that failed")


class SnippetPart(BaseModel):
    text: str
    match: bool


class SearchHit(BaseModel):
    """One match: an article (title and body), a quote (speaker and words) or a fact of a brief."""

    kind: Literal["article", "quote", "fact"]
    story_id: str
    article_id: str | None
    ref: str = Field(description="the article id, or the fact id for a fact")
    title: str = Field(description="the article's title, a quote's speaker; empty for a fact")
    snippet: str = Field(description="the matching passage, plain text")
    parts: list[SnippetPart] = Field(description="the snippet cut at the matched words")
    rank: float = Field(description="bm25 (lower is better)")


class SearchOut(BaseModel):
    total: int
    offset: int
    limit: int
    hits: list[SearchHit]


class WatchSourceOut(BaseModel):
    id: int
    kind: str
    target: str
    every_seconds: int
    failures: int
    last_error: str | None
    last_checked: str | None
    last_ok: str | None
    added: int


class WatchIn(BaseModel):
    target: str = Field(description="an http(s) feed or page")
    every: str = Field("15m", description="how often: 30s, 15m, 2h...")


class RuleIn(BaseModel):
    rule: str = Field(description="outlets>=N, independent>=N, contested, search:WORDS or entity:NAME")


class RuleOut(BaseModel):
    id: int
    rule: str


class WatchListOut(BaseModel):
    sources: list[WatchSourceOut]
    rules: list[RuleOut]


class AlertOut(BaseModel):
    id: int
    story_id: str
    kind: str
    message: str
    created_at: str
    payload: dict[str, Any]


class AlertsOut(BaseModel):
    after: int = Field(description="alerts with a larger id are listed")
    alerts: list[AlertOut] = Field(description="newest first")


def source_out(source: WatchSource) -> WatchSourceOut:
    """A watched source as the API shows it: a folder or file by its name only (no server paths)."""
    fields = {k: v for k, v in source.to_dict().items() if k in WatchSourceOut.model_fields}
    if source.kind != "url":
        fields["target"] = public_source(source.target) or source.kind
    return WatchSourceOut(**fields)


def snippet_parts(snippet: str) -> list[SnippetPart]:
    """A snippet with FTS5's markers cut into plain parts, matched or not (no markup anywhere)."""
    parts: list[SnippetPart] = []
    for i, piece in enumerate(snippet.replace(MARK_END, MARK_START).split(MARK_START)):
        if piece:
            parts.append(SnippetPart(text=piece, match=i % 2 == 1))
    return parts


def hit_out(hit: Hit) -> SearchHit:
    plain = hit.snippet.replace(MARK_START, "").replace(MARK_END, "")
    return SearchHit(
        kind=hit.kind,
        story_id=hit.story_id,
        article_id=hit.article_id,
        ref=hit.ref,
        title=hit.title,
        snippet=plain,
        parts=snippet_parts(hit.snippet),
        rank=hit.rank,
    )


def filters_of(
    outlet: str = "",
    language: str = "",
    lean: str = "",
    since: str = "",
    until: str = "",
    min_size: int = 0,
    max_size: int = 0,
    one_side: bool = False,
) -> Filters:
    return Filters(outlet.strip(), language.strip(), lean.strip(), since, until, min_size, max_size, one_side)


class FilterParams:
    """The filters as query parameters, shared by the story list and the search."""

    def __init__(
        self,
        outlet: Annotated[str, Query(max_length=200, description="articles of this outlet")] = "",
        language: Annotated[str, Query(max_length=20, description="articles in this language")] = "",
        lean: Annotated[str, Query(max_length=100, description="articles of outlets of this lean")] = "",
        since: Annotated[
            str, Query(pattern=r"^(\d{4}-\d{2}-\d{2})?$", description="published on or after")
        ] = "",
        until: Annotated[
            str, Query(pattern=r"^(\d{4}-\d{2}-\d{2})?$", description="published on or before")
        ] = "",
        min_size: Annotated[int, Query(ge=0, description="stories of at least this many articles")] = 0,
        max_size: Annotated[
            int, Query(ge=0, description="stories of at most this many articles (0: any)")
        ] = 0,
        one_side: Annotated[bool, Query(description="stories covered by outlets of one lean only")] = False,
    ) -> None:
        self.filters = filters_of(outlet, language, lean, since, until, min_size, max_size, one_side)


ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorOut, "description": text}
    for code, text in (
        (400, "empty upload"),
        (401, "a token is needed"),
        (404, "no such story or article"),
        (413, "upload too large"),
        (415, "binary upload"),
        (422, "unreadable upload, malformed JSON line, or nothing left after cleaning"),
    )
}


def _service(request: Request) -> StoreService:
    service: StoreService = request.app.state.service
    return service


def _ingest_response(report: Report) -> JSONResponse:
    body = IngestOut.of(report)
    return JSONResponse(body.model_dump(), status_code=201 if report.added else 200)


def build_router() -> APIRouter:
    """The API routes (mounted under ``/api`` by the app)."""
    router = APIRouter(prefix="/api", tags=["api"])

    @router.get("/health", summary="Liveness check")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/stories", response_model=StoryList, summary="List and search stories")
    def list_stories(
        request: Request,
        params: Annotated[FilterParams, Depends()],
        q: Annotated[
            str,
            Query(description="words that must all appear: headline, articles, quotes or facts (full text)"),
        ] = "",
        sort: Annotated[
            SortKey,
            Query(
                description="recent: newest news first; size: most articles first; "
                "updated: most recently changed first"
            ),
        ] = "recent",
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> StoryList:
        service = _service(request)
        page = service.stories(q, sort, offset, limit, params.filters)
        facets = service.facets([r.id for r in page.rows])
        return StoryList(
            total=page.total,
            offset=offset,
            limit=limit,
            stories=[Story.of(r, facets.get(r.id)) for r in page.rows],
        )

    @router.get("/search", response_model=SearchOut, summary="Full-text search: articles, quotes, facts")
    def search(
        request: Request,
        q: Annotated[str, Query(min_length=1, max_length=500, description="words that must all appear")],
        params: Annotated[FilterParams, Depends()],
        limit: Annotated[int, Query(ge=1, le=200)] = 20,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> SearchOut:
        total, hits = _service(request).search(q, params.filters, limit, offset)
        return SearchOut(total=total, offset=offset, limit=limit, hits=[hit_out(h) for h in hits])

    @router.get("/watch", response_model=WatchListOut, summary="The watch list and the alert rules")
    def watch_list(request: Request) -> WatchListOut:
        sources, rules = _service(request).watch_list()
        return WatchListOut(
            sources=[source_out(s) for s in sources],
            rules=[RuleOut(id=r.id, rule=str(rule_of(r))) for r in rules],
        )

    @router.post(
        "/watch/sources",
        response_model=WatchSourceOut,
        status_code=201,
        responses=ERRORS,
        summary="Watch a feed or page (polled by `storyweave watch --db`)",
    )
    def watch_add(request: Request, body: WatchIn) -> WatchSourceOut:
        got = _service(request).watch_source(body.target, body.every)
        return source_out(got)

    @router.delete("/watch/sources/{source_id}", status_code=204, responses=ERRORS, summary="Unwatch")
    def watch_remove(request: Request, source_id: int) -> Response:
        _service(request).unwatch_source(source_id)
        return Response(status_code=204)

    @router.post(
        "/watch/rules", response_model=RuleOut, status_code=201, responses=ERRORS, summary="Add an alert rule"
    )
    def rule_add(request: Request, body: RuleIn) -> RuleOut:
        row = _service(request).add_rule(body.rule)
        return RuleOut(id=row.id, rule=str(rule_of(row)))

    @router.delete("/watch/rules/{rule_id}", status_code=204, responses=ERRORS, summary="Remove a rule")
    def rule_remove(request: Request, rule_id: int) -> Response:
        _service(request).remove_rule(rule_id)
        return Response(status_code=204)

    @router.get("/alerts", response_model=AlertsOut, summary="Alerts fired since a given id")
    def list_alerts(
        request: Request,
        after: Annotated[
            int | None, Query(ge=0, description="default: since last marked seen in the UI")
        ] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
    ) -> AlertsOut:
        rows, seen = _service(request).alerts(after, limit)
        return AlertsOut(
            after=seen,
            alerts=[
                AlertOut(
                    id=a.id,
                    story_id=a.story_id,
                    kind=a.kind,
                    message=a.message,
                    created_at=a.created_at,
                    payload=a.payload,
                )
                for a in rows
            ],
        )

    @router.get("/stories/{story_id}", response_model=StoryDetail, responses=ERRORS, summary="One story")
    def get_story(request: Request, story_id: str) -> StoryDetail:
        service = _service(request)
        row = service.story(story_id)
        articles = [
            StoryArticle(
                id=a.id,
                title=a.title,
                outlet=a.outlet,
                url=a.url,
                published=a.published,
                word_count=a.word_count,
            )
            for a in service.story_articles(story_id)
        ]
        return StoryDetail(story=Story.of(row), articles=articles)

    @router.get(
        "/stories/{story_id}/brief",
        responses={
            **ERRORS,
            200: {
                "description": "the brief: storyweave.brief/1 JSON, Markdown or a standalone HTML page",
                "content": {"application/json": {}, "text/markdown": {}, "text/html": {}},
            },
        },
        summary="A story's brief",
        description="Served from the store, never made while you wait: when articles joined the story "
        "since its brief was made, the stored brief is served with the header `X-Storyweave-Brief: updating` "
        "while a background worker makes the new one; a story with no brief yet answers 202 with "
        "`Retry-After` (or pass `wait=true` to have it made now). The JSON follows the storyweave.brief/1 "
        "contract (schema: src/storyweave/schema).",
    )
    def get_brief(
        request: Request,
        story_id: str,
        format: Literal["json", "md", "html"] = "json",
        wait: Annotated[bool, Query(description="make a missing or stale brief now and wait for it")] = False,
    ) -> Response:
        service = _service(request)
        if wait:
            brief, updating = service.make_brief_now(story_id), False
        else:
            brief, updating = service.brief_state(story_id)
        headers = {"x-storyweave-brief": "updating" if updating else "current"}
        if format == "md":
            return Response(
                brief_to_markdown(brief), media_type="text/markdown; charset=utf-8", headers=headers
            )
        if format == "html":
            return Response(
                brief_to_html(brief),
                media_type="text/html; charset=utf-8",
                headers={**headers, "content-security-policy": BRIEF_HTML_CSP},
            )
        return JSONResponse(brief.to_dict(), headers=headers)

    @router.get(
        "/articles/{article_id:path}",
        response_model=ArticleOut,
        responses=ERRORS,
        summary="An article with its cleaning log",
    )
    def get_article(request: Request, article_id: str) -> ArticleOut:
        doc = _service(request).article(article_id)
        art = doc.article
        return ArticleOut(
            id=art.id,
            title=art.title,
            outlet=art.outlet,
            url=art.url,
            published=art.published,
            published_estimated=art.published_estimated,
            language=art.language,
            source=public_source(art.source),
            word_count=art.word_count,
            text=art.text,
            raw_text=art.raw_text,
            removed=[RemovalOut(text=r.text, reason=r.reason, line=r.line) for r in art.removed],
            sentences=len(doc.sentences),
            quotes=len(doc.quotes),
        )

    @router.post(
        "/articles",
        response_model=IngestOut,
        status_code=201,
        responses={**ERRORS, 200: {"model": IngestOut, "description": "nothing new: all already stored"}},
        summary="Add articles by upload",
        description="Multipart upload of one or more files: plain text, HTML, JSON lines (or a JSON "
        "array) of article records, or an RSS/Atom feed (gzip too). The reader is chosen by `kind`, "
        "else by file suffix, else by the part's media type, else sniffed. All or nothing: if any file "
        "or record cannot be read or analysed, the answer is a 4xx naming it and nothing is stored.",
    )
    def upload_articles(
        request: Request,
        files: Annotated[list[UploadFile], File(description="the files to add")],
        kind: Annotated[UploadKind, Form(description="how to read the files")] = "auto",
    ) -> JSONResponse:
        articles: list[Article] = []
        cap = _service(request).config.max_upload_articles
        for index, upload in enumerate(files, 1):
            name = upload_name(upload.filename, index)
            data = upload.file.read()
            articles.extend(parse_upload(data, name, upload.content_type, kind, cap - len(articles)))
        return _ingest_response(_service(request).add_articles(articles, all_or_nothing=True))

    @router.post(
        "/articles/url",
        response_model=IngestOut,
        status_code=201,
        responses={**ERRORS, 200: {"model": IngestOut, "description": "nothing new: all already stored"}},
        summary="Add articles from a URL (a page or a feed)",
        description="Fetches the page or feed (each feed entry's page too when the feed holds teasers only). "
        "Loopback, private and link-local addresses are refused, redirects included. Entries that fail are "
        "listed in `errors`; the others are stored.",
    )
    def add_from_url(request: Request, body: UrlIn) -> JSONResponse:
        return _ingest_response(_service(request).add_url(body.url))

    return router
