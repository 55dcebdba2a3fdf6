"""Reading a facts schema file: strict JSON, within the limits, a valid JSON Schema, acyclic.

A policy names its facts schema (`facts_schema:`); the project's schemas/ or the bundled ones hold
it. It is parsed as strict JSON (`strict_json`), its values counted on the text first, and its
`$ref`s expanded once to refuse a cycle or a schema too costly to validate against (`schema_tree`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gatecheck.errors import InvalidInput, Location, Problem
from gatecheck.limits import MAX_DEPTH, MAX_SCHEMA_NODES
from gatecheck.loading import strict_json
from gatecheck.loading.input_bytes import read_input

if TYPE_CHECKING:
    from gatecheck.project.input_file import InputFile


def no_schema(name: str, location: Location) -> Problem:
    """The problem of a policy whose facts schema is in neither schemas/ nor the bundle."""
    return Problem(
        "unknown-schema",
        f"facts schema '{name}' was not found",
        location,
        "put it in schemas/ beside policies/, or name a bundled schema",
    )


def read_facts_schema(file: InputFile) -> tuple[dict[str, Any], bytes]:
    """The schema a file holds and its bytes; InvalidInput with the problem if it is unusable."""
    from gatecheck.loading.facts_schema_checks import check_schema

    raw = read_input(file)
    try:
        text = raw.decode("utf-8-sig")  # UTF-8 only
        if strict_json.count_values(text) > MAX_SCHEMA_NODES:
            raise InvalidInput([_too_many_values(file.display)])
        schema = strict_json.loads(text)
    except strict_json.DuplicateKeyError as error:
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
        too_deep = strict_json.depth(schema) > MAX_DEPTH
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
    if not isinstance(schema, dict):
        reason: str | None = "a schema must be a JSON object"
    else:
        # Checking against the metaschema and expanding the `$ref`s costs 50 ms a bundled schema,
        # paid by every `validate` and `test`: a schema found sound is remembered by its bytes.
        from gatecheck.loading import cache

        key = cache.digest("facts-schema", raw)
        if cache.read("schema", key) is True:
            return schema, raw
        reason = check_schema(schema)
    if reason is not None:
        raise InvalidInput(
            [
                Problem(
                    "bad-schema", f"not a valid JSON Schema: {reason}", Location(file.display, 1, 1)
                )
            ]
        )
    _check_cost(schema, text, file.display)
    cache.write("schema", key, True)  # noqa: FBT003
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
