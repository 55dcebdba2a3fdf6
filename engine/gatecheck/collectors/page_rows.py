"""The rows of Wasmtime's proposal pages, and what one row says: a mark, a tier, a heading."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

from gatecheck.collectors.markdown import FOOTNOTE_REFERENCE, links

if TYPE_CHECKING:
    from gatecheck.collectors.markdown import Heading, Link, Note

# The legend's marks; ⚠️ was used in 2024-2025 (written with or without the variation selector).
MARKS = {"✅": "✅", "🚧": "🚧", "❌": "❌", "⚠️": "⚠️", "⚠": "⚠️"}

# A proposal's name as a row links it: [`name`]
NAME = re.compile(r"\[`([a-z0-9-]+)`\]")

# A heading that groups rows by tier
TIER = re.compile(r"\bTier (\d)\b")


class Entry(NamedTuple):
    """One row that names a proposal, and what the page around it says."""

    name: str
    line: int
    text: str  # the row as written, whitespace folded
    heading: Heading | None
    cells: dict[str, str]  # matrix column heading -> the cell as written (matrix tables only)
    notes: dict[str, tuple[str, ...]]  # PROPOSAL or a column heading -> footnote labels in it


class Page(NamedTuple):
    """One of the pages: every row naming a proposal, its footnotes and links, its problems."""

    path: str
    entries: dict[str, tuple[Entry, ...]]  # every row naming each proposal, in page order
    notes: dict[str, Note]
    links: dict[str, Link]  # the first definition of each label
    columns: tuple[str, ...]  # the matrix columns its tables have, in order
    problems: tuple[str, ...]  # about the page as a whole


def mark_of(cell: str) -> str | None:
    """The legend's mark a cell holds (footnote references aside), or None for anything else."""
    return MARKS.get(FOOTNOTE_REFERENCE.sub("", cell).strip())


def tier_of(row: Entry) -> int | None:
    """The tier of the heading a row is under, or None when that heading names no tier."""
    found = TIER.search(row.heading.text) if row.heading is not None else None
    return int(found.group(1)) if found else None


def heading_text(row: Entry) -> str:
    return row.heading.text if row.heading is not None else "no heading"


def first_links(text: str) -> dict[str, Link]:
    """Each link label's first definition in the page."""
    found: dict[str, Link] = {}
    for link in links(text):
        found.setdefault(link.label, link)
    return found
