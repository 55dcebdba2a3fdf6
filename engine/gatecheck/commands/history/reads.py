"""Which facts a policy's conditions read: to say why a verdict flipped, and what dates move."""

from __future__ import annotations

from typing import TYPE_CHECKING, assert_never

if TYPE_CHECKING:
    from collections.abc import Iterable

    from gatecheck.language.conditions import Condition
    from gatecheck.language.policy import Policy


def facts_read(condition: Condition, policy: Policy) -> set[str]:  # noqa: C901 - one case per kind
    """The fact paths a condition reads from the evidence's facts, through the steps it names."""
    from gatecheck.language import conditions as c

    found: set[str] = set()
    stack: list[Condition] = [condition]
    seen: set[str] = set()
    while stack:
        node = stack.pop()
        match node:
            case c.FactTest() | c.TimeTest():
                if node.fact.variable is None:
                    found.add(".".join(node.fact.parts))
            case c.FactComparison():
                refs = (node.fact, node.other)
                found.update(".".join(ref.parts) for ref in refs if ref.variable is None)
            case c.CountTest() | c.Quantifier():  # a `where` may read plain facts too
                if node.over.variable is None:
                    found.add(".".join(node.over.parts))
                stack.extend(() if node.where is None else (node.where,))
            case c.StepDone():
                if node.step not in seen:
                    seen.add(node.step)
                    stack.append(policy.steps_by_id[node.step].done_when)
            case c.AllOf() | c.AnyOf():
                stack.extend(node.items)
            case c.Not():
                stack.append(node.item)
            case c.Attested():
                pass
            case _:
                assert_never(node)
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


def _time_reads(node: Condition, found: set[str]) -> bool:
    """Add the facts whose age `node` tests to `found`; whether it tests any age at all."""
    from gatecheck.language import conditions as c

    match node:
        case c.TimeTest():
            if node.fact.variable is None:
                found.add(".".join(node.fact.parts))
            return True
        case c.CountTest() | c.Quantifier():
            timed = node.where is not None and _time_reads(node.where, found)
            if timed and node.over.variable is None:
                found.add(".".join(node.over.parts))
            return timed
        case c.AllOf() | c.AnyOf():
            timed = False
            for item in node.items:  # every part: each adds the facts it dates
                timed = _time_reads(item, found) or timed
            return timed
        case c.Not():
            return _time_reads(node.item, found)
        case c.FactTest() | c.FactComparison() | c.StepDone() | c.Attested():
            return False
        case _:
            assert_never(node)


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
