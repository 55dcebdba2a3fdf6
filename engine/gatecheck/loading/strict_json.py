"""Strict JSON: no key given twice, no NaN or Infinity, and costs measured before and after parsing.

Python's json module accepts what JSON does not (NaN, a key given twice, the later one winning);
gatecheck reads a facts schema as JSON defines it, and counts its values on the text, before
32 MiB of `{},` could become 11 million objects.
"""

from __future__ import annotations

import json
import re
from typing import Any


def loads(text: str) -> Any:
    """The value `text` holds; DuplicateKeyError, or ValueError for anything that is not JSON."""
    return json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_no_constant)


class DuplicateKeyError(ValueError):
    """A key given twice in one object; `args[0]` is the key."""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object's members; a key given twice is an error, as in YAML, not a silent override."""
    result = dict(pairs)
    if len(result) < len(pairs):
        keys = [key for key, _ in pairs]
        raise DuplicateKeyError(next(key for key in keys if keys.count(key) > 1))
    return result


def _no_constant(name: str) -> Any:
    message = f"{name} is not JSON (Python's json module would accept it)"
    raise ValueError(message)


def depth(value: Any) -> int:
    """How deeply `value` nests lists and objects, counted without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, level)
            stack += [
                (child, level + 1) for child in (item.values() if isinstance(item, dict) else item)
            ]
    return deepest


_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')  # unrolled: no alternation per character
_JSON_SPACE = str.maketrans("", "", " \t\r\n")


def count_values(text: str) -> int:
    """How many values a JSON text holds, counted on the text before it is parsed.

    Each value is the first in its list or object, or follows a comma: so many values as commas,
    plus one for each list or object that is not empty, plus the whole. Parsed, 32 MiB of `{},`
    would be 11 million objects.
    """
    bare = _JSON_STRING.sub('""', text).translate(_JSON_SPACE)
    opened = bare.count("{") + bare.count("[") - bare.count("{}") - bare.count("[]")
    return bare.count(",") + opened + 1
