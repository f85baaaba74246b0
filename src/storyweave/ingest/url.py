"""Fetching articles and feeds over HTTP(S), guarded against reaching private networks.

A URL a user (or a feed) names could point at the machine itself or its private network (a router admin
page, a cloud metadata service). Every hop, redirects included, is therefore resolved with getaddrinfo and
refused when any address is not a public one, unless the caller allows private addresses. The request
then goes to the address that was checked (the host name is kept for the Host header and TLS), so a DNS
answer that changes between the check and the connection cannot slip a private address through.
Redirects are followed by hand so that each target is checked; bodies are streamed under a size cap and an
overall deadline, so a slow or endless response cannot hold the batch.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal, TypeAlias

import httpx

from storyweave import __version__
from storyweave.ingest.encoding import MAX_INPUT_BYTES, decode_bytes
from storyweave.ingest.feed import looks_like_feed, read_feed
from storyweave.ingest.html import decode_html, looks_like_html, read_html, url_slug
from storyweave.model import Article, InputError

USER_AGENT = f"storyweave/{__version__} (+offline news briefing)"
ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5"
)
DEFAULT_TIMEOUT = 15.0
MAX_REDIRECTS = 5

FEED_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/x-rss+xml"}
)
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Types that say little about the body: sniff it.
SNIFF_TYPES = frozenset(
    {"", "application/xml", "text/xml", "application/octet-stream", "binary/octet-stream", "text/plain"}
)
_REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
_IPAddress: TypeAlias = ipaddress.IPv4Address | ipaddress.IPv6Address

ContentKind = Literal["feed", "html", "text", "other"]


def new_client(timeout: float = DEFAULT_TIMEOUT) -> httpx.Client:
    """An httpx client as storyweave fetches with: its User-Agent, timeouts, no automatic redirects."""
    return httpx.Client(
        timeout=httpx.Timeout(timeout),
        follow_redirects=False,
        headers={"User-Agent": USER_AGENT, "Accept": ACCEPT},
    )


@dataclass(frozen=True)
class Fetched:
    """A fetched body with what a later conditional request needs. ``status`` 304: not modified (no body)."""

    status: int
    body: bytes
    url: str
    content_type: str
    etag: str | None = None
    last_modified: str | None = None


def fetch_url(
    url: str,
    *,
    allow_private: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = MAX_INPUT_BYTES,
    max_redirects: int = MAX_REDIRECTS,
    client: httpx.Client | None = None,
) -> tuple[bytes, str, str]:
    """The body, final URL and Content-Type of ``url``; raises InputError (naming ``url``) on any failure.

    Only http and https. Each hop must resolve to public addresses only unless ``allow_private``;
    ``timeout`` bounds each request from connecting to its last byte; bodies over ``max_bytes`` (after
    content decoding) are refused while streaming.
    """
    got = fetch_conditional(
        url,
        allow_private=allow_private,
        timeout=timeout,
        max_bytes=max_bytes,
        max_redirects=max_redirects,
        client=client,
    )
    return got.body, got.url, got.content_type


def fetch_conditional(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    allow_private: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = MAX_INPUT_BYTES,
    max_redirects: int = MAX_REDIRECTS,
    client: httpx.Client | None = None,
) -> Fetched:
    """:func:`fetch_url` as a conditional request: ``If-None-Match``/``If-Modified-Since`` from a previous
    answer's validators; a 304 answer comes back as ``Fetched(status=304, body=b"")``. Same guard."""
    http = client if client is not None else new_client(timeout)
    conditions = {}
    if etag:
        conditions["If-None-Match"] = etag
    if last_modified:
        conditions["If-Modified-Since"] = last_modified
    current = url
    try:
        for _hop in range(max_redirects + 1):
            request = _guarded_request(http, current, url, allow_private, timeout)
            request.headers.update(conditions)
            deadline = time.monotonic() + timeout
            response = http.send(request, stream=True, follow_redirects=False)
            try:
                location = response.headers.get("location")
                if response.status_code in _REDIRECT_CODES and location:
                    current = _join(current, location, url)
                    continue
                validators = response.headers.get("etag"), response.headers.get("last-modified")
                content_type = response.headers.get("content-type", "")
                if response.status_code == 304:
                    return Fetched(
                        304, b"", current, content_type, validators[0] or etag, validators[1] or last_modified
                    )
                if response.status_code >= 400:
                    where = f" (from {current})" if current != url else ""
                    raise InputError(
                        url, f"HTTP {response.status_code} {response.reason_phrase}{where}".strip()
                    )
                body = _read_body(response, url, max_bytes, timeout, deadline)
                return Fetched(response.status_code, body, current, content_type, *validators)
            finally:
                response.close()
        raise InputError(url, f"too many redirects (more than {max_redirects})")
    except httpx.TimeoutException:
        raise InputError(url, f"timed out after {timeout:g} s") from None
    except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError) as err:
        detail = " ".join(str(err).split()) or "no detail"
        raise InputError(url, f"fetch failed ({type(err).__name__}: {detail})") from None
    finally:
        if client is None:
            http.close()


def articles_from_body(
    body: bytes,
    url: str,
    final_url: str,
    content_type: str,
    *,
    allow_private: bool = False,
    full_text: bool = True,
    timeout: float = DEFAULT_TIMEOUT,
    client: httpx.Client | None = None,
    skip: Callable[[str], bool] | None = None,
) -> Iterator[Article | InputError]:
    """The articles in a fetched body (a feed's entries, a page, a text), as :func:`iter_url` reads them.

    ``skip``: a feed entry whose link (or id) it accepts is left out before its page is fetched (a watcher
    that saw the entry already).
    """
    http = client if client is not None else new_client(timeout)
    try:
        kind = content_kind(body, content_type)
        if kind == "feed":

            def fetch_page(link: str) -> bytes:
                return fetch_url(link, allow_private=allow_private, timeout=timeout, client=http)[0]

            yield from read_feed(body, url, fetch=fetch_page if full_text else None, skip=skip)
            return
        try:
            if kind == "html":
                html = decode_html(body, url, _charset(content_type))
                yield read_html(html, url_slug(url), url, url=final_url)
            elif kind == "text":
                yield Article(id=url_slug(url), raw_text=decode_bytes(body, url), url=final_url, source=url)
            else:
                yield InputError(url, f"unsupported content type {_media_type(content_type)!r}")
        except InputError as err:
            yield err
    finally:
        if client is None:
            http.close()


def iter_url(
    url: str,
    *,
    allow_private: bool = False,
    full_text: bool = True,
    timeout: float = DEFAULT_TIMEOUT,
    client: httpx.Client | None = None,
) -> Iterator[Article | InputError]:
    """The articles behind a URL, as :func:`read_url`, keeping each entry's InputError as an item.

    With ``full_text``, feed entries that carry only a teaser have their linked page fetched (under the
    same private-address guard).
    """
    http = client if client is not None else new_client(timeout)
    try:
        try:
            body, final_url, content_type = fetch_url(
                url, allow_private=allow_private, timeout=timeout, client=http
            )
        except InputError as err:
            yield err
            return
        yield from articles_from_body(
            body,
            url,
            final_url,
            content_type,
            allow_private=allow_private,
            full_text=full_text,
            timeout=timeout,
            client=http,
        )
    finally:
        if client is None:
            http.close()


def read_url(url: str, allow_private: bool = False) -> list[Article]:
    """The articles behind a URL: one for an HTML page (id: a slug of its URL), one per entry for a feed.

    Raises InputError when nothing could be read; entries of a feed that fail are left out.
    """
    items = list(iter_url(url, allow_private=allow_private))
    articles = [item for item in items if isinstance(item, Article)]
    if not articles:
        errors = [item for item in items if isinstance(item, InputError)]
        raise errors[0] if errors else InputError(url, "no articles found")
    return articles


def content_kind(body: bytes, content_type: str) -> ContentKind:
    """What a fetched body is, from its Content-Type, checked against the body itself where types lie."""
    media = _media_type(content_type)
    if media in FEED_TYPES:
        return "feed"
    if media in HTML_TYPES:
        return "feed" if looks_like_feed(body) else "html"
    if media in SNIFF_TYPES or media.startswith("text/"):
        if looks_like_feed(body):
            return "feed"
        if looks_like_html(body[:4096].decode("utf-8", "replace")):
            return "html"
        return "text" if media != "application/xml" else "other"
    return "other"


def check_address(host: str, port: int, source: str) -> _IPAddress:
    """The address to connect to for ``host``: every address it resolves to must be public.

    Raises InputError for ``source`` naming the first address that is loopback, private, link-local,
    multicast, reserved, unspecified or otherwise not global, or when ``host`` does not resolve.
    """
    addresses = _resolve(host, port, source)
    for address in addresses:
        kind = _non_public_kind(address)
        if kind:
            shown = host if host == str(address) else f"{host} resolves to {address}"
            raise InputError(source, f"{shown}, a {kind} address")
    return addresses[0]


def _guarded_request(
    http: httpx.Client, current: str, original: str, allow_private: bool, timeout: float
) -> httpx.Request:
    """A GET request for ``current``, pinned to its checked public address unless private ones are allowed."""
    hop = "" if current == original else f"redirect to {current} refused: "
    try:
        target = httpx.URL(current)
    except httpx.InvalidURL as err:
        raise InputError(original, f"{hop}invalid URL ({err})") from None
    if target.scheme not in ("http", "https"):
        raise InputError(original, f"{hop}only http and https URLs can be fetched")
    host = target.raw_host.decode("ascii", "replace")
    if not host:
        raise InputError(original, f"{hop}URL has no host")
    headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT}
    if allow_private:
        return http.build_request("GET", target, headers=headers, timeout=httpx.Timeout(timeout))
    port = target.port or (443 if target.scheme == "https" else 80)
    try:
        address = check_address(host, port, original)
    except InputError as err:
        if not hop:
            hop = "refused: "
        raise InputError(
            original, f"{hop}{err.reason} (private addresses are fetched only when allowed)"
        ) from None
    headers["Host"] = target.netloc.decode("ascii", "replace")
    extensions = {"sni_hostname": host} if target.scheme == "https" else {}
    return http.build_request(
        "GET",
        target.copy_with(host=str(address)),
        headers=headers,
        timeout=httpx.Timeout(timeout),
        extensions=extensions,
    )


def _resolve(host: str, port: int, source: str) -> list[_IPAddress]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as err:
        detail = getattr(err, "strerror", None) or str(err)
        raise InputError(source, f"cannot resolve host {host} ({detail})") from None
    addresses: list[_IPAddress] = []
    for info in infos:
        text = str(info[4][0]).split("%", 1)[0]  # drop an IPv6 scope id ("fe80::1%eth0")
        try:
            addresses.append(ipaddress.ip_address(text))
        except ValueError:
            continue
    if not addresses:
        raise InputError(source, f"cannot resolve host {host} (no IP address)")
    return addresses


def _non_public_kind(address: _IPAddress) -> str | None:
    """Why ``address`` is not a public one ("loopback", "private"...), or None when it is."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:127.0.0.1 reaches 127.0.0.1
    checks = (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("private", address.is_private),
        ("reserved", address.is_reserved),
    )
    for kind, flagged in checks:
        if flagged:
            return kind
    # shared (carrier-grade NAT) and other special-purpose ranges are neither private nor global
    return None if address.is_global else "non-public"


def _join(current: str, location: str, original: str) -> str:
    try:
        return str(httpx.URL(current).join(location))
    except httpx.InvalidURL as err:
        raise InputError(original, f"redirect to an invalid URL ({err})") from None


def _read_body(response: httpx.Response, url: str, max_bytes: int, timeout: float, deadline: float) -> bytes:
    """The decoded body, refused as soon as it passes ``max_bytes`` or the deadline."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise InputError(url, f"too large ({int(declared):,} bytes; limit {max_bytes:,})")
    body = bytearray()
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) > max_bytes:
            raise InputError(url, f"too large (more than {max_bytes:,} bytes; limit {max_bytes:,})")
        if time.monotonic() > deadline:
            raise InputError(url, f"timed out after {timeout:g} s")
    return bytes(body)


def _media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _charset(content_type: str) -> str | None:
    for param in content_type.split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None
