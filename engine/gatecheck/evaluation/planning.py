"""The ordered plan of remaining work: each step's state, in the policy's stored step order.

The order (`Policy.order`) is worked out when the policy is loaded (`loading.step_order`): each
step after everything it needs, and as close to the policy's own order as that allows. A plan
for one gate lists only the steps that gate needs (`gate_steps`). Each gate planned is judged
too, so the plan can name the rules that no step left will make pass (`GatePlan.uncovered`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gatecheck.evaluation import steps as step_states
from gatecheck.evaluation.plan_results import GatePlan, PlannedStep, PlanReport, UncoveredRule
from gatecheck.evaluation.rule_results import StepStatus
from gatecheck.evaluation.verdicts import judge_gate
from gatecheck.identity_cache import IdentityCache

if TYPE_CHECKING:
    from collections.abc import Iterator

    from gatecheck.evaluation.explaining import Evaluator
    from gatecheck.evaluation.rule_results import RuleResult
    from gatecheck.language.policy import Gate, Policy, Step


# Each policy's steps per gate: `status` plans every subject of a policy for the same gate.
_GATE_STEPS: IdentityCache[Policy, dict[str, frozenset[str]]] = IdentityCache(size=64)


def gate_steps(policy: Policy, gate_id: str) -> frozenset[str]:
    """The steps the rules of a gate name, and every step those depend on (needs and refers).

    Remembered for the latest few policies.
    """
    by_gate = _GATE_STEPS.get(policy)
    if by_gate is None:
        by_gate = _GATE_STEPS.put(policy, {})
    known = by_gate.get(gate_id)
    if known is not None:
        return known
    gate = policy.gate(gate_id)
    steps = policy.steps_by_id
    pending = [step for rule in gate.rules for step in rule.steps] if gate is not None else []
    found: set[str] = set()
    while pending:
        step_id = pending.pop()
        if step_id not in found:
            found.add(step_id)
            pending.extend((*steps[step_id].needs, *steps[step_id].refers))
    by_gate[gate_id] = frozenset(found)
    return by_gate[gate_id]


def build_plan(evaluator: Evaluator, gate: str | None) -> PlanReport:
    """Every step's state in the order to do them; with `gate`, only the work that gate needs."""
    evidence = evaluator.evidence
    policy = evidence.policy
    statuses = _statuses(evaluator, policy)
    wanted = gate_steps(policy, gate) if gate is not None else None
    steps = policy.steps_by_id
    planned = tuple(
        _planned(evaluator, steps[step_id], statuses)
        for step_id in policy.order
        if wanted is None or step_id in wanted
    )
    remaining = {
        gate_id: tuple(
            s for s in policy.order if s in needed and statuses[s] is not StepStatus.DONE
        )
        for gate_id, needed in _needed_by_gate(policy, gate, wanted)
    }
    gates = tuple(
        _gate_plan(evaluator, each, remaining[each.id], statuses)
        for each in policy.gates
        if each.id in remaining
    )
    return PlanReport(
        subject=evidence.subject,
        policy=policy.ref,
        evidence=evidence.path,
        now=evaluator.now,
        gate=gate,
        steps=planned,
        next=tuple(p.step for p in planned if p.status is StepStatus.READY),
        remaining=remaining,
        gates=gates,
    )


def _gate_plan(
    evaluator: Evaluator, gate: Gate, left: tuple[str, ...], statuses: dict[str, StepStatus]
) -> GatePlan:
    """The gate's verdict, its steps left, and its rules that no step left will make pass."""
    judged = judge_gate(evaluator, gate)
    uncovered = tuple(
        _uncovered(rule, steps)
        for rule, steps in zip(judged.rules, (r.steps for r in gate.rules), strict=True)
        if not rule.status.passing and all(statuses[s] is StepStatus.DONE for s in steps)
    )
    return GatePlan(gate.id, judged.status, left, uncovered)


def _uncovered(rule: RuleResult, steps: tuple[str, ...]) -> UncoveredRule:
    primary = rule.primary
    missing = primary.fact if primary is not None and not primary.recorded else None
    location = primary.location if primary is not None else rule.policy_location
    return UncoveredRule(rule.rule, rule.title, rule.status, rule.message, steps, missing, location)


def _needed_by_gate(
    policy: Policy, gate: str | None, wanted: frozenset[str] | None
) -> Iterator[tuple[str, frozenset[str]]]:
    """The steps of the gate asked for, or of every gate (one walk of the steps each)."""
    if gate is not None and wanted is not None:
        yield gate, wanted
        return
    for each in policy.gates:
        yield each.id, gate_steps(policy, each.id)


def _statuses(evaluator: Evaluator, policy: Policy) -> dict[str, StepStatus]:
    """Every step's state in one pass: `order` puts each step after the steps it needs."""
    judge = evaluator.truth.step
    steps = policy.steps_by_id
    done = {step_id: judge(step_id) is True for step_id in policy.order}
    needs_done = done.__getitem__
    return {
        step_id: step_states.status(finished, map(needs_done, steps[step_id].needs))
        for step_id, finished in done.items()
    }


def _planned(evaluator: Evaluator, step: Step, statuses: dict[str, StepStatus]) -> PlannedStep:
    status = statuses[step.id]
    reason = None
    blocked_by: tuple[str, ...] = ()
    if status is StepStatus.READY:  # blocked steps are explained by what blocks them
        details = evaluator.step_outcome(step.id).details
        reason = details[0].message if details else None
    elif status is StepStatus.BLOCKED:
        blocked_by = tuple(n for n in step.needs if statuses[n] is not StepStatus.DONE)
    return PlannedStep(
        step.id, step.title, status, step.needs, blocked_by, step.source, reason, step.location
    )
