"""Bytes to text for every reader: size caps, gzip, byte-order marks, UTF-8 and legacy encodings.

Encoding detection is charset-normalizer's; this module only decides when to trust its guess. Short news
texts in Windows-1252 are where it is weakest (a curly quote or a euro sign is as likely in cp775 or
mac_iceland to its measure), so Windows-1252 is preferred whenever it decodes the bytes about as cleanly as
the best guess: it is the encoding WHATWG tells browsers to assume for unlabelled Western text.
"""

from __future__ import annotations

import codecs
import unicodedata
import zlib
from typing import BinaryIO

from charset_normalizer import from_bytes

from storyweave.model import InputError

# Inputs larger than this are refused rather than read: no news article, feed or export of a day's
# articles is 20 MB of text. The cap also bounds what gzip may decompress to.
MAX_INPUT_BYTES = 20 * 1024 * 1024

GZIP_MAGIC = b"\x1f\x8b"

# A legacy-encoding guess is accepted only when charset-normalizer's "chaos" (its mess ratio: odd accents,
# symbol runs, mixed scripts) is at most this. Hand-set: correct guesses on the test fixtures score 0.0-0.02;
# a Windows-1252 reading of Cyrillic or Japanese bytes scores over 0.2 (and is dropped by the library).
MAX_ENCODING_CHAOS = 0.1
# Windows-1252 wins over the best guess when its chaos is within this of the best one (see module doc).
WESTERN_CHAOS_SLACK = 0.05
# Decoded text may hold at most this share of characters that never occur in prose (C0/C1 controls,
# private-use, unassigned, surrogates, U+FFFD); above it, the bytes were not text or the guess was wrong.
MAX_BAD_CHAR_SHARE = 0.01
# How many leading characters that check looks at: enough to tell, cheap on a 20 MB input.
TEXT_CHECK_CHARS = 65536

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")


def too_large(source: str, size: int, limit: int) -> InputError:
    """The error for an input over a size cap, in the one wording every reader uses."""
    return InputError(source, f"too large ({size:,} bytes; limit {limit:,})")


def read_limited(stream: BinaryIO, source: str, limit: int = MAX_INPUT_BYTES) -> bytes:
    """At most ``limit`` bytes of ``stream``; raises InputError instead of reading a larger input whole."""
    try:
        data = stream.read(limit + 1)
    except OSError as err:
        raise InputError(source, f"cannot read ({err.strerror or err})") from None
    if len(data) > limit:
        raise InputError(source, f"too large (more than {limit:,} bytes; limit {limit:,})")
    return data


def maybe_gunzip(data: bytes, source: str, limit: int = MAX_INPUT_BYTES) -> bytes:
    """``data`` decompressed when it starts with the gzip magic bytes, else ``data`` unchanged.

    Decompression stops one byte past ``limit``, so a gzip bomb costs at most ``limit`` bytes of memory.
    Concatenated gzip members (what ``cat a.gz b.gz`` makes) are all decompressed.
    """
    if not data.startswith(GZIP_MAGIC):
        return data
    out = bytearray()
    rest = data
    while True:
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        try:
            out += inflater.decompress(rest, limit - len(out) + 1)
        except zlib.error as err:
            raise InputError(source, f"corrupt gzip ({err})") from None
        if len(out) > limit:
            raise InputError(
                source, f"too large (decompresses to more than {limit:,} bytes; limit {limit:,})"
            )
        if not inflater.eof:
            raise InputError(source, "truncated gzip")
        rest = inflater.unused_data
        # Like the gzip tool: zero padding after the last member is fine, anything else ends the stream.
        if not rest.startswith(GZIP_MAGIC):
            return bytes(out)


def decode_bytes(data: bytes, source: str) -> str:
    """Text of ``data`` with newlines normalised to ``\\n``; raises InputError when it is not text.

    Order: gzip is undone; a byte-order mark decides (UTF-8, UTF-16, UTF-32); then strict UTF-8; then a
    legacy encoding guessed by charset-normalizer, accepted only when it is confident and the result reads
    as text. Empty input, binary data and bytes with no trustworthy reading are refused.
    """
    if len(data) > MAX_INPUT_BYTES:
        raise too_large(source, len(data), MAX_INPUT_BYTES)
    data = maybe_gunzip(data, source, MAX_INPUT_BYTES)
    if not data.strip():
        raise InputError(source, "empty input")
    text = _decode_with_bom(data, source)
    if text is None:
        if looks_binary(data):
            raise InputError(source, "binary data, not text")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _decode_legacy(data, source)
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(source, "empty input")
    if not looks_like_text(text):
        raise InputError(source, "binary data, not text")
    return text


def looks_binary(data: bytes, sample: int = 8192) -> bool:
    """True when the head of ``data`` has NUL bytes or is mostly control characters (images, archives...)."""
    head = data[:sample]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls > max(8, len(head) // 20)


def looks_like_text(text: str) -> bool:
    """True when the head of ``text`` has (almost) no characters that never occur in prose."""
    head = text[:TEXT_CHECK_CHARS]
    if not head:
        return False
    bad = sum(1 for ch in head if _is_bad_char(ch))
    return bad <= max(2, int(len(head) * MAX_BAD_CHAR_SHARE))


def _is_bad_char(ch: str) -> bool:
    if ch in _ALLOWED_CONTROLS:
        return False
    if ch == "\ufffd":
        return True
    # Cc controls, Co private use, Cn unassigned, Cs lone surrogates; Cf (zero-width, soft hyphen) is
    # common in scraped text and allowed.
    return unicodedata.category(ch) in ("Cc", "Co", "Cn", "Cs")


def _decode_with_bom(data: bytes, source: str) -> str | None:
    """Text decoded by the codec its byte-order mark names, or None when there is no BOM."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as err:
                if codec == "utf-32":
                    continue  # an FF FE 00 00 start may be UTF-16 with a leading NUL character
                name = codec.removesuffix("-sig").upper()
                raise InputError(
                    source, f"not valid {name} despite its byte-order mark (offset {err.start})"
                ) from None
    return None


def _decode_legacy(data: bytes, source: str) -> str:
    """Text of non-UTF-8 bytes in the legacy encoding charset-normalizer finds, when it is confident."""
    best = from_bytes(data).best()
    western = from_bytes(data, cp_isolation=["cp1252"]).best()
    choice = best
    if western is not None and (best is None or western.chaos <= best.chaos + WESTERN_CHAOS_SLACK):
        choice = western
    if choice is None or choice.chaos > MAX_ENCODING_CHAOS:
        raise InputError(source, "not UTF-8 and no confident guess of its encoding")
    try:
        return data.decode(choice.encoding)
    except (UnicodeDecodeError, LookupError):
        raise InputError(source, f"not UTF-8 and not valid {choice.encoding} either") from None
