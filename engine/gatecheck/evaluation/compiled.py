"""Conditions compiled once into plain Python closures: the fast way to a condition's value.

Walking the condition tree for every subject re-decides, each time, what kind of node it is and
which operator it uses. A policy's conditions never change once loaded, so each is turned, on its
first use, into a closure that has made those decisions already: a fact path becomes a chain of
lookups, `eq: true` an identity test, an `all` a loop over its parts' closures. Evaluating a gate
on 10,000 subjects then costs about what a hand-written function would (bench/peers.py).

The closures follow exactly the semantics of `evaluation.Evaluator.check` (a property test holds
the two to the same answer on random conditions and facts). They take a `Context`: the subject's
facts, the day they are judged on, and the two things a closure cannot decide alone, whether a
step is done (memoised per subject) and whether an attestation counts (explained by the evaluator).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol

from gatecheck.language.conditions import (
    ITEM,
    KEY,
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
from gatecheck.language.evidence import MISSING, Scope, lookup, read_fact
from gatecheck.language.operators import NotComparableError, day_number

if TYPE_CHECKING:
    from gatecheck.evaluation.observation import Observation
    from gatecheck.language.conditions import Condition


class Context(Protocol):
    """What a compiled condition reads besides its own operands."""

    facts: dict[str, Any]
    today: int  # the day number of the date the subject is judged on
    observation: Observation  # when facts were observed, and which are stale

    def step(self, step_id: str) -> bool | None: ...

    def attested(self, condition: Attested) -> bool | None: ...


Judge = Callable[[Context, Scope | None], bool | None]
Reader = Callable[[Any, Scope | None], Any]

# Keyed by identity: conditions are immutable and live as long as their policy, which this keeps
# alive (hashing a condition tree on every lookup would cost more than judging it). The flag says
# whether the judge is compiled, or the first-use judge of a single test (see `judge_of`).
_JUDGES: dict[int, tuple[Condition, Judge, bool]] = {}


def judge_of(condition: Condition) -> Judge:
    """The closure that gives `condition`'s value (True, False, or None when a fact is missing).

    A single fact test is compiled on its second use: on its first it is judged directly, since
    compiling costs about two judgements and a plan judges each of its many steps only once.
    """
    found = _JUDGES.get(id(condition))
    if found is not None and found[0] is condition and found[2]:
        return found[1]
    first_use = found is None or found[0] is not condition
    if first_use and isinstance(condition, FactTest) and not condition.fact.watched:
        judge: Judge = partial(_test_once, condition)
        _JUDGES[id(condition)] = (condition, judge, False)
        return judge
    judge = _compile(condition)
    _JUDGES[id(condition)] = (condition, judge, True)
    return judge


def _test_once(test: FactTest, context: Context, scope: Scope | None) -> bool | None:
    """A fact test judged without compiling it: the general operator, as `operators` defines it."""
    actual = read_fact(context.facts, test.fact, scope)[0]
    func, operand = test.operator.func, test.operand
    if test.operator.name == "exists":
        return func(None if actual is MISSING else actual, operand)
    if actual is MISSING:
        return None
    try:
        return func(actual, operand)
    except NotComparableError:
        return False


def _compile(condition: Condition) -> Judge:
    if isinstance(condition, FactTest):
        return _unless_stale(condition.fact, _fact(condition))
    if isinstance(condition, AllOf | AnyOf):
        return _combine(condition)
    if isinstance(condition, Not):
        return _not(condition)
    if isinstance(condition, TimeTest):
        return _unless_stale(condition.fact, _time(condition))
    if isinstance(condition, Quantifier):
        return _unless_stale(condition.over, _quantify(condition))
    if isinstance(condition, CountTest):
        return _unless_stale(condition.over, _count(condition))
    if isinstance(condition, StepDone):
        step_id = condition.step
        return lambda context, _scope: context.step(step_id)
    attested = condition
    return lambda context, _scope: context.attested(attested)


def _unless_stale(ref: FactRef, judge: Judge) -> Judge:
    """A test of a fact a `freshness` entry covers: unknown while the fact is stale.

    Only such facts pay for the check; a policy without `freshness` compiles no wrapper at all.
    """
    if not ref.watched:
        return judge
    parts = ref.parts

    def fresh_only(context: Context, scope: Scope | None) -> bool | None:
        if context.observation.stale(parts) is not None:
            return None
        return judge(context, scope)

    return fresh_only


# -- reading facts ---------------------------------------------------------------------------------


def _reader(ref: FactRef) -> Reader:
    """A function from (facts, scope) to the fact's value, MISSING when absent or null."""
    parts = ref.parts
    if ref.variable == KEY:
        return lambda _facts, scope: scope.key  # type: ignore[union-attr]  # never None: compiled in a quantifier
    if any(map(str.isdigit, parts)):  # may index a list: the general walk
        if ref.variable == ITEM:
            return lambda _facts, scope: lookup(scope.item, parts)[0]  # type: ignore[union-attr]
        return lambda facts, _scope: lookup(facts, parts)[0]
    walk = _walk(parts)
    if ref.variable == ITEM:
        return lambda _facts, scope: walk(scope.item, None)  # type: ignore[union-attr]
    return walk


def _walk(parts: tuple[str, ...]) -> Reader:
    """Map keys only (no part can be a list index): the common fact path, unrolled when short.

    A walk takes (data, scope) and ignores the scope, so it is itself the reader of a fact path
    from `facts`: one call per fact read.
    """
    if not parts:
        return lambda data, _scope: MISSING if data is None else data
    if len(parts) == 1:
        (first,) = parts

        def walk_one(data: Any, _scope: Scope | None) -> Any:
            value = data.get(first) if isinstance(data, dict) else None
            return MISSING if value is None else value

        return walk_one
    if len(parts) == 2:  # noqa: PLR2004 - `section.fact`, most facts' shape
        first, second = parts

        def walk_two(data: Any, _scope: Scope | None) -> Any:
            value = data.get(first) if isinstance(data, dict) else None
            value = value.get(second) if isinstance(value, dict) else None
            return MISSING if value is None else value

        return walk_two

    def walk(data: Any, _scope: Scope | None) -> Any:
        for part in parts:
            data = data.get(part) if isinstance(data, dict) else None
            if data is None:
                return MISSING
        return data

    return walk


def _items(collection: Any) -> list[Scope] | None:
    """A collection's items for a quantifier (paths are the explaining evaluator's business)."""
    if isinstance(collection, dict):
        return [Scope(value, key, ()) for key, value in collection.items()]
    if isinstance(collection, list):
        return [Scope(value, index, ()) for index, value in enumerate(collection)]
    return None


# -- tests -----------------------------------------------------------------------------------------


def _fact(test: FactTest) -> Judge:
    compare = _comparison(test.operator.name, test.operator.func, test.operand)
    parts = test.fact.parts
    if (
        len(parts) == 2  # noqa: PLR2004 - `section.fact`: most tests, and all of a big plan's
        and test.fact.variable is None
        and test.operator.name != "exists"
        and not any(map(str.isdigit, parts))
    ):
        # One closure instead of a reader and a test: compiling is then about as cheap as
        # interpreting once, which matters for the many conditions a plan judges only once.
        first, second = parts

        def section_fact(context: Context, _scope: Scope | None) -> bool | None:
            value = context.facts.get(first)
            value = value.get(second) if isinstance(value, dict) else None
            return None if value is None else compare(value)

        return section_fact
    read = _reader(test.fact)
    if test.operator.name == "exists":
        func, operand = test.operator.func, test.operand

        def exists(context: Context, scope: Scope | None) -> bool | None:
            actual = read(context.facts, scope)
            return func(None if actual is MISSING else actual, operand)

        return exists

    def fact(context: Context, scope: Scope | None) -> bool | None:
        actual = read(context.facts, scope)
        return None if actual is MISSING else compare(actual)

    return fact


def _comparison(name: str, func: Callable[[Any, Any], bool], operand: Any) -> Callable[[Any], bool]:
    """The operator applied to a recorded value, specialised for the operand where it pays.

    Each special case gives what `operators` gives: strict kinds (`true` is not `1`), and False
    where the general operator raises NotComparableError.
    """
    if name == "eq" and isinstance(operand, bool):
        return lambda actual: actual is operand
    if name == "eq" and isinstance(operand, str):
        return lambda actual: isinstance(actual, str) and actual == operand
    if name == "eq" and _is_number(operand):
        return lambda actual: _is_number(actual) and actual == operand
    if name in {"in", "not_in"} and all(isinstance(item, str) for item in operand):
        strings = frozenset(operand)
        wanted = name == "in"
        return lambda actual: (isinstance(actual, str) and actual in strings) is wanted
    if _is_number(operand) and name in _ORDER:
        order = _ORDER[name]
        return lambda actual: _is_number(actual) and order(actual, operand)

    def general(actual: Any) -> bool:
        try:
            return func(actual, operand)
        except NotComparableError:
            return False

    return general


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


_ORDER: dict[str, Callable[[Any, Any], bool]] = {
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
}


def _time(test: TimeTest) -> Judge:
    read, func, days = _reader(test.fact), test.operator.func, test.days
    # Time that must have passed counts up to the day the fact was observed; recency is today's.
    elapsed = test.operator.name == "older_than"
    parts = test.fact.parts if test.fact.variable is None else None

    def time(context: Context, scope: Scope | None) -> bool | None:
        actual = read(context.facts, scope)
        if actual is MISSING:
            return None
        if not isinstance(actual, dt.date):
            return False
        observed, day = context.observation.observed_day(parts), day_number(actual)
        if day > observed:  # a date that had not come when the fact was recorded: no time ran
            return False
        until = observed if elapsed else context.today
        return func(day, until - days)

    return time


# -- combinations ----------------------------------------------------------------------------------


def _combine(condition: AllOf | AnyOf) -> Judge:
    """Kleene's AND (a False decides) or OR (a True decides); else any unknown leaves it unknown."""
    parts = tuple(_compile(item) for item in condition.items)
    decisive = isinstance(condition, AnyOf)

    def combine(context: Context, scope: Scope | None) -> bool | None:
        result: bool | None = not decisive
        for part in parts:
            value = part(context, scope)
            if value is decisive:
                return decisive
            if value is None:
                result = None
        return result

    return combine


def _not(condition: Not) -> Judge:
    inner = _compile(condition.item)

    def negate(context: Context, scope: Scope | None) -> bool | None:
        value = inner(context, scope)
        return None if value is None else not value

    return negate


Matches = Callable[[Context, Scope | None], list[bool | None] | bool | None]


def _matches(over_ref: FactRef, where_condition: Condition | None) -> Matches:
    """Whether each item of a collection matches `where`; None or False without a collection."""
    over = _reader(over_ref)
    where = _compile(where_condition) if where_condition is not None else None

    def matches(context: Context, scope: Scope | None) -> list[bool | None] | bool | None:
        collection = over(context.facts, scope)
        if collection is MISSING:
            return None
        items = _items(collection)
        if items is None:
            return False
        if where is None:
            return [True] * len(items)
        return [where(context, item) for item in items]

    return matches


def _quantify(condition: Quantifier) -> Judge:
    matches = _matches(condition.over, condition.where)
    kind = condition.kind

    def quantify(context: Context, scope: Scope | None) -> bool | None:
        values = matches(context, scope)
        if not isinstance(values, list):
            return values
        if kind == "some":
            return True if True in values else (None if None in values else False)
        wanted = kind == "every"  # every: each item matches; none: no item matches
        if (not wanted) in values:  # `in` compares by ==, and values are only True/False/None
            return False
        return None if None in values else True

    return quantify


def _count(test: CountTest) -> Judge:
    matches = _matches(test.over, test.where)
    func, operand = test.operator.func, test.operand

    def count(context: Context, scope: Scope | None) -> bool | None:
        values = matches(context, scope)
        if not isinstance(values, list):
            return values
        known = values.count(True)
        if func(known, operand):
            return True
        unknown = values.count(None)
        # Items that cannot be judged could still change a failing count: then it is `missing`.
        could_change = any(func(known + extra, operand) for extra in range(1, unknown + 1))
        return None if could_change else False

    return count
