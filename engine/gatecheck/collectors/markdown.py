"""The parts of a Markdown page that hand-written status tables are made of. Pure.

Tables (with the heading above each), footnote definitions and link definitions, each with its
1-based line, so whatever is read from them can say where it was written.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_HEADING = re.compile(r"^(#+)[ \t]*(.*?)[ \t#]*$")
_SEPARATOR = re.compile(r"^\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_FOOTNOTE = re.compile(r"^\[\^([^\]]+)\]:[ \t]*(.*)$")
_LINK = re.compile(r"^\[([^\]^][^\]]*)\]:[ \t]*(\S+)")
FOOTNOTE_REFERENCE = re.compile(r"\[\^([^\]]+)\]")


class Heading(NamedTuple):
    text: str
    line: int


class Row(NamedTuple):
    line: int
    cells: tuple[str, ...]
    text: str  # the line as written, whitespace runs folded


class MarkdownTable(NamedTuple):
    """A pipe table of a Markdown page, under the heading nearest above it."""

    heading: Heading | None  # the nearest heading above the table
    header: tuple[str, ...]
    rows: tuple[Row, ...]


class Note(NamedTuple):
    """A footnote definition: its label, the line it starts on, its text on one line."""

    label: str
    line: int
    text: str


class Link(NamedTuple):
    label: str
    line: int
    target: str


def tables(text: str) -> list[MarkdownTable]:
    """Every pipe table: a header line, a separator line, then rows up to the first other line."""
    lines = text.splitlines()
    found: list[MarkdownTable] = []
    heading: Heading | None = None
    index = 0
    while index < len(lines):
        line = lines[index]
        matched = _HEADING.match(line)
        if matched:
            heading = Heading(matched.group(2), index + 1)
        is_table = (
            line.lstrip().startswith("|")
            and index + 1 < len(lines)
            and _SEPARATOR.match(lines[index + 1].strip()) is not None
        )
        if not is_table:
            index += 1
            continue
        header = _cells(line)
        rows = []
        index += 2
        while index < len(lines) and lines[index].lstrip().startswith("|"):
            rows.append(Row(index + 1, _cells(lines[index]), fold(lines[index])))
            index += 1
        found.append(MarkdownTable(heading, header, tuple(rows)))
    return found


def footnotes(text: str) -> dict[str, Note]:
    """Footnote definitions by label; indented lines after one continue it. The first wins."""
    lines = text.splitlines()
    found: dict[str, Note] = {}
    for index, line in enumerate(lines):
        matched = _FOOTNOTE.match(line)
        if matched is None:
            continue
        parts = [matched.group(2)]
        for following in lines[index + 1 :]:
            if not following.strip() or not following[0].isspace():
                break
            parts.append(following)
        found.setdefault(matched.group(1), Note(matched.group(1), index + 1, fold(" ".join(parts))))
    return found


def links(text: str) -> list[Link]:
    """Link reference definitions (`[label]: target`), every one, in order."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        matched = _LINK.match(line)
        if matched:
            found.append(Link(matched.group(1), number, matched.group(2)))
    return found


def headings(text: str) -> list[Heading]:
    return [
        Heading(matched.group(2), number)
        for number, line in enumerate(text.splitlines(), 1)
        if (matched := _HEADING.match(line))
    ]


def references(text: str) -> dict[str, int]:
    """Footnote labels referred to outside their definitions, with the first line of each."""
    found: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        definition = _FOOTNOTE.match(line)
        body = line[definition.start(2) :] if definition else line
        for label in FOOTNOTE_REFERENCE.findall(body):
            found.setdefault(label, number)
    return found


def fold(text: str) -> str:
    """Runs of whitespace as one space, ends stripped."""
    return " ".join(text.split())


def _cells(line: str) -> tuple[str, ...]:
    body = line.strip()
    body = body.removeprefix("|")
    body = body.removesuffix("|")
    return tuple(cell.strip() for cell in re.split(r"(?<!\\)\|", body))
