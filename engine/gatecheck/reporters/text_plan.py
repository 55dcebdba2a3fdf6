"""`plan --format text`: what is ready now, what is blocked and on what, the path to each gate."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gatecheck.evaluation.rule_results import StepStatus
from gatecheck.reporters.escape import terminal
from gatecheck.reporters.text_style import Style

if TYPE_CHECKING:
    from gatecheck.evaluation.plan_results import GatePlan, PlannedStep, PlanReport


def render_plan(plan: PlanReport, *, color: bool = False) -> str:
    style = Style(color=color)
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
    waiting = {step.step: step.blocked_by for step in plan.steps}
    for gate in plan.gates:
        lines.append("")
        lines.extend(_gate_lines(gate, waiting, terminal(plan.evidence)))
    lines.append("")
    lines.append(
        f"{len(plan.steps)} steps: {len(done)} done, {len(ready)} ready, {len(blocked)} blocked"
        + (f"; {_rules(plan.uncovered)} no remaining step covers" if plan.gates else "")
    )
    return "\n".join(lines) + "\n"


def _gate_lines(gate: GatePlan, waiting: dict[str, tuple[str, ...]], evidence: str) -> list[str]:
    """What is left for a gate: its steps, each after what it waits for; rules no step left covers.

    The steps come in plan order, which is not a chain: only `after` says what waits on what.
    """
    name = terminal(gate.gate)
    if not gate.steps and not gate.uncovered:
        return [f"Gate {name} passes: nothing left to do"]
    parts = []
    if gate.steps:
        count = f"{len(gate.steps)} step{'s' * (len(gate.steps) != 1)}"
        parts.append(f"{count}, each after what it waits for")
    if gate.uncovered:
        parts.append(f"{_rules(len(gate.uncovered))} no remaining step covers")
    lines = [f"Left for gate {name} ({gate.status.upper()}): " + "; ".join(parts)]
    for step in gate.steps:
        after = waiting.get(step, ())
        lines.append(
            f"  {terminal(step)}" + (f" (after {terminal(', '.join(after))})" if after else "")
        )
    if gate.uncovered and gate.steps:
        lines.append("  and rules no remaining step covers:")
    for rule in gate.uncovered:
        done = _done_steps(rule.steps)
        lines.append(
            f"  - {rule.status.upper()} {terminal(rule.rule)}: "
            f"{terminal(rule.title)}{terminal(done)}"
        )
        lines.append(f"      {terminal(rule.reason)}")
        if rule.missing_fact:
            lines.append(f"      to do: record `{terminal(rule.missing_fact)}` in {evidence}")
    return lines


def _done_steps(steps: tuple[str, ...]) -> str:
    if not steps:
        return ""
    return f" (step{'s' * (len(steps) != 1)} {', '.join(steps)} done)"


def _rules(count: int) -> str:
    return f"{count} failing or missing rule{'s' * (count != 1)}"


def _step_reason(step: PlannedStep) -> list[str]:
    return [f"      not done: {terminal(step.reason)}"] if step.reason else []
