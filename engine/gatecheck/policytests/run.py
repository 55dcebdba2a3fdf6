"""Unit tests for policies: run each case's evidence through its policy and compare the verdicts.

A case (loaded from a `*.test.yaml` file by `policy_test_files`) holds ready-built evidence, an
judging date and its expectations: gate and rule verdicts, step states. Running cases is pure
and deterministic. Coverage says which rules and steps of each policy under test no case asserts,
and which are asserted with one outcome only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from gatecheck.evaluation.rule_results import StepStatus, Verdict

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterable

    from gatecheck.errors import Location
    from gatecheck.evaluation.explaining import Evaluator
    from gatecheck.evaluation.plan_results import PlannedStep
    from gatecheck.evaluation.results import GateResult
    from gatecheck.evaluation.rule_results import RuleResult
    from gatecheck.language.evidence import Evidence
    from gatecheck.language.policy import Policy

GATE, RULE, STEP = "gate", "rule", "step"
PASSING = frozenset({Verdict.PASS.value, Verdict.WAIVED.value})


class Expectation(NamedTuple):
    """One asserted outcome: a gate or rule verdict, or a step state."""

    kind: str  # gate | rule | step
    name: str  # gate id, `gate/rule`, or step id
    expected: str  # a Verdict or StepStatus value
    location: Location  # where the test file asserts it


class Case(NamedTuple):
    file: str  # the test file, as shown to users
    name: str
    location: Location
    evidence: Evidence
    now: dt.date
    expectations: tuple[Expectation, ...]

    @property
    def id(self) -> str:
        return f"{self.file}::{self.name}"


class Mismatch(NamedTuple):
    """An expectation that does not hold, with what the policy says instead and why."""

    expectation: Expectation
    actual: str
    message: str | None
    location: Location | None  # where the deciding fact is (evidence), or the policy line


class CaseResult(NamedTuple):
    case: Case
    now: dt.date  # the judging date
    mismatches: tuple[Mismatch, ...]

    @property
    def passed(self) -> bool:
        return not self.mismatches


class Coverage(NamedTuple):
    """What the cases of one policy assert: every rule and step, and the outcomes asserted."""

    policy: str
    rules: tuple[str, ...]  # every `gate/rule` of the policy, in policy order
    steps: tuple[str, ...]  # every step, in policy order
    outcomes: dict[tuple[str, str], frozenset[bool]]  # (kind, name) -> passing/done asserted

    def asserted(self, kind: str) -> list[str]:
        return [name for name in self._names(kind) if (kind, name) in self.outcomes]

    def not_asserted(self, kind: str) -> list[str]:
        return [name for name in self._names(kind) if (kind, name) not in self.outcomes]

    def one_outcome(self, kind: str) -> dict[str, bool]:
        """The asserted names seen with one outcome only, and that outcome (passing or done)."""
        found = {}
        for name in self._names(kind):
            seen = self.outcomes.get((kind, name), frozenset())
            if len(seen) == 1:
                found[name] = next(iter(seen))
        return found

    def _names(self, kind: str) -> tuple[str, ...]:
        return self.rules if kind == RULE else self.steps


class PolicyTestReport(NamedTuple):
    results: tuple[CaseResult, ...]
    coverage: tuple[Coverage, ...]
    deselected: int = 0

    @property
    def failed(self) -> int:
        return sum(1 for result in self.results if not result.passed)

    def exit_code(self) -> int:
        """0 when every case passes, else 1."""
        return 1 if self.failed else 0


def run_cases(cases: Iterable[Case], deselected: int = 0) -> PolicyTestReport:
    selected = list(cases)
    results = tuple(run_case(case) for case in selected)
    return PolicyTestReport(results, coverage(selected), deselected)


def run_case(case: Case) -> CaseResult:
    from gatecheck.evaluation.explaining import Evaluator
    from gatecheck.evaluation.planning import build_plan
    from gatecheck.evaluation.verdicts import evaluate_subject

    subject = evaluate_subject(case.evidence, case.now)
    gates = {gate.gate: gate for gate in subject.gates}
    rules = {f"{gate.gate}/{rule.rule}": rule for gate in subject.gates for rule in gate.rules}
    evaluator = Evaluator(case.evidence, case.now)
    steps = {step.step: step for step in build_plan(evaluator, None).steps}
    mismatches = []
    for expectation in case.expectations:
        if expectation.kind == GATE:
            found = _gate_mismatch(expectation, gates[expectation.name])
        elif expectation.kind == RULE:
            found = _rule_mismatch(expectation, rules[expectation.name])
        else:
            found = _step_mismatch(expectation, steps[expectation.name], evaluator)
        if found is not None:
            mismatches.append(found)
    return CaseResult(case, subject.now, tuple(mismatches))


def _gate_mismatch(expectation: Expectation, gate: GateResult) -> Mismatch | None:
    if gate.status.value == expectation.expected:
        return None
    others = [f"{rule.rule} ({rule.status})" for rule in gate.rules if not rule.status.passing]
    waived = [rule.rule for rule in gate.rules if rule.status is Verdict.WAIVED]
    if others:
        message = "not passing: " + ", ".join(others)
    elif waived:
        message = "every rule passes; waived: " + ", ".join(waived)
    else:
        message = "every rule passes"
    return Mismatch(expectation, gate.status.value, message, None)


def _rule_mismatch(expectation: Expectation, rule: RuleResult) -> Mismatch | None:
    if rule.status.value == expectation.expected:
        return None
    primary = rule.primary
    location = primary.location if primary is not None else None
    return Mismatch(expectation, rule.status.value, rule.message, location)


def _step_mismatch(
    expectation: Expectation, step: PlannedStep, evaluator: Evaluator
) -> Mismatch | None:
    if step.status.value == expectation.expected:
        return None
    details = evaluator.step_outcome(step.step).details
    first = details[0] if details else None
    message = first.message if first is not None else None
    if step.status is StepStatus.DONE:
        message = "done_when holds" + (f": {message}" if message else "")
    elif step.status is StepStatus.BLOCKED:
        waiting = f"waiting for {', '.join(step.blocked_by)}"
        message = f"{waiting}; not done: {message}" if message else waiting
    return Mismatch(expectation, step.status.value, message, first.location if first else None)


def coverage(cases: Iterable[Case]) -> tuple[Coverage, ...]:
    """Per policy under test (sorted by name@version): the rules and steps the cases assert."""
    policies: dict[str, Policy] = {}
    outcomes: dict[str, dict[tuple[str, str], set[bool]]] = {}
    for case in cases:
        policy = case.evidence.policy
        policies.setdefault(policy.ref, policy)
        seen = outcomes.setdefault(policy.ref, {})
        for expectation in case.expectations:
            if expectation.kind == RULE:
                passing = expectation.expected in PASSING
            elif expectation.kind == STEP:
                passing = expectation.expected == StepStatus.DONE.value
            else:
                continue
            seen.setdefault((expectation.kind, expectation.name), set()).add(passing)
    return tuple(
        Coverage(
            policy=ref,
            rules=tuple(f"{gate.id}/{rule.id}" for gate in policy.gates for rule in gate.rules),
            steps=tuple(step.id for step in policy.steps),
            outcomes={key: frozenset(value) for key, value in outcomes[ref].items()},
        )
        for ref, policy in sorted(policies.items())
    )
