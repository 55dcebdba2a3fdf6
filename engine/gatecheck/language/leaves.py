"""How a single test decides: a fact against an operand, a date against a window, a count.

The one definition of each leaf's semantics: the compiled judges, the explaining evaluator and
the example builder all decide through these, so the fast value, the explained value and the
example that should pass cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, NamedTuple

from gatecheck.language.evidence import MISSING
from gatecheck.language.kinds import DATE, NUMBER, kind_of
from gatecheck.language.operators import NotComparableError

if TYPE_CHECKING:
    from collections.abc import Callable

    from gatecheck.language.conditions import FactComparison, FactTest, Offset, TimeTest
    from gatecheck.language.operators import Operator


class Decision(NamedTuple):
    """A test's value, and why the operator could not compare the values when it could not."""

    value: bool | None
    not_comparable: NotComparableError | None = None


def compare(func: Callable[[Any, Any], bool], actual: Any, operand: Any) -> Decision:
    """The operator applied to a recorded value: values it cannot compare do not pass."""
    try:
        return Decision(func(actual, operand))
    except NotComparableError as error:
        return Decision(value=False, not_comparable=error)


def fact_decision(test: FactTest, actual: Any) -> Decision:
    """A fact test of `actual` (MISSING when not recorded, which leaves the test unknown).

    `exists` is the one operator that judges absence itself.
    """
    operator = test.operator
    if operator.name == "exists":
        return Decision(operator.func(None if actual is MISSING else actual, test.operand))
    if actual is MISSING:
        return Decision(None)
    return compare(operator.func, actual, test.operand)


def comparison_decision(test: FactComparison, actual: Any, other: Any) -> Decision:
    """A fact compared with another (MISSING when either is not recorded: the test is unknown).

    The other fact is shifted by the offset first; an offset that does not suit its kind (a
    number added to a date, anything added to a string) does not pass, like any wrong kind.
    """
    if actual is MISSING or other is MISSING:
        return Decision(None)
    try:
        target = shifted(other, test.offset)
    except NotComparableError as error:
        return Decision(value=False, not_comparable=error)
    return compare(test.operator.func, actual, target)


def shifted(value: Any, offset: Offset | None) -> Any:
    """`value` plus or minus the offset: days for a date, a number for a number.

    Raises NotComparableError when the offset does not suit the value's kind.
    """
    if offset is None:
        return value
    kind = kind_of(value)
    if offset.days is not None:
        if kind != DATE:
            msg = f"a {kind} cannot be offset by a duration ({offset.amount})"
            raise NotComparableError(msg)
        try:
            return value + dt.timedelta(days=offset.sign * offset.days)
        except OverflowError:
            msg = f"{value.isoformat()} offset by {offset.amount} is outside the years 1 to 9999"
            raise NotComparableError(msg) from None
    if kind != NUMBER:
        msg = f"a {kind} cannot be offset by a number ({offset.amount})"
        raise NotComparableError(msg)
    try:
        return value + offset.sign * offset.amount
    except OverflowError:  # a whole number too large to add a fraction to
        msg = f"{value} offset by {offset.amount} is too large to compare"
        raise NotComparableError(msg) from None


class TimeWindow(NamedTuple):
    """The day numbers a time test measures with.

    The day the fact was observed, the day time counts up to, and the threshold the recorded
    date is compared with.
    """

    observed: int
    until: int
    threshold: int


def time_window(test: TimeTest, observed: int, today: int) -> TimeWindow:
    """Time that must have passed counts up to the day the fact was observed; recency is today's."""
    until = observed if test.operator.name == "older_than" else today
    return TimeWindow(observed, until, until - test.days)  # day numbers: no overflow at year 1


def date_holds(operator: Operator, day: int, window: TimeWindow) -> bool:
    """A recorded date against its window: no time has run from a date after it was observed."""
    return day <= window.observed and operator.func(day, window.threshold)


def count_decision(operator: Operator, operand: int, known: int, unknown: int) -> bool | None:
    """A count of `known` matching items; `unknown` more could not be judged.

    Items that cannot be judged could still change a failing count: then it is unknown.
    """
    if operator.func(known, operand):
        return True
    could_change = any(operator.func(known + extra, operand) for extra in range(1, unknown + 1))
    return None if could_change else False


def quantified(kind: str, values: list[bool | None]) -> bool | None:
    """`some`, `every` or `none` over the items' values, in Kleene's logic."""
    if kind == "some":
        return True if True in values else (None if None in values else False)
    wanted = kind == "every"  # every: each item matches; none: no item matches
    if (not wanted) in values:  # `in` compares by ==, and values are only True/False/None
        return False
    return None if None in values else True
