"""Judge a subject: each rule's verdict with its explanation, waivers, and the work to do next.

`evaluate` is pure: the same evidence, policy and `now` always give the same report.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from gatecheck.evaluation.explained_collections import NO_ITEM_MATCHES
from gatecheck.evaluation.explaining import Evaluator
from gatecheck.evaluation.results import LISTED, GateResult, Report, SubjectResult, gate_status
from gatecheck.evaluation.rule_results import (
    Detail,
    Explanation,
    NextStep,
    RuleResult,
    StepStatus,
    Verdict,
)
from gatecheck.language.operators import day_number, from_day_number

if TYPE_CHECKING:
    from collections.abc import Iterable

    from gatecheck.language.evidence import Evidence
    from gatecheck.language.policy import Gate, Rule


def evaluate(evidence: Iterable[Evidence], now: dt.date, gate: str | None = None) -> Report:
    """Evaluate every gate (or only `gate`) of each subject's policy at the date `now`."""
    return Report(now, tuple(evaluate_subject(item, now, gate) for item in evidence))


def evaluate_subject(
    evidence: Evidence, now: dt.date, only_gate: str | None = None
) -> SubjectResult:
    evaluator = Evaluator(evidence, now)
    gates = [gate for gate in evidence.policy.gates if only_gate is None or gate.id == only_gate]
    return judge_subject(evaluator, gates)


def judge_subject(evaluator: Evaluator, gates: Iterable[Gate]) -> SubjectResult:
    """The subject's verdicts on `gates` (of its policy), in that order."""
    evidence = evaluator.evidence
    return SubjectResult(
        subject=evidence.subject,
        policy=evidence.policy.ref,
        evidence=evidence.path,
        now=evaluator.now,
        as_of=evidence.as_of,
        gates=tuple(judge_gate(evaluator, gate) for gate in gates),
    )


def judge_gate(evaluator: Evaluator, gate: Gate) -> GateResult:
    """Every rule of one gate, the gate's verdict from theirs, and whether the subject claims it."""
    values = evaluator.truth.gate(gate)
    rules = tuple(
        _judge_rule(evaluator, gate, rule, value)
        for rule, value in zip(gate.rules, values, strict=True)
    )
    return GateResult(
        gate=gate.id,
        title=gate.title,
        status=gate_status(rules),
        rules=rules,
        claim=claim_of(evaluator, gate),
    )


def claim_of(evaluator: Evaluator, gate: Gate) -> str | None:
    """Why the subject claims `gate`: listed under `claims`, or standing, or None.

    A standing claim is made by the facts themselves: while the gate's `claimed_when` holds (a
    proposal on by default, or listed at a tier), the subject claims the gate at all times, listed
    or not, and a failing gate is "claimed and failing", not merely failing.
    """
    if gate.id in evaluator.evidence.claims:
        return LISTED
    if gate.claimed_when is None or evaluator.truth.holds(gate.claimed_when) is not True:
        return None
    details = evaluator.check(gate.claimed_when).details
    return "; ".join(detail.message for detail in details) or "its `claimed_when` holds"


_STATUS = {True: Verdict.PASS, False: Verdict.FAIL, None: Verdict.MISSING}


def _judge_rule(
    evaluator: Evaluator,
    gate: Gate,
    rule: Rule,
    value: bool | None,  # noqa: FBT001 - the rule's value, from the gate's function
) -> RuleResult:
    """The verdict, from the gate's generated function; the explanation is built when read."""
    status = _STATUS[value]
    waiver = None if status is Verdict.PASS else _waiver(evaluator, gate, rule)
    if waiver is not None and waiver["active"]:
        status = Verdict.WAIVED
    return RuleResult(
        rule=rule.id,
        title=rule.title,
        source=rule.source,
        status=status,
        next_step=None if status.passing else next_step(evaluator, rule.steps),
        hint=rule.hint,
        waiver=waiver,
        policy_location=rule.location,
        explain=lambda: _explain(evaluator, rule, waiver),
    )


def _explain(evaluator: Evaluator, rule: Rule, waiver: dict[str, Any] | None) -> Explanation:
    """The summary, deciding tests, and the deciding fact's source of a rule's verdict."""
    outcome = evaluator.check(rule.require)
    details = outcome.details
    first = details[0] if details else None
    message = first.message if first else ("passes" if outcome.value else "does not pass")
    said = _each_once(details)
    if outcome.value is False and len(said) > 1:
        # A rule that fails on two facts (Wasmtime's table says ✅, the code lacks it) is a
        # contradiction between two places: say both, each with where its fact came from. Two
        # failing tests of one fact are both said too: fixing one would not make the rule pass.
        message = "; ".join(_cited(evaluator, detail) for detail in said)
    if waiver is not None and waiver["active"]:
        message = f"waived by {waiver['approver']} until {waiver['expires']}: {waiver['reason']}"
    elif waiver is not None:
        message += f" (the waiver by {waiver['approver']} does not count: {waiver['refused']})"
    provenance = None
    if first is not None and first.fact and first.recorded and "[" not in first.fact:
        parts = tuple(first.fact.removesuffix(" (key)").split("."))
        provenance = evaluator.evidence.provenance(parts)
    return Explanation(message, details, provenance)


def _each_once(details: tuple[Detail, ...]) -> list[Detail]:
    """The deciding tests, each said once: a message another one contains is left out.

    A quantifier's item message holds its parts' messages; a guard (`declared.c_api is '✅'`)
    is said again by the test it guards (`declared.c_api is '✅', which is not allowed`); an item
    that no item may be says the values of its own facts that make it so.
    """
    kept: list[Detail] = []
    for detail in details:
        if any(detail.message in earlier.message or _part_of(detail, earlier) for earlier in kept):
            continue
        kept = [earlier for earlier in kept if earlier.message not in detail.message]
        kept.append(detail)
    return kept


def _part_of(detail: Detail, earlier: Detail) -> bool:
    """A test of a part of an item that no item may be (`_offender` says its values)."""
    if earlier.expected != NO_ITEM_MATCHES or not detail.fact or not earlier.fact:
        return False
    return detail.fact.startswith(f"{earlier.fact}.")


def _cited(evaluator: Evaluator, detail: Detail) -> str:
    """A deciding test's message, with the file and line its fact's source names, if any."""
    if not detail.recorded or not detail.fact or "[" in detail.fact:
        return detail.message
    source = evaluator.evidence.provenance(tuple(detail.fact.removesuffix(" (key)").split(".")))
    if source is None or not (source.get("file") or source.get("url")):
        return detail.message
    where = source.get("file") or source["url"]
    if source.get("line") is not None:
        where = f"{where}:{source['line']}"
    return f"{detail.message} ({where})"


def _waiver(evaluator: Evaluator, gate: Gate, rule: Rule) -> dict[str, Any] | None:
    """The waiver that names this rule: the first one that counts, else the last one that does not.

    Its `active` says whether it counts, and `refused` why not: a waiver is as strong as a pass, so
    it needs at least an attestation's authority (see `waiver_refusal`).
    """
    found = None
    for waiver in evaluator.waivers_of(rule.id):
        if waiver.get("gate", gate.id) != gate.id:
            continue
        refused = waiver_refusal(evaluator, waiver)
        found = {**waiver, "active": refused is None, "refused": refused}
        if refused is None:
            return found
    return found


def waiver_refusal(evaluator: Evaluator, waiver: dict[str, Any]) -> str | None:
    """Why a waiver cannot count on the judging date, or None when it does.

    The policy must name who may approve waivers; the approver must be one of them, may not be an
    author of the claim, and (in a change under review) must have approved a waiver the change adds.
    Expiry is measured at the judging date, never at the evidence's `as_of`, and may lie no further
    ahead than the policy's `longest`.
    """
    policy = evaluator.evidence.policy
    authority = policy.waivers
    approver, expires, now = waiver["approver"], waiver["expires"], evaluator.now
    if authority is None:
        return f"policy {policy.ref} accepts no waivers (it names no `waivers` approvers)"
    if approver not in authority.approvers:
        return f"{approver} is not in reviewer group {authority.group}"
    refused = evaluator.authority.refusal("waiver", waiver, approver, "approve its waiver")
    if refused is not None:
        return refused
    if expires < now:
        return f"it expired on {expires}"
    latest = from_day_number(day_number(now) + authority.longest_days) or dt.date.max
    if expires > latest:
        return (
            f"it expires on {expires}, more than {authority.longest} after {now} "
            f"(policy {policy.ref} allows waivers until {latest})"
        )
    return None


def next_step(evaluator: Evaluator, steps: tuple[str, ...]) -> NextStep | None:
    """The first step to work on for a rule: one of its steps, or the ready work it waits for."""
    for step_id in steps:
        status = evaluator.step_status(step_id)
        if status is StepStatus.DONE:
            continue
        ready = evaluator.first_ready(step_id)
        if ready is None:
            continue
        step = evaluator.evidence.policy.steps_by_id[ready]
        return NextStep(
            step=ready,
            title=step.title,
            status=StepStatus.READY,
            for_step=None if ready == step_id else step_id,
        )
    return None
