"""Which facts a policy's conditions read: to say why a verdict flipped, and what dates move."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable

    from gatecheck.language.conditions import Condition
    from gatecheck.language.policy import Policy


def facts_read(condition: Condition, policy: Policy) -> set[str]:
    """The fact paths a condition reads from the evidence's facts, through the steps it names."""
    from gatecheck.language.conditions import CountTest, FactTest, Quantifier, StepDone, TimeTest

    found: set[str] = set()
    stack: list[Any] = [condition]
    seen: set[str] = set()
    while stack:
        node = stack.pop()
        if isinstance(node, FactTest | TimeTest) and node.fact.variable is None:
            found.add(".".join(node.fact.parts))
        elif isinstance(node, CountTest | Quantifier) and node.over.variable is None:
            found.add(".".join(node.over.parts))
        elif isinstance(node, StepDone) and node.step not in seen:
            seen.add(node.step)
            stack.append(policy.steps_by_id[node.step].done_when)
        for attribute in ("items", "item", "where"):  # a `where` may read plain facts too
            child = getattr(node, attribute, None)
            if isinstance(child, tuple):
                stack.extend(child)
            elif child is not None:
                stack.append(child)
    return found


def dated_reads(policy: Policy) -> frozenset[str]:
    """The facts whose verdicts move with the judging date.

    Those a time test reads, and the collections a quantifier with a time test inside looks
    through.
    """
    found: set[str] = set()
    conditions = [rule.require for gate in policy.gates for rule in gate.rules]
    conditions += [gate.claimed_when for gate in policy.gates if gate.claimed_when is not None]
    conditions += [step.done_when for step in policy.steps]
    for condition in conditions:
        _time_reads(condition, found)
    return frozenset(found)


def _time_reads(node: Any, found: set[str]) -> bool:
    """Add the facts whose age `node` tests to `found`; whether it tests any age at all."""
    from gatecheck.language.conditions import CountTest, Quantifier, TimeTest

    if isinstance(node, TimeTest):
        if node.fact.variable is None:
            found.add(".".join(node.fact.parts))
        return True
    timed = False
    for attribute in ("items", "item", "where"):
        child = getattr(node, attribute, None)
        for item in child if isinstance(child, tuple) else (child,) if child is not None else ():
            timed = _time_reads(item, found) or timed
    if timed and isinstance(node, CountTest | Quantifier) and node.over.variable is None:
        found.add(".".join(node.over.parts))
    return timed


def declaration_facts(policies: Iterable[Policy]) -> frozenset[str]:
    """The facts that declare something about a subject: those a gate's `claimed_when` reads."""
    return frozenset(
        fact
        for policy in policies
        for gate in policy.gates
        if gate.claimed_when is not None
        for fact in facts_read(gate.claimed_when, policy)
    )


def touches(fact: str, reads: Iterable[str]) -> bool:
    return any(
        fact == read or fact.startswith(read + ".") or read.startswith(fact + ".") for read in reads
    )
