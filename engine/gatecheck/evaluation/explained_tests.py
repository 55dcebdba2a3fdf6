"""Fact tests and time tests explained: the value `leaves` decides, in words a person can act on.

A message says what was read and, when the test does not pass, what was expected; a time test
that will pass by itself says on which day.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from gatecheck.evaluation.outcomes import leaf, stale
from gatecheck.language.evidence import MISSING
from gatecheck.language.kinds import kind_of
from gatecheck.language.leaves import date_holds, fact_decision, time_window
from gatecheck.language.operators import day_number, from_day_number
from gatecheck.language.values import show
from gatecheck.language.wording import duration, expectation

if TYPE_CHECKING:
    from gatecheck.evaluation.explainer import Explainer
    from gatecheck.evaluation.outcomes import Outcome
    from gatecheck.language.conditions import FactTest, TimeTest
    from gatecheck.language.evidence import Scope


def fact_outcome(evaluator: Explainer, test: FactTest, scope: Scope | None) -> Outcome:
    """A fact test: the value read, and the operand it was compared with when it does not pass."""
    read = evaluator.read(test.fact, scope)
    evidence, operator = evaluator.evidence, test.operator
    exists = operator.name == "exists"
    # `expected` is the JSON field, kept in the operator's symbols; `wanted` is said to people
    expected = (
        ("recorded" if test.operand else "not recorded")
        if exists
        else f"{operator.symbol} {show(test.operand)}"
    )
    shown = test.operand if operator.name == "matches" else show(test.operand)
    wanted = expectation(operator.name, str(shown), of_dates=isinstance(test.operand, dt.date))
    if read.stale is not None:
        return stale(evidence, read, expected, test.location, wanted)
    decision = fact_decision(test, read.actual)
    if exists:
        # a recorded fact says what it is: "declared.tier is 3", not only that it is there
        state = "not recorded" if read.actual is MISSING else show(read.actual)
        message = f"{read.name} is {state}"
    elif read.actual is MISSING:
        message = f"{read.name} is not recorded; expected {wanted}"
    elif decision.not_comparable is not None:
        message = (
            f"{read.name} is {show(read.actual)}: {decision.not_comparable}; expected {wanted}"
        )
    else:
        message = f"{read.name} is {show(read.actual)}"
        if not decision.value:
            message += f"; expected {wanted}"
    return leaf(evidence, read, expected, message, test.location, value=decision.value)


def time_outcome(evaluator: Explainer, test: TimeTest, scope: Scope | None) -> Outcome:
    """A time test: the date read against its window, and the day it passes, if it will."""
    read = evaluator.read(test.fact, scope)
    evidence, observation = evaluator.evidence, evaluator.observation
    older = test.operator.name == "older_than"
    parts = test.fact.parts if test.fact.variable is None else None
    window = time_window(test, observation.observed_day(parts), observation.today)
    shown = from_day_number(window.threshold) or "a day before the year 1"
    bound = f"on or before {shown}" if older else f"after {shown}"
    expected = f"{test.operator.symbol} {test.duration} ({bound})"
    age = "at least" if older else "less than"
    wanted = f"a date {bound} ({age} {duration(test.days)} old)"
    if read.stale is not None:
        return stale(evidence, read, f"a date {expected}", test.location, wanted)
    if read.actual is MISSING:
        message = f"{read.name} is not recorded; expected {wanted}"
        return leaf(evidence, read, expected, message, test.location, value=None)
    message = f"{read.name} is {show(read.actual)}"
    if kind_of(read.actual) != "date":
        message += f", not a date; expected {wanted}"
        return leaf(evidence, read, expected, message, test.location, value=False)
    day = day_number(read.actual)
    passes_on = from_day_number(day + test.days) if older else None
    if day > window.observed:
        message += (
            f", after the day it was observed ({from_day_number(window.observed)}): no time has"
            f" run from it yet; expected {wanted}"
        )
        return leaf(
            evidence, read, expected, message, test.location, value=False, passes_on=passes_on
        )
    if date_holds(test.operator, day, window):
        return leaf(evidence, read, expected, message, test.location, value=True)
    message += f"; expected {wanted}"
    if passes_on is not None and window.until < observation.today:
        message += (
            f"; observed {from_day_number(window.until)}: passes once the evidence is re-recorded"
            f" on or after {passes_on}"
        )
    elif passes_on is not None:
        message += f"; passes on {passes_on}"
    return leaf(evidence, read, expected, message, test.location, value=False, passes_on=passes_on)
