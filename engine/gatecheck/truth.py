"""The value of a condition alone (True, False or None), without building its explanation.

Plans judge every step of a policy, and most steps only need a yes or no; explaining all of them
costs several times more. `Truth` follows exactly the semantics of `evaluation.Evaluator.check`
(a property test holds the two to the same answer on random conditions and facts), and the
evaluator asks it first, explaining only what it has to show.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gatecheck.conditions import (
    AllOf,
    AnyOf,
    Attested,
    CountTest,
    FactRef,
    FactTest,
    Not,
    Quantifier,
    StepDone,
    TimeTest,
)
from gatecheck.evidence import MISSING, Scope, items_of, read_fact
from gatecheck.operators import NotComparableError, day_number, kind_of

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable, Iterable

    from gatecheck.conditions import Condition
    from gatecheck.evidence import Evidence


class Truth:
    def __init__(
        self, evidence: Evidence, now: dt.date, attested: Callable[[Attested], bool | None]
    ) -> None:
        self.facts = evidence.facts
        self.steps = evidence.policy.steps_by_id
        self.now = now
        self.attested = attested  # attestations are few: the explaining evaluator judges them
        self._values: dict[str, bool | None] = {}

    def step(self, step_id: str) -> bool | None:
        """Whether a step's `done_when` holds; steps it refers to are judged first, iteratively."""
        values = self._values
        found = values.get(step_id, MISSING)
        if found is not MISSING:
            return found  # type: ignore[no-any-return]
        step = self.steps[step_id]
        if not step.refers:
            value = values[step_id] = self.holds(step.done_when)
            return value
        pending: list[tuple[str, bool]] = [(step_id, False)]
        while pending:
            current, expanded = pending.pop()
            if current in values:
                continue
            if expanded:
                values[current] = self.holds(self.steps[current].done_when)
                continue
            pending.append((current, True))
            pending.extend((ref, False) for ref in self.steps[current].refers if ref not in values)
        return values[step_id]

    def holds(self, condition: Condition, scope: Scope | None = None) -> bool | None:
        if isinstance(condition, FactTest):
            return self._fact(condition, scope)
        if isinstance(condition, AllOf):
            return _all(self.holds(part, scope) for part in condition.items)
        if isinstance(condition, AnyOf):
            return _any(self.holds(part, scope) for part in condition.items)
        if isinstance(condition, Not):
            inner = self.holds(condition.item, scope)
            return None if inner is None else not inner
        if isinstance(condition, TimeTest):
            return self._time(condition, scope)
        if isinstance(condition, Quantifier):
            return self._quantify(condition, scope)
        if isinstance(condition, CountTest):
            return self._count(condition, scope)
        if isinstance(condition, StepDone):
            return self.step(condition.step)
        return self.attested(condition)

    def _value(self, ref: FactRef, scope: Scope | None) -> Any:
        return read_fact(self.facts, ref, scope)[0]

    def _fact(self, test: FactTest, scope: Scope | None) -> bool | None:
        actual = self._value(test.fact, scope)
        if test.operator.name == "exists":
            return test.operator.func(None if actual is MISSING else actual, test.operand)
        if actual is MISSING:
            return None
        try:
            return test.operator.func(actual, test.operand)
        except NotComparableError:
            return False

    def _time(self, test: TimeTest, scope: Scope | None) -> bool | None:
        actual = self._value(test.fact, scope)
        if actual is MISSING:
            return None
        if kind_of(actual) != "date":
            return False
        return test.operator.func(day_number(actual), day_number(self.now) - test.days)

    def _items(self, ref: FactRef, scope: Scope | None) -> list[Scope] | bool | None:
        collection, path = read_fact(self.facts, ref, scope)
        if collection is MISSING:
            return None
        items = items_of(collection, path)
        return False if items is None else items

    def _matches(self, where: Condition | None, items: list[Scope]) -> list[bool | None]:
        if where is None:
            return [True] * len(items)
        return [self.holds(where, entry) for entry in items]

    def _quantify(self, condition: Quantifier, scope: Scope | None) -> bool | None:
        items = self._items(condition.over, scope)
        if not isinstance(items, list):
            return items
        values = self._matches(condition.where, items)
        if condition.kind == "some":
            return _any(values)
        if condition.kind == "every":
            return _all(values)
        return _all(None if value is None else not value for value in values)

    def _count(self, test: CountTest, scope: Scope | None) -> bool | None:
        items = self._items(test.over, scope)
        if not isinstance(items, list):
            return items
        values = self._matches(test.where, items)
        known = values.count(True)
        unknown = values.count(None)
        if test.operator.func(known, test.operand):
            return True
        could_change = any(
            test.operator.func(known + extra, test.operand) for extra in range(1, unknown + 1)
        )
        return None if could_change else False


def _all(values: Iterable[bool | None]) -> bool | None:
    """Kleene's AND: any False decides; else any unknown leaves it unknown."""
    return _kleene(values, decisive=False)


def _any(values: Iterable[bool | None]) -> bool | None:
    """Kleene's OR: any True decides; else any unknown leaves it unknown."""
    return _kleene(values, decisive=True)


def _kleene(values: Iterable[bool | None], *, decisive: bool) -> bool | None:
    result: bool | None = not decisive
    for value in values:
        if value is decisive:
            return decisive
        if value is None:
            result = None
    return result
