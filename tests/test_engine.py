"""The Dask engine gives the same stories, briefs and store as the local one, on a real two-process cluster.

One ``LocalCluster`` of two worker processes (loopback only) serves every test of the module; the inputs are
the invented fixture stories, with a bad input mixed in, never the bundled sample.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from storyweave.cli import main
from storyweave.engine import SCHEDULER_ENV, EngineUnavailable, connect, wanted
from storyweave.pipeline import run
from storyweave.render import brief_to_json
from storyweave.service import add_to_store
from storyweave.store import Store

pytest.importorskip("distributed")

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with connect(workers=2) as dask_client:
        yield dask_client


@pytest.fixture(scope="module")
def inputs(engine_inputs: list[str]) -> list[str]:
    return engine_inputs


def _briefs_json(briefs: list[Any]) -> list[str]:
    return [brief_to_json(b) for b in briefs]


def test_wanted_reads_flags_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SCHEDULER_ENV, raising=False)
    assert not wanted(None, None)
    assert wanted("tcp://127.0.0.1:8786", None)
    assert wanted(None, 2)
    monkeypatch.setenv(SCHEDULER_ENV, "tcp://127.0.0.1:8786")
    assert wanted(None, None)


def test_brief_on_the_cluster_matches_the_local_engine(client: Any, inputs: list[str]) -> None:
    from storyweave.engine.dask_engine import run_distributed

    local = run(inputs)
    ticks: dict[str, int] = {}

    def progress(stage: str, total: int) -> Any:
        ticks[stage] = 0

        def tick() -> None:
            ticks[stage] += 1

        return tick

    remote = run_distributed(inputs, client, progress=progress)
    assert len(local.briefs) >= 3
    assert _briefs_json(remote.briefs) == _briefs_json(local.briefs)
    assert [str(e) for e in remote.errors] == [str(e) for e in local.errors]
    assert any("empty" in str(e) for e in remote.errors)
    assert remote.notices == local.notices and remote.notices  # the repeated file is noticed once
    assert ticks["analyse"] > 0 and ticks["brief"] == len(remote.briefs)


def test_add_on_the_cluster_makes_the_same_store(client: Any, inputs: list[str], tmp_path: Path) -> None:
    from storyweave.engine.dask_engine import cluster_analyser

    local = add_to_store(inputs, tmp_path / "local.db")
    remote = add_to_store(inputs, tmp_path / "remote.db", analyse=cluster_analyser(client))
    assert [(a.article_id, a.story_id, a.new_story) for a in remote.added] == [
        (a.article_id, a.story_id, a.new_story) for a in local.added
    ]
    assert [str(e) for e in remote.errors] == [str(e) for e in local.errors]
    assert remote.already_stored == local.already_stored
    with Store.open(tmp_path / "local.db") as one, Store.open(tmp_path / "remote.db") as two:
        assert [(s.id, s.article_count) for s in one.stories()] == [
            (s.id, s.article_count) for s in two.stories()
        ]
        for story in one.stories():
            docs_one = [d.to_dict() for d in one.story_docs(story.id)]
            docs_two = [d.to_dict() for d in two.story_docs(story.id)]
            assert docs_one == docs_two


def test_cli_workers_flag_writes_the_same_briefs(
    inputs: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["brief", *inputs, "--out", str(tmp_path / "local"), "--format", "json", "-q"]) == 1
    assert (
        main(["brief", *inputs, "--out", str(tmp_path / "dask"), "--format", "json", "-q", "--workers", "2"])
        == 1  # the empty file is an error, the rest is briefed
    )
    local = sorted((tmp_path / "local").glob("*.json"))
    remote = sorted((tmp_path / "dask").glob("*.json"))
    assert [p.name for p in local] == [p.name for p in remote] and local
    for a, b in zip(local, remote, strict=True):
        assert json.loads(a.read_text()) == json.loads(b.read_text())
    assert "empty.txt" in capsys.readouterr().err


def test_unreachable_scheduler_is_one_clear_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("storyweave.engine.CONNECT_TIMEOUT", "1s")
    with (
        pytest.raises(EngineUnavailable, match="cannot reach the Dask scheduler"),
        connect("tcp://127.0.0.1:9", timeout="1s"),
    ):
        pass
    code = main(["brief", str(FIXTURES / "mixed"), "--scheduler", "tcp://127.0.0.1:9", "-q"])
    assert code == 3
    err = capsys.readouterr().err
    assert "storyweave: error: cannot reach the Dask scheduler at tcp://127.0.0.1:9" in err
    assert "Traceback" not in err


def test_workers_must_be_positive(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["brief", str(FIXTURES / "mixed"), "--workers", "0"]) == 2
    assert "--workers must be at least 1" in capsys.readouterr().err
