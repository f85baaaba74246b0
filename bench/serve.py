"""Web server load test: requests/s and p50/p99 latency of the brief page and the stories API, loopback.

The store holds --limit stories (default 1,000) of five articles each. Running the NLP 1,000 times would
take most of an hour, so the pipeline runs once, on the bundled sample (examples/putin-kim-summit: five
real reports, a large brief of ~85 facts), and the store is then filled through the Store API with
synthetic copies of those stored articles and that stored brief, each under new story and article ids,
a numbered headline and its own dates. Every brief is current, as in a store briefed by `storyweave
brief --db`, so the figures are those of serving, not of briefing.

OUR server: `storyweave serve` in a subprocess (uvicorn, one process) on a free 127.0.0.1 port.
BASELINE, measured in the same run: Python's http.server (ThreadingHTTPServer) in a subprocess serving the
same bytes as static files (the brief page rendered once, the first page of the stories API saved once):
what a server costs that renders nothing. Load: a fixed number of requests per endpoint from a few
threads, each with its own keep-alive httpx client, bounded in count and in time; brief pages cycle over
every story of the store in a shuffled order (the page cache mostly misses), then a "hot" row asks for one
story again and again (the page cache serves it).

    .venv/bin/python bench/serve.py [--data DIR] [--json FILE] [--limit N] [--requests N] [--threads N]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from storyweave import thresholds  # noqa: E402
from storyweave.model import AnalysedArticle, Brief  # noqa: E402
from storyweave.service import add_to_store, brief_from_store, story_summary  # noqa: E402
from storyweave.store import Member, Store  # noqa: E402

SAMPLE = ROOT / "examples" / "putin-kim-summit"
SEED = 11
WARMUP = 20  # requests per endpoint before timing (connections, caches, lazy imports)


# --------------------------------------------------------------------------------------------------
# The store


def template(workdir: Path) -> tuple[list[AnalysedArticle], Brief]:
    """The sample's analysed articles and its brief, made by the real pipeline once."""
    db = workdir / "template.db"
    result = add_to_store(sorted(SAMPLE.glob("*.txt")), db)
    if result.errors or not result.added:
        raise SystemExit(f"could not store the sample: {result.errors}")
    story_id = result.added[0].story_id
    briefs = brief_from_store(db, [story_id]).briefs
    with Store.open(db, create=False) as store:
        docs = store.story_docs(story_id)
    return docs, briefs[0]


def _renamed(data: str, names: dict[str, str]) -> str:
    for old, new in names.items():
        data = data.replace(old, new)
    return data


def build_store(db: Path, count: int, docs: Sequence[AnalysedArticle], brief: Brief) -> list[str]:
    """``count`` synthetic stories, each a renamed copy of the template's articles and brief; their ids."""
    doc_json = [json.dumps(d.to_dict()) for d in docs]
    brief_json = json.dumps(brief.to_dict())
    members = [Member(d.id, d.article.title, d.article.text, d.article.published, False) for d in docs]
    summary_json = json.dumps(story_summary(members))  # syndication groups etc.: the same for every copy
    ids: list[str] = []
    with Store.open(db) as store, store.write():
        for n in range(count):
            story_id = f"s_bench{n:06d}"
            names = {d.id: f"{d.id}-b{n}" for d in docs}
            names[brief.story.id] = story_id
            day = f"2023-{1 + n % 12:02d}-{1 + n % 28:02d}"
            for text in doc_json:
                copy = AnalysedArticle.from_dict(json.loads(_renamed(text, names)))
                copy.article.raw_text += f"\n\n(bench copy {n})"  # a distinct content hash
                copy.article.published = day
                store.insert_article(copy, story_id)
            summary = json.loads(_renamed(summary_json, names))
            summary.update(headline=f"{brief.story.headline} (#{n + 1})", first_seen=day, last_seen=day)
            version = store.save_story(story_id, **summary)
            data = json.loads(_renamed(brief_json, names))
            data["story"].update(headline=summary["headline"], first_seen=day, last_seen=day)
            store.save_brief(story_id, version, thresholds.SUMMARY_SENTENCES, Brief.from_dict(data))
            ids.append(story_id)
    return ids


# --------------------------------------------------------------------------------------------------
# Servers


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# The baseline: stdlib http.server with keep-alive (as uvicorn and httpx use), TCP_NODELAY, a listen
# backlog that takes the client threads' connections, and no per-request log line.
STATIC_SERVER = """
import http.server, sys
class Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out as two writes: no 40 ms delayed-ACK stall
    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=sys.argv[2], **kwargs)
    def log_message(self, *args):
        pass
class Server(http.server.ThreadingHTTPServer):
    request_queue_size = 128
Server(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
"""


@contextlib.contextmanager
def running(
    command: Sequence[str], ready_url: str, log: Path, env: dict[str, str] | None = None
) -> Iterator[None]:
    """A server subprocess (its output to ``log``), waited for until ``ready_url`` answers 200, stopped on
    exit."""
    with log.open("w") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                raise SystemExit(f"server exited: {log.read_text()[-2000:]}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(ready_url, timeout=2).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise SystemExit(f"server did not answer {ready_url}")
            time.sleep(0.2)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --------------------------------------------------------------------------------------------------
# Load


def load(urls: Sequence[str], requests: int, threads: int, time_limit: float) -> dict[str, Any]:
    """GET ``urls`` round-robin, ``requests`` in all from ``threads`` clients, stopping at ``time_limit``."""
    lock = threading.Lock()
    issued = 0
    latencies: list[float] = []
    errors = 0
    stop_at = time.monotonic() + time_limit

    def worker() -> None:
        nonlocal issued, errors
        with httpx.Client(timeout=30) as client:
            while True:
                with lock:
                    if issued >= requests or time.monotonic() > stop_at:
                        return
                    url = urls[issued % len(urls)]
                    issued += 1
                t0 = time.perf_counter()
                try:
                    ok = client.get(url).status_code == 200
                except httpx.HTTPError:
                    ok = False
                elapsed = time.perf_counter() - t0
                with lock:
                    latencies.append(elapsed)
                    errors += not ok

    for url in urls[:WARMUP]:
        httpx.get(url, timeout=60)
    start = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        for future in [pool.submit(worker) for _ in range(threads)]:
            future.result()
    wall = time.perf_counter() - start
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": errors,
        "seconds": round(wall, 2),
        "rps": round(len(latencies) / wall, 1) if wall else 0.0,
        "p50_ms": round(1000 * statistics.median(latencies), 1) if latencies else None,
        "p99_ms": round(1000 * latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))], 1)
        if latencies
        else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--data",
        type=Path,
        default=ROOT.parent / "shared" / "data",
        help="unused: the store is built from the sample",
    )
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here as JSON")
    parser.add_argument("--limit", type=int, default=1_000, help="stories in the store (default 1,000)")
    parser.add_argument("--requests", type=int, default=1_000, help="timed requests per row (default 1,000)")
    parser.add_argument("--threads", type=int, default=4, help="client threads (default 4)")
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per row at most (default 60)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="storyweave-bench-serve-") as tmp:
        work = Path(tmp)
        t0 = time.perf_counter()
        docs, brief = template(work)
        t1 = time.perf_counter()
        db = work / "bench.db"
        story_ids = build_store(db, args.limit, docs, brief)
        t2 = time.perf_counter()
        print(
            f"  store: {len(story_ids)} stories x {len(docs)} articles; pipeline once on the sample "
            f"{t1 - t0:.0f}s, synthetic copies through the Store API {t2 - t1:.0f}s",
            file=sys.stderr,
        )
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        env.pop("STORYWEAVE_TOKEN", None)
        ours = f"http://127.0.0.1:{free_port()}"
        static_dir = work / "static"
        static_dir.mkdir()
        shuffled = random.Random(SEED).sample(story_ids, len(story_ids))
        rows: list[dict[str, Any]] = []

        def measure(name: str, server: str, urls: Sequence[str]) -> None:
            figures = load(urls, args.requests, args.threads, args.time_limit)
            rows.append({"endpoint": name, "server": server, **figures})
            print(f"  {name} / {server}: {figures}", file=sys.stderr)

        serve = [
            sys.executable,
            "-m",
            "storyweave.cli",
            "serve",
            "--db",
            str(db),
            "--port",
            ours.rsplit(":", 1)[1],
        ]
        with running([*serve, "-q"], f"{ours}/api/health", work / "serve.log", env):
            (static_dir / "brief.html").write_bytes(
                httpx.get(f"{ours}/stories/{shuffled[0]}", timeout=60).content
            )
            (static_dir / "stories.json").write_bytes(httpx.get(f"{ours}/api/stories", timeout=60).content)
            measure(
                f"brief page, {len(shuffled):,} stories in turn",
                "OURS storyweave serve",
                [f"{ours}/stories/{s}" for s in shuffled],
            )
            measure("brief page, one hot story", "OURS storyweave serve", [f"{ours}/stories/{shuffled[0]}"])
            measure("stories API, 50 per page", "OURS storyweave serve", [f"{ours}/api/stories"])
            measure(
                "stories API, search + sort by size",
                "OURS storyweave serve",
                [f"{ours}/api/stories?q=kim+{n}&sort=size" for n in range(1, 100)],
            )
        base = f"http://127.0.0.1:{free_port()}"
        static = [sys.executable, "-c", STATIC_SERVER, base.rsplit(":", 1)[1], str(static_dir)]
        with running(static, f"{base}/stories.json", work / "static.log"):
            measure("brief page, one hot story", "BASELINE static http.server", [f"{base}/brief.html"])
            measure("stories API, 50 per page", "BASELINE static http.server", [f"{base}/stories.json"])

    print(
        f"\nServing on loopback: {len(story_ids):,} stories x {len(docs)} articles (synthetic copies of the "
        f"sample's stored brief, inserted through the Store API; NLP run once), {args.threads} client "
        f"threads, up to {args.requests:,} requests per row"
    )
    print(
        f"{'endpoint':36} {'server':28} {'requests':>8} {'errors':>6} {'req/s':>8} "
        f"{'p50 ms':>8} {'p99 ms':>8}"
    )
    for r in rows:
        print(
            f"{r['endpoint']:36} {r['server']:28} {r['requests']:>8} {r['errors']:>6} {r['rps']:>8} "
            f"{r['p50_ms']:>8} {r['p99_ms']:>8}"
        )
    print(
        "(BASELINE = the same bytes as static files from Python's http.server: the cost of rendering nothing)"
    )
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "stories": len(story_ids),
                    "articles_per_story": len(docs),
                    "threads": args.threads,
                    "synthetic_store": "copies of the sample's stored brief via the Store API; NLP run once",
                    "rows": rows,
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
