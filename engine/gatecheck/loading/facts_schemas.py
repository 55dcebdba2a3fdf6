"""Reading a facts schema file: strict JSON, within the limits, a valid JSON Schema, acyclic.

A policy names its facts schema (`facts_schema:`); the project's schemas/ or the bundled ones hold
it. Its values are counted on the text before it is parsed, and its `$ref`s expanded once to
refuse a cycle or a schema that would cost too much to validate against (`schema_tree`).
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from gatecheck.errors import InvalidInput, Location, Problem
from gatecheck.loading.limits import MAX_DEPTH, MAX_SCHEMA_NODES
from gatecheck.loading.reading import read_input

if TYPE_CHECKING:
    from gatecheck.project.layout import InputFile


def no_schema(name: str, location: Location) -> Problem:
    """The problem of a policy whose facts schema is in neither schemas/ nor the bundle."""
    return Problem(
        "unknown-schema",
        f"facts schema '{name}' was not found",
        location,
        "put it in schemas/ beside policies/, or name a bundled schema",
    )


class _DuplicateKeyError(ValueError):
    pass


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object's members; a key given twice is an error, as in YAML, not a silent override."""
    result = dict(pairs)
    if len(result) < len(pairs):
        keys = [key for key, _ in pairs]
        raise _DuplicateKeyError(next(key for key in keys if keys.count(key) > 1))
    return result


def _no_constant(name: str) -> Any:
    message = f"{name} is not JSON (Python's json module would accept it)"
    raise ValueError(message)


def _json_depth(value: Any) -> int:
    """How deeply `value` nests lists and objects, counted without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, depth)
            stack += [
                (child, depth + 1) for child in (item.values() if isinstance(item, dict) else item)
            ]
    return deepest


_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')  # unrolled: no alternation per character
_JSON_SPACE = str.maketrans("", "", " \t\r\n")


def count_json_values(text: str) -> int:
    """How many values a JSON text holds, counted on the text before it is parsed.

    Each value is the first in its list or object, or follows a comma: so many values as commas,
    plus one for each list or object that is not empty, plus the whole. Parsed, 32 MiB of `{},`
    would be 11 million objects.
    """
    bare = _JSON_STRING.sub('""', text).translate(_JSON_SPACE)
    opened = bare.count("{") + bare.count("[") - bare.count("{}") - bare.count("[]")
    return bare.count(",") + opened + 1


def read_facts_schema(file: InputFile) -> tuple[dict[str, Any], bytes]:
    """The schema a file holds and its bytes; InvalidInput with the problem if it is unusable."""
    from gatecheck.language.facts_schema import check_schema

    raw = read_input(file)
    try:
        text = raw.decode("utf-8-sig")  # UTF-8 only
        if count_json_values(text) > MAX_SCHEMA_NODES:
            raise InvalidInput([_too_many_values(file.display)])
        schema = json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_no_constant)
    except _DuplicateKeyError as error:
        raise InvalidInput(
            [
                Problem(
                    "duplicate-key",
                    f"key '{error.args[0]}' appears twice in one object",
                    Location(file.display, 1, 1),
                    "keep one of them",
                )
            ]
        ) from None
    except (ValueError, UnicodeDecodeError) as error:  # JSONDecodeError, an int too long, NaN
        line, column = getattr(error, "lineno", 1), getattr(error, "colno", 1)
        raise InvalidInput(
            [
                Problem(
                    "bad-schema", f"not valid JSON: {error}", Location(file.display, line, column)
                )
            ]
        ) from None
    except RecursionError:  # nested far deeper than MAX_DEPTH: the same problem as below
        too_deep = True
    else:
        too_deep = _json_depth(schema) > MAX_DEPTH
    if too_deep:
        raise InvalidInput(
            [
                Problem(
                    "too-deep",
                    f"JSON nested deeper than {MAX_DEPTH} levels",
                    Location(file.display, 1, 1),
                    "flatten the schema; use $defs and $ref for shared parts",
                )
            ]
        )
    reason = check_schema(schema) if isinstance(schema, dict) else "a schema must be a JSON object"
    if reason is not None:
        raise InvalidInput(
            [
                Problem(
                    "bad-schema", f"not a valid JSON Schema: {reason}", Location(file.display, 1, 1)
                )
            ]
        )
    _check_cost(schema, text, file.display)
    return schema, raw


def _too_many_values(display: str) -> Problem:
    # Counted before the schema is parsed and checked against the metaschema (~0.2 ms a value).
    return Problem(
        "too-many-nodes",
        f"the schema holds more than {MAX_SCHEMA_NODES:,} values",
        Location(display, 1, 1),
        "a facts schema describes facts; split them between policies",
    )


def _check_cost(schema: dict[str, Any], text: str, display: str) -> None:
    """Refuse a `$ref` cycle, and a schema that expands past MAX_SCHEMA_NODES or MAX_DEPTH."""
    from gatecheck.loading.json_positions import json_position
    from gatecheck.loading.schema_tree import SchemaCostError, resolved

    try:
        resolved(schema)
    except SchemaCostError as error:
        where = Location(display, *json_position(text, error.path))
        raise InvalidInput([Problem(error.code, error.message, where, error.hint)]) from None
