"""The spool that holds a streamed report's sections until every subject is judged."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gatecheck.cli import output

if TYPE_CHECKING:
    import pytest


def test_a_small_section_stays_in_memory_and_comes_back_whole() -> None:
    spool = output._Spool()
    spool.write("first\n")
    spool.write("second ≥ \udcff\n")
    assert spool.file is None
    assert list(spool.chunks()) == ["first\nsecond ≥ \udcff\n"]
    spool.close()


def test_a_large_section_rolls_over_to_a_file_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(output, "_SPOOL_IN_MEMORY", 10)
    spool = output._Spool()
    pieces = [f"piece {index} ≥ \udcff\n" for index in range(50)]
    for piece in pieces:
        spool.write(piece)
    assert spool.file is not None
    assert spool.parts == []
    chunks = list(spool.chunks())
    assert len(chunks) > 1
    assert all(len(chunk) <= 10 for chunk in chunks)
    assert "".join(chunks) == "".join(pieces)
    spool.close()
    assert spool.file.closed
