"""A fact compared with another fact, explained: both values, the shifted one, and where each is.

`docs.built_on is 2026-03-05; expected on or before release.date - 1d (2026-03-03;
release.date is 2026-03-04)`. The first detail says it all and is located at the compared fact
(or, when a fact is absent, names that fact, so the rule says what to record); the second
locates the other fact.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from gatecheck.evaluation.outcomes import Outcome, leaf, stale
from gatecheck.language.evidence import MISSING
from gatecheck.language.leaves import comparison_decision, shifted
from gatecheck.language.operators import NotComparableError
from gatecheck.language.values import show
from gatecheck.language.wording import expectation

if TYPE_CHECKING:
    from gatecheck.evaluation.explainer import Explainer
    from gatecheck.evaluation.outcomes import FactRead
    from gatecheck.language.conditions import FactComparison, Offset
    from gatecheck.language.evidence import Scope


def offset_words(offset: Offset | None) -> str:
    """` - 1d`, ` + 2w`, ` - 0.5`, or nothing: the offset as it reads after the fact."""
    if offset is None:
        return ""
    return f" {'+' if offset.sign > 0 else '-'} {show(offset.amount)}"


def comparison_outcome(evaluator: Explainer, test: FactComparison, scope: Scope | None) -> Outcome:
    """Both facts read; the test explained with each value, and the other one shifted."""
    read = evaluator.read(test.fact, scope)
    other = evaluator.read(test.other, scope)
    evidence = evaluator.evidence
    # `expected` is the JSON field, in the operator's symbols; `wanted` is said to people
    expected = f"{test.operator.symbol} {other.name}{offset_words(test.offset)}"
    of_dates = (
        isinstance(read.actual, dt.date)
        or isinstance(other.actual, dt.date)
        or (test.offset is not None and test.offset.days is not None)  # a duration shifts a date
    )
    wanted = expectation(
        test.operator.name, f"{other.name}{offset_words(test.offset)}", of_dates=of_dates
    )
    for each in (read, other):
        if each.stale is not None:
            return stale(evidence, each, expected, test.location, wanted)
    decision = comparison_decision(test, read.actual, other.actual)
    said = f"{read.name} is {'not recorded' if read.actual is MISSING else show(read.actual)}"
    first, second = read, other
    if other.actual is MISSING:
        message = f"{said}; expected {wanted}, and {other.name} is not recorded"
        first, second = (read, other) if read.actual is MISSING else (other, read)
    elif decision.value:
        message = f"{said}, {wanted} ({_value_of(test, other)})"
    elif decision.not_comparable is not None and _shifts(test, other):
        # the values are of kinds the operator cannot compare (the offset itself applied)
        message = f"{said}: {decision.not_comparable} ({_value_of(test, other)})"
    else:
        message = f"{said}; expected {wanted} ({_value_of(test, other)})"
    main = leaf(evidence, first, expected, message, test.location, value=decision.value)
    also = f"{second.name} is {'not recorded' if second.actual is MISSING else show(second.actual)}"
    located = leaf(evidence, second, expected, also, test.location, value=decision.value)
    return Outcome(decision.value, main.details + located.details)


def _shifts(test: FactComparison, other: FactRead) -> bool:
    try:
        shifted(other.actual, test.offset)
    except NotComparableError:
        return False
    return True


def _value_of(test: FactComparison, other: FactRead) -> str:
    """`release.date is 2026-03-04`, with the shifted value first when there is an offset."""
    own = f"{other.name} is {show(other.actual)}"
    if test.offset is None:
        return own
    try:
        return f"{show(shifted(other.actual, test.offset))}; {own}"
    except NotComparableError as error:
        return f"{own}: {error}"
