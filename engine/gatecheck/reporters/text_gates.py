"""A subject as the text format shows it: its heading, and each gate with its rules' lines.

Shared by `evaluate` (`text.render`) and `check` (`text_check.render_check`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gatecheck.evaluation.results import LISTED
from gatecheck.evaluation.rule_results import Verdict
from gatecheck.reporters.escape import terminal
from gatecheck.reporters.findings import explain, rule_location

if TYPE_CHECKING:
    from gatecheck.evaluation.results import GateResult, SubjectResult
    from gatecheck.reporters.text_style import Style


def heading(subject: SubjectResult, style: Style) -> str:
    """A subject's first line: its name, policy and evidence file."""
    name, evidence = terminal(subject.subject), terminal(subject.evidence)
    return f"{style.bold(name)}  {terminal(subject.policy)}  {style.dim(evidence)}"


def gate_lines(
    gate: GateResult, evidence: str, style: Style, verbosity: int = 0, *, implied: bool = False
) -> list[str]:
    """A gate's verdict and its rules' (`verbosity` as `render` takes it).

    `implied`: `check` found that the change makes the gate's `claimed_when` hold (it did not at
    the base), so the claim is the change's, not a standing one.
    """
    claimed = ""
    if gate.claim == LISTED:
        claimed = "  (claimed by the evidence)"
    elif gate.claim is not None:
        kind = "claim implied by the change" if implied else "standing claim"
        claimed = f"  ({kind}: {terminal(gate.claim)})"
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
