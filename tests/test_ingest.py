"""Reading inputs: good text, folders, and every kind of bad input reported per input."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyweave.ingest import expand_inputs, read_input, read_inputs
from storyweave.ingest.text import decode_text, looks_binary
from storyweave.model import Article, InputError


def test_reads_utf8_with_bom_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "a1.txt"
    path.write_bytes("\ufeffTitle line\r\n\r\nBody about Zürich.\r\n".encode())
    article = read_input(str(path))
    assert article.id == "a1"
    assert article.raw_text == "Title line\n\nBody about Zürich.\n"
    assert article.source == str(path)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty input"),
        (b"  \n\t\n", "empty input"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data"),
        ("Caf\xe9 au lait\n".encode("latin-1"), "not valid UTF-8"),
    ],
)
def test_bad_bytes_give_one_line_reason(data: bytes, reason: str) -> None:
    with pytest.raises(InputError) as info:
        decode_text(data, "notes/x.txt")
    message = str(info.value)
    assert message.startswith("notes/x.txt: ")
    assert reason in message
    assert "\n" not in message


def test_looks_binary_accepts_text_with_tabs() -> None:
    assert not looks_binary(b"col1\tcol2\nvalue\tvalue\n" * 50)
    assert looks_binary(bytes(range(1, 32)) * 40)


def test_folders_expand_recursively_and_missing_files_error(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "b.txt").write_text("Headline\n\nSome body text here.", encoding="utf-8")
    (tmp_path / "sub" / "a.txt").write_text("Other headline\n\nMore body text.", encoding="utf-8")
    (tmp_path / "sub" / "image.png").write_bytes(b"\x89PNG\x00")
    (tmp_path / ".hidden.txt").write_text("x", encoding="utf-8")
    names = expand_inputs([tmp_path, tmp_path / "nope.txt"])
    assert names == [str(tmp_path / "b.txt"), str(tmp_path / "sub" / "a.txt"), str(tmp_path / "nope.txt")]
    results = list(read_inputs(names))
    assert [type(r) for r in results] == [Article, Article, InputError]
    assert "no such file" in str(results[2])
