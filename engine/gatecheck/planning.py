"""The steps of a policy as a networkx DAG: cycle checks, and the ordered plan of remaining work.

Edges point from a step to the steps that need it (`needs`, and `{step: ...}` references inside a
`done_when`). Order is a lexicographic topological sort keyed by position in the policy, so the
plan is deterministic and follows the policy's own order wherever dependencies allow.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gatecheck.errors import Problem
from gatecheck.policy import step_references
from gatecheck.report import PlannedStep, PlanReport, StepStatus

if TYPE_CHECKING:
    import networkx as nx

    from gatecheck.evaluation import Evaluator
    from gatecheck.policy import Policy


def dependency_graph(policy: Policy) -> nx.DiGraph[str]:
    import networkx as nx

    graph: nx.DiGraph[str] = nx.DiGraph()
    for step in policy.steps:
        graph.add_node(step.id)
    known = policy.steps_by_id
    for step in policy.steps:
        for need, location in zip(step.needs, step.needs_at, strict=True):
            if need in known:
                graph.add_edge(need, step.id, via="needs", location=location)
        for reference in step_references(step.done_when):
            if reference.step in known:
                graph.add_edge(
                    reference.step, step.id, via="done_when", location=reference.location
                )
    return graph


def cycle_problems(policy: Policy) -> list[Problem]:
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
        edges = []
        for before, after, *_ in cycle:
            data = graph.edges[before, after]
            verb = "needs" if data["via"] == "needs" else "refers in done_when to"
            edges.append(f"'{after}' {verb} '{before}' ({data['location']})")
        first = graph.edges[cycle[0][0], cycle[0][1]]
        problems.append(
            Problem(
                "dependency-cycle",
                "steps depend on each other in a cycle: " + "; ".join(edges),
                first["location"],
                "remove one of these dependencies so the steps can be ordered",
            )
        )
    return problems


def _cyclic(graph: nx.DiGraph[str], component: set[str]) -> bool:
    if len(component) > 1:
        return True
    (only,) = component
    return graph.has_edge(only, only)


def build_plan(evaluator: Evaluator, gate: str | None) -> PlanReport:
    """Every step's state in the order to do them; with `gate`, only the work that gate needs."""
    import networkx as nx

    evidence = evaluator.evidence
    policy = evidence.policy
    graph = dependency_graph(policy)
    position = {step.id: index for index, step in enumerate(policy.steps)}
    wanted = _steps_for(policy, graph, gate) if gate is not None else set(position)
    ordered = [
        step_id
        for step_id in nx.lexicographical_topological_sort(graph, key=position.__getitem__)
        if step_id in wanted
    ]
    planned = tuple(_planned(evaluator, step_id) for step_id in ordered)
    remaining = {
        g.id: tuple(
            s
            for s in ordered_for(policy, graph, g.id, position)
            if evaluator.step_status(s) is not StepStatus.DONE
        )
        for g in policy.gates
        if gate is None or g.id == gate
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


def ordered_for(
    policy: Policy, graph: nx.DiGraph[str], gate: str, position: dict[str, int]
) -> list[str]:
    import networkx as nx

    wanted = _steps_for(policy, graph, gate)
    sub = graph.subgraph(wanted)
    return list(nx.lexicographical_topological_sort(sub, key=position.__getitem__))


def _steps_for(policy: Policy, graph: nx.DiGraph[str], gate_id: str) -> set[str]:
    """The steps a gate's rules name, and every step those need, directly or not."""
    import networkx as nx

    gate = policy.gate(gate_id)
    direct = {step for rule in gate.rules for step in rule.steps} if gate else set()
    wanted = set(direct)
    for step in direct:
        wanted |= nx.ancestors(graph, step)
    return wanted


def _planned(evaluator: Evaluator, step_id: str) -> PlannedStep:
    step = evaluator.evidence.policy.steps_by_id[step_id]
    status = evaluator.step_status(step_id)
    outcome = evaluator.step_outcome(step_id)
    blocked_by = tuple(
        need for need in step.needs if evaluator.step_status(need) is not StepStatus.DONE
    )
    reason = None
    if status is not StepStatus.DONE and outcome.details:
        reason = outcome.details[0].message
    return PlannedStep(
        step=step.id,
        title=step.title,
        status=status,
        needs=step.needs,
        blocked_by=blocked_by if status is StepStatus.BLOCKED else (),
        source=step.source,
        reason=reason,
        location=step.location,
    )
