"""project/standard_input.py: standard input read once, and a closed one said to be unreadable."""

from __future__ import annotations

import errno
import io
import sys

import pytest

from gatecheck.project.standard_input import StandardInput, standard_input


class _Closed:
    """What `sys.stdin` is when the shell closed it (`<&-`): no binary buffer to read."""


def test_standard_input_is_read_once_and_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = io.TextIOWrapper(io.BytesIO(b"subject: s\n"))
    monkeypatch.setattr(sys, "stdin", stream)
    handle = StandardInput()
    assert handle.name == "<stdin>"
    assert handle.read_bytes() == b"subject: s\n"
    assert handle.read_bytes() == b"subject: s\n"  # the stream is spent; the content is kept
    assert standard_input().display == "<stdin>"


def test_a_closed_standard_input_is_an_os_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", _Closed())
    with pytest.raises(OSError, match="standard input is closed") as raised:
        StandardInput().read_bytes()
    assert raised.value.errno == errno.EBADF
