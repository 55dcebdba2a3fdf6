"""Build plain data from libyaml's event stream, with the line and column of every node.

The parser is libyaml (through ruamel.yaml's C extension when present), driven event by event:
composing a node tree recursively crashes the interpreter on deeply nested input, and ruamel's own
constructors would hide positions. Building here bounds nesting, caps alias expansion (counting
every node an alias repeats), rejects duplicate keys and tags, and records positions by path.
"""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING, Any, NamedTuple, NoReturn

from gatecheck.loading.yaml_scalars import COLLECTION_TAGS, CONVERT, SCALAR_TAGS, plain_kind

if TYPE_CHECKING:
    from collections.abc import Callable

DataPath = tuple[str | int, ...]

# The line breaks of YAML 1.1, which libyaml counts in its marks (an editor may show NEL, LS and PS
# inside a line; gatecheck's locations follow the parser, so they agree with every other mark).
LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
Mark = tuple[int, int]


class BuildError(Exception):
    """A problem at a (line, column) of the text; the caller adds the file.

    `items` says, for a file refused for holding too many values (`too-many-nodes`, aliases not
    the cause), which top-level list was being read, how many items it held by then and the line
    it starts on: the caller can size its hint to the file (a policy's steps).
    """

    def __init__(
        self,
        code: str,
        message: str,
        mark: Mark,
        hint: str | None = None,
        items: tuple[str, int, int] | None = None,
    ) -> None:
        super().__init__(message)
        self.code, self.message, self.mark, self.hint = code, message, mark, hint
        self.items = items


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
        self.merges: list[tuple[dict[str, Any], Mark]] = []


_NO_KEY = object()
_MERGE_KEY = object()


class Built(NamedTuple):
    data: Any
    positions: dict[DataPath, Mark]  # where each value starts
    key_positions: dict[DataPath, Mark]  # where the key leading to each mapping value is


def build(text: str, *, max_depth: int, max_nodes: int) -> Built:
    """Plain data and positions from YAML text; BuildError for the first problem found."""
    return _Builder(text, max_depth, max_nodes).build()


class _Builder:
    """Turns libyaml events into plain data and positions."""

    def __init__(self, text: str, max_depth: int, max_nodes: int) -> None:
        self.text = text
        self.max_depth = max_depth
        self.max_nodes = max_nodes
        self.positions: dict[DataPath, Mark] = {}
        self.key_positions: dict[DataPath, Mark] = {}
        self.anchors: dict[str, tuple[Any, int, bool]] = {}  # value, node count, still open
        self.nodes = 0
        self.repeated = 0  # of `nodes`, those an alias repeats
        self.stack: list[_Frame] = []

    def fail(
        self,
        code: str,
        message: str,
        mark: Mark,
        hint: str | None = None,
        items: tuple[str, int, int] | None = None,
    ) -> NoReturn:
        raise BuildError(code, message, mark, hint, items)

    def build(self) -> Built:
        from ruamel.yaml import events
        from ruamel.yaml.error import MarkedYAMLError, YAMLError

        parser = _event_source(self.text)
        handlers: dict[type, Callable[[Any, Mark], None]] = {
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
        except YAMLError as error:  # reader errors carry an offset, not a mark
            self.fail("yaml-syntax", str(error).splitlines()[0], self._mark_at(error))
        finally:
            dispose = getattr(parser, "dispose", None)
            if dispose is not None:
                dispose()
        return Built(self.root, self.positions, self.key_positions)

    def _mark_at(self, error: Exception) -> Mark:
        index = getattr(error, "position", None)
        if not isinstance(index, int):
            return (1, 1)
        # libyaml reads UTF-8: the offset counts bytes; columns count characters, as elsewhere
        before = self.text.encode("utf-8", "surrogatepass")[:index]
        return line_and_column(before.decode("utf-8", "replace"))

    # -- placing values -------------------------------------------------------------------

    def count(self, n: int, mark: Mark) -> None:
        self.nodes += n
        if self.nodes > self.max_nodes:
            self.too_many(mark)

    def too_many(self, mark: Mark) -> NoReturn:
        """The node limit passed: by aliases repeating blocks, or by what the file writes out.

        Aliases are named as the cause when they repeat at least half the values counted; a
        large file that happens to hold an alias is too large for what it writes out.
        """
        if self.repeated * 2 >= self.nodes:
            self.fail(
                "too-many-nodes",
                f"file expands to more than {self.max_nodes:,} values: its aliases repeat"
                f" {self.repeated:,} of them (each alias counts every value it repeats)",
                mark,
                "remove the aliases that repeat large blocks",
            )
        repeated = f" ({self.repeated:,} of them repeated by aliases)" if self.repeated else ""
        self.fail(
            "too-many-nodes",
            f"file holds more than {self.max_nodes:,} values{repeated}",
            mark,
            f"split the file: the limit is {self.max_nodes:,} values (keys, values and each"
            " mapping or list count one)",
            self.top_items(),
        )

    def top_items(self) -> tuple[str, int, int] | None:
        """The top-level list being read (`steps`), how many items it holds so far, its line."""
        if len(self.stack) < 2 or not isinstance(self.stack[1].container, list):  # noqa: PLR2004
            return None
        frame = self.stack[1]
        key = frame.path[0] if frame.path else None
        if not isinstance(key, str):
            return None
        return key, len(frame.container), self.positions[frame.path][0]

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

    def place(self, value: Any, mark: Mark) -> None:
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

    def add_merge(self, frame: _Frame, value: Any, mark: Mark) -> None:
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

    def set_key(self, value: Any, mark: Mark) -> None:
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

    def on_scalar(self, event: Any, mark: Mark) -> None:
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

    def scalar_value(self, event: Any, mark: Mark) -> Any:
        value: str = event.value
        tag = event.tag
        if tag is None:
            kind = plain_kind(value) if event.implicit[0] else "str"
        else:
            kind = SCALAR_TAGS.get(tag, "")
            if not kind:
                self.reject_tag(tag, mark)
        if kind == "merge":
            return _MERGE_KEY
        if kind == "str":
            # Short strings repeat (ids, keys, sources): one shared object each keeps memory and
            # the cached policies small.
            return sys.intern(value) if len(value) < 64 else value  # noqa: PLR2004
        try:
            return CONVERT[kind](value)
        except (ValueError, OverflowError, KeyError):
            code = "bad-date" if kind == "timestamp" else "bad-value"
            self.fail(
                code,
                f"'{value}' is not a valid {'date' if kind == 'timestamp' else kind}",
                mark,
                "write dates as YYYY-MM-DD" if kind == "timestamp" else "quote it to make a string",
            )

    def reject_tag(self, tag: str, mark: Mark) -> NoReturn:
        self.fail(
            "yaml-tag",
            f"tag '{tag}' is not allowed",
            mark,
            "gatecheck reads plain YAML data only; remove the tag",
        )

    def open(self, event: Any, mark: Mark, container: Any) -> None:
        if event.tag is not None and event.tag not in COLLECTION_TAGS:
            self.reject_tag(event.tag, mark)
        if len(self.stack) >= self.max_depth:
            self.fail(
                "too-deep",
                f"nesting is deeper than {self.max_depth} levels",
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

    def on_mapping_start(self, event: Any, mark: Mark) -> None:
        self.open(event, mark, {})

    def on_sequence_start(self, event: Any, mark: Mark) -> None:
        self.open(event, mark, [])

    def close(self, mark: Mark) -> None:
        frame = self.stack.pop()
        if frame.anchor is not None:
            self.anchors[frame.anchor] = (frame.container, self.nodes - frame.start + 1, False)
        self.place(frame.container, mark)

    def on_mapping_end(self, _event: Any, mark: Mark) -> None:
        frame = self.stack[-1]
        for source, merge_mark in frame.merges:
            for key, value in source.items():
                if key not in frame.container:
                    frame.container[key] = value
                    self.positions[(*frame.path, key)] = merge_mark
                    self.key_positions[(*frame.path, key)] = merge_mark
        self.close(mark)

    def on_sequence_end(self, _event: Any, mark: Mark) -> None:
        self.close(mark)

    def on_alias(self, event: Any, mark: Mark) -> None:
        anchor = self.anchors.get(event.anchor)
        if anchor is None:
            self.fail("yaml-alias", f"alias '*{event.anchor}' has no anchor before it", mark)
        value, size, still_open = anchor
        if still_open:
            self.fail("yaml-alias", f"alias '*{event.anchor}' refers to itself", mark)
        self.repeated += size
        self.count(size, mark)
        path = self.child_path()
        if path is None:
            self.set_key(value, mark)
            return
        self.positions[path] = mark
        self.place(value, mark)


def _mark_of(error: Any) -> Mark:
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


def line_and_column(before: str) -> Mark:
    """The mark of the character that follows `before`, counting lines as libyaml does."""
    lines = LINE_BREAK.split(before)
    return (len(lines), len(lines[-1]) + 1)
