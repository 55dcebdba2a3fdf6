"""What `plan` found: each step's state, in the order to do the work, and what comes next."""

from __future__ import annotations

import datetime as dt  # noqa: TC003 - dataclass fields are inspected at runtime by reporters
from typing import NamedTuple

from gatecheck.errors import Location  # noqa: TC001
from gatecheck.evaluation.rule_results import StepStatus, Verdict  # noqa: TC001


class PlannedStep(NamedTuple):
    step: str
    title: str
    status: StepStatus
    needs: tuple[str, ...]
    blocked_by: tuple[str, ...]
    source: str
    reason: str | None = None  # why a step that is not done is not done, from its `done_when`
    location: Location | None = None


class UncoveredRule(NamedTuple):
    """A rule of a gate that does not pass and that no step left to do will make pass.

    It names no step, or every step it names is done: finishing the plan's steps leaves it as it
    is, so the plan must say it, or "every step is done" would read as "the gate passes".
    """

    rule: str
    title: str
    status: Verdict  # fail or missing: waived rules count as passing
    reason: str  # the evaluator's explanation, the message `evaluate` prints
    steps: tuple[str, ...]  # the steps it names, all done; empty when it names none
    missing_fact: str | None = None  # the fact to record, when the evidence lacks it
    location: Location | None = None  # the deciding test: in the evidence, else the policy


class GatePlan(NamedTuple):
    """What is left for one gate: its verdict, its steps not done, the rules no step left covers."""

    gate: str
    status: Verdict
    steps: tuple[str, ...]  # the steps left for it, in plan order (each after its needs)
    uncovered: tuple[UncoveredRule, ...]


class PlanReport(NamedTuple):
    subject: str
    policy: str
    evidence: str
    now: dt.date
    gate: str | None
    steps: tuple[PlannedStep, ...]
    next: tuple[str, ...]
    remaining: dict[str, tuple[str, ...]]  # gate -> the steps left for it (`GatePlan.steps`)
    gates: tuple[GatePlan, ...] = ()  # each gate planned, in policy order

    @property
    def uncovered(self) -> int:
        """How many failing or missing rules, counted per gate, no step left will make pass."""
        return sum(len(gate.uncovered) for gate in self.gates)
