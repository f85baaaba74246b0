"""Render stage: a :class:`~storyweave.model.Brief` as contract JSON, Markdown or a standalone HTML page.

``RENDERERS`` maps an output file extension to its renderer, so callers can pick one by file name.
"""

from __future__ import annotations

from collections.abc import Callable

from storyweave.model import Brief
from storyweave.render.html import brief_to_html
from storyweave.render.jsonout import brief_to_json, load_schema, validate_brief
from storyweave.render.markdown import brief_to_markdown

RENDERERS: dict[str, Callable[[Brief], str]] = {
    "json": brief_to_json,
    "md": brief_to_markdown,
    "html": brief_to_html,
}

__all__ = [
    "RENDERERS",
    "brief_to_html",
    "brief_to_json",
    "brief_to_markdown",
    "load_schema",
    "validate_brief",
]
