"""Compiled conditions and deferred explanations: same answers as the explaining evaluator."""

import datetime as dt
from typing import Any

import pytest
from tests.support.reference import evaluator_for, ref, reference
from tests.support.strategies import (
    HERE,
    comparable_facts,
    comparisons_strategy,
    conditions_strategy,
    facts_strategy,
    fuzz,
)

from gatecheck.evaluation.compiled import judge_of
from gatecheck.evaluation.rule_results import Detail, Explanation, RuleResult, Verdict
from gatecheck.language import conditions as c
from gatecheck.language.operators import OPERATORS


@fuzz(600, condition=conditions_strategy(), facts=facts_strategy)
def test_compiled_and_explaining_agree_with_the_reference(condition, facts) -> None:
    evaluator = evaluator_for(facts)
    expected = reference(condition, facts)
    assert judge_of(condition)(evaluator.truth, None) == expected  # a single test: judged once
    assert judge_of(condition)(evaluator.truth, None) == expected  # then compiled
    assert evaluator.check(condition).value == expected


@fuzz(300, condition=comparisons_strategy(), facts=comparable_facts)
def test_fact_comparisons_agree_with_the_reference(condition, facts) -> None:
    evaluator = evaluator_for(facts)
    expected = reference(condition, facts)
    assert judge_of(condition)(evaluator.truth, None) == expected
    outcome = evaluator.check(condition)
    assert outcome.value == expected
    if expected is not True:  # what does not pass is explained, naming the facts it read
        assert outcome.details
        assert outcome.details[0].message


DEEP = {
    "m": {"x": {"y": 3, "z": None}, "n": [1, "two", {"k": True}]},
    "l": [[1, 2], {"a": "b"}],
    "flag": True,
    "name": "wasm",
    "count": 2.0,
    "when": dt.date(2026, 1, 1),
    "section": {"fact": 5, "text": "x", "none": None, "list": [1]},
}


@pytest.mark.parametrize(
    ("fact", "operator", "operand", "value"),
    [
        ("m.x.y", "eq", 3, True),
        ("m.x.y", "eq", 3.0, True),
        ("m.x.y", "eq", True, False),
        ("m.x.z", "eq", 3, None),  # null is not recorded
        ("m.x.y.deeper", "eq", 3, None),
        ("m.n.1", "eq", "two", True),  # a digit indexes a list
        ("m.n.2.k", "eq", True, True),
        ("m.n.9", "eq", 1, None),
        ("l.0.1", "gte", 2, True),
        ("l.1.a", "in", ["a", "b"], True),
        ("l.1.a", "not_in", ["a", "b"], False),
        ("flag", "eq", True, True),
        ("flag", "eq", 1, False),  # `true` is not `1`
        ("flag", "gte", 0, False),  # a boolean cannot be ordered
        ("count", "eq", 2, True),
        ("count", "lt", 2, False),
        ("name", "eq", "wasm", True),
        ("name", "gt", 1, False),
        ("name", "in", ["wasm", 1], True),
        ("name", "in", [1, 2], False),
        ("when", "lt", dt.date(2026, 2, 1), True),
        ("when", "eq", "2026-01-01", False),
        ("section.fact", "gte", 5, True),
        ("section.fact", "eq", True, False),
        ("section.text", "in", ["x"], True),
        ("section.none", "eq", 1, None),
        ("section.absent", "ne", 1, None),
        ("section.list", "contains", 1, True),
        ("name.fact", "eq", 1, None),  # a string has no fields
        ("absent.fact", "eq", 1, None),
        ("section.fact", "exists", True, True),
        ("m", "exists", True, True),
        ("absent", "exists", False, True),
    ],
)
def test_compiled_fact_tests(fact: str, operator: str, operand: Any, value: bool | None) -> None:
    test = c.FactTest(ref(fact), OPERATORS[operator], operand, HERE)
    evaluator = evaluator_for(DEEP)
    first, compiled = judge_of(test), judge_of(test)
    assert first is not compiled
    assert first(evaluator.truth, None) is value
    assert compiled(evaluator.truth, None) is value
    assert evaluator.check(test).value is value


def test_item_and_key_paths_inside_quantifiers() -> None:
    evaluator = evaluator_for(DEEP)
    has_k = c.FactTest(ref("$item.k"), OPERATORS["eq"], True, HERE)
    key_is_one = c.FactTest(ref("$key"), OPERATORS["eq"], 1, HERE)
    first_is_two = c.FactTest(ref("$item.1"), OPERATORS["eq"], 2, HERE)
    cases: list[tuple[c.Condition, bool | None]] = [
        (c.Quantifier("some", ref("m.n"), has_k, HERE), True),
        (c.Quantifier("every", ref("m.n"), has_k, HERE), None),
        (c.Quantifier("some", ref("m.n"), key_is_one, HERE), True),
        (c.Quantifier("none", ref("l"), first_is_two, HERE), False),
        (c.CountTest(ref("name"), None, OPERATORS["eq"], 0, HERE), False),  # not a collection
    ]
    for condition, value in cases:
        assert judge_of(condition)(evaluator.truth, None) is value
        assert evaluator.check(condition).value is value


def test_a_condition_is_compiled_once() -> None:
    test = c.FactTest(ref("flag"), OPERATORS["eq"], True, HERE)
    judge_of(test)  # the first use of a single test judges it without compiling
    assert judge_of(test) is judge_of(test)
    both = c.AllOf((test, test), HERE)
    assert judge_of(both) is judge_of(both)  # anything else compiles on its first use
    equal_but_another = c.FactTest(ref("flag"), OPERATORS["eq"], True, HERE)
    judge_of(equal_but_another)
    assert judge_of(equal_but_another) is not judge_of(test)


# -- deferred explanations ------------------------------------------------------------------------


def test_an_explanation_is_built_once_and_only_when_read() -> None:
    calls = []
    detail = Detail("x is 1", "x", "== 1", 1)

    def explain():
        calls.append(1)
        return Explanation("x is 1", (detail,), {"file": "f"})

    result = RuleResult("r", "R", "seed", Verdict.PASS, explain=explain)
    assert calls == []
    assert result.status is Verdict.PASS
    assert calls == []
    assert result.message == "x is 1"
    assert result.primary == detail
    assert result.provenance == {"file": "f"}
    assert calls == [1]
    eager = RuleResult(
        "r",
        "R",
        "seed",
        Verdict.PASS,
        message="x is 1",
        details=(detail,),
        provenance={"file": "f"},
    )
    assert result == eager
    assert repr(result) == repr(eager)
    assert "message='x is 1'" in repr(result)
    assert result != eager.values()
    with pytest.raises(TypeError):
        hash(result)
