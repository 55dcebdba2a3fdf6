"""A subject's plan laid out for the HTML status page: its step lists and its graph's geometry.

The graph is a column per dependency depth, a box per step and an arrow per need, in SVG user
units; `templates/status.html.j2` draws it. Text stays text here: the template escapes it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from gatecheck.evaluation.rule_results import StepStatus
from gatecheck.reporters.plangraph import plan_graph

if TYPE_CHECKING:
    from gatecheck.evaluation.plan_results import GatePlan, PlannedStep, PlanReport

# The plan graph's geometry (SVG user units).
BOX_W, BOX_H, _GAP_X, _GAP_Y, _PAD = 210, 52, 56, 14, 12
_TITLE_CHARS = 30


class Arrow(NamedTuple):
    """A need, from the right edge of the step needed to the left edge of the step needing it."""

    x1: int
    y1: int
    x2: int
    y2: int
    bend: int  # how far the curve's control points reach towards the other end
    on_path: bool  # on the path to the gate


class Box(NamedTuple):
    step: PlannedStep
    x: int
    y: int
    label: str  # the title, cut to fit the box
    on_path: bool


class Graph(NamedTuple):
    width: int
    height: int
    arrows: list[Arrow]
    boxes: list[Box]
    box_width: int = BOX_W
    box_height: int = BOX_H


class PlanView(NamedTuple):
    """What a subject's section says of its plan."""

    ready: list[str]
    blocked: list[str]
    done: list[str]
    remaining: str | None  # the steps left for the gate (each after what it waits for), if one
    graph: Graph | None  # None for a plan of no steps
    uncovered: tuple[str, ...] = ()  # the rules of the gate that no step left covers


def plan_view(plan: PlanReport) -> PlanView:
    steps = {step.step: step for step in plan.steps}
    remaining = None
    uncovered: tuple[str, ...] = ()
    for gate in plan.gates:
        if gate.gate != plan.gate:
            continue
        remaining = _left(gate.steps, steps) if gate.steps else _no_step(gate)
        uncovered = tuple(
            f"{rule.rule}: {rule.title} ({rule.status}: {rule.reason})" for rule in gate.uncovered
        )
    return PlanView(
        ready=[_step_text(steps[name]) for name in plan.next if name in steps],
        blocked=[_step_text(s) for s in plan.steps if s.status is StepStatus.BLOCKED],
        done=[_step_text(s) for s in plan.steps if s.status is StepStatus.DONE],
        remaining=remaining,
        graph=_graph(plan) if plan.steps else None,
        uncovered=uncovered,
    )


def _no_step(gate: GatePlan) -> str:
    return "nothing: the gate passes" if gate.status.passing else "no step (see the rules below)"


def _left(left: tuple[str, ...], steps: dict[str, PlannedStep]) -> str:
    """The steps left, each with the steps it waits for: an order is not a chain of needs."""
    said = []
    for name in left:
        after = steps[name].blocked_by if name in steps else ()
        said.append(f"{name} (after {', '.join(after)})" if after else name)
    return "; ".join(said)


def _step_text(step: PlannedStep) -> str:
    text = f"{step.step}: {step.title}"
    if step.blocked_by:
        text += f" (blocked by {', '.join(step.blocked_by)})"
    elif step.reason and step.status is not StepStatus.DONE:
        text += f" ({step.reason})"
    return text


def _graph(plan: PlanReport) -> Graph:
    graph = plan_graph(plan)
    depth = _depths(plan)
    columns: dict[int, list[PlannedStep]] = {}
    for step in plan.steps:
        columns.setdefault(depth[step.step], []).append(step)
    place: dict[str, tuple[int, int]] = {}
    for column, members in columns.items():
        for row, step in enumerate(members):
            x = _PAD + column * (BOX_W + _GAP_X)
            place[step.step] = (x, _PAD + row * (BOX_H + _GAP_Y))
    width = _PAD * 2 + len(columns) * BOX_W + (len(columns) - 1) * _GAP_X
    height = _PAD * 2 + max(len(m) for m in columns.values()) * (BOX_H + _GAP_Y) - _GAP_Y
    names = {node: name for name, node in graph.ids.items()}
    arrows = []
    for edge in graph.edges:
        x1, y1 = place[names[edge.need]]
        x2, y2 = place[names[edge.step]]
        start_x, start_y, end_x, end_y = x1 + BOX_W, y1 + BOX_H // 2, x2, y2 + BOX_H // 2
        arrows.append(Arrow(start_x, start_y, end_x, end_y, (end_x - start_x) // 2, edge.on_path))
    boxes = [
        Box(step, *place[step.step], _cut(step.title), step.step in graph.path)
        for step in plan.steps
    ]
    return Graph(width, height, arrows, boxes)


def _cut(title: str) -> str:
    return title if len(title) <= _TITLE_CHARS else title[: _TITLE_CHARS - 1] + "…"


def _depths(plan: PlanReport) -> dict[str, int]:
    """Each step's column: 0 without needs, else one more than its deepest need (a DAG)."""
    needs = {step.step: step.needs for step in plan.steps}
    depth: dict[str, int] = {}
    for step in plan.steps:
        _visit(step.step, needs, depth)
    return depth


def _visit(name: str, needs: dict[str, tuple[str, ...]], depth: dict[str, int]) -> int:
    # A function of the module, not a closure naming itself: that is a cycle, which would keep
    # every plan's `needs` and `depth` until a cyclic collection (the command line runs without).
    if name not in depth:
        depth[name] = 0  # a guard: a plan is acyclic, but never loop if one were not
        known = [_visit(need, needs, depth) for need in needs[name] if need in needs]
        depth[name] = 1 + max(known) if known else 0
    return depth[name]
