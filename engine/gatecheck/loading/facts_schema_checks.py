"""Whether a facts schema is one gatecheck can use: valid, local, and matched with RE2."""

from __future__ import annotations

from typing import Any

from gatecheck.language.regexes import regex_problem


def check_schema(schema: Any) -> str | None:
    """Why `schema` is not a usable JSON Schema (Draft 2020-12), or None."""
    from gatecheck.loading.metaschema import first_problem

    problem = first_problem(schema)  # jsonschema's check_schema, its references linked once
    if problem is not None:
        return problem
    if _anywhere(schema, "patternProperties") and _anywhere(schema, "unevaluatedProperties"):
        # jsonschema would match the patterns with Python's backtracking `re` to find which keys
        # were evaluated; gatecheck matches every pattern with RE2
        return (
            "patternProperties cannot be combined with unevaluatedProperties; use"
            " additionalProperties"
        )
    return _pattern_problem(schema) or _reference_problem(schema)


def _reference_problem(schema: dict[str, Any]) -> str | None:
    """Why a `$ref` in the schema cannot be followed: gatecheck never fetches schemas."""
    stack: list[Any] = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        for keyword in ("$ref", "$dynamicRef"):
            ref = node.get(keyword)
            if isinstance(ref, str) and not _resolves(schema, ref):
                return f"{keyword} '{ref}' does not point inside this schema (#/...)"
        stack.extend(node.values())
    return None


def _resolves(schema: dict[str, Any], ref: str) -> bool:
    if ref == "#":
        return True
    if not ref.startswith("#/"):
        return False
    target: Any = schema
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")  # noqa: PLW2901 - JSON pointer escapes
        if isinstance(target, dict) and part in target:
            target = target[part]
        elif isinstance(target, list) and part.isdigit() and int(part) < len(target):
            target = target[int(part)]
        else:
            return False
    return isinstance(target, dict | bool)


def _pattern_problem(node: Any) -> str | None:
    """The first `pattern` or `patternProperties` key in a schema that RE2 cannot compile."""
    if isinstance(node, list):
        node = dict(enumerate(node))
    if not isinstance(node, dict):
        return None
    pattern = node.get("pattern")
    if isinstance(pattern, str) and (reason := regex_problem(pattern)) is not None:
        return f"pattern {pattern!r}: {reason}"
    patterns = node.get("patternProperties")
    if isinstance(patterns, dict):
        for key in patterns:
            if (reason := regex_problem(key)) is not None:
                return f"patternProperties {key!r}: {reason}"
    return next(filter(None, map(_pattern_problem, node.values())), None)


def _anywhere(node: Any, keyword: str) -> bool:
    """Whether `keyword` is a key of `node` or of any object inside it."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if keyword in item:
                return True
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False
