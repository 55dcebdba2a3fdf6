"""Apply a subject's plan in memory: the evidence data a collection would write (for a replay)."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping

    from gatecheck.collectors.planning import Plan


def apply_plan(existing: Mapping[str, Any] | None, plan: Plan, create: Mapping[str, Any]) -> Any:
    """The evidence data after `plan`, made in memory (what `edit_evidence` would write)."""
    data: dict[str, Any] = (
        copy.deepcopy(dict(existing)) if existing is not None else {**create, "facts": {}}
    )
    data.update(plan.envelope)
    sources: dict[str, Any] = data.setdefault("sources", {})
    for fact in plan.remove:
        _delete(data["facts"], fact.split("."))
        for name in [name for name in sources if name == fact or name.startswith(fact + ".")]:
            del sources[name]
    for fact, (value, source) in plan.facts.items():
        node = data["facts"]
        *parents, last = fact.split(".")
        for part in parents:
            if not isinstance(node.get(part), dict):
                node[part] = {}
            node = node[part]
        node[last] = copy.deepcopy(value)
        sources[fact] = dict(source)
    sources.update({path: dict(source) for path, source in plan.sources.items()})
    if not sources:
        del data["sources"]
    return data


def _delete(node: Any, parts: list[str]) -> None:
    for part in parts[:-1]:
        node = node.get(part) if isinstance(node, dict) else None
    if isinstance(node, dict):
        node.pop(parts[-1], None)
