"""`gatecheck attest`'s judgement: whether the attestation it writes can count, and if not, why.

An attestation is a truthful record of who vouched and when, so it is written either way; but one
that no condition of the policy would accept (the wrong person, too old, the claim's author, a
judgement no rule reads) changes no verdict, and its author should hear so at once. Each warning
names the condition that refuses it (where the policy says so) and what would make it count.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple, assert_never

from gatecheck.commands.subjects import load_subjects
from gatecheck.errors import InvalidInput
from gatecheck.language import conditions as c
from gatecheck.language.operators import day_number, from_day_number

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterator

    from gatecheck.evaluation.explaining import Evaluator
    from gatecheck.language.policy import Policy
    from gatecheck.project.layout import Project


class Reader(NamedTuple):
    """A condition that reads the judgement, and what it belongs to (`rule R of gate G`)."""

    owner: str
    condition: c.Attested


def attestation_warnings(
    project: Project, subject: str, entry: dict[str, Any], now: dt.date
) -> list[str]:
    """Why the attestation `entry` would not count on `now`: a line per condition refusing it."""
    from gatecheck.evaluation.explaining import Evaluator

    try:
        (evidence,) = load_subjects(project, [subject], every=False, now=now)
    except InvalidInput as error:
        return [f"cannot judge the attestation on {now}: {p.message}" for p in error.problems]
    judgement = entry["judgement"]
    readers = list(readers_of(evidence.policy, judgement))
    if not readers:
        unread = (
            f"no rule or step of policy {evidence.policy.ref} reads judgement {judgement}: "
            "this attestation counts toward no verdict"
        )
        return [unread]
    evaluator = Evaluator(evidence, now)
    warnings = []
    for reader in readers:
        refused = _refusal(evaluator, reader, entry)
        if refused is not None:
            warnings.append(refused)
    if len(warnings) == len(readers) or not warnings:
        return warnings
    return [*warnings, "it counts for the other conditions that read it"]


def _refusal(evaluator: Evaluator, reader: Reader, entry: dict[str, Any]) -> str | None:
    """Why `entry` does not count for one condition, with the fix; None when it counts."""
    condition = reader.condition
    accepted, reasons = evaluator.attestations.accepted([entry], condition)
    where = f"{reader.owner} ({condition.location})"
    if not accepted:
        (reason,) = reasons
        return f"{reason}: it does not count for {where}; {_fix(evaluator, condition, entry)}"
    if condition.at_least > 1:
        others = [e for _, e in evaluator.attestations.of(condition.judgement) if e != entry]
        counted = evaluator.attestations.accepted([*others, entry], condition)[0]
        if len(counted) < condition.at_least:
            return (
                f"{where} needs {condition.at_least} different people's attestations; "
                f"{len(counted)} count so far ({', '.join(sorted(counted))})"
            )
    return None


def _fix(evaluator: Evaluator, condition: c.Attested, entry: dict[str, Any]) -> str:
    """What would make the attestation count, for the first test it fails (as `accepted`)."""
    who, when, now = entry["by"], entry["date"], evaluator.now
    if evaluator.authority.refusal("attestation", entry, who, "attest it") is not None:
        return "ask someone who did not make the claim to attest it"
    if condition.reviewers is not None and who not in condition.reviewers:
        members = ", ".join(sorted(condition.reviewers))
        return f"an attestation counts only from {condition.group}: {members}"
    if when > now:
        return f"date it on or before {now} (--date)"
    oldest = from_day_number(day_number(now) - (condition.within_days or 0))
    return f"it counts for {condition.within_days} days: attest again, dated on or after {oldest}"


def readers_of(policy: Policy, judgement: str) -> Iterator[Reader]:
    """Every `attested` condition of the policy that reads `judgement`, with its owner."""
    for owner, condition in _conditions(policy):
        for found in _attested(condition):
            if found.judgement == judgement:
                yield Reader(owner, found)


def _conditions(policy: Policy) -> Iterator[tuple[str, c.Condition]]:
    """Every condition of the policy that is judged, with what it belongs to."""
    for gate in policy.gates:
        for rule in gate.rules:
            yield f"rule {rule.id} of gate {gate.id}", rule.require
        if gate.claimed_when is not None:
            yield f"the claimed_when of gate {gate.id}", gate.claimed_when
    for step in policy.steps:
        yield f"step {step.id}", step.done_when


def _attested(condition: c.Condition) -> Iterator[c.Attested]:
    stack: list[c.Condition] = [condition]
    while stack:
        node = stack.pop()
        match node:
            case c.Attested():
                yield node
            case c.AllOf(items=items) | c.AnyOf(items=items):
                stack.extend(reversed(items))
            case c.Not(item=item):
                stack.append(item)
            case c.CountTest(where=where) | c.Quantifier(where=where):
                if where is not None:
                    stack.append(where)
            case c.FactTest() | c.FactComparison() | c.TimeTest() | c.StepDone():
                pass
            case _:
                assert_never(node)
