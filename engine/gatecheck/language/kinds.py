"""The kinds of policy-language values (number, string, date, ...), and strict equality.

Values of different kinds are never equal: `"80"` is not `80`, `true` is not `1`, and a date-time
is not the date it falls on.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

NUMBER = "number"
DATE = "date"
STRING = "string"
BOOLEAN = "boolean"
LIST = "list"


def kind_of(value: Any) -> str:
    """The policy-language kind of a YAML value, as used in messages and operand checks."""
    if isinstance(value, bool):
        return BOOLEAN
    if isinstance(value, int | float):
        return NUMBER
    if isinstance(value, str):
        return STRING
    if isinstance(value, dt.date):  # datetime is a date too
        return DATE
    if isinstance(value, list):
        return LIST
    if isinstance(value, dict):
        return "map"
    return "null"


def same(actual: Any, expected: Any) -> bool:
    """Strict equality: values of different kinds are never equal (`true` is not `1`)."""
    actual_kind, expected_kind = kind_of(actual), kind_of(expected)
    if actual_kind != expected_kind:
        return False
    if actual_kind == DATE and isinstance(actual, dt.datetime) != isinstance(expected, dt.datetime):
        return False
    if actual_kind == LIST:
        return len(actual) == len(expected) and all(map(same, actual, expected))
    if actual_kind == "map":
        return actual.keys() == expected.keys() and all(
            same(actual[k], expected[k]) for k in actual
        )
    return bool(actual == expected)
