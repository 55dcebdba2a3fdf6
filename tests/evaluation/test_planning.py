"""Plans: dependency order, gate filtering, blocked steps, cycles, and very large graphs."""

import datetime as dt
from pathlib import Path

import pytest
from tests.support.project import POLICY_HEAD, write_project

from gatecheck.commands.plan import plan_subject
from gatecheck.commands.validate import validate_project
from gatecheck.evaluation.rule_results import StepStatus
from gatecheck.project.layout import open_project

NOW = dt.date(2026, 1, 1)


def steps_yaml(needs: dict[str, list[str]], refers: dict[str, str] | None = None) -> str:
    lines = ["steps:"]
    for step, required in needs.items():
        done = f"{{fact: done.{step}, eq: true}}"
        if refers and step in refers:
            done = f"{{all: [{done}, {{step: {refers[step]}}}]}}"
        lines.append(
            f"  - {{id: {step}, title: {step.upper()}, source: s, needs: {required}, "
            f"done_when: {done}}}"
        )
    return "\n".join(lines) + "\n"


def gate_yaml(steps: list[str]) -> str:
    return (
        "gates:\n  - id: g\n    title: G\n    source: s\n    rules:\n"
        f"      - {{id: r, title: R, source: s, require: {{fact: x, eq: 1}}, steps: {steps}}}\n"
    )


def make(tmp_path: Path, needs, done=(), refers=None, gate_steps=("d",)) -> Path:
    facts = "".join(f"    {step}: true\n" for step in done) or "    none: true\n"
    evidence = f"subject: s\npolicy: t\nfacts:\n  done:\n{facts}"
    policy = POLICY_HEAD + steps_yaml(needs, refers) + gate_yaml(list(gate_steps))
    return write_project(tmp_path, policy, {"s": evidence})


DIAMOND = {"a": [], "b": ["a"], "c": ["a"], "d": ["b", "c"], "e": []}


def test_plan_lists_generations_in_turn_each_in_policy_order(tmp_path: Path) -> None:
    plan = plan_subject(open_project(str(make(tmp_path, DIAMOND, done=["a"]))), "s", None, NOW)
    assert [s.step for s in plan.steps] == ["a", "e", "b", "c", "d"]
    status = {s.step: s.status for s in plan.steps}
    assert status == {
        "a": StepStatus.DONE,
        "b": StepStatus.READY,
        "c": StepStatus.READY,
        "d": StepStatus.BLOCKED,
        "e": StepStatus.READY,
    }
    assert plan.next == ("e", "b", "c")
    blocked = next(s for s in plan.steps if s.step == "d")
    assert blocked.blocked_by == ("b", "c")
    assert plan.remaining == {"g": ("b", "c", "d")}


def test_a_step_listed_before_its_needs_still_comes_after_them(tmp_path: Path) -> None:
    needs = {"z": ["y"], "y": ["x"], "x": []}
    plan = plan_subject(open_project(str(make(tmp_path, needs, gate_steps=["z"]))), "s", None, NOW)
    assert [s.step for s in plan.steps] == ["x", "y", "z"]


def test_gate_plan_keeps_only_the_work_the_gate_needs(tmp_path: Path) -> None:
    root = make(tmp_path, DIAMOND, gate_steps=["b"])
    plan = plan_subject(open_project(str(root)), "s", "g", NOW)
    assert [s.step for s in plan.steps] == ["a", "b"]
    assert plan.next == ("a",)


def test_step_references_in_done_when_order_the_plan(tmp_path: Path) -> None:
    needs: dict[str, list[str]] = {"p": [], "q": []}
    root = make(tmp_path, needs, refers={"p": "q"}, done=["p", "q"], gate_steps=["p"])
    plan = plan_subject(open_project(str(root)), "s", None, NOW)
    assert [s.step for s in plan.steps] == ["q", "p"]


@pytest.mark.parametrize(
    ("needs", "refers", "edges"),
    [
        ({"a": ["c"], "b": ["a"], "c": ["b"]}, None, 3),
        ({"a": ["a"]}, None, 1),
        ({"a": [], "b": ["a"]}, {"a": "b"}, 2),  # a cycle through a done_when reference
    ],
)
def test_cycles_are_located_problems_listing_each_edge(
    tmp_path: Path, needs, refers, edges
) -> None:
    root = make(tmp_path, needs, refers=refers, gate_steps=[])
    (problem,) = validate_project(open_project(str(root))).problems
    assert problem.code == "dependency-cycle"
    assert problem.location.path == "policies/t.yaml"
    assert problem.message.count("policies/t.yaml:") == edges


def test_long_chains_plan_and_explain_without_recursion(tmp_path: Path) -> None:
    # 3,000 steps in one chain: deeper than Python's default recursion limit of 1,000.
    count = 3000
    needs: dict[str, list[str]] = {f"s{i}": [f"s{i - 1}"] if i else [] for i in range(count)}
    refers = {f"s{i}": f"s{i - 1}" for i in range(1, count)}
    root = make(tmp_path, needs, refers=refers, gate_steps=[f"s{count - 1}"])
    plan = plan_subject(open_project(str(root)), "s", "g", NOW)
    assert len(plan.steps) == count
    assert plan.next == ("s0",)
    from gatecheck.commands.evaluate import evaluate_subjects

    report = evaluate_subjects(open_project(str(root)), ["s"], every=False, gate=None, now=NOW)
    next_step = report.subjects[0].gates[0].rules[0].next_step
    assert next_step is not None
    assert next_step.step == "s0"
