"""The outlet table: a user's own file naming outlets by their web domains, with a lean, country and owner.

storyweave ships no outlet data: whether an outlet leans left or right is a judgement, and the user's to
make (or to take from a rating service they trust). The table (CSV or TOML, see examples/outlets.example.csv)
names an article's outlet from its URL's domain, and puts the lean, country and owner on
``article.extra`` (keys ``lean``, ``country``, ``owner``) for the views that group coverage by lean.
"""

from __future__ import annotations

import csv
import io
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from storyweave.model import Article

FIELDS = ("name", "domains", "lean", "country", "owner")


class OutletTableError(ValueError):
    """The outlet file cannot be read; the message names the file and the line or entry."""


@dataclass(frozen=True)
class Outlet:
    """One row of the outlet table."""

    name: str
    domains: tuple[str, ...]
    lean: str | None = None
    country: str | None = None
    owner: str | None = None


def _domain(value: str) -> str:
    """``www.Example.org`` and ``https://example.org/x`` both give ``example.org``."""
    value = value.strip().lower()
    if "//" in value:
        value = urlsplit(value).hostname or ""
    return value.strip(".").removeprefix("www.")


def _text(value: object) -> str | None:
    text = " ".join(str(value).split()) if value is not None else ""
    return text[:200] or None


class OutletTable:
    """Outlets by domain; a URL's host matches its own domain or any parent (``news.bbc.co.uk`` ->
    ``bbc.co.uk``), the longest match winning."""

    def __init__(self, outlets: list[Outlet]) -> None:
        self.outlets = outlets
        self._by_domain: dict[str, Outlet] = {}
        self._by_name: dict[str, Outlet] = {}
        for outlet in outlets:
            for domain in outlet.domains:
                self._by_domain[domain] = outlet
            self._by_name[outlet.name.casefold()] = outlet

    def __len__(self) -> int:
        return len(self.outlets)

    @classmethod
    def load(cls, path: str | Path) -> OutletTable:
        """Read a ``.csv`` (header: name, domains, lean, country, owner; domains separated by spaces or
        ``;``) or a ``.toml`` file (``[[outlet]]`` tables with the same keys, domains a list)."""
        path = Path(path)
        try:
            data = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as err:
            raise OutletTableError(f"{path}: cannot read ({err})") from None
        if path.suffix.lower() == ".toml":
            return cls(_from_toml(data, str(path)))
        return cls(_from_csv(data, str(path)))

    def lookup(self, url: str | None = None, name: str | None = None) -> Outlet | None:
        """The outlet of an article address (by domain), else of an outlet name as written."""
        if url:
            try:
                host = _domain(urlsplit(url).hostname or "")
            except ValueError:
                host = ""
            parts = host.split(".")
            for start in range(len(parts) - 1):
                found = self._by_domain.get(".".join(parts[start:]))
                if found is not None:
                    return found
        if name:
            return self._by_name.get(" ".join(name.split()).casefold()) or self._by_domain.get(_domain(name))
        return None

    def annotate(self, article: Article) -> Article:
        """A copy of ``article`` named by the table (outlet name; lean, country, owner on ``extra``), or the
        article itself when the table does not know it."""
        outlet = self.lookup(article.url, article.outlet)
        if outlet is None:
            return article
        extra = dict(article.extra)
        for key in ("lean", "country", "owner"):
            value = getattr(outlet, key)
            if value:
                extra[key] = value
        return replace(article, outlet=outlet.name, extra=extra)


def _outlet(row: dict[str, object], where: str) -> Outlet:
    name = _text(row.get("name"))
    raw = row.get("domains") or ""
    items = raw if isinstance(raw, list) else str(raw).replace(";", " ").replace(",", " ").split()
    domains = tuple(d for d in (_domain(str(i)) for i in items) if d)
    if not name or not domains:
        raise OutletTableError(f"{where}: an outlet needs a name and at least one domain")
    return Outlet(name, domains, _text(row.get("lean")), _text(row.get("country")), _text(row.get("owner")))


def _from_csv(data: str, source: str) -> list[Outlet]:
    reader = csv.DictReader(io.StringIO(data))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    if "name" not in header or "domains" not in header:
        raise OutletTableError(f"{source}: the first line must name the columns ({', '.join(FIELDS)})")
    reader.fieldnames = header
    outlets = []
    for row in reader:
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue
        if (row.get("name") or "").lstrip().startswith("#"):
            continue
        outlets.append(_outlet(dict(row), f"{source}:{reader.line_num}"))
    return outlets


def _from_toml(data: str, source: str) -> list[Outlet]:
    try:
        parsed = tomllib.loads(data)
    except tomllib.TOMLDecodeError as err:
        raise OutletTableError(f"{source}: not TOML ({err})") from None
    rows = parsed.get("outlet")
    if not isinstance(rows, list):
        raise OutletTableError(f"{source}: expected [[outlet]] tables")
    return [_outlet(dict(r), f"{source}: outlet {i}") for i, r in enumerate(rows, 1) if isinstance(r, dict)]
