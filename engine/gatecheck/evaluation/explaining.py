"""Evaluate conditions against one subject's evidence: three-valued, explained, and pure.

A condition is True, False, or None (`missing`: a fact it reads is absent). `all` and `any` follow
Kleene's logic, so a rule with one failing and one missing part fails (more evidence cannot save
it), while `any` passes as soon as one part passes. Each outcome carries the deciding tests, which
become the explanation of a verdict.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, assert_never

from gatecheck.evaluation import steps as step_states
from gatecheck.evaluation.attestations import Attestations
from gatecheck.evaluation.authority import NO_CHANGE, Authority
from gatecheck.evaluation.compiled import Truth
from gatecheck.evaluation.explained_collections import count_outcome, quantifier_outcome
from gatecheck.evaluation.explained_comparisons import comparison_outcome
from gatecheck.evaluation.explained_tests import fact_outcome, time_outcome
from gatecheck.evaluation.observation import Observation
from gatecheck.evaluation.outcomes import FactRead, Outcome, indexes, join
from gatecheck.evaluation.rule_results import Detail, StepStatus
from gatecheck.language.conditions import (
    AllOf,
    AnyOf,
    Attested,
    CountTest,
    FactComparison,
    FactTest,
    Not,
    Quantifier,
    StepDone,
    TimeTest,
)
from gatecheck.language.evidence import Scope, read_fact
from gatecheck.language.values import show

if TYPE_CHECKING:
    import datetime as dt

    from gatecheck.language.conditions import Condition, FactRef
    from gatecheck.language.evidence import Evidence, Scope

__all__ = ["STEP_REASONS", "Evaluator", "Outcome"]

# A `{step: X}` that does not hold is explained by X's own reasons, at most this many, the deepest
# first. Copying them all made a chain of N steps that refer to each other hold N²/2 details
# (16,000 steps: 3 GB); each step's explanation is now at most STEP_REASONS + 1 details long.
STEP_REASONS = 8


class Evaluator:
    """Judges conditions against one subject's evidence at one date, explaining each verdict.

    `authority` says whose attestations and waivers may count: never those of the claims'
    authors (the evidence's `claimed_by` is always one of them), and, for a change under review,
    only entries the base already had or that an approver of the change signed.
    """

    def __init__(self, evidence: Evidence, now: dt.date, authority: Authority = NO_CHANGE) -> None:
        self.evidence = evidence
        self.now = now
        self.authority = authority.with_author(evidence.claimed_by)
        self.observation = Observation(evidence, now)
        self.attestations = Attestations(evidence, now, self.authority)
        self.truth = Truth(evidence, self.observation, self.attestations.value)
        self._steps: dict[str, Outcome] = {}
        self._first_ready: dict[str, str | None] = {}
        self._statuses: dict[str, StepStatus] = {}
        self._waivers: dict[str, list[dict[str, Any]]] | None = None

    # -- steps ------------------------------------------------------------------------------

    def step_outcome(self, step_id: str) -> Outcome:
        """Whether a step's `done_when` holds, explained; memoised, referred steps first."""
        steps = self.evidence.policy.steps_by_id
        return step_states.settle(
            step_id, self._steps, steps, lambda current: self.check(steps[current].done_when)
        )

    def step_status(self, step_id: str) -> StepStatus:
        status = self._statuses.get(step_id)
        if status is None:
            done = self.truth.step(step_id) is True
            needs_done = (self.truth.step(need) is True for need in self._needs(step_id))
            status = self._statuses[step_id] = step_states.status(done, needs_done)
        return status

    def first_ready(self, step_id: str) -> str | None:
        """The first ready step found depth-first through unfinished needs (`steps.first_ready`)."""
        return step_states.first_ready(step_id, self._first_ready, self.step_status, self._needs)

    def _needs(self, step_id: str) -> tuple[str, ...]:
        return self.evidence.policy.steps_by_id[step_id].needs

    # -- conditions -------------------------------------------------------------------------

    def check(self, condition: Condition, scope: Scope | None = None) -> Outcome:
        """The condition's value and deciding tests, each with the hint for it (`with_hint`)."""
        outcome = self._check(condition, scope)
        return outcome if condition.hint is None else with_hint(outcome, condition)

    def _check(self, condition: Condition, scope: Scope | None) -> Outcome:
        match condition:
            case FactTest():
                return fact_outcome(self, condition, scope)
            case FactComparison():
                return comparison_outcome(self, condition, scope)
            case TimeTest():
                return time_outcome(self, condition, scope)
            case AllOf() | AnyOf():
                return self._combine(condition, scope)
            case Not():
                return self._not(condition, scope)
            case Quantifier():
                return quantifier_outcome(self, condition, scope)
            case CountTest():
                return count_outcome(self, condition, scope)
            case StepDone():
                return self._step(condition)
            case Attested():
                return self.attestations.outcome(condition)
            case _:
                assert_never(condition)

    def read(self, ref: FactRef, scope: Scope | None) -> FactRead:
        """A fact read for a test, with its staleness when a `freshness` entry covers it."""
        value, path = read_fact(self.evidence.facts, ref, scope)
        stale = self.observation.stale(ref.parts) if ref.watched else None
        return FactRead(ref, path, value, stale)

    def _combine(self, condition: AllOf | AnyOf, scope: Scope | None) -> Outcome:
        # The compiled values pick the deciding parts; only those are explained.
        items = condition.items
        values = [self.truth.holds(item, scope) for item in items]
        deciding = isinstance(condition, AnyOf)  # a True decides `any`, a False decides `all`
        if deciding in values:
            chosen = [values.index(deciding)] if deciding else indexes(values, deciding)
            value: bool | None = deciding
        elif None in values:
            chosen, value = indexes(values, None), None
        else:
            chosen, value = list(range(len(items))), not deciding
        return Outcome(value, join(self.check(items[index], scope) for index in chosen))

    def _not(self, condition: Not, scope: Scope | None) -> Outcome:
        inner = self.check(condition.item, scope)
        value = None if inner.value is None else not inner.value
        details = tuple(
            d._replace(
                message=f"{d.message}, which is not allowed" if value is False else _unmet(d),
                expected=f"not ({d.expected})" if d.expected else None,
                passes_on=None,
            )
            for d in inner.details
        )
        return Outcome(value, details)

    def _step(self, condition: StepDone) -> Outcome:
        inner = self.step_outcome(condition.step)
        if inner.value is True:
            return Outcome(value=True, details=(Detail(f"step {condition.step} is done"),))
        state = "cannot be judged" if inner.value is None else "is not done"
        reasons = inner.details
        if len(reasons) > STEP_REASONS:
            state += f" ({len(reasons) - STEP_REASONS} more of its reasons are not shown)"
            reasons = reasons[:STEP_REASONS]
        detail = Detail(
            f"step {condition.step} {state}",
            expected=f"step {condition.step} done",
            location=condition.location,
            policy_location=condition.location,
        )
        return Outcome(inner.value, (*reasons, detail))

    # -- waivers ----------------------------------------------------------------------------

    def waivers_of(self, rule_id: str) -> list[dict[str, Any]]:
        """The waivers naming one rule, in file order (indexed once per subject)."""
        if self._waivers is None:
            self._waivers = {}
            for entry in self.evidence.waivers:
                self._waivers.setdefault(entry["rule"], []).append(entry)
        return self._waivers.get(rule_id, [])


def with_hint(outcome: Outcome, condition: Condition) -> Outcome:
    """A condition's `hint:` given to its deciding tests: the innermost hint applies.

    A test's own condition replaces its built-in hint (the engine's `gatecheck attest ...`); a
    condition around it gives its hint only to the tests that have none yet.
    """
    hint = condition.hint
    leaf = isinstance(condition, FactTest | TimeTest | Attested | StepDone)
    details = tuple(d._replace(hint=hint) if leaf or d.hint is None else d for d in outcome.details)
    return Outcome(outcome.value, details)


def _unmet(detail: Detail) -> str:
    """A test that does not hold, as `not` wants: what was read, without what the test expected.

    `proposal.phase is 5` explains `not: {fact: proposal.phase, lt: 4}`; `expected less than 4`
    would read as the reason it fails.
    """
    read = f"{detail.fact} is {show(detail.actual)}"
    if detail.recorded and detail.fact and detail.message.startswith(f"{read}; expected "):
        return read
    return detail.message
