"""Turn pydantic's findings about a policy or evidence file into located, actionable problems.

Cold path only: importing pydantic and the models costs a few hundred milliseconds, which the
cache in `loading` spares every run whose files have not changed.
"""

from __future__ import annotations

import types
import typing
from typing import TYPE_CHECKING, Any

from gatecheck.errors import Problem, known_names_hint
from gatecheck.language.operators import COUNT_OPERATORS, OPERATORS
from gatecheck.language.values import show

if TYPE_CHECKING:
    from pydantic import BaseModel

    from gatecheck.documents import DataPath, Document

_EXPECTED = {
    "string_type": "a string",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "date_type": "a date (YYYY-MM-DD, unquoted)",
    "datetime_type": "a date and time",
}
_PATTERNS = {
    "^[a-z0-9][a-z0-9_.-]*$": "an id: lowercase letters, digits, '-', '_' and '.'",
    "^[0-9]{1,5}[dw]$": "a duration such as 7d or 2w",
    "^[a-z0-9][a-z0-9_.-]*(@[0-9]+)?$": "a policy name, optionally with @version (wasm-proposal@1)",
    "^[0-9a-f]{7,64}$": "a git commit id (7 to 64 lowercase hex digits: SHA-1 or SHA-256)",
    r"^[A-Za-z0-9_.-]+\.json$": "a schema file name ending in .json",
}
CONDITION_KEYS = "fact, count, all, any, not, some, every, none, step or attested"
# Names people reach for from other policy languages, mapped to gatecheck's operator.
OPERATOR_SYNONYMS = {
    "equals": "eq",
    "equal": "eq",
    "is": "eq",
    "==": "eq",
    "not_equals": "ne",
    "!=": "ne",
    "greater_than": "gt",
    ">": "gt",
    "ge": "gte",
    "at_least": "gte",
    ">=": "gte",
    "less_than": "lt",
    "<": "lt",
    "le": "lte",
    "at_most": "lte",
    "<=": "lte",
    "one_of": "in",
    "any_of": "in",
    "none_of": "not_in",
    "includes": "contains",
    "has": "contains",
    "regex": "matches",
    "match": "matches",
    "present": "exists",
    "before": "older_than",
    "after": "newer_than",
}


def model_problems(model: type[BaseModel], document: Document) -> list[Problem]:
    """Validate `document.data` against `model`; one located problem per error."""
    from pydantic import ValidationError

    try:
        model.model_validate(document.data)
    except ValidationError as error:
        return [
            _problem(model, document, err)
            for err in error.errors(include_url=False, include_input=True)
        ]
    return []


def _problem(model: type[BaseModel], document: Document, error: Any) -> Problem:
    loc = tuple(error["loc"])
    path = _data_path(document.data, loc)
    kind = error["type"]
    name = str(path[-1]) if path else "file"
    value = error.get("input")
    if kind == "extra_forbidden":
        key = str(loc[-1])
        at_key = path if path and path[-1] == key else (*path, key)  # loc names the key already
        return _unknown_key(model, document, at_key, loc)
    if kind == "missing":
        missing = str(loc[-1])
        return Problem(
            "missing-key",
            f"missing required key '{missing}'",
            document.locate(path),
            f"add `{missing}:` here",
        )
    if kind == "not-a-condition":
        return _not_a_condition(document, path, value)
    if kind in _EXPECTED:
        where = f"'{name}'" if path else "the file"
        return Problem(
            "wrong-type",
            f"{where}: expected {_EXPECTED[kind]}, found {_shown(value)}",
            document.locate(path),
            "quote a value to make it a string" if kind == "string_type" else None,
        )
    if kind == "string_pattern_mismatch":
        wanted = _PATTERNS.get(error["ctx"]["pattern"], f"to match {error['ctx']['pattern']}")
        return Problem("bad-value", f"'{name}': {value!r} is not {wanted}", document.locate(path))
    return Problem("bad-value", f"'{name}': {error['msg']}", document.locate(path))


def _unknown_key(
    model: type[BaseModel], document: Document, path: DataPath, loc: tuple[Any, ...]
) -> Problem:
    key = str(path[-1])
    owner = _model_at(model, loc[:-1])
    known = [field.alias or name for name, field in owner.model_fields.items()] if owner else []
    if owner is not None and owner.__name__ == "FactCondition":
        synonym = OPERATOR_SYNONYMS.get(key.lower())
        return Problem(
            "unknown-operator",
            f"unknown operator '{key}'",
            document.locate_key(path),
            f"did you mean '{synonym}'?"
            if synonym
            else known_names_hint(key, OPERATORS, "operator"),
        )
    if owner is not None and owner.__name__ == "CountCondition":
        return Problem(
            "unknown-operator",
            f"unknown operator '{key}' for a count",
            document.locate_key(path),
            known_names_hint(key, COUNT_OPERATORS, "operator"),
        )
    return Problem(
        "unknown-key",
        f"unknown key '{key}'",
        document.locate_key(path),
        known_names_hint(key, known, "key"),
    )


def _not_a_condition(document: Document, path: DataPath, value: Any) -> Problem:
    if isinstance(value, dict):
        keys = list(value)
        if len(keys) == 1 and not isinstance(value[keys[0]], dict | list):
            hint = f"to test a fact, write {{fact: {keys[0]}, eq: {show(value[keys[0]])}}}"
        elif any(key in OPERATORS for key in keys):
            hint = "a comparison names the fact it reads: add `fact: some.fact`"
        else:
            hint = f"a condition is a mapping with one of: {CONDITION_KEYS}"
        return Problem(
            "not-a-condition",
            f"not a condition: it has none of the keys {CONDITION_KEYS}",
            document.locate(path),
            hint,
        )
    return Problem(
        "not-a-condition",
        f"expected a condition (a mapping), found {_shown(value)}",
        document.locate(path),
        f"write a mapping with one of: {CONDITION_KEYS}",
    )


def _data_path(data: Any, loc: tuple[Any, ...]) -> DataPath:
    """The part of pydantic's `loc` that names real keys and indexes (union tags are dropped)."""
    path: list[str | int] = []
    for part in loc:
        if (isinstance(data, dict) and part in data) or (
            isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)
        ):
            data = data[part]
            path.append(part)
    return tuple(path)


def _model_at(root: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class that validated the mapping at `loc` (following lists, dicts and tags)."""
    from pydantic import BaseModel

    from gatecheck.language.condition_shapes import condition_models, operand_models

    by_tag = {**condition_models(), **operand_models()}
    current: Any = root
    for part in loc:
        if isinstance(part, str) and part in by_tag:
            current = by_tag[part]
            continue
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            fields = {field.alias or name: field for name, field in current.model_fields.items()}
            if part not in fields:
                return None
            current = fields[part].annotation
        elif typing.get_origin(current) is list:
            current = typing.get_args(current)[0]
        elif typing.get_origin(current) is dict:
            current = typing.get_args(current)[1]
        else:
            return None
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    """Strip `Annotated[...]` and `X | None` down to the one type they wrap."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in {typing.Union, types.UnionType}:
            members = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
            if len(members) != 1:
                return annotation
            annotation = members[0]
        else:
            return annotation


def _shown(value: Any) -> str:
    from gatecheck.language.kinds import kind_of

    kind = kind_of(value)
    if kind in {"list", "map"}:
        return f"a {kind}"
    if kind == "null":
        return "nothing (null)"
    text = repr(value) if not hasattr(value, "isoformat") else value.isoformat()
    return f"{'an' if kind[0] in 'aeiou' else 'a'} {kind} ({text[:60]})"
