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
# pydantic's limits (ge, le, min_length, ...) in plain words: `'at_least' must be at least 1, not 0`
_LIMITS = {
    "greater_than_equal": ("ge", "must be at least {}"),
    "greater_than": ("gt", "must be more than {}"),
    "less_than_equal": ("le", "must be at most {}"),
    "less_than": ("lt", "must be less than {}"),
    "too_short": ("min_length", "needs at least {} items"),
    "too_long": ("max_length", "takes at most {} items"),
    "string_too_short": ("min_length", "needs at least {} characters"),
    "string_too_long": ("max_length", "takes at most {} characters"),
}
# what a limited field is for, where a plain limit leaves the reader asking why
_LIMIT_HINTS = {
    "at_least": "at_least is how many attestations the rule needs (1 to 100); leave it out for 1",
    "version": "number a policy's versions from 1",
    "rules": "list at least one rule, or remove the gate",
    "all": "list at least one condition, or write the one condition without `all:`",
    "any": "list at least one condition, or write the one condition without `any:`",
    "cases": "list at least one case",
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
        pattern = error["ctx"]["pattern"]
        wanted = _PATTERNS.get(pattern, f"to match {pattern}")
        return Problem(
            "bad-value",
            f"'{name}': {value!r} is not {wanted}",
            document.locate(path),
            _lower_case_hint(pattern, value),
        )
    if kind in _LIMITS:
        return _limit_problem(document, path, name, kind, error)
    return Problem("bad-value", f"'{name}': {error['msg']}", document.locate(path))


def _lower_case_hint(pattern: str, value: Any) -> str | None:
    """`Pat` where an id belongs: suggest `pat` when the lower-case form is one."""
    import re

    if not isinstance(value, str) or value.lower() == value:
        return None
    lowered = value.lower()
    return f"did you mean '{lowered}'? ids are lower case" if re.match(pattern, lowered) else None


def _limit_problem(document: Document, path: DataPath, name: str, kind: str, error: Any) -> Problem:
    """A value past one of the shapes' limits, said in plain words rather than pydantic's."""
    bound, words = _LIMITS[kind]
    limit = error.get("ctx", {}).get(bound)
    value = error.get("input")
    where = f"'{name}'" if path else "the file"
    message = f"{where} {words.format(limit)}"
    if kind == "too_short" and limit == 1:
        message = f"{where} is an empty list: it needs at least one item"
    elif kind == "string_too_short" and limit == 1:
        message = f"{where} is empty: write some text"
    elif kind.endswith(("_short", "_long")):
        size = len(value) if isinstance(value, str | list | dict) else None
        message += "" if size is None else f" (it has {size})"
    else:
        message += f", not {show(value)}"
    hint = _LIMIT_HINTS.get(name)
    return Problem("bad-value", message, document.locate(path), hint)


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
    if owner is not None and owner.__name__ == "Quantified" and key in COUNT_OPERATORS:
        counted = _value_at(document.data, path[:-1])
        fact = counted.get("fact") if isinstance(counted, dict) else None
        operand = counted.get(key) if isinstance(counted, dict) else None
        return Problem(
            "unknown-key",
            f"unknown key '{key}' in what is counted",
            document.locate_key(path),
            "the comparison goes beside `count:`, not inside it:"
            f" {{count: {{fact: {show(fact or 'X')}}}, {key}: {show(operand)}}}",
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


def _value_at(data: Any, path: DataPath) -> Any:
    for part in path:
        data = data[part]  # a path _data_path found in this data
    return data


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
