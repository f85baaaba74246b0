"""The HTTP API under ``/api``: stories, briefs (contract JSON, Markdown, HTML), articles with their
cleaning log, and adding articles by upload or by URL. Its OpenAPI document is ``/api/openapi.json``."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

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

    @classmethod
    def of(cls, row: StoryRow) -> Story:
        return cls(**row.to_dict())


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
        q: Annotated[str, Query(description="words that must all appear in the headline (or id)")] = "",
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
        page = _service(request).stories(q, sort, offset, limit)
        return StoryList(
            total=page.total, offset=offset, limit=limit, stories=[Story.of(r) for r in page.rows]
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
        description="Served from the store when current; made anew (and stored) when articles joined "
        "the story since. The JSON follows the storyweave.brief/1 contract (schema: src/storyweave/schema).",
    )
    def get_brief(
        request: Request, story_id: str, format: Literal["json", "md", "html"] = "json"
    ) -> Response:
        brief = _service(request).brief(story_id)
        if format == "md":
            return Response(brief_to_markdown(brief), media_type="text/markdown; charset=utf-8")
        if format == "html":
            return Response(
                brief_to_html(brief),
                media_type="text/html; charset=utf-8",
                headers={"content-security-policy": BRIEF_HTML_CSP},
            )
        return JSONResponse(brief.to_dict())

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
        articles = []
        for index, upload in enumerate(files, 1):
            name = upload_name(upload.filename, index)
            data = upload.file.read()
            articles.extend(parse_upload(data, name, upload.content_type, kind))
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
