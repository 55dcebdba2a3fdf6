"""Edit YAML as its author wrote it: ruamel.yaml round trip, comments kept where they belong.

ruamel keeps comments, key order, quoting and flow style; this module loads and dumps a document in
its author's style, turns values into nodes written in that style, and compares documents by their
plain values. Entries are added and removed by `entries`; lines that ruamel would respell on the
way out are restored from the original by `kept_lines`.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections import Counter
from typing import Any, NamedTuple

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.scalarbool import ScalarBoolean
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

Collection = CommentedMap | CommentedSeq
_QUOTED = (SingleQuotedScalarString, DoubleQuotedScalarString)


class Style(NamedTuple):
    """Block indentation as ruamel's `YAML.indent` takes it; 2/4/2 is the bundled evidence's."""

    mapping: int = 2
    sequence: int = 4
    offset: int = 2


class _Representer(RoundTripRepresenter):
    """Writes `null` for None (ruamel writes nothing) and ISO date-times (2026-11-01T09:30:00Z)."""

    def represent_none(self, _data: Any) -> Any:
        return self.represent_scalar("tag:yaml.org,2002:null", "null")

    def ignore_aliases(self, data: Any) -> bool:
        # A date an edit writes in several places (one `collected_at` for every source) is the
        # same object each time; ruamel would write it once with `&id001` and then `*id001`.
        # Dates the author anchored keep their anchor.
        if (
            isinstance(data, dt.date)
            and getattr(getattr(data, "anchor", None), "value", None) is None
        ):
            return True
        return bool(super().ignore_aliases(data))

    def represent_plain_datetime(self, data: dt.datetime) -> Any:
        text = data.isoformat()
        text = text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        return self.represent_scalar("tag:yaml.org,2002:timestamp", text)


BUNDLED_STYLE = Style()
_Representer.add_representer(type(None), _Representer.represent_none)
_Representer.add_representer(dt.datetime, _Representer.represent_plain_datetime)


def _yaml(style: Style = BUNDLED_STYLE) -> YAML:
    yaml = YAML(typ="rt")
    yaml.Representer = _Representer
    yaml.preserve_quotes = True
    yaml.width = 1 << 30  # never fold a long line the author kept on one line
    yaml.indent(mapping=style.mapping, sequence=style.sequence, offset=style.offset)
    return yaml


def load(text: str) -> tuple[Any, Style]:
    """The round-trip document and the indentation its block collections use."""
    data = _yaml().load(text)
    return data, detect_style(data, text.splitlines())


def dump(data: Any, style: Style) -> str:
    _quote_colons_in_flow(data)
    stream = io.StringIO()
    _yaml(style).dump(data, stream)
    return stream.getvalue()


def _quote_colons_in_flow(data: Any) -> None:
    """Quote new strings with a ':' inside flow collections (`{url: "https://..."}`).

    YAML 1.2 lets ruamel write them plain, but libyaml, which gatecheck reads with, refuses them.
    Strings read from the file need nothing: the file would not have loaded.
    """
    stack: list[tuple[Any, bool]] = [(data, False)]
    while stack:
        collection, in_flow = stack.pop()
        if not isinstance(collection, CommentedMap | CommentedSeq):
            continue
        in_flow = in_flow or bool(collection.fa.flow_style())
        keys = collection.keys() if isinstance(collection, CommentedMap) else range(len(collection))
        for key in list(keys):
            value = collection[key]
            if isinstance(value, CommentedMap | CommentedSeq):
                stack.append((value, in_flow))
            elif in_flow and type(value) is str and ":" in value:
                collection[key] = DoubleQuotedScalarString(value)


def detect_style(data: Any, lines: list[str]) -> Style:
    """The indentation most block collections in the file use (2/4/2 when there are none)."""
    mappings: Counter[int] = Counter()
    sequences: Counter[tuple[int, int]] = Counter()
    stack: list[tuple[Any, int | None]] = [(data, None)]
    while stack:
        node, parent_column = stack.pop()
        if not isinstance(node, CommentedMap | CommentedSeq) or node.fa.flow_style():
            continue
        if isinstance(node, CommentedMap):
            for key, value in node.items():
                line, column = node.lc.key(key)
                if parent_column is not None:
                    mappings[column - parent_column] += 1
                stack.append((value, column))
            continue
        for index, value in enumerate(node):
            line, column = node.lc.item(index)
            dash = lines[line].rfind("-", 0, column) if line < len(lines) else -1
            if parent_column is not None and dash >= parent_column:
                sequences[column - parent_column, dash - parent_column] += 1
            stack.append((value, None))  # a mapping item's keys sit after "- ", not indented
    mapping = mappings.most_common(1)[0][0] if mappings else 2
    sequence, offset = sequences.most_common(1)[0][0] if sequences else (mapping + 2, mapping)
    return Style(mapping, sequence, offset) if mapping > 0 else Style()


def plain(node: Any) -> Any:
    """A round-trip node as plain data (dict, list, str, int, bool, ...), as gatecheck loads it."""
    if isinstance(node, dict):
        return {key: plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [plain(item) for item in node]
    if isinstance(node, ScalarBoolean | bool):
        return bool(node)
    if isinstance(node, dt.datetime):  # ruamel's TimeStamp remembers its spelling; drop that
        return dt.datetime.combine(node.date(), node.timetz())
    for kind in (str, int, float):
        if isinstance(node, kind):
            return kind(node)
    return node


def same(old: Any, new: Any) -> bool:
    """Equal as YAML values: `true` is not `1`, a date is not a date-time, `.nan` is `.nan`."""
    old, new = _nan_as_itself(plain(old)), _nan_as_itself(plain(new))
    return type(old) is type(new) and [old] == [new] and _deep_types(old) == _deep_types(new)


_NAN = float("nan")


def _nan_as_itself(value: Any) -> Any:
    """`value` with every NaN the one object `_NAN`.

    NaN is unequal to itself, but a list compares an item to itself by identity first, so two
    values that hold NaN at the same places compare equal in `[old] == [new]`.
    """
    if isinstance(value, dict):
        return {key: _nan_as_itself(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_nan_as_itself(item) for item in value]
    if isinstance(value, float) and math.isnan(value):
        return _NAN
    return value


def _deep_types(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _deep_types(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_deep_types(item) for item in value]
    return type(value)


def node(value: Any, like: Any = None) -> Any:
    """A value as a round-trip node, in the style of the node it replaces (`like`).

    New lists of scalars are written in flow style (`[python, go]`), other collections in block
    style; a string that replaces a quoted one is quoted the same way.
    """
    if isinstance(value, dict):
        mapping = CommentedMap()
        for key, item in value.items():
            if not isinstance(key, str):
                msg = f"mapping keys must be strings, not {type(key).__name__}"
                raise TypeError(msg)
            mapping[key] = node(item)
        if isinstance(like, CommentedMap) and like.fa.flow_style():
            mapping.fa.set_flow_style()
        return mapping
    if isinstance(value, list | tuple):
        sequence = CommentedSeq(node(item) for item in value)
        if isinstance(like, CommentedSeq) and like.fa.flow_style() is not None:
            flow = bool(like.fa.flow_style()) and not any(isinstance(i, dict) for i in value)
        else:
            flow = not any(isinstance(item, dict | list | tuple) for item in value)
        if flow:
            sequence.fa.set_flow_style()
        else:
            sequence.fa.set_block_style()
        return sequence
    if isinstance(value, str):
        return type(like)(value) if isinstance(like, _QUOTED) else str(value)
    if value is None or isinstance(value, bool | int | float | dt.date):
        return value
    kinds = "bool, int, float, str, date, list or dict"
    msg = f"{type(value).__name__} cannot be written to YAML (use {kinds})"
    raise TypeError(msg)
