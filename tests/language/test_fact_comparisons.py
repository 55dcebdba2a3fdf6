"""Fact references as operands: compiling, what is refused (file:line), words, examples."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

import pytest
from tests.support.project import POLICY_HEAD, write_project

from gatecheck.commands.history.reads import facts_read
from gatecheck.commands.validate import validate_project
from gatecheck.language.conditions import FactComparison, FactTest, Offset
from gatecheck.language.examples import example, schema_placeholder
from gatecheck.language.leaves import comparison_decision
from gatecheck.language.wording import describe
from gatecheck.project.layout import open_project

if TYPE_CHECKING:
    from pathlib import Path

SCHEMA = json.dumps(
    {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "release": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "date": {"type": "string", "format": "date"},
                    "name": {"type": "string"},
                    "count": {"type": "integer"},
                },
            },
            "docs": {"type": "string", "format": "date"},
            "total": {"type": "integer"},
            "builds": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "on": {"type": "string", "format": "date"},
                        "tests": {"type": "integer"},
                    },
                },
            },
        },
    }
)
GATE = "gates:\n  - id: g\n    title: G\n    source: s\n    rules:\n"
RULE = "      - {id: r, title: R, source: s, require: %s}\n"  # line 11 of the policy


def problems(tmp_path: Path, require: str) -> list[tuple[str, int, int, str]]:
    root = write_project(tmp_path, POLICY_HEAD + GATE + RULE % require, {}, SCHEMA)
    found = validate_project(open_project(str(root))).problems
    return [(p.code, p.location.line, p.location.column, p.message) for p in found]


@pytest.mark.parametrize(
    "require",
    [
        "{fact: docs, lte: {fact: release.date, minus: 1d}}",
        "{fact: release.date, gte: {fact: docs, plus: 2w}}",
        "{fact: total, eq: {fact: release.count}}",
        "{fact: total, gt: {fact: release.count, minus: 0.5}}",
        "{fact: release.name, ne: {fact: release.name}}",
        "{every: {fact: builds, where: {fact: $item.on, lte: {fact: docs, minus: 1d}}}}",
        "{some: {fact: builds, where: {fact: $item.tests, eq: {fact: $item.tests}}}}",
    ],
)
def test_valid_references(tmp_path: Path, require: str) -> None:
    assert problems(tmp_path, require) == []


@pytest.mark.parametrize(
    ("require", "code", "column", "words"),
    [
        (
            "{fact: docs, lte: {fact: release.date, minus: 1d, by: 2}}",
            "unknown-key",
            97,
            "unknown key 'by'",
        ),
        (
            "{fact: docs, lte: {fact: release.dat}}",
            "unknown-fact",
            72,
            "fact 'release.dat' is not in the policy's facts schema ('release' has no 'dat')",
        ),
        (
            "{fact: docs, lte: {fact: release.date, minus: 1}}",
            "bad-operand",
            93,
            (
                "fact 'release.date' is a date in the facts schema; a number (minus: 1) offsets "
                "only a number"
            ),
        ),
        (
            "{fact: total, lte: {fact: release.count, plus: 1w}}",
            "bad-operand",
            94,
            (
                "fact 'release.count' is a number in the facts schema; a duration (plus: 1w) "
                "offsets only a date"
            ),
        ),
        (
            "{fact: release.name, eq: {fact: release.name, plus: 1}}",
            "bad-operand",
            99,
            (
                "fact 'release.name' is a string in the facts schema; a number (plus: 1) offsets "
                "only a number"
            ),
        ),
        (
            "{fact: total, lte: {fact: release.count, plus: 1, minus: 2}}",
            "bad-operand",
            97,
            "a fact reference takes `plus` or `minus`, not both",
        ),
        (
            "{fact: total, lte: {fact: release.count, plus: true}}",
            "bad-operand",
            94,
            "'plus' takes a duration (7d, 2w) or a number, not true",
        ),
        (
            "{fact: total, lt: {fact: docs}}",
            "bad-operand",
            65,
            (
                "fact 'total' is a number and fact 'docs' is a date in the facts schema: 'lt' "
                "cannot compare them"
            ),
        ),
        (
            "{fact: docs, lt: {fact: release.date, plus: 1}}",  # the shifted value is a number
            "bad-operand",
            91,
            (
                "fact 'release.date' is a date in the facts schema; a number (plus: 1) offsets "
                "only a number"
            ),
        ),
        (
            "{fact: total, in: {fact: release.count}}",
            "bad-operand",
            65,
            "'in' takes a list, not a map",
        ),
        (
            "{fact: total, gte: {facts: release.count}}",
            "bad-operand",
            66,
            "'gte' takes a value or another fact, not a map without `fact`",
        ),
        (  # inside a quantifier, an item's fact is checked against the item's schema
            "{every: {fact: builds, where: {fact: $item.tests, lte: {fact: $item.on, minus: 1}}}}",
            "bad-operand",
            126,
            (
                "fact '$item.on' is a date in the facts schema; a number (minus: 1) offsets only a "
                "number"
            ),
        ),
        (
            "{some: {fact: builds, where: {fact: $item.on, eq: {fact: $item.nope}}}}",
            "unknown-fact",
            104,
            "fact '$item.nope' is not in the policy's facts schema",
        ),
        (
            "{fact: total, eq: {fact: $item.tests}}",
            "unknown-variable",
            72,
            "'$item' is not defined here",
        ),
    ],
)
def test_refused_references(
    tmp_path: Path, require: str, code: str, column: int, words: str
) -> None:
    assert problems(tmp_path, require) == [(code, 11, column, words)]


def test_a_reference_is_checked_whatever_additional_properties_says(tmp_path: Path) -> None:
    open_schema = json.dumps({"type": "object", "properties": {"total": {"type": "integer"}}})
    root = write_project(
        tmp_path, POLICY_HEAD + GATE + RULE % "{fact: total, eq: {fact: totl}}", {}, open_schema
    )
    (found,) = validate_project(open_project(str(root))).problems
    assert (found.code, found.location.line) == ("unknown-fact", 11)


# -- words, examples and the facts a rule reads ---------------------------------------------------


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (
            {"fact": "docs.built_on", "lte": {"fact": "release.date", "minus": "1d"}},
            "docs.built_on ≤ release.date minus 1 day",
        ),
        (
            {"fact": "release.date", "gte": {"fact": "freeze.date", "plus": "2w"}},
            "release.date ≥ freeze.date plus 2 weeks",
        ),
        ({"fact": "a", "eq": {"fact": "b"}}, "a = b"),
        ({"fact": "a", "gt": {"fact": "b", "minus": 0.5}}, "a > b minus 0.5"),
    ],
)
def test_words(condition_of: Any, data: dict[str, Any], words: str) -> None:
    assert describe(condition_of(data)) == [words]


def test_the_compiled_reference(condition_of: Any) -> None:
    found = condition_of({"fact": "a", "lte": {"fact": "$item.b", "minus": "2w"}})
    assert isinstance(found, FactComparison)
    assert (found.fact.text, found.operator.name, found.other.text) == ("a", "lte", "$item.b")
    assert found.offset == Offset(-1, "2w", 14)
    literal = condition_of({"fact": "a", "eq": 3})
    assert isinstance(literal, FactTest)


NOW = dt.date(2026, 11, 24)


@pytest.mark.parametrize(
    ("data", "facts"),
    [
        (
            {"fact": "docs", "lte": {"fact": "release", "minus": "1d"}},  # no schema: a date
            {"release": NOW, "docs": dt.date(2026, 11, 23)},
        ),
        (
            {"fact": "release", "gt": {"fact": "freeze", "plus": "2w"}},
            {"freeze": NOW, "release": dt.date(2026, 12, 9)},
        ),
        ({"fact": "passed", "eq": {"fact": "total"}}, {"total": "example", "passed": "example"}),
        ({"fact": "after", "gte": {"fact": "before", "minus": 0.5}}, {"before": 10, "after": 9.5}),
        ({"fact": "a", "ne": {"fact": "b"}}, {"b": "example", "a": "not-example"}),
        (  # the other fact's value set by another part is kept
            {"all": [{"fact": "total", "eq": 7}, {"fact": "passed", "lt": {"fact": "total"}}]},
            {"total": 7, "passed": 6},
        ),
        (
            {"some": {"fact": "l", "where": {"fact": "$item.a", "lt": {"fact": "$item.b"}}}},
            {"l": [{"b": 10, "a": 9}]},
        ),
    ],
)
def test_examples_pass(condition_of: Any, data: dict[str, Any], facts: dict[str, Any]) -> None:
    condition = condition_of(data)
    found = example(condition, NOW, lambda _step: None)
    assert (found.facts, found.missing) == (facts, [])
    comparisons = [condition] if isinstance(condition, FactComparison) else []
    for test in comparisons:
        value = comparison_decision(test, facts[test.fact.text], facts[test.other.text]).value
        assert value is True


def test_an_example_takes_the_other_facts_type_from_the_schema(condition_of: Any) -> None:
    schema = json.loads(SCHEMA)
    condition = condition_of({"fact": "release.name", "eq": {"fact": "release.name"}})
    found = example(condition, NOW, lambda _step: None, schema_placeholder(schema))
    assert found.facts == {"release": {"name": "example"}}
    condition = condition_of({"fact": "total", "lte": {"fact": "release.count"}})
    found = example(condition, NOW, lambda _step: None, schema_placeholder(schema))
    assert found.facts == {"release": {"count": 1}, "total": 1}
    assert found.notes == {"total": "total ≤ release.count"}


def test_no_example_for_an_item_compared_with_a_fact_outside_it(condition_of: Any) -> None:
    data = {"some": {"fact": "l", "where": {"fact": "$item.a", "lt": {"fact": "b"}}}}
    found = example(condition_of(data), NOW, lambda _step: None)
    assert found.missing == [
        (
            "at least one item of l has the item.a < b: a comparison of a fact outside the item, "
            "in a quantifier"
        )
    ]


def test_facts_read_include_the_referenced_fact(condition_of: Any) -> None:
    data = {
        "all": [
            {"fact": "docs", "lte": {"fact": "release.date", "minus": "1d"}},
            {"some": {"fact": "l", "where": {"fact": "$item.a", "eq": {"fact": "wanted"}}}},
        ]
    }
    policy = type("Policy", (), {"steps_by_id": {}})()
    assert facts_read(condition_of(data), policy) == {"docs", "release.date", "l", "wanted"}
