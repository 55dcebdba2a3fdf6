"""A case's `set:` applied to its evidence facts: each dotted path checked, then assigned."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gatecheck.errors import Problem

if TYPE_CHECKING:
    from gatecheck.errors import Location


def set_problem(schema: dict[str, Any], key: str, location: Location) -> Problem | None:
    """Why `key` cannot name a fact of the policy's facts schema, if it cannot."""
    from gatecheck.errors import known_names_hint
    from gatecheck.language import facts_schema as fact_schema

    parts = key.split(".")
    if "" in parts:
        return Problem("bad-set", f"fact path '{key}' has an empty part", location)
    node: Any = schema
    for depth, part in enumerate(parts):
        found = fact_schema.child(schema, node, part)
        if found is None:
            prefix = ".".join(parts[:depth])
            return Problem(
                "unknown-fact",
                f"set: fact '{key}' is not in the policy's facts schema"
                + (f" ('{prefix}' has no '{part}')" if prefix else ""),
                location,
                known_names_hint(part, fact_schema.names_at(schema, node), "fact"),
            )
        node = found
    return None


def assign(facts: dict[str, Any], key: str, value: Any) -> tuple[str | int, ...] | str:
    """Set (or, for null, remove) the fact at dotted `key`; its concrete path, or why not."""
    parts = key.split(".")
    node: Any = facts
    walked: list[str | int] = []
    for part in parts[:-1]:
        if isinstance(node, dict) and node.get(part) is None:
            if value is None:
                return (*walked, *parts[len(walked) :])  # nothing below an absent fact to remove
            node[part] = {}
        found = _child(node, part, walked)
        if isinstance(found, str):
            return found
        node, index = found
        walked.append(index)
    last = parts[-1]
    if isinstance(node, dict):
        if value is None:
            node.pop(last, None)
        else:
            node[last] = value
        return (*walked, last)
    found = _child(node, last, walked)
    if isinstance(found, str):
        return found
    if value is None:
        del node[int(last)]
    else:
        node[int(last)] = value
    return (*walked, int(last))


def _child(node: Any, part: str, walked: list[str | int]) -> tuple[Any, str | int] | str:
    """The item `part` names in a mapping or list, with its key or index; or why there is none."""
    from gatecheck.language.values import show

    where = ".".join(map(str, walked))
    if isinstance(node, dict):
        return node[part], part
    if isinstance(node, list):
        if part.isdigit() and int(part) < len(node):
            return node[int(part)], int(part)
        return f"'{where}' is a list of {len(node)} item(s); '{part}' is not one of its indexes"
    return f"'{where}' is {show(node)}, not a mapping or a list"
