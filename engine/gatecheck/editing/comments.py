"""The comment at the end of a fact's line: found before a new value makes it untrue, or dropped.

`record` rewrites a fact's value and ruamel keeps the comment written after it
(`phase: 3  # still in phase 3 per the CG`), which the new value may contradict. This finds that
comment (and the line it is on in the file as read) and removes it on request, leaving the whole
comment lines after it, and every other comment, as they were. No I/O: it works on the round-trip
document that `evidence_files` reads and writes.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ruamel.yaml.comments import CommentedMap, CommentedSeq


class LineComment(NamedTuple):
    """The comment at the end of the line of a fact's value."""

    fact: str
    line: int  # 1-based, in the file as it was read
    text: str  # as written, from its `#`


def _slot(document: Any, fact: str) -> tuple[list[Any], int] | None:
    """The comment slots of `fact`'s entry and the index of its end-of-line comment, if any."""
    node: Any = document.get("facts")
    parts = fact.split(".")
    for part in parts[:-1]:
        node = _child(node, part)
        if node is None:
            return None
    last = parts[-1]
    if isinstance(node, CommentedMap) and last in node:
        key: Any = last
        index = 2
    elif isinstance(node, CommentedSeq) and last.isdigit() and int(last) < len(node):
        key, index = int(last), 0
    else:
        return None
    value = node[key]
    if isinstance(value, CommentedMap | CommentedSeq) and not value.fa.flow_style():
        return None  # a block collection: its line holds only the key
    slots = node.ca.items.get(key)
    return (slots, index) if slots and slots[index] is not None else None


def fact_node(document: Any, fact: str) -> Any:
    """The round-trip node of `fact` (a dotted path in `facts`), or None when it is not there."""
    node: Any = document.get("facts")
    for part in fact.split("."):
        node = _child(node, part)
        if node is None:
            return None
    return node


def _child(node: Any, part: str) -> Any:
    if isinstance(node, CommentedMap):
        return node.get(part)
    if isinstance(node, CommentedSeq) and part.isdigit() and int(part) < len(node):
        return node[int(part)]
    return None


def line_comment(document: Any, fact: str) -> LineComment | None:
    """The comment after `fact`'s value on its line, or None (no comment, or only whole lines)."""
    found = _slot(document, fact)
    if found is None:
        return None
    slots, index = found
    token = slots[index]
    head = token.value.partition("\n")[0].strip()
    if not head.startswith("#"):
        return None
    mark = getattr(token, "start_mark", None)
    line = mark.line + 1 if mark is not None else 0
    return LineComment(fact, line, head)


def drop_line_comment(document: Any, fact: str) -> None:
    """Remove the comment after `fact`'s value; the comment lines after it stay."""
    found = _slot(document, fact)
    if found is None:
        return
    slots, index = found
    token = slots[index]
    head, newline, tail = token.value.partition("\n")
    if not head.strip().startswith("#"):
        return
    if tail:
        token.value = newline + tail
    else:
        slots[index] = None
