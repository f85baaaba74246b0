"""The guard in front of every request: Host check, same-origin writes, the token, body size, headers.

One pure ASGI middleware rather than several, so that the order is explicit: a request is checked for a
Host that names this server (DNS rebinding), for a same-origin source when it changes something (a page on
another site posting a form to 127.0.0.1), for the token when one is configured, and for its body size
while it is read; every response then gets the security headers (a strict Content-Security-Policy with no
script source at all, nosniff, no referrer, no framing).
"""

from __future__ import annotations

import hmac
import json
from html import escape
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from storyweave.server.config import SESSION_COOKIE, ServerConfig

# No script source: the UI has no JavaScript. Styles only from the server's own stylesheet.
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class BodyTooLarge(HTTPException):
    """A request body passed the upload limit while it was being read."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body too large (limit {limit:,} bytes)")


def is_api_path(path: str) -> bool:
    return path == "/api" or path.startswith("/api/")


def _headers(scope: Scope) -> dict[str, str]:
    """Request headers, lower-cased names, the last value of a repeated header winning."""
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


class Guard:
    """ASGI middleware enforcing :class:`ServerConfig`'s host, token and size rules on every request."""

    def __init__(self, app: ASGIApp, config: ServerConfig) -> None:
        self.app = app
        self.config = config

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        send = self._with_headers(send)
        headers = _headers(scope)
        path: str = scope.get("path", "/")
        method: str = scope.get("method", "GET")
        api = is_api_path(path)
        if not self.config.host_allowed(headers.get("host", "")):
            await _reply(
                send, 400, "unexpected Host header: this server answers to its own address only", api
            )
            return
        if method not in SAFE_METHODS and not _same_origin(headers):
            await _reply(send, 403, "cross-origin request refused", api)
            return
        if self.config.token is not None:
            query = scope.get("query_string", b"").decode("latin-1")
            offered = [v for k, v in parse_qsl(query, keep_blank_values=True) if k == "token"]
            if offered and method == "GET" and not api:
                await self._login(scope, send, offered[-1], query)
                return
            if not self._authorised(headers):
                await _unauthorised(send, api)
                return
        limit = self.config.max_upload_bytes
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await _reply(send, 413, f"request body too large ({int(declared):,} bytes; limit {limit:,})", api)
            return
        await self.app(scope, _limited(receive, limit), send)

    def _authorised(self, headers: dict[str, str]) -> bool:
        token = self.config.token or ""
        auth = headers.get("authorization", "")
        scheme, _, value = auth.partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(value.strip().encode(), token.encode()):
            return True
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get("cookie", ""))
        except Exception:  # a malformed Cookie header is no session, not a server error
            return False
        morsel = cookie.get(SESSION_COOKIE)
        return morsel is not None and hmac.compare_digest(
            morsel.value.encode(), self.config.session_value.encode()
        )

    async def _login(self, scope: Scope, send: Send, offered: str, query: str) -> None:
        """``?token=`` on a page: set the session cookie and redirect to the same page without the token."""
        if not hmac.compare_digest(offered.encode(), (self.config.token or "").encode()):
            await _unauthorised(send, api=False, wrong=True)
            return
        rest = urlencode([(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k != "token"])
        # Never "//host" or "/\\host" (browsers read both as another site): leading slashes and backslashes
        # go, and the rest is percent-encoded, so the redirect stays on this site whatever the path holds.
        path = "/" + quote(str(scope.get("path", "/")).lstrip("/\\"), safe="/")
        location = path + (f"?{rest}" if rest else "")
        cookie = f"{SESSION_COOKIE}={self.config.session_value}; Path=/; HttpOnly; SameSite=Strict"
        await send(
            {
                "type": "http.response.start",
                "status": 303,
                "headers": [
                    (b"location", location.encode("latin-1", "replace")),
                    (b"set-cookie", cookie.encode()),
                    (b"content-length", b"0"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": b""})

    @staticmethod
    def _with_headers(send: Send) -> Send:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", CSP.encode()))
                if b"cache-control" not in names:
                    headers.append((b"cache-control", b"no-store"))
                headers.extend(h for h in SECURITY_HEADERS if h[0] not in names)
                message = {**message, "headers": headers}
            await send(message)

        return send_with_headers


def _same_origin(headers: dict[str, str]) -> bool:
    """False for a state-changing request a browser sent from another site (by Sec-Fetch-Site or Origin).

    A browser's own word comes first: ``Sec-Fetch-Site: same-origin`` (or ``none``, typed by the user) is
    a form of this server's own pages, and it cannot be forged by a page (browsers set it themselves). Our
    pages send ``Referrer-Policy: no-referrer``, under which browsers send ``Origin: null`` on form posts,
    so "null" can only be refused when Sec-Fetch-Site is absent (an old browser: the safe answer is no).
    Clients that are not browsers send neither header and pass; the token still applies to them.
    """
    site = headers.get("sec-fetch-site", "").strip().lower()
    if site in ("same-origin", "none"):
        return True
    if site in ("cross-site", "same-site"):
        return False
    origin = headers.get("origin")
    if origin is None:
        return True
    if origin == "null":
        return False
    try:
        return urlsplit(origin).netloc.lower() == headers.get("host", "").lower()
    except ValueError:
        return False


def _limited(receive: Receive, limit: int) -> Receive:
    """``receive`` that raises :class:`BodyTooLarge` once the body read so far passes ``limit`` bytes."""
    seen = 0

    async def limited_receive() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge(limit)
        return message

    return limited_receive


async def _reply(
    send: Send, status: int, message: str, api: bool, extra: list[tuple[bytes, bytes]] | None = None
) -> None:
    """A short error response: ``{"detail": message}`` for the API, a minimal page for the UI."""
    if api:
        body = json.dumps({"detail": message}).encode()
        content_type = b"application/json"
    else:
        body = (
            "<!DOCTYPE html><html lang=en><meta charset=utf-8><title>storyweave</title>"
            f"<h1>{status}</h1><p>{escape(message)}</p><p><a href=\"/\">Back to the stories</a></p></html>"
        ).encode()
        content_type = b"text/html; charset=utf-8"
    headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode()), *(extra or [])]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _unauthorised(send: Send, api: bool, wrong: bool = False) -> None:
    message = (
        "wrong token"
        if wrong
        else "this server needs a token: send the header 'Authorization: Bearer TOKEN', or open any page "
        "once with ?token=TOKEN to sign this browser in"
    )
    await _reply(send, 401, message, api, [(b"www-authenticate", b'Bearer realm="storyweave"')])
