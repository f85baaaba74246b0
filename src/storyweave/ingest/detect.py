"""Find the inputs a user named and dispatch each to its reader; a bad input never stops the batch."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from storyweave.ingest.text import read_text
from storyweave.model import Article, InputError

TEXT_SUFFIXES = (".txt", ".text", ".md")


def expand_inputs(inputs: Iterable[str | Path]) -> list[str]:
    """Files named directly, plus the text files found recursively in named folders, in a stable order.

    A name that does not exist is kept so that reading it reports a clear error for that input.
    """
    found: list[str] = []
    for item in inputs:
        path = Path(item)
        if str(item) == "-":
            found.append("-")
        elif path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES)
            found.extend(str(p) for p in files if not p.name.startswith("."))
        else:
            found.append(str(item))
    return found


def read_input(name: str) -> Article:
    """Read one input (a file path or "-" for standard input) as a raw Article; raises InputError."""
    if name == "-":
        return read_text(sys.stdin.buffer.read(), "stdin", "-")
    path = Path(name)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(name, "no such file") from None
    except IsADirectoryError:
        raise InputError(name, "is a directory") from None
    except OSError as err:
        raise InputError(name, f"cannot read ({err.strerror or err})") from None
    return read_text(data, path.stem, name)


def read_inputs(inputs: Iterable[str | Path]) -> Iterator[Article | InputError]:
    """Each input read in turn: an Article, or the InputError that explains why it could not be read."""
    for name in expand_inputs(inputs):
        try:
            yield read_input(name)
        except InputError as err:
            yield err
