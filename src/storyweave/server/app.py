"""The FastAPI application: the API, the UI, the guard in front of both, and error answers for each."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from storyweave import __version__, thresholds
from storyweave.outlets import OutletTable
from storyweave.server import api, ui
from storyweave.server.config import (
    DEFAULT_HOST,
    DEFAULT_MAX_UPLOAD_ARTICLES,
    DEFAULT_MAX_UPLOAD_BYTES,
    ServerConfig,
)
from storyweave.server.security import Guard, is_api_path
from storyweave.server.service import RequestFailed, StoreService

DESCRIPTION = (
    "Read and feed a storyweave store: list and search stories, get a story's cited brief (the "
    "storyweave.brief/1 JSON contract, Markdown or HTML), read an article with its cleaning log, add "
    "articles by upload or URL. When the server has a token, send `Authorization: Bearer TOKEN`."
)


def _error(request: Request, status: int, message: str, errors: list[str] | None = None) -> Response:
    if is_api_path(request.url.path):
        return JSONResponse({"detail": message, "errors": errors or []}, status_code=status)
    return ui.error_page(status, message, errors)


def create_app(
    db_path: str | Path,
    token: str | None = None,
    *,
    bind_host: str = DEFAULT_HOST,
    allowed_hosts: frozenset[str] | None = None,
    allow_private: bool = False,
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES,
    max_upload_articles: int = DEFAULT_MAX_UPLOAD_ARTICLES,
    brief_length: int = thresholds.SUMMARY_SENTENCES,
    outlets: OutletTable | None = None,
) -> FastAPI:
    """The web app serving the store at ``db_path`` (created if missing).

    ``token``: when given, every request must carry it (see :mod:`storyweave.server.security`); required
    when ``bind_host`` is not a loopback address. ``allow_private`` lets URL ingestion reach private
    addresses (for tests). ``outlets``: an outlet table for articles added through the server.
    Raises :class:`~storyweave.server.config.ConfigError` for an unsafe or invalid
    configuration and :class:`~storyweave.store.StoreError` when the store cannot be opened.
    """
    config = ServerConfig(
        db_path=Path(db_path),
        token=token or None,
        bind_host=bind_host,
        allowed_hosts=allowed_hosts,
        allow_private=allow_private,
        max_upload_bytes=max_upload_bytes,
        max_upload_articles=max_upload_articles,
        brief_length=brief_length,
        outlets=outlets,
    )
    service = StoreService(config)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        service.rebriefer.wake(None)  # brief what is stale in the store, in the background
        try:
            yield
        finally:
            service.close()

    app = FastAPI(
        title="storyweave",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,  # Swagger UI and ReDoc load scripts from a CDN: /api/docs is served instead
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=lifespan,
    )
    app.state.service = service
    app.state.config = config
    app.include_router(api.build_router())
    app.include_router(ui.build_router())

    @app.exception_handler(RequestFailed)
    async def failed(request: Request, exc: RequestFailed) -> Response:
        response = _error(request, exc.status, exc.message, exc.errors)
        if exc.status == 202:  # a brief being made in the background
            response.headers["retry-after"] = "2"
        return response

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        response = _error(request, exc.status_code, str(exc.detail))
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        if is_api_path(request.url.path):
            return await request_validation_exception_handler(request, exc)
        problems = [f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}" for e in exc.errors()]
        return ui.error_page(422, "invalid request", problems)

    app.add_middleware(Guard, config=config)
    return app
