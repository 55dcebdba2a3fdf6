"""What a fact path names in a facts schema: its sub-schema, item schema, names and kinds.

The policy compiler checks fact paths with these, and `wording` describes facts by them. A path
the schema cannot judge statically (`anyOf`, a non-local `$ref`) leads to ANY_SCHEMA.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gatecheck.identity_cache import IdentityMemo
from gatecheck.language.regexes import compile_regex

if TYPE_CHECKING:
    from collections.abc import Collection

# What a fact path leads to in a schema: a sub-schema, or ANY_SCHEMA where the schema says nothing.
ANY_SCHEMA: dict[str, Any] = {}


def resolve(schema: dict[str, Any], node: Any) -> Any:
    """Follow a local `$ref` (such as `#/$defs/support`); other references are not followed."""
    seen = 0
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and seen < 32:  # noqa: PLR2004
        ref = node["$ref"]
        if not ref.startswith("#/"):
            return ANY_SCHEMA
        target: Any = schema
        for part in ref[2:].split("/"):
            target = target.get(part) if isinstance(target, dict) else None
        node = target if isinstance(target, dict) else ANY_SCHEMA
        seen += 1
    return node if isinstance(node, dict) else ANY_SCHEMA


def child(schema: dict[str, Any], node: Any, segment: str) -> Any:
    """The sub-schema for `segment` under `node`; None if the schema forbids it."""
    node = resolve(schema, node)
    if any(key in node for key in ("anyOf", "oneOf", "allOf", "if")):
        return ANY_SCHEMA  # too dynamic to judge statically; validation of evidence still applies
    properties = node.get("properties", {})
    if segment in properties:
        return resolve(schema, properties[segment])
    if node.get("type") == "array" or "items" in node:
        return resolve(schema, node.get("items", ANY_SCHEMA)) if segment.isdigit() else None
    patterns = node.get("patternProperties")
    if isinstance(patterns, dict):
        for pattern, sub in patterns.items():
            if isinstance(pattern, str) and compile_regex(pattern).search(segment) is not None:
                return resolve(schema, sub)
    additional = node.get("additionalProperties")
    if isinstance(additional, dict):
        return resolve(schema, additional)
    if additional is True:  # the author allows keys beyond those named
        return ANY_SCHEMA
    # An object that names its keys, and does not say others are allowed: another key is a typo
    # (JSON Schema would accept it, and the rule reading it would stay missing for ever).
    named = bool(properties) or bool(patterns)
    return None if additional is False or named else ANY_SCHEMA


def item_schema(schema: dict[str, Any], node: Any) -> Any:
    """The schema of one item of a collection (list items, or map values)."""
    node = resolve(schema, node)
    if node.get("type") == "array" or "items" in node:
        return resolve(schema, node.get("items", ANY_SCHEMA))
    additional = node.get("additionalProperties", ANY_SCHEMA)
    if isinstance(additional, dict) and additional:
        return resolve(schema, additional)
    shared = _shared_property_schema(node.get("properties"))
    return ANY_SCHEMA if shared is None else resolve(schema, shared)


def _shared_property_schema(properties: Any) -> Any:
    """The one schema every property of a `properties` object has, or None.

    Remembered by the object: a policy asks about the same map fact for each of its quantifiers,
    and comparing every property each time cost quantifiers times properties (8,000 quantifiers
    over a map of 3,000 properties: 19 s).
    """
    if not isinstance(properties, dict) or not properties:
        return None
    return _shared_schema(properties)


def _same_schema_of_all(properties: dict[str, Any]) -> Any:
    values = list(properties.values())
    return values[0] if all(value == values[0] for value in values) else None


# a few schemas per run; a long-lived process keeps only the latest
_shared_schema = IdentityMemo(_same_schema_of_all, size=256)


def names_at(schema: dict[str, Any], node: Any) -> Collection[str]:
    """The property names a schema node declares.

    The schema's own object, the same each time: hints about many unknown facts prepare its
    names once (see `suggestions`).
    """
    properties = resolve(schema, node).get("properties", {})
    return properties if isinstance(properties, dict) else {}


def kinds_of(schema: dict[str, Any], node: Any) -> set[str] | None:
    """The policy-language kinds a schema allows (number, string, date, ...), or None if any."""
    node = resolve(schema, node)
    declared = node.get("type")
    if declared is None:
        return None
    names = declared if isinstance(declared, list) else [declared]
    kinds = set()
    for name in names:
        if name == "string":
            kinds.add("date" if node.get("format") in {"date", "date-time"} else "string")
        else:
            kinds.add(
                {
                    "integer": "number",
                    "number": "number",
                    "boolean": "boolean",
                    "array": "list",
                }.get(name, "map" if name == "object" else "null")
            )
    return kinds


_ALTERNATIVES = ("anyOf", "oneOf")


def allowed_values(schema: dict[str, Any], node: Any, depth: int = 0) -> list[Any] | None:
    """The values a schema node allows (its `enum` or `const`, or every branch's), or None if any.

    `$ref`s are followed, and an `anyOf`/`oneOf` whose every branch lists its values allows their
    union; anything else (a branch without a list, `allOf`, `not`) leaves the values open.
    """
    node = resolve(schema, node)
    if "const" in node:
        return [node["const"]]
    if isinstance(node.get("enum"), list):
        return list(node["enum"])
    for keyword in _ALTERNATIVES:
        branches = node.get(keyword)
        if isinstance(branches, list) and branches and depth < 8:  # noqa: PLR2004
            values: list[Any] = []
            for branch in branches:
                found = allowed_values(schema, branch, depth + 1)
                if found is None:
                    return None
                values.extend(found)
            return values
    return None


def is_array(schema: dict[str, Any], node: Any) -> bool:
    """Whether a schema node describes a list (its `type` or its `items` say so)."""
    node = resolve(schema, node)
    declared = node.get("type")
    return declared == "array" or "items" in node
