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

`island` writes that JSON in parts, never whole: the table's entries go to a `Store` (a temporary
SQLite file) as they are made, the rows to a temporary file, and both are read back in order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from gatecheck.errors import printable
from gatecheck.evaluation.results import LISTED
from gatecheck.reporters.escape import script_json
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
    from collections.abc import Callable, Iterator

    from gatecheck.evaluation.plan_results import PlanReport
    from gatecheck.evaluation.results import GateResult, SubjectResult
    from gatecheck.evaluation.status_results import StatusReport
    from gatecheck.reporters.html_plan import Arrow, Box, Graph

EVIDENCE = -1  # in a text's parts: the subject's evidence file
# Values a `Table` remembers the index of; texts it remembers as shown, a quarter as many; plan
# graph arrows and boxes it remembers encoding, a sixteenth (they hold their plan's steps).
CACHED = 1 << 15


class Table:
    """Distinct values, each stored once and named by its position.

    Every entry is written as it is made (its JSON, escaped for the page) to `store`, which also
    answers whether a value is stored already. Only a bounded cache of recent answers is kept in
    memory (cleared whole when full: the store's answer is the same), so the table of a status of
    100,000 subjects does not sit in memory: see `DiskStore`.
    """

    def __init__(self, store: Store | None = None) -> None:
        self.store: Store = DiskStore() if store is None else store
        self._cached = CACHED
        self._known: dict[Any, int] = {}  # a value (as a key, see `add`) -> its index
        self._shown: dict[str, str] = {}  # printable's answers: most texts come again and again
        self._made: dict[Any, int] = {}  # an arrow or a box of a plan graph, once encoded

    def add(self, value: Any) -> int:
        """The index of `value` (a scalar, or a list or tuple of indices), stored if new."""
        if isinstance(value, str):
            key: Any = value
        elif isinstance(value, list | tuple):
            key = value = tuple(value)
        else:
            key = (type(value), value)  # True and 1 are different entries
        index = self._known.get(key)
        if index is None:
            index = self.store.index(_stored_key(value), script_json(_json_value(value)))
            _remember(self._known, key, index, self._cached)
        return index

    def text(self, value: object, evidence: str | None = None) -> int:
        """A text as shown; one naming `evidence` as parts around `EVIDENCE`."""
        raw = str(value)
        text = self._printable(raw)
        shown_as = self._printable(evidence) if evidence else None
        if shown_as and shown_as in text:
            parts: list[int] = []
            for part in text.split(shown_as):
                parts.extend((self.add(part), EVIDENCE))
            return self.add(parts[:-1])
        return self.add(text)

    def _printable(self, raw: str) -> str:
        text = self._shown.get(raw)
        if text is None:
            text = printable(raw)
            _remember(self._shown, raw, text, self._cached // 4)
        return text

    def texts(self, values: Any, evidence: str | None = None) -> int:
        return self.add([self.text(value, evidence) for value in values])

    def once(self, value: Any, encode: Callable[[Table, Any], int]) -> int:
        """`encode(self, value)`, done once per distinct (hashable) value while remembered."""
        key = (encode, value)  # equal tuples of different kinds are different entries
        index = self._made.get(key)
        if index is None:
            index = encode(self, value)  # the same index again if it was encoded before
            _remember(self._made, key, index, self._cached // 16)
        return index


def _remember(cache: dict[Any, Any], key: Any, value: Any, limit: int) -> None:
    if len(cache) >= limit:
        cache.clear()  # what was forgotten is asked again: the answer does not change
    cache[key] = value


def _json_value(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _stored_key(value: Any) -> bytes:
    """`value` as exactly as `Table.add` tells values apart: its kind, then its content."""
    if isinstance(value, str):
        return b"s" + value.encode("utf-8", "surrogatepass")
    if isinstance(value, tuple):
        return b"l" + ",".join(map(str, value)).encode()
    return f"o{type(value).__name__}:{value!r}".encode()


class Store(Protocol):
    """Where a `Table`'s entries go: each value's index, and the entries' JSON in order."""

    def index(self, key: bytes, entry: str) -> int:
        """The index of the value named by `key`; if new, `entry` (its JSON) is stored next."""
        ...

    def entries(self) -> Iterator[str]: ...

    def close(self) -> None: ...


class MemoryStore:
    """Every key in a dict and every entry in a list: the reference `DiskStore` is held to."""

    def __init__(self) -> None:
        self._indices: dict[bytes, int] = {}
        self._entries: list[str] = []

    def index(self, key: bytes, entry: str) -> int:
        index = self._indices.get(key)
        if index is None:
            index = self._indices[key] = len(self._entries)
            self._entries.append(entry)
        return index

    def entries(self) -> Iterator[str]:
        return iter(self._entries)

    def close(self) -> None:
        self._indices.clear()
        self._entries.clear()


class DiskStore:
    """Keys and entries in a private temporary SQLite database, on disk beyond a small cache.

    At 10,000 subjects the table has about 150,000 entries (15 a subject: most of a subject's rows,
    cells and details name its own texts); held as Python values and dict keys they grew with the
    subjects, here memory holds SQLite's page cache (at most 8 MB). The entry with index `i` has
    rowid `i`, so reading them back in rowid order is reading the table in order.
    """

    def __init__(self) -> None:
        import sqlite3

        self._db = sqlite3.connect("")  # "": a temporary file, deleted when closed
        for pragma in ("journal_mode = OFF", "synchronous = OFF", "cache_size = -8000"):
            self._db.execute(f"PRAGMA {pragma}")
        self._db.execute("CREATE TABLE entry (key BLOB NOT NULL UNIQUE, json TEXT NOT NULL)")
        self._count = 0

    def index(self, key: bytes, entry: str) -> int:
        found = self._db.execute("SELECT rowid FROM entry WHERE key = ?", (key,)).fetchone()
        if found is not None:
            return int(found[0])
        index = self._count
        self._db.execute(
            "INSERT INTO entry (rowid, key, json) VALUES (?, ?, ?)", (index, key, entry)
        )
        self._count += 1
        return index

    def entries(self) -> Iterator[str]:
        cursor = self._db.execute("SELECT json FROM entry ORDER BY rowid")
        while batch := cursor.fetchmany(1000):
            for (entry,) in batch:
                yield entry

    def close(self) -> None:
        self._db.close()


_PART = 1 << 20  # characters of the island written at a time, about


def island(
    status: StatusReport, ids: dict[str, str], page_rows: int, store: Store | None = None
) -> Iterator[str]:
    """The page's data as JSON for its script element, in parts of about `_PART` characters.

    The table, a row per subject, and what the script needs to draw them: the text
    `escape.script_json` makes of that object whole, written without holding it. The rows wait in a
    temporary file while the table is made (it comes first), and the table in `store`.
    """
    import tempfile

    table = Table(store)
    with tempfile.TemporaryFile("w+", encoding="utf-8") as rows:
        try:
            for number, subject in enumerate(status.subjects):
                rows.write(("," if number else "") + script_json(_row(table, status, ids, subject)))
            yield '{"table":['
            yield from _joined(table.store.entries())
        finally:
            table.store.close()
        yield '],"rows":['
        rows.seek(0)
        while part := rows.read(_PART):  # digits, commas and brackets: any cut is safe
            yield part
    rest = {
        "anchors": [rule_anchor(column.rule) for column in status.columns],
        "marks": {str(verdict): mark for verdict, mark in MARKS.items()},
        "labels": {str(verdict): label for verdict, label in VERDICT_LABELS.items()},
        "markers": {str(state): marker for state, marker in MARKERS.items()},
        "page_rows": page_rows,
    }
    yield "]," + script_json(rest)[1:]


def _joined(entries: Iterator[str]) -> Iterator[str]:
    """Entries separated by commas, in parts of whole entries (no part ends inside a string)."""
    parts: list[str] = []
    size = 0
    comma = ""  # before the first entry of every part but the first
    for entry in entries:
        parts.append(entry)
        size += len(entry)
        if size > _PART:
            yield comma + ",".join(parts)
            parts, size, comma = [], 0, ","
    if parts:
        yield comma + ",".join(parts)


def _row(table: Table, status: StatusReport, ids: dict[str, str], subject: SubjectResult) -> Any:
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
    return [
        table.text(subject.subject),
        table.add(ids[subject.subject]),
        table.add(str(subject_verdict(subject))),
        declared,
        table.add(cells),
        _details(table, subject, status.plans.get(subject.subject)),
    ]


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
