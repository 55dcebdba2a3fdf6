"""Fact tests and time tests compiled into closures, specialised for their operand where it pays.

Each closure decides as `leaves` defines (strict kinds: `true` is not `1`; values the operator
cannot compare do not pass); the specialisations only skip the general operator's dispatch.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from gatecheck.evaluation.fact_readers import reader
from gatecheck.language.evidence import MISSING
from gatecheck.language.leaves import compare, comparison_decision, date_holds, time_window
from gatecheck.language.operators import day_number

if TYPE_CHECKING:
    from collections.abc import Callable

    from gatecheck.evaluation.judges import Context, Judge
    from gatecheck.language.conditions import FactComparison, FactTest, TimeTest
    from gatecheck.language.evidence import Scope


def fact_judge(test: FactTest) -> Judge:
    """A fact test's closure: one lookup chain and one comparison."""
    compare_to = specialised_comparison(test.operator.name, test.operator.func, test.operand)
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
            return None if value is None else compare_to(value)

        return section_fact
    read = reader(test.fact)
    if test.operator.name == "exists":
        func, operand = test.operator.func, test.operand

        def exists(context: Context, scope: Scope | None) -> bool | None:
            actual = read(context.facts, scope)
            return func(None if actual is MISSING else actual, operand)

        return exists

    def fact(context: Context, scope: Scope | None) -> bool | None:
        actual = read(context.facts, scope)
        return None if actual is MISSING else compare_to(actual)

    return fact


def specialised_comparison(
    name: str, func: Callable[[Any, Any], bool], operand: Any
) -> Callable[[Any], bool]:
    """The operator applied to a recorded value, specialised for the operand where it pays.

    Each special case gives what `leaves.compare` gives: strict kinds (`true` is not `1`), and
    False where the general operator cannot compare the values.
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
    return lambda actual: compare(func, actual, operand).value is True


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


_ORDER: dict[str, Callable[[Any, Any], bool]] = {
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
}


def time_judge(test: TimeTest) -> Judge:
    """A time test's closure: the recorded date against the window of `leaves.time_window`."""
    read, operator = reader(test.fact), test.operator
    parts = test.fact.parts if test.fact.variable is None else None

    def time(context: Context, scope: Scope | None) -> bool | None:
        actual = read(context.facts, scope)
        if actual is MISSING:
            return None
        if not isinstance(actual, dt.date):
            return False
        window = time_window(test, context.observation.observed_day(parts), context.today)
        return date_holds(operator, day_number(actual), window)

    return time


def comparison_judge(test: FactComparison) -> Judge:
    """A comparison of two facts' closure: two lookup chains, then `leaves` decides."""
    read, read_other = reader(test.fact), reader(test.other)

    def comparison(context: Context, scope: Scope | None) -> bool | None:
        actual = read(context.facts, scope)
        other = read_other(context.facts, scope)
        return comparison_decision(test, actual, other).value

    return comparison
