"""How a storyweave server is set up: which store, which address, which token, which limits.

The rules that keep a server from being opened to the network by accident live here, so that both the
command line and :func:`storyweave.server.create_app` enforce them: a server bound to anything but a
loopback address needs a token, and a token must be long enough not to be guessed.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from dataclasses import dataclass, field
from pathlib import Path

from storyweave import thresholds
from storyweave.outlets import OutletTable

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
TOKEN_ENV = "STORYWEAVE_TOKEN"
# A request body (one upload, all its files together) above this is refused with 413 before it is read.
DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Articles one upload may hold (a JSON-lines export can pack many): each is analysed in the request.
DEFAULT_MAX_UPLOAD_ARTICLES = 500
# A token shorter than this is refused: `secrets.token_urlsafe()` gives 43 characters.
MIN_TOKEN_CHARS = 16
SESSION_COOKIE = "storyweave_session"
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


class ConfigError(ValueError):
    """The server cannot start as configured; the message says why and what to do."""


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (``127.0.0.0/8``, ``::1``), with or without brackets."""
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class ServerConfig:
    """Everything a server needs besides its code.

    ``allowed_hosts``: Host header names accepted (any port); ``None`` means the loopback names when
    bound to a loopback address (so that a web page cannot reach the server through DNS rebinding) and
    any name otherwise (the token guards it then). ``allow_private`` lets URL ingestion reach loopback and
    private addresses: for tests that serve feeds locally, never exposed on the command line.
    ``outlets``: the user's outlet table, naming outlets (and their lean) of articles added here.
    """

    db_path: Path
    token: str | None = None
    bind_host: str = DEFAULT_HOST
    allowed_hosts: frozenset[str] | None = None
    allow_private: bool = False
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES
    max_upload_articles: int = DEFAULT_MAX_UPLOAD_ARTICLES
    brief_length: int = thresholds.SUMMARY_SENTENCES
    outlets: OutletTable | None = field(default=None, compare=False)
    _session: str = field(default="", init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.token is not None and len(self.token) < MIN_TOKEN_CHARS:
            raise ConfigError(
                f"the token must be at least {MIN_TOKEN_CHARS} characters "
                "(make one with: python -c 'import secrets; print(secrets.token_urlsafe())')"
            )
        if self.token is None and not is_loopback(self.bind_host):
            raise ConfigError(
                f"refusing to serve on {self.bind_host} without a token: anyone who can reach it could read "
                f"and add articles; give --token or set {TOKEN_ENV} (or bind to 127.0.0.1)"
            )
        if self.max_upload_bytes < 1 or self.max_upload_articles < 1 or self.brief_length < 1:
            raise ConfigError("upload limits and the brief length must be positive")
        if self.token is not None:
            # The UI cookie holds a value derived from the token, not the token itself.
            digest = hmac.new(self.token.encode(), b"storyweave ui session", hashlib.sha256).hexdigest()
            object.__setattr__(self, "_session", digest)

    @property
    def session_value(self) -> str:
        """The cookie value that stands for the token in a browser ("" without a token)."""
        return self._session

    def host_allowed(self, host_header: str) -> bool:
        """Whether a request's Host header names this server (see ``allowed_hosts``)."""
        allowed = self.allowed_hosts
        if allowed is None:
            if not is_loopback(self.bind_host):
                return True
            allowed = LOOPBACK_NAMES
        name = host_header.strip().lower()
        if name.startswith("["):  # [::1]:8000
            name = name[1 : name.find("]")] if "]" in name else name[1:]
        elif name.count(":") == 1:
            name = name.split(":", 1)[0]
        return name in allowed or (allowed is LOOPBACK_NAMES and is_loopback(name))
