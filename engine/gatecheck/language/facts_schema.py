"""JSON Schemas for evidence facts: validating facts, and looking up what a fact path names.

Facts come from YAML, so dates are real date objects. The validator treats them as JSON Schema
strings, and `format: date` / `format: date-time` accept only real dates: a quoted "2024-01-01" is
an error, because the engine compares dates with dates and would otherwise fail the rule later.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from gatecheck.errors import Problem
from gatecheck.language.identity_memo import IdentityMemo
from gatecheck.loading.documents import SCHEMA_WORK_FLOOR, SCHEMA_WORK_PER_VALUE

if TYPE_CHECKING:
    from collections.abc import Collection, Iterator

    from gatecheck.loading.documents import DataPath, Document
    from gatecheck.loading.schema_budget import Budget

# What a fact path leads to in a schema: a sub-schema, or ANY_SCHEMA where the schema says nothing.
ANY_SCHEMA: dict[str, Any] = {}


def validate_facts(
    schema: dict[str, Any], facts: Any, document: Document, base: DataPath
) -> Iterator[Problem]:
    """Yield one located problem per schema violation in `facts` (found at `base` in `document`).

    A null value is a fact recorded as known to be unknown (docs/evidence.md, "Facts"): it
    satisfies any type, while its key must still be one the schema allows. A schema that cannot be
    validated with (a `$ref` cycle: the loader refuses those first), or facts that would cost more
    than their budget to check, give one problem at `base`.
    """
    from gatecheck.loading.schema_budget import OverBudgetError
    from gatecheck.loading.schema_tree import SchemaCostError

    try:
        validator, budget = _validator(schema)
        budget.start(facts)
        errors = sorted(validator.iter_errors(facts), key=lambda e: list(map(str, e.absolute_path)))
    except SchemaCostError as refused:
        yield Problem(refused.code, refused.message, document.locate(base), refused.hint)
        return
    except OverBudgetError as spent:
        yield _too_costly(document, base, spent.allowance)
        return
    for error in errors:
        if error.instance is None:  # null: known to be unknown, whatever the fact's type
            continue
        path = (*base, *error.absolute_path)
        unknown = _unknown_key(error)
        yield Problem(
            "schema-violation",
            _message(error, path, unknown),
            _location(document, path, unknown),
            _hint(error, unknown),
        )


def _too_costly(document: Document, base: DataPath, allowance: int) -> Problem:
    return Problem(
        "too-costly",
        f"checking these facts against the facts schema takes more than {allowance:,} steps"
        f" (the limit: {SCHEMA_WORK_PER_VALUE} per value of the facts, at least"
        f" {SCHEMA_WORK_FLOOR:,})",
        document.locate(base),
        "simplify the facts schema: fewer allOf/anyOf/oneOf branches and keywords that apply to"
        " the same values",
    )


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


def _new_validator(schema: dict[str, Any]) -> tuple[Any, Budget]:
    """A validator of facts against `schema` and the budget its keywords charge."""
    import jsonschema
    from jsonschema import Draft202012Validator, FormatChecker

    from gatecheck.loading import schema_budget, schema_tree

    formats = FormatChecker(formats=())
    formats.checks("date")(_is_date)
    formats.checks("date-time")(_is_datetime)
    types = Draft202012Validator.TYPE_CHECKER.redefine(
        "string", lambda _checker, value: isinstance(value, str | dt.date)
    )
    budget = schema_budget.Budget()
    keywords = {
        **Draft202012Validator.VALIDATORS,
        "pattern": _pattern,
        "patternProperties": _pattern_properties,
        "additionalProperties": _additional_properties,
        **schema_budget.keywords(budget),
    }
    validator_class = jsonschema.validators.extend(  # type: ignore[no-untyped-call]
        Draft202012Validator, validators=schema_budget.paid(keywords, budget), type_checker=types
    )
    return validator_class(schema_tree.resolved(schema), format_checker=formats), budget


# one per facts schema of the run; a long-lived process keeps only the latest
_validator = IdentityMemo(_new_validator, size=16)


def _pattern(_validator: Any, pattern: str, instance: Any, _schema: Any) -> Any:
    """`pattern` with RE2 (linear time), not Python's backtracking `re`, as `matches` does."""
    from jsonschema.exceptions import ValidationError

    from gatecheck.language.operators import compile_regex

    if isinstance(instance, str) and not compile_regex(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _searches(pattern: str, key: str) -> bool:
    from gatecheck.language.operators import compile_regex

    return compile_regex(pattern).search(key) is not None


def _pattern_properties(validator: Any, patterns: Any, instance: Any, _schema: Any) -> Any:
    """`patternProperties` with RE2: each key a pattern finds is checked against its schema."""
    if not validator.is_type(instance, "object"):
        return
    for pattern, subschema in patterns.items():
        for key, value in instance.items():
            if _searches(pattern, key):
                yield from validator.descend(value, subschema, path=key, schema_path=pattern)


def _additional_keys(instance: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    """Keys neither `properties` names nor a `patternProperties` pattern finds (with RE2)."""
    named = schema.get("properties", {})
    patterns = list(schema.get("patternProperties", {}))
    return [
        key
        for key in instance
        if key not in named and not any(_searches(pattern, key) for pattern in patterns)
    ]


def _additional_properties(validator: Any, allowed: Any, instance: Any, schema: Any) -> Any:
    """`additionalProperties`, matching `patternProperties` with RE2 rather than Python's `re`."""
    from jsonschema.exceptions import ValidationError

    if not validator.is_type(instance, "object"):
        return
    extra = _additional_keys(instance, schema)
    if isinstance(allowed, dict):
        for key in extra:
            yield from validator.descend(instance[key], allowed, path=key)
    elif allowed is False and extra:
        listed = ", ".join(map(repr, sorted(extra)))
        yield ValidationError(f"additional properties are not allowed ({listed})")


def _pattern_problem(node: Any) -> str | None:
    """The first `pattern` or `patternProperties` key in a schema that RE2 cannot compile."""
    from gatecheck.language.operators import regex_problem

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


def _is_date(value: Any) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _is_datetime(value: Any) -> bool:
    return isinstance(value, dt.datetime)


def _unknown_key(error: Any) -> str | None:
    """For an `additionalProperties` error, the first key the schema does not allow."""
    if error.validator != "additionalProperties":
        return None
    extra = sorted(_additional_keys(error.instance, error.schema))
    return extra[0] if extra else None


def _message(error: Any, path: DataPath, unknown: str | None) -> str:
    where = ".".join(map(str, path[1:])) or "facts"
    if unknown is not None:
        return f"unknown fact '{'.'.join(map(str, (*path[1:], unknown)))}'"
    if error.validator == "format" and error.validator_value in {"date", "date-time"}:
        return f"{where}: expected a date (unquoted YYYY-MM-DD), found {_shown(error.instance)}"
    if error.validator == "type":
        return f"{where}: expected {_a(error.validator_value)}, found {_shown(error.instance)}"
    return f"{where}: {_clipped(error.message)}"


def _clipped(text: str) -> str:
    """A message cut short: jsonschema's quote whole values, which may be a file's worth."""
    if len(text) <= _MESSAGE_CHARS:
        return text
    return f"{text[:_MESSAGE_CHARS]}... ({len(text):,} characters)"


_MESSAGE_CHARS = 500


def _a(types: Any) -> str:
    names = types if isinstance(types, list) else [types]
    return " or ".join(("an " if n[0] in "aeiou" else "a ") + n for n in names)


def _shown(value: Any) -> str:
    from gatecheck.language.operators import kind_of

    if isinstance(value, dict | list):
        return kind_of(value)
    return _clipped(f"{kind_of(value)} {value!r}")


def _location(document: Document, path: DataPath, unknown: str | None) -> Any:
    return document.locate_key((*path, unknown)) if unknown is not None else document.locate(path)


def _hint(error: Any, unknown: str | None) -> str | None:
    from gatecheck.errors import known_names_hint

    if unknown is not None:
        return known_names_hint(unknown, error.schema.get("properties", {}), "fact")
    if error.validator == "enum":
        values = error.validator_value
        shown = ", ".join(map(str, values[:_HINTED]))
        more = f", ... ({len(values):,} in all)" if len(values) > _HINTED else ""
        return _clipped(f"allowed values: {shown}{more}")
    return None


_HINTED = 16  # allowed values a hint lists


# -- describing fact paths ------------------------------------------------------------------------


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
            if isinstance(pattern, str) and _searches(pattern, segment):
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
