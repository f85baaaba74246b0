"""Plain-text articles: bytes in any common encoding (see encoding.decode_bytes) to a raw Article.

The text keeps every line as read; cleaning later finds the title, metadata and boilerplate in it.
"""

from __future__ import annotations

from storyweave.ingest.encoding import decode_bytes, looks_binary
from storyweave.ingest.safety import safe_article
from storyweave.model import Article

__all__ = ["looks_binary", "read_text"]


def read_text(data: bytes, article_id: str, source: str) -> Article:
    """An Article from the bytes of a plain-text input; raises InputError for empty, binary, undecodable
    or oversized bytes (gzip is undone, UTF-8/16/32, Windows-1252 and Latin-1 are read), and for text
    over the character cap (see ingest.safety)."""
    return safe_article(Article(id=article_id, raw_text=decode_bytes(data, source), source=source))
