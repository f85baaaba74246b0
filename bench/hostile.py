"""The cost of hostile inputs (issue 16), each in a fresh process, beside a baseline in the same run.

1. A 18 KB feed of 100 malformed ``pubDate``s (tests/fixtures/hostile/malformed-dates.rss): CPU seconds of
   our feed reader, beside the same feed with valid dates (the floor: reading and HTML stripping) and
   beside the old way of reading those dates (``dateparser.parse`` detecting a language per string, as
   the reader did before strict formats).
2. A 19 MB plain-text input (an invented article repeated; built in a temporary folder): peak memory and
   CPU of ``storyweave brief`` on it (refused by the character cap before analysis), beside
   ``storyweave brief`` on one ordinary article (the floor: interpreter, spaCy and every stage loaded).

Usage: .venv/bin/python bench/hostile.py [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FEED = ROOT / "tests" / "fixtures" / "hostile" / "malformed-dates.rss"
BIG_MB = 19

# Run in the child: a snippet, then print the child's own CPU seconds and peak RSS as JSON.
_MEASURE = """
import json, resource, sys
{body}
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({{"cpu_s": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024}}))
"""
_READ_FEED = """
import time
from storyweave.ingest.feed import read_feed
data = open(sys.argv[1], "rb").read()
start = time.process_time()
items = list(read_feed(data, "feed.rss"))
cpu = time.process_time() - start
print(json.dumps({"read_cpu_s": cpu, "entries": len(items),
                   "dated": sum(1 for i in items if getattr(i, "published", None))}))
"""
_OLD_DATES = """
import re, time
import dateparser
dates = re.findall(r"<pubDate>(.*?)</pubDate>", open(sys.argv[1], encoding="utf-8").read())
start = time.process_time()
found = [dateparser.parse(d, settings={"REQUIRE_PARTS": ["day", "month", "year"]}) for d in dates]
cpu = time.process_time() - start
print(json.dumps({"read_cpu_s": cpu, "entries": len(dates), "dated": sum(1 for f in found if f)}))
"""
_BRIEF = """
from storyweave.cli import main
try:
    code = main(["brief", sys.argv[1], "--out", sys.argv[2], "-q"])
except SystemExit as stop:
    code = stop.code
print(json.dumps({"exit": code}))
"""
ARTICLE = (
    "Harbour council approves ferry route\n\n"
    "The harbour council voted seven to two on Tuesday to approve a new ferry route to the northern "
    "islands, the council said in a statement. Service will start in the spring, with two crossings a "
    "day.\n\n"
    '"This is a good day for the islands," said Mayor Jane Holm, who has backed the route since 2021.\n'
)


def _child(body: str, *args: str) -> dict[str, Any]:
    """Run ``body`` in a fresh interpreter; the merged JSON lines it prints."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE.format(body=body), *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    result: dict[str, Any] = {}
    for line in done.stdout.splitlines():
        if line.startswith("{"):
            result.update(json.loads(line))
    if not result:
        raise RuntimeError(f"child failed: {done.stderr[-2000:]}")
    result["stderr"] = done.stderr.strip().splitlines()[:2]
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        valid = folder / "valid-dates.rss"
        valid.write_text(
            re.sub(
                r"<pubDate>.*?</pubDate>",
                "<pubDate>Wed, 13 Sep 2023 08:00:00 GMT</pubDate>",
                FEED.read_text(encoding="utf-8"),
            ),
            encoding="utf-8",
        )
        figures["malformed dates: our reader"] = _child(_READ_FEED, str(FEED))
        figures["valid dates: our reader (floor)"] = _child(_READ_FEED, str(valid))
        figures["malformed dates: dateparser with language detection (old way)"] = _child(
            _OLD_DATES, str(FEED)
        )

        big = folder / "big.txt"
        body = ARTICLE.split("\n\n", 1)[1]
        with big.open("w", encoding="utf-8") as out:
            out.write(ARTICLE.split("\n\n", 1)[0] + "\n\n")
            while out.tell() < BIG_MB * 1024 * 1024:
                out.write(body)
        small = folder / "one.txt"
        small.write_text(ARTICLE, encoding="utf-8")
        figures[f"{BIG_MB} MB text: storyweave brief"] = _child(_BRIEF, str(big), str(folder / "out-big"))
        figures["one article: storyweave brief (floor)"] = _child(_BRIEF, str(small), str(folder / "out-one"))

    print(f"{'case':<66} {'CPU s':>7} {'peak MB':>8}  result")
    for name, row in figures.items():
        if "read_cpu_s" in row:
            result = (
                f"{row['entries']} entries, {row['dated']} dated; reading alone {row['read_cpu_s']:.2f} CPU-s"
            )
        else:
            result = f"exit {row['exit']}; " + " / ".join(row["stderr"])[:160]
        print(f"{name:<66} {row['cpu_s']:7.2f} {row['peak_mb']:8.0f}  {result}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
