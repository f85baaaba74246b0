"""``storyweave watch``: its command-line options, and running the watcher until SIGINT or SIGTERM."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path
from types import FrameType
from typing import Any, TextIO

EXIT_OK, EXIT_USAGE, EXIT_FAILED = 0, 2, 3


def add_watch_parser(sub: Any, default_db: str) -> argparse.ArgumentParser:
    """Register the ``watch`` sub-command on an argparse sub-parsers object."""
    watch: argparse.ArgumentParser = sub.add_parser(
        "watch",
        help="watch feeds, pages, folders and JSON-lines files; add what is new; alert",
        description="Poll sources and add what is new to the store: RSS/Atom feeds and pages by URL "
        "(conditional requests), folders (new files), JSON-lines files (appended lines). Sources join the "
        "store's watch list and are remembered: run it again with no SOURCE to go on where it stopped. "
        "Alert rules fire on stories that changed; alerts go out as JSON lines and to a webhook. "
        "Stops cleanly on Ctrl-C or SIGTERM.",
    )
    watch.add_argument("sources", nargs="*", metavar="SOURCE", help="a URL, a folder or a .jsonl file")
    watch.add_argument(
        "--db", type=Path, default=Path(default_db), help=f"the store file (default ./{default_db})"
    )
    watch.add_argument(
        "--every", default="15m", help="how often to poll the sources given here (default %(default)s)"
    )
    watch.add_argument(
        "--sources",
        dest="sources_list",
        type=Path,
        metavar="FILE",
        help="a file of sources, one 'SOURCE [EVERY]' per line",
    )
    watch.add_argument(
        "--rule",
        action="append",
        default=[],
        metavar="RULE",
        help="add an alert rule: outlets>=N, independent>=N, contested, search:WORDS, entity:NAME "
        "(repeatable; rules are kept in the store)",
    )
    watch.add_argument(
        "--alerts", metavar="FILE", help="append alerts as JSON lines to FILE ('-': standard output)"
    )
    watch.add_argument("--webhook", metavar="URL", help="POST each alert as JSON to URL")
    watch.add_argument(
        "--outlets", type=Path, metavar="FILE", help="outlet table (CSV or TOML) naming outlets from URLs"
    )
    watch.add_argument(
        "--brief", action="store_true", help="re-brief changed stories each round (for 'contested' rules)"
    )
    watch.add_argument("--once", action="store_true", help="poll every source once, then stop")
    watch.add_argument("--list", action="store_true", help="show the watch list and the rules, then stop")
    watch.add_argument("--remove", type=int, action="append", default=[], metavar="ID", help="unwatch ID")
    watch.add_argument(
        "--allow-private",
        action="store_true",
        help="let URLs and the webhook reach loopback, private and link-local addresses (refused by default)",
    )
    return watch


def _fail(message: str, code: int = EXIT_USAGE) -> int:
    print(f"storyweave: error: {message}", file=sys.stderr)
    return code


def cmd_watch(args: argparse.Namespace) -> int:
    """Run the watcher (see :func:`add_watch_parser`)."""
    from storyweave.outlets import OutletTable, OutletTableError
    from storyweave.store import Store, StoreError
    from storyweave.watch import alerts, state
    from storyweave.watch.runner import Watcher, WatchOptions, parse_every, read_sources_file
    from storyweave.watch.sources import SourceError

    try:
        every = parse_every(args.every)
        targets: list[tuple[str, int | None]] = [(s, None) for s in args.sources]
    except ValueError as err:
        return _fail(str(err))
    try:
        if args.sources_list:
            targets.extend(read_sources_file(args.sources_list))
        rules = [alerts.parse_rule(r) for r in args.rule]
        table = OutletTable.load(args.outlets) if args.outlets else None
    except (OSError, ValueError, OutletTableError) as err:
        return _fail(str(err))
    out: TextIO | None = None
    try:
        if args.alerts == "-":
            out = sys.stdout
        elif args.alerts:
            out = Path(args.alerts).open("a", encoding="utf-8")  # noqa: SIM115 -- closed below
        options = WatchOptions(
            allow_private=args.allow_private,
            outlets=table,
            alerts_out=out,
            webhook=args.webhook,
            brief=args.brief,
        )
        watcher = Watcher(args.db, options, say=lambda line: print(f"watch: {line}", file=sys.stderr))
        try:
            watcher.add_sources(targets, every)
            with Store.open(args.db) as store:
                for source_id in args.remove:
                    if not state.remove_source(store, source_id):
                        print(f"watch: no source {source_id} on the watch list", file=sys.stderr)
                for rule in rules:
                    state.add_rule(store, rule.kind, rule.value, rule.threshold)
                listed = state.list_sources(store)
                rule_rows = state.list_rules(store)
        except SourceError as err:
            return _fail(str(err))
        except StoreError as err:
            return _fail(str(err), EXIT_FAILED)
        if args.list:
            for s in listed:
                status = f"failing ({s.failures}x: {s.last_error})" if s.failures else "ok"
                print(f"{s.id}\t{s.kind}\tevery {s.every_seconds}s\tadded {s.added}\t{status}\t{s.target}")
            for r in rule_rows:
                print(f"rule {r.id}\t{alerts.rule_of(r)}")
            return EXIT_OK
        if not listed:
            return _fail("nothing to watch: give SOURCE arguments or --sources FILE")

        def stop(signum: int, _frame: FrameType | None) -> None:
            print(f"watch: {signal.Signals(signum).name}: stopping after the current source", file=sys.stderr)
            watcher.stop.set()

        previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            added = watcher.run(rounds=1 if args.once else None)
        except StoreError as err:
            return _fail(str(err), EXIT_FAILED)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        print(f"watch: stopped; {added} article(s) added in this run", file=sys.stderr)
        return EXIT_OK
    finally:
        if out is not None and out is not sys.stdout:
            out.close()
