"""Throughput: `storyweave brief` and `add` against the limit set by reading + cleaning + spaCy alone, the
Dask engine on one worker against two, and the cost of one growing story per stage.

Corpus: the 924 development articles (772 ECB+ documents and the 152 Multi-News cluster articles, from
``--data``) written as gzipped JSON-lines shards of 250 records (``shard-NNN.jsonl.gz``, as crawlers
produce them); sizes beyond 924 repeat the pool with new ids and a line naming the copy, so no two records
are the same content. Every figure of a size comes from commands run in one window, as whole processes:
CPU seconds are user + system of the process and everything it waited for (the Dask workers included),
memory is the largest single process's peak RSS. Each row also gives the 1-minute load average before
and after it: wall-time ratios only mean something when the load stayed below the core count.

- ``limit``: read + clean + the spaCy pipeline the analysis loads, over the same shards (the floor no
  engine can go under on this machine);
- ``brief``: ``storyweave brief SHARDS --out DIR --format json -q --processes 1`` (local engine, one
  process: spaCy's second process is switched off, so the CPU seconds do not depend on the load);
- ``brief-2p``: the same with ``--processes 2`` (a pool of two worker processes of this machine); its
  wall time against ``brief``'s is the two-processes-on-two-cores figure, and its briefs are compared with
  the one-process briefs;
- ``add``: ``storyweave add SHARDS --db FILE -q`` into a new store;
- ``dask-1`` / ``dask-2``: ``storyweave brief ... --workers 1`` and ``--workers 2`` (a LocalCluster of one
  or two single-threaded worker processes); their briefs are compared with the local engine's.
Story: one story of 10 / 100 / 1,000 articles (variants of one Multi-News cluster: each article with its
paragraphs rotated and one dropped per variant, new id), briefed in a fresh process; CPU seconds of each
per-story stage (the functions ``pipeline.brief_story`` calls, timed by wrapping them), peak RSS (the
process, its analysis of the articles and the spaCy model included), and the growth exponent of the total
between the two largest sizes. Then the story's other articles are stored and the last one is added with
``service.add_to_store`` (models warm): its CPU seconds, and those of cleaning + analysing it alone.

    .venv/bin/python bench/throughput.py [--data DIR] [--sizes 100,1000] [--story-sizes 10,100,1000]
                                        [--no-dask] [--json FILE]
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

SHARD_SIZE = 250
STORYWEAVE = [sys.executable, "-m", "storyweave"]


# --------------------------------------------------------------------------------------------------
# Data


def _pool(data: Path) -> list[dict[str, str]]:
    pool: list[dict[str, str]] = []
    ecb = data / "ecbplus" / "docs.jsonl"
    news = data / "multinews" / "clusters.jsonl"
    for path in (ecb, news):
        if not path.exists():
            sys.exit(
                f"bench/throughput.py: {path} is missing. The development data (ECB+, Multi-News) is not "
                "part of the repository; pass --data DIR pointing at a folder holding ecbplus/ and multinews/"
            )
    with ecb.open(encoding="utf-8") as lines:
        for line in lines:
            doc = json.loads(line)
            pool.append({"id": f"ecb-{doc['id']}", "title": doc.get("title") or "", "text": doc["text"]})
    with news.open(encoding="utf-8") as lines:
        for line in lines:
            cluster = json.loads(line)
            for i, text in enumerate(cluster["articles"]):
                pool.append({"id": f"mn-{cluster['id']}-{i}", "title": "", "text": text})
    return pool


def write_shards(pool: Sequence[dict[str, str]], size: int, folder: Path) -> Path:
    """``size`` records (the pool, repeated as copies with new ids past its end) as .jsonl.gz shards."""
    folder.mkdir(parents=True, exist_ok=True)
    records = []
    for n in range(size):
        base = pool[n % len(pool)]
        copy = n // len(pool)
        record = dict(base)
        if copy:
            record["id"] = f"{base['id']}-copy{copy}"
            record["text"] = f"{base['text']}\n\n(Copy {copy} of this report, for the benchmark.)"
        records.append(record)
    for i in range(0, size, SHARD_SIZE):
        with gzip.open(folder / f"shard-{i // SHARD_SIZE:03d}.jsonl.gz", "wt", encoding="utf-8") as out:
            for record in records[i : i + SHARD_SIZE]:
                out.write(json.dumps(record) + "\n")
    return folder


# --------------------------------------------------------------------------------------------------
# Whole-process measurement


_MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True, check=False)
wall = time.perf_counter() - start
use = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall_s": wall, "cpu_s": use.ru_utime + use.ru_stime, "peak_rss_mb": use.ru_maxrss / 1024,
                  "code": done.returncode, "stderr": done.stderr[-2000:]}))
"""


def measure(cmd: Sequence[str]) -> dict[str, float]:
    """Wall and CPU seconds (the process and what it waited for) and the peak RSS of one command, taken
    by a fresh intermediate process so that the peak is this command's alone."""
    load_before = os.getloadavg()[0]
    done = subprocess.run([sys.executable, "-c", _MEASURE, *cmd], capture_output=True, text=True, check=True)
    m = json.loads(done.stdout)
    if m["code"] not in (0, 1) or "Traceback" in m["stderr"]:
        sys.exit(f"bench/throughput.py: {' '.join(cmd)} failed ({m['code']}):\n{m['stderr']}")
    figures = {k: float(m[k]) for k in ("wall_s", "cpu_s", "peak_rss_mb")}
    figures["load_before"], figures["load_after"] = load_before, os.getloadavg()[0]
    return figures


def limit_main(folder: str) -> None:
    """Read + clean + spaCy over the shards, nothing else (run in its own process by :func:`measure`)."""
    from storyweave.analyse.nlp import load_nlp
    from storyweave.clean import clean_article
    from storyweave.ingest import read_inputs
    from storyweave.model import Article

    texts = [clean_article(a).text for a in read_inputs([folder]) if isinstance(a, Article)]
    nlp = load_nlp()
    for _ in nlp.pipe(texts, batch_size=64):
        pass


# --------------------------------------------------------------------------------------------------
# One growing story, per stage


STAGES = (
    "syndication_groups",
    "estimate_publication",
    "resolve_times",
    "reconcile_entities",
    "align_facts",
    "find_disagreements",
    "compose_brief",
)


def story_main(data: str, size: int) -> None:
    """Brief one story of ``size`` variants of a Multi-News cluster; print per-stage CPU seconds as JSON."""
    from storyweave import pipeline
    from storyweave.analyse import analyse_articles
    from storyweave.model import Article, Story

    with (Path(data) / "multinews" / "clusters.jsonl").open(encoding="utf-8") as lines:
        clusters = [json.loads(line) for line in lines]
    cluster = max(clusters, key=lambda c: len(c["articles"]))
    bases = [a for a in cluster["articles"] if len(a.split()) > 80]
    articles = []
    for n in range(size):
        paragraphs = [p for p in bases[n % len(bases)].split("\n") if p.strip()]
        k = (n // len(bases)) % max(1, len(paragraphs))
        variant = paragraphs[k:] + paragraphs[:k]
        if len(variant) > 3:
            del variant[(n * 7) % len(variant)]
        text = "\n\n".join(variant)
        articles.append(Article(id=f"v{n:04d}", raw_text=text, text=text))
    docs = analyse_articles(articles)
    timings: dict[str, float] = dict.fromkeys(STAGES, 0.0)

    def timed(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.process_time()
            try:
                return func(*args, **kwargs)
            finally:
                timings[name] += time.process_time() - start

        return wrapper

    for name in STAGES:
        if hasattr(pipeline, name):
            setattr(pipeline, name, timed(name, getattr(pipeline, name)))
    start = time.process_time()
    pipeline.brief_story(Story(id="s", article_ids=[a.id for a in articles]), docs)
    total = time.process_time() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    stages = dict(timings)
    add_s, analyse_s = _add_last(articles, docs)
    print(
        json.dumps(
            {
                "size": size,
                "total_cpu_s": total,
                "stages": stages,
                "peak_rss_mb": peak,
                "add_last_cpu_s": add_s,
                "analyse_last_cpu_s": analyse_s,
            }
        )
    )


def _add_last(articles: Sequence[Any], docs: Sequence[Any]) -> tuple[float, float]:
    """CPU seconds of ``add`` for the last article of a story whose other articles are stored: the whole
    ``service.add_to_store`` call (read, clean, analyse, group, syndication, store; the models already
    loaded, as in a long ``add`` run), and of cleaning + analysing that article alone."""
    from storyweave.analyse import resolve_times
    from storyweave.pipeline import analyse_one
    from storyweave.service import StoryAssigner, add_to_store
    from storyweave.store import Store

    # a variant may repeat an earlier one's content (which `add` would skip as already stored): the last
    # article gets an update line of its own, as a wire update would
    last = articles[-1]
    text = f"{last.text}\n\nThis report was updated with the latest figures."
    last = dataclasses.replace(last, id=f"{last.id}-update", raw_text=text, text=text)
    start = time.process_time()
    analyse_one(last)
    analyse_s = time.process_time() - start
    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "story.db") as store:
        assigner = StoryAssigner(store)
        for doc in docs[:-1]:
            assigner.add(resolve_times(doc))
        assigner.close()
        start = time.process_time()
        add_to_store([last], store)
        add_s = time.process_time() - start
    return add_s, analyse_s


# --------------------------------------------------------------------------------------------------


def _rate(n: int, m: dict[str, float], key: str) -> float:
    return n / m[key] if m[key] else float("nan")


def _same_briefs(a: Path, b: Path) -> bool:
    one, two = sorted(a.glob("*.json")), sorted(b.glob("*.json"))
    return [p.name for p in one] == [p.name for p in two] and all(
        json.loads(x.read_text()) == json.loads(y.read_text()) for x, y in zip(one, two, strict=True)
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--sizes", default="100,1000", help="corpus sizes (default 100,1000; try 10000)")
    parser.add_argument("--story-sizes", default="10,100,1000")
    parser.add_argument("--no-dask", action="store_true", help="skip the Dask engine runs")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--limit-stage", help=argparse.SUPPRESS)
    parser.add_argument("--story-stage", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.limit_stage:
        limit_main(args.limit_stage)
        return 0
    if args.story_stage:
        story_main(args.story_stage[0], int(args.story_stage[1]))
        return 0
    pool = _pool(args.data)
    me = [sys.executable, str(Path(__file__).resolve())]
    figures: dict[str, Any] = {"cores": os.cpu_count(), "corpus": {}, "story": []}
    print(f"machine: {os.cpu_count()} cores; CPU s = user + system, workers included; RSS = largest process")
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            shards = write_shards(pool, size, Path(tmp) / f"in-{size}")
            runs: dict[str, dict[str, float]] = {}
            runs["limit"] = measure([*me, "--limit-stage", str(shards)])
            brief = [*STORYWEAVE, "brief", str(shards), "--format", "json", "-q"]
            runs["brief"] = measure([*brief, "--out", f"{tmp}/out-{size}", "--processes", "1"])
            runs["brief-2p"] = measure([*brief, "--out", f"{tmp}/out2p-{size}", "--processes", "2"])
            runs["add"] = measure([*STORYWEAVE, "add", str(shards), "--db", f"{tmp}/db-{size}.db", "-q"])
            same: dict[str, bool] = {
                "brief-2p": _same_briefs(Path(f"{tmp}/out-{size}"), Path(f"{tmp}/out2p-{size}"))
            }
            if not args.no_dask:
                for workers in (1, 2):
                    out = f"{tmp}/dask{workers}-{size}"
                    runs[f"dask-{workers}"] = measure(
                        [
                            *STORYWEAVE,
                            "brief",
                            str(shards),
                            "--out",
                            out,
                            "--format",
                            "json",
                            "-q",
                            "--workers",
                            str(workers),
                        ]
                    )
                    same[f"dask-{workers}"] = _same_briefs(Path(f"{tmp}/out-{size}"), Path(out))
            print(f"\n{size:,} articles ({math.ceil(size / SHARD_SIZE)} shards)")
            print(
                f"  {'run':<8} {'wall s':>8} {'CPU s':>8} {'art/CPU-s':>10} {'art/wall-s':>10} {'peak MB':>8}"
                "  vs limit (per CPU-s)  load before/after"
            )
            for name, m in runs.items():
                ratio = _rate(size, m, "cpu_s") / _rate(size, runs["limit"], "cpu_s")
                print(
                    f"  {name:<8} {m['wall_s']:8.1f} {m['cpu_s']:8.1f} {_rate(size, m, 'cpu_s'):10.2f} "
                    f"{_rate(size, m, 'wall_s'):10.2f} {m['peak_rss_mb']:8.0f}  {ratio:5.2f}"
                    f"                 {m['load_before']:4.1f} / {m['load_after']:4.1f}"
                )
            two = runs["brief"]["wall_s"] / runs["brief-2p"]["wall_s"]
            print(
                f"  two processes (brief --processes 2) vs one (--processes 1), wall time: {two:.2f}x, at "
                f"{runs['brief-2p']['cpu_s'] / runs['brief']['cpu_s']:.2f}x the CPU seconds; briefs "
                f"identical: {same['brief-2p']}; load average {runs['brief']['load_before']:.1f}-"
                f"{runs['brief-2p']['load_after']:.1f} on {os.cpu_count()} cores"
            )
            if "dask-1" in runs:
                speedup = runs["dask-1"]["wall_s"] / runs["dask-2"]["wall_s"]
                print(
                    f"  dask: two workers vs one, wall time: {speedup:.2f}x; "
                    f"briefs identical to the local engine's: {same}"
                )
                # Dask's two local workers against the local engine's one process, same inputs, same window
                local = runs["brief"]["wall_s"] / runs["dask-2"]["wall_s"]
                cpu = runs["dask-2"]["cpu_s"] / runs["brief"]["cpu_s"]
                print(
                    f"  dask, two workers (--workers 2) vs the local engine's one process: {local:.2f}x in "
                    f"wall time, {cpu:.2f}x the CPU seconds"
                )
            figures["corpus"][size] = {"runs": runs, "dask_identical": same}
        print("\none story, per stage (CPU s)")
        rows = []
        for size in (int(s) for s in args.story_sizes.split(",")):
            done = subprocess.run(
                [*me, "--story-stage", str(args.data), str(size)], capture_output=True, text=True, check=True
            )
            rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(
            f"  {'articles':>8} {'total':>7} "
            + " ".join(f"{s[:12]:>12}" for s in STAGES)
            + f" {'peak MB':>8}"
        )
        for row in rows:
            print(
                f"  {row['size']:8d} {row['total_cpu_s']:7.2f} "
                + " ".join(f"{row['stages'][s]:12.2f}" for s in STAGES)
                + f" {row['peak_rss_mb']:8.0f}"
            )
        for row in rows:
            print(
                f"  adding article {row['size']:,} to the story of the others: {row['add_last_cpu_s']:.3f} "
                f"CPU-s (`add_to_store`: clean + analyse + group + store), of which cleaning + analysing "
                f"it {row['analyse_last_cpu_s']:.3f}"
            )
        if len(rows) >= 2 and rows[-2]["total_cpu_s"] > 0:
            a, b = rows[-2], rows[-1]
            exponent = math.log(b["total_cpu_s"] / a["total_cpu_s"]) / math.log(b["size"] / a["size"])
            print(
                f"  growth exponent of the total between {a['size']} and {b['size']} articles: {exponent:.2f}"
            )
            figures["story_exponent"] = exponent
        figures["story"] = rows
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
