"""Operands checked against the values a facts schema lists, and numbers that are not finite.

From a new user's trial: `eq: opne` against `status: {enum: [open, closed]}` passed validate and
made a security rule pass; `.nan` was accepted as a number and shown as null (absent).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pytest
from tests.support.project import POLICY_HEAD, write_project

from gatecheck.commands.validate import validate_project
from gatecheck.project.layout import open_project

if TYPE_CHECKING:
    from pathlib import Path

    from gatecheck.errors import Problem

GATE = "gates:\n  - id: g\n    title: G\n    source: s\n    rules:\n"
RULE = "      - {id: r, title: R, source: s, require: %s}\n"
SCHEMA = """{"type": "object", "properties": {
  "advisories": {"type": "array", "items": {"type": "object", "properties": {
     "status": {"enum": ["open", "closed"]},
     "severity": {"$ref": "#/$defs/severity"}}}},
  "tags": {"type": "array", "items": {"enum": ["alpha", "beta"]}},
  "kind": {"anyOf": [{"const": "small"}, {"const": "large"}]},
  "size": {"enum": ["tiny", "huge"]},
  "shape": {"enum": ["large", "round"]},
  "free": {"type": "string"},
  "count": {"type": "number"},
  "released": {"type": "string", "format": "date"}
 },
 "$defs": {"severity": {"type": "string", "enum": ["low", "high", "critical"]}}}"""
ADVISORIES = "{none: {fact: advisories, where: %s}}"


def found(tmp_path: Path, require: str, evidence: dict[str, str] | None = None) -> list[Problem]:
    policy = POLICY_HEAD + GATE + RULE % require
    root = write_project(tmp_path, policy, evidence or {}, SCHEMA)
    return list(validate_project(open_project(str(root))).problems)


@pytest.mark.parametrize(
    ("require", "message", "hint"),
    [
        (
            ADVISORIES % "{fact: $item.status, eq: opne}",
            "fact '$item.status' can never be opne: the facts schema allows only open, closed",
            "did you mean 'open'? the values allowed: open, closed",
        ),
        (  # through a $ref, each item of the list
            ADVISORIES % "{fact: $item.severity, in: [hihg, critical]}",
            (
                "fact '$item.severity' can never be hihg: the facts schema allows only low, high,"
                " critical"
            ),
            "did you mean 'high'? the values allowed: low, high, critical",
        ),
        (  # anyOf of consts; ne would always pass
            "{fact: kind, ne: smal}",
            "fact 'kind' can never be smal: the facts schema allows only small, large",
            "did you mean 'small'? the values allowed: small, large",
        ),
        (
            "{fact: kind, not_in: [1]}",
            "fact 'kind' can never be 1: the facts schema allows only small, large",
            "the values allowed: small, large",
        ),
        (  # a list whose items have an enum
            "{fact: tags, contains: gamma}",
            (
                "fact 'tags' can never contain gamma: the facts schema allows its items only alpha,"
                " beta"
            ),
            "the values allowed: alpha, beta",
        ),
    ],
)
def test_an_operand_the_schema_cannot_hold_is_located(
    tmp_path: Path, require: str, message: str, hint: str
) -> None:
    problems = found(tmp_path, require)
    assert [(p.code, p.message, p.hint) for p in problems] == [("bad-operand", message, hint)]
    assert problems[0].location.path == "policies/t.yaml"
    assert problems[0].location.line == 11


@pytest.mark.parametrize(
    "require",
    [
        ADVISORIES % "{all: [{fact: $item.status, eq: open}, {fact: $item.severity, in: [high]}]}",
        "{fact: kind, in: [small, large]}",
        "{fact: tags, contains: beta}",
        "{fact: free, eq: anything}",  # no list of values: any string may be recorded
        "{fact: kind, eq: {fact: shape}}",  # large in both
        "{fact: kind, eq: {fact: free}}",
    ],
)
def test_values_the_schema_allows_pass(tmp_path: Path, require: str) -> None:
    assert found(tmp_path, require) == []


@pytest.mark.parametrize(("operator", "outcome"), [("eq", "never passes"), ("ne", "always passes")])
def test_two_facts_with_no_value_in_common_are_never_equal(
    tmp_path: Path, operator: str, outcome: str
) -> None:
    problems = found(tmp_path, f"{{fact: kind, {operator}: {{fact: size}}}}")
    assert [(p.code, p.message) for p in problems] == [
        (
            "bad-operand",
            (
                "fact 'kind' takes only small, large and fact 'size' only tiny, huge in the facts"
                f" schema: they are never equal, so '{operator}' {outcome}"
            ),
        )
    ]


@pytest.mark.parametrize(
    ("operator", "message"),
    [
        ("in", "an empty list: the test can never pass"),
        ("not_in", "an empty list: the test always passes"),
    ],
)
def test_an_empty_list_is_a_problem(tmp_path: Path, operator: str, message: str) -> None:
    problems = found(tmp_path, f"{{fact: free, {operator}: []}}")
    assert [(p.code, p.message, p.location.column) for p in problems] == [
        ("bad-operand", message, 62 + len(operator))
    ]
    assert problems[0].hint


@pytest.mark.parametrize("operand", [".nan", ".inf", "-.inf", "[1, .nan]"])
def test_a_policy_operand_must_be_a_finite_number(tmp_path: Path, operand: str) -> None:
    operator = "in" if operand.startswith("[") else "lt"
    problems = found(tmp_path, f"{{fact: count, {operator}: {operand}}}")
    shown = ".nan" if "nan" in operand else operand
    assert [(p.code, p.message, p.hint) for p in problems] == [
        ("bad-operand", f"`{shown}` is not a finite number", "compare with a finite number")
    ]


def test_an_offset_must_be_a_finite_number(tmp_path: Path) -> None:
    problems = found(tmp_path, "{fact: count, lt: {fact: count, plus: .inf}}")
    assert [p.code for p in problems] == ["bad-operand"]


@pytest.mark.parametrize("value", [".nan", ".NaN", ".inf", "-.Inf", "[1, .nan]", "{x: .inf}"])
def test_evidence_refuses_numbers_that_are_not_finite(tmp_path: Path, value: str) -> None:
    evidence = f"subject: s\npolicy: t\nfacts:\n  extra:\n    v: {value}\n"
    policy = POLICY_HEAD + GATE + RULE % "{fact: free, eq: a}"
    root = write_project(tmp_path, policy, {"s": evidence})
    problems = validate_project(open_project(str(root))).problems
    assert len(problems) == 1
    problem = problems[0]
    assert problem.code == "bad-value"
    assert problem.message.endswith("is not a finite number: record null for an unknown value")
    assert problem.message.startswith(("`.nan`", "`.inf`", "`-.inf`"))
    assert (problem.location.path, problem.location.line) == ("evidence/s.yaml", 5)


@pytest.mark.parametrize(
    ("require", "column"),
    [("{fact: released, not_in: ['2026-12-11']}", 72), ("{fact: released, lte: '2026-01-01'}", 69)],
)
def test_a_quoted_date_is_told_to_be_unquoted(tmp_path: Path, require: str, column: int) -> None:
    problems = found(tmp_path, require)
    assert [(p.code, p.location.column) for p in problems] == [("bad-operand", column)]
    date = dt.date(2026, 12, 11) if "12-11" in require else dt.date(2026, 1, 1)
    assert problems[0].hint == (
        f"'{date}' is quoted, so it is a string, not a date: write the date without quotes ({date})"
    )


@pytest.mark.parametrize("operator", ["in", "not_in"])
def test_a_list_operator_given_a_fact_says_which_operators_take_one(
    tmp_path: Path, operator: str
) -> None:
    problems = found(tmp_path, f"{{fact: free, {operator}: {{fact: free}}}}")
    assert [p.code for p in problems] == ["bad-operand"]
    assert problems[0].hint == (
        f"'{operator}' takes a literal list; only eq, ne, gt, gte, lt, lte take another fact"
        " ({fact: a, eq: {fact: b}})"
    )
