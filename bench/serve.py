"""Web server load test: requests/s and p50/p99 latency of brief pages, the story list, the stories API and
full-text search, on loopback, while `storyweave watch` adds articles to the same store.

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

While OUR rows run, `storyweave watch` (a second process) polls a loopback RSS feed that publishes a new
entry every --publish-every seconds: development articles (up to three source articles of each of the first
--watch-clusters Multi-News clusters, a cluster's later articles after every first one, so that they join
stories that already have a brief). The server's background worker re-briefs those stories meanwhile; a
request never waits for it: 202 answers (a first brief not made yet) and stale answers (the previous brief,
marked as updating) are counted per row. Server CPU seconds per row come from /proc.

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
from watch import Feeds  # noqa: E402  (bench/watch.py: the loopback feed server)
from watch import serve as serve_feeds  # noqa: E402

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
    command: Sequence[str], ready_url: str | None, log: Path, env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """A server subprocess (its output to ``log``), waited for until ``ready_url`` answers 200, stopped on
    exit."""
    with log.open("w") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    try:
        deadline = time.monotonic() + 120
        while ready_url is not None:
            if process.poll() is not None:
                raise SystemExit(f"server exited: {log.read_text()[-2000:]}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(ready_url, timeout=2).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise SystemExit(f"server did not answer {ready_url}")
            time.sleep(0.2)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --------------------------------------------------------------------------------------------------
# Load


def proc_cpu(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load(urls: Sequence[str], requests: int, threads: int, time_limit: float) -> dict[str, Any]:
    """GET ``urls`` round-robin, ``requests`` in all from ``threads`` clients, stopping at ``time_limit``.

    200 is a success, and so is 202 (a brief not made yet, answered at once); anything else is an error.
    ``updating``: answers that served a stale brief while a new one was being made (header says so)."""
    lock = threading.Lock()
    issued = 0
    latencies: list[float] = []
    errors = 0
    updating = 0
    pending = 0
    stop_at = time.monotonic() + time_limit

    def worker() -> None:
        nonlocal issued, errors, updating, pending
        with httpx.Client(timeout=30) as client:
            while True:
                with lock:
                    if issued >= requests or time.monotonic() > stop_at:
                        return
                    url = urls[issued % len(urls)]
                    issued += 1
                t0 = time.perf_counter()
                stale = waiting = False
                try:
                    response = client.get(url)
                    ok = response.status_code in (200, 202)
                    waiting = response.status_code == 202
                    stale = response.headers.get("x-storyweave-brief") == "updating" or (
                        b"being updated" in response.content
                    )
                except httpx.HTTPError:
                    ok = False
                elapsed = time.perf_counter() - t0
                with lock:
                    latencies.append(elapsed)
                    errors += not ok
                    updating += stale
                    pending += waiting

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
        "updating": updating,
        "answered_202": pending,
        "seconds": round(wall, 2),
        "rps": round(len(latencies) / wall, 1) if wall else 0.0,
        "p50_ms": round(1000 * statistics.median(latencies), 1) if latencies else None,
        "p99_ms": round(1000 * latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))], 1)
        if latencies
        else None,
    }


# --------------------------------------------------------------------------------------------------
# A watcher adding articles while the load runs


def cluster_entries(data: Path, clusters: int) -> list[tuple[str, str]]:
    """``(title, text)`` feed entries: up to three source articles of each of the first Multi-News
    clusters, ordered so that a cluster's later articles come after every cluster's first one (they join
    stories that already have a brief, which then goes stale and is made again in the background). Falls
    back to the invented stories of tests/fixtures/mixed when the development data is missing."""
    rounds: list[list[tuple[str, str]]] = [[], [], []]
    path = data / "multinews" / "clusters.jsonl"
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines()[:clusters]:
            texts = [
                str(t).strip() for t in json.loads(line).get("articles", []) if len(str(t).split()) > 120
            ]
            for n, text in enumerate(texts[:3]):
                rounds[n].append((" ".join(text.split()[:10]), text))
    entries = [e for r in rounds for e in r]
    if entries:
        return entries
    fallback = sorted((ROOT / "tests" / "fixtures" / "mixed").glob("*.txt"))
    return [
        (p.read_text(encoding="utf-8").split("\n", 1)[0], p.read_text(encoding="utf-8")) for p in fallback
    ]


class Publisher:
    """Publishes the next entry on feed "a" every ``every`` seconds until stopped (a bounded loop)."""

    def __init__(self, feeds: Feeds, every: float) -> None:
        self.feeds = feeds
        self.every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        for _ in range(len(self.feeds.pool)):
            if self._stop.wait(self.every):
                return
            self.feeds.publish("a")


def under_watch(measure: Any, ours: str, shuffled: Sequence[str]) -> None:
    """The rows measured while the watcher adds articles (and the server re-briefs in the background)."""
    server = "OURS storyweave serve"
    measure(
        f"brief page, {len(shuffled):,} stories in turn", server, [f"{ours}/stories/{s}" for s in shuffled]
    )
    measure("brief page, one hot story", server, [f"{ours}/stories/{shuffled[0]}"])
    measure("story list page (/)", server, [f"{ours}/"])
    measure("stories API, 50 per page", server, [f"{ours}/api/stories"])
    measure(
        "stories API, full-text + size sort",
        server,
        [f"{ours}/api/stories?q=kim+{n}&sort=size" for n in range(1, 100)],
    )
    words = ["Pyongyang", "Vostochny", "cosmodrome", "Shoigu", "ammunition", "satellite", "Kremlin", "rocket"]
    measure("search API (articles, quotes, facts)", server, [f"{ours}/api/search?q={w}" for w in words])
    measure("search page", server, [f"{ours}/search?q={w}" for w in words])
    growing = [
        s["id"] for s in httpx.get(f"{ours}/api/stories?sort=updated&limit=10", timeout=60).json()["stories"]
    ]
    measure("brief page, stories the watcher grows", server, [f"{ours}/stories/{s}" for s in growing])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--data",
        type=Path,
        default=ROOT.parent / "shared" / "data",
        help="development data: Multi-News clusters feed the watcher (the store is built from the sample)",
    )
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here as JSON")
    parser.add_argument("--limit", type=int, default=1_000, help="stories in the store (default 1,000)")
    parser.add_argument("--requests", type=int, default=1_000, help="timed requests per row (default 1,000)")
    parser.add_argument("--threads", type=int, default=4, help="client threads (default 4)")
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per row at most (default 60)")
    parser.add_argument(
        "--watch-clusters", type=int, default=12, help="Multi-News clusters the watched feed publishes from"
    )
    parser.add_argument(
        "--publish-every", type=float, default=2.0, help="seconds between new feed entries (default 2)"
    )
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

        server_pid = 0

        def measure(name: str, server: str, urls: Sequence[str]) -> None:
            c0 = proc_cpu(server_pid) if server_pid else 0.0
            figures = load(urls, args.requests, args.threads, args.time_limit)
            if server_pid:
                figures["server_cpu_s"] = round(proc_cpu(server_pid) - c0, 2)
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
        feeds = Feeds(cluster_entries(args.data, args.watch_clusters))
        with running([*serve, "-q"], f"{ours}/api/health", work / "serve.log", env) as server_process:
            server_pid = server_process.pid
            (static_dir / "brief.html").write_bytes(
                httpx.get(f"{ours}/stories/{shuffled[0]}", timeout=60).content
            )
            (static_dir / "stories.json").write_bytes(httpx.get(f"{ours}/api/stories", timeout=60).content)
            with serve_feeds(feeds) as feed_base:
                watch = [
                    *(sys.executable, "-m", "storyweave.cli", "watch", f"{feed_base}/feed-a"),
                    *("--db", str(db), "--every", "1s", "--allow-private"),
                ]
                publisher = Publisher(feeds, args.publish_every)
                with running(watch, None, work / "watch.log", env) as watch_process:
                    publisher.start()
                    wc0 = proc_cpu(watch_process.pid)
                    try:
                        under_watch(measure, ours, shuffled)
                    finally:
                        publisher.stop()
                        watch_cpu = round(proc_cpu(watch_process.pid) - wc0, 2)
            server_pid = 0
        with Store.open(db, create=False) as store:
            added = store.article_count() - len(story_ids) * len(docs)
            stale = store.connection.execute(
                "SELECT count(*) FROM stories s LEFT JOIN briefs b ON b.story_id = s.id"
                " WHERE b.story_id IS NULL OR b.story_version != s.version"
            ).fetchone()[0]
        watch_note = (
            f"while `storyweave watch` added {added} articles from a loopback feed "
            f"({len(feeds.published['a'])} entries published, one every {args.publish_every:g} s; the watch "
            f"process used {watch_cpu} CPU-s); {stale} stories still waiting for a new brief at the end"
        )
        print(f"  {watch_note}", file=sys.stderr)
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
    print(f"OURS rows measured {watch_note}")
    print(
        f"{'endpoint':38} {'server':28} {'requests':>8} {'errors':>6} {'202':>5} {'stale':>6} {'req/s':>8} "
        f"{'p50 ms':>8} {'p99 ms':>8} {'srv CPU-s':>9}"
    )
    for r in rows:
        print(
            f"{r['endpoint']:38} {r['server']:28} {r['requests']:>8} {r['errors']:>6} {r['answered_202']:>5} "
            f"{r['updating']:>6} {r['rps']:>8} {r['p50_ms']:>8} {r['p99_ms']:>8} "
            f"{r.get('server_cpu_s', '-')!s:>9}"
        )
    print(
        "(BASELINE = the same bytes as static files from Python's http.server: the cost of rendering "
        "nothing; 202 = brief not made yet, answered at once; stale = a previous brief served marked as "
        "updating)"
    )
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "stories": len(story_ids),
                    "articles_per_story": len(docs),
                    "threads": args.threads,
                    "synthetic_store": "copies of the sample's stored brief via the Store API; NLP run once",
                    "during": watch_note,
                    "rows": rows,
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
