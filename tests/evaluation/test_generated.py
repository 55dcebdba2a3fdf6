"""Gates compiled to generated Python source: the same values as the closures and the reference,
source built from generated names and reprs of plain values only, and nothing of it cached."""

import ast
import datetime as dt
import pickle
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import strategies as st
from tests.support.reference import NOW, evaluator_for, ref, reference
from tests.support.strategies import (
    HERE,
    comparable_facts,
    comparisons_strategy,
    conditions_strategy,
    facts_strategy,
    fuzz,
    steps_policy,
)

from gatecheck.evaluation.compiled import (
    GENERATE_AFTER,
    _compile,
    gate_judge,
    judge_of,
    steps_judge,
)
from gatecheck.evaluation.explaining import Evaluator
from gatecheck.evaluation.generated import MAX_NESTING, generate
from gatecheck.language import conditions as c
from gatecheck.language.evidence import Evidence
from gatecheck.language.operators import OPERATORS
from gatecheck.language.policy import Gate, Rule, Step
from gatecheck.loading.parsing import load_bytes


def generated_values(conditions: tuple[Any, ...], evaluator: Evaluator) -> tuple[Any, ...]:
    return generate(conditions, _compile, evaluator.evidence.policy.steps_by_id).function()(
        evaluator.truth
    )


@fuzz(600, conditions=st.lists(conditions_strategy(), min_size=1, max_size=4), facts=facts_strategy)
def test_generated_gates_agree_with_the_reference_and_the_closures(conditions, facts) -> None:
    evaluator = evaluator_for(facts)
    expected = tuple(reference(condition, facts) for condition in conditions)
    assert generated_values(tuple(conditions), evaluator) == expected
    assert tuple(_compile(condition)(evaluator.truth, None) for condition in conditions) == expected
    assert tuple(evaluator.check(condition).value for condition in conditions) == expected


@fuzz(300, condition=comparisons_strategy(), facts=comparable_facts)
def test_generated_comparisons_agree_with_the_reference(condition, facts) -> None:
    evaluator = evaluator_for(facts)
    assert generated_values((condition,), evaluator) == (reference(condition, facts),)


@fuzz(
    200,
    facts=st.dictionaries(
        st.sampled_from(["a", "b"]),
        st.one_of(
            st.none(),
            st.booleans(),
            st.integers(-3, 3),
            st.floats(allow_nan=True),
            st.sampled_from(["x", "y", ""]),
            st.dates(dt.date(2025, 12, 1), dt.date(2026, 2, 1)),
            st.datetimes(dt.datetime(2025, 12, 1), dt.datetime(2026, 2, 1)),  # noqa: DTZ001
        ),
    ),
    operand=st.one_of(
        st.integers(-3, 3),
        st.floats(allow_nan=True),
        st.booleans(),
        st.sampled_from(["x", "y"]),
        st.dates(dt.date(2025, 12, 1), dt.date(2026, 2, 1)),
    ),
    operator=st.sampled_from(["eq", "ne", "gt", "gte", "lt", "lte"]),
)
def test_inlined_fact_tests_keep_strict_kinds(facts, operand, operator) -> None:
    # `true` is not `1`, a float NaN equals nothing, a date is not a number: each inline
    # specialisation must say what the general operator says.
    test = c.FactTest(ref("a"), OPERATORS[operator], operand, HERE)
    evaluator = evaluator_for(facts)
    assert generated_values((test,), evaluator) == (reference(test, facts),)


@pytest.mark.parametrize("operator", ["older_than", "newer_than"])
@pytest.mark.parametrize("days", [0, 7])
@pytest.mark.parametrize("shift", [-1, 0, 1])
def test_time_tests_at_the_edges_of_their_window(operator: str, days: int, shift: int) -> None:
    when = NOW - dt.timedelta(days=days + shift)
    test = c.TimeTest(ref("a"), OPERATORS[operator], days, f"{days}d", HERE)
    inside = c.TimeTest(ref("$item"), OPERATORS[operator], days, f"{days}d", HERE)
    every = c.Quantifier("every", ref("l"), inside, HERE)
    cases: list[dict[str, Any]] = [
        {"a": when, "l": [when]},
        {"a": NOW + dt.timedelta(days=1)},
        {"a": "x", "l": [1]},
        {},
    ]
    for facts in cases:
        evaluator = evaluator_for(facts)
        expected = (reference(test, facts), reference(every, facts))
        assert generated_values((test, every), evaluator) == expected
    edge = evaluator_for({"a": when})
    in_window = (shift >= 0) == (operator == "older_than")
    assert generated_values((test,), edge) == (when <= NOW and in_window,)  # no time runs ahead


@pytest.mark.parametrize(
    ("operator", "operand", "values", "expected"),
    [
        ("gte", 1, [True, None], True),
        ("gte", 2, [True, None], None),  # the unknown item could make two
        ("gte", 2, [True, False], False),
        ("eq", 0, [None], True),  # none known: zero already holds
        ("eq", 1, [None], None),
        ("eq", 1, [True, True], False),
        ("lt", 1, [None, True], False),
        ("ne", 0, [None], None),
        ("ne", 1, [], True),
    ],
)
def test_counts_inline_what_count_decision_decides(
    operator: str, operand: int, values: list[Any], expected: bool | None
) -> None:
    facts = {"l": [{"x": value} for value in values]}
    where = c.FactTest(ref("$item.x"), OPERATORS["eq"], True, HERE)
    count = c.CountTest(ref("l"), where, OPERATORS[operator], operand, HERE)
    evaluator = evaluator_for(facts)
    assert generated_values((count,), evaluator) == (expected,)
    assert reference(count, facts) == expected


def test_a_step_is_inlined_or_called_with_the_same_value() -> None:
    flag = c.FactTest(ref("a"), OPERATORS["eq"], True, HERE)
    steps = (
        Step("simple", "S", "src", (), flag, None, HERE, ()),
        Step("refers", "R", "src", (), c.StepDone("simple", HERE), None, HERE, ("simple",)),
    )
    policy = steps_policy([], {})._replace(steps=steps, steps_by_id={s.id: s for s in steps})
    for facts, value in [({"a": True}, True), ({"a": False}, False), ({}, None)]:
        document = load_bytes(b"subject: s\n", "e.yaml")
        evidence = Evidence("s", policy, None, facts, {}, (), (), (), None, document)
        evaluator = Evaluator(evidence, NOW)
        conditions = (c.StepDone("simple", HERE), c.StepDone("refers", HERE))
        generated = generate(conditions, _compile, policy.steps_by_id)
        assert "context.step('refers')" in generated.source  # refers to a step: called
        assert "context.step('simple')" not in generated.source  # simple: inline
        assert generated.function()(evaluator.truth) == (value, value)
        assert evaluator.truth.step("refers") is value


def test_conditions_nested_deeper_than_the_limit_are_judged_by_their_closure() -> None:
    condition: Any = c.FactTest(ref("a"), OPERATORS["eq"], 1, HERE)
    for depth in range(MAX_NESTING * 4):
        condition = c.AllOf((condition,), HERE) if depth % 2 else c.Not(condition, HERE)
    for facts in ({"a": 1}, {"a": 2}, {}):
        evaluator = evaluator_for(facts)
        assert generated_values((condition,), evaluator) == (reference(condition, facts),)


def test_many_rules_in_one_function() -> None:
    conditions = tuple(
        c.FactTest(ref(f"s{n % 7}.f{n}"), OPERATORS["gte"], n, HERE) for n in range(300)
    )
    facts = {f"s{k}": {f"f{n}": 150 for n in range(300)} for k in range(7)}
    evaluator = evaluator_for(facts)
    assert generated_values(conditions, evaluator) == tuple(n <= 150 for n in range(300))


# -- the source holds no policy text ---------------------------------------------------------------

HOSTILE = [
    "a'b",
    'a"b',
    "x\ny",
    "__import__('os').system('false')",
    "');__import__('os')._exit(3)#",
    "\\",
    "'''",
    "\\'\n",
    "\u2028",
    "{0}",
    "}}{{",
]

_NAMES = re.compile(r"(?:factory|gate|context|facts|[a-z]\d+)\Z")
_BUILTINS = {"isinstance", "dict", "list", "str", "int", "float", "bool", "enumerate"}
_ATTRIBUTES = {"facts", "get", "items", "step", "observation", "observed_day", "today"}


def assert_only_generated_code(source: str, keys: set[str]) -> None:
    """Every name in the source is generated or a builtin it needs; every string is a key."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Name):
            assert _NAMES.match(node.id) or node.id in _BUILTINS, node.id
        elif isinstance(node, ast.Attribute):
            assert node.attr in _ATTRIBUTES, node.attr
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            assert node.value in keys, node.value
        elif isinstance(node, ast.arg):
            assert _NAMES.match(node.arg), node.arg


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_keys_and_step_ids_cannot_inject_code(text: str) -> None:
    section = c.FactRef(f"{text}.{text}", None, (text, text))
    item = c.FactRef(f"$item.{text}", "$item", (text,))
    conditions = (
        c.FactTest(section, OPERATORS["eq"], text, HERE),
        c.FactTest(section, OPERATORS["in"], [text, "other"], HERE),
        c.Quantifier(
            "some",
            c.FactRef(text, None, (text,)),
            c.FactTest(item, OPERATORS["eq"], text, HERE),
            HERE,
        ),
        c.StepDone(text, HERE),
    )
    generated = generate(conditions, _compile)
    assert_only_generated_code(generated.source, {text})
    steps = {text: Step(text, "T", "src", (), conditions[0], None, HERE, ())}

    def judged(facts: dict[str, Any]) -> tuple[bool | None, ...]:
        truth = evaluator_for(facts).truth
        truth.steps = steps
        return generated.function()(truth)

    facts = {text: {text: text}}
    found = judged(facts)
    assert found == (*(reference(condition, facts) for condition in conditions[:3]), True)
    assert found[:2] == (True, True)
    assert judged({text: [{text: text}]})[2] is True


@pytest.mark.parametrize(
    "operand",
    [10**5000, -(10**5000), float("nan"), float("inf"), float("-inf"), 1 << 62, True, None],
    ids=["huge", "-huge", "nan", "inf", "-inf", "2**62", "true", "null"],
)
def test_operands_repr_cannot_write_are_bound_not_written(operand: Any) -> None:
    test = c.FactTest(ref("a"), OPERATORS["eq"], operand, HERE)
    order = c.FactTest(ref("a"), OPERATORS["gte"], operand, HERE)
    generated = generate((test, order), _compile)
    assert_only_generated_code(generated.source, {"a"})
    for facts in ({"a": operand}, {"a": 1}, {"a": "x"}, {}):
        evaluator = evaluator_for(facts)
        found = generated.function()(evaluator.truth)
        assert found == (reference(test, facts), reference(order, facts))


def test_the_generated_function_sees_only_the_builtins_it_uses() -> None:
    function = generate((c.FactTest(ref("a"), OPERATORS["eq"], 1, HERE),), _compile).function()
    assert set(function.__globals__["__builtins__"]) == _BUILTINS
    assert "open" not in function.__globals__["__builtins__"]


# -- per gate, once; nothing of it in the cache ---------------------------------------------------


def test_a_gate_is_generated_once_per_process_after_its_first_uses() -> None:
    # One subject (a one-shot `evaluate`) is judged through the closures: compiling the source
    # would cost more than it saves; a batch generates the gate's function once.
    rule = Rule("r", "R", "src", c.FactTest(ref("a"), OPERATORS["gte"], 1, HERE), (), None, HERE)
    gate = Gate("g", "G", "src", (rule,), HERE)
    judges = [gate_judge(gate, {}) for _ in range(GENERATE_AFTER + 3)]
    interpreted, generated = judges[: GENERATE_AFTER - 1], judges[GENERATE_AFTER - 1 :]
    assert all(judge is interpreted[0] for judge in interpreted)
    assert all(judge is generated[0] for judge in generated)
    assert generated[0] is not interpreted[0]
    assert generated[0].__name__ == "gate"  # the generated function
    for facts in ({"a": 1}, {"a": 0}, {"a": True}, {}):
        truth = evaluator_for(facts).truth
        assert interpreted[0](truth) == generated[0](truth) == (reference(rule.require, facts),)
    assert gate_judge(gate._replace(), {}) is not gate_judge(gate, {})


def test_gates_read_back_from_the_cache_generate_the_same_function(
    isolated_cache: Path, tmp_path: Path
) -> None:
    from tests.support.project import REPO

    from gatecheck.loading import policies as loading
    from gatecheck.loading.evidence import load_evidence
    from gatecheck.project.layout import open_project

    project = open_project(str(REPO))
    cold = loading.load_policies(project)  # validated, and written to the cache
    warm = loading.load_policies(project)  # read back: other objects, equal
    judged = 0
    for before, after in zip(cold.all(), warm.all(), strict=True):
        assert before is not after
        for gate, again in zip(before.gates, after.gates, strict=True):
            rules = tuple(rule.require for rule in gate.rules)
            source = generate(rules, _compile, before.steps_by_id).source
            assert (
                generate(tuple(r.require for r in again.rules), _compile, after.steps_by_id).source
                == source
            )
            gate_judge(gate, before.steps_by_id)
        # the generated functions live beside the policy, not in it: it still pickles, codeless
        assert b"factory" not in pickle.dumps(before)
    for evidence in load_evidence(project.evidence.yaml_files(), warm):
        evaluator = Evaluator(evidence, dt.date(2026, 11, 25))
        for gate in evidence.policy.gates:
            closures = tuple(evaluator.truth.holds(rule.require) for rule in gate.rules)
            rules = tuple(rule.require for rule in gate.rules)
            function = generate(rules, _compile, evidence.policy.steps_by_id).function()
            assert function(evaluator.truth) == closures
            assert evaluator.truth.gate(gate) == closures
            judged += 1
    assert judged > 10


def test_judge_of_is_unchanged_by_generated_gates() -> None:
    test = c.FactTest(ref("a"), OPERATORS["eq"], True, HERE)
    rule = Rule("r", "R", "src", test, (), None, HERE)
    gate = Gate("g", "G", "src", (rule,), HERE)
    evaluator = evaluator_for({"a": True})
    assert evaluator.truth.gate(gate) == (True,)
    assert judge_of(test)(evaluator.truth, None) is True


@fuzz(
    15,
    conditions=st.lists(conditions_strategy(), min_size=1, max_size=4),
    facts=st.lists(facts_strategy, min_size=GENERATE_AFTER + 2, max_size=GENERATE_AFTER + 2),
)
def test_a_policys_steps_judged_at_once_have_their_closures_values(conditions, facts) -> None:
    # Once a policy has judged GENERATE_AFTER subjects, its steps that refer to no other step are
    # judged at once by a generated function; a step referring to them still through `settle`.
    steps = [
        Step(f"s{n}", "S", "src", (), condition, None, HERE, ())
        for n, condition in enumerate(conditions)
    ]
    last = c.AllOf((c.StepDone("s0", HERE), c.Not(c.StepDone(steps[-1].id, HERE), HERE)), HERE)
    steps.append(Step("refers", "R", "src", (), last, None, HERE, ("s0", steps[-1].id)))
    policy = steps_policy([], {})._replace(
        steps=tuple(steps), steps_by_id={step.id: step for step in steps}
    )
    document = load_bytes(b"subject: s\n", "e.yaml")
    for subject in facts:
        evidence = Evidence("s", policy, None, subject, {}, (), (), (), None, document)
        truth = Evaluator(evidence, NOW).truth
        expected = [reference(condition, subject) for condition in conditions]
        assert [truth.step(step.id) for step in steps[:-1]] == expected
        first, other = expected[0], expected[-1]
        parts = [first, None if other is None else not other]
        kleene_and = False if False in parts else (None if None in parts else True)
        assert truth.step("refers") is kleene_and
    assert steps_judge(policy.steps_by_id).function is not None  # type: ignore[union-attr]
