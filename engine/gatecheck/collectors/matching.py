"""Finding a fact in a file's text: pure functions from text and patterns to a located match."""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

_SNIPPET = 100  # characters of the matched line kept for the provenance note


class Found(NamedTuple):
    line: int  # 1-based
    snippet: str  # the matched line, stripped and shortened
    groups: tuple[str, ...]


# Matching is pure, and the same text is searched again and again: for each proposal, for each
# rule that looks in the same region, and (in `gatecheck history`) at every commit where another
# file a fact reads changed. A str caches its hash, so a hit costs no pass over the text.
@functools.lru_cache(maxsize=16384)
def search(text: str, pattern: str, within: tuple[str, str] | None = None) -> Found | None:
    """The first match of `pattern` in `text` (only between `within`'s start and end lines)."""
    start, end = 0, len(text)
    if within is not None:
        region = find_region(text, within)
        if region is None:
            return None
        start, end = region
    match = re.compile(pattern, re.MULTILINE).search(text, start, end)
    if match is None:
        return None
    return Found(line_of(text, match.start()), _line_text(text, match.start()), match.groups())


def search_all(text: str, pattern: str, within: tuple[str, str] | None = None) -> list[Found]:
    """Every match of `pattern` in `text` (only between `within`'s start and end lines)."""
    start, end = 0, len(text)
    if within is not None:
        region = find_region(text, within)
        if region is None:
            return []
        start, end = region
    return [
        Found(line_of(text, match.start()), _line_text(text, match.start()), match.groups())
        for match in re.compile(pattern, re.MULTILINE).finditer(text, start, end)
    ]


def glob_regex(pattern: str) -> re.Pattern[str]:
    """A path pattern as a regular expression: `**/` any directories, `*` any part of a name."""
    parts = re.split(r"(\*\*/|\*)", pattern)
    translated = {"**/": "(?:[^/]+/)*", "*": "[^/]*"}
    return re.compile("".join(translated.get(part, re.escape(part)) for part in parts))


@functools.lru_cache(maxsize=1024)
def find_region(text: str, within: tuple[str, str]) -> tuple[int, int] | None:
    """Offsets from the line where `within[0]` matches to the first `within[1]` match after it."""
    opening = re.compile(within[0], re.MULTILINE).search(text)
    if opening is None:
        return None
    closing = re.compile(within[1], re.MULTILINE).search(text, opening.end())
    return opening.start(), closing.start() if closing else len(text)


def heading_above(text: str, line: int, heading: str) -> Found | None:
    """The nearest Markdown heading at or above `line`, if it matches `heading`."""
    lines = text.splitlines()
    for number in range(min(line, len(lines)), 0, -1):
        if lines[number - 1].startswith("#"):
            match = re.search(heading, lines[number - 1])
            return Found(number, _shorten(lines[number - 1]), match.groups()) if match else None
    return None


def set_members(text: str, set_pattern: str, name: str, nested: str, depth: int = 0) -> str | None:
    """Where a named constant set (e.g. wasmparser's WASM3) is defined, following nested sets.

    Returns the set's definition text including the sets it unions, or None when not found.
    """
    match = re.compile(set_pattern.replace("{1}", re.escape(name)), re.DOTALL).search(text)
    if match is None or depth > 8:  # noqa: PLR2004 - WASM3 ⊃ WASM2 ⊃ WASM1: a few levels
        return None
    body = match.group(1)
    for inner in re.findall(nested, body):
        if inner != name:
            body += "\n" + (set_members(text, set_pattern, inner, nested, depth + 1) or "")
    return body


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _line_text(text: str, offset: int) -> str:
    begin = text.rfind("\n", 0, offset) + 1
    finish = text.find("\n", offset)
    return _shorten(text[begin : finish if finish != -1 else len(text)])


def _shorten(line: str) -> str:
    line = " ".join(line.split())
    return line if len(line) <= _SNIPPET else line[: _SNIPPET - 1] + "…"
