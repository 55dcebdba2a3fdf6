"""The steps of a policy as a networkx DAG, at load time: dependency cycles, and the step order.

Edges point from a step to the steps that need it (`needs`, and `{step: ...}` references inside a
`done_when`). A cycle is a located problem of the policy file. The order lists the topological
generations in turn (each step after everything it needs), and the steps of one generation in
policy order: deterministic, and as close to the policy's own order as the dependencies allow. It
is stored on the policy (`Policy.order`), cached with it, and read by `evaluation.planning`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gatecheck.errors import Problem
from gatecheck.language.conditions import step_references

if TYPE_CHECKING:
    import networkx as nx

    from gatecheck.documents import Document
    from gatecheck.errors import Location
    from gatecheck.language.policy import Policy


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
