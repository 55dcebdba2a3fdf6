"""language/leaves.py: how each kind of test decides, in Kleene's three values."""

from __future__ import annotations

from typing import Any

import pytest

from gatecheck.language.evidence import MISSING
from gatecheck.language.leaves import count_decision, fact_decision, quantified
from gatecheck.language.operators import OPERATORS


@pytest.mark.parametrize(
    ("data", "actual", "value"),
    [
        ({"fact": "a", "eq": 1}, 1, True),
        ({"fact": "a", "eq": 1}, True, False),  # strict kinds: true is not 1
        ({"fact": "a", "eq": 1}, MISSING, None),
        ({"fact": "a", "exists": False}, MISSING, True),
        ({"fact": "a", "exists": True}, MISSING, False),
    ],
)
def test_fact_decision(condition_of: Any, data: dict[str, Any], actual: Any, value: Any) -> None:
    decision = fact_decision(condition_of(data), actual)
    assert decision.value is value
    assert decision.not_comparable is None


def test_values_that_cannot_be_compared_do_not_pass(condition_of: Any) -> None:
    decision = fact_decision(condition_of({"fact": "a", "matches": "^x"}), 3)
    assert decision.value is False
    assert str(decision.not_comparable) == "a number cannot match a regular expression"


@pytest.mark.parametrize(
    ("kind", "values", "value"),
    [
        ("some", [False, True], True),
        ("some", [False, None], None),
        ("some", [], False),
        ("every", [True, None], None),
        ("every", [None, False], False),
        ("none", [False, False], True),
        ("none", [None, True], False),
    ],
)
def test_quantified(kind: str, values: list[bool | None], value: bool | None) -> None:
    assert quantified(kind, values) is value


@pytest.mark.parametrize(
    ("operator", "operand", "known", "unknown", "value"),
    [
        ("gte", 2, 2, 0, True),
        ("gte", 2, 1, 1, None),  # the unjudged item could make it pass
        ("gte", 2, 0, 1, False),
        ("lt", 1, 1, 3, False),  # more items can never lower the count
    ],
)
def test_count_decision(operator: str, operand: int, known: int, unknown: int, value: Any) -> None:
    assert count_decision(OPERATORS[operator], operand, known, unknown) is value
