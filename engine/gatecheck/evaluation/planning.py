"""The steps of a policy as a networkx DAG: cycle checks, and the ordered plan of remaining work.

Edges point from a step to the steps that need it (`needs`, and `{step: ...}` references inside a
`done_when`). The plan lists the topological generations in turn (each step after everything it
needs), and the steps of one generation in policy order: deterministic, and as close to the
policy's own order as the dependencies allow.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gatecheck.errors import Problem
from gatecheck.evaluation import steps as step_states
from gatecheck.evaluation.identity_cache import IdentityCache
from gatecheck.evaluation.results import PlannedStep, PlanReport, StepStatus
from gatecheck.language.conditions import step_references

if TYPE_CHECKING:
    from collections.abc import Iterator

    import networkx as nx

    from gatecheck.documents import Document
    from gatecheck.errors import Location
    from gatecheck.evaluation.explaining import Evaluator
    from gatecheck.language.policy import Policy, Step


def dependency_graph(policy: Policy) -> nx.DiGraph[str]:
    import networkx as nx

    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from(step.id for step in policy.steps)
    known = policy.steps_by_id
    graph.add_edges_from(
        (before, step.id)
        for step in policy.steps
        for before in (*step.needs, *step.refers)
        if before in known
    )
    return graph


def cycle_problems(policy: Policy, document: Document) -> list[Problem]:
    """One located problem per dependency cycle, listing each edge with its file:line."""
    import networkx as nx

    graph = dependency_graph(policy)
    if nx.is_directed_acyclic_graph(graph):
        return []
    order = {step.id: index for index, step in enumerate(policy.steps)}
    problems = []
    components = [c for c in nx.strongly_connected_components(graph) if _cyclic(graph, c)]
    for component in sorted(components, key=lambda c: min(order[s] for s in c)):
        start = min(component, key=order.__getitem__)
        cycle = nx.find_cycle(graph.subgraph(component), source=start)
        edges = [_edge(policy, document, order, before, after) for before, after, *_ in cycle]
        problems.append(
            Problem(
                "dependency-cycle",
                "steps depend on each other in a cycle: " + "; ".join(text for text, _ in edges),
                edges[0][1],
                "remove one of these dependencies so the steps can be ordered",
            )
        )
    return problems


def _edge(
    policy: Policy, document: Document, order: dict[str, int], before: str, after: str
) -> tuple[str, Location]:
    """How `after` depends on `before`, in words, and where the policy says so."""
    step = policy.steps_by_id[after]
    if before in step.needs:
        location = document.locate(("steps", order[after], "needs", step.needs.index(before)))
        verb = "needs"
    else:
        location = next(r.location for r in step_references(step.done_when) if r.step == before)
        verb = "refers in done_when to"
    return f"'{after}' {verb} '{before}' ({location})", location


def _cyclic(graph: nx.DiGraph[str], component: set[str]) -> bool:
    if len(component) > 1:
        return True
    (only,) = component
    return graph.has_edge(only, only)


def with_order(policy: Policy) -> Policy:
    """The policy with its step order, from the networkx DAG.

    It depends on the policy alone, so it is computed when the policy is validated and cached
    with it. The steps each gate needs are not: stored for every gate, they grow with gates times
    steps (one rule naming 8,000 chained steps took 2.3 GB and 90 s to validate); `gate_steps`
    finds one gate's when a plan asks for it, in time linear in the policy.
    """
    import networkx as nx

    graph = dependency_graph(policy)
    position = {step.id: index for index, step in enumerate(policy.steps)}
    order = tuple(
        step_id
        for generation in nx.topological_generations(graph)
        for step_id in sorted(generation, key=position.__getitem__)
    )
    return policy._replace(order=order)


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
    return PlanReport(
        subject=evidence.subject,
        policy=policy.ref,
        evidence=evidence.path,
        now=evaluator.now,
        gate=gate,
        steps=planned,
        next=tuple(p.step for p in planned if p.status is StepStatus.READY),
        remaining=remaining,
    )


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
    truth = evaluator.truth
    steps = policy.steps_by_id
    done = {step_id: truth.step(step_id) is True for step_id in policy.order}
    return {
        step_id: step_states.status(finished, (done[need] for need in steps[step_id].needs))
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
