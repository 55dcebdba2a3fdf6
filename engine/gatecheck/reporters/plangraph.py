"""What the picture formats of a plan (`mermaid`, `dot`) share: node ids, edges and the gate's path.

Not a format itself (it is not registered): the graph of a `PlanReport` in policy order, so both
pictures draw the same nodes and edges in the same order, byte for byte on every run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from gatecheck.errors import printable
from gatecheck.evaluation.rule_results import StepStatus

if TYPE_CHECKING:
    from gatecheck.evaluation.plan_results import PlannedStep, PlanReport

# Distinguishable without colour: each state has its own marker (and each format its own shape).
MARKERS = {StepStatus.DONE: "✓", StepStatus.READY: "▶", StepStatus.BLOCKED: "⏸"}


class Edge(NamedTuple):
    need: str  # node id of the step needed first
    step: str  # node id of the step that needs it
    on_path: bool


class PlanGraph(NamedTuple):
    ids: dict[str, str]  # step id -> node id (`s0`, `s1`, ...: step ids may hold `.`, `-`, ...)
    edges: tuple[Edge, ...]
    path: frozenset[str]  # step ids on the path to `--gate`; empty without one


def plan_graph(plan: PlanReport) -> PlanGraph:
    ids = {step.step: f"s{index}" for index, step in enumerate(plan.steps)}
    path = frozenset(plan.remaining.get(plan.gate, ())) if plan.gate is not None else frozenset()
    edges = tuple(
        Edge(ids[need], ids[step.step], need in path and step.step in path)
        for step in plan.steps
        for need in step.needs
        if need in ids
    )
    return PlanGraph(ids, edges, path)


def label_lines(step: PlannedStep) -> tuple[str, list[str]]:
    """The first line (marker and id) and the title's lines, control characters shown as escapes."""
    first = f"{MARKERS[step.status]} {printable(step.step)}"
    return first, [printable(line) for line in step.title.splitlines()]


def heading(plan: PlanReport) -> str:
    scope = f" for gate {plan.gate}" if plan.gate else ""
    return printable(
        f"{plan.subject} {plan.policy} {plan.evidence} plan{scope}, judged on {plan.now}"
    )


def uncovered_lines(plan: PlanReport) -> list[str]:
    """One line per rule the picture cannot show: failing or missing, and no step left covers it."""
    return [
        printable(
            f"gate {gate.gate}: {rule.status} {rule.rule}, no remaining step covers it:"
            f" {rule.reason}"
        )
        for gate in plan.gates
        for rule in gate.uncovered
    ]
