# ruff: noqa: EM101, EM102, TRY003 - `CannotExemplify` carries its reason to the output
"""The values that make one test pass, and the items that make a quantifier or count pass.

Each value is derived from the test's operator and checked with the test's own semantics
(`leaves`), so an example never offers a value that would not pass; where no value can be
derived without guessing (a `not`, a regular expression, conflicting values), `CannotExemplify`
says why.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, assert_never

from gatecheck.language.conditions import (
    ITEM,
    KEY,
    AllOf,
    AnyOf,
    Attested,
    Condition,
    CountTest,
    FactComparison,
    FactTest,
    Not,
    Quantifier,
    StepDone,
    TimeTest,
)
from gatecheck.language.leaves import (
    comparison_decision,
    count_decision,
    date_holds,
    fact_decision,
    quantified,
    shifted,
    time_window,
)
from gatecheck.language.operators import NotComparableError, day_number
from gatecheck.language.values import show_as_written
from gatecheck.language.wording import describe, duration


class CannotExemplify(Exception):  # noqa: N818 - a signal, not an error
    """No example can be derived for a condition without guessing; `reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


ABSENT: Any = object()  # `exists: false`: the fact is left out
PLACEHOLDER: Any = type("Placeholder", (), {"__repr__": lambda _self: "<placeholder>"})()

Setting = tuple[tuple[str, ...], Any, "str | None"]


def settings(condition: Condition, now: dt.date) -> list[Setting]:
    """The (path, value, note) settings that make a fact condition pass."""
    match condition:
        case FactTest() | TimeTest():
            if condition.fact.variable is not None:  # pragma: no cover - only inside quantifiers
                raise CannotExemplify("a variable outside a quantifier")
            value, note = leaf_value(condition, now)
            return [(condition.fact.parts, value, note)] if value is not ABSENT else []
        case FactComparison():
            if condition.fact.variable is not None or condition.other.variable is not None:
                raise CannotExemplify("a variable outside a quantifier")  # pragma: no cover
            other, value = comparison_values(condition, None, now)
            note = describe(condition)[0]
            return [(condition.other.parts, other, None), (condition.fact.parts, value, note)]
        case Quantifier() | CountTest():
            return [(condition.over.parts, collection(condition), None)]
        case AllOf():
            return [setting for item in condition.items for setting in settings(item, now)]
        case AnyOf():
            return settings(condition.items[0], now)
        case Not():
            raise CannotExemplify("a negation has no single value that makes it pass")
        case StepDone() | Attested():  # pragma: no cover - the builder exemplifies these itself
            raise CannotExemplify("a step or attestation inside a quantifier")
        case _:
            assert_never(condition)


def leaf_value(test: FactTest | TimeTest, now: dt.date) -> tuple[Any, str | None]:
    """A value that passes `test` at `now`, with a note on what any value there must be."""
    if isinstance(test, TimeTest):
        if test.operator.name == "older_than":
            note = f"a date at least {duration(test.days)} before the judging date"
            return _dated(test, now, now - dt.timedelta(days=test.days + 1)), note
        note = f"a date less than {duration(test.days)} before the judging date"
        return _dated(test, now, now), note
    value = _fact_value(test)
    if value is PLACEHOLDER or value is ABSENT:
        return value, "any value" if value is PLACEHOLDER else None
    if fact_decision(test, value).value is not True:
        raise CannotExemplify(f"no value of {test.fact.text} could be derived")
    return value, None


def comparison_values(test: FactComparison, other: Any, now: dt.date) -> tuple[Any, Any]:
    """Values of the other fact (`other`, or one chosen when None) and of the fact that pass."""
    if other is None:
        other = _other_operand(test, now)
    try:
        target = shifted(other, test.offset)
    except NotComparableError as error:
        raise CannotExemplify(f"{test.other.text} is {show_as_written(other)}: {error}") from None
    value = _fact_value(FactTest(test.fact, test.operator, target, test.location))
    if comparison_decision(test, value, other).value is not True:
        raise CannotExemplify(f"no value of {test.fact.text} could be derived")
    return other, value


def _other_operand(test: FactComparison, now: dt.date) -> Any:
    """A value for the other fact: a date for a duration offset, else a number."""
    offset = test.offset
    if offset is not None and offset.days is not None:
        return now
    return 10


def _dated(test: TimeTest, now: dt.date, value: dt.date) -> dt.date:
    today = day_number(now)
    if not date_holds(test.operator, day_number(value), time_window(test, today, today)):
        raise CannotExemplify(f"no date for {test.fact.text} could be derived")
    return value


def _fact_value(test: FactTest) -> Any:
    op, operand = test.operator.name, test.operand
    if op in {"eq", "gte", "lte"}:
        return operand
    if op in {"gt", "lt"}:
        step = 1 if op == "gt" else -1
        if isinstance(operand, dt.date):
            return operand + dt.timedelta(days=step)
        return operand + step
    if op == "ne":
        return _other(operand)
    if op == "in":
        return operand[0]
    if op == "not_in":
        return _other_than(operand)
    if op == "contains":
        return [operand]
    if op == "matches":
        return _matching(operand)
    return PLACEHOLDER if operand else ABSENT  # exists: true needs any value; false, none


def _other(value: Any) -> Any:
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return value + 1
    if isinstance(value, dt.date):
        return value + dt.timedelta(days=1)
    return f"not-{show_as_written(value)}"


def _other_than(values: list[Any]) -> Any:
    """A value none of `values` is, of their kind: a fact typed as a date wants a date."""
    kinds = {type(value) for value in values}
    if kinds == {bool} and len(set(values)) < 2:  # noqa: PLR2004 - true and false
        return not values[0]
    if kinds and all(kind is dt.date for kind in kinds):
        return max(values) + dt.timedelta(days=1)
    if kinds and all(kind in {int, float} for kind in kinds):
        return max(values) + 1
    candidate: Any = "other"
    counter = 1
    while candidate in values:
        counter += 1
        candidate = f"other-{counter}"
    return candidate


_REGEX_SIMPLIFICATIONS = (
    (r"^\^", ""),
    (r"(^|[^\\])\$$", r"\1"),  # an unescaped $ at the end
    (r"\(\s*[^()]*\|\$\)", ""),  # ( |$): the end will do
    (r"\([^()]*\)\?", ""),  # optional groups
    (r"\[([^\]\\])[^\]]*\][+]", r"\1"),  # a class repeated: its first character once
    (r"\.\*", ""),
    (r"\\(.)", r"\1"),
)


def _matching(pattern: str) -> str:
    """A string the pattern matches, for the plain patterns policies use; else no example.

    Every pattern here, the policy's and the simplifications, runs on RE2 (as `matches` does):
    the text is derived from the pattern, and a backtracking engine could be made to hang on it.
    """
    from gatecheck.language.regexes import compile_regex

    text = pattern
    for find, replace in _REGEX_SIMPLIFICATIONS:
        text = compile_regex(find).sub(replace, text)
    if compile_regex(pattern).search(text):  # checked by RE2 when the policy was loaded
        return text
    raise CannotExemplify(f"no string matching /{pattern}/ could be derived")


# -- collections ---------------------------------------------------------------------------------


def collection(condition: Quantifier | CountTest, known: list[str] | None = None) -> Any:
    """A list or map whose items make a quantifier or count pass: as few items as will do.

    `known` is None when the schema does not say the collection is a map, else the keys it names.
    """
    if isinstance(condition, Quantifier):
        passes = [n for n in (0, 1) if quantified(condition.kind, [True] * n)]
    else:
        operator, operand = condition.operator, condition.operand
        passes = [n for n in range(operand + 2) if count_decision(operator, operand, n, 0)]
    if not passes:
        raise CannotExemplify("no number of items can pass")
    wanted = passes[0]
    keyed, names = _keys(condition.where, wanted, known)
    items = [_item(condition.where) for _ in range(wanted)]
    if keyed:
        return dict(zip(names, items, strict=True))
    return items


def _keys(where: Condition | None, wanted: int, known: list[str] | None) -> tuple[bool, list[str]]:
    """Whether items need keys (a map), and the keys to use."""
    tests = _key_tests(where) if where is not None else []
    if not tests and known is None:
        return False, []
    names: list[str] = list(known or ())
    for test in tests:
        if test.operator.name in {"in", "eq"}:
            allowed = test.operand if test.operator.name == "in" else [test.operand]
            names = [str(name) for name in allowed if not known or name in names]
    excluded = [v for t in tests if t.operator.name == "not_in" for v in t.operand]
    excluded += [t.operand for t in tests if t.operator.name == "ne"]
    if any(t.operator.name not in {"in", "eq", "not_in", "ne"} for t in tests):
        raise CannotExemplify("a test of the key other than eq, ne, in or not_in")
    if not names:
        names = [f"example-{n + 1}" for n in range(wanted)]
    names = [name for name in names if name not in excluded]
    if len(names) < wanted:
        raise CannotExemplify("too few keys are allowed")
    return True, names[:wanted]


def _key_tests(where: Condition) -> list[FactTest]:
    """The tests of the key an item must pass: those `where` requires, through `all`."""
    match where:
        case FactTest():
            return [where] if where.fact.variable == KEY else []
        case AllOf():
            return [test for item in reversed(where.items) for test in _key_tests(item)]
        case AnyOf() | Not():
            if _mentions_key(where):
                raise CannotExemplify("a test of the key inside `any` or `not`")
            return []
        case FactComparison() | TimeTest() | CountTest() | Quantifier() | StepDone() | Attested():
            return []
        case _:
            assert_never(where)


def _mentions_key(node: Condition) -> bool:
    match node:
        case FactTest():
            return node.fact.variable == KEY
        case AllOf() | AnyOf():
            return any(_mentions_key(child) for child in node.items)
        case Not():
            return _mentions_key(node.item)
        case FactComparison():
            return KEY in {node.fact.variable, node.other.variable}
        case TimeTest() | CountTest() | Quantifier() | StepDone() | Attested():
            return False
        case _:
            assert_never(node)


def _item(where: Condition | None) -> Any:
    """One item that satisfies `where` (its key tests are met by the key chosen)."""
    if where is None:
        return "example"
    found = _item_settings(where)
    whole = [value for path, value in found if not path]
    if whole:
        if len(found) != len(whole) or any(value != whole[0] for value in whole):
            raise CannotExemplify("the item would need to be a value and a map at once")
        return whole[0]
    item: dict[str, Any] = {}
    for path, value in found:
        node = item
        for part in path[:-1]:
            node = node.setdefault(part, {})
        merge(node, path, value)
    return item


def _item_settings(where: Condition) -> list[tuple[tuple[str, ...], Any]]:
    match where:
        case FactTest() | TimeTest():
            if where.fact.variable == KEY:
                return []
            if where.fact.variable is None:
                raise CannotExemplify("a fact outside the item inside a quantifier")
            if isinstance(where, TimeTest):
                raise CannotExemplify("a time test of an item")
            value, _note = leaf_value(where, dt.date.min)
            value = "example" if value is PLACEHOLDER else value
            return [] if value is ABSENT else [(where.fact.parts, value)]
        case FactComparison():
            if where.fact.variable != ITEM or where.other.variable != ITEM:
                raise CannotExemplify("a comparison of a fact outside the item, in a quantifier")
            other, value = comparison_values(where, None, dt.date(2024, 1, 1))
            return [(where.other.parts, other), (where.fact.parts, value)]
        case AllOf():
            return [setting for item in where.items for setting in _item_settings(item)]
        case AnyOf():
            return _item_settings(where.items[0])
        case Not() | Quantifier() | CountTest() | StepDone() | Attested():
            raise CannotExemplify(
                "a negation, nested quantifier, step or attestation inside a quantifier"
            )
        case _:
            assert_never(where)


def merge(node: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    """Set `path`'s last part in `node` to `value`, merging lists and maps with what is there."""
    last = path[-1]
    if last not in node:
        node[last] = value
        return
    old = node[last]
    if isinstance(old, list) and isinstance(value, list):
        node[last] = old + [item for item in value if item not in old]
    elif isinstance(old, dict) and isinstance(value, dict):
        for key, item in value.items():
            merge(old, (*path, key), item)
    elif old != value or type(old) is not type(value):
        shown_old, shown_new = show_as_written(old), show_as_written(value)
        raise CannotExemplify(f"{'.'.join(path)} would need both {shown_old} and {shown_new}")
