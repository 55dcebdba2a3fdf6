"""The `text` format: for people at a terminal. Colour only when asked (the CLI asks on a TTY).

This module is the format's face (the functions `reporters.REPORTERS` and the CLI call); `check`,
`plan` and `status` are drawn by `text_check`, `text_plan` and `text_status`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gatecheck.reporters.escape import terminal
from gatecheck.reporters.findings import summary
from gatecheck.reporters.text_gates import gate_lines, heading
from gatecheck.reporters.text_style import Style

if TYPE_CHECKING:
    from gatecheck.evaluation.check_results import CheckReport
    from gatecheck.evaluation.plan_results import PlanReport
    from gatecheck.evaluation.results import Report
    from gatecheck.evaluation.status_results import StatusReport
    from gatecheck.evaluation.validation_results import Validation

__all__ = ["render", "render_check", "render_plan", "render_status", "render_validation"]


def render(report: Report, *, color: bool = False, verbosity: int = 0) -> str:
    """Every subject, gate and rule, and why a rule does not pass; the summary last.

    `verbosity` -1 (`-q`) leaves out what passes: subjects whose gates all pass, passing gates,
    passing and waived rules. 1 (`-v`) also says what each passing rule read, and where.
    """
    style = Style(color=color)
    lines: list[str] = []
    for subject in report.subjects:
        gates = subject.gates
        if verbosity < 0:
            gates = tuple(gate for gate in gates if not gate.status.passing)
            if not gates:
                continue
        lines.append(f"{heading(subject, style)}  {subject.dates}")
        for gate in gates:
            lines.extend(gate_lines(gate, subject.evidence, style, verbosity))
        lines.append("")
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


def render_validation(validation: Validation, *, color: bool = False) -> str:
    """`ok: ...` when all is valid, else every problem (the CLI sends those to stderr)."""
    del color
    if validation.problems:
        return "".join(problem.render() + "\n" for problem in validation.problems)
    return f"ok: {validation.summary(terminal)}\n"


# `evaluate` reads only `render`: the other reports' modules are imported when drawn.
def render_check(report: CheckReport, *, color: bool = False) -> str:
    """`check`'s report (`text_check`)."""
    from gatecheck.reporters.text_check import render_check as draw

    return draw(report, color=color)


def render_plan(report: PlanReport, *, color: bool = False) -> str:
    """A plan (`text_plan`)."""
    from gatecheck.reporters.text_plan import render_plan as draw

    return draw(report, color=color)


def render_status(report: StatusReport, *, color: bool = False, verbosity: int = 0) -> str:
    """A status matrix (`text_status`)."""
    from gatecheck.reporters.text_status import render_status as draw

    return draw(report, color=color, verbosity=verbosity)
