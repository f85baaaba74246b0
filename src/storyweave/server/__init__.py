"""The HTTP API and web UI over a store (``storyweave serve``): :func:`create_app` builds the app."""

from storyweave.server.app import create_app
from storyweave.server.config import ConfigError, ServerConfig, is_loopback

__all__ = ["ConfigError", "ServerConfig", "create_app", "is_loopback"]
