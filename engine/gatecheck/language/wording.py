"""Conditions in words: what `gatecheck explain` shows people deciding what to record.

A pure function of the compiled conditions of `conditions`: one line per part, nested parts
indented, operands shown as the policy writes them (`values.show_as_written`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, assert_never

from gatecheck.language.conditions import (
    ITEM,
    KEY,
    AllOf,
    AnyOf,
    Attested,
    CountTest,
    FactComparison,
    FactTest,
    Not,
    Quantifier,
    StepDone,
    TimeTest,
)
from gatecheck.language.values import show_as_written

if TYPE_CHECKING:
    from gatecheck.language.conditions import Condition, FactRef

_SYMBOLS = {"eq": "=", "ne": "≠", "gt": ">", "gte": "≥", "lt": "<", "lte": "≤"}
_COUNT_WORDS = {
    "eq": "exactly",
    "ne": "other than",
    "gt": "more than",
    "gte": "at least",
    "lt": "fewer than",
    "lte": "at most",
}
_QUANTIFIER_WORDS = {"some": "at least one item", "every": "every item", "none": "no item"}


_EXPECTED_WORDS = {
    "eq": "{}",
    "ne": "anything but {}",
    "gt": "more than {}",
    "gte": "at least {}",
    "lt": "less than {}",
    "lte": "at most {}",
    "in": "one of {}",
    "not_in": "none of {}",
    "contains": "a value containing {}",
    "matches": "text matching /{}/",
}


_DATE_WORDS = {
    "gt": "after {}",
    "gte": "on or after {}",
    "lt": "before {}",
    "lte": "on or before {}",
}


def expectation(operator: str, operand: str, *, of_dates: bool = False) -> str:
    """What a fact test wants, in words, the operand already shown: `at least 4`, `true`.

    Dates are ordered in days: `on or before 2026-11-24`. Messages say this after `expected`;
    the JSON `expected` field keeps the operator's symbol.
    """
    if operator == "exists":
        return "recorded" if operand == "true" else "not recorded"
    words = _DATE_WORDS if of_dates and operator in _DATE_WORDS else _EXPECTED_WORDS
    return words.get(operator, operator.replace("_", " ") + " {}").format(operand)


def count_expectation(operator: str, operand: int) -> str:
    """What a count wants, in words: `at least 1`, `exactly 2`, `none` for `eq: 0`."""
    if operand == 0 and operator in {"eq", "lte"}:
        return "none"
    return f"{_COUNT_WORDS[operator]} {operand}"


def how_many(count: int, noun: str) -> str:
    """`no item`, `1 item`, `3 items`: a count of things in words."""
    if count == 0:
        return f"no {noun}"
    return f"{count} {noun}{'s' * (count != 1)}"


def _fact_name(ref: FactRef) -> str:
    if ref.variable == KEY:
        return "its key"
    if ref.variable == ITEM:
        return "the item" + "".join(f".{part}" for part in ref.parts) if ref.parts else "the item"
    return ref.text


def duration(days: int) -> str:
    """A number of days in words: `2 weeks`, `1 day`, `0 days` (not `0 weeks`)."""
    if days and days % 7 == 0:
        weeks = days // 7
        return f"{weeks} week{'s' * (weeks != 1)}"
    return f"{days} day{'s' * (days != 1)}"


def _leaf(test: FactTest) -> str:
    name, op, operand = _fact_name(test.fact), test.operator.name, test.operand
    if op in _SYMBOLS:
        return f"{name} {_SYMBOLS[op]} {show_as_written(operand)}"
    if op == "in":
        return f"{name} is one of {show_as_written(operand)}"
    if op == "not_in":
        return f"{name} is none of {show_as_written(operand)}"
    if op == "contains":
        return f"{name} contains {show_as_written(operand)}"
    if op == "matches":
        return f"{name} matches /{operand}/"
    if op == "exists":
        return f"{name} is recorded" if operand else f"{name} is not recorded"
    symbol = test.operator.symbol  # pragma: no cover - every operator is worded above
    return f"{name} {symbol} {show_as_written(operand)}"  # pragma: no cover


def _comparison(test: FactComparison) -> str:
    """`docs.built_on ≤ release.date minus 1 day`: the other fact, shifted, in words."""
    text = f"{_fact_name(test.fact)} {_SYMBOLS[test.operator.name]} {_fact_name(test.other)}"
    offset = test.offset
    if offset is not None:
        days = offset.days
        amount = duration(days) if days is not None else show_as_written(offset.amount)
        text += f" {'plus' if offset.sign > 0 else 'minus'} {amount}"
    return text


def _item_phrase(where: Condition | None) -> tuple[str, Condition | None]:
    """`(other than rust and c)` for key tests, and what is left of `where` to say of the item."""
    if where is None:
        return "", None
    parts = list(where.items) if isinstance(where, AllOf) else [where]
    keys = [
        part
        for part in parts
        if isinstance(part, FactTest)
        and part.fact.variable == KEY
        and part.operator.name in {"in", "not_in", "eq"}
    ]
    if not keys:
        return "", where
    phrases = []
    for part in keys:
        values = part.operand if isinstance(part.operand, list) else [part.operand]
        joined = " and ".join(show_as_written(v) for v in values)
        if part.operator.name == "not_in":
            phrases.append(f"other than {joined}")
        else:
            phrases.append(f"named {' or '.join(show_as_written(v) for v in values)}")
    rest = [part for part in parts if part not in keys]
    left: Condition | None
    if not rest:
        left = None
    elif len(rest) == 1:
        left = rest[0]
    else:
        left = AllOf(tuple(rest), where.location)
    return f" ({'; '.join(phrases)})", left


def _subject_of(kind_words: str, over: FactRef, where: Condition | None) -> tuple[str, list[str]]:
    """The opening words of a quantifier and the lines describing what each item must be."""
    keys, rest = _item_phrase(where)
    head = f"{kind_words} of {over.text}{keys}"
    if rest is None:
        return head + " exists", []
    if isinstance(rest, FactTest) and rest.fact.variable == ITEM and not rest.fact.parts:
        test = _leaf(rest).removeprefix("the item ")
        if test.startswith("= "):
            return f"{head} is {test[2:]}", []
        return f"{head} {test}", []
    lines = describe(rest)
    if len(lines) == 1:
        return f"{head} has {lines[0]}", []
    return f"{head} has:", lines


def describe(condition: Condition) -> list[str]:
    """The condition in plain words, one line per part, nested parts indented by two spaces.

    A condition's `hint:` follows its words, on a line of its own: `  (hint: ...)`.
    """
    lines = _described(condition)
    return lines if condition.hint is None else [*lines, f"  (hint: {condition.hint})"]


def _described(condition: Condition) -> list[str]:  # noqa: C901, PLR0912 - one case per kind
    match condition:
        case FactTest():
            return [_leaf(condition)]
        case FactComparison():
            return [_comparison(condition)]
        case TimeTest():
            when = "at least" if condition.operator.name == "older_than" else "less than"
            name = _fact_name(condition.fact)
            return [f"{name} is {when} {duration(condition.days)} before the judging date"]
        case AllOf() | AnyOf():
            lines = ["all of:" if isinstance(condition, AllOf) else "any of:"]
            for item in condition.items:
                inner = describe(item)
                lines.append(f"  - {inner[0]}")
                lines.extend(f"    {line}" for line in inner[1:])
            return lines
        case Not():
            inner = describe(condition.item)
            if len(inner) == 1:
                return [f"not: {inner[0]}"]
            return ["not:", *(f"  {line}" for line in inner)]
        case Quantifier():
            words = _QUANTIFIER_WORDS[condition.kind]
            head, lines = _subject_of(words, condition.over, condition.where)
            return [head, *(f"  {line}" for line in lines)]
        case CountTest():
            words = f"{_COUNT_WORDS[condition.operator.name]} {condition.operand}"
            noun = "item" if condition.operand == 1 else "items"
            if condition.where is None:  # every item counts: how many the collection has
                return [f"{_fact_name(condition.over)} has {words} {noun}"]
            head, lines = _subject_of(f"{words} {noun}", condition.over, condition.where)
            if condition.operand != 1:
                head = head.replace(" is ", " are ", 1).replace(" has", " have", 1)
            return [head, *(f"  {line}" for line in lines)]
        case StepDone():
            return [f"step {condition.step} is done"]
        case Attested():
            return [_attested(condition)]
        case _:
            assert_never(condition)


def _attested(condition: Attested) -> str:
    count = condition.at_least
    text = f"at least {count} attestation{'s' * (count != 1)} of '{condition.judgement}'"
    if condition.group is not None:
        text += f" by {condition.group}"
    if condition.within_days is not None:
        text += f", at most {duration(condition.within_days)} old"
    return text
