"""Start-up time of the command line: ``storyweave --version`` and ``storyweave stories`` against
``python -c pass`` (the floor) and against importing the whole pipeline (what every command paid when the CLI
imported it eagerly), measured in the same run.

Each command runs ``--runs`` times in a fresh interpreter (as the ``storyweave`` console script does:
import ``storyweave.cli`` and call ``main``); the table gives the median wall time and the median CPU time
(user + system of the child). Target (issue 14): ``storyweave --version`` <= 0.3 s wall.

Usage: .venv/bin/python bench/startup.py [--runs N] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 0.3
CLI = "import sys; from storyweave.cli import main; sys.exit(main())"


def _measure(argv: list[str], runs: int, env: dict[str, str]) -> tuple[float, float]:
    """Median wall seconds and median CPU seconds of ``argv`` over ``runs`` fresh processes."""
    walls: list[float] = []
    cpus: list[float] = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    return statistics.median(walls), statistics.median(cpus)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--runs", type=int, default=7, help="processes per command (default 7)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "empty.db")
        subprocess.run(
            [py, "-c", f"from storyweave.store import Store; Store.open({db!r}).close()"], env=env, check=True
        )
        commands = {
            "python -c pass (floor)": [py, "-c", "pass"],
            "storyweave --version": [py, "-c", CLI, "--version"],
            "storyweave stories (empty store)": [py, "-c", CLI, "stories", "--db", db],
            "import storyweave.pipeline + server (eager CLI)": [
                py,
                "-c",
                "import storyweave.pipeline, storyweave.service, storyweave.server.app",
            ],
        }
        rows = {name: _measure(cmd, args.runs, env) for name, cmd in commands.items()}
    floor_wall = rows["python -c pass (floor)"][0]
    print(f"{'command':<50} {'wall s':>8} {'CPU s':>8} {'x floor':>8}")
    for name, (wall, cpu) in rows.items():
        print(f"{name:<50} {wall:8.3f} {cpu:8.3f} {wall / floor_wall:8.1f}")
    version_wall = rows["storyweave --version"][0]
    verdict = "meets" if version_wall <= TARGET_SECONDS else "misses"
    print(f"storyweave --version: {version_wall:.3f} s wall, {verdict} the {TARGET_SECONDS} s target")
    if args.json:
        args.json.write_text(
            json.dumps({name: {"wall_s": w, "cpu_s": c} for name, (w, c) in rows.items()}, indent=2) + "\n",
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
