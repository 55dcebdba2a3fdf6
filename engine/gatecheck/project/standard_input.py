"""Standard input as an evidence file (a SUBJECT of `-`): read once, within the size limit."""

from __future__ import annotations

import errno
import sys

from gatecheck.project.input_file import STDIN, InputFile
from gatecheck.reading import read_stream


class StandardInput:
    """The `Readable` of standard input: read to its end on first use, then kept."""

    __slots__ = ("_content",)

    def __init__(self) -> None:
        self._content: bytes | None = None

    @property
    def name(self) -> str:
        return STDIN

    def read_bytes(self) -> bytes:
        if self._content is None:
            stream = getattr(sys.stdin, "buffer", None)
            if stream is None:  # closed (`gatecheck evaluate - <&-`): read_input says unreadable
                raise OSError(errno.EBADF, "standard input is closed")
            self._content = read_stream(stream)
        return self._content


def standard_input() -> InputFile:
    """Standard input as an input file, located as `<stdin>:line:column`."""
    return InputFile(STDIN, StandardInput())
