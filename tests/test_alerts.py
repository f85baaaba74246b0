"""Alert rules fire once per change (and not again after a restart), are stored, delivered as JSON lines and
POSTed to a webhook receiver on loopback started by the test; private webhook addresses are refused unless
allowed. Articles: the invented stories of tests/fixtures/mixed, with invented outlets."""

from __future__ import annotations

import io
import json
import threading
from dataclasses import replace
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest

from helpers import loopback_server
from storyweave.ingest.text import read_text
from storyweave.model import Article, Disagreement, InputError, ValueSources
from storyweave.service import add_to_store, brief_from_store
from storyweave.store import Store
from storyweave.watch import alerts, state
from storyweave.watch.alerts import RuleError, parse_rule, post_webhook

MIXED = Path(__file__).resolve().parent / "fixtures" / "mixed"


def _article(name: str, outlet: str) -> Article:
    path = MIXED / f"{name}.txt"
    return replace(read_text(path.read_bytes(), name, str(path)), outlet=outlet)


def _added_story(db: Path, name: str, outlet: str) -> str:
    result = add_to_store([_article(name, outlet)], db)
    assert len(result.added) == 1, result
    return result.added[0].story_id


def test_rules_are_read_from_their_written_forms() -> None:
    assert parse_rule("outlets >= 3") == alerts.Rule("outlets", "", 3)
    assert parse_rule("independent>=2").threshold == 2
    assert parse_rule("contested").kind == "contested"
    assert parse_rule("search: pension reform") == alerts.Rule("search", "pension reform")
    assert parse_rule("entity:Karien van Gennip").value == "Karien van Gennip"
    for bad in ("outlets>=0", "outlets>3", "weather", "search:", "entity: !!"):
        with pytest.raises(RuleError):
            parse_rule(bad)


def test_threshold_search_and_entity_rules_fire_once_per_change(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    with Store.open(db) as store:
        for text in ("outlets>=2", "search:earthquake Arequipa", "entity:Rosa Quispe"):
            rule = parse_rule(text)
            state.add_rule(store, rule.kind, rule.value, rule.threshold)
    story = _added_story(db, "quake_wire", "Andes Wire")
    with Store.open(db) as store:
        first = alerts.check_rules(store, [story])
        kinds = [a.kind for a in state.alerts_after(store, 0)]
    assert len(first) == 1 and kinds == ["search"]  # one outlet so far; the shopkeeper is not named yet
    assert _added_story(db, "quake_local", "Sierra Courier") == story
    with Store.open(db) as store:
        alerts.check_rules(store, [story])
        assert alerts.check_rules(store, [story]) == []  # nothing changed since: nothing fires
        fired = state.alerts_after(store, 0)
    assert sorted(a.kind for a in fired) == ["entity", "outlets", "search", "search"]
    outlets = next(a for a in fired if a.kind == "outlets")
    assert outlets.payload["outlets"] == ["Andes Wire", "Sierra Courier"] and outlets.payload["value"] == 2
    grew = [a for a in fired if a.kind == "search"][1]
    assert "grew" in grew.message and grew.payload["article_count"] == 2
    with Store.open(db) as store:  # "restarted": the marks are in the store
        assert alerts.check_rules(store, [story]) == []


def test_a_new_contested_point_fires_once_the_brief_has_it(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    story = _added_story(db, "pension_a", "Polder Daily")
    assert _added_story(db, "pension_b", "Dike Times") == story
    with Store.open(db) as store:
        state.add_rule(store, "contested", "", 1)
        assert alerts.check_rules(store, [story]) == []  # no brief yet: nothing to say
        brief = brief_from_store(store, [story]).briefs[0]
        row = store.story(story)
        assert row is not None
        before = len(brief.disagreements)
        brief.disagreements.append(
            Disagreement(
                fact_id=None,
                kind="number",
                values=[ValueSources("100 votes", ["pension_a"]), ValueSources("98 votes", ["pension_b"])],
                note="invented for the test",
            )
        )
        with store.write():
            store.save_brief(story, row.version, 99, brief)
        fired = alerts.check_rules(store, [story])
        assert len(fired) == 1
        (alert,) = state.alerts_after(store, 0)
        assert alert.payload["value"] == before + 1 and "100 votes / 98 votes" in alert.message
        assert alerts.check_rules(store, [story]) == []


class Receiver:
    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        self.fail = False
        self.lock = threading.Lock()


@pytest.fixture()
def receiver() -> Any:
    got = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            return

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length))
            with got.lock:
                if not got.fail:
                    got.bodies.append(body)
            self.send_response(500 if got.fail else 204)
            self.send_header("Content-Length", "0")
            self.end_headers()

    with loopback_server(Handler) as base:
        yield base, got


def test_alerts_go_out_as_json_lines_and_to_a_webhook(tmp_path: Path, receiver: Any) -> None:
    base, got = receiver
    db = tmp_path / "news.db"
    with Store.open(db) as store:
        state.add_rule(store, "search", "pension", 1)
    story = _added_story(db, "pension_a", "Polder Daily")
    with Store.open(db) as store:
        alerts.check_rules(store, [story])
        got.fail = True  # the receiver is down: nothing is lost, delivery stops there
        out = io.StringIO()
        delivered, errors = alerts.deliver(store, out=out, webhook=f"{base}/hook", allow_private=True)
        assert delivered == 0 and "HTTP 500" in errors[0] and out.getvalue() == ""
        got.fail = False
        delivered, errors = alerts.deliver(store, out=out, webhook=f"{base}/hook", allow_private=True)
        assert delivered == 1 and errors == []
        assert alerts.deliver(store, out=out, webhook=f"{base}/hook", allow_private=True) == (0, [])
    (line,) = out.getvalue().splitlines()
    record = json.loads(line)
    assert got.bodies == [record]
    assert (
        record["alert"] == "search" and record["story_id"] == story and record["path"] == f"/stories/{story}"
    )


def test_webhooks_to_private_addresses_are_refused_unless_allowed(receiver: Any) -> None:
    base, got = receiver
    with pytest.raises(InputError, match="private addresses"):
        post_webhook(f"{base}/hook", {"alert": "x"})
    with pytest.raises(InputError, match="http"):
        post_webhook("file:///etc/passwd", {"alert": "x"})
    assert got.bodies == []
    post_webhook(f"{base}/hook", {"alert": "x"}, allow_private=True)
    assert got.bodies == [{"alert": "x"}]
