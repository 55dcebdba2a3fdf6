"""The `dot` plan format: a Graphviz `digraph` of the steps (`dot -Tsvg plan.dot > plan.svg`).

One node per step (its marker, id and title), an edge per `needs` (need -> step), the states told
apart by marker and border (done rounded, ready bold, blocked dashed) as well as by colour, on a
white background so the picture reads the same in a dark viewer. With `--gate` the steps and edges
still on its path are drawn thick.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from gatecheck.evaluation.rule_results import StepStatus
from gatecheck.reporters.plangraph import heading, label_lines, plan_graph, uncovered_lines

if TYPE_CHECKING:
    from gatecheck.evaluation.plan_results import PlanReport

_STYLES = {
    StepStatus.DONE: 'style="rounded,filled", fillcolor="#d3f0dc", color="#1a7f37", '
    'fontcolor="#0b3d1a"',
    StepStatus.READY: 'style="filled,bold", fillcolor="#ddf4ff", color="#0969da", '
    'fontcolor="#05305e"',
    StepStatus.BLOCKED: 'style="filled,dashed", fillcolor="#fff8c5", color="#9a6700", '
    'fontcolor="#4d3300"',
}


def escape(text: str) -> str:
    r"""Text for inside a quoted DOT string: `\` and `"` escaped, so no `\n`, `\N` ... is read."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def render_plan(plan: PlanReport, *, color: bool = False) -> str:
    del color
    graph = plan_graph(plan)
    lines = [
        *(f"// {line}" for line in uncovered_lines(plan)),
        "digraph plan {",
        (
            f'    graph [label="{escape(heading(plan))}", labelloc=t, rankdir=TB, bgcolor=white, '
            'fontname="Helvetica"];'
        ),
        '    node [shape=box, fontname="Helvetica"];',
        '    edge [color="#57606a"];',
    ]
    for step in plan.steps:
        first, title = label_lines(step)
        wrapped = [part for line in title for part in textwrap.wrap(line, 40) or [""]]
        label = "\\n".join(escape(line) for line in (first, *wrapped))
        thick = ", penwidth=3" if step.step in graph.path else ""
        lines.append(
            f'    {graph.ids[step.step]} [label="{label}", {_STYLES[step.status]}{thick}];'
        )
    for edge in graph.edges:
        thick = ' [penwidth=3, color="#24292f"]' if edge.on_path else ""
        lines.append(f"    {edge.need} -> {edge.step}{thick};")
    lines.append("}")
    return "\n".join(lines) + "\n"
