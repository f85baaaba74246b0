"""Plain-text articles: decode bytes strictly and reject what is not text."""

from __future__ import annotations

from storyweave.model import Article, InputError

# Inputs larger than this are refused rather than read: no news article is 20 MB of text.
MAX_TEXT_BYTES = 20 * 1024 * 1024


def decode_text(data: bytes, source: str) -> str:
    """UTF-8 text of ``data`` (a BOM is dropped); raises InputError for empty, binary or undecodable bytes."""
    if not data.strip():
        raise InputError(source, "empty input")
    if len(data) > MAX_TEXT_BYTES:
        raise InputError(source, f"too large ({len(data):,} bytes; limit {MAX_TEXT_BYTES:,})")
    if looks_binary(data):
        raise InputError(source, "binary data, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(
            source, f"not valid UTF-8 (byte 0x{data[err.start]:02x} at offset {err.start})"
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(source, "empty input")
    return text


def looks_binary(data: bytes, sample: int = 8192) -> bool:
    """True when the head of ``data`` has NUL bytes or is mostly control characters (images, archives...)."""
    head = data[:sample]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls > max(8, len(head) // 20)


def read_text(data: bytes, article_id: str, source: str) -> Article:
    """An Article from the bytes of a plain-text file; cleaning later finds its title and metadata."""
    return Article(id=article_id, raw_text=decode_text(data, source), source=source)
