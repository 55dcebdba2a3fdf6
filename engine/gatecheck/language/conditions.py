"""Conditions as the engine holds them: fact tests, counts, quantifiers, logic, steps, attestations.

`condition_compiler` builds them from a policy file's data; `evaluation` judges them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple, assert_never

if TYPE_CHECKING:
    from collections.abc import Iterator

    from gatecheck.errors import Location
    from gatecheck.language.operators import Operator

ITEM = "$item"
KEY = "$key"


class FactRef(NamedTuple):
    """A fact path: `proposal.phase`, or `$item.exposed` / `$key` inside a quantifier."""

    text: str
    variable: str | None  # ITEM, KEY or None for a path from the evidence's `facts`
    parts: tuple[str, ...]
    watched: bool = False  # a `freshness` entry of the policy covers it: reads check staleness


class FactTest(NamedTuple):
    fact: FactRef
    operator: Operator
    operand: Any
    location: Location
    hint: str | None = None  # the condition's `hint:`, what to do when it decides


class TimeTest(NamedTuple):
    fact: FactRef
    operator: Operator
    days: int
    duration: str
    location: Location
    hint: str | None = None  # the condition's `hint:`, what to do when it decides


class Offset(NamedTuple):
    """`plus` or `minus` on a fact reference: a duration for a date, a number for a number."""

    sign: int  # 1 for `plus`, -1 for `minus`
    amount: Any  # as written: `1d` / `2w`, or a number
    days: int | None  # the duration in days; None for a number


class FactComparison(NamedTuple):
    """A fact compared with another fact: `{fact: a, lte: {fact: b, minus: 1d}}`."""

    fact: FactRef
    operator: Operator
    other: FactRef
    offset: Offset | None
    location: Location
    hint: str | None = None  # the condition's `hint:`, what to do when it decides


class CountTest(NamedTuple):
    over: FactRef
    where: Condition | None
    operator: Operator
    operand: int
    location: Location
    hint: str | None = None  # the condition's `hint:`, what to do when it decides


class Quantifier(NamedTuple):
    kind: str  # some, every, none
    over: FactRef
    where: Condition | None
    location: Location
    hint: str | None = None  # the condition's `hint:`, what to do when it decides


class AllOf(NamedTuple):
    items: tuple[Condition, ...]
    location: Location
    hint: str | None = None  # the condition's `hint:`, what to do when it decides


class AnyOf(NamedTuple):
    items: tuple[Condition, ...]
    location: Location
    hint: str | None = None  # the condition's `hint:`, what to do when it decides


class Not(NamedTuple):
    item: Condition
    location: Location
    hint: str | None = None  # the condition's `hint:`, what to do when it decides


class StepDone(NamedTuple):
    step: str
    location: Location
    hint: str | None = None  # the condition's `hint:`, what to do when it decides


class Attested(NamedTuple):
    judgement: str
    group: str | None
    reviewers: frozenset[str] | None
    at_least: int
    within_days: int | None
    location: Location
    hint: str | None = None  # the condition's `hint:`, what to do when it decides


Condition = (
    FactTest
    | FactComparison
    | TimeTest
    | CountTest
    | Quantifier
    | AllOf
    | AnyOf
    | Not
    | StepDone
    | Attested
)


def step_references(condition: Condition) -> Iterator[StepDone]:
    """Every `{step: ...}` inside a condition, for the dependency check."""
    stack: list[Condition] = [condition]
    while stack:
        node = stack.pop()
        match node:
            case StepDone():
                yield node
            case AllOf(items=items) | AnyOf(items=items):
                stack.extend(items)
            case Not(item=item):
                stack.append(item)
            case CountTest(where=where) | Quantifier(where=where):
                if where is not None:
                    stack.append(where)
            case FactTest() | FactComparison() | TimeTest() | Attested():
                pass
            case _:
                assert_never(node)
