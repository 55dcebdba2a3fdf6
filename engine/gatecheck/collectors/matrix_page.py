"""Read `docs/stability-wasm-proposals.md`: a row per proposal, a mark per requirement.

The matrix (since a8998e7c, 2024-10-10) marks each requirement (Phase 4, Tests, Finished, Fuzzed,
API, C API) ✅, 🚧 or ❌ (and ⚠️ in 2024-2025), with footnotes; what is wrong with the page as a
whole (a column gatecheck does not read, a footnote never defined) is among its `problems`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from gatecheck.collectors.markdown import (
    FOOTNOTE_REFERENCE,
    footnotes,
    headings,
    references,
    tables,
)
from gatecheck.collectors.page_rows import NAME, Entry, Page, first_links

if TYPE_CHECKING:
    from collections.abc import Sequence

    from gatecheck.collectors.markdown import MarkdownTable, Note

MATRIX = "docs/stability-wasm-proposals.md"

# The matrix's columns as its header spells them, and the fact each mark becomes under `declared`.
COLUMNS = {
    "Phase 4": "phase4",
    "Tests": "tests",
    "Finished": "finished",
    "Fuzzed": "fuzzed",
    "API": "api",
    "C API": "c_api",
}

# The page explains an "Enabled" column (on by default) that no table had at e6b33de5; should one
# appear, its mark is read as `declared.on_by_default`.
ENABLED = "Enabled"

PROPOSAL = "proposal"  # the footnotes key of a footnote on the proposal's name

_EXPLAINED = re.compile(r"^\* \*\*(.+?)\*\*")


def read_matrix(text: str) -> Page:
    """The rows of every table headed `Proposal | ...` (the matrix, and the unimplemented list)."""
    entries: dict[str, list[Entry]] = {}
    columns: list[str] = []
    problems: list[str] = []
    for table in tables(text):
        if not table.header or table.header[0].lower() != "proposal":
            continue
        marked = [heading for heading in table.header[1:] if heading in COLUMNS]
        for heading in table.header[1:] if marked else ():
            if heading not in columns:
                columns.append(heading)
            if heading not in COLUMNS and heading != ENABLED:
                problems.append(
                    f"{MATRIX}:{_header_line(table)}: column `{heading}` is not one gatecheck reads"
                )
        for row in table.rows:
            found = NAME.search(row.cells[0])
            if found is None:
                continue
            cells = dict(zip(table.header[1:], row.cells[1:], strict=False)) if marked else {}
            labels = {PROPOSAL: tuple(FOOTNOTE_REFERENCE.findall(row.cells[0]))}
            labels.update({h: tuple(FOOTNOTE_REFERENCE.findall(c)) for h, c in cells.items()})
            entry = Entry(found.group(1), row.line, row.text, table.heading, cells, labels)
            entries.setdefault(entry.name, []).append(entry)
    defined = footnotes(text)
    problems.extend(_explained_but_absent(text, columns))
    problems.extend(_footnote_problems(text, defined))
    return Page(
        MATRIX,
        {name: tuple(found) for name, found in entries.items()},
        defined,
        first_links(text),
        tuple(columns),
        tuple(problems),
    )


def _explained_but_absent(text: str, columns: Sequence[str]) -> list[str]:
    """Columns the page's "Feature requirements" list explains that none of its tables has."""
    start = next((h.line for h in headings(text) if h.text.lower() == "feature requirements"), None)
    if start is None:
        return []
    found = []
    lines = text.splitlines()
    for number in range(start + 1, len(lines) + 1):
        line = lines[number - 1]
        if line.startswith("#"):
            break
        explained = _EXPLAINED.match(line)
        if explained and explained.group(1) not in columns:
            found.append(
                f"{MATRIX}:{number}: explains a column `{explained.group(1)}` that none of its "
                "tables has"
            )
    return found


def _footnote_problems(text: str, notes: dict[str, Note]) -> list[str]:
    used = references(text)
    found = [
        f"{MATRIX}:{line}: footnote [^{label}] is referred to but not defined"
        for label, line in used.items()
        if label not in notes
    ]
    found.extend(
        f"{MATRIX}:{note.line}: footnote [^{label}] is defined but not referred to"
        for label, note in notes.items()
        if label not in used
    )
    return found


def _header_line(table: MarkdownTable) -> int:
    return table.rows[0].line - 2 if table.rows else 0
