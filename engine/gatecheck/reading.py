"""Reading a project file safely: only regular files, never past MAX_FILE_BYTES, never waiting.

Its counterpart, writing a file so that no reader sees half of it, is `gatecheck.files`. The
problems here (`file-too-large`, `not-a-file`, `too-many-files`) are those of any file a run reads:
evidence, policies, schemas, policy tests and spec results alike.
"""

from __future__ import annotations

import os
import stat
from typing import Any, BinaryIO

from gatecheck import limits
from gatecheck.errors import Location, Problem


class FileTooLarge(Exception):  # noqa: N818 - like InvalidInput: named for what the input is
    """A file over its limit (MAX_FILE_BYTES unless said), found before its content was read.

    `size` is its size, `limit` the limit it is over when not MAX_FILE_BYTES (a policy's).
    """

    def __init__(self, size: int, limit: int | None = None) -> None:
        super().__init__(size)
        self.size = size
        self.limit = limit


class NotRegularFile(Exception):  # noqa: N818 - like FileTooLarge: named for what the input is
    """A project file that is a FIFO, a device, a socket or a directory; `kind` says which."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


def read_limited(path: str) -> bytes:
    """A file's bytes, raising FileTooLarge rather than reading more than MAX_FILE_BYTES."""
    with open(path, "rb") as handle:
        return _read_handle(handle)


# Opening a project file never waits and never follows a final symbolic link: the caller resolved
# the path and checked where it leads. A FIFO opened for reading without O_NONBLOCK waits for a
# writer that never comes; with it the open returns and fstat says what the file is.
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


def read_regular(path: str, limit: int | None = None) -> bytes:
    """The bytes of the regular file at `path`, a real path (no symbolic link at its end).

    `limit` replaces MAX_FILE_BYTES for a kind of file that may be larger (a policy).

    Raises NotRegularFile for anything else (FIFO, device, socket, directory), found on the open
    handle so that nothing is read from it; FileTooLarge as read_limited; OSError as open does
    (ELOOP when the last part is a symbolic link after all).
    """
    descriptor = os.open(path, _OPEN_FLAGS)
    with open(descriptor, "rb") as handle:  # closes the descriptor, whatever happens next
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(_kind(mode))
        return _read_handle(handle, limit)


def read_stream(stream: BinaryIO) -> bytes:
    """A stream's bytes to its end (standard input), raising FileTooLarge past MAX_FILE_BYTES.

    Read in chunks, so that a small input costs a small buffer and a huge one stops at the limit.
    """
    limit = limits.MAX_FILE_BYTES
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = stream.read(min(_CHUNK, limit + 1 - size))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
    raise FileTooLarge(size)


_CHUNK = 1 << 16


def _kind(mode: int) -> str:
    kinds = (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def _read_handle(handle: Any, own_limit: int | None = None) -> bytes:
    limit = limits.MAX_FILE_BYTES if own_limit is None else own_limit
    size = os.fstat(handle.fileno()).st_size
    if size > limit:
        raise FileTooLarge(size, own_limit)
    # One byte more than the size says: a device or a growing file has more than its size.
    # Only then read on, to one byte past the limit (a read of the limit itself would
    # allocate 32 MiB for every file).
    raw: bytes = handle.read(size + 1)
    if len(raw) > size:
        raw += handle.read(limit + 1 - len(raw))
    if len(raw) > limit:
        raise FileTooLarge(len(raw), own_limit)
    return raw


def too_large(
    path: str,
    size: int,
    hint: str = "split the file or trim it; evidence and policies are small by design",
    limit: int | None = None,
) -> Problem:
    """The problem of a file of `size` bytes, over `limit` (MAX_FILE_BYTES unless said)."""
    limit = limits.MAX_FILE_BYTES if limit is None else limit
    return Problem(
        "file-too-large",
        f"file is {size:,} bytes; the limit is {limit:,}",
        Location(path, 1, 1),
        hint,
    )


def not_a_file(path: str, kind: str) -> Problem:
    """The problem of a project file that is not a regular file (a FIFO, a device, ...)."""
    return Problem(
        "not-a-file",
        f"{kind}, not a regular file: gatecheck reads only regular files",
        Location(path, 1, 1),
        "evidence, policies and schemas are plain files in the repository: replace it with one",
    )


def too_many_files(directory: str) -> Problem:
    """The problem of a directory (or tree) that lists more than MAX_FILES entries."""
    return Problem(
        "too-many-files",
        f"more than {limits.MAX_FILES:,} entries (files, directories, symlinks) to list; the"
        f" limit is {limits.MAX_FILES:,}",
        Location(f"{directory}/", 0, 0),
        "split the project (one --root per group of subjects) or remove files that are not"
        " evidence, policies or tests; a symlink that points back up the tree counts every time",
    )
