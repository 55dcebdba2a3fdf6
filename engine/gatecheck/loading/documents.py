"""Read YAML files into plain data while remembering the line and column of every node.

`yaml_events` builds the data from libyaml's events at the cost of a safe C load; this module owns
what a file is: its size and encoding limits, its problems' locations, and the `Document` with a
side table of positions keyed by path, so the data stays plain dicts, lists and scalars.
"""

from __future__ import annotations

import os
import stat
from typing import Any, NamedTuple

from gatecheck.errors import InvalidInput, Problem

# Limits on what one file may cost. They are far above any real policy or evidence file and far
# below what would make a run hang or exhaust memory; docs/reliability.md#limits lists them all.
MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 2_000_000  # counts every node an alias expands to: a "billion laughs" file stops early
# Limits on a run: entries listed in one directory (or one tree of policy tests). The benchmarks
# read 10,000 evidence files; listing 100,000 takes about 0.2 s.
MAX_FILES = 100_000
# A regular expression (`matches`, a facts schema's `pattern` and `patternProperties`) is RE2's:
# linear in the text it reads. Its length and the memory RE2 may spend compiling it are capped.
MAX_PATTERN_CHARS = 10_000
MAX_PATTERN_MEMORY = 8 * 1024 * 1024  # RE2's own default, stated so that it is documented
# Values in a facts schema: in its file (counted before it is parsed and checked against the
# metaschema, about 0.2 ms a value: metaschema.py), and as validation walks it, each `$ref`
# replaced by its target (schema_tree.py). The bundled wasm-proposal schema holds 213 values and
# expands to 270.
MAX_SCHEMA_NODES = 10_000
# What checking one file's facts against their schema may cost (schema_budget.py), in units of
# roughly one value read by one keyword (5-10 us each): so many per value of the facts, and at
# least the floor. The bundled evidence spends about 2 per value, and 1,123 at most in all.
SCHEMA_WORK_PER_VALUE = 16
SCHEMA_WORK_FLOOR = 10_000

DataPath = tuple[str | int, ...]


class Location(NamedTuple):
    """A place in an input file; line and column count from 1."""

    path: str
    line: int
    column: int

    def __str__(self) -> str:
        # Line 0 names a file that does not exist (an unknown subject): there is no line to show.
        return f"{self.path}:{self.line}:{self.column}" if self.line > 0 else self.path


class Document:
    """The data of one YAML file and the position of each of its nodes."""

    __slots__ = ("_key_positions", "_positions", "data", "path")

    def __init__(
        self,
        path: str,
        data: Any,
        positions: dict[DataPath, tuple[int, int]],
        key_positions: dict[DataPath, tuple[int, int]],
    ) -> None:
        self.path = path
        self.data = data
        self._positions = positions
        self._key_positions = key_positions

    def locate(self, path: DataPath) -> Location:
        """Where the value at `path` starts; for an absent path, where its nearest parent starts."""
        positions = self._positions
        for end in range(len(path), -1, -1):
            found = positions.get(path[:end])
            if found is not None:
                return Location(self.path, *found)
        return Location(self.path, 1, 1)

    def locate_key(self, path: DataPath) -> Location:
        """Where the key that leads to `path` is written (the value's position for list items)."""
        found = self._key_positions.get(path)
        return Location(self.path, *found) if found is not None else self.locate(path)

    def has(self, path: DataPath) -> bool:
        return path in self._positions


class FileTooLarge(Exception):  # noqa: N818 - like InvalidInput: named for what the input is
    """A file over MAX_FILE_BYTES, found before its content was read; `size` is its size."""

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


def too_large(
    path: str,
    size: int,
    hint: str = "split the file or trim it; evidence and policies are small by design",
) -> Problem:
    """The problem of a file of `size` bytes, over MAX_FILE_BYTES."""
    return Problem(
        "file-too-large",
        f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}",
        Location(path, 1, 1),
        hint,
    )


def read_limited(path: str) -> bytes:
    """A file's bytes, raising FileTooLarge rather than reading more than MAX_FILE_BYTES."""
    with open(path, "rb") as handle:
        return _read_handle(handle)


class NotRegularFile(Exception):  # noqa: N818 - like FileTooLarge: named for what the input is
    """A project file that is a FIFO, a device, a socket or a directory; `kind` says which."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


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


def read_regular(path: str) -> bytes:
    """The bytes of the regular file at `path`, a real path (no symbolic link at its end).

    Raises NotRegularFile for anything else (FIFO, device, socket, directory), found on the open
    handle so that nothing is read from it; FileTooLarge as read_limited; OSError as open does
    (ELOOP when the last part is a symbolic link after all).
    """
    descriptor = os.open(path, _OPEN_FLAGS)
    with open(descriptor, "rb") as handle:  # closes the descriptor, whatever happens next
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(_kind(mode))
        return _read_handle(handle)


def _kind(mode: int) -> str:
    kinds = (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def _read_handle(handle: Any) -> bytes:
    size = os.fstat(handle.fileno()).st_size
    if size > MAX_FILE_BYTES:
        raise FileTooLarge(size)
    # One byte more than the size says: a device or a growing file has more than its size.
    # Only then read on, to one byte past the limit (a read of the limit itself would
    # allocate 32 MiB for every file).
    raw: bytes = handle.read(size + 1)
    if len(raw) > size:
        raw += handle.read(MAX_FILE_BYTES + 1 - len(raw))
    if len(raw) > MAX_FILE_BYTES:
        raise FileTooLarge(len(raw))
    return raw


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
        f"more than {MAX_FILES:,} entries (files, directories, symlinks) to list; the limit is"
        f" {MAX_FILES:,}",
        Location(f"{directory}/", 0, 0),
        "split the project (one --root per group of subjects) or remove files that are not"
        " evidence, policies or tests; a symlink that points back up the tree counts every time",
    )


def load_bytes(raw: bytes, path: str) -> Document:
    """Parse one YAML file's bytes; raise InvalidInput with located problems if it is unusable."""
    from gatecheck.loading.yaml_events import BuildError, build

    if len(raw) > MAX_FILE_BYTES:
        raise InvalidInput([too_large(path, len(raw))])
    text = _decode(raw, path)
    try:
        built = build(text, max_depth=MAX_DEPTH, max_nodes=MAX_NODES) if text.strip() else None
    except BuildError as error:
        mark = _inside(text, error.mark)
        raise InvalidInput(
            [Problem(error.code, error.message, Location(path, *mark), error.hint)]
        ) from None
    if built is None or built.data is None:
        raise InvalidInput(
            [
                Problem(
                    "empty-file",
                    "file is empty (no YAML content, only comments or null)",
                    Location(path, 1, 1),
                    "write a YAML mapping",
                )
            ]
        )
    return Document(path, built.data, built.positions, built.key_positions)


def _inside(text: str, mark: tuple[int, int]) -> tuple[int, int]:
    """The mark, or the end of the last line when libyaml marks the line after it.

    libyaml ends a file that lacks a final line break on a line of its own, one past the last:
    an error found there (an unclosed `[`, a key without `:`) is shown at the end of the file.
    """
    from gatecheck.loading.yaml_events import line_and_column

    end = line_and_column(text)
    return mark if mark[0] <= end[0] else end


def _decode(raw: bytes, path: str) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InvalidInput(
            [
                Problem(
                    "not-utf8",
                    "file is UTF-16; gatecheck reads UTF-8 only",
                    Location(path, 1, 1),
                    "save the file as UTF-8",
                )
            ]
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        # The decoder counts from after a BOM; columns count characters, as everywhere else.
        # Lines count as libyaml counts them (CR alone and NEL end a line too), as in every mark.
        from gatecheck.loading.yaml_events import line_and_column

        start = error.start + (3 if raw.startswith(b"\xef\xbb\xbf") else 0)
        line, column = line_and_column(raw[:start].decode("utf-8-sig"))
        raise InvalidInput(
            [
                Problem(
                    "not-utf8",
                    f"byte 0x{raw[start]:02x} is not valid UTF-8",
                    Location(path, line, column),
                    "save the file as UTF-8",
                )
            ]
        ) from None
