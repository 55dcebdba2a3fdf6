"""A case's `expect:` read against its policy: gate, rule and step names checked, rules resolved."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gatecheck.errors import Problem, known_names_hint
from gatecheck.policytests.run import GATE, RULE, STEP, Expectation

if TYPE_CHECKING:
    from gatecheck.documents import DataPath, Document
    from gatecheck.errors import Location
    from gatecheck.language.policy import Policy


def expectations(document: Document, path: DataPath, policy: Policy) -> list[Expectation]:
    """The outcomes case `path` expects, in the file's order; a rule named alone gets its gate."""
    expect = document.data["cases"][path[1]]["expect"]
    found = []
    for kind, key in ((GATE, "gates"), (RULE, "rules"), (STEP, "steps")):
        for name, expected in expect.get(key, {}).items():
            full = _rule_key(policy, name) if kind == RULE else name
            where = document.locate_key((*path, "expect", key, name))
            found.append(Expectation(kind, full or name, expected, where))
    return sorted(found, key=lambda expectation: expectation.location)  # in the file's order


def _rule_key(policy: Policy, name: str) -> str | None:
    """`gate/rule` for a rule named either way, or None if it names no single rule."""
    gate_id, slash, rule_id = name.rpartition("/")
    if slash:
        gate = policy.gate(gate_id)
        found = gate is not None and any(rule.id == rule_id for rule in gate.rules)
        return name if found else None
    gates = [gate.id for gate in policy.gates if any(rule.id == name for rule in gate.rules)]
    return f"{gates[0]}/{name}" if len(gates) == 1 else None


def expectation_problems(document: Document, path: DataPath, policy: Policy) -> list[Problem]:
    """What is wrong with case `path`'s `expect:`: empty, or naming what the policy lacks."""
    expect = document.data["cases"][path[1]]["expect"]
    where = (*path, "expect")
    if not any(expect.get(key) for key in ("gates", "rules", "steps")):
        return [
            Problem(
                "missing-key",
                "`expect` names no gate, rule or step",
                document.locate(where),
                "add gates:, rules: or steps: with the outcomes this case should have",
            )
        ]
    gates = [gate.id for gate in policy.gates]
    problems = [
        _unknown("gate", name, gates, document.locate_key((*where, "gates", name)), policy)
        for name in expect.get("gates", {})
        if name not in gates
    ]
    problems.extend(
        _unknown(
            "step", name, policy.steps_by_id, document.locate_key((*where, "steps", name)), policy
        )
        for name in expect.get("steps", {})
        if name not in policy.steps_by_id
    )
    problems.extend(
        _unknown_rule(name, policy, document.locate_key((*where, "rules", name)))
        for name in expect.get("rules", {})
        if _rule_key(policy, name) is None
    )
    return problems


def _unknown(kind: str, name: str, known: Any, location: Location, policy: Policy) -> Problem:
    return Problem(
        f"unknown-{kind}",
        f"{kind} '{name}' is not in policy {policy.ref}",
        location,
        known_names_hint(name, known, kind),
    )


def _unknown_rule(name: str, policy: Policy, location: Location) -> Problem:
    every = [f"{gate.id}/{rule.id}" for gate in policy.gates for rule in gate.rules]
    gate_id, slash, rule_id = name.rpartition("/")
    if slash:
        gate = policy.gate(gate_id)
        if gate is None:
            return _unknown("gate", gate_id, [g.id for g in policy.gates], location, policy)
        known = [rule.id for rule in gate.rules]
        return Problem(
            "unknown-rule",
            f"gate {gate_id} of policy {policy.ref} has no rule '{rule_id}'",
            location,
            known_names_hint(rule_id, known, "rule"),
        )
    holders = [gate.id for gate in policy.gates if any(rule.id == name for rule in gate.rules)]
    if len(holders) > 1:
        return Problem(
            "unknown-rule",
            f"rule '{name}' is in gates {', '.join(holders)} of policy {policy.ref}",
            location,
            f"name one: {', '.join(f'{gate}/{name}' for gate in holders)}",
        )
    bare = [rule.id for gate in policy.gates for rule in gate.rules]
    return Problem(
        "unknown-rule",
        f"rule '{name}' is not in policy {policy.ref}",
        location,
        known_names_hint(name, bare + every, "rule"),
    )
