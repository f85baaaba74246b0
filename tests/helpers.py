"""Builders for analysed articles without spaCy, so stage tests stay fast and exact."""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from storyweave.model import AnalysedArticle, Article, Sentence

_SPLIT = re.compile(r"(?<=[.!?”\"])\s+(?=[A-Z“\"])")


def make_doc(
    article_id: str, body: str, title: str | None = None, published: str | None = None
) -> AnalysedArticle:
    """An AnalysedArticle with sentences from a simple regex split of ``body`` (a paragraph per line)."""
    paragraphs = [p.strip() for p in body.strip().splitlines() if p.strip()]
    text = "\n\n".join(paragraphs)
    sentences: list[Sentence] = []
    pos = 0
    for para_index, para in enumerate(paragraphs):
        start_para = text.index(para, pos)
        for piece in _SPLIT.split(para):
            start = text.index(piece, start_para)
            sentences.append(
                Sentence(
                    id=f"{article_id}#{len(sentences)}",
                    article_id=article_id,
                    index=len(sentences),
                    text=piece,
                    start=start,
                    end=start + len(piece),
                    paragraph=para_index,
                )
            )
            start_para = start + len(piece)
        pos = start_para
    article = Article(id=article_id, raw_text=text, text=text, title=title, published=published)
    return AnalysedArticle(article=article, sentences=sentences)


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request: Any, client_address: Any) -> None:
        return  # clients that time out on purpose leave broken pipes behind


@contextmanager
def loopback_server(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """A threaded HTTP server on 127.0.0.1 (a free port) answering with ``handler``; yields its base URL."""
    server = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def require_browser() -> Any:
    """Playwright's sync API, or a skip (developer machine) / failure (CI) saying what is missing."""
    missing = None
    try:
        from playwright import sync_api
    except ImportError:
        missing = "playwright (make install-dev)"
    if missing is None and CHROMIUM is None:
        missing = "chromium (run scripts/install-browser.sh)"
    if missing is not None:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests need {missing}")
        pytest.skip(f"browser tests need {missing}")
    return sync_api
