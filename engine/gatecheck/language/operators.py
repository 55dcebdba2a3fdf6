"""The comparison operators of the policy language; each docstring is its user documentation.

Comparison is strict: no truthiness and no coercion. `"80"` is not `80`, `true` is not `1`, and a
date is compared only with a date. A fact of the wrong type for its operator makes the rule fail
with an explanation rather than guess.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, NamedTuple

from gatecheck.language.kinds import BOOLEAN, DATE, LIST, NUMBER, kind_of, same
from gatecheck.language.regexes import compile_regex

if TYPE_CHECKING:
    from collections.abc import Callable

# Operand kinds an operator accepts beyond the value kinds; checked when the policy loads
# (`bad-operand`, see `operand_checks`).
SCALAR = "scalar"
REGEX = "regex"
DURATION = "duration"


class Operator(NamedTuple):
    name: str
    func: Callable[[Any, Any], bool]
    accepts: tuple[str, ...]
    symbol: str
    doc: str


class NotComparableError(TypeError):
    """The fact's value cannot be compared with the operand; the rule fails with this message."""


def _ordered(actual: Any, expected: Any) -> tuple[Any, Any]:
    kind = kind_of(expected)
    if kind_of(actual) != kind or kind not in {NUMBER, DATE}:
        msg = f"a {kind_of(actual)} cannot be ordered against a {kind}"
        raise NotComparableError(msg)
    if kind == DATE and isinstance(actual, dt.datetime) != isinstance(expected, dt.datetime):
        actual = actual.date() if isinstance(actual, dt.datetime) else actual
        expected = expected.date() if isinstance(expected, dt.datetime) else expected
    if kind == DATE and _aware(actual) != _aware(expected):
        msg = "a date-time with a time zone cannot be ordered against one without"
        raise NotComparableError(msg)
    return actual, expected


def _aware(value: Any) -> bool:
    return isinstance(value, dt.datetime) and value.utcoffset() is not None


def _eq(actual: Any, expected: Any) -> bool:
    """`eq`: the fact equals the operand. `{fact: apis.c, eq: true}`."""
    return same(actual, expected)


def _ne(actual: Any, expected: Any) -> bool:
    """`ne`: the fact differs from the operand. `{fact: spec_tests.runner, ne: ignored}`."""
    return not same(actual, expected)


def _gt(actual: Any, expected: Any) -> bool:
    """`gt`: the fact (a number or date) is greater than the operand.

    `{fact: spec_tests.passed, gt: 0}`
    """
    a, e = _ordered(actual, expected)
    return bool(a > e)


def _gte(actual: Any, expected: Any) -> bool:
    """`gte`: the fact is greater than or equal to the operand. `{fact: proposal.phase, gte: 4}`."""
    a, e = _ordered(actual, expected)
    return bool(a >= e)


def _lt(actual: Any, expected: Any) -> bool:
    """`lt`: the fact is less than the operand. `{fact: spec_tests.failed, lt: 1}`."""
    a, e = _ordered(actual, expected)
    return bool(a < e)


def _lte(actual: Any, expected: Any) -> bool:
    """`lte`: the fact is less than or equal to the operand. `{fact: released, lte: 2024-06-01}`."""
    a, e = _ordered(actual, expected)
    return bool(a <= e)


def _in(actual: Any, expected: Any) -> bool:
    """`in`: the fact is one of the listed values. `{fact: $key, in: [python, go, dotnet]}`."""
    return any(same(actual, item) for item in expected)


def _not_in(actual: Any, expected: Any) -> bool:
    """`not_in`: the fact is none of the listed values. `{fact: $key, not_in: [rust, c]}`."""
    return not _in(actual, expected)


def _contains(actual: Any, expected: Any) -> bool:
    """`contains`: a list fact holds the operand, a map fact has it as a key, or a string has it.

    `{fact: run.flags, contains: "-S preview2=y"}`
    """
    if isinstance(actual, list):
        return any(same(item, expected) for item in actual)
    if isinstance(actual, dict):
        return isinstance(expected, str) and expected in actual
    if isinstance(actual, str) and isinstance(expected, str):
        return expected in actual
    msg = f"a {kind_of(actual)} cannot contain a {kind_of(expected)}"
    raise NotComparableError(msg)


def _matches(actual: Any, expected: Any) -> bool:
    """`matches`: a string fact contains a match of the regular expression.

    RE2 syntax, run in linear time; anchor with `^...$` to match the whole string.
    `{fact: names.cli, matches: "^-W "}`
    """
    if not isinstance(actual, str):
        msg = f"a {kind_of(actual)} cannot match a regular expression"
        raise NotComparableError(msg)
    return compile_regex(expected).search(actual) is not None


def _exists(actual: Any, expected: Any) -> bool:
    """`exists`: with `true`, the fact is recorded (and not null); with `false`, it is absent.

    `{fact: fuzzing.since, exists: true}`. The one operator that never yields `missing`.
    """
    return (actual is not None) is expected


def _older_than(actual: Any, expected: Any) -> bool:
    """`older_than`: the date fact lies at least the duration (`7d`, `2w`) before the evaluation.

    `{fact: fuzzing.since, older_than: 7d}`; see "Time" in docs/policy-language.md.
    """
    return bool(actual <= expected)


def _newer_than(actual: Any, expected: Any) -> bool:
    """`newer_than`: the date fact lies less than the duration before the judging date.

    `{fact: spec_tests.run_on, newer_than: 26w}`
    """
    return bool(actual > expected)


def _entry(func: Callable[[Any, Any], bool], accepts: tuple[str, ...], symbol: str) -> Operator:
    return Operator(func.__name__.lstrip("_"), func, accepts, symbol, (func.__doc__ or "").strip())


OPERATORS: dict[str, Operator] = {
    op.name: op
    for op in (
        _entry(_eq, (SCALAR, LIST), "=="),
        _entry(_ne, (SCALAR, LIST), "!="),
        _entry(_gt, (NUMBER, DATE), ">"),
        _entry(_gte, (NUMBER, DATE), ">="),
        _entry(_lt, (NUMBER, DATE), "<"),
        _entry(_lte, (NUMBER, DATE), "<="),
        _entry(_in, (LIST,), "in"),
        _entry(_not_in, (LIST,), "not in"),
        _entry(_contains, (SCALAR,), "contains"),
        _entry(_matches, (REGEX,), "matches"),
        _entry(_exists, (BOOLEAN,), "exists"),
        _entry(_older_than, (DURATION,), "older than"),
        _entry(_newer_than, (DURATION,), "newer than"),
    )
}
TIME_OPERATORS = frozenset({"older_than", "newer_than"})
COUNT_OPERATORS = ("eq", "ne", "gt", "gte", "lt", "lte")

_DURATION_UNITS = {"d": 1, "w": 7}


def day_number(value: dt.date) -> int:
    """A date (or the day of a date-time) as a day count, so time rules never overflow."""
    return (value.date() if isinstance(value, dt.datetime) else value).toordinal()


def from_day_number(number: int) -> dt.date | None:
    """The date of a day count, or None outside the years 1 to 9999."""
    return dt.date.fromordinal(number) if 1 <= number <= dt.date.max.toordinal() else None


def parse_duration(text: str) -> int | None:
    """Days in a duration such as `7d` or `2w`, or None if `text` is not one."""
    unit = _DURATION_UNITS.get(text[-1:])
    number = text[:-1]
    if unit is None or not 0 < len(number) <= 5 or not number.isascii() or not number.isdigit():  # noqa: PLR2004
        return None
    return int(number) * unit
