"""The command line: outputs, stdout/stderr discipline, bad inputs and exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from storyweave.cli import EXIT_NOTHING, EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, main


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
