"""Plans: dependency order, gate filtering, blocked steps, cycles, and very large graphs."""

import datetime as dt
from pathlib import Path

import pytest
from tests.support.project import POLICY_HEAD, write_project

from gatecheck.commands.plan import plan_subject
from gatecheck.commands.validate import validate_project
from gatecheck.evaluation.rule_results import StepStatus, Verdict
from gatecheck.project.layout import open_project
from gatecheck.reporters.text_plan import render_plan

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


def test_needs_orders_steps_but_does_not_hold_back_done(tmp_path: Path) -> None:
    """As docs/policy-language.md says: a step whose own done_when holds is done."""
    root = make(tmp_path, {"build": [], "ship": ["build"]}, done=["ship"], gate_steps=["ship"])
    plan = plan_subject(open_project(str(root)), "s", None, NOW)
    status = {s.step: s.status for s in plan.steps}
    assert status == {"build": StepStatus.READY, "ship": StepStatus.DONE}
    # written into done_when, the dependency does hold it back
    needs = {"build": [], "ship": ["build"]}
    held = make(tmp_path / "held", needs, ["ship"], {"ship": "build"}, ["ship"])
    plan = plan_subject(open_project(str(held)), "s", None, NOW)
    assert {s.step: s.status for s in plan.steps}["ship"] == StepStatus.BLOCKED


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


# -- the rules no remaining step covers -----------------------------------------------------------

UNCOVERED_POLICY = (
    POLICY_HEAD
    + "reviewers: {leads: [ana]}\nwaivers: {approvers: leads, longest: 90d}\n"
    + steps_yaml({"a": [], "b": ["a"]})
    + """\
gates:
  - id: g
    title: G
    source: s
    rules:
      - {id: no-step, title: Names no step, source: s, require: {fact: x, eq: 1}}
      - {id: steps-done, title: Its step is done, source: s, require: {fact: y, eq: 1}, steps: [a]}
      - {id: step-left, title: Its step is left, source: s, require: {fact: z, eq: 1}, steps: [b]}
      - {id: waived, title: Waived, source: s, require: {fact: w, eq: 1}}
      - {id: passing, title: Passes, source: s, require: {fact: p, eq: 1}}
  - id: h
    title: H
    source: s
    rules:
      - {id: fine, title: Fine, source: s, require: {fact: p, eq: 1}, steps: [b]}
"""
)

UNCOVERED_EVIDENCE = """\
subject: s
policy: t
facts:
  done: {a: true}
  y: 2
  z: 2
  w: 2
  p: 1
waivers:
  - {rule: waived, reason: later, approver: ana, expires: 2026-02-01}
"""


def uncovered_plan(tmp_path: Path, gate: str | None = None):
    root = write_project(tmp_path, UNCOVERED_POLICY, {"s": UNCOVERED_EVIDENCE})
    return plan_subject(open_project(str(root)), "s", gate, NOW)


def test_a_plan_names_the_failing_rules_that_no_step_left_covers(tmp_path: Path) -> None:
    plan = uncovered_plan(tmp_path)
    g, h = plan.gates
    assert (g.gate, g.status, g.steps) == ("g", Verdict.FAIL, ("b",))
    # step-left is covered (b is left); waived and passing pass; no remaining step covers the rest.
    assert [(r.rule, r.status, r.steps) for r in g.uncovered] == [
        ("no-step", Verdict.MISSING, ()),
        ("steps-done", Verdict.FAIL, ("a",)),
    ]
    no_step, steps_done = g.uncovered
    assert no_step.reason == "x is not recorded; expected 1"
    assert no_step.missing_fact == "x"
    assert steps_done.reason == "y is 2; expected 1"
    assert steps_done.missing_fact is None
    assert steps_done.location is not None
    assert (steps_done.location.path, steps_done.location.line) == ("evidence/s.yaml", 5)
    # h passes although its step b is not done: nothing uncovered, the step still listed.
    assert (h.status, h.steps, h.uncovered) == (Verdict.PASS, ("b",), ())
    assert plan.uncovered == 2


def test_a_plan_for_one_gate_judges_only_that_gate(tmp_path: Path) -> None:
    plan = uncovered_plan(tmp_path, "h")
    assert [gate.gate for gate in plan.gates] == ["h"]
    assert plan.uncovered == 0


def test_the_text_plan_never_calls_a_gate_done_that_does_not_pass(tmp_path: Path) -> None:
    text = render_plan(uncovered_plan(tmp_path))
    assert "every step it needs is done" not in text
    assert (
        "Left for gate g (FAIL): 1 step, each after what it waits for; "
        "2 failing or missing rules no remaining step covers\n"
        "  b\n"
        "  and rules no remaining step covers:\n"
        "  - MISSING no-step: Names no step\n"
        "      x is not recorded; expected 1\n"
        "      to do: record `x` in evidence/s.yaml\n"
        "  - FAIL steps-done: Its step is done (step a done)\n"
        "      y is 2; expected 1\n"
    ) in text
    assert "Left for gate h (PASS): 1 step, each after what it waits for\n  b\n" in text
    assert text.endswith(
        "2 steps: 1 done, 1 ready, 0 blocked; 2 failing or missing rules no remaining step covers\n"
    )


def test_the_steps_left_say_what_each_waits_for_not_a_chain(tmp_path: Path) -> None:
    # d needs b and c; e needs nothing: the order a, e, b, c, d is not a chain of needs.
    plan = plan_subject(open_project(str(make(tmp_path, DIAMOND))), "s", None, NOW)
    text = render_plan(plan)
    assert "->" not in text
    assert "  a\n  b (after a)\n  c (after a)\n  d (after b, c)\n" in text


def test_a_gate_that_passes_with_nothing_left_says_so(tmp_path: Path) -> None:
    root = make(tmp_path, {"a": []}, done=["a"], gate_steps=["a"])
    (root / "evidence" / "s.yaml").write_text(
        "subject: s\npolicy: t\nfacts:\n  x: 1\n  done: {a: true}\n"
    )
    plan = plan_subject(open_project(str(root)), "s", None, NOW)
    assert "Gate g passes: nothing left to do\n" in render_plan(plan)
