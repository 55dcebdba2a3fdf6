"""The `text` format: for people at a terminal. Colour only when asked (the CLI asks on a TTY)."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from gatecheck.evaluation.results import LISTED, StepStatus, Verdict
from gatecheck.reporters.escape import terminal
from gatecheck.reporters.findings import (
    VERDICT_LABELS,
    explain,
    rule_location,
    shown,
    status_cell,
    status_groups,
    status_summary,
    summary,
)

if TYPE_CHECKING:
    from gatecheck.evaluation.results import (
        CheckedSubject,
        CheckReport,
        GateResult,
        PlannedStep,
        PlanReport,
        Report,
        StatusReport,
        SubjectResult,
        Validation,
    )

_COLORS = {
    Verdict.PASS: "32",
    Verdict.FAIL: "31",
    Verdict.MISSING: "33",
    Verdict.WAIVED: "36",
    StepStatus.DONE: "32",
    StepStatus.READY: "36",
    StepStatus.BLOCKED: "33",
}


class _Style:
    def __init__(self, *, color: bool) -> None:
        self.color = color

    def paint(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.color else text

    def status(self, status: Verdict | StepStatus, width: int = 0) -> str:
        return self.paint(str(status).upper().ljust(width), _COLORS[status])

    def bold(self, text: str) -> str:
        return self.paint(text, "1")

    def dim(self, text: str) -> str:
        return self.paint(text, "2")


def render(report: Report, *, color: bool = False, verbosity: int = 0) -> str:
    """Every subject, gate and rule, and why a rule does not pass; the summary last.

    `verbosity` -1 (`-q`) leaves out what passes: subjects whose gates all pass, passing gates,
    passing and waived rules. 1 (`-v`) also says what each passing rule read, and where.
    """
    style = _Style(color=color)
    lines: list[str] = []
    for subject in report.subjects:
        gates = subject.gates
        if verbosity < 0:
            gates = tuple(gate for gate in gates if not gate.status.passing)
            if not gates:
                continue
        lines.append(f"{_heading(subject, style)}  {subject.dates}")
        for gate in gates:
            lines.extend(_gate(gate, subject.evidence, style, verbosity))
        lines.append("")
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


def _heading(subject: SubjectResult, style: _Style) -> str:
    name, evidence = terminal(subject.subject), terminal(subject.evidence)
    return f"{style.bold(name)}  {terminal(subject.policy)}  {style.dim(evidence)}"


def _gate(gate: GateResult, evidence: str, style: _Style, verbosity: int = 0) -> list[str]:
    claimed = ""
    if gate.claim == LISTED:
        claimed = "  (claimed by the evidence)"
    elif gate.claim is not None:
        claimed = f"  (standing claim: {terminal(gate.claim)})"
    title = terminal(gate.title)
    gate_id = style.bold(terminal(gate.gate))
    lines = [f"  gate {gate_id}: {style.status(gate.status)}  {title}{claimed}"]
    rules = gate.rules
    if verbosity < 0:
        rules = tuple(rule for rule in rules if not rule.status.passing)
    width = max((len(terminal(rule.rule)) for rule in rules), default=0)
    for rule in rules:
        title = terminal(rule.title)
        rule_id = terminal(rule.rule).ljust(width)
        lines.append(f"    {style.status(rule.status, 8)} {rule_id}  {title}")
        if rule.status is not Verdict.PASS:
            lines.extend("             " + terminal(line) for line in explain(rule, evidence))
        elif verbosity > 0:
            said = [rule.message]
            location = rule_location(rule)
            if location is not None:
                said.append(f"at {location}")
            lines.extend("             " + style.dim(terminal(line)) for line in said if line)
    return lines


def render_check(check: CheckReport, *, color: bool = False) -> str:
    """Each affected subject's claims and their gates, then what a maintainer must review."""
    style = _Style(color=color)
    base = f"{terminal(check.base)} ({terminal(check.base_commit[:12])})"
    lines = [f"check: changes since {base}, judged on {check.now}"]
    lines.append("policies are read from the base, so a change cannot judge itself")
    lines.append("")
    for item in check.subjects:
        if item.claims:
            lines.extend(_claims(item, style))
    unclaimed: dict[str, list[str]] = {}
    for item in check.subjects:
        if not item.claims:
            unclaimed.setdefault(item.change, []).append(terminal(item.result.subject))
    for change, names in unclaimed.items():
        text = f"No claims ({_CHANGES[change]}): {', '.join(names)}"
        lines.extend(textwrap.wrap(text, 100, subsequent_indent="  ", break_on_hyphens=False))
    if unclaimed:
        lines.append("")
    if check.removed:
        removed = ", ".join(terminal(path) for path in check.removed)
        lines.append(f"Removed evidence (nothing to check): {removed}")
        lines.append("")
    if check.unverified:
        lines.append(style.bold("Entries the change adds without the named reviewer's approval:"))
        lines.extend(
            f"  {terminal(str(entry.location))}: {terminal(entry.message())}"
            for entry in check.unverified
        )
        approved = ", ".join(check.approved_by) or "nobody (--approved-by)"
        lines.append(f"  approvals passed in: {terminal(approved)}")
        lines.append("")
    if check.policy_changes:
        lines.append(style.bold("Policy changes needing a maintainer's review:"))
        lines.extend(
            f"  {c.change:<9} {terminal(c.path)}"
            + (f" ({terminal(c.detail)})" if c.detail else "")
            + (" - claims in the same change: refused" if c.with_claims else "")
            for c in check.policy_changes
        )
        lines.append("")
    lines.append(_check_summary(check))
    return "\n".join(lines) + "\n"


def _claims(item: CheckedSubject, style: _Style) -> list[str]:
    subject = item.result
    lines = [f"{_heading(subject, style)}  ({_CHANGES[item.change]})"]
    for claim in item.claims:
        how = {
            "implied": "implied by a change at",
            "standing": "a standing claim (it held at the base too) at",
            "claimed": "claimed at",
        }[claim.how]
        by = f", by {terminal(', '.join(claim.authors))}" if claim.authors else ""
        lines.append(f"  {terminal(claim.gate)}: {how} {terminal(str(claim.location))}{by}")
    for gate in subject.gates:
        lines.extend(_gate(gate, subject.evidence, style))
    lines.append("")
    return lines


_CHANGES = {
    "added": "added by the change",
    "modified": "changed",
    "deleted": "deleted",
    "policy": "its policy changed",
    "all": "--all",
}


def _check_summary(check: CheckReport) -> str:
    gates = [gate for item in check.subjects for gate in item.result.gates]
    refused = sum(1 for gate in gates if not gate.status.passing)
    subjects = len(check.subjects)
    text = (
        f"{subjects} subject{'s' * (subjects != 1)} checked, {len(gates)} "
        f"claim{'s' * (len(gates) != 1)}: {len(gates) - refused} hold, {refused} refused"
    )
    unverified = len(check.unverified)
    if unverified:
        text += (
            f"; {unverified} unapproved entr{'ies' if unverified != 1 else 'y'} (fails the check)"
        )
    changes = len(check.policy_changes)
    if changes:
        failing = any(check.fails_on(change) for change in check.policy_changes)
        then = " (fails the check)" if failing else ""
        text += f"; {changes} policy change{'s' * (changes != 1)} to review{then}"
    return text


def render_validation(validation: Validation, *, color: bool = False) -> str:
    """`ok: ...` when all is valid, else every problem (the CLI sends those to stderr)."""
    del color
    if validation.problems:
        return "".join(problem.render() + "\n" for problem in validation.problems)
    policies, files = len(validation.policies), len(validation.evidence)
    names = terminal(", ".join(validation.policies))
    return (
        f"ok: {policies} polic{'y' if policies == 1 else 'ies'} ({names})"
        f" and {files} evidence file{'s' * (files != 1)} are valid\n"
    )


def render_plan(plan: PlanReport, *, color: bool = False) -> str:
    style = _Style(color=color)
    scope = f" for gate {terminal(plan.gate)}" if plan.gate else ""
    name, policy, evidence = (terminal(text) for text in (plan.subject, plan.policy, plan.evidence))
    lines = [
        f"{style.bold(name)}  {policy}  {style.dim(evidence)}  plan{scope}, judged on {plan.now}",
        "",
    ]
    by_status = {status: [s for s in plan.steps if s.status is status] for status in StepStatus}
    ready, blocked, done = (
        by_status[s] for s in (StepStatus.READY, StepStatus.BLOCKED, StepStatus.DONE)
    )
    lines.append(style.bold(f"Ready now ({len(ready)}):") if ready else "Ready now: nothing")
    for number, step in enumerate(ready, 1):
        lines.append(f"  {number}. {terminal(step.step)}: {terminal(step.title)}")
        lines.extend(_step_reason(step))
    if blocked:
        lines.append("")
        lines.append(style.bold(f"Blocked ({len(blocked)}):"))
        for step in blocked:
            lines.append(f"  - {terminal(step.step)}: {terminal(step.title)}")
            lines.append(f"      waiting for: {terminal(', '.join(step.blocked_by))}")
    if done:
        lines.append("")
        lines.append(f"Done ({len(done)}): " + terminal(", ".join(step.step for step in done)))
    if plan.remaining:
        lines.append("")
        for gate_id, step_ids in plan.remaining.items():
            gate, steps = terminal(gate_id), [terminal(step) for step in step_ids]
            if steps:
                count = f"{len(steps)} step{'s' * (len(steps) != 1)}"
                lines.append(f"Path to gate {gate} ({count}): " + " -> ".join(steps))
            else:
                lines.append(f"Path to gate {gate}: every step it needs is done")
    lines.append("")
    lines.append(
        f"{len(plan.steps)} steps: {len(done)} done, {len(ready)} ready, {len(blocked)} blocked"
    )
    return "\n".join(lines) + "\n"


def _step_reason(step: PlannedStep) -> list[str]:
    return [f"      not done: {terminal(step.reason)}"] if step.reason else []


# -- status ---------------------------------------------------------------------------------------

MARKS = {Verdict.PASS: "✓", Verdict.FAIL: "✗", Verdict.MISSING: "?", Verdict.WAIVED: "~"}
NOT_APPLICABLE = "—"


def render_status(status: StatusReport, *, color: bool = False, verbosity: int = 0) -> str:
    """A matrix for a terminal: a row per subject, a numbered column per rule, a mark per cell.

    Before the gate's verdict come the lettered columns of what the subject's own documents
    declare (Wasmtime's table: tier and marks), so the two can be read side by side. With
    `verbosity` -1 (`-q`) the subjects that pass are left out of the matrix (not the summary).
    """
    style = _Style(color=color)
    policies = ", ".join(dict.fromkeys(subject.policy for subject in status.subjects))
    lines = [
        f"gate {terminal(status.gate)}: {terminal(status.gate_title)}",
        f"judged on {status.now} by {terminal(policies)}",
        "",
    ]
    widths = [len(str(number)) for number in range(1, len(status.columns) + 1)]
    name_width = max(len(terminal(subject.subject)) for subject in status.subjects)
    name_width = max(name_width, len("not recorded") - 2)
    verdict_width = max(
        len(VERDICT_LABELS[Verdict.FAIL]),
        len("missing"),
        *(len(VERDICT_LABELS[subject.gates[0].status]) for subject in status.subjects),
    )
    declared = _declared_cells(status)
    letters = [_letter(index) for index in range(len(status.declared))]
    stated_width = [
        max(_width(letter), *(_width(cells[index]) for cells in declared.values()))
        for index, letter in enumerate(letters)
    ]
    stated = " " * (sum(stated_width) + len(stated_width) + 1) if letters else ""
    first = " " * (2 + name_width + 2) + _padded(letters, stated_width) + " " * (verdict_width + 2)
    lines.append(first + " ".join(str(n) for n in range(1, len(status.columns) + 1)))
    for group, rows in status_groups(status):
        if verbosity < 0 and all(subject.gates[0].status.passing for subject in rows):
            continue
        lines.append(f"{style.bold(group)}:")
        for subject in rows:
            marks = []
            for column, width in zip(status.columns, widths, strict=True):
                rule = status_cell(subject, column.rule)
                if rule is None:
                    marks.append(NOT_APPLICABLE.ljust(width))
                else:
                    mark = style.paint(MARKS[rule.status], _COLORS[rule.status])
                    marks.append(mark + " " * (width - len(MARKS[rule.status])))
            gate_status = subject.gates[0].status
            label = VERDICT_LABELS[gate_status]
            verdict = style.paint(label, _COLORS[gate_status]) + " " * (verdict_width - len(label))
            name = terminal(subject.subject).ljust(name_width)
            said = _padded(declared[subject.subject], stated_width) if letters else stated
            lines.append(f"  {name}  {said}{verdict}  {' '.join(marks).rstrip()}")
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
    lines.append(terminal(status_summary(status)))
    return "\n".join(lines) + "\n"


def _declared_cells(status: StatusReport) -> dict[str, list[str]]:
    """Each subject's declared values as shown, one per declared column."""
    return {
        subject.subject: [
            terminal(shown(status.stated.get(subject.subject, {}).get(column.fact)))
            for column in status.declared
        ]
        for subject in status.subjects
    }


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
