"""The policy language's semantics written plainly, as the docs state them: the tests' oracle.

Shared by the property tests of the compiled closures (tests/evaluation/test_compiled.py) and of
the generated gate functions (tests/evaluation/test_generated.py).
"""

import datetime as dt
from typing import Any

from tests.support.strategies import steps_policy

from gatecheck.evaluation.explaining import Evaluator
from gatecheck.language import conditions as c
from gatecheck.language.evidence import MISSING, Evidence, Scope, items_of, read_fact
from gatecheck.language.operators import NotComparableError, day_number
from gatecheck.loading.parsing import load_bytes

NOW = dt.date(2026, 1, 15)


def evaluator_for(facts: dict[str, Any]) -> Evaluator:
    document = load_bytes(b"subject: s\n", "e.yaml")
    evidence = Evidence("s", steps_policy([], {}), None, facts, {}, (), (), (), None, document)
    return Evaluator(evidence, NOW)


def reference(condition: Any, facts: dict[str, Any], scope: Scope | None = None) -> bool | None:
    """The policy language's semantics, written plainly as the docs state them: the oracle."""
    if isinstance(condition, c.AllOf | c.AnyOf):
        values = [reference(part, facts, scope) for part in condition.items]
        return kleene(values, isinstance(condition, c.AnyOf))
    if isinstance(condition, c.Not):
        inner = reference(condition.item, facts, scope)
        return None if inner is None else not inner
    if isinstance(condition, c.Quantifier | c.CountTest):
        return reference_collection(condition, facts, scope)
    if isinstance(condition, c.FactComparison):
        return reference_comparison(condition, facts, scope)
    return reference_test(condition, facts, scope)


def reference_comparison(
    condition: c.FactComparison, facts: dict[str, Any], scope: Scope | None
) -> bool | None:
    """Unknown if either fact is; else the other shifted (days to a date, a number to a number)."""
    actual, _ = read_fact(facts, condition.fact, scope)
    other, _ = read_fact(facts, condition.other, scope)
    if actual is MISSING or other is MISSING:
        return None
    offset = condition.offset
    if offset is not None and offset.days is not None:
        if not isinstance(other, dt.date):
            return False
        other += dt.timedelta(days=offset.days * offset.sign)
    elif offset is not None:
        if isinstance(other, bool) or not isinstance(other, int | float):
            return False
        other += offset.amount * offset.sign
    try:
        return condition.operator.func(actual, other)
    except NotComparableError:
        return False


def reference_collection(condition: Any, facts: dict[str, Any], scope: Scope | None) -> bool | None:
    collection, path = read_fact(facts, condition.over, scope)
    if collection is MISSING:
        return None
    items = items_of(collection, path)
    if items is None:
        return False
    where = condition.where
    values = [True if where is None else reference(where, facts, item) for item in items]
    if isinstance(condition, c.CountTest):
        func, operand = condition.operator.func, condition.operand
        known, unknown = values.count(True), values.count(None)
        if func(known, operand):
            return True
        return None if any(func(known + n, operand) for n in range(1, unknown + 1)) else False
    if condition.kind == "some":
        return kleene(values, True)
    if condition.kind == "every":
        return kleene(values, False)
    return kleene([None if value is None else not value for value in values], False)


def reference_test(condition: Any, facts: dict[str, Any], scope: Scope | None) -> bool | None:
    actual, _ = read_fact(facts, condition.fact, scope)
    if isinstance(condition, c.TimeTest):
        if actual is MISSING:
            return None
        if not isinstance(actual, dt.date):
            return False
        if actual > NOW:  # a date after the fact was observed (here: judged): no time has run
            return False
        return condition.operator.func(day_number(actual), day_number(NOW) - condition.days)
    if condition.operator.name == "exists":
        return condition.operator.func(None if actual is MISSING else actual, condition.operand)
    if actual is MISSING:
        return None
    try:
        return condition.operator.func(actual, condition.operand)
    except NotComparableError:
        return False


def ref(text: str) -> c.FactRef:
    variable = text.split(".", maxsplit=1)[0] if text.startswith("$") else None
    parts = tuple(text.split(".")[1:] if variable else text.split("."))
    return c.FactRef(text, variable, parts)


def kleene(values: list[bool | None], decisive: bool) -> bool | None:
    if decisive in values:
        return decisive
    return None if None in values else not decisive
