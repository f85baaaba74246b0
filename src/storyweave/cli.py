"""The command line: a thin layer over :mod:`storyweave.pipeline`.

Machine-readable output goes to stdout or files; progress and diagnostics go to stderr.
Exit codes: 0 all inputs briefed; 1 some inputs failed (the rest were briefed); 2 usage error;
3 nothing could be briefed.

Heavy modules (the pipeline and its models, rendering, the server) are imported inside the commands that
use them, so that ``storyweave --version``, ``--help`` and ``stories`` start in a fraction of a second.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from storyweave import __version__, thresholds

if TYPE_CHECKING:
    from storyweave.model import Brief
    from storyweave.service import Added, AddOutcome
    from storyweave.store import StoreError

# The store's default file name (storyweave.store.DEFAULT_DB; a test checks the two agree), here so that
# building the parser imports no store code.
DEFAULT_DB = "storyweave.db"

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, EXIT_NOTHING = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # the shell's code for a command stopped by Ctrl-C
# The output formats, as storyweave.render.RENDERERS names them (kept here so that parsing the command line
# does not import the renderers; a test checks the two agree).
FORMATS = ("json", "md", "html")
STRICT_HELP = (
    "stop at the first unexpected error (a bug, not bad input) with its traceback, instead of reporting it "
    "as one failed input and going on"
)


def _progress_factory(enabled: bool) -> Callable[[str, int], Callable[[], None]]:
    """Progress bars on stderr when it is a terminal; silent otherwise."""

    def factory(stage: str, total: int) -> Callable[[], None]:
        if not enabled or total < 2:
            return lambda: None
        from tqdm import tqdm

        bar = tqdm(total=total, desc=stage, unit="item", file=sys.stderr, leave=False)

        def tick() -> None:
            bar.update(1)
            if bar.n >= total:
                bar.close()

        return tick

    return factory


def _add_engine_options(parser: argparse.ArgumentParser) -> None:
    """--scheduler and --workers: run the per-article and per-story stages on a Dask cluster."""
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run on the Dask cluster whose scheduler is at ADDRESS (e.g. tcp://10.0.0.5:8786); "
        "default: $STORYWEAVE_SCHEDULER",
    )
    parser.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="run on a new local Dask cluster of N worker processes",
    )


@contextmanager
def _engine(args: argparse.Namespace) -> Iterator[Any]:
    """A Dask client when the command asked for a cluster, else None (the local engine)."""
    from storyweave.engine import connect, wanted

    if not wanted(args.scheduler, args.workers):
        yield None
        return
    with connect(args.scheduler, args.workers) as client:
        yield client


def _formats(value: str) -> list[str]:
    formats = [f.strip().lower() for f in value.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise argparse.ArgumentTypeError(
            f"unknown format {', '.join(unknown) or value!r}; choose from {', '.join(FORMATS)}"
        )
    return formats


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every sub-command."""
    parser = argparse.ArgumentParser(
        prog="storyweave", description="Many news reports of the same event in, one verified story out."
    )
    parser.add_argument("--version", action="version", version=f"storyweave {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    brief = sub.add_parser(
        "brief",
        help="write one brief per story found in the inputs",
        description="Read articles (files, folders, - for stdin), group them into stories and write a "
        "cited brief per story.",
    )
    brief.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="article files (text, HTML, JSON lines, RSS/Atom; .gz too), folders, http(s) URLs of pages or "
        "feeds, or - for stdin",
    )
    brief.add_argument("--out", type=Path, help="write DIR/<story-id>.<format> files instead of stdout")
    brief.add_argument(
        "--format",
        type=_formats,
        default=None,
        help="comma-separated formats: json, md, html (default: all three with --out, md on stdout)",
    )
    brief.add_argument(
        "--length",
        type=int,
        default=thresholds.SUMMARY_SENTENCES,
        help="summary sentences (default %(default)s)",
    )
    brief.add_argument(
        "--include",
        action="append",
        metavar="GLOB",
        help="in folders, read the files whose name (or path below the folder, for a GLOB with /) matches "
        "GLOB; repeatable (default: every known suffix, e.g. *.txt, *.html, *.jsonl, *.xml, *.txt.gz)",
    )
    brief.add_argument(
        "--allow-private",
        action="store_true",
        help="let URLs reach loopback, private and link-local addresses (refused by default)",
    )
    brief.add_argument("-q", "--quiet", action="store_true", help="no progress bars")
    brief.add_argument("--strict", action="store_true", help=STRICT_HELP)
    _add_engine_options(brief)
    brief.add_argument(
        "--processes",
        type=int,
        metavar="N",
        help="processes of this machine for the local engine: 1 runs everything in this process, N >= 2 "
        "splits reading, analysis and briefs over N worker processes; default: $STORYWEAVE_PROCESSES, "
        "else one process (spaCy parses a large batch in two when a core is idle)",
    )
    _add_store_commands(sub, brief)
    from storyweave.server.command import add_serve_parser
    from storyweave.watch.command import add_watch_parser

    add_serve_parser(sub, DEFAULT_DB)
    add_watch_parser(sub, DEFAULT_DB)
    return parser


def _emit_briefs(briefs: Sequence[Brief], out: Path | None, formats: list[str]) -> bool:
    """Write briefs as DIR/<story-id>.<format> files (printing the paths) or to stdout; False when the
    output folder cannot be made."""
    from storyweave.render import RENDERERS, brief_to_json, brief_to_markdown

    if out is not None:
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            print(f"storyweave: error: cannot create {out}: {err.strerror}", file=sys.stderr)
            return False
        for brief in briefs:
            for fmt in formats:
                path = out / f"{brief.story.id}.{fmt}"
                path.write_text(RENDERERS[fmt](brief), encoding="utf-8")
                print(path)
    elif formats == ["json"]:
        for brief in briefs:
            print(json.dumps(json.loads(brief_to_json(brief)), ensure_ascii=False))
    else:
        print("\n\n---\n\n".join(brief_to_markdown(b) for b in briefs), end="")
    return True


def cmd_brief(args: argparse.Namespace) -> int:
    """``storyweave brief``: run the pipeline and write or print the briefs."""
    if args.length < 1:
        print("storyweave: error: --length must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    formats: list[str] = args.format or (list(FORMATS) if args.out else ["md"])
    if args.out is None and ("html" in formats or len(formats) > 1):
        print(
            "storyweave: error: without --out, choose one of --format md or --format json",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if args.db is not None:
        if args.paths:
            print("storyweave: error: give PATHs or --db FILE, not both", file=sys.stderr)
            return EXIT_USAGE
        return cmd_brief_store(args, formats)
    if not args.paths:
        print("storyweave: error: give article PATHs, or --db FILE to brief a store", file=sys.stderr)
        return EXIT_USAGE
    if args.story or args.all:
        print("storyweave: error: --story and --all need --db FILE", file=sys.stderr)
        return EXIT_USAGE
    if args.workers is not None and args.workers < 1:
        print("storyweave: error: --workers must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    processes = _local_processes(args)
    if processes is None:
        return EXIT_USAGE
    from storyweave.engine import EngineUnavailable

    show_progress = not args.quiet and sys.stderr.isatty()
    options: dict[str, Any] = {
        "length": args.length,
        "progress": _progress_factory(show_progress),
        "include": args.include,
        "allow_private": args.allow_private,
        "strict": args.strict,
    }
    try:
        with _engine(args) as client:
            if client is None and processes >= 2:
                from storyweave.engine.pool import run_processes

                result = run_processes(args.paths, processes, **options)
            elif client is None:
                from storyweave.pipeline import run

                result = run(args.paths, processes=processes or None, **options)
            else:
                from storyweave.engine.dask_engine import run_distributed

                result = run_distributed(args.paths, client, **options)
    except EngineUnavailable as err:
        print(f"storyweave: error: {err}", file=sys.stderr)
        return EXIT_NOTHING
    for error in result.errors:
        print(f"storyweave: error: {error}", file=sys.stderr)
    for notice in result.notices:
        print(f"storyweave: note: {notice}", file=sys.stderr)
    if not _emit_briefs(result.briefs, args.out, formats):
        return EXIT_USAGE
    if not result.briefs:
        print("storyweave: error: no story could be briefed from the inputs", file=sys.stderr)
        return EXIT_NOTHING
    return EXIT_PARTIAL if result.errors else EXIT_OK


# --------------------------------------------------------------------------------------------------
# The store commands: add, stories, brief --db, export, import


def _add_store_commands(sub: Any, brief: argparse.ArgumentParser) -> None:
    """The sub-commands that work on a store, and the store options of ``brief``."""
    brief.add_argument("--db", type=Path, help="brief stories from this store instead of PATHs")
    which = brief.add_mutually_exclusive_group()
    which.add_argument(
        "--story", action="append", metavar="ID", help="with --db: only this story (repeatable)"
    )
    which.add_argument("--all", action="store_true", help="with --db: every story (the default)")
    db_help = f"the store file (default ./{DEFAULT_DB})"
    add = sub.add_parser(
        "add",
        help="add articles to a store, grouping each into a story",
        description="Read, clean and analyse articles and store each in its story (an existing one or a "
        "new one). Articles already stored (same content or same id) are skipped; a bad input is "
        "reported on one line and the batch goes on. Safe to interrupt and re-run, and to run several at "
        "once on one store.",
    )
    add.add_argument("paths", nargs="+", metavar="PATH", help="article files, folders, URLs, or - for stdin")
    add.add_argument("--db", type=Path, default=Path(DEFAULT_DB), help=db_help)
    add.add_argument("--include", action="append", metavar="GLOB", help="as for brief")
    add.add_argument("--allow-private", action="store_true", help="as for brief")
    add.add_argument(
        "--outlets", type=Path, metavar="FILE", help="outlet table (CSV or TOML) naming outlets from URLs"
    )
    add.add_argument("-q", "--quiet", action="store_true", help="no progress bar, no per-article lines")
    add.add_argument("--strict", action="store_true", help=STRICT_HELP)
    _add_engine_options(add)
    stories = sub.add_parser("stories", help="list the stories in a store")
    stories.add_argument("--db", type=Path, default=Path(DEFAULT_DB), help=db_help)
    stories.add_argument("--json", action="store_true", help="a JSON array instead of a table")
    changes = sub.add_parser(
        "log",
        help="list story merges and splits in a store",
        description="The log of story changes: two stories found to be one merged (the merged story's id "
        "stays an alias that keeps working), or a story whose articles drifted apart split.",
    )
    changes.add_argument("--db", type=Path, default=Path(DEFAULT_DB), help=db_help)
    changes.add_argument("--story", metavar="ID", help="only changes involving this story (or an alias)")
    changes.add_argument("--json", action="store_true", help="a JSON array instead of lines")
    export = sub.add_parser("export", help="write a whole store as JSON lines")
    export.add_argument("--db", type=Path, default=Path(DEFAULT_DB), help=db_help)
    export.add_argument("--format", choices=["jsonl"], default="jsonl", help="export format (jsonl)")
    export.add_argument("--out", type=Path, help="write to this file instead of stdout")
    imp = sub.add_parser(
        "import",
        help="read an export into a store",
        description="Into an empty store, restore the export exactly; into a store with articles, add the "
        "export's articles (skipping those already stored) and group them with the stored stories.",
    )
    imp.add_argument("files", nargs="+", metavar="FILE", help="export files, or - for stdin")
    imp.add_argument("--db", type=Path, default=Path(DEFAULT_DB), help=db_help)


def _printer(progress: bool) -> Callable[[str, TextIO], None]:
    """print(), or tqdm.write() while a progress bar is on screen (so lines do not tear the bar)."""
    if not progress:
        return lambda line, stream: print(line, file=stream)
    from tqdm import tqdm

    return lambda line, stream: tqdm.write(line, file=stream)


def _store_failed(err: StoreError) -> int:
    print(f"storyweave: error: {err}", file=sys.stderr)
    return EXIT_NOTHING


def _outcome_reporter(say: Callable[[str, TextIO], None], quiet: bool) -> Callable[[AddOutcome], None]:
    """Live output of add/import: an added line on stdout, errors and notes on stderr."""
    from storyweave.model import InputError
    from storyweave.service import Added

    def report(outcome: AddOutcome) -> None:
        if isinstance(outcome, Added):
            if not quiet:
                new = " (new story)" if outcome.new_story else ""
                say(f"added {outcome.article_id} to {outcome.story_id}{new}", sys.stdout)
        elif isinstance(outcome, InputError):
            say(f"storyweave: error: {outcome}", sys.stderr)
        else:
            say(f"storyweave: note: {outcome}", sys.stderr)

    return report


def _local_processes(args: argparse.Namespace) -> int | None:
    """The local engine's process count for ``brief``: ``--processes``, else ``$STORYWEAVE_PROCESSES``,
    else 0 (the default: one process, spaCy's second process when a core is idle); None after printing
    a usage error."""
    from storyweave.analyse import PROCESSES_ENV, requested_processes

    try:
        asked = args.processes if args.processes is not None else requested_processes()
    except ValueError as err:
        print(f"storyweave: error: {err}", file=sys.stderr)
        return None
    if asked is not None and asked < 1:
        print("storyweave: error: --processes must be at least 1", file=sys.stderr)
        return None
    if asked is not None and args.processes is not None and (args.workers or args.scheduler):
        print(
            f"storyweave: error: --processes is for the local engine; with --workers or --scheduler the "
            f"Dask workers are the processes (unset {PROCESSES_ENV} too)",
            file=sys.stderr,
        )
        return None
    return asked or 0


def _add_summary(added: Sequence[Added], already: int, errors: int, db: Path) -> str:
    stories = len({a.story_id for a in added})
    new = sum(a.new_story for a in added)
    return (
        f"storyweave: {len(added)} added to {stories} {'story' if stories == 1 else 'stories'} ({new} new), "
        f"{already} already stored, {errors} failed; store {db}"
    )


def cmd_add(args: argparse.Namespace) -> int:
    """``storyweave add``: ingest, analyse and store articles, each in its story."""
    if args.workers is not None and args.workers < 1:
        print("storyweave: error: --workers must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    from storyweave.engine import EngineUnavailable
    from storyweave.outlets import OutletTable, OutletTableError
    from storyweave.service import add_to_store
    from storyweave.store import StoreError

    show_progress = not args.quiet and sys.stderr.isatty()
    say = _printer(show_progress)
    try:
        table = OutletTable.load(args.outlets) if args.outlets else None
    except OutletTableError as err:
        print(f"storyweave: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    try:
        with _engine(args) as client:
            analyse = None
            if client is not None:
                from storyweave.engine.dask_engine import cluster_analyser

                analyse = cluster_analyser(client, strict=args.strict)
            result = add_to_store(
                args.paths,
                args.db,
                progress=_progress_factory(show_progress),
                on_outcome=_outcome_reporter(say, args.quiet),
                include=args.include,
                allow_private=args.allow_private,
                strict=args.strict,
                analyse=analyse,
                annotate=table.annotate if table is not None else None,
            )
    except EngineUnavailable as err:
        print(f"storyweave: error: {err}", file=sys.stderr)
        return EXIT_NOTHING
    except StoreError as err:
        return _store_failed(err)
    except KeyboardInterrupt:
        print(
            f"storyweave: interrupted; the articles reported added are stored in {args.db}, and running the "
            "same command again adds the rest",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    summary = _add_summary(result.added, len(result.already_stored), len(result.errors), args.db)
    print(summary, file=sys.stderr)
    if result.errors:
        return EXIT_PARTIAL if result.added or result.already_stored else EXIT_NOTHING
    return EXIT_OK


def cmd_stories(args: argparse.Namespace) -> int:
    """``storyweave stories``: one line (or JSON object) per story in the store."""
    from storyweave.store import Store, StoreError

    try:
        with Store.open(args.db, create=False) as store:
            rows = store.stories()
    except StoreError as err:
        return _store_failed(err)
    if args.json:
        print(json.dumps([r.to_dict() for r in rows], ensure_ascii=False, indent=2))
        return EXIT_OK
    table = [("STORY", "ARTICLES", "INDEPENDENT", "FIRST SEEN", "LAST SEEN", "BRIEF", "HEADLINE")]
    for r in rows:
        brief = "current" if r.brief_current else ("stale" if r.briefed_version is not None else "none")
        counts = (str(r.article_count), str(r.independent_count))
        table.append((r.id, *counts, r.first_seen or "-", r.last_seen or "-", brief, r.headline))
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]) - 1)]
    for row in table:
        cells = [row[i].rjust(w) if i in (1, 2) else row[i].ljust(w) for i, w in enumerate(widths)]
        print("  ".join([*cells, row[-1]]))
    return EXIT_OK


def cmd_log(args: argparse.Namespace) -> int:
    """``storyweave log``: one line (or JSON object) per story merge or split, oldest first."""
    from storyweave.store import Store, StoreError

    try:
        with Store.open(args.db, create=False) as store:
            events = store.story_events(args.story)
    except StoreError as err:
        return _store_failed(err)
    if args.json:
        print(json.dumps([e.to_dict() for e in events], ensure_ascii=False, indent=2))
        return EXIT_OK
    for e in events:
        if e.kind == "merge":
            print(f"{e.at}  merge  {e.other_id} into {e.story_id} ({e.other_id} is now an alias)")
        else:
            moved = ", ".join(e.article_ids)
            print(f"{e.at}  split  {e.story_id}: {len(e.article_ids)} articles to {e.other_id} ({moved})")
    return EXIT_OK


def cmd_brief_store(args: argparse.Namespace, formats: list[str]) -> int:
    """``storyweave brief --db``: briefs from a store, remade only for stories whose articles changed."""
    from storyweave.service import brief_from_store
    from storyweave.store import StoreError

    show_progress = not args.quiet and sys.stderr.isatty()
    try:
        result = brief_from_store(
            args.db, args.story, length=args.length, progress=_progress_factory(show_progress)
        )
    except StoreError as err:
        return _store_failed(err)
    for story_id in result.missing:
        print(f"storyweave: error: no story {story_id} in {args.db}", file=sys.stderr)
    if not args.quiet and result.briefs:
        made = len(result.recomputed)
        print(
            f"storyweave: note: {made} of {len(result.briefs)} briefs made anew, "
            f"{len(result.briefs) - made} served from the store unchanged",
            file=sys.stderr,
        )
    if not _emit_briefs(result.briefs, args.out, formats):
        return EXIT_USAGE
    if not result.briefs:
        if not result.missing:
            print(f"storyweave: error: no stories in {args.db}", file=sys.stderr)
        return EXIT_NOTHING
    return EXIT_PARTIAL if result.missing else EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    """``storyweave export``: the whole store as JSON lines, to stdout or --out."""
    from storyweave.service import export_store
    from storyweave.store import StoreError

    try:
        if args.out is None:
            export_store(args.db, sys.stdout)
        else:
            tmp = args.out.with_name(args.out.name + ".part")
            with tmp.open("w", encoding="utf-8") as out:
                count = export_store(args.db, out)
            tmp.replace(args.out)  # a reader never sees half an export under the final name
            print(f"storyweave: wrote {count} records to {args.out}", file=sys.stderr)
    except StoreError as err:
        return _store_failed(err)
    except BrokenPipeError:  # the reader stopped early (`| head`): no traceback, no message
        return _closed_pipe()
    except OSError as err:
        print(f"storyweave: error: cannot write {args.out}: {err.strerror}", file=sys.stderr)
        return EXIT_NOTHING
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    """``storyweave import``: read exports into a store (restored exactly when the store is empty)."""
    from storyweave.service import import_to_store
    from storyweave.store import StoreError

    report = _outcome_reporter(_printer(False), quiet=True)
    added: list[Added] = []
    already = errors = 0
    merged = False
    for name in args.files:
        try:
            stream = sys.stdin if name == "-" else open(name, encoding="utf-8")  # noqa: SIM115
        except OSError as err:
            print(f"storyweave: error: {name}: cannot read ({err.strerror})", file=sys.stderr)
            errors += 1
            continue
        try:
            with stream:
                result = import_to_store(stream, args.db, source=name, on_outcome=report)
        except StoreError as err:
            return _store_failed(err)
        except (OSError, UnicodeDecodeError) as err:
            print(f"storyweave: error: {name}: cannot read ({err})", file=sys.stderr)
            errors += 1
            continue
        if result.restored:
            stories = len({a.story_id for a in result.added})
            print(
                f"storyweave: restored {len(result.added)} articles in {stories} stories from {name}",
                file=sys.stderr,
            )
        merged = merged or not result.restored
        added.extend(result.added)
        already += len(result.already_stored)
        errors += len(result.errors)
    if merged or errors:
        print(_add_summary(added, already, errors, args.db), file=sys.stderr)
    if errors:
        return EXIT_PARTIAL if added or already else EXIT_NOTHING
    return EXIT_OK


# What ``serve`` imports beyond the runtime set: the ``server`` extra.
SERVER_MODULES = ("fastapi", "uvicorn", "python_multipart")


def cmd_serve(args: argparse.Namespace) -> int:
    """``storyweave serve``: needs the server extra (FastAPI, uvicorn), said plainly when it is missing."""
    from importlib.util import find_spec

    missing = [name for name in SERVER_MODULES if find_spec(name) is None]
    if missing:
        print(
            f"storyweave: error: serve needs the server extra ({', '.join(missing)} not installed): "
            "pip install 'storyweave[server]' (or make install-dev)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    from storyweave.server.command import cmd_serve as serve

    return serve(args)


def _closed_pipe() -> int:
    """The reader of stdout went away (``storyweave stories | head``): stop quietly, like other tools.

    stdout is pointed at /dev/null so that the interpreter's final flush does not complain either."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return EXIT_PARTIAL


def _cmd_watch(args: argparse.Namespace) -> int:
    from storyweave.watch.command import cmd_watch

    return cmd_watch(args)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``storyweave`` command."""
    if list(sys.argv[1:] if argv is None else argv) == ["--version"]:
        # the one answer that needs no parser: building it imports the server and watch option modules
        print(f"storyweave {__version__}")
        return EXIT_OK
    args = build_parser().parse_args(argv)
    commands: dict[str, Callable[[argparse.Namespace], int]] = {
        "brief": cmd_brief,
        "add": cmd_add,
        "stories": cmd_stories,
        "log": cmd_log,
        "export": cmd_export,
        "import": cmd_import,
        "serve": cmd_serve,
        "watch": _cmd_watch,
    }
    command = commands.get(args.command)
    if command is None:
        return EXIT_USAGE  # argparse rejects unknown commands
    try:
        code = command(args)
        sys.stdout.flush()
    except BrokenPipeError:
        return _closed_pipe()
    return code


if __name__ == "__main__":
    sys.exit(main())
