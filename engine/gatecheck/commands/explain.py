"""`gatecheck explain`: what a rule or step requires, where it comes from, and what feeds it.

A NAME is `rule-id`, `gate/rule-id`, `step-id`, or one of these after `rule:` or `step:`. A name
that is both a step and a rule (the bundled `c-api`) explains both, step first; the prefix picks
one. Without `--policy`, the default version of every policy is searched.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gatecheck.errors import InvalidInput, Location, Problem, known_names_hint
from gatecheck.language.examples import example, schema_placeholder
from gatecheck.language.explained import Explained
from gatecheck.language.wording import describe
from gatecheck.loading.policies import load_policies
from gatecheck.loading.policy_catalogue import policy_option

if TYPE_CHECKING:
    import datetime as dt

    from gatecheck.language.conditions import Condition
    from gatecheck.language.examples import Example
    from gatecheck.language.policy import Gate, Policy, Rule, Step
    from gatecheck.project.layout import Project


def explain(
    project: Project, name: str, *, policy: str | None, gate: str | None, now: dt.date
) -> list[Explained]:
    policies = load_policies(project)
    where = Location(project.policies.display + "/", 0, 0)
    if policy is not None:
        searched = [policy_option(policies, policy, where)]
    else:
        if policies.problems:
            raise InvalidInput(policies.problems)
        searched = [
            found
            for family in sorted(policies.by_name)
            if not isinstance(found := policies.resolve(family), str)
        ]
    kind, _, bare = name.rpartition(":") if name.startswith(("rule:", "step:")) else ("", "", name)
    gate_id, _, rule_id = bare.rpartition("/")
    gate_id = gate_id or (gate or "")
    results: list[Explained] = []
    if gate_id and all(item.gate(gate_id) is None for item in searched):
        raise InvalidInput([_unknown_gate(gate_id, item) for item in searched])
    for item in searched:
        schema = policies.facts_schema(item)
        if kind in {"", "step"} and "/" not in bare and bare in item.steps_by_id:
            results.append(_step(item, item.steps_by_id[bare], project, now, schema))
        if kind in {"", "rule"}:
            for found_gate in item.gates:
                if gate_id and found_gate.id != gate_id:
                    continue
                results.extend(
                    _rule(item, found_gate, rule, project, now, schema)
                    for rule in found_gate.rules
                    if rule.id == rule_id
                )
    if not results:
        raise InvalidInput([_unknown_name(name, searched, kind, where)])
    return results


def _unknown_gate(gate_id: str, policy: Policy) -> Problem:
    return Problem(
        "unknown-gate",
        f"policy {policy.ref} has no gate '{gate_id}'",
        policy.location,
        known_names_hint(gate_id, [g.id for g in policy.gates], "gate"),
    )


def _unknown_name(name: str, searched: list[Policy], kind: str, where: Location) -> Problem:
    names: set[str] = set()
    for policy in searched:
        if kind != "rule":
            names.update(policy.steps_by_id)
        if kind != "step":
            names.update(rule.id for gate in policy.gates for rule in gate.rules)
            names.update(f"{gate.id}/{rule.id}" for gate in policy.gates for rule in gate.rules)
    what = {"rule": "rule", "step": "step"}.get(kind, "rule or step")
    refs = ", ".join(policy.ref for policy in searched) or "no policy"
    bare = name.split(":", 1)[1] if kind else name
    return Problem(
        "unknown-rule",
        f"no {what} is named '{bare}' in {refs}",
        searched[0].location if len(searched) == 1 else where,
        known_names_hint(bare, names, what.replace(" or ", "/")),
    )


# -- one rule or step ------------------------------------------------------------------------------


def _step(
    policy: Policy, step: Step, project: Project, now: dt.date, schema: dict[str, Any]
) -> Explained:
    before = _upstream(policy, [*step.needs, *step.refers])
    needed_by = [
        other.id for other in policy.steps if step.id in other.needs or step.id in other.refers
    ]
    needed_by += [
        f"rule {gate.id}/{rule.id}"
        for gate in policy.gates
        for rule in gate.rules
        if step.id in rule.steps or step.id in _named_steps(rule.require)
    ]
    return Explained(
        kind="step",
        name=step.id,
        title=step.title,
        policy=policy.ref,
        source=step.source,
        location=step.location,
        words=describe(step.done_when),
        yaml=_yaml_lines(project, step.location),
        hint=step.hint,
        steps=before,
        needs=list(step.needs),
        needed_by=needed_by,
        example=_example(policy, step.done_when, now, schema),
    )


def _rule(  # noqa: PLR0913, PLR0917 - private, called once
    policy: Policy,
    gate: Gate,
    rule: Rule,
    project: Project,
    now: dt.date,
    schema: dict[str, Any],
) -> Explained:
    return Explained(
        kind="rule",
        name=f"{gate.id}/{rule.id}",
        title=rule.title,
        policy=policy.ref,
        source=rule.source,
        location=rule.location,
        words=describe(rule.require),
        yaml=_yaml_lines(project, rule.location),
        hint=rule.hint,
        steps=_upstream(policy, [*rule.steps, *_named_steps(rule.require)], keep=True),
        needs=[],
        needed_by=[],
        example=_example(policy, rule.require, now, schema),
    )


def _named_steps(condition: Condition) -> list[str]:
    from gatecheck.language.conditions import step_references

    return list(dict.fromkeys(ref.step for ref in step_references(condition)))


def _upstream(policy: Policy, start: list[str], *, keep: bool = False) -> list[str]:
    """The steps in `start` (with `keep`) and every step they need, in plan order."""
    found: set[str] = set(start) if keep else set()
    stack = [need for name in start for need in _before(policy, name)] + (
        [] if keep else list(start)
    )
    while stack:
        name = stack.pop()
        if name in found:
            continue
        found.add(name)
        stack.extend(_before(policy, name))
    order = policy.order or tuple(step.id for step in policy.steps)
    return [name for name in order if name in found]


def _before(policy: Policy, name: str) -> tuple[str, ...]:
    step = policy.steps_by_id.get(name)
    return (*step.needs, *step.refers) if step is not None else ()


def _example(policy: Policy, condition: Condition, now: dt.date, schema: dict[str, Any]) -> Example:
    def done_when(step_id: str) -> Condition | None:
        step = policy.steps_by_id.get(step_id)
        return step.done_when if step is not None else None

    return example(condition, now, done_when, schema_placeholder(schema))


def _yaml_lines(project: Project, location: Location) -> list[str]:
    """The entry's own lines in the policy file, from its `- ` to the line before the next one."""
    file = next(
        (item for item in project.policies.yaml_files() if item.display == location.path), None
    )
    if file is None:  # pragma: no cover - the policy was just loaded from it
        return []
    lines = file.read_bytes().decode("utf-8-sig").splitlines()
    start = location.line - 1
    indent = location.column - 1
    taken = [lines[start]]
    for line in lines[start + 1 :]:
        stripped = line.lstrip()
        if stripped and len(line) - len(stripped) < indent:
            break
        taken.append(line)
    while taken and (not taken[-1].strip() or taken[-1].lstrip().startswith("#")):
        taken.pop()
    return taken
