"""The HTTP API and web UI over a store (``storyweave serve``): :func:`create_app` builds the app.

``create_app`` is imported on first use, so that the command line can register ``serve`` without
importing FastAPI (and runs without the server extra installed).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from storyweave.server.config import ConfigError, ServerConfig, is_loopback

if TYPE_CHECKING:
    from storyweave.server.app import create_app

__all__ = ["ConfigError", "ServerConfig", "create_app", "is_loopback"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from storyweave.server.app import create_app

        return create_app
    raise AttributeError(f"module 'storyweave.server' has no attribute {name!r}")
