"""Shared test fixtures: paths to the invented fixture stories and the bundled sample."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def mixed_dir() -> Path:
    """Two invented stories: a Peru earthquake (wire copy, reprint, local report) and a Dutch pension vote."""
    return FIXTURES / "mixed"


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    """The bundled sample: five real reports of the 2023 Putin-Kim summit."""
    return ROOT / "examples" / "putin-kim-summit"


@pytest.fixture(scope="module")
def engine_inputs(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """What the engines are compared on: two fixture folders, an empty file (an error) between them, and a
    file named twice (a repeat)."""
    folder = tmp_path_factory.mktemp("engine-inputs")
    shutil.copytree(FIXTURES / "mixed", folder / "mixed")
    shutil.copytree(FIXTURES / "store", folder / "store")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    return [
        str(folder / "mixed"),
        str(folder / "empty.txt"),
        str(folder / "store"),
        str(folder / "mixed" / "quake_wire.txt"),
    ]
