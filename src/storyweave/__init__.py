"""storyweave: many news reports of the same event in, one verified story out.

The public API is :func:`weave` (inputs in, :class:`~storyweave.model.Brief` objects out) and :func:`run`,
which also returns the inputs that could not be read. They are imported on first use, so that importing a
single stage (``storyweave.clean``) does not load spaCy and every other stage.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from storyweave.model import Article, Brief, InputError
    from storyweave.pipeline import WeaveResult, run, weave

__all__ = ["Article", "Brief", "InputError", "WeaveResult", "run", "weave"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # the data model too is imported on first use: `storyweave --version` needs none of it
    if name in ("Article", "Brief", "InputError"):
        from storyweave import model

        return getattr(model, name)
    if name in ("WeaveResult", "run", "weave"):
        from storyweave import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'storyweave' has no attribute {name!r}")
