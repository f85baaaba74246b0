"""The command line: outputs, stdout/stderr discipline, bad inputs and exit codes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from storyweave.cli import EXIT_NOTHING, EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, main

ROOT = Path(__file__).resolve().parent.parent


def test_writes_three_formats_and_prints_paths(
    mixed_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code = main(["brief", str(mixed_dir), "--out", str(out), "-q"])
    assert code == EXIT_OK
    printed = capsys.readouterr().out.split()
    written = sorted(p.name for p in out.iterdir())
    assert len(written) == 6 and sorted(Path(p).name for p in printed) == written
    for path in out.glob("*.json"):
        assert json.loads(path.read_text(encoding="utf-8"))["schema"] == "storyweave.brief/1"


def test_bad_inputs_are_reported_and_the_batch_goes_on(
    mixed_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    batch = tmp_path / "batch"
    shutil.copytree(mixed_dir, batch)
    (batch / "empty.txt").write_bytes(b"")
    (batch / "binary.txt").write_bytes(bytes(range(256)) * 4)
    # high bytes in no encoding's order (a Latin-1 or Windows-1252 file is read: see test_cli_inputs.py)
    (batch / "undecodable.txt").write_bytes(b"Report\n\n" + bytes(range(0x80, 0x100)) * 3)
    code = main(["brief", str(batch), "--format", "json", "-q"])
    captured = capsys.readouterr()
    assert code == EXIT_PARTIAL
    errors = captured.err.strip().splitlines()
    assert len(errors) == 3
    for name in ("empty.txt", "binary.txt", "undecodable.txt"):
        assert sum(name in line for line in errors) == 1
    briefs = [json.loads(line) for line in captured.out.splitlines()]
    assert sorted(b["story"]["article_count"] for b in briefs) == [2, 3]


def test_nothing_readable_and_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    assert main(["brief", str(tmp_path / "empty.txt"), "-q"]) == EXIT_NOTHING
    assert main(["brief", str(tmp_path), "--format", "html", "-q"]) == EXIT_USAGE
    with pytest.raises(SystemExit) as info:
        main(["brief", str(tmp_path), "--format", "pdf"])
    assert info.value.code == EXIT_USAGE
    assert capsys.readouterr().out == ""


def test_markdown_to_stdout_by_default(mixed_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["brief", str(mixed_dir / "pension_a.txt"), str(mixed_dir / "pension_b.txt"), "-q"]) == EXIT_OK
    )
    out = capsys.readouterr().out
    assert out.startswith("# ") and "pension" in out.lower()


def test_strict_reraises_what_is_otherwise_one_failed_input(
    mixed_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from storyweave import pipeline

    def broken(article: Any) -> Any:
        raise RuntimeError("a bug in a stage")

    monkeypatch.setattr(pipeline, "clean_article", broken)
    assert main(["brief", str(mixed_dir), "-q"]) == EXIT_NOTHING
    err = capsys.readouterr().err
    assert "could not be cleaned (RuntimeError: a bug in a stage)" in err
    with pytest.raises(RuntimeError, match="a bug in a stage"):
        main(["brief", str(mixed_dir), "-q", "--strict"])


def test_format_names_match_the_renderers() -> None:
    from storyweave.cli import FORMATS
    from storyweave.render import RENDERERS

    assert set(FORMATS) == set(RENDERERS)


def test_default_store_name_matches_the_store() -> None:
    from storyweave.cli import DEFAULT_DB
    from storyweave.store import DEFAULT_DB as STORE_DEFAULT

    assert DEFAULT_DB == STORE_DEFAULT


def test_version_imports_only_the_command_line_module() -> None:
    code = (
        "import sys; from storyweave.cli import main; main(['--version']); "
        "print(sorted(m for m in sys.modules if m.startswith('storyweave')))"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    version, modules = done.stdout.splitlines()
    assert version.startswith("storyweave ")
    assert json.loads(modules.replace("'", '"')) == ["storyweave", "storyweave.cli", "storyweave.thresholds"]


def test_version_and_stories_import_no_heavy_library(tmp_path: Path) -> None:
    heavy = ("spacy", "sklearn", "scipy", "fastapi", "trafilatura", "uvicorn", "dateparser", "pydantic")
    probe = (
        "import sys\nfrom storyweave.cli import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        f"print(sorted(m for m in {heavy!r} if m in sys.modules))"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    for args in (["--version"], ["stories", "--db", str(tmp_path / "none.db")]):
        done = subprocess.run(
            [sys.executable, "-c", probe, *args], env=env, text=True, capture_output=True, check=False
        )
        assert done.stdout.strip().splitlines()[-1] == "[]", (args, done.stdout, done.stderr)


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    from storyweave.store import Store

    db = tmp_path / "many.db"
    with Store.open(db) as store, store.write():
        for n in range(3000):
            store.save_story(
                f"story-{n:05d}",
                headline=f"Ferry story number {n}",
                article_count=1,
                independent_count=1,
                first_seen="2023-09-13",
                last_seen="2023-09-13",
                syndication={},
            )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    code = "import sys; from storyweave.cli import main; sys.exit(main(sys.argv[1:]))"
    with subprocess.Popen(
        [sys.executable, "-c", code, "stories", "--db", str(db)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.readline()
        proc.stdout.close()  # like `| head -1`
        err = proc.stderr.read().decode()
        proc.wait()
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
    assert proc.returncode == EXIT_PARTIAL


def test_serve_without_the_server_extra_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "uvicorn" else real(name, *a)
    )
    assert main(["serve", "--db", str(tmp_path / "x.db")]) == EXIT_USAGE
    assert "serve needs the server extra (uvicorn not installed): pip install 'storyweave[server]'" in (
        capsys.readouterr().err
    )
