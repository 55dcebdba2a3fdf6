"""`plan --format text`: what is ready now, what is blocked and on what, the path to each gate."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gatecheck.evaluation.rule_results import StepStatus
from gatecheck.reporters.escape import terminal
from gatecheck.reporters.text_style import Style

if TYPE_CHECKING:
    from gatecheck.evaluation.plan_results import PlannedStep, PlanReport


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
