"""The command line: a thin layer over :mod:`storyweave.pipeline`.

Machine-readable output goes to stdout or files; progress and diagnostics go to stderr.
Exit codes: 0 all inputs briefed; 1 some inputs failed (the rest were briefed); 2 usage error;
3 nothing could be briefed.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from storyweave import __version__, thresholds
from storyweave.pipeline import run
from storyweave.render import RENDERERS, brief_to_json, brief_to_markdown

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, EXIT_NOTHING = 0, 1, 2, 3


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


def _formats(value: str) -> list[str]:
    formats = [f.strip().lower() for f in value.split(",") if f.strip()]
    unknown = [f for f in formats if f not in RENDERERS]
    if unknown or not formats:
        raise argparse.ArgumentTypeError(
            f"unknown format {', '.join(unknown) or value!r}; choose from {', '.join(RENDERERS)}"
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
    brief.add_argument("paths", nargs="+", metavar="PATH", help="article files, folders, or - for stdin")
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
    brief.add_argument("-q", "--quiet", action="store_true", help="no progress bars")
    return parser


def cmd_brief(args: argparse.Namespace) -> int:
    """``storyweave brief``: run the pipeline and write or print the briefs."""
    if args.length < 1:
        print("storyweave: error: --length must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    formats: list[str] = args.format or (list(RENDERERS) if args.out else ["md"])
    if args.out is None and ("html" in formats or len(formats) > 1):
        print(
            "storyweave: error: without --out, choose one of --format md or --format json",
            file=sys.stderr,
        )
        return EXIT_USAGE
    show_progress = not args.quiet and sys.stderr.isatty()
    result = run(args.paths, length=args.length, progress=_progress_factory(show_progress))
    for error in result.errors:
        print(f"storyweave: error: {error}", file=sys.stderr)
    for notice in result.notices:
        print(f"storyweave: note: {notice}", file=sys.stderr)
    if args.out is not None:
        try:
            args.out.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            print(f"storyweave: error: cannot create {args.out}: {err.strerror}", file=sys.stderr)
            return EXIT_USAGE
        for brief in result.briefs:
            for fmt in formats:
                path = args.out / f"{brief.story.id}.{fmt}"
                path.write_text(RENDERERS[fmt](brief), encoding="utf-8")
                print(path)
    elif formats == ["json"]:
        for brief in result.briefs:
            print(json.dumps(json.loads(brief_to_json(brief)), ensure_ascii=False))
    else:
        print("\n\n---\n\n".join(brief_to_markdown(b) for b in result.briefs), end="")
    if not result.briefs:
        print("storyweave: error: no story could be briefed from the inputs", file=sys.stderr)
        return EXIT_NOTHING
    return EXIT_PARTIAL if result.errors else EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``storyweave`` command."""
    args = build_parser().parse_args(argv)
    if args.command == "brief":
        return cmd_brief(args)
    return EXIT_USAGE  # argparse rejects unknown commands before this


if __name__ == "__main__":
    sys.exit(main())
