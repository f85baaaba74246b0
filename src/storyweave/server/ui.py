"""The web UI: server-rendered pages with no JavaScript (links, forms and ``<details>`` do the work).

Pages: the story list (search, sort, pages), a story's brief, one fact compared across sources, an article
with what cleaning removed, a form to add articles, and the API reference.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from functools import lru_cache
from importlib import resources
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined

from storyweave.model import Article
from storyweave.server.service import (
    SORT_KEYS,
    IngestReport,
    RequestFailed,
    SortKey,
    StoreService,
    UploadKind,
    parse_upload,
    pasted_article,
    upload_name,
)
from storyweave.server.views import (
    api_docs_view,
    article_view,
    brief_page_view,
    compare_view,
    stories_view,
    story_href,
)
from storyweave.server.workspace_views import alert_view, rule_view, search_view, source_view
from storyweave.store.search import Filters, Hit

STORIES_PER_PAGE = 50
HITS_PER_PAGE = 20
ALERTS_SHOWN = 20
DATE_OR_EMPTY = r"^(\d{4}-\d{2}-\d{2})?$"
# Rendered brief pages kept in memory, by total size: a big story's page is ~150 kB and takes ~80 ms to
# build, so revisiting a story (the usual way of working) is served from here while its version holds.
PAGE_CACHE_BYTES = 32 * 1024 * 1024


class PageCache:
    """Rendered pages by key, least recently used dropped first once ``budget`` characters are held.

    Keys carry the story's version and the version its brief was made from, so a page is never served for
    a story whose articles or brief changed since it was rendered.
    """

    def __init__(self, budget: int = PAGE_CACHE_BYTES) -> None:
        self.budget = budget
        self._pages: OrderedDict[tuple[str, int, int | None], str] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: tuple[str, int, int | None]) -> str | None:
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: tuple[str, int, int | None], page: str) -> None:
        if len(page) > self.budget:
            return
        with self._lock:
            old = self._pages.pop(key, None)
            self._size -= len(old) if old is not None else 0
            self._pages[key] = page
            self._size += len(page)
            while self._size > self.budget:
                _, dropped = self._pages.popitem(last=False)
                self._size -= len(dropped)


@lru_cache(maxsize=1)
def environment() -> Environment:
    """Templates from the package, autoescaping on for every one of them, undefined names an error."""
    return Environment(
        # the brief page reuses the one-pager partial of the HTML renderer (render/templates/onepage.html.j2)
        loader=ChoiceLoader(
            [PackageLoader("storyweave.server", "templates"), PackageLoader("storyweave.render", "templates")]
        ),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@lru_cache(maxsize=1)
def stylesheet() -> bytes:
    return (resources.files("storyweave.server") / "static" / "style.css").read_bytes()


def render(name: str, status_code: int = 200, **values: Any) -> HTMLResponse:
    """A page from template ``name``."""
    return HTMLResponse(environment().get_template(name).render(**values), status_code=status_code)


def error_page(status: int, message: str, errors: list[str] | None = None) -> HTMLResponse:
    return render(
        "error.html.j2",
        status,
        title=f"Error {status}",
        status=status,
        message=message,
        errors=errors or [],
        retry_href=None,
    )


def _service(request: Request) -> StoreService:
    service: StoreService = request.app.state.service
    return service


def _report_view(report: IngestReport) -> dict[str, Any]:
    return {
        "added": [
            {
                "id": a.article_id,
                "story_href": story_href(a.story_id),
                "story_id": a.story_id,
                "new": a.new_story,
            }
            for a in report.added
        ],
        "already_stored": report.already_stored,
        "notices": report.notices,
        "errors": report.errors,
    }


def build_router() -> APIRouter:
    """The page routes."""
    router = APIRouter(include_in_schema=False)
    pages = PageCache()

    @router.get("/", response_class=HTMLResponse)
    def stories_page(
        request: Request,
        q: Annotated[str, Query(max_length=500)] = "",
        sort: str = "recent",
        page: Annotated[int, Query(ge=1)] = 1,
        outlet: Annotated[str, Query(max_length=200)] = "",
        lean: Annotated[str, Query(max_length=100)] = "",
        language: Annotated[str, Query(max_length=20)] = "",
        since: Annotated[str, Query(pattern=DATE_OR_EMPTY)] = "",
        until: Annotated[str, Query(pattern=DATE_OR_EMPTY)] = "",
        min_size: Annotated[str, Query(pattern=r"^\d{0,6}$")] = "",  # a form's empty box sends ""
        one_side: bool = False,
    ) -> HTMLResponse:
        service = _service(request)
        key: SortKey = sort if sort in SORT_KEYS else "recent"  # type: ignore[assignment]
        offset = (page - 1) * STORIES_PER_PAGE
        size = int(min_size or 0)
        filters = Filters(outlet.strip(), language.strip(), lean.strip(), since, until, size, 0, one_side)
        found = service.stories(q.strip(), key, offset, STORIES_PER_PAGE, filters)
        facets = service.facets([r.id for r in found.rows])
        shown = {
            "outlet": outlet.strip(),
            "lean": lean.strip(),
            "language": language.strip(),
            "since": since,
            "until": until,
            "min_size": str(size) if size else "",
            "one_side": "1" if one_side else "",
        }
        fired, seen = service.alerts(None, ALERTS_SHOWN)
        view = stories_view(found.rows, found.total, q.strip(), key, page, STORIES_PER_PAGE, facets, shown)
        view["alerts"] = [alert_view(a) for a in fired]
        view["alerts_upto"] = max((a.id for a in fired), default=seen)
        return render("stories.html.j2", **view)

    @router.get("/search", response_class=HTMLResponse)
    def search_page(
        request: Request,
        q: Annotated[str, Query(max_length=500)] = "",
        page: Annotated[int, Query(ge=1)] = 1,
        outlet: Annotated[str, Query(max_length=200)] = "",
        lean: Annotated[str, Query(max_length=100)] = "",
        language: Annotated[str, Query(max_length=20)] = "",
        since: Annotated[str, Query(pattern=DATE_OR_EMPTY)] = "",
        until: Annotated[str, Query(pattern=DATE_OR_EMPTY)] = "",
    ) -> HTMLResponse:
        service = _service(request)
        filters = Filters(outlet.strip(), language.strip(), lean.strip(), since, until)
        total, hits = 0, list[Hit]()
        if q.strip():
            total, hits = service.search(q, filters, HITS_PER_PAGE, (page - 1) * HITS_PER_PAGE)
        headlines = service.headlines(sorted({h.story_id for h in hits}))
        shown = {"outlet": outlet, "lean": lean, "language": language, "since": since, "until": until}
        view = search_view(q.strip(), total, hits, headlines, shown, page, HITS_PER_PAGE)
        return render("search.html.j2", **view)

    @router.get("/watch", response_class=HTMLResponse)
    def watch_page(request: Request) -> HTMLResponse:
        return _watch_page(request, None)

    def _watch_page(request: Request, problem: RequestFailed | None) -> HTMLResponse:
        service = _service(request)
        sources, rules = service.watch_list()
        fired = service.recent_alerts(ALERTS_SHOWN)
        return render(
            "watch.html.j2",
            problem.status if problem else 200,
            title="Watch list and alerts",
            sources=[source_view(s) for s in sources],
            rules=[rule_view(r) for r in rules],
            alerts=[alert_view(a) for a in fired],
            error=problem.message if problem else None,
        )

    @router.post("/watch/sources", response_class=HTMLResponse)
    def watch_add(
        request: Request,
        target: Annotated[str, Form(max_length=2000)],
        every: Annotated[str, Form(max_length=20)] = "15m",
    ) -> Response:
        try:
            _service(request).watch_source(target, every)
        except RequestFailed as err:
            return _watch_page(request, err)
        return RedirectResponse("/watch", status_code=303)

    @router.post("/watch/sources/{source_id}/remove")
    def watch_remove(request: Request, source_id: int) -> Response:
        _service(request).unwatch_source(source_id)
        return RedirectResponse("/watch", status_code=303)

    @router.post("/watch/rules", response_class=HTMLResponse)
    def rule_add(request: Request, rule: Annotated[str, Form(max_length=300)]) -> Response:
        try:
            _service(request).add_rule(rule)
        except RequestFailed as err:
            return _watch_page(request, err)
        return RedirectResponse("/watch", status_code=303)

    @router.post("/watch/rules/{rule_id}/remove")
    def rule_remove(request: Request, rule_id: int) -> Response:
        _service(request).remove_rule(rule_id)
        return RedirectResponse("/watch", status_code=303)

    @router.post("/alerts/seen")
    def alerts_seen(request: Request, upto: Annotated[int, Form(ge=0)]) -> Response:
        _service(request).mark_alerts_seen(upto)
        return RedirectResponse("/", status_code=303)

    @router.get("/stories/{story_id}", response_class=HTMLResponse)
    def brief_page(request: Request, story_id: str) -> HTMLResponse:
        service = _service(request)
        row = service.story(story_id)
        cached = pages.get((row.id, row.version, row.briefed_version))
        if cached is not None:
            return HTMLResponse(cached)
        try:
            brief, updating = service.brief_state(story_id)
        except RequestFailed as err:
            if err.status != 202:
                raise
            return render(
                "error.html.j2",
                202,
                title="Brief being made",
                status=202,
                message=f"The brief of “{row.headline}” is being made in the background. "
                "Reload this page in a few seconds.",
                errors=[],
                retry_href=story_href(story_id),
            )
        view = brief_page_view(brief, row)
        if updating:
            view["brief_note"] = (
                "updating: articles arrived since this brief was made; a new one is being made"
            )
            view["notice"] = "This brief is being updated: it was made before the latest articles arrived."
        page = environment().get_template("brief.html.j2").render(**view)
        pages.put((row.id, row.version, row.briefed_version), page)
        return HTMLResponse(page)

    @router.get("/stories/{story_id}/facts/{fact_id}", response_class=HTMLResponse)
    def compare_page(request: Request, story_id: str, fact_id: str) -> HTMLResponse:
        view = compare_view(_service(request).brief(story_id), fact_id)
        if view is None:
            raise RequestFailed(404, f"no fact {fact_id!r} in story {story_id!r}")
        return render("compare.html.j2", **view)

    @router.get("/stories/{story_id}/articles/{article_id:path}", response_class=HTMLResponse)
    def article_page(
        request: Request, story_id: str, article_id: str, hl: Annotated[int | None, Query(ge=0)] = None
    ) -> HTMLResponse:
        service = _service(request)
        if article_id not in {a.id for a in service.story_articles(story_id)}:
            raise RequestFailed(404, f"no article {article_id!r} in story {story_id!r}")
        return render("article.html.j2", **article_view(service.article(article_id), story_id, hl))

    @router.get("/add", response_class=HTMLResponse)
    def add_form() -> HTMLResponse:
        return render("add.html.j2", title="Add articles", report=None, error=None)

    @router.post("/add", response_class=HTMLResponse)
    def add_submit(
        request: Request,
        files: Annotated[list[UploadFile] | None, File()] = None,
        url: Annotated[str, Form()] = "",
        kind: Annotated[UploadKind, Form()] = "auto",
        text: Annotated[str, Form(max_length=2_000_000)] = "",
        outlet: Annotated[str, Form(max_length=200)] = "",
        article_url: Annotated[str, Form(max_length=2000)] = "",
    ) -> HTMLResponse:
        service = _service(request)
        try:
            if url.strip():
                report = service.add_url(url)
            elif text.strip():
                report = service.add_articles(
                    [pasted_article(text, outlet, article_url)], all_or_nothing=True
                )
            else:
                articles: list[Article] = []
                chosen = [f for f in files or [] if f.filename]
                if not chosen:
                    raise RequestFailed(400, "choose a file to upload, or give a URL")
                cap = service.config.max_upload_articles
                for index, upload in enumerate(chosen, 1):
                    name = upload_name(upload.filename, index)
                    data = upload.file.read()
                    articles.extend(parse_upload(data, name, upload.content_type, kind, cap - len(articles)))
                report = service.add_articles(articles, all_or_nothing=True)
        except RequestFailed as err:
            return render(
                "add.html.j2",
                err.status,
                title="Add articles",
                report=None,
                error={"message": err.message, "errors": err.errors},
            )
        status = 201 if report.added else 200
        return render("add.html.j2", status, title="Added", report=_report_view(report), error=None)

    @router.get("/api/docs", response_class=HTMLResponse)
    def api_docs(request: Request) -> HTMLResponse:
        return render("api.html.j2", **api_docs_view(request.app.openapi()))

    @router.get("/static/style.css")
    def style() -> Response:
        return Response(
            stylesheet(),
            media_type="text/css; charset=utf-8",
            headers={"cache-control": "private, max-age=3600"},
        )

    return router
