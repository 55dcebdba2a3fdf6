"""Where a value sits in a JSON text: the line and column of a path, found by scanning tokens.

`json.loads` keeps no positions. Problems about a facts schema are rare, so the text is scanned
again only to locate one: linear in the text, no parser of its own beyond strings and brackets.
"""

from __future__ import annotations

import bisect
import json
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gatecheck.loading.schema_tree import Pointer

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+')


def json_position(text: str, path: Pointer) -> tuple[int, int]:
    """Line and column (from 1) of the member or item at `path`: of its key for a member.

    (1, 1) for the top, or for a path the text does not hold.
    """
    starts = [0, *(match.end() for match in re.finditer(r"\n", text))]
    found = _offset(text, path)
    line = bisect.bisect_right(starts, found)
    return line, found - starts[line - 1] + 1


def _offset(text: str, path: Pointer) -> int:
    """Where `path` starts in `text`, scanning its tokens once; 0 if it is not there."""
    target = list(path)
    keys: list[str | int] = []  # the path to the collection being read, then its member
    objects: list[bool] = []  # for each open collection: is it an object?
    key_at: list[int] = []  # for each open object: where its current key starts
    want_key = False
    for match in _TOKEN.finditer(text):
        symbol = match.group()
        if symbol in ("}", "]"):
            objects.pop()
            keys.pop()
            key_at.pop()
        elif symbol == ",":
            if not objects[-1]:
                keys[-1] = int(keys[-1]) + 1
            want_key = objects[-1]
        elif symbol == ":":
            continue
        elif want_key:
            keys[-1], key_at[-1], want_key = json.loads(symbol), match.start(), False
        elif keys and keys == target:  # the value at `path` starts here
            return key_at[-1] if objects[-1] else match.start()
        elif symbol in ("{", "["):
            objects.append(symbol == "{")
            keys.append(0)
            key_at.append(match.start())
            want_key = symbol == "{"
    return 0
