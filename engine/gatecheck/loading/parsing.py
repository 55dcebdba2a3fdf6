"""Parse a YAML file's bytes into a `Document`: plain data and the line and column of every node.

`yaml_events` builds the data from libyaml's events at the cost of a safe C load; this module
turns its result into a `Document` (`gatecheck.documents`) and owns the problems of bytes that are
not usable YAML (too large, not UTF-8, empty). The limits are in `gatecheck.limits`, reading the
bytes safely in `gatecheck.reading`.
"""

from __future__ import annotations

from typing import Any

from gatecheck import limits
from gatecheck.documents import Document
from gatecheck.errors import InvalidInput, Location, Problem
from gatecheck.reading import too_large


def load_bytes(raw: bytes, path: str, *, policy: bool = False) -> Document:
    """Parse one YAML file's bytes; raise InvalidInput with located problems if it is unusable.

    A `policy` has its own, higher limits (`limits.MAX_POLICY_BYTES`, `MAX_POLICY_NODES`): a run
    reads one policy file per policy, and evidence files by the thousand.
    """
    from gatecheck.loading.yaml_events import BuildError, build

    max_bytes = limits.MAX_POLICY_BYTES if policy else limits.MAX_FILE_BYTES
    if len(raw) > max_bytes:
        raise InvalidInput([too_large(path, len(raw), limit=max_bytes if policy else None)])
    text = _decode(raw, path)
    max_nodes = limits.MAX_POLICY_NODES if policy else limits.MAX_NODES
    try:
        built = (
            build(text, max_depth=limits.MAX_DEPTH, max_nodes=max_nodes) if text.strip() else None
        )
    except BuildError as error:
        mark = _inside(text, error.mark)
        hint = _steps_hint(error, text, max_nodes) if policy else None
        raise InvalidInput(
            [Problem(error.code, error.message, Location(path, *mark), hint or error.hint)]
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


def _steps_hint(error: Any, text: str, max_nodes: int) -> str | None:
    """For a policy over the node limit while reading its steps: how many it has, roughly.

    The steps read when the limit was reached are what the limit holds; the lines of the file
    left scale them to an estimate of the whole (`~`: steps need not be one a line, and a gate
    takes lines too).
    """
    if error.code != "too-many-nodes" or error.items is None or error.items[0] != "steps":
        return None
    _key, held, first = error.items
    read = max(error.mark[0] - first, 1)
    estimate = held * max(text.count("\n") + 1 - first, read) // read
    return (
        f"a policy of this size (~{estimate:,} steps) is over the limit of {max_nodes:,} values"
        f" for one policy, about {held:,} steps like these; split it into policies of fewer"
        " steps, or ask for the limit to be raised (gatecheck.limits.MAX_POLICY_NODES)"
    )


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
