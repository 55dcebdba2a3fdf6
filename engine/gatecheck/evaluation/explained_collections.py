"""Quantifiers and counts explained: which items decide, and what each of them shows.

Values come from the compiled judges (through `Truth`); only the items that decide are explained.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gatecheck.evaluation.outcomes import Outcome, dotted, indexes, join, leaf, stale
from gatecheck.evaluation.rule_results import Detail
from gatecheck.language.evidence import MISSING, items_of
from gatecheck.language.leaves import count_decision, quantified
from gatecheck.language.values import show
from gatecheck.language.wording import count_expectation, how_many

if TYPE_CHECKING:
    from gatecheck.errors import Location
    from gatecheck.evaluation.explainer import Explainer
    from gatecheck.evaluation.outcomes import FactRead
    from gatecheck.language.conditions import Condition, CountTest, Quantifier
    from gatecheck.language.evidence import Scope

NO_ITEM_MATCHES = "no item matches"  # the `expected` of an item that matches where none may


def quantifier_outcome(evaluator: Explainer, condition: Quantifier, scope: Scope | None) -> Outcome:
    """`some`, `every` or `none`: the item that decides, or the items that cannot be judged."""
    read = evaluator.read(condition.over, scope)
    items = _items(evaluator, read, condition.location)
    if isinstance(items, Outcome):
        return items
    where = condition.where
    values = _values(evaluator, where, items)
    value = quantified(condition.kind, values)
    if value is None:
        unknown = indexes(values, None)
        return Outcome(None, join(_item_outcome(evaluator, where, items[i]) for i in unknown))
    over = dotted(read.path)
    if condition.kind == "some":
        if value:
            return _item_outcome(evaluator, where, items[values.index(True)])
        detail = Detail(
            f"no item of {over} matches; expected at least one",
            fact=over,
            expected="some item matches",
            actual=len(items),
            location=evaluator.evidence.locate_fact(read.path),
            policy_location=condition.location,
        )
        return Outcome(value=False, details=(detail,))
    if value:
        return Outcome(value=True, details=())
    wanted = condition.kind == "every"  # every: each item matches; none: no item matches
    item = items[values.index(not wanted)]
    outcome = _item_outcome(evaluator, where, item)
    return outcome if wanted else _offender(evaluator, item, outcome, over, condition.location)


def count_outcome(evaluator: Explainer, test: CountTest, scope: Scope | None) -> Outcome:
    """A count: how many items match, and the items that cannot be judged when they could matter."""
    read = evaluator.read(test.over, scope)
    items = _items(evaluator, read, test.location)
    if isinstance(items, Outcome):
        return items
    values = _values(evaluator, test.where, items)
    known = values.count(True)
    unknown = indexes(values, None)
    path = read.path
    expected = f"count {test.operator.symbol} {test.operand}"
    value = count_decision(test.operator, test.operand, known, len(unknown))
    if test.where is None:  # every item counts: say how many there are
        message = f"{dotted(path)} has {how_many(known, 'item')}"
    else:
        verb = "matches" if known in {0, 1} else "match"
        message = f"{how_many(known, 'item')} of {dotted(path)} {verb}"
    if value is None:
        message += f" and {len(unknown)} cannot be judged"
    if not value:
        message += f"; expected {count_expectation(test.operator.name, test.operand)}"
    detail = Detail(
        message,
        fact=dotted(path),
        expected=expected,
        actual=known,
        location=evaluator.evidence.locate_fact(path),
        policy_location=test.location,
    )
    if value is not None:
        return Outcome(value, (detail,))
    unjudged = join(_item_outcome(evaluator, test.where, items[i]) for i in unknown)
    return Outcome(value, (detail, *unjudged))


def _items(evaluator: Explainer, read: FactRead, where: Location) -> list[Scope] | Outcome:
    """The items of a collection fact, or the outcome when there is no collection to judge."""
    evidence, collection = evaluator.evidence, read.actual
    if read.stale is not None:
        return stale(evidence, read, "a list or map", where, "a list or map")
    if collection is MISSING:
        message = f"{read.name} is not recorded; expected a list or map"
        return leaf(evidence, read, "a list or map", message, where, value=None)
    items = items_of(collection, read.path)
    if items is not None:
        return items
    message = f"{read.name} is {show(collection)}; expected a list or map"
    return leaf(evidence, read, "a list or map", message, where, value=False)


def _values(evaluator: Explainer, where: Condition | None, items: list[Scope]) -> list[bool | None]:
    if where is None:
        return [True] * len(items)
    return [evaluator.truth.holds(where, item) for item in items]


def _item_outcome(evaluator: Explainer, where: Condition | None, item: Scope) -> Outcome:
    return Outcome(value=True, details=()) if where is None else evaluator.check(where, item)


def _offender(
    evaluator: Explainer, item: Scope, outcome: Outcome, over: str, where: Location
) -> Outcome:
    """An item that matches where none may: said with the values that make it match."""
    name = dotted(item.path)
    prefix = f"{name}."
    said = [
        f"{d.fact.removeprefix(prefix)} {show(d.actual)}"
        if d.fact and d.fact.startswith(prefix) and d.recorded
        else d.message
        for d in outcome.details
    ]
    values = f" ({', '.join(said)})" if said else ""
    detail = Detail(
        f"{name}{values} is an item {over} may not have; expected none",
        fact=name,
        expected=NO_ITEM_MATCHES,
        location=evaluator.evidence.locate_fact(item.path),
        policy_location=where,
    )
    return Outcome(value=False, details=(detail, *outcome.details))
