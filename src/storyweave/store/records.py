"""Typed checks of store export records before they are restored or merged (``storyweave import``).

An export is untrusted input like any other: a record whose fields have the wrong types (``"seq": "7"``,
an article title that is a number, a sentence offset that is a string) is refused with one line naming the
field, instead of being coerced into the store or failing later inside a stage. Checks are pydantic's, in
strict mode, over the same dataclasses the store writes (so a field added to ``model.py`` is checked too).
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from storyweave.ingest.safety import MAX_TEXT_CHARS, safe_text
from storyweave.model import AnalysedArticle, Brief


class _Envelope(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")


class _Header(_Envelope):
    kind: Literal["header"]
    format: str
    schema_version: int


class _ArticleRecord(_Envelope):
    kind: Literal["article"]
    seq: int
    story_id: str
    added_at: str
    doc: dict[str, Any]


class _StoryRecord(_Envelope):
    kind: Literal["story"]
    id: str
    headline: str
    article_count: int
    independent_count: int
    first_seen: str | None
    last_seen: str | None
    syndication: dict[str, Any]
    version: int
    created_at: str
    updated_at: str


class _BriefRecord(_Envelope):
    kind: Literal["brief"]
    story_id: str
    story_version: int
    length: int
    brief: dict[str, Any]
    created_at: str


class _GrouperRecord(_Envelope):
    kind: Literal["grouper"]
    upto_seq: int
    state: dict[str, Any]
    saved_at: str


_ENVELOPES: dict[str, type[_Envelope]] = {
    "header": _Header,
    "article": _ArticleRecord,
    "story": _StoryRecord,
    "brief": _BriefRecord,
    "grouper": _GrouperRecord,
}


@cache
def _adapter(cls: type[Any]) -> TypeAdapter[Any]:
    return TypeAdapter(cls)


def check_record(record: dict[str, Any]) -> None:
    """Raise ValueError (one line naming the field) when an export record is not what the store writes.

    Articles are checked field by field against :class:`AnalysedArticle`, and their text must be what the
    readers let through (no control characters or lone surrogates, at most MAX_TEXT_CHARS characters);
    briefs against :class:`Brief`.
    """
    kind = record.get("kind")
    envelope = _ENVELOPES.get(kind) if isinstance(kind, str) else None
    if envelope is None:
        raise ValueError(f"unknown record kind {kind!r}")
    try:
        envelope.model_validate(record)
        if kind == "article":
            doc: AnalysedArticle = _adapter(AnalysedArticle).validate_json(
                json.dumps(record["doc"]), strict=True
            )
            article = doc.article
            if len(article.raw_text) > MAX_TEXT_CHARS:
                raise ValueError(f"article text longer than {MAX_TEXT_CHARS:,} characters")
            for name in ("raw_text", "text", "title", "id"):
                value = getattr(article, name)
                if value is not None and safe_text(value) != value:
                    raise ValueError(f"article {name} holds control characters or lone surrogates")
        elif kind == "brief":
            _adapter(Brief).validate_json(json.dumps(record["brief"]), strict=True)
    except ValidationError as err:
        raise ValueError(_one_line(err)) from None
    except UnicodeEncodeError:
        raise ValueError("holds lone surrogates") from None


def _one_line(err: ValidationError) -> str:
    first = err.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "record"
    more = f" (and {err.error_count() - 1} more)" if err.error_count() > 1 else ""
    return f"field {where}: {first['msg']}{more}"
