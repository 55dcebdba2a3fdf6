"""`gatecheck explain`: what a rule or step requires, where it comes from, and what feeds it.

A NAME is `rule-id`, `gate/rule-id`, `step-id`, or one of these after `rule:` or `step:`. A name
that is both a step and a rule (the bundled `c-api`) explains both, step first; the prefix picks
one. Without `--policy`, the default version of every policy is searched.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, NamedTuple

from gatecheck.errors import InvalidInput, Location, Problem, known_names_hint
from gatecheck.language.examples import Example, example, schema_placeholder
from gatecheck.language.values import show_as_written
from gatecheck.language.wording import describe
from gatecheck.loading.policies import load_policies
from gatecheck.loading.policy_catalogue import policy_option

if TYPE_CHECKING:
    import datetime as dt

    from gatecheck.language.conditions import Condition
    from gatecheck.language.policy import Gate, Policy, Rule, Step
    from gatecheck.project.layout import Project


class Explained(NamedTuple):
    kind: str  # rule or step
    name: str  # gate/rule-id or step-id
    title: str
    policy: str
    source: str
    location: Location
    words: list[str]
    yaml: list[str]
    hint: str | None
    steps: list[str]  # rule: the steps it lists and what they need; step: what it needs
    needs: list[str]  # step: its direct needs
    needed_by: list[str]  # step: steps that need it or refer to it, rules that list or name it
    example: Example


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


# -- output -------------------------------------------------------------------------------------


def example_yaml(found: Example) -> list[str]:
    """The example as an evidence file's `facts:` and `attestations:` sections."""
    lines: list[str] = []
    if found.facts:
        lines.append("facts:")
        lines.extend(_yaml(found.facts, 1, (), found.notes))
    if found.attestations:
        lines.append("attestations:")
        for entry in found.attestations:
            lines.append(f"  - judgement: {_scalar(entry['judgement'])}")
            lines.append(f"    by: {_scalar(entry['by'])}")
            lines.append(f"    date: {_scalar(entry['date'])}")
    return lines


def _yaml(
    data: dict[str, Any], depth: int, path: tuple[str, ...], notes: dict[str, str]
) -> list[str]:
    pad = "  " * depth
    lines: list[str] = []
    for key, value in data.items():
        here = (*path, str(key))
        note = notes.get(".".join(here))
        comment = f"  # {note}" if note else ""
        if isinstance(value, dict) and value:
            lines.append(f"{pad}{_scalar(key)}:{comment}")
            lines.extend(_yaml(value, depth + 1, here, notes))
        elif isinstance(value, list) and value and all(isinstance(i, dict) for i in value):
            lines.append(f"{pad}{_scalar(key)}:{comment}")
            for item in value:
                inner = _yaml(item, depth + 2, here, notes) or [f"{pad}    {{}}"]
                lines.append(f"{pad}  - " + inner[0].lstrip())
                lines.extend(inner[1:])
        else:
            lines.append(f"{pad}{_scalar(key)}: {_flow(value)}{comment}")
    return lines


def _flow(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_flow(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_scalar(k)}: {_flow(v)}" for k, v in value.items()) + "}"
    return _scalar(value)


_PLAIN_UNSAFE = set(":#[]{},&*!|>'\"%@`")


def _scalar(value: Any) -> str:
    if not isinstance(value, str):
        return show_as_written(value)
    special = value.lower() in {"true", "false", "null", "yes", "no", "on", "off", "~", ""}
    looks_numeric = value.replace(".", "", 1).replace("-", "").isdigit()
    if (
        special
        or looks_numeric
        or value[0] in "-?" + "".join(_PLAIN_UNSAFE)
        or value != value.strip()
        or any(ch in _PLAIN_UNSAFE for ch in value)
    ):
        return json.dumps(value)
    return value


def render_text(found: list[Explained], now: dt.date) -> str:
    from gatecheck.reporters.escape import terminal, terminal_lines

    def names(items: list[str]) -> str:
        return terminal(", ".join(items))

    out: list[str] = []
    for item in found:
        if out:
            out.append("")
        out.append(f"{item.kind} {terminal(item.name)}: {terminal(item.title)}")
        where = terminal(f"{item.location.path}:{item.location.line}")
        out.append(f"  policy: {terminal(item.policy)}, {where}")
        out.append(f"  source: {terminal(item.source)}")
        out.append("")
        out.append("requires, in words:")
        out.extend(f"  {terminal(line)}" for line in item.words)
        if item.hint:
            out.append(f"  hint: {terminal(item.hint)}")
        out.append("")
        out.append("as written:")
        out.extend(f"  {terminal_lines(line)}" if line else "" for line in item.yaml)
        out.append("")
        if item.kind == "rule":
            out.append("steps that feed it, in plan order:")
            out.append(f"  {names(item.steps)}" if item.steps else "  (none listed)")
        else:
            out.append(f"needs: {names(item.needs) or '(nothing)'}")
            before = [name for name in item.steps if name not in item.needs]
            if before:
                out.append(f"  and before those, in plan order: {names(before)}")
            out.append(f"needed by: {names(item.needed_by) or '(nothing)'}")
        out.append("")
        out.append(f"an example of evidence that passes (evaluated on {now.isoformat()}):")
        snippet = example_yaml(item.example)
        out.extend(f"  {terminal_lines(line)}" for line in snippet) if snippet else out.append(
            "  (no facts needed)"
        )
        if item.example.missing:
            out.append("  not exemplified (write these yourself):")
            out.extend(f"    - {terminal(reason)}" for reason in item.example.missing)
    return "\n".join(out) + "\n"


def render_json(found: list[Explained], now: dt.date) -> str:
    def one(item: Explained) -> dict[str, Any]:
        data: dict[str, Any] = {
            "kind": item.kind,
            "name": item.name,
            "title": item.title,
            "policy": item.policy,
            "source": item.source,
            "location": {
                "file": item.location.path,
                "line": item.location.line,
                "column": item.location.column,
            },
            "words": item.words,
            "yaml": "\n".join(item.yaml) + "\n",
            "hint": item.hint,
        }
        if item.kind == "rule":
            data["steps"] = item.steps
        else:
            data["needs"] = item.needs
            data["needs_all"] = item.steps
            data["needed_by"] = item.needed_by
        data["example"] = {
            "yaml": "\n".join(example_yaml(item.example)) + "\n",
            "notes": item.example.notes,
            "not_exemplified": item.example.missing,
        }
        return data

    from gatecheck.reporters.escape import json_text

    document = {"now": now.isoformat(), "explained": [one(item) for item in found]}
    return json_text(json.dumps(document, indent=2, ensure_ascii=False)) + "\n"
