"""`status --format text`: the matrix of one gate for a terminal, its legends and its summary."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gatecheck.evaluation.rule_results import Verdict
from gatecheck.reporters.escape import terminal
from gatecheck.reporters.status_matrix import (
    LARGE_REPORT,
    MARKS,
    VERDICT_LABELS,
    listed,
    more_passing,
    overview,
    shown,
    status_cell,
)
from gatecheck.reporters.text_style import COLORS, Style

if TYPE_CHECKING:
    from gatecheck.evaluation.results import SubjectResult
    from gatecheck.evaluation.status_results import StatusReport

NOT_APPLICABLE = "—"


def render_status(status: StatusReport, *, color: bool = False, verbosity: int = 0) -> str:
    """A matrix for a terminal: a row per subject, a numbered column per rule, a mark per cell.

    Before the gate's verdict come the lettered columns of what the subject's own documents
    declare (Wasmtime's table: tier and marks), so the two can be read side by side. With
    `verbosity` -1 (`-q`) the subjects that pass are left out of the matrix (not the summary).
    Above `LARGE_REPORT` subjects the summary comes first too, and the passing subjects are
    listed up to `PASSING_LISTED`, then counted.
    """
    style = Style(color=color)
    policies, name_width, verdict_width, declared = _measured(status)
    matrix = overview(status)  # summary and groups: one more read of each row
    lines = [
        f"gate {terminal(status.gate)}: {terminal(status.gate_title)}",
        f"judged on {status.now} by {terminal(policies)}",
        "",
    ]
    if len(status.subjects) > LARGE_REPORT:
        lines[-1:-1] = [terminal(matrix.summary)]
    widths = [len(str(number)) for number in range(1, len(status.columns) + 1)]
    letters = [_letter(index) for index in range(len(status.declared))]
    stated_width = [
        max(_width(letter), *(_width(cells[index]) for cells in declared.values()))
        for index, letter in enumerate(letters)
    ]
    stated = " " * (sum(stated_width) + len(stated_width) + 1) if letters else ""
    first = " " * (2 + name_width + 2) + _padded(letters, stated_width) + " " * (verdict_width + 2)
    lines.append(first + " ".join(str(n) for n in range(1, len(status.columns) + 1)))
    for group, rows in matrix.groups:
        if verbosity < 0 and all(subject.gates[0].status.passing for subject in rows):
            continue
        lines.append(f"{style.bold(group)}:")
        rows_listed = listed(status, group, rows)
        for subject in rows_listed:
            marks = _marks(status, subject, widths, style)
            gate_status = subject.gates[0].status
            label = VERDICT_LABELS[gate_status]
            verdict = style.paint(label, COLORS[gate_status]) + " " * (verdict_width - len(label))
            name = terminal(subject.subject).ljust(name_width)
            said = _padded(declared[subject.subject], stated_width) if letters else stated
            lines.append(f"  {name}  {said}{verdict}  {' '.join(marks).rstrip()}")
        if len(rows_listed) < len(rows):
            more = more_passing(len(rows) - len(rows_listed), "gatecheck status --format json")
            lines.append(f"  {more}")
    lines.append("")
    if letters:
        lines.append("declared by the subject's own documents:")
        title_width = max(len(terminal(column.fact)) for column in status.declared)
        lines.extend(
            f"  {letter}  {terminal(column.fact).ljust(title_width)}  {terminal(column.title)}"
            for letter, column in zip(letters, status.declared, strict=True)
        )
        lines.append("")
    lines.append("rules:")
    number_width = len(str(len(status.columns)))
    rule_width = max(len(terminal(column.rule)) for column in status.columns)
    for number, column in enumerate(status.columns, 1):
        rule_id = terminal(column.rule).ljust(rule_width)
        lines.append(f"  {str(number).rjust(number_width)}  {rule_id}  {terminal(column.title)}")
    lines.append("")
    not_declared = "  · not declared" if letters else ""
    lines.append(
        f"marks: {MARKS[Verdict.PASS]} pass  {MARKS[Verdict.FAIL]} fail  "
        f"{MARKS[Verdict.MISSING]} not recorded (a fact the rule reads is not in the evidence)  "
        f"{MARKS[Verdict.WAIVED]} waived  {NOT_APPLICABLE} not a rule of the subject's policy"
        + not_declared
    )
    lines.append("")
    lines.append(terminal(matrix.summary))
    return "\n".join(lines) + "\n"


def _measured(status: StatusReport) -> tuple[str, int, int, dict[str, list[str]]]:
    """The policies, the name and verdict columns' widths, and the declared cells, in one pass.

    One pass over the rows, which may be read back from disk one at a time.
    """
    judged_by: dict[str, None] = {}
    name_width = len("not recorded") - 2
    verdict_width = max(len(VERDICT_LABELS[Verdict.FAIL]), len("missing"))
    declared: dict[str, list[str]] = {}
    for subject in status.subjects:
        judged_by.setdefault(subject.policy)
        name_width = max(name_width, len(terminal(subject.subject)))
        verdict_width = max(verdict_width, len(VERDICT_LABELS[subject.gates[0].status]))
        declared[subject.subject] = _declared_cells(status, subject.subject)
    return ", ".join(judged_by), name_width, verdict_width, declared


def _marks(
    status: StatusReport, subject: SubjectResult, widths: list[int], style: Style
) -> list[str]:
    """A subject's mark in each column, padded to the column's width."""
    marks = []
    for column, width in zip(status.columns, widths, strict=True):
        rule = status_cell(subject, column.rule)
        if rule is None:
            marks.append(NOT_APPLICABLE.ljust(width))
        else:
            mark = style.paint(MARKS[rule.status], COLORS[rule.status])
            marks.append(mark + " " * (width - len(MARKS[rule.status])))
    return marks


def _declared_cells(status: StatusReport, subject: str) -> list[str]:
    """A subject's declared values as shown, one per declared column."""
    said = status.stated.get(subject, {})
    return [terminal(shown(said.get(column.fact))) for column in status.declared]


def _letter(index: int) -> str:
    return "abcdefghijklmnopqrstuvwxyz"[index] if index < 26 else f"z{index - 25}"  # noqa: PLR2004


def _width(text: str) -> int:
    """Columns a terminal gives `text`: wide characters (✅, 🚧, ❌) take two."""
    import unicodedata

    return sum(
        0
        if unicodedata.combining(char) or char == "\ufe0f"
        else 2
        if unicodedata.east_asian_width(char) in {"W", "F"}
        else 1
        for char in text
    )


def _padded(cells: list[str], widths: list[int]) -> str:
    """Cells left-aligned in their columns, one space apart, and two spaces after the last."""
    if not cells:
        return ""
    return (
        " ".join(
            cell + " " * (width - _width(cell)) for cell, width in zip(cells, widths, strict=True)
        )
        + "  "
    )
