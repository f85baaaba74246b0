"""Shared test fixtures: paths to the invented fixture stories and the bundled sample."""

from __future__ import annotations

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
