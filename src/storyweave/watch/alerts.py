"""Alert rules, checking them against the stories that changed, and delivering what fired.

Rules (as typed on the command line or in the web UI):

- ``outlets>=N``: a story is now carried by N or more outlets;
- ``independent>=N``: a story now has N or more independent sources (syndicated copies counted once);
- ``contested``: a story's brief has a contested point it did not have (needs a current brief);
- ``search:WORDS``: a story matching these words (full-text, as the search) appears or grows;
- ``entity:NAME``: an article naming NAME joins a story.

Each rule remembers, per story, the figure it last fired at (``alert_marks``), so it fires once per change
and never again on a restart. Fired alerts are stored; a watcher delivers those past its cursor as JSON
lines (stdout or a file) and POSTs each to a webhook, under the same private-address guard as fetching.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TextIO

import httpx

from storyweave.ingest.url import USER_AGENT, check_address
from storyweave.model import InputError
from storyweave.store import Store
from storyweave.store.search import fts_query
from storyweave.watch import state

RULE_KINDS = ("outlets", "independent", "contested", "search", "entity")
_THRESHOLD = re.compile(r"^(outlets|independent)\s*>=\s*(\d{1,6})$", re.I)
_WORD = re.compile(r"\w+")
DELIVERY_CURSOR = "watch:delivered"
WEBHOOK_TIMEOUT = 10.0


class RuleError(ValueError):
    """A rule that cannot be read; the message shows the forms that can."""


@dataclass(frozen=True)
class Rule:
    kind: str
    value: str = ""
    threshold: int = 1

    def __str__(self) -> str:
        if self.kind in ("outlets", "independent"):
            return f"{self.kind}>={self.threshold}"
        return self.kind if self.kind == "contested" else f"{self.kind}:{self.value}"


def parse_rule(text: str) -> Rule:
    """A rule from its written form (see the module docstring)."""
    text = " ".join(text.split())
    found = _THRESHOLD.match(text)
    if found:
        threshold = int(found.group(2))
        if threshold < 1:
            raise RuleError(f"{text!r}: the threshold must be at least 1")
        return Rule(found.group(1).lower(), "", threshold)
    if text.lower() == "contested":
        return Rule("contested")
    kind, _, value = text.partition(":")
    kind, value = kind.strip().lower(), value.strip()[:200]
    if kind == "search" and fts_query(value):
        return Rule("search", value)
    if kind == "entity" and fts_query(value):
        return Rule("entity", value)
    raise RuleError(
        f"{text!r}: not a rule; write outlets>=N, independent>=N, contested, search:WORDS or entity:NAME"
    )


def rule_of(row: state.RuleRow) -> Rule:
    return Rule(row.kind, row.value, row.threshold)


def _story_figures(store: Store, story_id: str) -> dict[str, Any] | None:
    conn = store.connection
    row = conn.execute(
        "SELECT s.headline, s.article_count, s.independent_count, s.version, b.story_version,"
        " json_extract(b.brief, '$.disagreements') FROM stories s LEFT JOIN briefs b ON b.story_id = s.id"
        " WHERE s.id = ?",
        (story_id,),
    ).fetchone()
    if row is None:
        return None
    outlets = [
        str(r[0])
        for r in conn.execute(
            "SELECT DISTINCT outlet FROM articles WHERE story_id = ? AND outlet IS NOT NULL ORDER BY outlet",
            (story_id,),
        )
    ]
    disagreements = json.loads(row[5]) if row[5] else None
    return {
        "headline": row[0],
        "article_count": int(row[1]),
        "independent_count": int(row[2]),
        "outlets": sorted({o for o in outlets}, key=str.casefold),
        "brief_current": row[4] == row[3],
        "disagreements": disagreements if isinstance(disagreements, list) else None,
    }


def _matching_articles(store: Store, story_id: str, words: str, phrase: bool) -> int:
    terms = _WORD.findall(words)
    query = ('"' + " ".join(terms) + '"' if terms else None) if phrase else fts_query(words)
    if not query:
        return 0
    in_articles = store.connection.execute(
        "SELECT count(*) FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid"
        " WHERE articles_fts MATCH ? AND a.story_id = ?",
        (query, story_id),
    ).fetchone()[0]
    return int(in_articles)


def _check(store: Store, rule: state.RuleRow, story_id: str, fig: dict[str, Any]) -> tuple[int, str] | None:
    """``(new mark, message)`` when the rule fires for the story now, else None (mark unchanged)."""
    mark = state.mark_of(store, rule.id, story_id)
    headline = fig["headline"]
    if rule.kind in ("outlets", "independent"):
        value = len(fig["outlets"]) if rule.kind == "outlets" else fig["independent_count"]
        if value >= rule.threshold and mark is None:
            what = "outlets" if rule.kind == "outlets" else "independent sources"
            return value, f"“{headline}” reached {value} {what}"
        return None
    if rule.kind == "contested":
        if not fig["brief_current"] or fig["disagreements"] is None:
            return None
        value = len(fig["disagreements"])
        if value > (mark or 0):
            newest = fig["disagreements"][-1]
            kind = str(newest.get("kind") or "point") if isinstance(newest, dict) else "point"
            values = [str(v.get("value", "")) for v in newest.get("values", []) if isinstance(v, dict)][:3]
            shown = f": {' / '.join(values)}" if values else ""
            return value, f"“{headline}”: sources now differ on a {kind}{shown} ({value} contested in all)"
        return None
    if rule.kind in ("search", "entity"):
        value = _matching_articles(store, story_id, rule.value, phrase=rule.kind == "entity")
        if value > (mark or 0):
            if rule.kind == "entity":
                return value, f"“{headline}”: {value} article(s) name {rule.value}"
            verb = "matches" if mark is None else "grew"
            return value, f"“{headline}” {verb} the saved search “{rule.value}” ({value} matching articles)"
        return None
    return None


def check_rules(store: Store, story_ids: Iterable[str]) -> list[int]:
    """Check every rule against the given stories; store and return the ids of the alerts that fired."""
    rules = state.list_rules(store)
    wanted = list(dict.fromkeys(story_ids))
    fired: list[int] = []
    if not rules or not wanted:
        return fired
    with store.write():
        for story_id in wanted:
            fig = _story_figures(store, story_id)
            if fig is None:
                continue
            for rule in rules:
                got = _check(store, rule, story_id, fig)
                if got is None:
                    continue
                value, message = got
                state.set_mark(store, rule.id, story_id, value)
                payload = {
                    "alert": rule.kind,
                    "rule": str(rule_of(rule)),
                    "story_id": story_id,
                    "headline": fig["headline"],
                    "article_count": fig["article_count"],
                    "independent_count": fig["independent_count"],
                    "outlets": fig["outlets"],
                    "value": value,
                    "message": message,
                    "path": f"/stories/{story_id}",
                }
                fired.append(state.insert_alert(store, rule.id, story_id, rule.kind, message, payload))
    return fired


def alert_record(alert: state.AlertRow) -> dict[str, Any]:
    """An alert as delivered (JSON lines, webhook)."""
    return {"id": alert.id, "created_at": alert.created_at, **alert.payload}


def post_webhook(
    url: str, record: dict[str, Any], *, allow_private: bool = False, timeout: float = WEBHOOK_TIMEOUT
) -> None:
    """POST one alert as JSON; raises InputError when refused (private address) or not accepted (no 2xx).

    Like fetching, the address is resolved and checked first and the request sent to the checked address
    (Host header kept), so a DNS answer changing in between cannot reach a private address; no redirects.
    """
    try:
        target = httpx.URL(url)
    except httpx.InvalidURL as err:
        raise InputError(url, f"invalid webhook URL ({err})") from None
    if target.scheme not in ("http", "https") or not target.host:
        raise InputError(url, "a webhook must be an http(s) URL")
    headers = {"User-Agent": USER_AGENT, "Content-Type": "application/json"}
    extensions: dict[str, Any] = {}
    if not allow_private:
        host = target.raw_host.decode("ascii", "replace")
        port = target.port or (443 if target.scheme == "https" else 80)
        try:
            address = check_address(host, port, url)
        except InputError as err:
            raise InputError(url, f"refused: {err.reason} (private addresses only when allowed)") from None
        headers["Host"] = target.netloc.decode("ascii", "replace")
        if target.scheme == "https":
            extensions["sni_hostname"] = host
        target = target.copy_with(host=str(address))
    body = json.dumps(record, ensure_ascii=False).encode("utf-8")
    try:
        with httpx.Client(timeout=timeout, follow_redirects=False) as client:
            request = client.build_request(
                "POST", target, content=body, headers=headers, extensions=extensions
            )
            response = client.send(request)
    except httpx.HTTPError as err:
        raise InputError(url, f"webhook failed ({type(err).__name__})") from None
    if not 200 <= response.status_code < 300:
        raise InputError(url, f"webhook answered HTTP {response.status_code}")


def deliver(
    store: Store,
    *,
    out: TextIO | None = None,
    webhook: str | None = None,
    allow_private: bool = False,
    cursor_name: str = DELIVERY_CURSOR,
) -> tuple[int, list[str]]:
    """Deliver the alerts past the cursor: one JSON line each to ``out``, a POST each to ``webhook``.

    The cursor moves past an alert once it is delivered; a webhook that fails stops the delivery there (the
    rest is tried again next time). Returns how many were delivered and the delivery errors.
    """
    after = state.cursor(store, cursor_name)
    delivered, errors = 0, []
    for alert in state.alerts_after(store, after):
        record = alert_record(alert)
        if webhook:
            try:
                post_webhook(webhook, record, allow_private=allow_private)
            except InputError as err:
                errors.append(str(err))
                break
        if out is not None:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            out.flush()
        state.set_cursor(store, cursor_name, alert.id)
        delivered += 1
    return delivered, errors
