"""YAML 1.2 scalars as ruamel.yaml resolves them: which type a plain scalar is, and its value.

One table serves both parser back ends, so a file means the same with or without the C extension.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

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

SCALAR_TAGS = {
    "!": "str",
    "tag:yaml.org,2002:str": "str",
    "tag:yaml.org,2002:int": "int",
    "tag:yaml.org,2002:float": "float",
    "tag:yaml.org,2002:bool": "bool",
    "tag:yaml.org,2002:null": "null",
    "tag:yaml.org,2002:timestamp": "timestamp",
}
COLLECTION_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


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


CONVERT: dict[str, Callable[[str], Any]] = {
    "int": _to_int,
    "float": _to_float,
    "bool": lambda text: _BOOLEANS[text],
    "null": lambda text: _NULLS[text],
    "timestamp": _to_timestamp,
}


def plain_kind(value: str) -> str:
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
