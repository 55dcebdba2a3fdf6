"""Reading the fact paths of conditions: `$item` and `$key`, freshness, and the schema node named.

With checks, a path is also looked up in the facts schema, and what does not hold (a variable
outside a quantifier, an empty part, a name the schema does not have) becomes a located problem.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from gatecheck.errors import Problem, known_names_hint
from gatecheck.language import facts_schema as fact_schema
from gatecheck.language.conditions import ITEM, KEY, FactRef

if TYPE_CHECKING:
    from gatecheck.errors import Location
    from gatecheck.language.compile_checks import Checks


class SchemaScope(NamedTuple):
    """Schemas of `$item` and `$key` inside a quantifier; `inside` is False at the top level."""

    inside: bool = False
    item_schema: Any = None


def read_fact_path(
    text: str,
    location: Location,
    scope: SchemaScope,
    checks: Checks | None,
    fresh: tuple[tuple[str, ...], ...],
) -> tuple[FactRef, Any]:
    """The fact path `text` parsed; with checks, also its schema node (None if unknown).

    `fresh` holds the policy's `freshness` paths: a read of a fact under one checks staleness.
    """
    head, *rest = text.split(".")
    variable = head if head.startswith("$") else None
    parts = tuple(rest if variable else [head, *rest])
    watched = variable is None and any(
        parts[: len(unit)] == unit or unit[: len(parts)] == parts for unit in fresh
    )
    ref = FactRef(text, variable, parts, watched)
    if variable is not None and (variable not in {ITEM, KEY} or not scope.inside):
        _problem(
            checks,
            "unknown-variable",
            f"'{variable}' is not defined here",
            location,
            "$item and $key exist only inside the `where` of some/every/none/count",
        )
        return ref, None
    if variable == KEY and parts:
        _problem(checks, "unknown-variable", "$key has no fields", location, "write just $key")
    if any(part == "" for part in parts):
        _problem(checks, "bad-fact", f"fact path '{text}' has an empty part", location)
        return ref, None
    if checks is None or checks.facts_schema is None:
        return ref, None
    if variable == KEY:
        return ref, fact_schema.ANY_SCHEMA  # a map key or a list index
    node = scope.item_schema if variable == ITEM else checks.facts_schema
    return ref, _walk(checks, node, parts, text, location)


def item_schema_of(checks: Checks | None, node: Any) -> Any:
    """The schema of one item of the collection at `node`; None without a facts schema."""
    if checks is None or checks.facts_schema is None or node is None:
        return None
    return fact_schema.item_schema(checks.facts_schema, node)


def _walk(checks: Checks, node: Any, parts: tuple[str, ...], text: str, location: Location) -> Any:
    schema = checks.facts_schema
    if schema is None or node is None:
        return None
    for depth, part in enumerate(parts):
        found = fact_schema.child(schema, node, part)
        if found is None:
            known = fact_schema.names_at(schema, node)
            prefix = ".".join(parts[:depth])
            _problem(
                checks,
                "unknown-fact",
                f"fact '{text}' is not in the policy's facts schema"
                + (f" ('{prefix}' has no '{part}')" if prefix else ""),
                location,
                known_names_hint(part, known, "fact"),
            )
            return None
        node = found
    return node


def _problem(
    checks: Checks | None, code: str, message: str, location: Location, hint: str | None = None
) -> None:
    if checks is not None:
        checks.problems.append(Problem(code, message, location, hint))
