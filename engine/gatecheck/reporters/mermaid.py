"""The `mermaid` plan format: a Mermaid `flowchart` of the steps, for Markdown that renders it.

Raw Mermaid, without a Markdown fence, so the output also feeds `mmdc` or mermaid.live; wrap it in
a ```` ```mermaid ```` fence to embed it in a Markdown file, a pull request or a job summary.
One node per step (its marker, id and title), an edge per `needs` (need --> step), the states told
apart by marker, shape and class, and with `--gate` the steps and edges still on its path drawn
thick.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from gatecheck.evaluation.rule_results import StepStatus
from gatecheck.reporters.plangraph import heading, label_lines, plan_graph, uncovered_lines

if TYPE_CHECKING:
    from gatecheck.evaluation.plan_results import PlanReport

# Shapes: done a stadium, ready a rectangle, blocked a rectangle with a dashed border (class).
_SHAPES = {
    StepStatus.DONE: ('(["', '"])'),
    StepStatus.READY: ('["', '"]'),
    StepStatus.BLOCKED: ('["', '"]'),
}

# Explicit fill and text colours: legible on GitHub's light and dark themes alike.
_CLASSES = (
    "classDef done fill:#d3f0dc,stroke:#1a7f37,color:#0b3d1a",
    "classDef ready fill:#ddf4ff,stroke:#0969da,color:#05305e",
    "classDef blocked fill:#fff8c5,stroke:#9a6700,color:#4d3300,stroke-dasharray:5 5",
    "classDef path stroke-width:4px,font-weight:bold",
)

_UNSAFE = re.compile(r'["#&<>`]')


def escape(text: str) -> str:
    """Text for inside a quoted Mermaid label: `"`, `#`, `&`, `<`, `>` and backticks as entities."""
    return _UNSAFE.sub(lambda match: f"#{ord(match.group())};", text)


def render_plan(plan: PlanReport, *, color: bool = False) -> str:
    del color
    graph = plan_graph(plan)
    lines = [f"%% {heading(plan)}", *(f"%% {line}" for line in uncovered_lines(plan))]
    lines.append("flowchart TD")
    for step in plan.steps:
        first, title = label_lines(step)
        label = "<br>".join(escape(line) for line in (first, *title))
        opening, closing = _SHAPES[step.status]
        lines.append(f"    {graph.ids[step.step]}{opening}{label}{closing}")
    thick = []
    for index, edge in enumerate(graph.edges):
        lines.append(f"    {edge.need} {'==>' if edge.on_path else '-->'} {edge.step}")
        if edge.on_path:
            thick.append(str(index))
    lines.extend(f"    {line}" for line in _CLASSES)
    for status in StepStatus:
        ids = [graph.ids[s.step] for s in plan.steps if s.status is status]
        if ids:
            lines.append(f"    class {','.join(ids)} {status}")
    on_path = [graph.ids[s.step] for s in plan.steps if s.step in graph.path]
    if on_path:
        lines.append(f"    class {','.join(on_path)} path")
    if thick:
        lines.append(f"    linkStyle {','.join(thick)} stroke-width:4px")
    return "\n".join(lines) + "\n"
