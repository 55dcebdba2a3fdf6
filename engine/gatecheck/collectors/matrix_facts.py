"""What a proposal's matrix row declares: a requirement's mark, on by default, its footnotes."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from gatecheck.collectors.facts import Collected, Unknown
from gatecheck.collectors.matrix_page import COLUMNS, ENABLED, MATRIX, PROPOSAL
from gatecheck.collectors.page_rows import mark_of

if TYPE_CHECKING:
    from collections.abc import Sequence

    from gatecheck.collectors.declared_pages import Pages
    from gatecheck.collectors.page_rows import Entry, Page


_ON_OFF = re.compile(r"^(On|Off)-by-default\b", re.IGNORECASE)

_DEFAULT_PHRASE = re.compile(
    r"\b(not )?(enabled|disabled|on|off)[- ]by[- ]default\b", re.IGNORECASE
)


def on_by_default(
    pages: Pages, page: Page, rows: Sequence[Entry], warnings: list[str]
) -> Collected | Unknown:
    """On by default, as the page says: by a heading, an Enabled column, or a footnote."""
    said: list[tuple[bool, int, str]] = []
    for row in rows:
        heading = row.heading
        matched = _ON_OFF.match(heading.text) if heading is not None else None
        if matched is not None and heading is not None:
            note = f"row under `{heading.text}` ({page.path}:{heading.line})"
            said.append((matched.group(1).lower() == "on", row.line, note))
        enabled = mark_of(row.cells.get(ENABLED, ""))
        if enabled in {"✅", "❌"}:
            said.append((enabled == "✅", row.line, f"{ENABLED} {enabled}: `{row.text}`"))
        for label in _labels(row):
            note_found = page.notes.get(label)
            value = _default_in(note_found.text) if note_found is not None else None
            if value is not None and note_found is not None:
                said.append((value, note_found.line, f"footnote [^{label}]: `{note_found.text}`"))
    fact = "declared.on_by_default"
    if not said:
        return Unknown(fact, f"neither the headings nor the footnotes of its row in {MATRIX} say")
    values = {value for value, _, _ in said}
    if len(values) > 1:
        shown = "; ".join(
            f"{'on' if v else 'off'} at line {line} ({note})" for v, line, note in said
        )
        warnings.append(f"{rows[0].name}: {MATRIX} says both on and off by default: {shown}")
        return Unknown(fact, f"the page says both on and off by default ({shown})")
    value, line, note = said[0]
    return Collected(fact, value, pages.repository, pages.commit, MATRIX, line, note)


def declared_column(
    pages: Pages, rows: Sequence[Entry], heading: str, key: str
) -> Collected | Unknown:
    fact = f"declared.{key}"
    cells = [(row, row.cells[heading]) for row in rows if heading in row.cells]
    if not cells:
        return Unknown(fact, f"{MATRIX} has no {heading} column for it at {pages.short}")
    marks = []
    for row, cell in cells:
        mark = mark_of(cell)
        if mark is None:
            return Unknown(
                fact,
                f"`{cell}` in the {heading} column ({MATRIX}:{row.line}) is not a mark of the "
                "legend (✅ 🚧 ❌, or ⚠️)",
            )
        marks.append((row, mark))
    if len({mark for _, mark in marks}) > 1:
        shown = ", ".join(f"{mark} at line {row.line}" for row, mark in marks)
        return Unknown(fact, f"its rows disagree on {heading}: {shown}")
    row, mark = marks[0]
    labels = row.notes.get(heading, ())
    with_notes = "".join(f"[^{label}]" for label in labels)
    note = f"{heading} {mark}{with_notes}: `{row.text}`"
    return Collected(fact, mark, pages.repository, pages.commit, MATRIX, row.line, note)


def declared_footnotes(pages: Pages, page: Page, rows: Sequence[Entry]) -> Collected:
    """The footnotes on the proposal's rows, by what they qualify: the proposal or a column."""
    texts: dict[str, list[str]] = {}
    cited = []
    for row in rows:
        for where, labels in row.notes.items():
            key = PROPOSAL if where == PROPOSAL else COLUMNS.get(where, where.lower())
            for label in labels:
                defined = page.notes.get(label)
                if defined is None:
                    continue
                if defined.text not in texts.setdefault(key, []):
                    texts[key].append(defined.text)
                cited.append(f"[^{label}] ({MATRIX}:{defined.line}) on {where}")
    value = {key: " / ".join(found) for key, found in texts.items()}
    said = "footnotes " + ", ".join(cited) if cited else "no footnotes on its row"
    return Collected(
        "declared.footnotes", value, pages.repository, pages.commit, MATRIX, rows[0].line, said
    )


def _labels(row: Entry) -> list[str]:
    return [label for labels in row.notes.values() for label in labels]


def _default_in(text: str) -> bool | None:
    """What a footnote says of the default, or None when it says nothing of it.

    "still enabled-by-default" is on; "disabled by default" and "not enabled by default" are off.
    """
    found = _DEFAULT_PHRASE.search(text)
    if found is None:
        return None
    on = found.group(2).lower() in {"enabled", "on"}
    return on != bool(found.group(1))
