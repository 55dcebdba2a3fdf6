"""Read YAML files into plain data while remembering the line and column of every node.

The parser is libyaml (through ruamel.yaml's C extension when present), driven event by event:
gatecheck builds the data itself instead of letting ruamel compose a node tree. That keeps the cost
of a safe C load, bounds nesting depth (composing a deeply nested file recursively crashes the
interpreter), caps alias expansion, rejects duplicate keys and tags, and records positions as a
side table keyed by path, so the data stays plain dicts, lists and scalars.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from typing import TYPE_CHECKING, Any, NamedTuple, NoReturn

from gatecheck.errors import InvalidInput, Problem

if TYPE_CHECKING:
    from collections.abc import Callable

# Limits on what one file may cost. They are far above any real policy or evidence file and far
# below what would make a run hang or exhaust memory; docs/evidence.md lists them for users.
MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 2_000_000  # counts every node an alias expands to: a "billion laughs" file stops early

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


def load_bytes(raw: bytes, path: str) -> Document:
    """Parse one YAML file's bytes; raise InvalidInput with located problems if it is unusable."""
    if len(raw) > MAX_FILE_BYTES:
        raise InvalidInput(
            [
                Problem(
                    "file-too-large",
                    f"file is {len(raw):,} bytes; the limit is {MAX_FILE_BYTES:,}",
                    Location(path, 1, 1),
                    "split the file or trim it; evidence and policies are small by design",
                )
            ]
        )
    text = _decode(raw, path)
    document = _Builder(text, path).build() if text.strip() else None
    if document is None or document.data is None:
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
    return document


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
        start = error.start + (3 if raw.startswith(b"\xef\xbb\xbf") else 0)
        line_start = raw.rfind(b"\n", 0, start) + 1
        line = raw.count(b"\n", 0, start) + 1
        column = len(raw[line_start:start].decode("utf-8-sig", "replace")) + 1
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


# Plain-scalar resolution follows YAML 1.2 as ruamel.yaml implements it, with one table for both
# parser back ends so a file means the same thing with or without the C extension.
_NULL = re.compile(r"~|null|Null|NULL|")
_BOOL = re.compile(r"true|True|TRUE|false|False|FALSE")
# Unlike ruamel's own patterns, a digit must come first: "-_" or "._" are strings, not numbers.
_INT = re.compile(r"[-+]?(?:0b[01][01_]*|0o[0-7][0-7_]*|0x[0-9a-fA-F][0-9a-fA-F_]*|[0-9][0-9_]*)")
_FLOAT = re.compile(
    r"[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)"
    r"|[-+]?\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_BOOLEANS = {
    "true": True,
    "True": True,
    "TRUE": True,
    "false": False,
    "False": False,
    "FALSE": False,
}
_NULLS = {"": None, "~": None, "null": None, "Null": None, "NULL": None}
_TIMESTAMP = re.compile(
    r"(?P<date>[0-9]{4}-[0-9]{1,2}-[0-9]{1,2})(?:[Tt]|[ \t]+)"
    r"(?P<time>[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?)"
    r"(?:[ \t]*(?P<tz>Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?"
)

_KNOWN_SCALAR_TAGS = {
    "!": "str",
    "tag:yaml.org,2002:str": "str",
    "tag:yaml.org,2002:int": "int",
    "tag:yaml.org,2002:float": "float",
    "tag:yaml.org,2002:bool": "bool",
    "tag:yaml.org,2002:null": "null",
    "tag:yaml.org,2002:timestamp": "timestamp",
}
_KNOWN_COLLECTION_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


def _to_int(text: str) -> int:
    digits = text.replace("_", "")
    sign = -1 if digits.startswith("-") else 1
    digits = digits.lstrip("+-")
    for prefix, base in (("0b", 2), ("0x", 16), ("0o", 8)):
        if digits.startswith(prefix):
            return sign * int(digits[2:], base)
    return sign * int(digits)


def _to_float(text: str) -> float:
    lowered = text.replace("_", "").lower()
    if lowered.endswith((".inf", ".nan")):
        return float(lowered.replace(".", ""))
    return float(lowered)


def _to_timestamp(text: str) -> dt.date | dt.datetime:
    if _DATE.fullmatch(text):
        return dt.date.fromisoformat(text)
    match = _TIMESTAMP.fullmatch(text)
    if match is None:
        raise ValueError(text)
    year, month, day = (int(part) for part in match["date"].split("-"))
    clock, _, fraction = match["time"].partition(".")
    hour, minute, second = (int(part) for part in clock.split(":"))
    micro = int((fraction + "000000")[:6]) if fraction else 0
    tz = None
    if match["tz"] == "Z":
        tz = dt.UTC
    elif match["tz"]:
        hours, _, minutes = match["tz"][1:].partition(":")
        offset = dt.timedelta(hours=int(hours), minutes=int(minutes or 0))
        tz = dt.timezone(-offset if match["tz"][0] == "-" else offset)
    return dt.datetime(year, month, day, hour, minute, second, micro, tzinfo=tz)


_CONVERT: dict[str, Callable[[str], Any]] = {
    "int": _to_int,
    "float": _to_float,
    "bool": lambda text: _BOOLEANS[text],
    "null": lambda text: _NULLS[text],
    "timestamp": _to_timestamp,
}


def _plain_kind(value: str) -> str:
    """The YAML 1.2 type of an untagged, unquoted scalar: one of `_CONVERT`'s keys, merge or str."""
    first = value[:1]
    if first in "~nN" and _NULL.fullmatch(value):
        return "null"
    if first in "tTfF" and _BOOL.fullmatch(value):
        return "bool"
    if first in "-+0123456789.":
        if _DATE.fullmatch(value) or (first.isdigit() and _TIMESTAMP.fullmatch(value)):
            return "timestamp"
        if _INT.fullmatch(value):
            return "int"
        if _FLOAT.fullmatch(value):
            return "float"
    if value == "<<":
        return "merge"
    return "str"


def _event_source(text: str) -> Any:
    """A `get_event()` source: libyaml through ruamel's C extension, else ruamel's own parser."""
    try:
        from ruamel.yaml.cyaml import CParser  # type: ignore[attr-defined]
    except ImportError:  # pragma: no cover - the C extension is a declared dependency
        from ruamel.yaml.loader import SafeLoader

        return SafeLoader(text)
    return CParser(text)


class _Frame:
    """A mapping or sequence being built; for mappings, the key waiting for its value."""

    __slots__ = ("anchor", "container", "key", "merges", "path", "start")

    def __init__(self, container: Any, path: DataPath, anchor: str | None, start: int) -> None:
        self.container = container
        self.path = path
        self.anchor = anchor
        self.start = start
        self.key: Any = _NO_KEY
        self.merges: list[tuple[dict[str, Any], tuple[int, int]]] = []


_NO_KEY = object()
_MERGE_KEY = object()


class _Builder:
    """Turns libyaml events into plain data, positions and problems."""

    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.path = path
        self.positions: dict[DataPath, tuple[int, int]] = {}
        self.key_positions: dict[DataPath, tuple[int, int]] = {}
        self.anchors: dict[str, tuple[Any, int, bool]] = {}  # value, node count, still open
        self.nodes = 0
        self.stack: list[_Frame] = []
        self.problems: list[Problem] = []

    def fail(
        self, code: str, message: str, mark: tuple[int, int], hint: str | None = None
    ) -> NoReturn:
        raise InvalidInput([Problem(code, message, Location(self.path, *mark), hint)])

    def build(self) -> Document:
        from ruamel.yaml import events
        from ruamel.yaml.error import MarkedYAMLError, YAMLError

        parser = _event_source(self.text)
        handlers: dict[type, Callable[[Any, tuple[int, int]], None]] = {
            events.ScalarEvent: self.on_scalar,
            events.MappingStartEvent: self.on_mapping_start,
            events.SequenceStartEvent: self.on_sequence_start,
            events.MappingEndEvent: self.on_mapping_end,
            events.SequenceEndEvent: self.on_sequence_end,
            events.AliasEvent: self.on_alias,
        }
        documents = 0
        self.root: Any = None
        try:
            while True:
                event = parser.get_event()
                kind = type(event)
                mark = (event.start_mark.line + 1, event.start_mark.column + 1)
                handler = handlers.get(kind)
                if handler is not None:
                    handler(event, mark)
                elif kind is events.DocumentStartEvent:
                    documents += 1
                    if documents > 1:
                        self.fail(
                            "multiple-documents",
                            "file holds more than one YAML document",
                            mark,
                            "keep one document per file; remove the extra '---'",
                        )
                elif kind is events.StreamEndEvent:
                    break
        except MarkedYAMLError as error:
            self.fail("yaml-syntax", _describe(error), _mark_of(error), _syntax_hint(error))
        except YAMLError as error:  # reader errors carry a character index, not a mark
            self.fail("yaml-syntax", str(error).splitlines()[0], self._mark_at(error))
        finally:
            dispose = getattr(parser, "dispose", None)
            if dispose is not None:
                dispose()
        return Document(self.path, self.root, self.positions, self.key_positions)

    def _mark_at(self, error: Exception) -> tuple[int, int]:
        index = getattr(error, "position", None)
        if not isinstance(index, int):
            return (1, 1)
        line = self.text.count("\n", 0, index) + 1
        return (line, index - (self.text.rfind("\n", 0, index) + 1) + 1)

    # -- placing values -------------------------------------------------------------------

    def count(self, n: int, mark: tuple[int, int]) -> None:
        self.nodes += n
        if self.nodes > MAX_NODES:
            self.fail(
                "too-many-nodes",
                f"file expands to more than {MAX_NODES:,} values (aliases count each time)",
                mark,
                "remove the aliases that repeat large blocks",
            )

    def child_path(self) -> DataPath | None:
        """The path of the value about to be placed, or None when it is a mapping key."""
        if not self.stack:
            return ()
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            return (*frame.path, len(frame.container))
        if frame.key is _NO_KEY:
            return None
        if frame.key is _MERGE_KEY:
            return (*frame.path, "<<")
        return (*frame.path, frame.key)

    def place(self, value: Any, mark: tuple[int, int]) -> None:
        if not self.stack:
            self.root = value
            return
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            frame.container.append(value)
            return
        if frame.key is _MERGE_KEY:
            self.add_merge(frame, value, mark)
        else:
            frame.container[frame.key] = value
        frame.key = _NO_KEY

    def add_merge(self, frame: _Frame, value: Any, mark: tuple[int, int]) -> None:
        sources = value if isinstance(value, list) else [value]
        if not sources or not all(isinstance(source, dict) for source in sources):
            self.fail(
                "yaml-merge",
                "a merge key ('<<') takes a mapping or a list of mappings",
                mark,
            )
        # Merged keys are located where their source mapping starts (or its alias is written).
        base = (*frame.path, "<<")
        if isinstance(value, list):
            marks = [self.positions.get((*base, i), mark) for i in range(len(sources))]
        else:
            marks = [self.positions.get(base, mark)]
        frame.merges.extend(zip(sources, marks, strict=True))

    def set_key(self, value: Any, mark: tuple[int, int]) -> None:
        frame = self.stack[-1]
        if value is _MERGE_KEY:
            frame.key = _MERGE_KEY
            return
        if not isinstance(value, str):
            shown = "null" if value is None else repr(value)
            self.fail(
                "bad-key",
                f"mapping key {shown} is not a string; keys must be strings",
                mark,
                f"quote the key: '{value}'" if value is not None else "write a key before ':'",
            )
        if value in frame.container:
            first = self.key_positions[(*frame.path, value)]
            self.fail(
                "duplicate-key",
                f"key '{value}' appears twice in this mapping (first at line {first[0]})",
                mark,
                "keep one of the two entries",
            )
        frame.key = value
        self.key_positions[(*frame.path, value)] = mark

    # -- event handlers --------------------------------------------------------------------

    def on_scalar(self, event: Any, mark: tuple[int, int]) -> None:
        self.count(1, mark)
        value = self.scalar_value(event, mark)
        path = self.child_path()
        if path is None:
            self.set_key(value, mark)
            if event.anchor is not None:
                self.anchors[event.anchor] = (value, 1, False)
            return
        self.positions[path] = mark
        if event.anchor is not None:
            self.anchors[event.anchor] = (value, 1, False)
        self.place(value, mark)

    def scalar_value(self, event: Any, mark: tuple[int, int]) -> Any:
        value: str = event.value
        tag = event.tag
        if tag is None:
            kind = _plain_kind(value) if event.implicit[0] else "str"
        else:
            kind = _KNOWN_SCALAR_TAGS.get(tag, "")
            if not kind:
                self.reject_tag(tag, mark)
        if kind == "merge":
            return _MERGE_KEY
        if kind == "str":
            # Short strings repeat (ids, keys, sources): one shared object each keeps memory and
            # the cached policies small.
            return sys.intern(value) if len(value) < 64 else value  # noqa: PLR2004
        try:
            return _CONVERT[kind](value)
        except (ValueError, OverflowError, KeyError):
            code = "bad-date" if kind == "timestamp" else "bad-value"
            self.fail(
                code,
                f"'{value}' is not a valid {'date' if kind == 'timestamp' else kind}",
                mark,
                "write dates as YYYY-MM-DD" if kind == "timestamp" else "quote it to make a string",
            )

    def reject_tag(self, tag: str, mark: tuple[int, int]) -> NoReturn:
        self.fail(
            "yaml-tag",
            f"tag '{tag}' is not allowed",
            mark,
            "gatecheck reads plain YAML data only; remove the tag",
        )

    def open(self, event: Any, mark: tuple[int, int], container: Any) -> None:
        if event.tag is not None and event.tag not in _KNOWN_COLLECTION_TAGS:
            self.reject_tag(event.tag, mark)
        if len(self.stack) >= MAX_DEPTH:
            self.fail(
                "too-deep",
                f"nesting is deeper than {MAX_DEPTH} levels",
                mark,
                "flatten the structure",
            )
        self.count(1, mark)
        path = self.child_path()
        if path is None:
            self.fail(
                "bad-key",
                "mapping keys must be strings, not mappings or lists",
                mark,
                "use a string key",
            )
        self.positions[path] = mark
        frame = _Frame(container, path, event.anchor, self.nodes)
        if event.anchor is not None:
            self.anchors[event.anchor] = (container, 0, True)
        self.stack.append(frame)

    def on_mapping_start(self, event: Any, mark: tuple[int, int]) -> None:
        self.open(event, mark, {})

    def on_sequence_start(self, event: Any, mark: tuple[int, int]) -> None:
        self.open(event, mark, [])

    def close(self, mark: tuple[int, int]) -> None:
        frame = self.stack.pop()
        if frame.anchor is not None:
            self.anchors[frame.anchor] = (frame.container, self.nodes - frame.start + 1, False)
        self.place(frame.container, mark)

    def on_mapping_end(self, _event: Any, mark: tuple[int, int]) -> None:
        frame = self.stack[-1]
        for source, merge_mark in frame.merges:
            for key, value in source.items():
                if key not in frame.container:
                    frame.container[key] = value
                    self.positions[(*frame.path, key)] = merge_mark
                    self.key_positions[(*frame.path, key)] = merge_mark
        self.close(mark)

    def on_sequence_end(self, _event: Any, mark: tuple[int, int]) -> None:
        self.close(mark)

    def on_alias(self, event: Any, mark: tuple[int, int]) -> None:
        anchor = self.anchors.get(event.anchor)
        if anchor is None:
            self.fail("yaml-alias", f"alias '*{event.anchor}' has no anchor before it", mark)
        value, size, still_open = anchor
        if still_open:
            self.fail("yaml-alias", f"alias '*{event.anchor}' refers to itself", mark)
        self.count(size, mark)
        path = self.child_path()
        if path is None:
            self.set_key(value, mark)
            return
        self.positions[path] = mark
        self.place(value, mark)


def _mark_of(error: Any) -> tuple[int, int]:
    mark = error.problem_mark or error.context_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _describe(error: Any) -> str:
    parts = [part for part in (error.context, error.problem) if part]
    return " ".join(parts) if parts else "invalid YAML"


def _syntax_hint(error: Any) -> str | None:
    problem = str(error.problem or "")
    if "found unexpected ':'" in problem:
        return "inside {...} or [...], quote strings that contain ':' (URLs, times)"
    if "found character '\\t'" in problem:
        return "indent with spaces; YAML does not allow tabs there"
    if "mapping values are not allowed" in problem:
        return "check the indentation of this line, or quote a value that contains ': '"
    return None
