# ruff: noqa: EM102, TRY003 - `CannotExemplify` carries its reason to the output, worded in place
"""A minimal example of the evidence that makes a condition pass, for `gatecheck explain`.

An example is built only where it can be derived without guessing (a `not`, a regular expression
it cannot satisfy, conflicting values): then it says why instead of offering evidence that would
not pass.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, NamedTuple, assert_never

from gatecheck.language.conditions import (
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
from gatecheck.language.example_values import (
    PLACEHOLDER,
    CannotExemplify,
    collection,
    comparison_values,
    merge,
    settings,
)
from gatecheck.language.wording import describe

if TYPE_CHECKING:
    from collections.abc import Callable

    from gatecheck.language.conditions import Condition


class Example(NamedTuple):
    """Facts and attestations that make a condition pass, with notes on the values chosen.

    `notes` maps a dotted fact path to words that say what any value there must be (a date at
    least 7 days before the judging date); `missing` lists the parts no example was derived for.
    """

    facts: dict[str, Any]
    attestations: list[dict[str, Any]]
    notes: dict[str, str]
    missing: list[str]


def example(
    condition: Condition,
    now: dt.date,
    steps: Callable[[str], Condition | None],
    placeholder: Callable[[tuple[str, ...]], Any] | None = None,
) -> Example:
    """The facts and attestations that make `condition` pass at `now`; see `Example`.

    `steps` gives the `done_when` of a step the condition names, so `{step: c-api}` is met by
    that step's own evidence; `placeholder` a value for a fact that must only exist (see
    `schema_placeholder`).
    """
    builder = _Builder(now, steps, placeholder or schema_placeholder(None))
    builder.add(condition)
    return Example(builder.facts, builder.attestations, builder.notes, builder.missing)


class _Builder:
    """Builds one example; a step a condition names is exemplified by its own `done_when`."""

    def __init__(
        self,
        now: dt.date,
        steps: Callable[[str], Condition | None],
        placeholder: Callable[[tuple[str, ...]], Any],
    ) -> None:
        self.now = now
        self.steps = steps
        self.placeholder = placeholder
        self.facts: dict[str, Any] = {}
        self.attestations: list[dict[str, Any]] = []
        self.notes: dict[str, str] = {}
        self.missing: list[str] = []
        self.seen_steps: set[str] = set()

    def add(self, condition: Condition) -> None:
        """Exemplify a top-level condition; a part that cannot be is listed, not guessed."""
        if isinstance(condition, AllOf):
            for item in condition.items:
                self.add(item)
            return
        saved = (_copy(self.facts), list(self.attestations), dict(self.notes))
        try:
            self._top(condition)
        except CannotExemplify as cannot:
            self.facts, self.attestations, self.notes = saved
            self.missing.append(f"{describe(condition)[0]}: {cannot.reason}")

    def _top(self, condition: Condition) -> None:
        match condition:
            case StepDone():
                self._step(condition.step)
            case Attested():
                self._attest(condition)
            case AnyOf():
                self._any(condition)
            case FactComparison():
                self._comparison(condition)
            case Quantifier() | CountTest():
                shape = self.placeholder(condition.over.parts)
                known = list(shape) if isinstance(shape, dict) else None
                self._set(condition.over.parts, collection(condition, known), None)
            case FactTest() | TimeTest() | AllOf() | Not():
                for path, value, note in settings(condition, self.now):
                    if value is PLACEHOLDER:
                        shape = self.placeholder(path)
                        self._set(path, {} if isinstance(shape, dict) else shape, note)
                    else:
                        self._set(path, value, note)
            case _:
                assert_never(condition)

    def _comparison(self, test: FactComparison) -> None:
        """Both facts: the other one as already set, or of its schema's type; then the fact."""
        if test.fact.variable is not None or test.other.variable is not None:
            raise CannotExemplify("a variable outside a quantifier")  # pragma: no cover  # noqa: EM101
        other = _value_at(self.facts, test.other.parts)
        if other is None:
            other = _comparable(test, self.placeholder(test.other.parts), self.now)
        other, value = comparison_values(test, other, self.now)
        self._set(test.other.parts, other, None)
        self._set(test.fact.parts, value, describe(test)[0])

    def _step(self, step: str) -> None:
        if step in self.seen_steps:
            return
        self.seen_steps.add(step)
        done_when = self.steps(step)
        if done_when is None:
            raise CannotExemplify(f"step {step} is not in the policy")
        self.add(done_when)

    def _any(self, condition: AnyOf) -> None:
        """The first alternative that can be exemplified whole."""
        reasons = []
        for item in condition.items:
            facts, attestations, notes = (
                _copy(self.facts),
                list(self.attestations),
                dict(self.notes),
            )
            missing = len(self.missing)
            try:
                self._top(item)
            except CannotExemplify as cannot:
                reasons.append(cannot.reason)
            else:
                if len(self.missing) == missing:
                    return
                reasons.append("a part of it cannot be exemplified")
            self.facts, self.attestations, self.notes = facts, attestations, notes
            del self.missing[missing:]
        reason = "no alternative can be exemplified (" + "; ".join(reasons) + ")"
        raise CannotExemplify(reason)

    def _attest(self, condition: Attested) -> None:
        if condition.reviewers is None:
            people = [f"reviewer-{n + 1}" for n in range(condition.at_least)]
        else:
            people = sorted(condition.reviewers)[: condition.at_least]
            if len(people) < condition.at_least:
                reason = f"group {condition.group} has fewer than {condition.at_least} people"
                raise CannotExemplify(reason)
        for person in people:
            entry = {"judgement": condition.judgement, "by": person, "date": self.now}
            if entry not in self.attestations:
                self.attestations.append(entry)

    def _set(self, path: tuple[str, ...], value: Any, note: str | None) -> None:
        node = self.facts
        for part in path[:-1]:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                reason = f"{'.'.join(path)} needs a map and a value at once"
                raise CannotExemplify(reason)
            node = child
        merge(node, path, value)
        if note is not None:
            self.notes[".".join(path)] = note


def _value_at(facts: dict[str, Any], path: tuple[str, ...]) -> Any:
    """The value the example already gives a fact, or None."""
    node: Any = facts
    for part in path:
        node = node.get(part) if isinstance(node, dict) else None
    return node


def _comparable(test: FactComparison, shape: Any, now: dt.date) -> Any:
    """A value of the other fact's type that the comparison can use: a date, a number, or as is."""
    offset = test.offset
    if offset is not None and offset.days is not None:
        return now
    if isinstance(shape, int | float | dt.date) and not isinstance(shape, bool):
        return shape
    if offset is None and test.operator.name in {"eq", "ne"} and isinstance(shape, str | bool):
        return shape
    return 10


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value


def schema_placeholder(schema: dict[str, Any] | None) -> Callable[[tuple[str, ...]], Any]:
    """A value of the type the facts schema gives a path, for `exists: true`."""
    from gatecheck.language import facts_schema as fact_schema

    def placeholder(path: tuple[str, ...]) -> Any:
        node: Any = schema
        for part in path:
            if schema is None or node is None:
                return "example"
            node = fact_schema.child(schema, node, part)
        if schema is None or node is None:
            return "example"
        node = fact_schema.resolve(schema, node)
        if node.get("enum"):
            return node["enum"][0]
        if "const" in node:
            return node["const"]
        kinds = fact_schema.kinds_of(schema, node) or {"string"}
        for kind, value in (
            ("string", "example"),
            ("number", node.get("minimum", 1)),
            ("boolean", True),
            ("date", dt.date(2024, 1, 1)),
            ("list", []),
            ("map", {}),
        ):
            if kind == "map" and kind in kinds:
                return dict.fromkeys(fact_schema.names_at(schema, node))
            if kind in kinds:
                return value
        return "example"  # pragma: no cover - a schema that allows only null

    return placeholder
