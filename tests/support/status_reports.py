"""Status reports of many subjects, built by hand, for the status formats at scale.

Each subject's verdicts, messages and plan follow from its number, so a report is the same on
every run: of each ten subjects six pass, one passes by a waiver, two fail (one of them claiming
the gate) and one lacks a fact. Locations and the fact to record name the subject's own evidence
file, as real ones do. `hostile` replaces the name of subject 7, one rule title and the messages
of the subject's failing rules, to test escaping.
"""

from __future__ import annotations

import datetime as dt

from gatecheck.errors import Location
from gatecheck.evaluation.plan_results import GatePlan, PlannedStep, PlanReport
from gatecheck.evaluation.results import LISTED, GateResult, SubjectResult, gate_status
from gatecheck.evaluation.rule_results import Detail, NextStep, RuleResult, StepStatus, Verdict
from gatecheck.evaluation.status_results import StatusColumn, StatusReport

DAY = dt.date(2026, 3, 1)
GATE = "enable-by-default"
RULES = ("phase-4", "spec-tests-pass", "fuzzed-a-week", "c-api", "other-language")
STEPS = (
    ("parser", ()),
    ("config", ("parser",)),
    ("fuzz", ("config",)),
    ("c-api", ("fuzz", "parser")),
    ("docs", ()),
)


def _verdicts(number: int) -> tuple[Verdict, ...]:
    kind = number % 10
    if kind < 6:
        return (Verdict.PASS,) * len(RULES)
    if kind == 6:
        return (Verdict.PASS, Verdict.PASS, Verdict.WAIVED, Verdict.PASS, Verdict.PASS)
    if kind == 9:
        return (Verdict.PASS, Verdict.MISSING, Verdict.PASS, Verdict.PASS, Verdict.PASS)
    # some rule fails: of five numbers in a row one is a multiple of three
    return tuple(
        Verdict.FAIL if (number + index) % 3 == 0 else Verdict.PASS for index in range(len(RULES))
    )


def _rule(
    number: int, index: int, verdict: Verdict, evidence: str, *, title: str, message: str
) -> RuleResult:
    rule_id = RULES[index]
    fact = f"facts.{rule_id.replace('-', '_')}"
    recorded = verdict is not Verdict.MISSING
    location = Location(evidence, 4 + index * 3 if recorded else 2, 5)
    detail = Detail(message, fact, "== true", number % 7 if recorded else None, recorded, location)
    failing = verdict is Verdict.FAIL
    waiver = {"approver": "ana", "expires": dt.date(2026, 6, 1), "reason": "soon"}
    return RuleResult(
        rule_id,
        title,
        f"seed, {rule_id}",
        verdict,
        message=message,
        details=(detail,),
        waiver=waiver if verdict is Verdict.WAIVED else None,
        next_step=NextStep("fuzz", "Do fuzz", StepStatus.READY) if failing else None,
        hint="Ask the proposal's champions." if failing else None,
    )


def _plan(name: str, evidence: str, passing: bool) -> PlanReport:
    done = {step for step, _ in STEPS} if passing else {"parser", "config"}
    steps = []
    for step, needs in STEPS:
        waiting = tuple(need for need in needs if need not in done)
        state = (
            StepStatus.DONE if step in done else StepStatus.BLOCKED if waiting else StepStatus.READY
        )
        steps.append(PlannedStep(step, f"Do {step}", state, needs, waiting, f"seed, {step}"))
    left = tuple(step.step for step in steps if step.status is not StepStatus.DONE)
    ready = tuple(step.step for step in steps if step.status is StepStatus.READY)
    verdict = Verdict.PASS if passing else Verdict.FAIL
    return PlanReport(
        name, "p@1", evidence, DAY, GATE, tuple(steps), ready, {GATE: left},
        (GatePlan(GATE, verdict, left, ()),),
    )  # fmt: skip


def _rank(gate: GateResult) -> int:
    """As `status` orders rows: claimed and not passing, then not passing, then passing."""
    if gate.status.passing:
        return 2
    return 0 if gate.claimed else 1


def many_subjects(count: int, hostile: str = "") -> StatusReport:
    """`count` subjects `p00000`... judged on one gate of five rules, sorted as `status` sorts."""
    subjects = []
    plans = {}
    for number in range(count):
        name = hostile if hostile and number == 7 else f"p{number:05d}"
        evidence = f"evidence/p{number:05d}.yaml"
        rules = []
        for index, verdict in enumerate(_verdicts(number)):
            title = hostile if hostile and index == 1 else f"Title of {RULES[index]}"
            value = f"{RULES[index]} is {number % 7}"
            message = hostile if hostile and number == 7 and verdict is Verdict.FAIL else value
            if verdict is Verdict.MISSING:
                message = f"{RULES[index]} is not recorded"
            rules.append(_rule(number, index, verdict, evidence, title=title, message=message))
        status = gate_status(tuple(rules))
        claim = LISTED if number % 10 == 7 else None
        gate = GateResult(GATE, "Enable by default", status, tuple(rules), claim)
        subjects.append(SubjectResult(name, "p@1", evidence, DAY, DAY, (gate,)))
        plans[name] = _plan(name, evidence, status.passing)
    subjects.sort(
        key=lambda s: (
            2 if s.gates[0].status.passing else 0 if s.gates[0].claimed else 1,
            s.subject,
        )
    )
    columns = tuple(StatusColumn(rule, f"Title of {rule}", f"seed, {rule}") for rule in RULES)
    return StatusReport(DAY, GATE, "Enable by default", columns, tuple(subjects), plans)
