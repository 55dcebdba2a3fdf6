"""`status --format markdown`: the matrix of one gate as a page, a table per group of subjects.

Cells link to the evidence line that decided them; waivers and missing facts get footnotes; each
subject that does not pass gets its plan as a Mermaid flowchart, folded away.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gatecheck.evaluation.rule_results import Verdict
from gatecheck.reporters.escape import markdown as escape
from gatecheck.reporters.escape import markdown_code
from gatecheck.reporters.findings import in_repository, rule_location
from gatecheck.reporters.markdown_parts import EMOJI, link
from gatecheck.reporters.status_matrix import (
    FAILING,
    LARGE_REPORT,
    NOT_RECORDED,
    PASSING_LISTED,
    VERDICT_LABELS,
    listed,
    more_passing,
    overview,
    shown,
    status_cell,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from gatecheck.evaluation.results import SubjectResult
    from gatecheck.evaluation.rule_results import RuleResult
    from gatecheck.evaluation.status_results import StatusReport


def render_status(status: StatusReport) -> str:
    """The status page (see `status_chunks`) as one text."""
    return "".join(status_chunks(status))


_CHUNK_LINES = 1000  # table rows written at a time


def status_chunks(status: StatusReport) -> Iterator[str]:
    """A status page: a table per group, footnotes for waivers and missing facts, plans folded.

    Cells link to the evidence line that decided them (`evidence/x.yaml#L12`, relative to the
    project root, where the page is meant to live); every waiver and every missing fact gets a
    footnote; each subject that does not pass gets its plan for the gate as a Mermaid flowchart.
    Above `LARGE_REPORT` subjects the passing table lists `PASSING_LISTED` subjects and counts
    the others, and the plans are those of the first `PASSING_LISTED` subjects that do not pass
    (every one of them is in its table still). The page comes in pieces, a thousand table rows
    at a time, so a page of many subjects need not be held whole.
    """
    from gatecheck.reporters.mermaid import render_plan

    matrix = overview(status)
    policies = ", ".join(escape(p) for p in matrix.policies)
    lines = [
        f"## Gate {escape(status.gate)}: {escape(status.gate_title)}",
        "",
        f"{escape(matrix.summary)}; judged on {status.now} by {policies}.",
    ]
    notes: list[str] = []
    header = " | ".join(escape(column.rule) for column in status.columns)
    # What the subjects' own documents declare, before gatecheck's verdict (Wasmtime's table)
    stated = "".join(f"{escape(column.title)} | " for column in status.declared)
    for group, rows in matrix.groups:
        lines.extend(["", f"### {_GROUP_EMOJI[group]} {group.capitalize()}", ""])
        lines.append(f"| subject | {stated}gate | {header} |")
        lines.append("|---|" + "---|" * (len(status.declared) + 1 + len(status.columns)))
        rows_listed = listed(status, group, rows)
        for subject in rows_listed:
            cells = [_status_cell(subject, column.rule, notes) for column in status.columns]
            said = status.stated.get(subject.subject, {})
            declared = "".join(f"{escape(shown(said.get(c.fact)))} | " for c in status.declared)
            gate = subject.gates[0].status
            verdict = f"{EMOJI[gate]} {VERDICT_LABELS[gate]}"
            lines.append(
                f"| {escape(subject.subject)} | {declared}{verdict} | {' | '.join(cells)} |"
            )
            if len(lines) >= _CHUNK_LINES:  # "\n".join of the pieces' lines is the whole page's
                yield "\n".join(lines) + "\n"
                lines = []
        if len(rows_listed) < len(rows):
            command = "`gatecheck status --format json`"
            lines.extend(["", more_passing(len(rows) - len(rows_listed), command)])
    lines.extend(["", "### Rules", ""])
    lines.extend(
        f"{number}. **{escape(column.rule)}**: {escape(column.title)} ({escape(column.source)})"
        for number, column in enumerate(status.columns, 1)
    )
    if status.declared:
        shown_as = ", ".join(
            f"{escape(column.title)} (`{escape(column.fact)}`)" for column in status.declared
        )
        lines.extend(["", f"Declared by the subject's own documents: {shown_as}; · not declared."])
    lines.extend(
        [
            "",
            (
                f"{EMOJI[Verdict.PASS]} pass, {EMOJI[Verdict.FAIL]} fail, "
                f"{EMOJI[Verdict.MISSING]} not recorded (a fact the rule reads is not in the "
                f"evidence), {EMOJI[Verdict.WAIVED]} waived, — not a rule of the subject's policy."
            ),
        ]
    )
    failing = matrix.failing
    planned = failing[:PASSING_LISTED] if len(status.subjects) > LARGE_REPORT else failing
    if failing:
        lines.extend(["", "### Plans", ""])
        if len(planned) < len(failing):
            lines.extend(
                [
                    f"The plans of the first {len(planned)} of the {len(failing):,} subjects "
                    "that do not pass; "
                    + markdown_code(f"gatecheck plan SUBJECT --gate {status.gate} --format mermaid")
                    + " draws any other.",
                    "",
                ]
            )
        for subject in planned:
            plan = status.plans[subject.subject]
            ready = len(plan.next)
            steps = f"{ready} step{'s' * (ready != 1)} ready now"
            lines.extend(
                [
                    "<details>",
                    f"<summary>Plan of {escape(subject.subject)}: {steps}</summary>",
                    "",
                    "```mermaid",
                    render_plan(plan).rstrip("\n"),
                    "```",
                    "",
                    "</details>",
                    "",
                ]
            )
        lines.pop()
    if notes:
        lines.append("")
        lines.extend(f"[^{number}]: {note}" for number, note in enumerate(notes, 1))
    yield "\n".join(lines) + "\n"


_GROUP_EMOJI = {
    f"claimed and {FAILING}": "🚩",
    f"claimed and {NOT_RECORDED}": "🚩",
    FAILING: "❌",
    NOT_RECORDED: "❔",
    "passing": "✅",
}


def _status_cell(subject: SubjectResult, rule_id: str, notes: list[str]) -> str:
    """A verdict mark, linked to its evidence line, with a footnote for a waiver or missing fact."""
    rule = status_cell(subject, rule_id)
    if rule is None:
        return "—"
    mark = EMOJI[rule.status]
    location = rule_location(rule)
    if location is not None and location.path == subject.evidence and location.line > 0:
        mark = f"[{mark}]({link(subject.evidence)}#L{location.line})"
    elif in_repository(subject.evidence):  # absent from the evidence: where to record it
        mark = f"[{mark}]({link(subject.evidence)})"
    note = _status_note(subject, rule)
    if note is None:
        return mark
    notes.append(note)
    return f"{mark}[^{len(notes)}]"


def _status_note(subject: SubjectResult, rule: RuleResult) -> str | None:
    where = f"{escape(subject.subject)}, {escape(rule.rule)}"
    if rule.status is Verdict.WAIVED and rule.waiver is not None:
        waiver = rule.waiver
        return (
            f"{where}: waived by {escape(str(waiver['approver']))} until {waiver['expires']}: "
            f"{escape(str(waiver['reason']))}"
        )
    if rule.status is Verdict.MISSING:
        facts = [d.fact for d in rule.details if d.fact and not d.recorded]
        what = ", ".join(markdown_code(fact) for fact in dict.fromkeys(facts))
        todo = f"record {what} in {escape(subject.evidence)}" if what else escape(rule.message)
        return f"{where}: missing; to do: {todo}"
    return None
