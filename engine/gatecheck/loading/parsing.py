"""Parse a YAML file's bytes into a `Document`: plain data and the line and column of every node.

`yaml_events` builds the data from libyaml's events at the cost of a safe C load; this module
turns its result into a `Document` (`gatecheck.documents`) and owns the problems of bytes that are
not usable YAML (too large, not UTF-8, empty). The limits are in `gatecheck.limits`, reading the
bytes safely in `gatecheck.reading`.
"""

from __future__ import annotations

from gatecheck import limits
from gatecheck.documents import Document
from gatecheck.errors import InvalidInput, Location, Problem
from gatecheck.reading import too_large


def load_bytes(raw: bytes, path: str) -> Document:
    """Parse one YAML file's bytes; raise InvalidInput with located problems if it is unusable."""
    from gatecheck.loading.yaml_events import BuildError, build

    if len(raw) > limits.MAX_FILE_BYTES:
        raise InvalidInput([too_large(path, len(raw))])
    text = _decode(raw, path)
    try:
        built = (
            build(text, max_depth=limits.MAX_DEPTH, max_nodes=limits.MAX_NODES)
            if text.strip()
            else None
        )
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
