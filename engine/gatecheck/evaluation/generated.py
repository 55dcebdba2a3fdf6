"""A gate's rules compiled into one generated Python function that gives every rule's value.

The closures of `compiled.py` pay a Python call per node of every condition. A gate is judged
for many subjects with the same rules, so its rules are written out once as Python source, the
way fastjsonschema compiles a schema: fact paths become inline `.get` chains (each path read
once per subject, at the top of the function), simple fact tests become inline comparisons
(`x is True`, `isinstance(x, str) and x == 'open'`), `all`/`any`/`not` become Kleene logic on
locals, and `some`/`every`/`none`/`count` become loops. The source is `compile()`d once per gate.

Safety: the source holds no policy text. Names in it are generated (`r3`, `v7`, `c2`); a fact
key, a step id or an operand appears only as the `repr` of a plain `str`, `bool`, `None`, a small
`int` or a finite `float` (each of which `repr` writes as a literal that evaluates back to
itself), and every other value (a list operand, a frozenset, a condition, a closure) is passed
in as an argument of the factory function the source defines, never written into it.

What is not inlined is called, with the same arguments, through the closure `compiled.py` would
use for it (`closure_of`): time tests, comparisons of two facts, `exists`, attestations, facts a
`freshness` entry watches, paths with list indexes, operators without a specialisation, and
conditions nested deeper than MAX_NESTING (Python's parser limits nested blocks). So every value
is decided by the same `leaves` as before; a property test holds the generated functions, the
closures, the explaining evaluator and a reference interpreter to one answer.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, assert_never

from gatecheck.evaluation.compiled_tests import specialised_comparison
from gatecheck.language.conditions import (
    ITEM,
    KEY,
    AllOf,
    AnyOf,
    Attested,
    CountTest,
    FactComparison,
    FactTest,
    Not,
    Quantifier,
    StepDone,
    TimeTest,
)
from gatecheck.language.evidence import Scope
from gatecheck.language.leaves import count_decision
from gatecheck.language.operators import day_number

if TYPE_CHECKING:
    from collections.abc import Mapping

    from gatecheck.evaluation.judges import Context, Judge
    from gatecheck.language.conditions import Condition, FactRef
    from gatecheck.language.policy import Step

GateJudge = Callable[["Context"], tuple[bool | None, ...]]

# Conditions nested deeper than this are judged by their closure: each level adds at most three
# indentation levels and one loop, well inside CPython's limits (100 and 20).
MAX_NESTING = 16
INLINE_STEP_NODES = 16  # a larger `done_when` is one call, not a copy at each reference

_BUILTINS = {
    "isinstance": isinstance,
    "dict": dict,
    "list": list,
    "str": str,
    "int": int,
    "float": float,
    "bool": bool,
    "enumerate": enumerate,
}
_LARGEST_LITERAL = 1 << 62  # repr of a larger int may exceed the int-to-str digit limit


class GeneratedGate:
    """The source of one gate's function, and the values its factory binds."""

    def __init__(self, source: str, constants: dict[str, Any]) -> None:
        self.source = source
        self.constants = constants

    def function(self) -> GateJudge:
        namespace: dict[str, Any] = {}
        code = compile(self.source, "<gatecheck generated gate>", "exec")
        # The source is built from generated names and reprs of plain values only; its globals
        # hold just the builtins it uses.
        exec(code, {"__builtins__": _BUILTINS}, namespace)  # noqa: S102
        return namespace["factory"](**self.constants)  # type: ignore[no-any-return]


def gate_function(
    conditions: tuple[Condition, ...],
    closure_of: Callable[[Condition], Judge],
    steps: Mapping[str, Step] | None = None,
) -> GateJudge:
    """One function from a context to the value of each condition, in order."""
    return generate(conditions, closure_of, steps).function()


def generate(
    conditions: tuple[Condition, ...],
    closure_of: Callable[[Condition], Judge],
    steps: Mapping[str, Step] | None = None,
) -> GeneratedGate:
    """The source (and bound values) of the function judging `conditions` (a gate's rules).

    `steps` (the policy's, by id) lets a `{step: X}` whose `done_when` refers to no other step
    and is small be written inline: the same value as `context.step(X)`, without the call.
    """
    writer = _Writer(closure_of, steps or {})
    results = [writer.value(condition, None, 1, 0) for condition in conditions]
    body = writer.reads + writer.lines
    returned = ", ".join(results) + ("," if len(results) == 1 else "")
    parameters = ", ".join(writer.constants)
    source = "\n".join(
        [
            f"def factory({parameters}):",
            "    def gate(context):",
            "        facts = context.facts",
            "        if not isinstance(facts, dict):",
            "            facts = {}",
            *("        " + line for line in body),
            f"        return ({returned})",
            "    return gate",
            "",
        ]
    )
    return GeneratedGate(source, writer.constants)


class _Loop:
    """The locals of a quantifier's current item: the item, its key, and a Scope if needed."""

    def __init__(self, item: str, key: str) -> None:
        self.item = item
        self.key = key

    def scope(self, writer: _Writer) -> str:
        return f"{writer.constant(Scope)}({self.item}, {self.key}, ())"


class _Writer:
    def __init__(self, closure_of: Callable[[Condition], Judge], steps: Mapping[str, Step]) -> None:
        self.closure_of = closure_of
        self.steps = steps
        self.constants: dict[str, Any] = {}
        self.reads: list[str] = []  # fact reads from `facts`, once each, before any test
        self.lines: list[str] = []
        self._read_names: dict[tuple[str, ...], str] = {}
        self._count = 0

    def fresh(self, prefix: str) -> str:
        self._count += 1
        return f"{prefix}{self._count}"

    def constant(self, value: Any) -> str:
        name = self.fresh("c")
        self.constants[name] = value
        return name

    def literal(self, value: Any) -> str:
        """A plain value as a literal when repr writes one exactly; else a bound constant."""
        kind = type(value)
        if kind is str or kind is bool or value is None:
            return repr(value)
        if kind is int and -_LARGEST_LITERAL < value < _LARGEST_LITERAL:
            return repr(value)
        if kind is float and math.isfinite(value):
            return repr(value)
        return self.constant(value)

    def emit(self, indent: int, line: str) -> None:
        self.lines.append("    " * (indent - 1) + line)

    # -- conditions ---------------------------------------------------------------------------

    def value(self, condition: Condition, loop: _Loop | None, indent: int, depth: int) -> str:
        """Emit the lines computing `condition`'s value; return the local holding it."""
        if depth > MAX_NESTING:
            return self.closure(condition, loop, indent)
        match condition:
            case FactTest():
                return self.fact_test(condition, loop, indent)
            case AllOf() | AnyOf():
                return self.combine(condition, loop, indent, depth)
            case Not():
                inner = self.value(condition.item, loop, indent, depth + 1)
                result = self.fresh("v")
                self.emit(indent, f"{result} = None if {inner} is None else not {inner}")
                return result
            case Quantifier() | CountTest():
                return self.collection(condition, loop, indent, depth)
            case StepDone():
                return self.step(condition, indent, depth)
            case TimeTest():
                return self.time_test(condition, loop, indent)
            case FactComparison() | Attested():
                return self.closure(condition, loop, indent)
            case _:
                assert_never(condition)

    def closure(self, condition: Condition, loop: _Loop | None, indent: int) -> str:
        judge = self.constant(self.closure_of(condition))
        scope = "None" if loop is None else loop.scope(self)
        result = self.fresh("v")
        self.emit(indent, f"{result} = {judge}(context, {scope})")
        return result

    def combine(self, condition: AllOf | AnyOf, loop: _Loop | None, indent: int, depth: int) -> str:
        """Kleene's AND (a False decides) or OR (a True decides), as the closures judge it.

        Else an unknown part leaves it unknown; parts after the deciding one are not judged.
        """
        decisive = isinstance(condition, AnyOf)
        result = self.fresh("v")
        self.emit(indent, f"{result} = {not decisive}")
        for position, item in enumerate(condition.items):
            inner_indent = indent
            if position:
                self.emit(indent, f"if {result} is not {decisive}:")
                inner_indent = indent + 1
            part = self.value(item, loop, inner_indent, depth + 1)
            self.emit(inner_indent, f"if {part} is {decisive}:")
            self.emit(inner_indent + 1, f"{result} = {decisive}")
            self.emit(inner_indent, f"elif {part} is None:")
            self.emit(inner_indent + 1, f"{result} = None")
        return result

    def collection(
        self, condition: Quantifier | CountTest, loop: _Loop | None, indent: int, depth: int
    ) -> str:
        over = condition.over
        if not _inlined_path(over):
            return self.closure(condition, loop, indent)
        collection = self.read(over, loop, indent)
        pairs, result = self.fresh("p"), self.fresh("v")
        # a key is never missing (as `fact_readers.reader` reads it): `is None` is then False
        missing = "False" if over.variable == KEY else f"{collection} is None"
        self.emit(indent, f"if {missing}:")
        self.emit(indent + 1, f"{result} = None")
        self.emit(indent, "else:")
        inner = indent + 1
        self.emit(
            inner,
            f"{pairs} = {collection}.items() if isinstance({collection}, dict) else"
            f" enumerate({collection}) if isinstance({collection}, list) else None",
        )
        self.emit(inner, f"if {pairs} is None:")
        self.emit(inner + 1, f"{result} = False")
        self.emit(inner, "else:")
        body = inner + 1
        item_loop = _Loop(self.fresh("i"), self.fresh("k"))
        if isinstance(condition, CountTest):
            self.count_loop(condition, pairs, item_loop, result, body, depth)
        else:
            self.quantifier_loop(condition, pairs, item_loop, result, body, depth)
        return result

    def count_loop(  # noqa: PLR0913, PLR0917 - the locals the loop reads and writes
        self, test: CountTest, pairs: str, loop: _Loop, result: str, indent: int, depth: int
    ) -> None:
        """Count the items that match and those that cannot be judged; `count_decision` decides."""
        known, unknown = self.fresh("n"), self.fresh("u")
        self.emit(indent, f"{known} = {unknown} = 0")
        self.emit(indent, f"for {loop.key}, {loop.item} in {pairs}:")
        matched = self.where(test.where, loop, indent + 1, depth)
        self.emit(indent + 1, f"if {matched} is True:")
        self.emit(indent + 2, f"{known} += 1")
        self.emit(indent + 1, f"elif {matched} is None:")
        self.emit(indent + 2, f"{unknown} += 1")
        decide, operator = self.constant(count_decision), self.constant(test.operator)
        operand = self.literal(test.operand)
        decided = f"{decide}({operator}, {operand}, {known}, {unknown})"
        symbol = _COUNT_ORDER.get(test.operator.name)
        if symbol is None or type(test.operand) is not int:
            self.emit(indent, f"{result} = {decided}")
            return
        # what count_decision decides, on two whole numbers, when no item is unknown
        self.emit(indent, f"if {known} {symbol} {operand}:")
        self.emit(indent + 1, f"{result} = True")
        self.emit(indent, f"elif {unknown} == 0:")
        self.emit(indent + 1, f"{result} = False")
        self.emit(indent, "else:")
        self.emit(indent + 1, f"{result} = {decided}")

    def quantifier_loop(  # noqa: PLR0913, PLR0917 - the locals the loop reads and writes
        self, quantifier: Quantifier, pairs: str, loop: _Loop, result: str, indent: int, depth: int
    ) -> None:
        """`some`: a True decides; `every`: a False decides; `none`: a True decides (as False).

        Kleene's logic as `leaves.quantified`: else an unknown item leaves it unknown.
        """
        kind = quantifier.kind
        deciding, decided = kind != "every", kind == "some"
        self.emit(indent, f"{result} = {not decided}")
        self.emit(indent, f"for {loop.key}, {loop.item} in {pairs}:")
        matched = self.where(quantifier.where, loop, indent + 1, depth)
        self.emit(indent + 1, f"if {matched} is {deciding}:")
        self.emit(indent + 2, f"{result} = {decided}")
        self.emit(indent + 2, "break")
        self.emit(indent + 1, f"if {matched} is None:")
        self.emit(indent + 2, f"{result} = None")

    def where(self, where: Condition | None, loop: _Loop, indent: int, depth: int) -> str:
        if where is None:
            return "True"
        return self.value(where, loop, indent, depth + 1)

    def step(self, condition: StepDone, indent: int, depth: int) -> str:
        """A step's value: its `done_when` inline when simple (a step ignores any scope).

        Else through `context.step`, which judges the steps it refers to first and memoises them.
        """
        step = self.steps.get(condition.step)
        if step is not None and not step.refers and _size(step.done_when) <= INLINE_STEP_NODES:
            return self.value(step.done_when, None, indent, depth + 1)
        result = self.fresh("v")
        self.emit(indent, f"{result} = context.step({self.literal(condition.step)})")
        return result

    def time_test(self, test: TimeTest, loop: _Loop | None, indent: int) -> str:
        """A date against its window, as `compiled_tests.time_judge` and `leaves` decide it."""
        name = test.operator.name
        if name not in {"older_than", "newer_than"} or not _inlined_path(test.fact):
            return self.closure(test, loop, indent)
        actual = self.read(test.fact, loop, indent)
        result, day, observed = self.fresh("v"), self.fresh("d"), self.fresh("o")
        parts = self.constant(test.fact.parts) if test.fact.variable is None else "None"
        self.emit(indent, f"if {actual} is None:")
        self.emit(indent + 1, f"{result} = None")
        self.emit(indent, f"elif not isinstance({actual}, {self.constant(dt.date)}):")
        self.emit(indent + 1, f"{result} = False")
        self.emit(indent, "else:")
        self.emit(indent + 1, f"{day} = {self.constant(day_number)}({actual})")
        self.emit(indent + 1, f"{observed} = context.observation.observed_day({parts})")
        # time_window: time that must have passed counts to the observed day, recency to today
        days = self.literal(test.days)
        if name == "older_than":
            holds = f"{day} <= {observed} - {days}"
        else:
            holds = f"{day} > context.today - {days}"
        self.emit(indent + 1, f"{result} = {day} <= {observed} and {holds}")
        return result

    # -- fact tests ---------------------------------------------------------------------------

    def fact_test(self, test: FactTest, loop: _Loop | None, indent: int) -> str:
        name = test.operator.name
        if name == "exists" or not _inlined_path(test.fact):
            return self.closure(test, loop, indent)
        actual = self.read(test.fact, loop, indent)
        compared = self.comparison(name, test, actual)
        result = self.fresh("v")
        if test.fact.variable == KEY:  # a key is never missing (as `fact_readers.reader` reads it)
            self.emit(indent, f"{result} = {compared}")
        else:
            self.emit(indent, f"{result} = None if {actual} is None else {compared}")
        return result

    def comparison(self, name: str, test: FactTest, actual: str) -> str:
        """The inline test of a recorded value, as `compiled_tests.specialised_comparison` does."""
        operand = test.operand
        number = f"(isinstance({actual}, (int, float)) and not isinstance({actual}, bool))"
        if name == "eq" and isinstance(operand, bool):
            return f"{actual} is {operand}"
        if name == "eq" and type(operand) is str:
            return f"(isinstance({actual}, str) and {actual} == {self.literal(operand)})"
        if name == "eq" and _plain_number(operand):
            return f"({number} and {actual} == {self.literal(operand)})"
        if name in _ORDER and _plain_number(operand):
            return f"({number} and {actual} {_ORDER[name]} {self.literal(operand)})"
        if name in {"in", "not_in"} and all(type(item) is str for item in operand):
            strings = self.constant(frozenset(operand))
            held = f"(isinstance({actual}, str) and {actual} in {strings})"
            return held if name == "in" else f"(not {held})"
        compare = self.constant(specialised_comparison(name, test.operator.func, operand))
        return f"{compare}({actual})"

    def read(self, ref: FactRef, loop: _Loop | None, indent: int) -> str:
        """The local holding a fact's value, None when absent or null (a key: as it is)."""
        if ref.variable == KEY:
            assert loop is not None  # noqa: S101 - the policy compiler allows $key only in a quantifier
            return loop.key
        if ref.variable == ITEM:
            assert loop is not None  # noqa: S101 - the policy compiler allows $item only in a quantifier
            value = loop.item
            for part in ref.parts:
                following = self.fresh("x")
                self.emit(
                    indent,
                    f"{following} = {value}.get({self.literal(part)})"
                    f" if isinstance({value}, dict) else None",
                )
                value = following
            return value
        return self.read_fact(ref.parts)

    def read_fact(self, parts: tuple[str, ...]) -> str:
        """A path from `facts`, read once per call at the top of the function (reads are pure)."""
        found = self._read_names.get(parts)
        if found is not None:
            return found
        if len(parts) == 1:
            name = self.fresh("r")
            self.reads.append(f"{name} = facts.get({self.literal(parts[0])})")
        else:
            parent = self.read_fact(parts[:-1])
            name = self.fresh("r")
            self.reads.append(
                f"{name} = {parent}.get({self.literal(parts[-1])})"
                f" if isinstance({parent}, dict) else None"
            )
        self._read_names[parts] = name
        return name


def _size(condition: Condition) -> int:
    """How many nodes a condition has (a step's `done_when` is inlined only when small)."""
    match condition:
        case AllOf() | AnyOf():
            return 1 + sum(map(_size, condition.items))
        case Not():
            return 1 + _size(condition.item)
        case Quantifier() | CountTest():
            return 1 + (0 if condition.where is None else _size(condition.where))
        case FactTest() | FactComparison() | TimeTest() | StepDone() | Attested():
            return 1
        case _:
            assert_never(condition)


_ORDER = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}
_COUNT_ORDER = {**_ORDER, "eq": "==", "ne": "!="}


def _plain_number(value: Any) -> bool:
    return type(value) is int or type(value) is float


def _inlined_path(ref: FactRef) -> bool:
    """A path of map keys only, not watched: list indexes and staleness are the closures' work."""
    return not ref.watched and not any(map(str.isdigit, ref.parts))
