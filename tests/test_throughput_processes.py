"""The local engine's process count: ``--processes`` / ``$STORYWEAVE_PROCESSES`` and the process pool of
``brief --processes N``, which must give the same briefs and errors as one process. Inputs are the invented
fixture stories with a bad input mixed in, never the bundled sample."""

from __future__ import annotations

import json
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict
from pathlib import Path

import pytest

from storyweave.analyse import PROCESSES_ENV, process_count, requested_processes
from storyweave.cli import main
from storyweave.engine.partitioned import partitions
from storyweave.engine.pool import _mapper, run_processes
from storyweave.pipeline import WeaveResult, prepare_articles, run
from storyweave.render import brief_to_json
from storyweave.thresholds import SPACY_PROCESSES_MIN_CHARS


@pytest.fixture(scope="module")
def inputs(engine_inputs: list[str]) -> list[str]:
    return engine_inputs


def test_requested_processes_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PROCESSES_ENV, raising=False)
    assert requested_processes() is None
    monkeypatch.setenv(PROCESSES_ENV, " 2 ")
    assert requested_processes() == 2
    for bad in ("0", "-1", "two"):
        monkeypatch.setenv(PROCESSES_ENV, bad)
        with pytest.raises(ValueError, match=PROCESSES_ENV):
            requested_processes()


def test_forced_count_overrides_the_idle_core_gate_but_not_the_size(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PROCESSES_ENV, raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(os, "getloadavg", lambda: (3.0, 3.0, 3.0))  # both cores busy: the gate says one
    assert process_count(SPACY_PROCESSES_MIN_CHARS) == 1
    assert process_count(SPACY_PROCESSES_MIN_CHARS, 2) == 2
    monkeypatch.setenv(PROCESSES_ENV, "2")
    assert process_count(SPACY_PROCESSES_MIN_CHARS) == 2
    monkeypatch.setattr(os, "getloadavg", lambda: (0.0, 0.0, 0.0))  # idle, but one is asked for
    assert process_count(SPACY_PROCESSES_MIN_CHARS, 1) == 1
    # a small batch never pays for a second process, whatever is asked
    assert process_count(SPACY_PROCESSES_MIN_CHARS - 1, 2) == 1


def test_partitions_keep_order_and_cover_every_item() -> None:
    items = list(range(50))
    parts = partitions(items, 2)
    assert [x for part in parts for x in part] == items
    assert len(parts) == 8  # about four per worker
    assert partitions([], 2) == []


def _pid(part: list[int]) -> list[tuple[int, int]]:
    return [(x, os.getpid()) for x in part]


def test_pool_mapper_runs_partitions_in_worker_processes_in_order() -> None:
    ticks: list[int] = []
    context = multiprocessing.get_context(
        "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    )
    with ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
        results = _mapper(pool)(_pid, [[1, 2], [3], [4, 5, 6]], lambda: ticks.append(1))
    assert [x for part in results for x, _ in part] == [1, 2, 3, 4, 5, 6]
    assert all(pid != os.getpid() for part in results for _, pid in part)
    assert len(ticks) == 6


def test_two_processes_give_the_briefs_and_errors_of_one(inputs: list[str]) -> None:
    one = run(inputs, processes=1)
    two = run_processes(inputs, 2)
    assert len(one.briefs) >= 3
    assert [brief_to_json(b) for b in two.briefs] == [brief_to_json(b) for b in one.briefs]
    assert [str(e) for e in two.errors] == [str(e) for e in one.errors]
    assert two.notices == one.notices and one.notices  # the file named twice


def test_cli_processes_flag(
    inputs: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(PROCESSES_ENV, raising=False)
    for n in ("1", "2"):  # the empty file is an error, the rest is briefed: exit 1
        out = str(tmp_path / n)
        assert main(["brief", *inputs, "--out", out, "--format", "json", "-q", "--processes", n]) == 1
    one, two = sorted((tmp_path / "1").glob("*.json")), sorted((tmp_path / "2").glob("*.json"))
    assert [p.name for p in one] == [p.name for p in two] and one
    for a, b in zip(one, two, strict=True):
        assert json.loads(a.read_text()) == json.loads(b.read_text())
    capsys.readouterr()
    assert main(["brief", *inputs, "--processes", "0"]) == 2
    assert "--processes must be at least 1" in capsys.readouterr().err
    assert main(["brief", *inputs, "--processes", "2", "--workers", "2"]) == 2
    assert "--processes is for the local engine" in capsys.readouterr().err
    monkeypatch.setenv(PROCESSES_ENV, "many")
    assert main(["brief", *inputs]) == 2
    assert PROCESSES_ENV in capsys.readouterr().err


def test_records_convert_to_dicts_as_dataclasses_asdict_does(inputs: list[str]) -> None:
    from storyweave.ingest import read_inputs
    from storyweave.model import Article

    raw = [a for a in read_inputs(inputs[:1]) if isinstance(a, Article)]
    docs = prepare_articles(raw, WeaveResult(), processes=1)
    assert docs and any(d.claims for d in docs)
    for doc in docs:
        assert doc.to_dict() == asdict(doc)
    briefs = run(inputs[:1], processes=1).briefs
    assert briefs
    for brief in briefs:
        plain = asdict(brief)
        assert brief.to_dict() == {"schema": plain.pop("schema"), **plain}
        assert next(iter(brief.to_dict())) == "schema"
