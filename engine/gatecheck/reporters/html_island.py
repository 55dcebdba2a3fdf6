"""The large status page's data: every row and every subject's details as one compact JSON island.

Above `html.ALL_ROWS_UP_TO` subjects the page does not write a row and a section per subject
(about 15 kB each, most of it the same plan graph and the same explanations again); its script
draws the rows a page at a time, and a subject's section when it is asked for, from this data.

Each value is stored once in `table`, and named by its index there: a table entry is a string,
a number, a boolean, null, or a list of indices. The rows, the cells, a rule's entry, a step's box
are lists, so a cell, an entry or a box that many subjects share (the same verdict, message and
location; the same step in the same state) is stored once. A text that names the subject's own
evidence file is a list of parts with `EVIDENCE` (-1, never an index) in its place, so that
"record fuzzing.since in evidence/x.yaml" is one entry for every subject. The shapes, by
position (each item an index):

- `rows`: `[name, anchor, verdict, declared, cells, details]` in the matrix's order, `declared` a
  list of texts (one per declared column), `cells` a list of `null` (no such rule in its policy)
  or `[status, message]` (one per column);
- details: `[policy, evidence, dates, gates, plan]`; a gate `[gate, status, claim, title,
  rules]`; a rule `[anchor, status, rule, title, items]`, an item `[term, text]`;
- plan (or null): `[gate, ready, blocked, done, remaining, uncovered, graph]`; graph (or null):
  `[width, height, box width, box height, arrows, boxes]`, an arrow `[x1, y1, x2, y2, bend,
  on path]`, a box `[x, y, state, step, title, label, on path]`.

Strings are stored as the page would show them (control characters as escapes, `printable`) and
the script inserts them as text, never as markup. `escape.script_json` makes the island safe
inside its `<script type="application/json">` element.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gatecheck.errors import printable
from gatecheck.evaluation.results import LISTED
from gatecheck.reporters.html_plan import plan_view
from gatecheck.reporters.html_subjects import (
    rule_anchor,
    rule_items,
    rules_by_id,
    subject_verdict,
)
from gatecheck.reporters.plangraph import MARKERS
from gatecheck.reporters.status_matrix import MARKS, VERDICT_LABELS, shown

if TYPE_CHECKING:
    from collections.abc import Callable

    from gatecheck.evaluation.plan_results import PlanReport
    from gatecheck.evaluation.results import GateResult, SubjectResult
    from gatecheck.evaluation.status_results import StatusReport
    from gatecheck.reporters.html_plan import Arrow, Box, Graph

EVIDENCE = -1  # in a text's parts: the subject's evidence file


class Table:
    """Distinct values, each stored once and named by its position."""

    def __init__(self) -> None:
        self.values: list[Any] = []
        self._strings: dict[str, int] = {}
        self._lists: dict[tuple[int, ...], int] = {}
        self._others: dict[tuple[type, Any], int] = {}  # True and 1 are different entries
        self._shown: dict[str, str] = {}  # printable's answers: most texts come again and again
        self._made: dict[Any, int] = {}  # an arrow or a box of a plan graph, once encoded

    def add(self, value: Any) -> int:
        """The index of `value` (a scalar, or a list or tuple of indices), stored if new."""
        if isinstance(value, str):
            return self._store(self._strings, value, value)
        if isinstance(value, list | tuple):
            return self._store(self._lists, tuple(value), list(value))
        return self._store(self._others, (type(value), value), value)

    def _store(self, table: dict[Any, int], key: Any, value: Any) -> int:
        index = table.get(key)
        if index is None:
            index = table[key] = len(self.values)
            self.values.append(value)
        return index

    def text(self, value: object, evidence: str | None = None) -> int:
        """A text as shown; one naming `evidence` as parts around `EVIDENCE`."""
        raw = str(value)
        text = self._shown.get(raw)
        if text is None:
            text = self._shown[raw] = printable(raw)
        shown_as = self._shown.get(evidence) if evidence else None
        if evidence and shown_as is None:
            shown_as = self._shown[evidence] = printable(evidence)
        if shown_as and shown_as in text:
            parts: list[int] = []
            for part in text.split(shown_as):
                parts.extend((self.add(part), EVIDENCE))
            return self.add(parts[:-1])
        return self.add(text)

    def texts(self, values: Any, evidence: str | None = None) -> int:
        return self.add([self.text(value, evidence) for value in values])

    def once(self, value: Any, encode: Callable[[Table, Any], int]) -> int:
        """`encode(self, value)`, done once per distinct (hashable) value."""
        key = (encode, value)  # equal tuples of different kinds are different entries
        index = self._made.get(key)
        if index is None:
            index = self._made[key] = encode(self, value)
        return index


def island(status: StatusReport, ids: dict[str, str], page_rows: int) -> dict[str, Any]:
    """The page's data: the table, a row per subject, and what the script needs to draw them."""
    table = Table()
    rows = []
    for subject in status.subjects:
        said = status.stated.get(subject.subject, {})
        declared = table.texts(shown(said.get(column.fact)) for column in status.declared)
        rules = rules_by_id(subject)
        cells = []
        for column in status.columns:
            found = rules.get(column.rule)
            cells.append(
                table.add(None)
                if found is None
                else table.add(
                    [table.add(str(found.status)), table.text(found.message, subject.evidence)]
                )
            )
        rows.append(
            [
                table.text(subject.subject),
                table.add(ids[subject.subject]),
                table.add(str(subject_verdict(subject))),
                declared,
                table.add(cells),
                _details(table, subject, status.plans.get(subject.subject)),
            ]
        )
    return {
        "table": table.values,
        "rows": rows,
        "anchors": [rule_anchor(column.rule) for column in status.columns],
        "marks": {str(verdict): mark for verdict, mark in MARKS.items()},
        "labels": {str(verdict): label for verdict, label in VERDICT_LABELS.items()},
        "markers": {str(state): marker for state, marker in MARKERS.items()},
        "page_rows": page_rows,
    }


def _details(table: Table, subject: SubjectResult, plan: PlanReport | None) -> int:
    evidence = subject.evidence
    gates = [_gate(table, gate, evidence) for gate in subject.gates]
    return table.add(
        [
            table.text(subject.policy),
            table.text(evidence),
            table.text(subject.dates),
            table.add(gates),
            table.add(None) if plan is None else _plan(table, plan, evidence),
        ]
    )


def _gate(table: Table, gate: GateResult, evidence: str) -> int:
    if gate.claim == LISTED:
        claim = " (claimed)"
    elif gate.claim is not None:
        claim = f" (standing claim: {gate.claim})"
    else:
        claim = ""
    rules = [
        table.add(
            [
                table.add(rule_anchor(rule.rule)),
                table.add(str(rule.status)),
                table.text(rule.rule),
                table.text(rule.title),
                table.add(
                    [
                        table.add([table.add(term), table.text(text, evidence)])
                        for term, text in rule_items(rule, evidence)
                    ]
                ),
            ]
        )
        for rule in gate.rules
    ]
    return table.add(
        [
            table.text(gate.gate),
            table.add(str(gate.status)),
            table.text(claim),
            table.text(gate.title),
            table.add(rules),
        ]
    )


def _plan(table: Table, plan: PlanReport, evidence: str) -> int:
    view = plan_view(plan)
    return table.add(
        [
            table.add(None) if plan.gate is None else table.text(plan.gate),
            table.texts(view.ready, evidence),
            table.texts(view.blocked, evidence),
            table.texts(view.done, evidence),
            table.add(None) if view.remaining is None else table.text(view.remaining, evidence),
            table.texts(view.uncovered, evidence),
            table.add(None) if view.graph is None else _graph(table, view.graph),
        ]
    )


def _graph(table: Table, graph: Graph) -> int:
    return table.add(
        [
            table.add(graph.width),
            table.add(graph.height),
            table.add(graph.box_width),
            table.add(graph.box_height),
            table.add([table.once(arrow, _arrow) for arrow in graph.arrows]),
            table.add([table.once(box, _box) for box in graph.boxes]),
        ]
    )


def _arrow(table: Table, arrow: Arrow) -> int:
    a = arrow
    return table.add([table.add(value) for value in (a.x1, a.y1, a.x2, a.y2, a.bend, a.on_path)])


def _box(table: Table, box: Box) -> int:
    return table.add(
        [
            table.add(box.x),
            table.add(box.y),
            table.add(str(box.step.status)),
            table.text(box.step.step),
            table.text(box.step.title),
            table.text(box.label),
            table.add(box.on_path),
        ]
    )
